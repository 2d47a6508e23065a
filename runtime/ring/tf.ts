// TensorFlow.js backend initialisation, in one place for the whole runtime. Prefers the native
// `tensorflow` backend (@tensorflow/tfjs-node, an optional dependency that often cannot
// install) and falls back to `wasm` (@tensorflow/tfjs-backend-wasm, which ships its binary)
// with a one-line notice. Idempotent: every caller awaits the same promise.
// Never imports tfjs statically: loading it costs ~250 ms, which ring-only users must not pay,
// and a missing optional package must not break an import.

import type * as tfc from "@tensorflow/tfjs-core";

export type TfBackend = "tensorflow" | "wasm";

export interface TfHandle {
  tf: typeof tfc;
  backend: TfBackend;
}

let ready: Promise<TfHandle> | undefined;
let handle: TfHandle | undefined;

/** Make tfjs ready on the best available backend; `MPC_TF_BACKEND=wasm` skips tfjs-node. */
export function initTf(): Promise<TfHandle> {
  ready ??= init().then((h) => (handle = h));
  return ready;
}

/** The tfjs handle if `initTf()` has already completed in this process, else undefined. */
export function tfIfReady(): TfHandle | undefined {
  return handle;
}

async function init(): Promise<TfHandle> {
  const tf = await import("@tensorflow/tfjs-core");
  if (process.env.MPC_TF_BACKEND !== "wasm") {
    try {
      // A variable specifier keeps TypeScript from requiring the optional package's types.
      const nodePkg = "@tensorflow/tfjs-node";
      await import(nodePkg);
      if (await tf.setBackend("tensorflow")) {
        await tf.ready();
        return { tf, backend: "tensorflow" };
      }
    } catch {
      // fall through to wasm
    }
    process.stderr.write("mpc: @tensorflow/tfjs-node is not available; using the tfjs wasm backend\n");
  }
  await import("@tensorflow/tfjs-backend-wasm");
  if (!(await tf.setBackend("wasm"))) throw new Error("tfjs: the wasm backend failed to initialise");
  await tf.ready();
  return { tf, backend: "wasm" };
}
