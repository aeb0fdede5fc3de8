// UI thread: renders and dispatches only. Everything heavy happens in the worker (worker.js).
// All data goes into the DOM as text (textContent / createElement), never as HTML.
import { WorkerClient } from "./rpc.js";
import { createWorker } from "./worker-factory.js";
import { $, button, dataText, download, el, loadJson, nf, quote, saveJson } from "./dom.js";
import { formatTime, getZone, setZone } from "./tz.js";
import { render, renderFacets, renderFindings, renderHistogram, renderTable, setStatus, showProgress } from "./panels.js";
import { COLUMNS, DEFAULT_COLUMNS, Grid } from "./grid.js";
import { renderContext, renderDetail } from "./detail.js";
import { CaseStore } from "./case.js";
import { filterPart, setupExport, setupReport } from "./report.js";

// ---- search, grid, detail, views --------------------------------------------------------------

const PAGE = 100;
const FIELDS = [
  "time", "action", "service", "category", "activity", "outcome", "failure_kind", "status_code", "reason", "actor",
  "actor_id", "actor_kind", "ip", "user_agent", "country", "target", "target_type", "target_id", "tenant", "region",
  "uid", "correlation", "format", "file", "raw.",
];
const TIME_TERM = /(^|\s)time:\[[^\]]*\]/g;

/** Parses "#q=…&view=…&tz=…&sort=…". */
function readHash() {
  const p = new URLSearchParams(location.hash.slice(1));
  return { q: p.get("q"), view: p.get("view"), tz: p.get("tz"), sort: p.get("sort") };
}

