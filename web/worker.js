// The worker owns the wasm Session: all parsing and indexing happens here, never on the UI thread.
// Protocol: see rpc.js. Calls run one at a time, in arrival order, so loads never interleave.
import init, { Session } from "./pkg/auditlens_wasm.js";
import { wasmSource, sampleNames, sampleBytes } from "./assets.js";

let session = null;
// A wasm trap (a Rust panic) leaves the session unusable: later calls get this instead.
let crashed = null;
const ready = init({ module_or_path: wasmSource() }).then(() => {
  session = new Session();
});

/** Loads one file's bytes into the session; returns its FileSummary. `onProgress(bytesDone, records)`
 * is called by the core every few thousand records (ignored by a core without progress support). */
function loadBytes(name, buffer, onProgress) {
  // wasm-bindgen copies the view into wasm memory once; nothing else copies the bytes.
  const summary = JSON.parse(session.load(name, new Uint8Array(buffer), undefined, onProgress));
  if (summary.error) throw new Error(`${name}: ${summary.error}`);
  return summary;
}

function summary() {
  return JSON.parse(session.summary());
}

/** Loads a list of sources one by one, reporting progress; `read(i)` gives the i-th buffer. */
async function loadAll(names, read, progress) {
  const total = names.length;
  const loaded = [];
  for (let i = 0; i < total; i++) {
    const name = names[i];
    progress({ phase: "reading", file: name, index: i, total });
    const buffer = await read(i);
    const bytes = buffer.byteLength;
    progress({ phase: "parsing", file: name, index: i, total, bytes, done: 0, records: 0 });
    const onProgress = (done, records) => progress({ phase: "parsing", file: name, index: i, total, bytes, done, records });
    loaded.push(loadBytes(name, buffer, onProgress));
  }
  progress({ phase: "done", index: total, total });
  return { loaded, summary: summary() };
}

// Methods callable from the page: (args, progress) => result (a structured-cloneable value).
const methods = {
  version: () => Session.version(),
  summary: () => summary(),
  /** args.files: File objects (posted by reference) or {name, buffer} with a transferred ArrayBuffer. */
  load: ({ files }, progress) =>
    loadAll(
      files.map((f) => f.name),
      (i) => (files[i] instanceof Blob ? files[i].arrayBuffer() : files[i].buffer),
      progress,
    ),
  /** args: {q, offset, limit, options}; the core returns the page of hits, total, facets,
   * histogram and timings, or {error: {message, column, suggestion, …}} for a bad query. */
  query: ({ q = "", offset = 0, limit = 100, options }) =>
    JSON.parse(session.query(q, offset, limit, options ? JSON.stringify(options) : undefined)),
  /** Built-in detections (+ Sigma rules as [name, yaml] pairs): {findings, rules, sigma_unsupported}. */
  detect: ({ config, sigma } = {}) =>
    JSON.parse(session.detect(config ? JSON.stringify(config) : undefined, sigma ? JSON.stringify(sigma) : undefined)),
  loadSample: async (_args, progress) => {
    const names = await sampleNames();
    return loadAll(names, (i) => sampleBytes(names[i]), progress);
  },
};

let queue = Promise.resolve();
// Typing sends a query per pause: only the newest one still waiting is worth running.
let latestQuery = 0;

self.onmessage = (e) => {
  const { id, method, args } = e.data ?? {};
  if (method === "query") latestQuery = id;
  const progress = (data) => self.postMessage({ id, type: "progress", data });
  queue = queue.then(async () => {
    try {
      const fn = Object.hasOwn(methods, method) ? methods[method] : null;
      if (!fn) throw new TypeError(`unknown method: ${method}`);
      await ready;
      if (crashed) throw crashed;
      if (method === "query" && id !== latestQuery) {
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
