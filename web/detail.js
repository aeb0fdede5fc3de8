// The detail panel: one event's normalized fields (each a pivot), its annotations, first-seen
// markers, entity context, the before/after diff and the original record exactly as in the file.
import { button, copyText, dataText, el, hasInvisible, nf, visible } from "./dom.js";
import { formatTime, zoneLabel } from "./tz.js";

/** [label, query field or null, value] rows of an event. */
function fieldRows(ev) {
  const rows = [
    ["time", null, `${formatTime(ev.time, true)}`],
    ["time (UTC)", null, ev.time],
    ["time as written", null, ev.time_raw],
    ["action", "action", ev.action],
    ["service", "service", ev.service],
    ["category", "category", ev.category],
    ["activity", "activity", ev.activity],
    ["outcome", "outcome", ev.outcome],
    ["failure kind", "failure_kind", ev.failure],
    ["status code", "status_code", ev.status_code],
    ["reason", "reason", ev.reason],
    ["actor", "actor", ev.actor?.name],
    ["actor id", "actor_id", ev.actor?.id],
    ["actor kind", "actor_kind", ev.actor?.kind],
    ["credential", null, ev.actor?.credential],
    ["MFA", null, ev.actor?.mfa === undefined || ev.actor?.mfa === null ? null : String(ev.actor.mfa)],
    ["source IP", "ip", ev.src_ip ?? ev.src_raw],
    ["user agent", "user_agent", ev.user_agent],
    ["country", "country", ev.country],
  ];
  (ev.targets ?? []).forEach((t, i) => {
    const n = ev.targets.length > 1 ? ` ${i + 1}` : "";
    rows.push([`target${n} type`, "target_type", t.type], [`target${n} id`, "target_id", t.id], [`target${n} name`, "target", t.name]);
  });
  rows.push(
    ["tenant", "tenant", ev.tenant],
    ["region", "region", ev.region],
    ["event id", "uid", ev.uid],
    ["correlation", "correlation", ev.correlation],
    ["file", "file", ev.source?.file],
    ["format", "format", ev.source?.format],
    ["record / line", null, ev.source ? `record ${ev.source.record}, line ${ev.source.line}` : null],
    ["duplicates", null, ev.duplicates ? String(ev.duplicates) : null],
    ["derived by", null, ev.why],
  );
  return rows.filter(([, , v]) => v !== null && v !== undefined && v !== "");
}

function section(title, testid, ...children) {
  return el("section", { cls: "detail-section", testid }, el("h3", { text: title }), ...children);
}

function copyButton(label, text, testid) {
  const b = button(label, async () => {
    const ok = await copyText(text());
    b.textContent = ok ? "Copied" : "Copy failed";
    setTimeout(() => (b.textContent = label), 1200);
  }, { cls: "button small ghost", testid });
  return b;
}

/** The diff as lines: "- path: before" / "+ path: after". */
function diffView(changes) {
  const pre = el("pre", { cls: "diff", testid: "detail-diff" });
  for (const c of changes) {
    const path = c.path || "(whole state)";
    if (c.before !== null && c.before !== undefined) pre.append(el("span", { cls: "del", text: `- ${visible(path)}: ${visible(c.before)}\n` }));
    if (c.after !== null && c.after !== undefined) pre.append(el("span", { cls: "ins", text: `+ ${visible(path)}: ${visible(c.after)}\n` }));
  }
  return pre;
}

function seenLine(label, s, index) {
  if (!s) return null;
  const first = s.first_pos === index;
  return el(
    "li",
    { cls: first ? "first-seen" : "", testid: first ? "first-seen" : undefined },
    el("span", { text: first ? `First sighting of this ${label}` : `${label} first seen ${formatTime(s.first)}` }),
    el("span", { cls: "muted", text: ` · last ${formatTime(s.last)} · ${nf.format(s.count)} events` }),
  );
}

/**
 * Renders detail `d` (from the worker's `detail`) into `box`.
 * ctx: {store, keyOf, pivot(field, value, exclude), close(), context(share, windowMs, label), openIndex(index)}
 */
