// The page's panels, rendered from engine results: file cards and load progress, findings, the
// histogram (with its brush and keyboard), facets and stats tables. Text only (see dom.js).
import { $, button, dataText, el, nf, quote } from "./dom.js";
import { formatMs, formatTime, zoneLabel } from "./tz.js";

const MAX_ERRORS_SHOWN = 5;

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
    const item = (e) => el("li", {}, el("span", { cls: "where", text: e.line ? `line ${e.line}` : `record ${e.record}` }), el("span", {}, " ", dataText(e.reason)));
    const ul = el("ul", { cls: "errors", testid: "file-errors" }, ...f.errors.slice(0, MAX_ERRORS_SHOWN).map(item));
    card.append(ul);
    // The rest of the listed errors (the core lists the first ones of each file) on request.
    const rest = f.errors.slice(MAX_ERRORS_SHOWN);
    const unlisted = Math.max(0, f.rejected - f.errors.length);
    if (rest.length) {
      card.append(el("details", { cls: "errors-more", testid: "file-errors-more" }, el("summary", { text: `${nf.format(rest.length)} more rejected records` }), el("ul", { cls: "errors" }, ...rest.map(item))));
    }
    if (unlisted > 0) card.append(el("p", { cls: "range", text: `… and ${nf.format(unlisted)} more rejected records not listed` }));
  }
  return card;
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

export function renderFindings(result, showQuery) {
  const list = $("findings");
  const counts = Object.fromEntries(SEVERITY_ORDER.map((s) => [s, 0]));
  for (const f of result.findings) counts[f.severity]++;
  $("findings-summary").textContent = result.findings.length
    ? SEVERITY_ORDER.filter((s) => counts[s]).map((s) => `${counts[s]} ${s}`).join(" · ")
    : "none";
  const docs = Object.fromEntries((result.rules ?? []).map((r) => [r.id, r]));
  // The first FINDINGS_SHOWN at once, the rest on request (a million events can raise hundreds).
  const shown = list.dataset.all === "true" ? result.findings : result.findings.slice(0, FINDINGS_SHOWN);
  const more = result.findings.length - shown.length;
  const moreBtn = more > 0 ? el("li", { cls: "finding-more" }, button(`Show ${nf.format(more)} more findings`, () => {
    list.dataset.all = "true";
    renderFindings(result, showQuery);
  }, { cls: "button small ghost", testid: "findings-more" })) : null;
  list.replaceChildren(
    ...shown.map((f) => {
      const li = el("li", { cls: `finding sev-${f.severity}`, testid: "finding" });
      const head = el(
        "div",
        { cls: "finding-head" },
        el("span", { cls: "sev", text: f.severity }),
        el("span", { cls: "finding-title", text: f.title }),
        el("span", { cls: "finding-rule", text: f.rule.length > 12 ? "sigma" : f.rule }),
        el("span", { cls: "finding-time", text: formatTime(f.first) }),
      );
      const expl = el("p", { cls: "finding-expl" }, dataText(f.explanation));
      const some = (xs) => (xs.length > 8 ? `${xs.slice(0, 8).join(", ")} and ${nf.format(xs.length - 8)} more` : xs.join(", "));
      const who = [f.actors?.length ? `actors: ${some(f.actors)}` : "", f.ips?.length ? `IPs: ${some(f.ips)}` : ""]
        .filter(Boolean)
        .join(" · ");
      const btn = el("button", { cls: "button small", text: `Show ${f.count} event${f.count === 1 ? "" : "s"}`, testid: "finding-evidence" });
      btn.type = "button";
      btn.addEventListener("click", () => showQuery(evidenceQuery(f)));
      li.append(head, expl);
      if (who) li.append(el("p", { cls: "finding-who" }, dataText(who)));
      const doc = docs[f.rule]?.doc;
      if (doc?.next_steps) {
        const d = el("details", { cls: "finding-doc", testid: "finding-doc" }, el("summary", { text: "Rule documentation: why it matters · next steps" }));
        for (const [label, text] of [["What it detects", doc.what], ["Why it matters", doc.why], ["Signals", doc.signals], ["False positives", doc.false_positives], ["Next steps", doc.next_steps]]) {
          if (text) d.append(el("p", {}, el("strong", { text: `${label}: ` }), document.createTextNode(text)));
        }
        li.append(d);
      }
      li.append(btn);
      return li;
    }),
    ...(moreBtn ? [moreBtn] : []),
  );
}
const FINDINGS_SHOWN = 40;

export function setStatus(text, kind = "") {
  const s = $("status");
  s.textContent = text;
  s.dataset.kind = kind;
}

