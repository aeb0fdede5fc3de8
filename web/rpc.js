// The UI side of the worker protocol. Every call is one message and gets exactly one answer:
//   request   {id, method, args}
//   progress  {id, type: "progress", data}      (zero or more, before the answer)
//   answer    {id, type: "result", result} | {id, type: "error", error: {name, message}}
// New worker methods need no change here: call("query", {...}) just works once worker.js has it.

/** A promise-based client over a worker that speaks the protocol above. */
export class WorkerClient {
  #worker;
  #nextId = 1;
  #pending = new Map();
  #broken = null; // set once the worker has failed: later calls fail at once instead of hanging

  constructor(worker) {
    this.#worker = worker;
    worker.addEventListener("message", (e) => this.#onMessage(e.data));
    worker.addEventListener("error", (e) => this.#failAll(new Error(e.message || "worker failed to start")));
    // An undecodable answer cannot be matched to its call: fail what is waiting, keep the worker.
    worker.addEventListener("messageerror", () => this.#failAll(new Error("worker message could not be decoded"), false));
  }

  /**
   * Calls `method` in the worker.
   * @param {string} method
   * @param {object} [args]
   * @param {{onProgress?: (data: any) => void, transfer?: Transferable[]}} [opts]
   */
  call(method, args = {}, { onProgress, transfer = [] } = {}) {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      if (this.#broken) return reject(this.#broken);
      this.#pending.set(id, { resolve, reject, onProgress });
      this.#worker.postMessage({ id, method, args }, transfer);
    });
  }

  #onMessage(msg) {
    const p = this.#pending.get(msg?.id);
    if (!p) return;
    if (msg.type === "progress") {
      p.onProgress?.(msg.data);
      return;
    }
    this.#pending.delete(msg.id);
    if (msg.type === "result") p.resolve(msg.result);
    else p.reject(Object.assign(new Error(msg.error?.message ?? "worker error"), { name: msg.error?.name ?? "Error" }));
  }

  #failAll(err, fatal = true) {
    if (fatal) this.#broken = err;
    for (const p of this.#pending.values()) p.reject(err);
    this.#pending.clear();
  }
}
