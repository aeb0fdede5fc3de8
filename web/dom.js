// DOM helpers. Data goes into the page only as text: textContent and createElement, never HTML.

export const $ = (testid) => document.querySelector(`[data-testid="${testid}"]`);

/** createElement with a class, optional text, data-testid and attributes. */
export function el(tag, { cls, text, testid, title, attrs } = {}, ...children) {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (testid) node.dataset.testid = testid;
  if (title) node.title = String(title);
  if (attrs) for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null && v !== false) node.setAttribute(k, v === true ? "" : String(v));
  node.append(...children.filter((c) => c !== null && c !== undefined && c !== false));
  return node;
}

/** A <button type="button"> with a click handler. */
export function button(text, onClick, { cls = "button", testid, title, attrs } = {}) {
  const b = el("button", { cls, text, testid, title, attrs });
  b.type = "button";
  if (onClick) b.addEventListener("click", onClick);
  return b;
}

export const nf = new Intl.NumberFormat("en");

/** Quotes a value for the query language. */
export function quote(v) {
  v = String(v);
  return /^[A-Za-z0-9_.@\-]+$/.test(v) ? v : `"${v.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`;
}

// Characters that change how text looks without being seen: bidi overrides/isolates/marks and
// zero-width characters. Shown as a visible marker so "admin\u202Egnp.exe" cannot pass for "adminexe.png".
const INVISIBLE = /[\u200B-\u200F\u202A-\u202E\u2060-\u2069\u061C\uFEFF]/g;

export function hasInvisible(text) {
  INVISIBLE.lastIndex = 0;
  return INVISIBLE.test(String(text ?? ""));
}

/** The text with invisible/bidi characters replaced by ⟨U+XXXX⟩. */
export function visible(text) {
  return String(text ?? "").replace(INVISIBLE, (c) => `⟨U+${c.codePointAt(0).toString(16).toUpperCase().padStart(4, "0")}⟩`);
}

/** A text node set for data: visible markers for invisible characters, highlighted ranges
 * (UTF-16 [start, end) pairs into `text`) as <mark>. */
export function dataText(text, ranges) {
  text = String(text ?? "");
  const frag = document.createDocumentFragment();
  if (!ranges?.length || hasInvisible(text)) {
    frag.append(visible(text));
    return frag;
  }
  let at = 0;
  for (const [s, e] of ranges) {
    if (s < at || e > text.length || s >= e) continue;
    if (s > at) frag.append(text.slice(at, s));
    frag.append(el("mark", { text: text.slice(s, e) }));
    at = e;
  }
  if (at < text.length) frag.append(text.slice(at));
  return frag;
}

/** Saves text as a file download (a Blob URL; nothing leaves the browser). */
export function download(name, text, type = "text/plain") {
  const url = URL.createObjectURL(new Blob([text], { type: `${type};charset=utf-8` }));
  const a = el("a", { attrs: { href: url, download: name } });
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Copies text to the clipboard (falls back to a hidden textarea where the API is missing). */
export async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const ta = el("textarea");
    ta.value = text;
    ta.className = "visually-hidden";
    document.body.append(ta);
    ta.select();
    const ok = document.execCommand?.("copy");
    ta.remove();
    return !!ok;
  }
}

/** Reads safely from localStorage (storage may be disabled). */
export function loadJson(key, fallback) {
  try {
    const v = localStorage.getItem(key);
    return v === null ? fallback : JSON.parse(v);
  } catch {
    return fallback;
  }
}

export function saveJson(key, value) {
  try {
    localStorage.setItem(key, JSON.stringify(value));
    return true;
  } catch {
    return false;
  }
}
