// The worker owns the wasm Session: all parsing and indexing happens here, never on the UI thread.
// Protocol: see rpc.js. Calls run one at a time, in arrival order, so loads never interleave.
import init, { Session } from "./pkg/auditlens_wasm.js";
import { wasmSource, sampleNames, sampleBytes } from "./assets.js";

let session = null;
// A wasm trap (a Rust panic) leaves the session unusable: later calls get this instead.
let crashed = null;
// The engine's linear memory (wasm32: at most 4 GiB), to refuse a file that cannot fit before
// touching the session instead of running out of memory halfway (which would stop the engine).
let wasmMemory = null;
const ready = init({ module_or_path: wasmSource() }).then((exports) => {
  wasmMemory = exports?.memory ?? null;
  session = new Session();
});

/** wasm32 can address 4 GiB; the loaded data takes about 1.6x the file (events, strings, index). */
const WASM_MAX_BYTES = 4 * 1024 ** 3;
const LOAD_FACTOR = 1.6;
const gib = (n) => `${(n / 1024 ** 3).toFixed(1)} GiB`;
/** Largest total of files embedded in a case from the page (base64 makes the case 4/3 of it). */
const MAX_EMBED_BYTES = 256 * 1024 ** 2;

/** Throws a clear error when `size` more bytes of logs cannot fit in this tab's engine. */
function checkFits(name, size, pending = 0) {
  const used = (wasmMemory?.buffer?.byteLength ?? 0) + pending * LOAD_FACTOR;
  const need = size * LOAD_FACTOR + 64 * 1024 ** 2;
  if (used + need > WASM_MAX_BYTES) {
    const room = Math.max(0, (WASM_MAX_BYTES - used - 64 * 1024 ** 2) / LOAD_FACTOR);
    throw new Error(
      `${name} is ${gib(size)}: too large for the browser (a page can hold about ${gib(room)} more of logs ` +
        `in this tab). Nothing was loaded from it and the data already loaded is kept. Split the file, ` +
        `or use the command line (auditlens ingest/search/report), which has no such limit.`,
    );
  }
}

/** Loads one file's bytes into the session; returns its FileSummary. `onProgress(bytesDone, records)`
 * is called by the core every few thousand records (ignored by a core without progress support). */
function loadBytes(name, buffer, onProgress, options) {
  // wasm-bindgen copies the view into wasm memory once; nothing else copies the bytes.
  const summary = JSON.parse(session.load(name, new Uint8Array(buffer), options ? JSON.stringify(options) : undefined, onProgress));
  if (summary.error) throw new Error(`${name}: ${summary.error}`);
  return summary;
}

// What is loaded, in load order (= the summary's file order), so a file can be removed or loaded
// again with another column mapping: the core has no "unload", so the session is rebuilt from these.
// A File is only a handle (re-read on rebuild); sample files are fetched again.
let sources = [];

/** JSON from the core; an {"error": "…"} answer becomes a thrown Error. */
function parseOrThrow(text) {
  const v = JSON.parse(text);
  if (v && typeof v === "object" && !Array.isArray(v) && typeof v.error === "string") throw new Error(v.error);
  return v;
}

/** Fails clearly when the engine predates a method (the page and the wasm are built together). */
function need(name) {
  if (typeof session[name] !== "function") throw new Error(`this build of the engine has no ${name}()`);
}

function summary() {
  return JSON.parse(session.summary());
}

/** SHA-256 of the bytes as lower-case hex, by WebCrypto (native speed; hashing in wasm took about a
 * third of the load time). Undefined where WebCrypto is missing: the core then hashes. */
async function sha256Hex(buffer) {
  if (!globalThis.crypto?.subtle) return undefined;
  const d = new Uint8Array(await crypto.subtle.digest("SHA-256", buffer));
  let hex = "";
  for (const b of d) hex += b.toString(16).padStart(2, "0");
  return hex;
}

/** Loads a list of sources one by one, reporting progress; `read(i)` gives the i-th buffer,
 * `options[i]` the i-th file's load options ({mapping, format, tz}). */
