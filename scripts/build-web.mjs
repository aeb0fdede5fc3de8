// Assembles the page from web/ and pkg/ (wasm-bindgen output).
//
//   node scripts/build-web.mjs site     -> dist/site/        static files for any web server
//   node scripts/build-web.mjs single   -> dist/auditlens.html  one self-contained file (works from file://)
//
// Both come from the same sources. The served page uses web/ as is (ES modules, no bundling). The single
// file bundles the same modules with esbuild, swapping the two modules that know where things live:
//   assets.js         -> assets.inline.js          (wasm + sample files embedded as base64)
//   worker-factory.js -> worker-factory.inline.js  (worker started from a Blob of its bundled source)
// Its inline <script> and <style> are allowed by their sha256 in the CSP, not by 'unsafe-inline'.
import fs from "node:fs";
import path from "node:path";
import { createHash } from "node:crypto";
import { pathToFileURL } from "node:url";
import * as esbuild from "esbuild";

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const WEB = path.join(ROOT, "web");
const PKG = path.join(ROOT, "pkg");
const DIST = path.join(ROOT, "dist");
const SITE = path.join(DIST, "site");
const GLUE = ["auditlens_wasm.js", "auditlens_wasm_bg.wasm"];

function die(msg) {
  console.error(`build-web: ${msg}`);
  process.exit(1);
}

function readSampleManifest(dir) {
  const file = path.join(dir, "manifest.json");
  const names = JSON.parse(fs.readFileSync(file, "utf8")).files;
  if (!Array.isArray(names)) die(`${file}: expected {"files": [...]}`);
  for (const n of names) {
    if (typeof n !== "string" || n !== path.basename(n) || n.startsWith(".")) die(`${file}: "${n}" is not a plain file name`);
    if (!fs.existsSync(path.join(dir, n))) die(`${file} lists ${n}, which is missing`);
  }
  return names;
}

/** The CSP source of the report's inline stylesheet: the page previews reports in a sandboxed
 * srcdoc iframe, which inherits the page's CSP, so the page must allow exactly that one <style>.
 * The core writes the hash into the report's own CSP; we read it from a report of an empty session. */
async function reportStyleSources() {
  const glue = await import(pathToFileURL(path.join(PKG, "auditlens_wasm.js")).href);
  glue.initSync({ module: fs.readFileSync(path.join(PKG, "auditlens_wasm_bg.wasm")) });
  const session = new glue.Session();
  if (typeof session.report !== "function") return [];
  const html = session.report(JSON.stringify({ format: "html", generatedAt: "2026-01-01T00:00:00Z" }));
  session.free?.();
  const m = html.match(/style-src ((?:'sha256-[A-Za-z0-9+/=]+'\s*)+)/);
  if (!m) die("the report's HTML has no style-src hash in its CSP; cannot allow its preview");
  return m[1].trim().split(/\s+/);
}

async function buildSite() {
  for (const f of GLUE) if (!fs.existsSync(path.join(PKG, f))) die(`pkg/${f} missing (run ./x build)`);
  const sampleDir = path.join(WEB, "sample");
  const sampleFiles = new Set(["manifest.json", ...readSampleManifest(sampleDir)].map((n) => path.join(sampleDir, n)));
  fs.rmSync(SITE, { recursive: true, force: true });
  // The *.inline.js variants only make sense inside the single-file bundle; of web/sample/ the page
  // needs only the manifest and the files it lists (not the generator's notes and truth files).
  const wanted = (src) =>
    !src.endsWith(".inline.js") && (src === sampleDir || !src.startsWith(sampleDir + path.sep) || sampleFiles.has(src));
  fs.cpSync(WEB, SITE, { recursive: true, filter: wanted });
  fs.mkdirSync(path.join(SITE, "pkg"));
  for (const f of GLUE) fs.copyFileSync(path.join(PKG, f), path.join(SITE, "pkg", f));
  const index = path.join(SITE, "index.html");
  const extra = await reportStyleSources();
  if (extra.length) {
    const html = replaceOnce(fs.readFileSync(index, "utf8"), /style-src 'self'/, `style-src 'self' ${extra.join(" ")}`);
    fs.writeFileSync(index, html);
  }
  console.log(`build-web: ${path.relative(ROOT, SITE)}/ assembled`);
}

/** esbuild plugin: redirect some imports to other files (paths from the repo root), and serve virtual
 * modules from strings. */
function swapPlugin({ redirect = {}, virtual = {} }) {
  return {
    name: "auditlens-swap",
    setup(build) {
      build.onResolve({ filter: /.*/ }, (args) => {
        if (args.path in virtual) return { path: args.path, namespace: "virtual" };
        if (args.path in redirect) return { path: path.join(ROOT, redirect[args.path]) };
        return undefined;
      });
      build.onLoad({ filter: /.*/, namespace: "virtual" }, (args) => ({ contents: virtual[args.path], loader: "js" }));
    },
  };
}

