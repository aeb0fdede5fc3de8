// The results grid: a virtualized table. Only the rows in view (plus a margin) are in the DOM; rows
// come from the worker a window at a time as the grid scrolls, so a million matches scroll like ten.
import { dataText, el, nf } from "./dom.js";
import { formatTime, zoneLabel } from "./tz.js";

export const ROW = 28; // px, fixed: the scroll position says which rows are in view
const OVERSCAN = 40;
// Browsers cap an element's height (~33M px in Chrome); past this the scrollbar maps proportionally.
const MAX_HEIGHT = 12_000_000;

const actorPath = (ev) => (ev.actor?.name ? "actor.name" : "actor.id");
const firstTarget = (ev) => ev.targets?.[0];

/** Every column the grid can show: label, how to read it from an event, its highlight path and sort key. */
export const COLUMNS = [
  { id: "time", label: "time", sort: "time", get: (ev) => formatTime(ev.time), title: (ev) => `${ev.time} (UTC) · as written: ${ev.time_raw ?? ""}` },
  { id: "outcome", label: "outcome", sort: "outcome", get: (ev) => ev.outcome, hl: () => "outcome" },
  { id: "action", label: "action", sort: "action", get: (ev) => ev.action, hl: () => "action" },
  { id: "actor", label: "actor", sort: "actor", get: (ev) => ev.actor?.name || ev.actor?.id, hl: actorPath },
  { id: "ip", label: "source IP", sort: "ip", get: (ev) => ev.src_ip || ev.src_raw, hl: (ev) => (ev.src_ip ? "src_ip" : "src_raw") },
  {
    id: "target",
    label: "target",
    get: (ev) => firstTarget(ev)?.name || firstTarget(ev)?.id,
    hl: (ev) => (firstTarget(ev)?.name ? "targets.0.name" : "targets.0.id"),
    title: (ev) => (ev.targets ?? []).map((t) => [t.type, t.name || t.id].filter(Boolean).join(" ")).join("\n"),
  },
  { id: "format", label: "format", sort: "format", get: (ev) => ev.source?.format },
  { id: "service", label: "service", sort: "service", get: (ev) => ev.service, hl: () => "service" },
  { id: "category", label: "category", sort: "category", get: (ev) => ev.category },
  { id: "activity", label: "activity", sort: "activity", get: (ev) => ev.activity },
  { id: "ua", label: "user agent", sort: "user_agent", get: (ev) => ev.user_agent, hl: () => "user_agent" },
  { id: "country", label: "country", sort: "country", get: (ev) => ev.country, hl: () => "country" },
  { id: "tenant", label: "tenant", sort: "tenant", get: (ev) => ev.tenant, hl: () => "tenant" },
  { id: "region", label: "region", sort: "region", get: (ev) => ev.region, hl: () => "region" },
  { id: "reason", label: "reason", sort: "reason", get: (ev) => ev.reason, hl: () => "reason" },
  { id: "file", label: "file", sort: "file", get: (ev) => ev.source?.file },
  { id: "uid", label: "event id", get: (ev) => ev.uid, hl: () => "uid" },
];
export const DEFAULT_COLUMNS = ["time", "outcome", "action", "actor", "ip", "target", "format"];

export class Grid {
  /**
   * @param {object} o
   * @param {HTMLElement} o.scroller  the scrolling box
   * @param {HTMLTableElement} o.table
   * @param {(q: object) => Promise<object>} o.fetchRows  ({offset, limit}) => query result page
   * @param {(hit: object, row: number) => void} o.onOpen
   * @param {(ev: object) => string} o.keyOf
   * @param {(key: string) => boolean} o.isStarred
   * @param {(hit: object) => void} o.onStar
   * @param {(sort: string) => void} o.onSort
   */
  constructor(o) {
    Object.assign(this, o);
    this.columns = [...DEFAULT_COLUMNS];
    this.total = 0;
    this.rows = new Map(); // row number -> hit
    this.gen = 0;
    this.selected = -1;
    this.sort = "time";
    this.pending = null; // the window being fetched
    this.frame = 0;
    this.scroller.addEventListener("scroll", () => this.schedule());
    new ResizeObserver(() => this.schedule()).observe(this.scroller);
  }

