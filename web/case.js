// The investigation's annotations (stars, tags, comments, analyst events, saved queries, report
// settings) as one case object, kept in localStorage per set of loaded files (by their SHA-256s) so a
// reload keeps the work. Save/load/merge go through files the user downloads and uploads.
import { loadJson, saveJson } from "./dom.js";

const PREFIX = "auditlens.case.";

export function emptyCase(files = []) {
  return {
    auditlens_case: 1,
    id: "",
    title: "",
    files,
    stars: [],
    tags: {},
    comments: {},
    analyst_events: [],
    saved_queries: [],
    detect_config: {},
    report: {},
  };
}

/** The storage id of a set of files: their sorted SHA-256 prefixes. */
export function caseId(files) {
  return files.map((f) => String(f.sha256 ?? "").slice(0, 16)).sort().join("-");
}

/** Checks the shape of a case file and fills what is missing; throws with a readable reason. */
export function normalizeCase(c) {
  if (!c || typeof c !== "object" || Array.isArray(c)) throw new Error("not a case file (expected a JSON object)");
  if (c.auditlens_case !== 1) throw new Error('not an auditlens case file (no "auditlens_case": 1)');
  const out = { ...emptyCase(), ...c };
  const arr = (v) => (Array.isArray(v) ? v : []);
  const obj = (v) => (v && typeof v === "object" && !Array.isArray(v) ? v : {});
  out.files = arr(out.files).filter((f) => f && typeof f.sha256 === "string");
  out.stars = arr(out.stars).filter((k) => typeof k === "string");
  out.tags = Object.fromEntries(Object.entries(obj(out.tags)).map(([k, v]) => [k, arr(v).filter((t) => typeof t === "string")]));
  out.comments = Object.fromEntries(
    Object.entries(obj(out.comments)).map(([k, v]) => [k, arr(v).filter((x) => x && typeof x.text === "string")]),
  );
  out.analyst_events = arr(out.analyst_events).filter((x) => x && typeof x.text === "string" && typeof x.time === "string");
  out.saved_queries = arr(out.saved_queries).filter((x) => x && typeof x.query === "string");
  out.detect_config = obj(out.detect_config);
  out.report = obj(out.report);
  return out;
}

const uniq = (xs) => [...new Set(xs)];

/** Union of two cases: stars, tags, comments, analyst events and saved queries of both; a's
 * title/report/detect settings win where set. */
export function mergeCases(a, b) {
  const out = normalizeCase(structuredClone(a));
  b = normalizeCase(b);
  const files = new Map(out.files.map((f) => [f.sha256, f]));
  for (const f of b.files) if (!files.has(f.sha256)) files.set(f.sha256, f);
  out.files = [...files.values()];
  out.stars = uniq([...out.stars, ...b.stars]);
  for (const [k, v] of Object.entries(b.tags)) out.tags[k] = uniq([...(out.tags[k] ?? []), ...v]);
  for (const [k, v] of Object.entries(b.comments)) {
    const have = out.comments[k] ?? [];
    const seen = new Set(have.map((c) => `${c.at}\u0000${c.author}\u0000${c.text}`));
    out.comments[k] = [...have, ...v.filter((c) => !seen.has(`${c.at}\u0000${c.author}\u0000${c.text}`))];
  }
  // As the core's Case::merge (case files merge through it; this is the in-page switch between
  // stored cases): nothing of either side is dropped. The same event (time, text, author) is kept
  // once; another event with a taken id is kept under id~2; likewise a query under "name (2)".
  for (const e of b.analyst_events) {
    if (out.analyst_events.some((x) => x.time === e.time && x.text === e.text && x.author === e.author)) continue;
    let id = e.id;
    for (let n = 2; out.analyst_events.some((x) => x.id === id); n++) id = `${e.id}~${n}`;
    out.analyst_events.push({ ...e, id });
  }
  out.analyst_events.sort((x, y) => (x.time < y.time ? -1 : x.time > y.time ? 1 : 0));
  for (const q of b.saved_queries) {
    const renamed = (x) => x.name === q.name || x.name.startsWith(`${q.name} (`);
    if (out.saved_queries.some((x) => x.query === q.query && renamed(x))) continue;
    let name = q.name;
    for (let n = 2; out.saved_queries.some((x) => x.name === name); n++) name = `${q.name} (${n})`;
    out.saved_queries.push({ ...q, name });
  }
  const theirNotes = String(b.report?.notes ?? "").trim();
  if (theirNotes && Object.keys(out.report).length && !String(out.report.notes ?? "").includes(theirNotes)) {
    out.report = { ...out.report, notes: out.report.notes?.trim() ? `${out.report.notes.trimEnd()}\n\n${theirNotes}` : theirNotes };
  }
  out.title ||= b.title;
  out.id ||= b.id;
  if (!Object.keys(out.report).length) out.report = b.report;
  if (!Object.keys(out.detect_config).length) out.detect_config = b.detect_config;
  return out;
}

