// Browser side of the benchmark suite (run by bench/run.py; see docs/PERFORMANCE.md).
//
//   node bench/browser/bench.mjs SPEC.json OUT.json
//
// SPEC: {site, root, runs, files: [{key, path, queries: [[name, auditlensQuery, sql]], duck_load}]}.
// Serves a snapshot of the site (dist/site) and, under /bench/, duck.html with DuckDB-WASM's files,
// all from one local port (no network). For each file, a fresh headless Chromium (playwright-core,
// Debian's /usr/bin/chromium) loads the auditlens page, hands it the file through the file input and
// times the worker calls the page makes; then another fresh Chromium does the same with DuckDB-WASM.
//
// The auditlens timings come from the page itself, without changing web/: an init script wraps
// window.Worker so every {id, method} request and its answer are time-stamped with performance.now()
// (the first listener on the worker, so before the page renders), and the result's own timings
// (timing_ms, index_ms, index_bytes) are kept. The wasm linear memory size is read inside the worker
// by importing the same wasm-bindgen module (the module map returns the instance the worker uses).
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { chromium } from "playwright-core";

const [specPath, outPath] = process.argv.slice(2);
const spec = JSON.parse(fs.readFileSync(specPath, "utf8"));
const here = path.dirname(new URL(import.meta.url).pathname);
const root = spec.root;
const stage = path.join(root, "bench-data", "browser-site");
const TIMEOUT = 15 * 60 * 1000;

// ---- stage the files: a snapshot of the site (others may rebuild dist/ meanwhile) + the bench page
fs.rmSync(stage, { recursive: true, force: true });
fs.cpSync(spec.site, stage, { recursive: true });
const benchDir = path.join(stage, "bench");
fs.mkdirSync(benchDir, { recursive: true });
fs.copyFileSync(path.join(here, "duck.html"), path.join(benchDir, "duck.html"));
const duckDist = path.join(here, "node_modules", "@duckdb", "duckdb-wasm", "dist");
for (const f of ["duckdb-eh.wasm", "duckdb-browser-eh.worker.js"]) fs.copyFileSync(path.join(duckDist, f), path.join(benchDir, f));
execFileSync(path.join(root, "node_modules", ".bin", "esbuild"), [
  path.join(here, "duck.js"), "--bundle", "--format=esm", "--log-level=warning", `--outfile=${path.join(benchDir, "duck.bundle.js")}`,
], { stdio: "inherit" });

const wasmPath = fs.readdirSync(path.join(stage, "pkg")).find((f) => f.endsWith(".wasm"));
const wasmBytes = fs.readFileSync(path.join(stage, "pkg", wasmPath));
const { gzipSync } = await import("node:zlib");
const out = {
  started: new Date().toISOString(),
  wasm: { file: `pkg/${wasmPath}`, bytes: wasmBytes.length, gzip9_bytes: gzipSync(wasmBytes, { level: 9 }).length },
  files: {},
};

// ---- a loopback static server
const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".mjs": "text/javascript", ".css": "text/css",
  ".wasm": "application/wasm", ".json": "application/json", ".svg": "image/svg+xml", ".csv": "text/csv" };
const server = http.createServer((req, res) => {
  let rel = decodeURIComponent(new URL(req.url, "http://x").pathname);
  if (rel.endsWith("/")) rel += "index.html";
  const file = path.resolve(stage, "." + rel);
  if (!file.startsWith(stage + path.sep)) return res.writeHead(403).end();
  fs.stat(file, (err, st) => {
    if (err || !st.isFile()) return res.writeHead(404).end("not found");
    res.writeHead(200, { "Content-Type": TYPES[path.extname(file)] ?? "application/octet-stream", "Content-Length": st.size, "Cache-Control": "no-store" });
    fs.createReadStream(file).pipe(res);
  });
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const base = `http://127.0.0.1:${server.address().port}`;

// ---- Chromium, and the resident memory of its whole process tree (sampled from /proc)
let launches = 0;
async function launch() {
  const tag = `--auditlens-bench=${process.pid}-${++launches}`; // unknown switch, only to find the process
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", tag],
  });
  return { browser, tag };
}