  /** A new result: its total and first page of hits. */
  reset({ total, hits, offset = 0 }) {
    this.gen++;
    this.total = total;
    this.rows.clear();
    hits.forEach((h, i) => this.rows.set(offset + i, h));
    this.selected = total ? 0 : -1;
    this.scroller.scrollTop = 0;
    this.table.setAttribute("aria-rowcount", String(total + 1));
    this.renderHead();
    this.paint();
  }

  setColumns(ids) {
    this.columns = ids.filter((id) => COLUMNS.some((c) => c.id === id));
    this.renderHead();
    this.paint();
  }

  renderHead() {
    const cols = this.columns.map((id) => COLUMNS.find((c) => c.id === id));
    const ths = [el("th", { cls: "col-star", attrs: { scope: "col", "aria-label": "starred" } }, "★")];
    for (const c of cols) {
      const label = c.id === "time" ? `time (${zoneLabel()})` : c.label;
      const th = el("th", { cls: `col-${c.id}`, attrs: { scope: "col" } });
      if (c.sort) {
        const dir = this.sort === c.sort ? "ascending" : this.sort === `-${c.sort}` ? "descending" : null;
        const b = el("button", { cls: "th-sort", text: label, title: `Sort by ${c.label}` });
        b.type = "button";
        b.append(el("span", { cls: "sort-mark", text: dir === "ascending" ? " ▲" : dir === "descending" ? " ▼" : "", attrs: { "aria-hidden": "true" } }));
        b.addEventListener("click", () => this.onSort(this.sort === c.sort ? `-${c.sort}` : c.sort));
        if (dir) th.setAttribute("aria-sort", dir);
        th.append(b);
      } else th.textContent = label;
      ths.push(th);
    }
    this.table.tHead.replaceChildren(el("tr", {}, ...ths));
  }

