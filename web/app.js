// UI thread: renders and dispatches only. Everything heavy happens in the worker (worker.js).
// All data goes into the DOM as text (textContent / createElement), never as HTML.
import { WorkerClient } from "./rpc.js";
import { createWorker } from "./worker-factory.js";

const MAX_ERRORS_SHOWN = 5;

const $ = (testid) => document.querySelector(`[data-testid="${testid}"]`);

/** createElement with a class, optional text and optional data-testid. */
function el(tag, { cls, text, testid } = {}, ...children) {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text !== undefined) node.textContent = String(text);
  if (testid) node.dataset.testid = testid;
  node.append(...children);
  return node;
}

const nf = new Intl.NumberFormat("en");

function formatBytes(n) {
  const units = ["B", "KiB", "MiB", "GiB"];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${n} B` : `${v.toFixed(1)} ${units[u]}`;
}

function stat(label, value, testid) {
  return el("div", { cls: "kv" }, el("dt", { text: label }), el("dd", { text: value, testid }));
}

/** One card per loaded file (FileSummary from the core). */
function fileCard(f) {
  const card = el("li", { cls: "file-card", testid: "file-summary" });
  if (f.rejected > 0) card.classList.add("has-rejects");

  // format_name/container/duplicates/merged/first/last are optional: shown when the core reports them.
  const badge = el("span", { cls: "badge", text: f.format_name || f.format || "unknown", testid: "file-format" });
  badge.title = [f.format, f.container].filter(Boolean).join(" · ");
  const head = el("div", { cls: "file-head" }, el("span", { cls: "file-name", text: f.path, testid: "file-name" }), badge);
  if (f.container) head.append(el("span", { cls: "container", text: f.container }));

  const stats = el(
    "dl",
    { cls: "file-stats" },
    stat("size", formatBytes(f.size), "file-size"),
    stat("read", nf.format(f.read), "file-read"),
    stat("loaded", nf.format(f.loaded), "file-loaded"),
    stat("rejected", nf.format(f.rejected), "file-rejected"),
  );
  if (f.duplicates > 0) stats.append(stat("duplicates", nf.format(f.duplicates), "file-duplicates"));
  if (f.merged > 0) stats.append(stat("merged", nf.format(f.merged), "file-merged"));
  card.append(head, stats);

  if (f.first) {
    card.append(el("p", { cls: "range", testid: "file-range", text: f.last && f.last !== f.first ? `${f.first} → ${f.last}` : f.first }));
  }

  if (f.sha256) {
    card.append(el("p", { cls: "hash" }, el("span", { cls: "hash-label", text: "SHA-256 " }), el("code", { text: f.sha256, testid: "file-sha256" })));
  }

  if (f.warnings?.length) {
    const ul = el("ul", { cls: "warnings", testid: "file-warnings" });
    for (const w of f.warnings) ul.append(el("li", { text: w }));
    card.append(ul);
  }

  if (f.errors?.length) {
    const ul = el("ul", { cls: "errors", testid: "file-errors" });
    for (const e of f.errors.slice(0, MAX_ERRORS_SHOWN)) {
      const where = e.line ? `line ${e.line}` : `record ${e.record}`;
      ul.append(el("li", {}, el("span", { cls: "where", text: where }), el("span", { text: ` ${e.reason}` })));
    }
    const more = f.errors.length - MAX_ERRORS_SHOWN;
    if (more > 0) ul.append(el("li", { cls: "more", text: `… and ${nf.format(more)} more` }));
    card.append(ul);
  }
  return card;
}

function render(summary) {
  $("event-count").textContent = nf.format(summary.events);
  $("file-count").textContent = nf.format(summary.files.length);
  $("file-list").replaceChildren(...summary.files.map(fileCard));
  $("empty-files").hidden = summary.files.length > 0;
}

function setStatus(text, kind = "") {
  const s = $("status");
  s.textContent = text;
  s.dataset.kind = kind;
}

function showProgress(p) {
  if (p.phase === "done") return;
  const verb = p.phase === "reading" ? "Reading" : "Parsing";
  let text = `${verb} ${p.index + 1}/${p.total}: ${p.file}`;
  if (p.records > 0) text += ` (${Math.floor((100 * p.done) / p.bytes)}%, ${nf.format(p.records)} records)`;
  setStatus(text, "busy");
}

function main() {
  const client = new WorkerClient(createWorker());
  let busy = 0;

  async function run(method, args, label) {
    busy++;
    document.body.classList.add("busy");
    setStatus(label, "busy");
    try {
      const { loaded, summary } = await client.call(method, args, { onProgress: showProgress });
      render(summary);
      const events = loaded.reduce((n, f) => n + f.loaded, 0);
      setStatus(`Loaded ${loaded.length} file${loaded.length === 1 ? "" : "s"}, ${nf.format(events)} events.`, "ok");
    } catch (err) {
      setStatus(`Could not load: ${err.message}`, "error");
      // Files loaded before the failure are still in the session: show them.
      client.call("summary").then(render, () => {});
    } finally {
      if (--busy === 0) document.body.classList.remove("busy");
    }
  }

  const loadFiles = (fileList) => {
    const files = [...fileList];
    if (files.length) run("load", { files }, `Loading ${files.length} file${files.length === 1 ? "" : "s"}…`);
  };

  const input = $("file-input");
  input.addEventListener("change", () => {
    loadFiles(input.files);
    input.value = ""; // choosing the same file again fires "change" again
  });

  const zone = $("drop-zone");
  zone.addEventListener("dragenter", (e) => {
    e.preventDefault();
    zone.classList.add("dragging");
  });
  zone.addEventListener("dragover", (e) => {
    e.preventDefault();
    e.dataTransfer.dropEffect = "copy";
  });
  zone.addEventListener("dragleave", (e) => {
    if (!zone.contains(e.relatedTarget)) zone.classList.remove("dragging");
  });
  zone.addEventListener("drop", (e) => {
    e.preventDefault();
    zone.classList.remove("dragging");
    loadFiles(e.dataTransfer.files);
  });
  // A file dropped next to the zone must not navigate away from the page (and lose the session).
  window.addEventListener("dragover", (e) => e.preventDefault());
  window.addEventListener("drop", (e) => e.preventDefault());

  $("load-sample").addEventListener("click", () => run("loadSample", {}, "Loading sample data…"));

  client.call("version").then(
    (v) => {
      $("version").textContent = `v${v}`;
      document.body.dataset.ready = "true";
    },
    (err) => setStatus(`The analysis engine failed to start: ${err.message}`, "error"),
  );
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", main);
else main();