function treeRssMib(tag) {
  const procs = [];
  for (const pid of fs.readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
      const rss = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      procs.push({ pid: Number(pid), ppid, rss });
    } catch {
      // gone meanwhile
    }
  }
  const rootPid = procs.find((p) => {
    try {
      return fs.readFileSync(`/proc/${p.pid}/cmdline`, "utf8").includes(tag);
    } catch {
      return false;
    }
  })?.pid;
  if (!rootPid) return 0;
  const inTree = new Set([rootPid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const p of procs) if (!inTree.has(p.pid) && inTree.has(p.ppid)) (inTree.add(p.pid), (grew = true));
  }
  return procs.filter((p) => inTree.has(p.pid)).reduce((n, p) => n + p.rss, 0) / 1024;
}

function sampler(tag) {
  let peak = 0;
  const timer = setInterval(() => (peak = Math.max(peak, treeRssMib(tag))), 200);
  return { stop: () => (clearInterval(timer), Math.max(peak, treeRssMib(tag))) };
}

const loadavg = () => fs.readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");

// ---- auditlens page
const INIT = () => {
  const B = (window.__bench = { calls: [], workerAt: null, changeAt: null, readyAt: null });
  const Orig = window.Worker;
  window.Worker = class extends Orig {
    constructor(url, opts) {
      super(url, opts);
      if (B.workerAt === null) B.workerAt = performance.now();
      const pending = new Map();
      const post = super.postMessage.bind(this);
      this.postMessage = (msg, transfer) => {
        if (msg && msg.id !== undefined) pending.set(msg.id, { method: msg.method, q: msg.args?.q, t0: performance.now() });
        return post(msg, transfer);
      };
      this.addEventListener("message", (e) => {
        const m = e.data;
        const p = m && pending.get(m.id);
        if (!p) return;
        if (m.type === "progress") {
          // worker.js reports "parsing" once the File's bytes are in the worker (File.arrayBuffer)
          if (m.data?.phase === "parsing" && p.parsingAt === undefined) p.parsingAt = performance.now();
          return;
        }
        pending.delete(m.id);
        const r = m.result ?? {};
        B.calls.push({ method: p.method, q: p.q, t0: p.t0, t1: performance.now(), parsingAt: p.parsingAt, type: m.type,
          total: r.total, timing_ms: r.timing_ms, index_ms: r.index_ms, index_bytes: r.index_bytes, stale: r.stale,
          error: m.error?.message ?? (r.error ? JSON.stringify(r.error) : undefined),
          findings: r.findings?.length, events: r.summary?.events });
      });
    }
  };
  document.addEventListener("change", (e) => {
    if (e.target?.dataset?.testid === "file-input") B.changeAt = performance.now();
  }, true);
  const mo = new MutationObserver(() => {
    if (B.readyAt === null && document.body?.dataset.ready === "true") B.readyAt = performance.now();
  });
  mo.observe(document, { attributes: true, subtree: true, attributeFilter: ["data-ready"] });
};