function main() {
  const client = new WorkerClient(createWorker());
  const store = new CaseStore();
  store.onStorageError = (msg) => setStatus(msg, "error");
  let busy = 0;
  let querySeq = 0;
  let debounce = 0;
  let historyTimer = 0;
  let view = "events";
  let sort = "time";
  let lastQuery = ""; // the query of the result on screen
  let lastFindings = [];
  let shaByFile = new Map();
  let loadedAny = false;
  let detailIndex = null;

  // Theme: auto (the system's) → light → dark.
  const THEMES = ["auto", "light", "dark"];
  const applyTheme = (t) => {
    if (t === "auto") delete document.documentElement.dataset.theme;
    else document.documentElement.dataset.theme = t;
    $("theme-toggle").textContent = `Theme: ${t}`;
  };
  let theme = loadJson("auditlens.theme", "auto");
  if (!THEMES.includes(theme)) theme = "auto";
  applyTheme(theme);
  $("theme-toggle").addEventListener("click", () => {
    theme = THEMES[(THEMES.indexOf(theme) + 1) % THEMES.length];
    saveJson("auditlens.theme", theme);
    applyTheme(theme);
  });

  const keyOf = (ev) => ev.key ?? `${shaByFile.get(ev.source?.file) ?? ev.source?.file}:${ev.source?.record}`;

  const grid = new Grid({
    scroller: $("results-scroll"),
    table: $("results"),
    fetchRows: ({ offset, limit }) => client.call("rows", { q: lastQuery, offset, limit, sort }),
    onOpen: (hit) => openDetail(hit.index),
    keyOf,
    isStarred: (k) => store.isStarred(k),
    onStar: (hit) => store.toggleStar(keyOf(hit.event)),
    onSort: (s) => {
      sort = s;
      grid.sort = s;
      runQuery();
    },
  });
  grid.setColumns(loadJson("auditlens.columns", DEFAULT_COLUMNS));

  // Column chooser.
  const colList = document.querySelector('[data-testid="columns"] .columns-list');
  for (const c of COLUMNS) {
    const cb = el("input", { attrs: { type: "checkbox", value: c.id } });
    cb.checked = grid.columns.includes(c.id);
    cb.addEventListener("change", () => {
      const ids = COLUMNS.map((x) => x.id).filter((id) => colList.querySelector(`input[value="${id}"]`).checked);
      grid.setColumns(ids.length ? ids : ["time"]);
      saveJson("auditlens.columns", grid.columns);
    });
    colList.append(el("label", { cls: "check menu-item", testid: `column-${c.id}` }, cb, el("span", { text: ` ${c.label}` })));
  }

  // ---- time zone ----
  const tzInput = $("timezone");
  const applyZone = (z, persist = true) => {
    try {
      setZone(z);
      tzInput.setCustomValidity("");
      tzInput.removeAttribute("aria-invalid");
      tzInput.value = getZone();
      if (persist) saveJson("auditlens.tz", getZone());
      grid.renderHead();
      grid.paint();
      if (loadedAny) runQuery();
      if (detailIndex !== null) openDetail(detailIndex);
      writeHash();
      return true;
    } catch (err) {
      tzInput.setCustomValidity(err.message);
      tzInput.setAttribute("aria-invalid", "true");
      tzInput.title = `Unknown time zone: ${err.message}`;
      return false;
    }
  };
  tzInput.addEventListener("change", () => applyZone(tzInput.value));
  tzInput.addEventListener("keydown", (e) => {
    if (e.key === "Enter") applyZone(tzInput.value);
  });

  // ---- URL hash ----
  function writeHash() {
    const p = new URLSearchParams();
    const q = $("query").value;
    if (q) p.set("q", q);
    if (view !== "events") p.set("view", view);
    if (getZone() !== "UTC") p.set("tz", getZone());
    if (sort !== "time") p.set("sort", sort);
    const h = p.toString();
    history.replaceState(null, "", h ? `#${h}` : location.pathname + location.search);
  }

  // ---- query ----
  async function runQuery() {
    const seq = ++querySeq;
    const q = $("query").value;
    writeHash();
    let result;
    try {
      result = await client.call("query", { q, offset: 0, limit: PAGE, options: { sort } });
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
      errBox.replaceChildren(el("span", { text: parts.join(" ") }));
      // The query with the offending part underlined (the core gives UTF-8 byte offsets).
      if (Number.isInteger(e.start) && Number.isInteger(e.end)) {
        const bytes = new TextEncoder().encode(q);
        const dec = new TextDecoder();
        const a = dec.decode(bytes.slice(0, e.start));
        const b = dec.decode(bytes.slice(e.start, Math.max(e.end, e.start)));
        const c = dec.decode(bytes.slice(Math.max(e.end, e.start)));
        errBox.append(el("code", { cls: "query-echo", testid: "query-error-mark" }, a, el("mark", { cls: "bad-part", text: b || " " }), c));
      }
      errBox.hidden = false;
      $("query").setAttribute("aria-invalid", "true");
      return;
    }
    errBox.hidden = true;
    $("query").removeAttribute("aria-invalid");
    lastQuery = q;
    $("result-count").textContent = `${nf.format(result.total)} ${result.total === 1 ? "match" : "matches"} · ${result.timing_ms.total_ms.toFixed(1)} ms`;
    $("result-count").dataset.total = String(result.total);
    // Counts every rendered result, so a test (or a person's tool) can tell a new answer from an
    // identical-looking one.
    $("result-count").dataset.seq = String(Number($("result-count").dataset.seq ?? 0) + 1);
    grid.reset({ total: result.table ? 0 : result.total, hits: result.hits });
    $("results-scroll").hidden = !!result.table || view !== "events";
    renderTable(result.table);
    renderHistogram(result.histogram, setRange, () => store.current.analyst_events);
    lastHistogram = result.histogram;
    renderFacets(result.facets ?? [], addTerm);

    $("zoom-reset").hidden = !q.match(TIME_TERM);
    if (view !== "events") renderView();
    clearTimeout(historyTimer);
    historyTimer = setTimeout(() => remember(q), 1500);
  }
  let lastFacets = [];
  let lastHistogram = null;

  function setQuery(q) {
    $("query").value = q;
    clearTimeout(debounce);
    runQuery();
  }

  function addTerm(field, value, exclude) {
    const input = $("query");
    const term = `${exclude ? "-" : ""}${field}:${quote(value)}`;
    const [head, ...pipe] = input.value.split(/(?=\|)/);
    setQuery([head.trim(), term].filter(Boolean).join(" ") + (pipe.length ? ` ${pipe.join("")}` : ""));
  }

  /** Replaces the query's time range term with [a, b] (ms). */
  function setRange(a, b) {
    const iso = (ms) => new Date(Math.round(ms)).toISOString();
    const [head, ...pipe] = $("query").value.split(/(?=\|)/);
    const rest = head.replace(TIME_TERM, " ").replace(/\s+/g, " ").trim();
    setQuery([rest, `time:[${iso(a)} TO ${iso(b)}]`].filter(Boolean).join(" ") + (pipe.length ? ` ${pipe.join("")}` : ""));
  }
  $("zoom-reset").addEventListener("click", () => {
    const [head, ...pipe] = $("query").value.split(/(?=\|)/);
    setQuery(head.replace(TIME_TERM, " ").replace(/\s+/g, " ").trim() + (pipe.length ? ` ${pipe.join("")}` : ""));
  });

  /** The query's time range, for the report's default window. */
  function timeRange() {
    const m = $("query").value.match(/time:\[\s*(\S+)\s+TO\s+(\S+)\s*\]/);
    return m ? { from: m[1], to: m[2] } : null;
  }

  // ---- history, saved queries, field chips, autocomplete ----
  function remember(q) {
    q = q.trim();
    if (!q) return;
    const h = loadJson("auditlens.history", []).filter((x) => x !== q);
    h.unshift(q);
    saveJson("auditlens.history", h.slice(0, 30));
    renderQueryLists();
  }
  function renderQueryLists() {
    const hist = loadJson("auditlens.history", []);
    $("query-history").replaceChildren(...hist.map((q) => el("li", {}, button(q, () => setQuery(q), { cls: "link" }))));
    $("saved-queries").replaceChildren(
      ...store.current.saved_queries.map((s) =>
        el(
          "li",
          { testid: "saved-query" },
          button(s.name, () => setQuery(s.query), { cls: "link", title: s.query }),
          button("×", () => store.removeQuery(s.name), { cls: "tag-remove", attrs: { "aria-label": `Delete saved query ${s.name}` } }),
        ),
      ),
    );
  }
  $("field-chips").replaceChildren(
    ...FIELDS.map((f) =>
      button(f.endsWith(".") ? `${f}…` : f, () => {
        const input = $("query");
        input.value = `${input.value.trimEnd()}${input.value.trim() ? " " : ""}${f}${f.endsWith(".") ? "" : ":"}`;
        input.focus();
      }, { cls: "chip" }),
    ),
  );
  $("save-query").addEventListener("click", () => {
    const q = $("query").value.trim();
    if (!q) return;
    const name = q.length > 60 ? `${q.slice(0, 57)}…` : q;
    store.saveQuery(name, q);
    setStatus(`Saved query "${name}".`, "ok");
  });

  const ac = $("autocomplete");
  let acItems = [];
  let acActive = -1;
  function tokenBeforeCaret() {
    const input = $("query");
    const before = input.value.slice(0, input.selectionStart ?? input.value.length);
    const m = before.match(/(-?)([A-Za-z_][\w.]*)(?::("?)([^\s"]*))?$/);
    return m ? { start: before.length - m[0].length + m[1].length, field: m[2], hasColon: before.endsWith(":") || m[0].includes(":"), value: m[4] ?? "" } : null;
  }
  function updateAutocomplete() {
    const t = tokenBeforeCaret();
    acItems = [];
    if (t && !t.hasColon && t.field.length >= 1) {
      acItems = FIELDS.filter((f) => f.startsWith(t.field.toLowerCase()) && f !== t.field).slice(0, 8).map((f) => ({ label: f, insert: f.endsWith(".") ? f : `${f}:` }));
    } else if (t && t.hasColon) {
      const facet = lastFacets.find((f) => f.field === t.field || (t.field === "user" && f.field === "actor"));
      if (facet) acItems = facet.values.filter((v) => v.value.toLowerCase().startsWith(t.value.toLowerCase()) && v.value !== t.value).slice(0, 8).map((v) => ({ label: `${t.field}:${v.value}`, insert: `${t.field}:${quote(v.value)} `, count: v.count }));
    }
    acActive = -1;
    ac.replaceChildren(
      ...acItems.map((it, i) => {
        const li = el("li", { attrs: { role: "option", id: `ac-${i}` } }, el("span", { text: it.label }), it.count ? el("span", { cls: "muted", text: ` ${nf.format(it.count)}` }) : null);
        li.addEventListener("mousedown", (e) => {
          e.preventDefault();
          acceptAutocomplete(i);
        });
        return li;
      }),
    );
    ac.hidden = !acItems.length;
    $("query").setAttribute("aria-expanded", String(!ac.hidden));
  }
  function acceptAutocomplete(i) {
    const it = acItems[i];
    const t = tokenBeforeCaret();
    if (!it || !t) return;
    const input = $("query");
    const caret = input.selectionStart ?? input.value.length;
    input.value = input.value.slice(0, t.start) + it.insert + input.value.slice(caret);
    const at = t.start + it.insert.length;
    input.setSelectionRange(at, at);
    closeAutocomplete();
    if (it.insert.endsWith(" ")) runQuery();
  }
  function closeAutocomplete() {
    ac.hidden = true;
    acItems = [];
    $("query").setAttribute("aria-expanded", "false");
    $("query").removeAttribute("aria-activedescendant");
  }

  $("query").addEventListener("input", () => {
    updateAutocomplete();
    clearTimeout(debounce);
    debounce = setTimeout(runQuery, 120);
  });
  $("query").addEventListener("blur", () => setTimeout(closeAutocomplete, 100));
  $("query").addEventListener("keydown", (e) => {
    if (!ac.hidden && acItems.length) {
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        acActive = (acActive + (e.key === "ArrowDown" ? 1 : -1) + acItems.length) % acItems.length;
        [...ac.children].forEach((li, i) => li.setAttribute("aria-selected", String(i === acActive)));
        $("query").setAttribute("aria-activedescendant", `ac-${acActive}`);
        return;
      }
      if ((e.key === "Tab" || e.key === "Enter") && acActive >= 0) {
        e.preventDefault();
        acceptAutocomplete(acActive);
        return;
      }
      if (e.key === "Escape") {
        e.preventDefault();
        e.stopPropagation();
        closeAutocomplete();
        return;
      }
    }
    if (e.key === "Escape") {
      // A search input clears itself on Esc; here Esc means "back to the results".
      e.preventDefault();
      $("results-scroll").focus();
      return;
    }
    if (e.key === "Enter") {
      closeAutocomplete();
      clearTimeout(debounce);
      runQuery();
      remember($("query").value);
    }
  });

  // ---- detail panel ----
  const detailBox = $("event-detail");
  let lastFocus = null;
  async function openDetail(index) {
    let d;
    try {
      d = await client.call("detail", { index });
    } catch (err) {
      setStatus(`Could not open the event: ${err.message}`, "error");
      return;
    }
    if (detailBox.hidden) lastFocus = document.activeElement;
    detailIndex = index;
    const ctxBox = renderDetail(detailBox, d, {
      store,
      keyOf,
      author: () => loadJson("auditlens.author", "analyst"),
      toggleStar: (ev) => store.toggleStar(keyOf(ev)),
      pivot: (field, value, exclude) => addTerm(field, value, exclude),
      close: closeDetail,
      context: async (share, windowMs, label) => {
        try {
          const res = await client.call("context", { index, windowMs, share, limit: 300 });
          renderContext(ctxBox, label, res, index, openDetail);
        } catch (err) {
          ctxBox.textContent = `Context failed: ${err.message}`;
        }
      },
    });
    detailBox.hidden = false;
    document.body.classList.add("detail-open");
    detailBox.dataset.index = String(index);
    detailBox.querySelector('[data-testid="detail-close"]')?.focus({ preventScroll: true });
  }
  function closeDetail() {
    detailBox.hidden = true;
    detailIndex = null;
    document.body.classList.remove("detail-open");
    (lastFocus && document.contains(lastFocus) ? lastFocus : $("results-scroll")).focus({ preventScroll: true });
  }
  store.onChange(() => {
    $("starred-count").textContent = nf.format(store.current.stars.length);
    grid.paint();
    renderQueryLists();
    if (detailIndex !== null && !detailBox.hidden) {
      // Re-render the annotations in place, keeping focus in the form being used.
      const active = document.activeElement?.dataset?.testid;
      openDetail(detailIndex).then(() => {
        if (active) detailBox.querySelector(`[data-testid="${active}"]`)?.focus({ preventScroll: true });
      });
    }
    if (view === "notes") renderView();
    if (lastHistogram) renderHistogram(lastHistogram, setRange, () => store.current.analyst_events);
  });

  // ---- views: events grid, lanes, sessions, starred & notes ----
  const panel = $("view-panel");
  for (const tab of document.querySelectorAll('[data-testid="views"] [role="tab"]')) {
    tab.addEventListener("click", () => setView(tab.dataset.view));
  }
  function setView(v) {
    view = v;
    for (const tab of document.querySelectorAll('[data-testid="views"] [role="tab"]')) tab.setAttribute("aria-selected", String(tab.dataset.view === v));
    $("results-scroll").hidden = v !== "events" || !$("stats-table").hidden;
    panel.hidden = v === "events";
    writeHash();
    if (v !== "events") renderView();
  }

  async function renderView() {
    const q = filterPart(lastQuery);
    try {
      if (view.startsWith("lanes:")) {
        const by = view.slice(6);
        const res = await client.call("lanes", { q, by, limit: 300 });
        if (res.error) throw new Error(res.error.message ?? res.error);
        const field = { actor: "actor", ip: "ip", target: "target" }[by];
        const rows = res.lanes.map((l) =>
          el(
            "tr",
            { testid: "lane" },
            el("td", {}, button("", () => { addTerm(field, l.key, false); setView("events"); }, { cls: "link" })),
            el("td", { cls: "num", text: nf.format(l.count) }),
            el("td", { cls: `num${l.failures ? " bad" : ""}`, text: nf.format(l.failures) }),
            el("td", { text: formatTime(l.first) }),
            el("td", { text: formatTime(l.last) }),
            el("td", { text: l.top_actions.map(([a, c]) => `${a} (${c})`).join(", ") }),
          ),
        );
        rows.forEach((tr, i) => tr.querySelector("button").append(dataText(res.lanes[i].key)));
        lanePlot(res.lanes);
        panel.replaceChildren(
          el("p", { cls: "muted", text: `${nf.format(res.total)} ${by === "ip" ? "IPs" : `${by}s`} in the result · click one to filter` }),
          el("table", { cls: "view-table", testid: "lanes" }, el("thead", {}, el("tr", {}, ...[by, "events", "failed", "first", "last", "top actions"].map((h) => el("th", { text: h })))), el("tbody", {}, ...rows)),
        );
      } else if (view === "sessions") {
        const res = await client.call("sessions", { q, limit: 300 });
        if (res.error) throw new Error(res.error.message ?? res.error);
        const rows = res.sessions.map((s) => {
          const b = button("", () => { setQuery(`actor:${quote(s.actor)} time:[${s.start} TO ${s.end}]`); setView("events"); }, { cls: "link" });
          b.append(dataText(s.actor));
          return el(
            "tr",
            { testid: "session" },
            el("td", {}, b),
            el("td", { text: formatTime(s.start) }),
            el("td", { text: `${Math.round(s.duration_s / 60)} min` }),
            el("td", { cls: "num", text: nf.format(s.count) }),
            el("td", { cls: `num${s.failures ? " bad" : ""}`, text: nf.format(s.failures) }),
            el("td", { text: s.ips.join(", ") }),
            el("td", { text: `${s.login ? "login" : "—"} → ${s.logout ? "logout" : "…"}` }),
          );
        });
        panel.replaceChildren(
          el("p", { cls: "muted", text: `${nf.format(res.total)} sessions (login → actions → logout, or a 30-minute pause) · click one to see its events` }),
          el("table", { cls: "view-table", testid: "sessions" }, el("thead", {}, el("tr", {}, ...["actor", "start", "duration", "events", "failed", "IPs", "shape"].map((h) => el("th", { text: h })))), el("tbody", {}, ...rows)),
        );
      } else if (view === "notes") {
        await renderNotes();
      }
    } catch (err) {
      panel.replaceChildren(el("p", { cls: "query-error", text: err.message }));
    }
  }

  /** Lanes as horizontal spans over the result's time range (first → last, failures in red). */
  function lanePlot(lanes) {
    if (!lanes.length) return;
    const t = lanes.flatMap((l) => [Date.parse(l.first), Date.parse(l.last)]);
    const lo = Math.min(...t);
    const hi = Math.max(...t) || lo + 1;
    const span = Math.max(1, hi - lo);
    const plot = el("div", { cls: "lane-plot", testid: "lane-plot" });
    for (const l of lanes.slice(0, 25)) {
      const bar = el("div", { cls: "lane-bar", title: `${l.key}: ${l.count} events, ${l.failures} failed, ${formatTime(l.first)} → ${formatTime(l.last)}` });
      // The red share of the bar is the share of failed events.
      const pct = Math.round((100 * l.failures) / Math.max(1, l.count));
      if (pct) bar.style.background = `linear-gradient(90deg, #d9534f ${pct}%, #5b8def ${pct}%)`;
      bar.style.left = `${(100 * (Date.parse(l.first) - lo)) / span}%`;
      bar.style.width = `${Math.max(0.6, (100 * (Date.parse(l.last) - Date.parse(l.first))) / span)}%`;
      plot.append(el("div", { cls: "lane-row" }, el("span", { cls: "lane-key" }, dataText(l.key)), el("div", { cls: "lane-track" }, bar)));
    }
    queueMicrotask(() => panel.prepend(plot));
  }

  async function renderNotes() {
    const c = store.current;
    const keys = store.annotatedKeys();
    let events = [];
    let note = "";
    if (keys.length) {
      try {
        events = await client.call("eventsByKeys", { keys });
      } catch (err) {
        note = `Annotated events cannot be listed by this engine build (${err.message}); ${keys.length} annotations are kept in the case.`;
      }
    }
    const items = [
      ...events.map((h) => ({ time: h.event.time, ev: h.event, index: h.index })),
      ...c.analyst_events.map((a) => ({ time: a.time, analyst: a })),
    ].sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
    const list = el("ol", { cls: "notes-list", testid: "notes-list" });
    for (const it of items) {
      if (it.analyst) {
        list.append(
          el(
            "li",
            { cls: "note analyst", testid: "analyst-event" },
            el("span", { cls: "mini-time", text: formatTime(it.analyst.time) }),
            el("span", { cls: "badge", text: "analyst" }),
            el("span", { text: ` ${it.analyst.text}` }),
            el("span", { cls: "muted", text: ` — ${it.analyst.author}` }),
            button("×", () => store.removeAnalystEvent(it.analyst.id), { cls: "tag-remove", attrs: { "aria-label": "Delete analyst event" } }),
          ),
        );
        continue;
      }
      const ev = it.ev;
      const key = keyOf(ev);
      const b = el("button", { cls: "link" }, dataText(`${ev.action} · ${ev.actor?.name || ev.actor?.id || ""}`));
      b.type = "button";
      b.addEventListener("click", () => openDetail(it.index));
      list.append(
        el(
          "li",
          { cls: `note outcome-${ev.outcome}`, testid: "noted-event" },
          el("span", { cls: "mini-time", text: formatTime(ev.time) }),
          el("span", { text: store.isStarred(key) ? "★ " : "" }),
          b,
          ...store.tags(key).map((t) => el("span", { cls: "tag", text: t })),
          ...store.comments(key).map((cm) => el("p", { cls: "comment-text", text: `${cm.author}: ${cm.text}` })),
        ),
      );
    }
    const time = el("input", { testid: "analyst-time", attrs: { placeholder: "2026-03-01T10:00:00Z", "aria-label": "Analyst event time (RFC 3339)", required: true } });
    const selHit = grid.hitAt(grid.selected);
    time.value = selHit?.event.time ?? new Date().toISOString();
    const text = el("input", { testid: "analyst-text", attrs: { placeholder: "what happened (e.g. user confirmed phishing mail)", "aria-label": "Analyst event text", required: true, maxlength: 2000 } });
    const form = el("form", { cls: "inline-form analyst-form", testid: "analyst-form" }, time, text, el("button", { cls: "button small", text: "Add analyst event", testid: "analyst-add", attrs: { type: "submit" } }));
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const t = Date.parse(time.value.trim());
      if (Number.isNaN(t) || !text.value.trim()) {
        time.setCustomValidity(Number.isNaN(t) ? "expected a time such as 2026-03-01T10:00:00Z" : "");
        time.reportValidity();
        return;
      }
      store.addAnalystEvent(new Date(t).toISOString(), text.value, loadJson("auditlens.author", "analyst"));
    });
    panel.replaceChildren(
      el("p", { cls: "muted", text: `${nf.format(c.stars.length)} starred · ${nf.format(Object.keys(c.tags).length)} tagged · ${nf.format(Object.keys(c.comments).length)} commented · ${nf.format(c.analyst_events.length)} analyst events · kept in this browser for these files` }),
      ...(note ? [el("p", { cls: "query-error", text: note })] : []),
      form,
      list,
    );
  }

  // ---- keyboard ----
  document.addEventListener("keydown", (e) => {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
    const t = e.target;
    const typing = t instanceof HTMLElement && (t.matches("input, textarea, select") || t.isContentEditable);
    if (document.querySelector("dialog[open]")) return; // a dialog handles its own keys (Esc closes it)
    if (e.key === "Escape") {
      if (!detailBox.hidden) {
        e.preventDefault();
        closeDetail();
      } else if (t === $("query")) {
        $("results-scroll").focus();
      }
      return;
    }
    if (typing) return;
    if (e.key === "?") {
      e.preventDefault();
      const sheet = $("cheatsheet");
      sheet.open = true;
      sheet.querySelector("summary").focus();
      sheet.scrollIntoView({ block: "nearest" });
    } else if (e.key === "/") {
      e.preventDefault();
      $("query").focus();
      $("query").select();
    } else if (e.key === "j" || e.key === "k" || ((e.key === "ArrowDown" || e.key === "ArrowUp") && t === $("results-scroll"))) {
      if (view !== "events") return;
      e.preventDefault();
      grid.move(e.key === "j" || e.key === "ArrowDown" ? 1 : -1);
      if (!detailBox.hidden) grid.selectedHit().then((h) => h && openDetail(h.index));
    } else if (e.key === "Enter" && !(t instanceof HTMLButtonElement) && !(t instanceof HTMLAnchorElement) && !(t instanceof HTMLElement && t.closest("summary"))) {
      if (view !== "events") return;
      e.preventDefault();
      grid.selectedHit().then((h) => h && openDetail(h.index));
    } else if (e.key === "s") {
      e.preventDefault();
      grid.selectedHit().then((h) => {
        if (!h) return;
        const on = store.toggleStar(keyOf(h.event));
        setStatus(on ? "Starred the selected event." : "Removed the star.", "ok");
      });
    }
  });

  // Menus close when something else is clicked.
  document.addEventListener("click", (e) => {
    for (const m of document.querySelectorAll("details.menu[open]")) if (!m.contains(e.target)) m.open = false;
  });

  // ---- findings, Sigma rules, thresholds ----
  let sigmaRules = []; // [name, yaml] pairs loaded in this page session
  const detectConfig = () => {
    const c = store.current.detect_config;
    return c && typeof c === "object" && Object.keys(c).length ? c : undefined;
  };
  async function runDetections() {
    try {
      const result = await client.call("detect", { config: detectConfig(), sigma: sigmaRules.length ? sigmaRules : undefined });
      const sigmaCount = sigmaRules.length;
      if (sigmaCount) {
        const bad = result.sigma_unsupported ?? [];
        $("sigma-status").textContent = `${sigmaCount} Sigma file${sigmaCount === 1 ? "" : "s"} loaded; ${bad.length} rule${bad.length === 1 ? "" : "s"} not supported.`;
        $("sigma-unsupported").replaceChildren(...bad.map(([name, title, why]) => el("li", {}, dataText(`${name}: ${title} — ${why}`))));
      }
      if (result.error) {
        $("thresholds-error").textContent = result.error;
        $("thresholds-error").hidden = false;
        throw new Error(result.error);
      }
      lastFindings = result.findings;
      renderFindings(result, (q) => {
        setView("events");
        setQuery(q);
        $("query").scrollIntoView({ block: "start" });
      });
    } catch (err) {
      setStatus(`Detections failed: ${err.message}`, "error");
    }
  }

  $("sigma-input").addEventListener("change", async () => {
    const files = [...$("sigma-input").files];
    $("sigma-input").value = "";
    if (!files.length) return;
    sigmaRules = [...sigmaRules.filter(([n]) => !files.some((f) => f.name === n)), ...(await Promise.all(files.map(async (f) => [f.name, await f.text()])))];
    runDetections();
  });
  $("thresholds-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const err = $("thresholds-error");
    const text = $("thresholds").value.trim();
    let cfg = {};
    try {
      cfg = text ? JSON.parse(text) : {};
      if (!cfg || typeof cfg !== "object" || Array.isArray(cfg)) throw new Error("expected a JSON object");
    } catch (ex) {
      err.textContent = `Not valid: ${ex.message}`;
      err.hidden = false;
      return;
    }
    err.hidden = true;
    store.setDetectConfig(cfg);
    runDetections();
  });
  const showThresholds = () => {
    const c = detectConfig();
    if (document.activeElement !== $("thresholds")) $("thresholds").value = c ? JSON.stringify(c, null, 1) : "";
  };
  store.onChange(showThresholds);

  // ---- case save / load / merge ----
  $("case-save").addEventListener("click", () => {
    const c = store.current;
    download(`${(c.title || "investigation").replace(/[^\w.-]+/g, "_").slice(0, 60)}.auditlens-case.json`, store.exportText(), "application/json");
  });
  $("case-save-portable").addEventListener("click", async () => {
    const c = store.current;
    try {
      setStatus("Packing the loaded files into the case file…", "busy");
      const text = await client.call("caseEmbedAll", { caseText: store.exportText() });
      download(`${(c.title || "investigation").replace(/[^\w.-]+/g, "_").slice(0, 60)}.auditlens-case.json`, text, "application/json");
      setStatus("Saved the case with its files.", "ok");
    } catch (err) {
      setStatus(`Could not save the case with its files: ${err.message}`, "error");
    }
  });
  for (const [btn, input, merge] of [["case-load", "case-load-input", false], ["case-merge", "case-merge-input", true]]) {
    $(btn).addEventListener("click", () => $(input).click());
    $(input).addEventListener("change", async () => {
      const file = $(input).files[0];
      $(input).value = "";
      if (!file) return;
      try {
        const text = await file.text();
        let incoming;
        if (merge) {
          // The core's merge: both analysts' stars, tags, comments, analyst events, saved queries and
          // notes are kept (an analyst event with the same id but other text is kept as id~2).
          const merged = await client.call("caseMerge", { a: store.exportText(), b: text });
          store.importText(merged, false);
          incoming = JSON.parse(text);
        } else {
          incoming = store.importText(text, false);
        }
        // A portable case carries its files: load those not loaded yet (verified by SHA-256).
        if (Array.isArray(incoming.embedded) && incoming.embedded.length) {
          await run("loadCaseFiles", { caseText: text }, `Loading the files carried in ${file.name}…`);
          if ($("status").dataset.kind === "error") return; // run() said what failed
        }
        const missing = store.missingFiles(incoming);
        const warn = missing.length ? ` It expects ${missing.length} file(s) that are not loaded: ${missing.map((f) => f.name).join(", ")}.` : "";
        setStatus(`${merge ? "Merged" : "Loaded"} case file ${file.name}.${warn}`, missing.length ? "error" : "ok");
      } catch (err) {
        setStatus(`Could not read the case file: ${err.message}`, "error");
      }
    });
  }

  // ---- report and export ----
  setupExport({ client, currentQuery: () => lastQuery, setStatus });
  setupReport({
    client,
    store,
    currentQuery: () => lastQuery,
    timeRange,
    findings: () => [...new Map(lastFindings.map((f) => [f.rule, f])).values()],
    detect: () => ({ detectConfig: detectConfig(), sigma: sigmaRules.length ? sigmaRules : undefined }),
    starredCount: () => store.current.stars.length,
  });

  // ---- loading ----
  async function run(method, args, label) {
    busy++;
    document.body.classList.add("busy");
    setStatus(label, "busy");
    try {
      const { loaded, summary } = await client.call(method, args, { onProgress: showProgress });
      afterLoad(summary);
      const events = loaded.reduce((n, f) => n + f.loaded, 0);
      setStatus(
        method === "remove" || method === "remap"
          ? `${summary.files.length} file${summary.files.length === 1 ? "" : "s"}, ${nf.format(summary.events)} events.`
          : `Loaded ${loaded.length} file${loaded.length === 1 ? "" : "s"}, ${nf.format(events)} events.`,
        "ok",
      );
    } catch (err) {
      setStatus(`Could not load: ${err.message}`, "error");
      // Files loaded before the failure are still in the session: show them.
      client.call("summary").then(afterLoad, () => {});
    } finally {
      $("progress").hidden = true;
      if (--busy === 0) document.body.classList.remove("busy");
    }
  }

  const fileActions = {
    remove: (index, f) => run("remove", { index }, `Removing ${f.path}…`),
    mapping: (index, f) => openMapping(index, f),
  };

  // ---- column mapping for unrecognised JSON/CSV ----
  const MAP_FIELDS = ["time", "action", "actor", "actor_id", "src_ip", "user_agent", "target", "outcome", "uid"];
  const mappingKey = (f) => `${f.path}:${f.size}`;
  /** A record's members as dotted paths (two levels) with their text. */
  function flatten(obj, prefix = "", out = {}, depth = 0) {
    for (const [k, v] of Object.entries(obj ?? {})) {
      const p = prefix ? `${prefix}.${k}` : k;
      if (v && typeof v === "object" && !Array.isArray(v) && depth < 1) flatten(v, p, out, depth + 1);
      else out[p] = typeof v === "string" ? v : JSON.stringify(v);
    }
    return out;
  }
  async function openMapping(index, f) {
    const dialog = $("mapping-dialog");
    const res = await client.call("query", { q: `file:${quote(f.path)}`, offset: 0, limit: 5, options: { facets: false, histogram: false, highlights: false } });
    const records = [];
    for (const h of res.hits ?? []) {
      const d = await client.call("detail", { index: h.index });
      try {
        records.push(flatten(JSON.parse(d.doc ?? d.original)));
      } catch {
        // not JSON: nothing to map from this record
      }
    }
    const columns = [...new Set(records.flatMap((r) => Object.keys(r)))];
    const chosen = Object.fromEntries((f.mapping ?? []).map((m) => [m.field, m.column]));
    const selects = {};
    const rows = MAP_FIELDS.map((field) => {
      const sel = el("select", { testid: `map-${field}`, attrs: { "aria-label": `Column for ${field}` } }, el("option", { text: "(none)", attrs: { value: "" } }));
      for (const c of columns) sel.append(el("option", { text: c, attrs: { value: c } }));
      sel.value = chosen[field] ?? "";
      selects[field] = sel;
      const conf = (f.mapping ?? []).find((m) => m.field === field);
      return el("tr", {}, el("th", { text: field }), el("td", {}, sel), el("td", { cls: "muted", text: conf ? `${conf.by}, ${Math.round(conf.confidence * 100)}%` : "" }));
    });
    const preview = el("table", { cls: "view-table", testid: "mapping-preview" });
    const renderPreview = () => {
      const used = MAP_FIELDS.filter((k) => selects[k].value);
      preview.replaceChildren(
        el("thead", {}, el("tr", {}, ...used.map((k) => el("th", { text: k })))),
        el("tbody", {}, ...records.map((r) => el("tr", {}, ...used.map((k) => el("td", {}, dataText(r[selects[k].value] ?? "")))))),
      );
    };
    for (const sel of Object.values(selects)) sel.addEventListener("change", renderPreview);
    renderPreview();
    const apply = button("Apply and reload the file", async () => {
      const mapping = Object.fromEntries(MAP_FIELDS.filter((k) => selects[k].value).map((k) => [k, selects[k].value]));
      const all = loadJson("auditlens.mappings", {});
      all[mappingKey(f)] = mapping;
      saveJson("auditlens.mappings", all);
      dialog.close();
      await run("remap", { index, mapping }, `Loading ${f.path} with the new mapping…`);
    }, { testid: "mapping-apply" });
    dialog.replaceChildren(
      el(
        "div",
        { cls: "mapping-body" },
        el("h2", {}, dataText(`Column mapping: ${f.path}`)),
        el("p", { cls: "muted", text: "Which column holds each field; the first records show what the choice gives. The mapping is remembered for this file in this browser." }),
        el("table", { cls: "view-table mapping-table" }, el("tbody", {}, ...rows)),
        el("h3", { text: "Preview" }),
        preview,
        el("div", { cls: "report-actions" }, apply, button("Cancel", () => dialog.close(), { cls: "button ghost", testid: "mapping-cancel" })),
      ),
    );
    dialog.showModal();
  }

  function afterLoad(summary) {
    render(summary, fileActions);
    shaByFile = new Map(summary.files.map((f) => [f.path, f.sha256]));
    store.setFiles(summary.files);
    loadedAny = summary.files.length > 0;
    document.body.classList.toggle("has-data", loadedAny);
    runQuery();
    runDetections();
    // Value suggestions: the top values over all events.
    client.call("facets").then((f) => (lastFacets = f), () => {});
  }

  const loadFiles = (fileList) => {
    const files = [...fileList];
    // A column mapping chosen earlier for the same file (name and size) applies again.
    const saved = loadJson("auditlens.mappings", {});
    const options = files.map((f) => (saved[`${f.name}:${f.size}`] ? { mapping: saved[`${f.name}:${f.size}`] } : undefined));
    if (files.length) run("load", { files, options }, `Loading ${files.length} file${files.length === 1 ? "" : "s"}…`);
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
  $("load-folder").addEventListener("click", () => $("folder-input").click());
  $("folder-input").addEventListener("change", () => {
    // Hidden files (.DS_Store, .git/…) are not audit logs.
    loadFiles([...$("folder-input").files].filter((f) => !(f.webkitRelativePath || f.name).split("/").some((p) => p.startsWith("."))));
    $("folder-input").value = "";
  });

  // ---- start: state from the URL hash (then the stored zone) ----
  const h = readHash();
  if (h.q) $("query").value = h.q;
  if (h.sort) sort = grid.sort = h.sort;
  applyZone(h.tz || loadJson("auditlens.tz", "UTC"), false);
  setView(h.view && /^(events|lanes:(actor|ip|target)|sessions|notes)$/.test(h.view) ? h.view : "events");
  renderQueryLists();

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