/** The live case of the page: change it through the methods, listeners re-render. */
export class CaseStore {
  #case = emptyCase();
  #storageId = ""; // which stored case this is (by the loaded files); case.id is the analyst's case id
  #listeners = new Set();

  get current() {
    return this.#case;
  }

  onChange(fn) {
    this.#listeners.add(fn);
  }

  /** Called with a message when the browser refuses to store the case (full or disabled storage). */
  onStorageError = () => {};

  #changed() {
    if (this.#storageId && !saveJson(PREFIX + this.#storageId, this.#case)) {
      this.onStorageError("This browser did not store the annotations (storage full or disabled): save the case file to keep them.");
    }
    for (const fn of this.#listeners) fn(this.#case);
  }

  /** The loaded files changed: switch to the stored case of this file set, keeping (merging) the
   * annotations made so far (adding a file keeps the same investigation). */
  setFiles(summaryFiles) {
    const files = summaryFiles.map((f) => ({ name: f.path, sha256: f.sha256, size: f.size, format: f.format }));
    const id = caseId(files);
    if (id === this.#storageId) return;
    const stored = loadJson(PREFIX + id, null);
    let next = this.#case;
    if (stored) {
      try {
        next = mergeCases(normalizeCase(stored), this.#case);
      } catch {
        // a broken stored case is ignored, not fatal
      }
    }
    this.#storageId = id;
    this.#case = { ...next, files };
    this.#changed();
  }

  /** Replaces (load) or merges into (merge) the current case from a case file's text. */
  importText(text, merge) {
    let parsed;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      throw new Error(`not JSON: ${e.message}`);
    }
    const incoming = normalizeCase(parsed);
    const { files } = this.#case;
    this.#case = merge ? mergeCases(this.#case, incoming) : { ...incoming, files: files.length ? files : incoming.files };
    if (files.length) this.#case.files = files;
    this.#changed();
    return incoming;
  }

  /** The files a case expects that are not loaded. */
  missingFiles(c) {
    const have = new Set(this.#case.files.map((f) => f.sha256));
    return (c.files ?? []).filter((f) => !have.has(f.sha256));
  }

  exportText() {
    return JSON.stringify(this.#case, null, 2) + "\n";
  }

  isStarred(key) {
    return this.#case.stars.includes(key);
  }

  toggleStar(key) {
    const s = this.#case.stars;
    const i = s.indexOf(key);
    if (i >= 0) s.splice(i, 1);
    else s.push(key);
    this.#changed();
    return i < 0;
  }

  tags(key) {
    return this.#case.tags[key] ?? [];
  }

  addTag(key, tag) {
    tag = tag.trim();
    if (!tag) return;
    const t = (this.#case.tags[key] ??= []);
    if (!t.includes(tag)) t.push(tag);
    this.#changed();
  }

  removeTag(key, tag) {
    const t = (this.#case.tags[key] ?? []).filter((x) => x !== tag);
    if (t.length) this.#case.tags[key] = t;
    else delete this.#case.tags[key];
    this.#changed();
  }

  comments(key) {
    return this.#case.comments[key] ?? [];
  }

  addComment(key, text, author) {
    text = text.trim();
    if (!text) return;
    (this.#case.comments[key] ??= []).push({ author: author || "analyst", at: new Date().toISOString(), text });
    this.#changed();
  }

  removeComment(key, index) {
    const list = (this.#case.comments[key] ?? []).filter((_, i) => i !== index);
    if (list.length) this.#case.comments[key] = list;
    else delete this.#case.comments[key];
    this.#changed();
  }

  addAnalystEvent(time, text, author) {
    const id = `ae-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}`;
    this.#case.analyst_events.push({ id, time, text: text.trim(), author: author || "analyst" });
    this.#case.analyst_events.sort((x, y) => (x.time < y.time ? -1 : x.time > y.time ? 1 : 0));
    this.#changed();
  }

  removeAnalystEvent(id) {
    this.#case.analyst_events = this.#case.analyst_events.filter((e) => e.id !== id);
    this.#changed();
  }

  saveQuery(name, query) {
    const list = this.#case.saved_queries.filter((q) => q.name !== name);
    list.push({ name, query });
    this.#case.saved_queries = list;
    this.#changed();
  }

  removeQuery(name) {
    this.#case.saved_queries = this.#case.saved_queries.filter((q) => q.name !== name);
    this.#changed();
  }

  /** The report draft ({title, notes, query, from, to, findings: [rule ids; empty = all], tz}) and
   * the case id/title it names. */
  setReport(report, caseIdText) {
    this.#case.report = { ...this.#case.report, ...report };
    if (report.title !== undefined) this.#case.title = report.title;
    if (caseIdText !== undefined) this.#case.id = caseIdText;
    this.#changed();
  }

  setDetectConfig(cfg) {
    this.#case.detect_config = cfg;
    this.#changed();
  }

  /** Events with a star, tag or comment. */
  annotatedKeys() {
    return uniq([...this.#case.stars, ...Object.keys(this.#case.tags), ...Object.keys(this.#case.comments)]);
  }
}