async function auditlensRun(file) {
  const r = {};
  const { browser, tag } = await launch();
  const rss = sampler(tag);
  try {
    const page = await browser.newPage();
    page.setDefaultTimeout(TIMEOUT);
    page.on("crash", () => (r.error = "page crashed"));
    page.on("pageerror", (e) => (r.page_errors ??= []).push(String(e.message).slice(0, 300)));
    await page.addInitScript(INIT);
    await page.goto(`${base}/`);
    await page.waitForSelector('body[data-ready="true"]', { state: "attached" });
    const b0 = await page.evaluate(() => window.__bench);
    r.interactive_ms = b0.readyAt;
    const version = b0.calls.find((c) => c.method === "version");
    r.startup_ms = version ? version.t1 - b0.workerAt : null;
    const nav = await page.evaluate(() => performance.getEntriesByType("navigation")[0]?.toJSON());
    r.dom_content_loaded_ms = nav?.domContentLoadedEventEnd;

    await page.setInputFiles('[data-testid="file-input"]', file.path);
    // Loaded when the load call answered, the first query after it answered and detections ran.
    await page.waitForFunction(() => {
      const c = window.__bench.calls;
      const load = c.findIndex((x) => x.method === "load");
      if (load < 0) return false;
      if (c[load].type === "error") return true;
      return c.slice(load).some((x) => x.method === "query" && !x.stale) && c.slice(load).some((x) => x.method === "detect");
    }, null, { timeout: TIMEOUT, polling: 50 });
    const b = await page.evaluate(() => window.__bench);
    const load = b.calls.find((c) => c.method === "load");
    if (load.type === "error") throw new Error(`load failed: ${load.error}`);
    const after = b.calls.slice(b.calls.findIndex((c) => c.method === "load"));
    const first = after.find((c) => c.method === "query" && !c.stale);
    const detect = after.find((c) => c.method === "detect");
    r.events = load.events;
    r.load_ms = load.t1 - load.t0;
    if (load.parsingAt !== undefined) r.read_ms = load.parsingAt - load.t0;
    r.change_to_load_call_ms = load.t0 - b.changeAt;
    r.first_results_ms = first.t1 - b.changeAt;
    r.first_query_ms = first.t1 - first.t0;
    r.index_ms = first.index_ms;
    r.index_bytes = first.index_bytes;
    // The worker runs calls one at a time: detect is posted with the first query and waits for it.
    const started = (c) => Math.max(c.t0, ...b.calls.filter((x) => x.t1 < c.t1).map((x) => x.t1));
    r.detect_ms = detect.t1 - started(detect);
    r.detect_round_trip_ms = detect.t1 - detect.t0;
    r.findings = detect.findings;
    await page.waitForFunction(() => document.querySelector('[data-testid="result-count"]')?.dataset.total !== undefined);
    r.searchable_ms = r.first_results_ms; // the count and results are on screen right after this answer

    const worker = page.workers()[0];
    r.wasm_memory_bytes = await worker.evaluate(async () => {
      const m = await import(new URL("./pkg/auditlens_wasm.js", self.location.href).href);
      return (await m.default()).memory.buffer.byteLength;
    });

    r.queries = [];
    for (const [name, q] of file.queries) {
      const times = [];
      let last;
      for (let i = 0; i < spec.runs; i++) {
        const before = await page.evaluate((q) => window.__bench.calls.filter((c) => c.method === "query" && c.q === q).length, q);
        await page.fill('[data-testid="query"]', q);
        await page.press('[data-testid="query"]', "Enter");
        last = await (await page.waitForFunction(([q, n]) => {
          const c = window.__bench.calls.filter((x) => x.method === "query" && x.q === q && !x.stale);
          return c.length > n && c[c.length - 1];
        }, [q, before], { polling: 5 })).jsonValue();
        times.push({ rt: last.t1 - last.t0, wasm: last.timing_ms?.total_ms });
      }
      times.sort((a, b) => a.rt - b.rt);
      r.queries.push({ name, q, best_ms: times[0].rt, median_ms: times[times.length >> 1].rt,
        wasm_ms: Math.min(...times.map((t) => t.wasm ?? Infinity)), matches: last.total, error: last.error });
    }
  } catch (e) {
    r.error = `${r.error ? r.error + "; " : ""}${String(e.message ?? e).split("\n")[0]}`;
  } finally {
    r.chromium_rss_peak_mib = rss.stop();
    await browser.close().catch(() => {});
  }
  return r;
}

// ---- DuckDB-WASM page
async function duckRun(file) {
  const r = {};
  const { browser, tag } = await launch();
  const rss = sampler(tag);
  try {
    const page = await browser.newPage();
    page.setDefaultTimeout(TIMEOUT);
    page.on("crash", () => (r.error = "page crashed"));
    await page.goto(`${base}/bench/duck.html`);
    const ok = await page.evaluate(() => window.duck.ready);
    if (!ok) throw new Error(await page.evaluate(() => window.duck.error));
    Object.assign(r, await page.evaluate(() => ({ startup_ms: window.duck.startup_ms, interactive_ms: window.duck.interactive_ms, version: window.duck.version })));
    await page.setInputFiles('[data-testid="file-input"]', file.path);
    await page.waitForFunction(() => window.duck.file);
    const loaded = await page.evaluate((sql) => window.duck.load(sql), file.duck_load.replaceAll("{m}", String(2 ** 31 - 1)));
    r.load_ms = loaded.load_ms;
    r.rows = loaded.rows;
    r.queries = [];
    for (const [name, , sql] of file.queries) {
      r.queries.push({ name, sql, ...(await page.evaluate(([sql, runs]) => window.duck.query(sql, runs), [sql, spec.runs])) });
    }
  } catch (e) {
    r.error = `${r.error ? r.error + "; " : ""}${String(e.message ?? e).split("\n")[0]}`;
  } finally {
    r.chromium_rss_peak_mib = rss.stop();
    await browser.close().catch(() => {});
  }
  return r;
}