/** One line per file while loading: name, bytes parsed and records read. */
function fileProgress(p) {
  const list = $("load-progress");
  if (p.index === 0 && p.phase === "reading") list.replaceChildren();
  list.hidden = false;
  let li = list.children[p.index];
  if (!li) {
    li = el("li", { testid: "load-progress-file" }, el("span", { cls: "lp-name" }, dataText(p.file)), el("progress", { attrs: { max: 1, value: 0 } }), el("span", { cls: "lp-text muted" }));
    list.append(li);
  }
  const [, bar, text] = li.children;
  if (p.phase === "reading") text.textContent = "reading…";
  else if (p.phase === "parsing") {
    bar.value = p.bytes ? p.done / p.bytes : 0;
    text.textContent = `${formatBytes(p.done || 0)} of ${formatBytes(p.bytes || 0)}, ${nf.format(p.records || 0)} records`;
  }
  for (let i = 0; i < p.index; i++) {
    const prev = list.children[i];
    if (prev && !prev.classList.contains("done")) {
      prev.classList.add("done");
      prev.children[1].value = 1;
      prev.children[2].textContent = "done";
    }
  }
}

export function showProgress(p) {
  const bar = $("progress");
  if (p.phase === "done") {
    bar.hidden = true;
    for (const li of $("load-progress").children) {
      li.classList.add("done");
      li.children[1].value = 1;
      li.children[2].textContent = "done";
    }
    setTimeout(() => ($("load-progress").hidden = true), 1500);
    return;
  }
  fileProgress(p);
  const verb = p.phase === "reading" ? "Reading" : "Parsing";
  let text = `${verb} ${p.index + 1}/${p.total}: ${p.file}`;
  if (p.records > 0) text += ` (${Math.floor((100 * p.done) / p.bytes)}%, ${nf.format(p.records)} records)`;
  setStatus(text, "busy");
  bar.hidden = false;
  bar.value = p.bytes ? (p.index + (p.done || 0) / p.bytes) / p.total : p.index / p.total;
}

export function render(summary, actions) {
  $("event-count").textContent = nf.format(summary.events);
  $("file-count").textContent = nf.format(summary.files.length);
  $("file-list").replaceChildren(
    ...summary.files.map((f, i) => {
      const card = fileCard(f);
      if (actions) {
        const bar = el("div", { cls: "file-actions" });
        if (f.format === "generic" || f.mapping?.length) {
          const note = f.mapping?.length ? `mapping: ${f.mapping.map((m) => `${m.field} ← ${m.column} (${m.by}, ${Math.round(m.confidence * 100)}%)`).join(", ")}` : "";
          if (note) card.append(el("p", { cls: "range", testid: "file-mapping-note" }, dataText(note)));
          bar.append(button("Column mapping…", () => actions.mapping(i, f), { cls: "button small ghost", testid: "file-mapping" }));
        }
        bar.append(button("Remove", () => actions.remove(i, f), { cls: "button small ghost", testid: "file-remove", attrs: { "aria-label": `Remove ${f.path}` } }));
        card.append(bar);
      }
      return card;
    }),
  );
  $("empty-files").hidden = summary.files.length > 0;
}

export function renderTable(table) {
  const t = $("stats-table");
  t.hidden = !table;
  if (!table) return;
  t.tHead.replaceChildren(el("tr", {}, ...table.columns.map((c) => el("th", { text: c }))));
  t.tBodies[0].replaceChildren(
    ...table.rows.map((r) => el("tr", {}, ...r.map((c) => el("td", { text: typeof c === "number" ? nf.format(c) : c ?? "", title: String(c ?? "").slice(0, 500) })))),
  );
}