async function loadAll(names, read, progress, options = [], record = true) {
  const total = names.length;
  const loaded = [];
  for (let i = 0; i < total; i++) {
    const name = names[i];
    progress({ phase: "reading", file: name, index: i, total });
    let buffer;
    try {
      buffer = await read(i);
    } catch (e) {
      // A file the browser cannot even read into memory (an ArrayBuffer of several GiB).
      if (e instanceof RangeError) throw new Error(`${name}: the browser could not read it into memory (${e.message}); the data already loaded is kept. Use the command line for files this large.`);
      throw e;
    }
    checkFits(name, buffer.byteLength);
    const bytes = buffer.byteLength;
    progress({ phase: "parsing", file: name, index: i, total, bytes, done: 0, records: 0 });
    const onProgress = (done, records) => progress({ phase: "parsing", file: name, index: i, total, bytes, done, records });
    const sha256 = await sha256Hex(buffer);
    loaded.push(loadBytes(name, buffer, onProgress, sha256 ? { ...(options[i] ?? {}), sha256 } : options[i]));
    if (record) sources.push({ name, read: ((j) => () => read(j))(i), options: options[i] });
  }
  progress({ phase: "done", index: total, total });
  return { loaded, summary: summary() };
}

/** A fresh session with the current sources (after a removal or a new mapping). */
async function rebuild(progress) {
  session.free?.();
  session = new Session();
  return loadAll(
    sources.map((s) => s.name),
    (i) => sources[i].read(),
    progress,
    sources.map((s) => s.options),
    false,
  );
}

// Methods callable from the page: (args, progress) => result (a structured-cloneable value).
const methods = {
  version: () => Session.version(),
  summary: () => summary(),
  /** args.files: File objects (posted by reference) or {name, buffer} with a transferred ArrayBuffer. */
  load: ({ files, options = [] }, progress) => {
    // Refuse the whole drop up front if it cannot fit, so nothing is half loaded.
    let pending = 0;
    for (const f of files) {
      const size = f.size ?? f.buffer?.byteLength ?? 0;
      checkFits(f.name, size, pending);
      pending += size;
    }
    return loadAll(
      files.map((f) => f.name),
      (i) => (files[i] instanceof Blob ? files[i].arrayBuffer() : files[i].buffer),
      progress,
      options,
    );
  },
  /** Merges two case files (JSON text) by the core's rules: stars, tags, comments, analyst events,
   * saved queries and notes of both sides are kept. */
  caseMerge: ({ a, b }) => Session.caseMerge(a, b),
  /** The case (JSON text) with every loaded file embedded: a portable case. */
  caseEmbedAll: async ({ caseText }) => {
    let total = 0;
    let c = caseText;
    for (const s of sources) {
      const buf = await s.read();
      total += buf.byteLength;
      if (total > MAX_EMBED_BYTES) {
        throw new Error(`the loaded files exceed ${gib(MAX_EMBED_BYTES)}: too large to embed in a case file here; save the case without files, or embed with the command line (auditlens case embed)`);
      }
      c = Session.caseEmbed(c, s.name, new Uint8Array(buf));
    }
    return c;
  },
  /** Loads the files a portable case carries (each checked against its SHA-256 by the core). */
  loadCaseFiles: async ({ caseText }, progress) => {
    const files = Session.caseEmbedded(caseText);
    // Files already loaded (same SHA-256) are not loaded twice.
    const have = new Set(summary().files.map((f) => f.sha256));
    const todo = [];
    for (const [name, bytes] of files) if (!have.has(await sha256Hex(bytes))) todo.push([name, bytes]);
    let pending = 0;
    for (const [name, bytes] of todo) {
      checkFits(name, bytes.byteLength, pending);
      pending += bytes.byteLength;
    }
    return loadAll(
      todo.map(([name]) => name),
      (i) => todo[i][1].buffer,
      progress,
    );
  },
  /** Removes the index-th loaded file (summary order). */
  remove: ({ index }, progress) => {
    if (!(index >= 0 && index < sources.length)) throw new RangeError(`no loaded file #${index}`);
    sources.splice(index, 1);
    return rebuild(progress);
  },
  /** Loads the index-th file again with a column mapping ({"time": "When", …}; empty = inferred). */
  remap: ({ index, mapping }, progress) => {
    if (!(index >= 0 && index < sources.length)) throw new RangeError(`no loaded file #${index}`);
    const m = Object.fromEntries(Object.entries(mapping ?? {}).filter(([, v]) => v));
    sources[index].options = { ...(sources[index].options ?? {}), mapping: m };
    if (!Object.keys(m).length) delete sources[index].options.mapping;
    return rebuild(progress);
  },
  /** args: {q, offset, limit, options}; the core returns the page of hits, total, facets,
   * histogram and timings, or {error: {message, column, suggestion, …}} for a bad query. */
  query: ({ q = "", offset = 0, limit = 100, options }) =>
    JSON.parse(session.query(q, offset, limit, options ? JSON.stringify(options) : undefined)),
  /** Built-in detections (+ Sigma rules as [name, yaml] pairs): {findings, rules, sigma_unsupported}. */
  detect: ({ config, sigma } = {}) =>
    JSON.parse(session.detect(config ? JSON.stringify(config) : undefined, sigma ? JSON.stringify(sigma) : undefined)),
  /** A page of rows for the grid: like query without facets/histogram (cheap while scrolling). */
  rows: ({ q = "", offset = 0, limit = 100, sort }) =>
    JSON.parse(session.query(q, offset, limit, JSON.stringify({ sort, facets: false, histogram: false }))),
  /** Top values of every facet field over all events (autocomplete suggestions). */
  facets: () => JSON.parse(session.query("", 0, 0, JSON.stringify({ histogram: false, highlights: false }))).facets ?? [],
  /** The detail panel's data for the event at a time-order position (view.rs). */
  detail: ({ index }) => parseOrThrow(session.viewDetail(index)),
  context: ({ index, windowMs, share, limit = 500 }) => parseOrThrow(session.viewContext(index, windowMs, share, limit)),
  lanes: ({ q = "", by = "actor", limit = 500 }) => JSON.parse(session.viewLanes(q, by, limit)),
  sessions: ({ q = "", maxpauseS = 0, limit = 500 }) => JSON.parse(session.viewSessions(q, maxpauseS, limit)),
  range: () => JSON.parse(session.viewRange()),
  /** Events by their stable keys ("<sha256>:<record>"), for the starred list. */
  eventsByKeys: ({ keys }) => {
    need("eventsByKeys");
    return JSON.parse(session.eventsByKeys(JSON.stringify(keys)));
  },
  /** The whole report file text (md/html/json) for a report request (see report.js). */
  report: ({ request }) => {
    need("report");
    return session.report(JSON.stringify(request));
  },
  /** The same for the live preview: only the newest waiting request runs (typing notes sends many). */
  reportPreview: ({ request }) => {
    need("report");
    return session.report(JSON.stringify(request));
  },
  /** The current result as csv/ndjson/ocsf/ecs/timesketch text. */
  export: ({ kind, q = "", tz }) => {
    need("export");
    return session.export(kind, q, tz);
  },
  loadSample: async (_args, progress) => {
    const names = await sampleNames();
    return loadAll(names, (i) => sampleBytes(names[i]), progress);
  },
};