  schedule() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.paint();
    });
  }

  get scaled() {
    return this.total * ROW > MAX_HEIGHT;
  }

  /** Rows [first, first+count) that are in view. */
  window() {
    const head = this.table.tHead.offsetHeight || ROW;
    const viewH = Math.max(ROW, this.scroller.clientHeight - head);
    const count = Math.ceil(viewH / ROW) + 1;
    const top = this.scroller.scrollTop;
    let first;
    if (!this.scaled) first = Math.floor(top / ROW);
    else {
      const virtual = MAX_HEIGHT;
      const frac = Math.min(1, top / Math.max(1, virtual - viewH));
      first = Math.floor(frac * Math.max(0, this.total - count + 1));
    }
    first = Math.max(0, Math.min(first, Math.max(0, this.total - 1)));
    return { first, count: Math.min(count, this.total - first), viewH };
  }

  paint() {
    const body = this.table.tBodies[0];
    const ncol = this.columns.length + 1;
    if (!this.total) {
      body.replaceChildren();
      return;
    }
    const { first, count } = this.window();
    const virtual = this.scaled ? MAX_HEIGHT : this.total * ROW;
    const topPad = this.scaled ? this.scroller.scrollTop : first * ROW;
    const bottomPad = Math.max(0, virtual - topPad - count * ROW);
    const spacer = (h) => {
      const tr = el("tr", { cls: "spacer", attrs: { "aria-hidden": "true" } }, el("td", { attrs: { colspan: ncol } }));
      tr.style.height = `${h}px`;
      return tr;
    };
    const trs = [spacer(topPad)];
    let missing = false;
    for (let r = first; r < first + count; r++) {
      const hit = this.rows.get(r);
      if (!hit) missing = true;
      trs.push(this.rowEl(r, hit));
    }
    trs.push(spacer(bottomPad));
    body.replaceChildren(...trs);
    if (missing) this.fetch(first, count);
  }

  async fetch(first, count) {
    const offset = Math.max(0, first - OVERSCAN);
    const limit = count + 2 * OVERSCAN;
    const want = `${this.gen}:${offset}:${limit}`;
    if (this.pending === want) return;
    this.pending = want;
    const gen = this.gen;
    let res;
    try {
      res = await this.fetchRows({ offset, limit });
    } catch {
      if (this.pending === want) this.pending = null;
      return;
    }
    if (this.pending === want) this.pending = null;
    if (gen !== this.gen || !res || res.stale || res.error) return;
    if (this.rows.size > 20_000) this.rows.clear();
    res.hits.forEach((h, i) => this.rows.set(offset + i, h));
    this.paint();
  }

  rowEl(r, hit) {
    const tr = el("tr", { testid: hit ? "result-row" : undefined, cls: "row", attrs: { "aria-rowindex": r + 2 } });
    tr.dataset.row = String(r);
    if (r === this.selected) {
      tr.classList.add("selected");
      tr.setAttribute("aria-selected", "true");
    }
    if (!hit) {
      tr.classList.add("loading");
      tr.append(el("td", { attrs: { colspan: this.columns.length + 1 }, text: "…" }));
      return tr;
    }
    const ev = hit.event;
    tr.classList.add(`outcome-${ev.outcome}`);
    const key = this.keyOf(ev);
    const starred = this.isStarred(key);
    const star = el("button", {
      cls: `star${starred ? " on" : ""}`,
      text: starred ? "★" : "☆",
      testid: "star",
      attrs: { "aria-pressed": String(starred), "aria-label": starred ? "Unstar event" : "Star event", tabindex: -1 },
    });
    star.type = "button";
    star.addEventListener("click", (e) => {
      e.stopPropagation();
      this.onStar(hit);
    });
    tr.append(el("td", { cls: "col-star" }, star));
    for (const id of this.columns) {
      const c = COLUMNS.find((x) => x.id === id);
      const text = c.get(ev) ?? "";
      const td = el("td", { cls: `col-${c.id}` });
      if (c.id === "outcome") {
        td.classList.add("outcome", ev.outcome);
      }
      td.append(dataText(text, c.hl ? hit.highlights?.[c.hl(ev)] : null));
      const title = c.title ? c.title(ev) : text;
      if (title) td.title = String(title).slice(0, 2000);
      tr.append(td);
    }
    tr.addEventListener("click", () => {
      this.select(r);
      this.onOpen(hit, r);
    });
    return tr;
  }

  hitAt(r) {
    return this.rows.get(r);
  }

  select(r) {
    if (!this.total) return;
    this.selected = Math.max(0, Math.min(r, this.total - 1));
    this.ensureVisible(this.selected);
    this.paint();
  }

  move(delta) {
    this.select((this.selected < 0 ? 0 : this.selected) + delta);
  }

  ensureVisible(r) {
    const head = this.table.tHead.offsetHeight || ROW;
    const viewH = this.scroller.clientHeight - head;
    if (this.scaled) {
      const { count } = this.window();
      this.scroller.scrollTop = (r / Math.max(1, this.total - count + 1)) * (MAX_HEIGHT - viewH);
      return;
    }
    const top = r * ROW;
    if (top < this.scroller.scrollTop) this.scroller.scrollTop = top;
    else if (top + ROW > this.scroller.scrollTop + viewH) this.scroller.scrollTop = top + ROW - viewH;
  }

  /** Waits for the selected row's hit (it may still be on its way from the worker). */
  async selectedHit() {
    for (let i = 0; i < 50; i++) {
      const h = this.rows.get(this.selected);
      if (h) return h;
      await new Promise((r) => setTimeout(r, 20));
    }
    return null;
  }

  describe() {
    return `${nf.format(this.total)} rows`;
  }
}
