// Served build: the wasm and the sample data are static files beside the page.
// The single-file build swaps this module for assets.inline.js (everything embedded).

/** What wasm-bindgen's init() accepts as `module_or_path`. */
export function wasmSource() {
  return new URL("./pkg/auditlens_wasm_bg.wasm", import.meta.url);
}

/** The sample file names, from sample/manifest.json ({"files": [...]}). */
export async function sampleNames() {
  const res = await fetch(new URL("./sample/manifest.json", import.meta.url));
  if (!res.ok) throw new Error(`sample/manifest.json: HTTP ${res.status}`);
  const manifest = await res.json();
  if (!Array.isArray(manifest.files)) throw new Error("sample/manifest.json has no \"files\" list");
  return manifest.files.map(String);
}

/** One sample file's bytes. */
export async function sampleBytes(name) {
  const res = await fetch(new URL(`./sample/${encodeURIComponent(name)}`, import.meta.url));
  if (!res.ok) throw new Error(`sample/${name}: HTTP ${res.status}`);
  return res.arrayBuffer();
}
