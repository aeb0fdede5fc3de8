// Single-file build: the wasm and the sample files are embedded as base64 by scripts/build-web.mjs.
import { WASM_BASE64, SAMPLES } from "auditlens:embedded";

function decodeBase64(b64) {
  if (typeof Uint8Array.fromBase64 === "function") return Uint8Array.fromBase64(b64);
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function wasmSource() {
  return decodeBase64(WASM_BASE64);
}

export async function sampleNames() {
  return SAMPLES.map((s) => s.name);
}

export async function sampleBytes(name) {
  const s = SAMPLES.find((f) => f.name === name);
  if (!s) throw new Error(`no embedded sample named ${name}`);
  return decodeBase64(s.base64).buffer;
}
