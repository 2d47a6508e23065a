// The worker-thread side of the matmul pool (matmul-pool.ts), as plain JavaScript source run
// with `new Worker(source, { eval: true })`: it needs no module loader, so it starts the
// same under tsx, from dist/, or bundled. It instantiates the compiled kernel modules it is
// sent over the pool's shared memory and runs each job's `matmul` call, then replies.
// It must never touch memory outside its job's C block and scratch, and never keep state
// other than its instances.

/** Messages the pool sends: one `init`, then jobs. */
export type PoolMessage =
  | { init: { memory: unknown } }
  | { job: { id: number; key: string; module?: unknown; args: number[] } };

export type PoolReply = { id: number; ok: true } | { id: number; ok: false; error: string };

export const WORKER_SOURCE = `
"use strict";
const { parentPort } = require("node:worker_threads");
let memory;
const instances = new Map();
parentPort.on("message", (msg) => {
  if (msg.init) {
    memory = msg.init.memory;
    return;
  }
  const { id, key, module, args } = msg.job;
  try {
    let ex = instances.get(key);
    if (!ex) {
      ex = new WebAssembly.Instance(module, { env: { memory } }).exports;
      instances.set(key, ex);
    }
    ex.matmul(...args);
    parentPort.postMessage({ id, ok: true });
  } catch (e) {
    parentPort.postMessage({ id, ok: false, error: e instanceof Error ? e.message : String(e) });
  }
});
`;
