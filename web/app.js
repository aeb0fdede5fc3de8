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

// ---- search ---------------------------------------------------------------------------------

const PAGE = 200;

/** The hit's first target as "type id/name". */
function targetText(ev) {
  const t = ev.targets?.[0];
  if (!t) return "";
  return [t.type, t.name || t.id].filter(Boolean).join(" ");
}

function cell(text, cls) {
  const td = el("td", { text: text ?? "" });
  if (cls) td.className = cls;
  if (text) td.title = String(text);
  return td;
}

function renderHits(result) {
  const rows = result.hits.map((h) => {
    const ev = h.event;
    const tr = el("tr", { testid: "result-row" });
    tr.classList.add(`outcome-${ev.outcome}`);
    tr.append(
      cell(ev.time.replace("T", " ").replace(/\.000Z$|Z$/, "")),
      cell(ev.outcome, `outcome ${ev.outcome}`),
      cell(ev.action),
      cell(ev.actor?.name || ev.actor?.id),
      cell(ev.src_ip || ev.src_raw),
      cell(targetText(ev)),
      cell(ev.source?.format),
    );
    return tr;
  });
  $("results").tBodies[0].replaceChildren(...rows);
  $("results").hidden = !!result.table;
}

function renderTable(table) {
  const t = $("stats-table");
  t.hidden = !table;
  if (!table) return;
  t.tHead.replaceChildren(el("tr", {}, ...table.columns.map((c) => el("th", { text: c }))));
  t.tBodies[0].replaceChildren(
    ...table.rows.map((r) => el("tr", {}, ...r.map((c) => cell(typeof c === "number" ? nf.format(c) : c)))),
  );
}

function renderHistogram(h) {
  const box = $("histogram");
  if (!h) {
    box.replaceChildren();
    return;
  }
  const totals = h.success.map((s, i) => s + h.failure[i] + h.unknown[i]);
  const max = Math.max(1, ...totals);
  const bars = totals.map((n, i) => {
    const bar = el("div", { cls: "bar" });
    const start = new Date(h.start_ms + i * h.bucket_ms).toISOString().replace(".000Z", "Z");
    bar.title = `${start} (${h.bucket}): ${nf.format(n)} events, ${nf.format(h.failure[i])} failed`;
    for (const [cls, v] of [["failure", h.failure[i]], ["unknown", h.unknown[i]], ["success", h.success[i]]]) {
      if (!v) continue;
      const seg = el("div", { cls: `seg ${cls}` });
      seg.style.height = `${(100 * v) / max}%`;
      bar.append(seg);
    }
    return bar;
  });
  box.replaceChildren(el("div", { cls: "bars" }, ...bars), el("p", { cls: "axis", text: `${h.start} · one bar = ${h.bucket}` }));
}

function renderFacets(facets, addTerm) {
  const box = $("facets");
  box.replaceChildren(
    ...facets
      .filter((f) => f.values.length)
      .map((f) => {
        const list = el("ol", {});
        for (const v of f.values) {
          const b = el("button", { cls: "facet-value", text: v.value });
          b.type = "button";
          b.title = `Add ${f.field}:"${v.value}" to the query (shift-click to exclude)`;
          b.addEventListener("click", (e) => addTerm(f.field, v.value, e.shiftKey));
          list.append(el("li", {}, b, el("span", { cls: "facet-count", text: nf.format(v.count) })));
        }
        return el("section", { cls: "facet", testid: `facet-${f.field}` }, el("h3", { text: f.field }), list);
      }),
  );
}

const SEVERITY_ORDER = ["critical", "high", "medium", "low", "informational"];

/** The query that shows a finding's evidence: by vendor ids when every event has one, else by
 * actor and time window. */
function evidenceQuery(f) {
  const ids = f.evidence.slice(0, 50);
  if (ids.length && ids.every((e) => !e.includes("#"))) return `uid:(${ids.map(quote).join(" OR ")})`;
  const parts = [];
  if (f.actors?.[0]) parts.push(`actor:${quote(f.actors[0])}`);
  parts.push(`time:[${f.first} TO ${f.last}]`);
  return parts.join(" ");
}

