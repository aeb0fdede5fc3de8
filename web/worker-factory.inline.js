// Single-file build: the bundled worker travels as a string inside the page and starts from a Blob
// (a page opened from file:// cannot load a worker script from disk). CSP allows it with worker-src blob:.
import { WORKER_SOURCE } from "auditlens:worker-source";

export function createWorker() {
  const url = URL.createObjectURL(new Blob([WORKER_SOURCE], { type: "text/javascript" }));
  return new Worker(url, { name: "auditlens" });
}