// Past the browser's limits: load a small file, then one too big for the page; the page should say
// so and keep the small file's events (issue 8). Reads what the page shows afterwards.
async function limitsRun({ small, big }) {
  const r = { small: path.relative(root, small), big: path.relative(root, big), big_bytes: fs.statSync(big).size };
  const { browser, tag } = await launch();
  const rss = sampler(tag);
  try {
    const page = await browser.newPage();
    page.setDefaultTimeout(TIMEOUT);
    page.on("crash", () => (r.crashed = true));
    await page.addInitScript(INIT);
    await page.goto(`${base}/`);
    await page.waitForSelector('body[data-ready="true"]', { state: "attached" });
    const loadDone = (n) => page.waitForFunction((n) => window.__bench.calls.filter((c) => c.method === "load").length >= n, n, { timeout: TIMEOUT, polling: 100 });
    await page.setInputFiles('[data-testid="file-input"]', small);
    await loadDone(1);
    await page.waitForTimeout(1000);
    r.events_before = await page.textContent('[data-testid="event-count"]');
    const t = Date.now();
    await page.setInputFiles('[data-testid="file-input"]', big);
    await Promise.race([loadDone(2), new Promise((res) => page.once("crash", res))]);
    r.big_ms = Date.now() - t;
    if (!r.crashed) {
      await page.waitForTimeout(2000);
      const b = await page.evaluate(() => window.__bench.calls.filter((c) => c.method === "load").pop());
      r.big_load = { type: b.type, error: b.error, events: b.events };
      r.status = await page.textContent('[data-testid="status"]');
      r.events_after = await page.textContent('[data-testid="event-count"]');
      // does the engine still answer?
      // (after a big load the worker first finishes the page's own first query and detections)
      await page.fill('[data-testid="query"]', "*");
      await page.press('[data-testid="query"]', "Enter");
      r.query_after = await (await page.waitForFunction(() => window.__bench.calls.filter((c) => c.method === "query" && c.q === "*" && !c.stale).pop(),
        null, { timeout: TIMEOUT, polling: 100 })).jsonValue();
    }
  } catch (e) {
    r.error = String(e.message ?? e).split("\n")[0];
  } finally {
    r.chromium_rss_peak_mib = rss.stop();
    await browser.close().catch(() => {});
  }
  return r;
}

try {
  if (spec.limits) {
    console.error(`[browser limits] ${spec.limits.big}, load ${loadavg()}`);
    out.limits = await limitsRun(spec.limits);
    console.error(`[browser limits] ${JSON.stringify(out.limits)}`);
  }
  for (const file of spec.files) {
    const r = { path: path.relative(root, file.path), bytes: fs.statSync(file.path).size, load_before: loadavg() };
    out.files[file.key] = r;
    console.error(`[browser ${file.key}] auditlens page, load ${r.load_before}`);
    r.auditlens = await auditlensRun(file);
    if (r.auditlens.error) console.error(`[browser ${file.key}] auditlens: ${r.auditlens.error}`);
    console.error(`[browser ${file.key}] DuckDB-WASM, load ${loadavg()}`);
    r.duckdb = await duckRun(file);
    if (r.duckdb.error) console.error(`[browser ${file.key}] DuckDB-WASM: ${r.duckdb.error}`);
    r.load_after = loadavg();
    fs.writeFileSync(outPath, JSON.stringify(out, null, 1));
  }
} finally {
  out.finished = new Date().toISOString();
  fs.writeFileSync(outPath, JSON.stringify(out, null, 1));
  server.close();
}