function renderFindings(result, showQuery) {
  const list = $("findings");
  const counts = Object.fromEntries(SEVERITY_ORDER.map((s) => [s, 0]));
  for (const f of result.findings) counts[f.severity]++;
  $("findings-summary").textContent = result.findings.length
    ? SEVERITY_ORDER.filter((s) => counts[s]).map((s) => `${counts[s]} ${s}`).join(" · ")
    : "none";
  const docs = Object.fromEntries((result.rules ?? []).map((r) => [r.id, r]));
  list.replaceChildren(
    ...result.findings.map((f) => {
      const li = el("li", { cls: `finding sev-${f.severity}`, testid: "finding" });
      const head = el(
        "div",
        { cls: "finding-head" },
        el("span", { cls: "sev", text: f.severity }),
        el("span", { cls: "finding-title", text: f.title }),
        el("span", { cls: "finding-rule", text: f.rule.length > 12 ? "sigma" : f.rule }),
        el("span", { cls: "finding-time", text: `${f.first.replace("T", " ").replace(".000Z", "")}` }),
      );
      const expl = el("p", { cls: "finding-expl", text: f.explanation });
      const who = [f.actors?.length ? `actors: ${f.actors.join(", ")}` : "", f.ips?.length ? `IPs: ${f.ips.join(", ")}` : ""]
        .filter(Boolean)
        .join(" · ");
      const btn = el("button", { cls: "button small", text: `Show ${f.count} event${f.count === 1 ? "" : "s"}`, testid: "finding-evidence" });
      btn.type = "button";
      btn.addEventListener("click", () => showQuery(evidenceQuery(f)));
      li.append(head, expl);
      if (who) li.append(el("p", { cls: "finding-who", text: who }));
      const doc = docs[f.rule]?.doc;
      if (doc?.next_steps) {
        const d = el("details", { cls: "finding-doc" }, el("summary", { text: "Why it matters · next steps" }));
        d.append(el("p", { text: doc.why }), el("p", { text: `Next steps: ${doc.next_steps}` }));
        li.append(d);
      }
      li.append(btn);
      return li;
    }),
  );
}

/** Quotes a value for the query language. */
function quote(v) {
  return /^[A-Za-z0-9_.@\-]+$/.test(v) ? v : `"${v.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`;
}

function main() {
  const client = new WorkerClient(createWorker());
  let busy = 0;
  let querySeq = 0;
  let debounce = 0;

  async function runQuery() {
    const seq = ++querySeq;
    const q = $("query").value;
    let result;
    try {
      result = await client.call("query", { q, offset: 0, limit: PAGE });
    } catch (err) {
      if (seq === querySeq) setStatus(`Search failed: ${err.message}`, "error");
      return;
    }
    if (seq !== querySeq || result.stale) return;
    const errBox = $("query-error");
    if (result.error) {
      const e = result.error;
      const parts = [e.message];
      if (e.suggestion) parts.push(`— did you mean "${e.suggestion}"?`);
      if (e.column) parts.push(`(column ${e.column})`);
      if (e.hint) parts.push(`· ${e.hint}`);
      errBox.textContent = parts.join(" ");
      errBox.hidden = false;
      $("query").setAttribute("aria-invalid", "true");
      return;
    }
    errBox.hidden = true;
    $("query").removeAttribute("aria-invalid");
    $("result-count").textContent = `${nf.format(result.total)} ${result.total === 1 ? "match" : "matches"} · ${result.timing_ms.total_ms.toFixed(1)} ms`;
    $("result-count").dataset.total = String(result.total);
    renderHits(result);
    renderTable(result.table);
    renderHistogram(result.histogram);
    renderFacets(result.facets ?? [], addTerm);
  }

  function addTerm(field, value, exclude) {
    const input = $("query");
    const term = `${exclude ? "-" : ""}${field}:${quote(value)}`;
    const [head, pipe] = input.value.split(/(?=\|)/);
    input.value = [head.trim(), term].filter(Boolean).join(" ") + (pipe ? ` ${pipe}` : "");
    runQuery();
  }

  async function runDetections() {
    try {
      const result = await client.call("detect", {});
      if (result.error) throw new Error(result.error);
      renderFindings(result, (q) => {
        $("query").value = q;
        runQuery();
        $("query").scrollIntoView({ block: "start" });
      });
    } catch (err) {
      setStatus(`Detections failed: ${err.message}`, "error");
    }
  }

  $("query").addEventListener("input", () => {
    clearTimeout(debounce);
    debounce = setTimeout(runQuery, 120);
  });
  $("query").addEventListener("keydown", (e) => {
    if (e.key === "Enter") {
      clearTimeout(debounce);
      runQuery();
    }
  });
  document.addEventListener("keydown", (e) => {
    if (e.key === "/" && document.activeElement !== $("query")) {
      e.preventDefault();
      $("query").focus();
    }
  });

  async function run(method, args, label) {
    busy++;
    document.body.classList.add("busy");
    setStatus(label, "busy");
    try {
      const { loaded, summary } = await client.call(method, args, { onProgress: showProgress });
      render(summary);
      runQuery();
      runDetections();
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
