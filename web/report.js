// Report builder (scope, title, notes, live preview in a sandboxed iframe, downloads, print) and the
// export menu. The report file itself is rendered by the core (session.report) in the worker.
import { $, button, download, el } from "./dom.js";
import { coreZone } from "./tz.js";

const EXPORTS = [
  ["csv", "CSV", "csv", "text/csv"],
  ["ndjson", "NDJSON", "ndjson", "application/x-ndjson"],
  ["ocsf", "OCSF (JSONL)", "ocsf.jsonl", "application/x-ndjson"],
  ["ecs", "ECS (JSONL)", "ecs.jsonl", "application/x-ndjson"],
  ["timesketch", "Timesketch (JSONL)", "timesketch.jsonl", "application/x-ndjson"],
];

/** The query without its pipe stage (exports and reports list events, not tables). */
export const filterPart = (q) => String(q ?? "").split(/(?=\|)/)[0].trim();

/** Wires the export menu: each kind downloads the current result. */
export function setupExport({ client, currentQuery, setStatus }) {
  const menu = $("export");
  const list = menu.querySelector(".menu-items");
  for (const [kind, label, ext, type] of EXPORTS) {
    list.append(
      button(label, async () => {
        menu.open = false;
        setStatus(`Exporting ${label}…`, "busy");
        try {
          const text = await client.call("export", { kind, q: filterPart(currentQuery()), tz: coreZone() });
          download(`auditlens-export.${ext}`, text, type);
          setStatus(`Exported ${label}.`, "ok");
        } catch (err) {
          setStatus(`Export failed: ${err.message}`, "error");
        }
      }, { cls: "menu-item", testid: `export-${kind}` }),
    );
  }
}

/** Wires the report dialog. `findings()` gives the last detection result's findings. */
export function setupReport({ client, store, currentQuery, timeRange, findings, starredCount, detect }) {
  const dialog = $("report-dialog");
  const form = dialog.querySelector("form");
  const f = (name) => form.elements.namedItem(name);
  const preview = $("report-preview");
  const errBox = $("report-error");
  let timer = 0;
  let seq = 0;

  function request(format) {
    const chosen = [...form.querySelectorAll('input[name="finding"]:checked')].map((c) => c.value);
    const all = f("findings-all").checked;
    const req = {
      format,
      title: f("title").value.trim() || "Investigation report",
      caseId: f("caseId").value.trim(),
      findings: all ? "all" : chosen,
      starred: f("starred").checked,
      tz: coreZone(),
      generatedAt: new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
      case: { ...store.current, id: f("caseId").value.trim(), report: settings() },
    };
    const d = detect();
    if (d.detectConfig) req.detectConfig = d.detectConfig;
    if (d.sigma) req.sigma = d.sigma;
    const q = f("query").value.trim();
    if (q) req.query = q;
    if (f("from").value.trim()) req.from = f("from").value.trim();
    if (f("to").value.trim()) req.to = f("to").value.trim();
    return req;
  }

  function settings() {
    return {
      title: f("title").value,
      notes: f("notes").value,
      query: f("query").value,
      from: f("from").value,
      to: f("to").value,
      // An empty list means every finding.
      findings: f("findings-all").checked ? [] : [...form.querySelectorAll('input[name="finding"]:checked')].map((c) => c.value),
      tz: coreZone(),
    };
  }

  async function render(format) {
    return client.call("report", { request: request(format) });
  }

  async function refresh() {
    const my = ++seq;
    store.setReport(settings(), f("caseId").value.trim());
    try {
      const html = await client.call("reportPreview", { request: request("html") });
      if (my !== seq || typeof html !== "string") return; // superseded by a newer preview
      errBox.hidden = true;
      // srcdoc + sandbox="" (no scripts, no same-origin): the report is inert text and markup.
      preview.srcdoc = html;
      preview.dataset.ready = String(my);
    } catch (err) {
      if (my !== seq) return;
      errBox.textContent = `The report could not be built: ${err.message}`;
      errBox.hidden = false;
    }
  }

  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(refresh, 250);
  };
  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
  form.addEventListener("submit", (e) => e.preventDefault());

  const save = (format, ext, type) => async () => {
    try {
      const text = await render(format);
      download(`auditlens-report.${ext}`, text, type);
    } catch (err) {
      errBox.textContent = `The report could not be built: ${err.message}`;
      errBox.hidden = false;
    }
  };
  $("report-download-md").addEventListener("click", save("md", "md", "text/markdown"));
  $("report-download-html").addEventListener("click", save("html", "html", "text/html"));
  $("report-download-json").addEventListener("click", save("json", "json", "application/json"));
  // Printing: the report opens as its own page in a new tab (a Blob URL: nothing leaves the
  // browser), where the browser's Print uses the report's print stylesheet over as many pages as it
  // needs (an iframe would print clipped to one page). The page inherits this page's CSP, and the
  // report's own allows nothing but its stylesheet.
  $("report-print").addEventListener("click", async () => {
    try {
      const html = await render("html");
      const url = URL.createObjectURL(new Blob([html], { type: "text/html;charset=utf-8" }));
      window.open(url, "_blank", "noopener");
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (err) {
      errBox.textContent = `The report could not be built: ${err.message}`;
      errBox.hidden = false;
    }
  });
  $("report-close").addEventListener("click", () => dialog.close());

  $("report-open").addEventListener("click", () => {
    const saved = store.current.report ?? {};
    const range = timeRange();
    f("title").value = saved.title || store.current.title || "Investigation report";
    f("caseId").value = store.current.id || "";
    f("notes").value = saved.notes || "";
    f("query").value = filterPart(currentQuery()) || saved.query || "";
    f("from").value = range?.from ?? saved.from ?? "";
    f("to").value = range?.to ?? saved.to ?? "";
    f("starred").checked = true;
    const box = form.querySelector(".report-findings");
    const list = findings();
    const sel = Array.isArray(saved.findings) && saved.findings.length ? new Set(saved.findings) : null;
    f("findings-all").checked = !sel;
    box.replaceChildren(
      ...list.map((x) => {
        const id = `${x.rule}`;
        const cb = el("input", { attrs: { type: "checkbox", name: "finding", value: id } });
        cb.checked = sel ? sel.has(id) : true;
        cb.addEventListener("change", () => (f("findings-all").checked = false));
        return el("label", { cls: "check" }, cb, el("span", { text: ` ${x.severity} · ${x.title}` }));
      }),
    );
    $("report-starred-count").textContent = `(${starredCount()} starred)`;
    dialog.showModal();
    refresh();
  });
}