let queue = Promise.resolve();
// Typing sends a query per pause: only the newest one still waiting is worth running.
let latestQuery = 0;
// Scrolling asks for a window of rows per frame: only the newest is worth running.
let latestRows = 0;
let latestPreview = 0;

self.onmessage = (e) => {
  const { id, method, args } = e.data ?? {};
  if (method === "query") latestQuery = id;
  if (method === "rows") latestRows = id;
  if (method === "reportPreview") latestPreview = id;
  const progress = (data) => self.postMessage({ id, type: "progress", data });
  queue = queue.then(async () => {
    try {
      const fn = Object.hasOwn(methods, method) ? methods[method] : null;
      if (!fn) throw new TypeError(`unknown method: ${method}`);
      await ready;
      if (crashed) throw crashed;
      if (
        (method === "query" && id !== latestQuery) ||
        (method === "rows" && id !== latestRows) ||
        (method === "reportPreview" && id !== latestPreview)
      ) {
        self.postMessage({ id, type: "result", result: { stale: true } });
        return;
      }
      const result = await fn(args ?? {}, progress);
      self.postMessage({ id, type: "result", result });
    } catch (thrown) {
      let err = thrown;
      if (err instanceof WebAssembly.RuntimeError) {
        let why = err.message;
        try {
          why = Session.last_panic() || why;
        } catch {
          // the instance may be unusable; keep the trap message
        }
        crashed = new Error(`the analysis engine stopped on an internal error (${why}); reload the page to start again`);
        err = crashed;
      }
      self.postMessage({ id, type: "error", error: { name: err?.name ?? "Error", message: String(err?.message ?? err) } });
    }
  });
};
