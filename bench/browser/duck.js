// DuckDB-WASM side of the browser benchmark, bundled by esbuild into duck.bundle.js (the package
// imports apache-arrow by bare name). Driven by bench.mjs through window.duck.
import * as duckdb from "@duckdb/duckdb-wasm";

const status = document.querySelector('[data-testid="status"]');
const t0 = performance.now();
const duck = (window.duck = { file: null, changeAt: null });

duck.ready = (async () => {
  // The EH bundle (wasm exceptions; Chromium has them), worker and wasm from this server.
  const worker = new Worker(new URL("./duckdb-browser-eh.worker.js", location.href));
  const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
  await db.instantiate(new URL("./duckdb-eh.wasm", location.href).href);
  const conn = await db.connect();
  duck.db = db;
  duck.conn = conn;
  duck.version = await db.getVersion();
  duck.startup_ms = performance.now() - t0;
  duck.interactive_ms = performance.now();
  status.textContent = `ready (DuckDB ${duck.version})`;
  return true;
})().catch((e) => {
  duck.error = String(e?.message ?? e);
  status.textContent = `failed: ${duck.error}`;
  return false;
});

document.querySelector('[data-testid="file-input"]').addEventListener("change", (e) => {
  duck.changeAt = performance.now();
  duck.file = e.target.files[0];
});

const num = (v) => (typeof v === "bigint" ? Number(v) : v);

/** Registers the chosen File and runs the load SQL ("{f}" = the file's registered name). */
duck.load = async (loadSql) => {
  const f = duck.file;
  const t = performance.now();
  await duck.db.registerFileHandle(f.name, f, duckdb.DuckDBDataProtocol.BROWSER_FILEREADER, true);
  await duck.conn.query(loadSql.replaceAll("{f}", f.name.replaceAll("'", "''")));
  const load_ms = performance.now() - t;
  const rows = num((await duck.conn.query("SELECT count(*) AS n FROM t")).toArray()[0].n);
  duck.columns = (await duck.conn.query("DESCRIBE t")).toArray().map((r) => r.column_name);
  return { load_ms, rows, columns: duck.columns };
};

/** Same expansion as bench/duck_native.py: "{anytext:TERM}" = any column, cast to text, contains TERM. */
function expand(sql) {
  return sql.replace(/\{anytext:([^}]*)\}/g, (_, term) => {
    const t = term.replaceAll("'", "''").replaceAll("%", "\\%").replaceAll("_", "\\_");
    return "(" + duck.columns.map((c) => `CAST("${c}" AS VARCHAR) ILIKE '%${t}%' ESCAPE '\\'`).join(" OR ") + ")";
  });
}

/** Runs one query `runs` times; best and median ms, and its result (count, or number of groups). */
duck.query = async (sql, runs) => {
  const q = expand(sql);
  const times = [];
  let table;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    table = await duck.conn.query(q);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const rows = table.toArray();
  const result = rows.length === 1 && table.numCols === 1 ? num(Object.values(rows[0].toJSON())[0]) : rows.length;
  return { best_ms: times[0], median_ms: times[times.length >> 1], result };
};
