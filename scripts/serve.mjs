// A small static file server for dist/site: correct MIME types (application/wasm, JavaScript for
// .js/.mjs), loopback only, GET/HEAD only, no directory listings. Used by `./x serve` and the e2e tests.
//
//   node scripts/serve.mjs [ROOT] [--port N] [--host 127.0.0.1]
import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".txt": "text/plain; charset=utf-8",
  ".csv": "text/csv; charset=utf-8",
  ".ndjson": "application/x-ndjson; charset=utf-8",
  ".jsonl": "application/x-ndjson; charset=utf-8",
  ".log": "text/plain; charset=utf-8",
  ".gz": "application/gzip",
  ".ts": "text/plain; charset=utf-8",
};

/** Starts serving `root`; resolves to {server, url} once listening (port 0 picks a free port). */
export function startServer({ root, host = "127.0.0.1", port = 0 }) {
  const base = path.resolve(root);
  const server = http.createServer((req, res) => {
    const send = (status, body, type = "text/plain; charset=utf-8") => {
      res.writeHead(status, { "Content-Type": type, "Content-Length": Buffer.byteLength(body) });
      res.end(req.method === "HEAD" ? undefined : body);
    };
    if (req.method !== "GET" && req.method !== "HEAD") return send(405, "method not allowed\n");

    let rel;
    try {
      rel = decodeURIComponent(new URL(req.url, "http://x").pathname);
    } catch {
      return send(400, "bad request\n");
    }
    let file = path.resolve(base, "." + rel);
    if (file !== base && !file.startsWith(base + path.sep)) return send(403, "forbidden\n");

    fs.stat(file, (err, st) => {
      if (!err && st.isDirectory()) {
        file = path.join(file, "index.html");
        st = fs.existsSync(file) ? fs.statSync(file) : null;
      }
      if (err || !st || !st.isFile()) return send(404, "not found\n");
      res.writeHead(200, {
        "Content-Type": TYPES[path.extname(file).toLowerCase()] ?? "application/octet-stream",
        "Content-Length": st.size,
        "Cache-Control": "no-cache",
        "X-Content-Type-Options": "nosniff",
      });
      if (req.method === "HEAD") return res.end();
      fs.createReadStream(file).pipe(res);
    });
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      const { port: p } = server.address();
      resolve({ server, url: `http://${host}:${p}/` });
    });
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const args = process.argv.slice(2);
  const opt = (name, dflt) => {
    const i = args.indexOf(name);
    if (i < 0) return dflt;
    const v = args[i + 1];
    args.splice(i, 2);
    return v;
  };
  const port = Number(opt("--port", "8080"));
  const host = opt("--host", "127.0.0.1");
  const root = args[0] ?? "dist/site";
  if (!fs.existsSync(path.join(root, "index.html"))) {
    console.error(`serve: ${root}/index.html not found (run ./x build first)`);
    process.exit(1);
  }
  startServer({ root, host, port }).then(
    ({ url }) => console.log(`auditlens is being served at ${url}  (Ctrl-C to stop)`),
    (err) => {
      console.error(`serve: cannot listen on ${host}:${port}: ${err.code ?? err.message}`);
      process.exit(1);
    },
  );
}