async function bundle(entry, plugin) {
  const result = await esbuild.build({
    entryPoints: [path.join(WEB, entry)],
    bundle: true,
    write: false,
    format: "iife",
    target: "es2022",
    minify: true,
    legalComments: "none",
    // The glue's default wasm URL (new URL(..., import.meta.url)) is never used: bytes are passed in.
    define: { "import.meta.url": '"about:blank"' },
    logLevel: "silent",
    plugins: [plugin],
  });
  for (const w of result.warnings) console.warn(`build-web: esbuild warning: ${w.text}`);
  return result.outputFiles[0].text;
}

/** Replaces exactly one match of `pattern` in `html`, or stops the build (the template changed). */
function replaceOnce(html, pattern, replacement) {
  const matches = html.match(new RegExp(pattern.source, "g")) ?? [];
  if (matches.length !== 1) die(`web/index.html: expected exactly one ${pattern}, found ${matches.length}`);
  return html.replace(pattern, () => replacement);
}

const sha256 = (text) => `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;

async function buildSingle() {
  const wasmFile = path.join(PKG, "auditlens_wasm_bg.wasm");
  if (!fs.existsSync(wasmFile)) die("pkg/auditlens_wasm_bg.wasm missing (run ./x build)");
  const sampleDir = path.join(WEB, "sample");
  const samples = readSampleManifest(sampleDir).map((name) => ({
    name,
    base64: fs.readFileSync(path.join(sampleDir, name)).toString("base64"),
  }));

  const embedded =
    `export const WASM_BASE64 = ${JSON.stringify(fs.readFileSync(wasmFile).toString("base64"))};\n` +
    `export const SAMPLES = ${JSON.stringify(samples)};\n`;
  const worker = await bundle(
    "worker.js",
    swapPlugin({
      redirect: { "./assets.js": "web/assets.inline.js", "./pkg/auditlens_wasm.js": "pkg/auditlens_wasm.js" },
      virtual: { "auditlens:embedded": embedded },
    }),
  );
  const app = await bundle(
    "app.js",
    swapPlugin({
      redirect: { "./worker-factory.js": "web/worker-factory.inline.js" },
      virtual: { "auditlens:worker-source": `export const WORKER_SOURCE = ${JSON.stringify(worker)};` },
    }),
  );
  const css = (await esbuild.transform(fs.readFileSync(path.join(WEB, "style.css"), "utf8"), { loader: "css", minify: true })).code;

  // Inline script/style text ends at the first "</script"/"</style"; "<!--" changes script parsing.
  if (/<\/script|<!--/i.test(app)) die("bundled script contains </script or <!--; cannot inline it");
  if (/<\/style/i.test(css)) die("stylesheet contains </style; cannot inline it");

  const csp = [
    "default-src 'none'",
    `script-src ${sha256(app)} 'wasm-unsafe-eval'`,
    "worker-src blob:",
    "connect-src 'none'",
    "img-src data:",
    `style-src ${[sha256(css), ...(await reportStyleSources())].join(" ")}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");
  const favicon = `data:image/svg+xml;base64,${fs.readFileSync(path.join(WEB, "favicon.svg")).toString("base64")}`;

  let html = fs.readFileSync(path.join(WEB, "index.html"), "utf8");
  html = replaceOnce(html, /<!-- CSP:[\s\S]*?-->\n/, "<!-- auditlens single-file build: everything is inline; nothing is fetched. -->\n");
  html = replaceOnce(html, /<meta http-equiv="Content-Security-Policy" content="[^"]*">/, `<meta http-equiv="Content-Security-Policy" content="${csp}">`);
  html = replaceOnce(html, /<link rel="icon"[^>]*>/, `<link rel="icon" type="image/svg+xml" href="${favicon}">`);
  html = replaceOnce(html, /<link rel="stylesheet" href="style.css">/, `<style>${css}</style>`);
  html = replaceOnce(html, /<script type="module" src="app.js"><\/script>/, `<script>${app}</script>`);

  fs.mkdirSync(DIST, { recursive: true });
  const out = path.join(DIST, "auditlens.html");
  fs.writeFileSync(out, html);
  console.log(`build-web: ${path.relative(ROOT, out)} written (${(Buffer.byteLength(html) / 1024).toFixed(0)} KiB)`);
}

const what = process.argv[2];
if (what === "site") await buildSite().catch((err) => die(err.message));
else if (what === "single") await buildSingle().catch((err) => die(err.message));
else die("usage: node scripts/build-web.mjs site|single");