/** Histogram stacked by outcome; drag across it to zoom into a time range, click a bar to filter to it. */
export function renderHistogram(h, setRange, analystEvents = () => []) {
  const box = $("histogram");
  if (!h || !h.success.length) {
    box.replaceChildren();
    return;
  }
  const n = h.success.length;
  const totals = h.success.map((s, i) => s + h.failure[i] + h.unknown[i]);
  const max = Math.max(1, ...totals);
  const bars = totals.map((c, i) => {
    const bar = el("div", { cls: "bar", testid: "histogram-bar" });
    bar.dataset.i = String(i);
    bar.title = `${formatMs(h.start_ms + i * h.bucket_ms, true)} (${h.bucket}): ${nf.format(c)} events, ${nf.format(h.failure[i])} failed`;
    for (const [cls, v] of [["failure", h.failure[i]], ["unknown", h.unknown[i]], ["success", h.success[i]]]) {
      if (!v) continue;
      const seg = el("div", { cls: `seg ${cls}` });
      seg.style.height = `${(100 * v) / max}%`;
      bar.append(seg);
    }
    return bar;
  });
  const plot = el("div", { cls: "bars" }, ...bars);
  // Analyst events as markers on the time axis.
  for (const a of analystEvents()) {
    const t = Date.parse(a.time);
    const f = (t - h.start_ms) / (n * h.bucket_ms);
    if (!(f >= 0 && f <= 1)) continue;
    const m = el("div", { cls: "analyst-marker", testid: "analyst-marker", title: `${formatMs(t, true)} · analyst: ${a.text}` });
    m.style.left = `${100 * f}%`;
    plot.append(m);
  }
  const brush = el("div", { cls: "brush", attrs: { "aria-hidden": "true" } });
  brush.hidden = true;
  plot.append(brush);
  const end = h.start_ms + n * h.bucket_ms;
  const legend = el(
    "p",
    { cls: "axis" },
    el("span", { text: formatMs(h.start_ms) }),
    el("span", { cls: "legend" }, el("i", { cls: "sw success" }), " success ", el("i", { cls: "sw failure" }), " failure ", el("i", { cls: "sw unknown" }), ` unknown · one bar = ${h.bucket} · ${zoneLabel()}`),
    el("span", { text: formatMs(end) }),
  );
  box.replaceChildren(plot, legend);

  // Keyboard: ←/→ move a cursor over the bars, shift extends it to a range, Enter filters to it.
  plot.tabIndex = 0;
  plot.setAttribute("role", "group");
  plot.setAttribute("aria-label", "Histogram: arrow keys choose a time bucket (shift for a range), Enter filters to it");
  let cur = -1;
  let anchor = -1;
  const mark = () => {
    const [a, b] = [Math.min(anchor, cur), Math.max(anchor, cur)];
    bars.forEach((bar, i) => bar.classList.toggle("cursor", i >= a && i <= b));
    plot.setAttribute("aria-valuetext", bars[cur]?.title ?? "");
    plot.title = bars[cur]?.title ?? "";
  };
  plot.addEventListener("keydown", (e) => {
    if (e.key === "ArrowLeft" || e.key === "ArrowRight") {
      e.preventDefault();
      if (cur < 0) cur = anchor = e.key === "ArrowLeft" ? n - 1 : 0;
      else cur = Math.max(0, Math.min(n - 1, cur + (e.key === "ArrowLeft" ? -1 : 1)));
      if (!e.shiftKey) anchor = cur;
      mark();
    } else if (e.key === "Enter" && cur >= 0) {
      e.preventDefault();
      const [a, b] = [Math.min(anchor, cur), Math.max(anchor, cur)];
      setRange(h.start_ms + a * h.bucket_ms, h.start_ms + (b + 1) * h.bucket_ms - 1);
    }
  });

  // Brush: pointer down, drag, up. A short drag is a click on a bar.
  const msAt = (x) => {
    const r = plot.getBoundingClientRect();
    const f = Math.min(1, Math.max(0, (x - r.left) / r.width));
    return h.start_ms + f * n * h.bucket_ms;
  };
  let x0 = null;
  plot.addEventListener("pointerdown", (e) => {
    if (e.button !== 0) return;
    x0 = e.clientX;
    plot.setPointerCapture(e.pointerId);
    e.preventDefault();
  });
  plot.addEventListener("pointermove", (e) => {
    if (x0 === null) return;
    const r = plot.getBoundingClientRect();
    const a = Math.min(x0, e.clientX) - r.left;
    const b = Math.max(x0, e.clientX) - r.left;
    brush.hidden = b - a < 3;
    brush.style.left = `${Math.max(0, a)}px`;
    brush.style.width = `${Math.min(r.width, b) - Math.max(0, a)}px`;
  });
  plot.addEventListener("pointerup", (e) => {
    if (x0 === null) return;
    const a = Math.min(x0, e.clientX);
    const b = Math.max(x0, e.clientX);
    x0 = null;
    brush.hidden = true;
    if (b - a >= 4) {
      setRange(msAt(a), msAt(b));
    } else {
      const r = plot.getBoundingClientRect();
      const i = Math.min(n - 1, Math.max(0, Math.floor(((a - r.left) / r.width) * n)));
      if (totals[i]) setRange(h.start_ms + i * h.bucket_ms, h.start_ms + (i + 1) * h.bucket_ms - 1);
    }
  });
}

export function renderFacets(facets, addTerm) {
  const box = $("facets");
  box.replaceChildren(
    ...facets
      .filter((f) => f.values.length)
      .map((f) => {
        const list = el("ol", {});
        for (const v of f.values) {
          const b = el("button", { cls: "facet-value", title: `Add ${f.field}:${quote(v.value)} (alt/shift/right-click: exclude)` }, dataText(v.value));
          b.type = "button";
          b.addEventListener("click", (e) => addTerm(f.field, v.value, e.shiftKey || e.altKey));
          b.addEventListener("contextmenu", (e) => {
            e.preventDefault();
            addTerm(f.field, v.value, true);
          });
          const ex = button("−", () => addTerm(f.field, v.value, true), { cls: "facet-exclude", testid: "facet-exclude", title: `Exclude ${f.field}:${quote(v.value)}`, attrs: { "aria-label": `Exclude ${f.field} ${v.value}` } });
          list.append(el("li", {}, b, el("span", { cls: "facet-count", text: nf.format(v.count) }), ex));
        }
        return el("section", { cls: "facet", testid: `facet-${f.field}` }, el("h3", { text: f.field }), list);
      }),
  );
}

