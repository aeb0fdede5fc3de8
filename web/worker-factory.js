// Served build: the worker is a module script next to this file.
// The single-file build swaps this module for worker-factory.inline.js.
export function createWorker() {
  return new Worker(new URL("./worker.js", import.meta.url), { type: "module", name: "auditlens" });
}