export function renderDetail(box, d, ctx) {
  const ev = d.event;
  const key = ctx.keyOf(ev);
  const starred = ctx.store.isStarred(key);

  const head = el(
    "header",
    { cls: "detail-head" },
    el("h2", { id: "detail-title" }, dataText(ev.action || "(no action)")),
    el("p", { cls: `detail-sub outcome ${ev.outcome}`, text: `${formatTime(ev.time, true)} · ${ev.outcome}` }),
  );
  const tools = el(
    "div",
    { cls: "detail-tools" },
    button(starred ? "★ Starred" : "☆ Star", () => ctx.toggleStar(ev), { cls: `button small${starred ? " on" : " ghost"}`, testid: "detail-star", attrs: { "aria-pressed": String(starred) } }),
    copyButton("Copy JSON", () => JSON.stringify(ev, null, 2), "copy-json"),
    button("Close", ctx.close, { cls: "button small ghost", testid: "detail-close", title: "Close (Esc)" }),
  );
  head.append(tools);

  // Fields: click to add field:"value" to the query, alt/shift/right-click to exclude it.
  const dl = el("dl", { cls: "fields", testid: "detail-fields" });
  for (const [label, field, value] of fieldRows(ev)) {
    let dd;
    if (field) {
      const b = el("button", { cls: "pivot", testid: "pivot", title: `Add ${field}:… to the query (alt/shift-click or right-click: exclude)` }, dataText(value));
      b.type = "button";
      b.dataset.field = field;
      b.addEventListener("click", (e) => ctx.pivot(field, value, e.altKey || e.shiftKey));
      b.addEventListener("contextmenu", (e) => {
        e.preventDefault();
        ctx.pivot(field, value, true);
      });
      dd = el("dd", {}, b);
    } else dd = el("dd", {}, dataText(value));
    if (hasInvisible(value)) dd.append(el("span", { cls: "warn-chip", text: "hidden characters", title: "This value contains bidi-override or zero-width characters, shown as ⟨U+…⟩" }));
    dl.append(el("div", { cls: "field" }, el("dt", { text: label }), dd));
  }

  // Annotations.
  const tagList = el("ul", { cls: "tags", testid: "detail-tags" });
  for (const t of ctx.store.tags(key)) {
    tagList.append(el("li", { cls: "tag" }, el("span", { text: t }), button("×", () => ctx.store.removeTag(key, t), { cls: "tag-remove", title: `Remove tag ${t}`, attrs: { "aria-label": `Remove tag ${t}` } })));
  }
  const tagInput = el("input", { testid: "tag-input", attrs: { type: "text", placeholder: "add a tag", "aria-label": "New tag", maxlength: 64 } });
  const tagForm = el("form", { cls: "inline-form" }, tagInput, el("button", { cls: "button small", text: "Tag", testid: "tag-add", attrs: { type: "submit" } }));
  tagForm.addEventListener("submit", (e) => {
    e.preventDefault();
    ctx.store.addTag(key, tagInput.value);
  });
  const comments = el("ol", { cls: "comments", testid: "detail-comments" });
  ctx.store.comments(key).forEach((c, i) => {
    comments.append(
      el(
        "li",
        {},
        el("p", { cls: "comment-text", text: c.text }),
        el("p", { cls: "muted" }, `${c.author} · ${formatTime(c.at)} `, button("delete", () => ctx.store.removeComment(key, i), { cls: "link small-link", testid: "comment-delete", attrs: { "aria-label": "Delete this comment" } })),
      ),
    );
  });
  const commentInput = el("textarea", { testid: "comment-input", attrs: { rows: 2, placeholder: "comment on this event", "aria-label": "New comment", maxlength: 4000 } });
  const commentForm = el("form", { cls: "comment-form" }, commentInput, el("button", { cls: "button small", text: "Comment", testid: "comment-add", attrs: { type: "submit" } }));
  commentForm.addEventListener("submit", (e) => {
    e.preventDefault();
    ctx.store.addComment(key, commentInput.value, ctx.author());
  });

  // First seen and entity context.
  const seen = el("ul", { cls: "seen", testid: "detail-seen" });
  for (const li of [seenLine("actor", d.seen?.actor, d.index), seenLine("IP", d.seen?.ip, d.index)]) if (li) seen.append(li);
  const ctxButtons = el("div", { cls: "context-buttons" });
  if (ev.actor?.name || ev.actor?.id) ctxButtons.append(button("This actor ± 15 min", () => ctx.context("actor", 15 * 60_000, "this actor ± 15 min"), { cls: "button small ghost", testid: "context-actor" }));
  if (ev.src_ip) ctxButtons.append(button("This IP ± 1 h", () => ctx.context("ip", 3_600_000, "this IP ± 1 h"), { cls: "button small ghost", testid: "context-ip" }));
  if (ev.targets?.length) ctxButtons.append(button("This target ± 1 h", () => ctx.context("target", 3_600_000, "this target ± 1 h"), { cls: "button small ghost", testid: "context-target" }));
  ctxButtons.append(button("Everything ± 5 min", () => ctx.context("all", 5 * 60_000, "everything ± 5 min"), { cls: "button small ghost", testid: "context-all" }));
  const ctxBox = el("div", { cls: "context-list", testid: "context-list" });

  const parts = [
    head,
    section("Fields", null, dl),
    section("Notes", "detail-notes", tagList, tagForm, comments, commentForm),
    section("Timeline", null, seen, ctxButtons, ctxBox),
  ];
  if (d.changes?.length) parts.push(section(`Changes (${d.changes.length})`, null, diffView(d.changes)));
  const orig = el("pre", { cls: "original", testid: "detail-original", text: d.original });
  parts.push(section("Original record", null, el("div", { cls: "section-tools" }, copyButton("Copy record", () => d.original, "copy-original")), orig));
  if (d.doc) parts.push(section("Decoded document", null, el("pre", { cls: "original", text: d.doc })));
  box.replaceChildren(...parts);
  return ctxBox;
}

/** Fills the context list: events around this one, each opens its detail. */
export function renderContext(box, label, res, current, openIndex) {
  const list = el("ol", { cls: "mini-events" });
  for (const h of res.events) {
    const ev = h.event;
    const b = el(
      "button",
      { cls: `mini-event outcome-${ev.outcome}${h.index === current ? " current" : ""}` },
      el("span", { cls: "mini-time", text: formatTime(ev.time) }),
      el("span", { cls: "mini-action" }, dataText(ev.action)),
      el("span", { cls: "mini-actor" }, dataText(ev.actor?.name || ev.actor?.id || ev.src_ip || "")),
    );
    b.type = "button";
    b.addEventListener("click", () => openIndex(h.index));
    list.append(el("li", {}, b));
  }
  const more = res.total > res.events.length ? ` (first ${nf.format(res.events.length)})` : "";
  box.replaceChildren(el("h4", { text: `${label}: ${nf.format(res.total)} events${more} · ${zoneLabel()}` }), list);
}
