// Kernel selection: MPC_KERNELS parsing, the start-up probe's choice, and the override in a
// fresh process (the probe result is cached per process).

import test from "ava";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { fileURLToPath } from "node:url";
import { availableKernels, kernelMode, prepareRingKernels, sizeClass } from "../../../runtime/ring/index.js";

const run = promisify(execFile);
const root = fileURLToPath(new URL("../../../", import.meta.url));

test("MPC_KERNELS is parsed, and a bad value is named in the error", (t) => {
  const saved = process.env.MPC_KERNELS;
  try {
    for (const [v, want] of [
      [undefined, "auto"],
      ["", "auto"],
      ["typed", "typed"],
      [" TFJS ", "tfjs"],
      ["wasm", "wasm"],
      ["auto", "auto"],
    ] as const) {
      if (v === undefined) delete process.env.MPC_KERNELS;
      else process.env.MPC_KERNELS = v;
      t.is(kernelMode(), want);
    }
    process.env.MPC_KERNELS = "gpu";
    t.throws(() => kernelMode(), { message: "MPC_KERNELS=gpu: expected one of typed, tfjs, wasm, auto" });
  } finally {
    if (saved === undefined) delete process.env.MPC_KERNELS;
    else process.env.MPC_KERNELS = saved;
  }
});

test("size classes split at 64^3 and 256^3 multiply-accumulates", (t) => {
  t.is(sizeClass(63, 64, 64), "small");
  t.is(sizeClass(64, 64, 64), "medium");
  t.is(sizeClass(255, 256, 256), "medium");
  t.is(sizeClass(256, 256, 256), "large");
});

test("the auto probe picks the fastest measured kernel per class and is cached", async (t) => {
  const saved = process.env.MPC_KERNELS;
  delete process.env.MPC_KERNELS;
  try {
    const rep = await prepareRingKernels({ probeTfjs: true });
    t.is(rep.mode, "auto");
    t.true(availableKernels().includes("tfjs"));
    for (const cls of ["small", "medium", "large"] as const) {
      const times = rep.probeMs[cls]!;
      const best = Math.min(...Object.values(times).map((v) => v!));
      t.is(times[rep.choice[cls]], best, cls);
      t.true(availableKernels().includes(rep.choice[cls]));
    }
    t.is(await prepareRingKernels(), rep);
  } finally {
    if (saved !== undefined) process.env.MPC_KERNELS = saved;
  }
});

test("MPC_KERNELS=tfjs forces the limb GEMM in a fresh process", async (t) => {
  const script = `
    import { prepareRingKernels, ringMatmul, ringFromBigInts, ringToBigInts } from "./runtime/ring/index.js";
    const rep = await prepareRingKernels();
    const y = ringMatmul(ringFromBigInts([-1n, 2n], [1, 2]), ringFromBigInts([3n, 1n << 63n], [2, 1]));
    console.log(JSON.stringify({ choice: rep.choice, y: ringToBigInts(y, true).map(String) }));
  `;
  const { stdout } = await run(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
    cwd: root,
    env: { ...process.env, MPC_KERNELS: "tfjs" },
  });
  t.deepEqual(JSON.parse(stdout), { choice: { small: "tfjs", medium: "tfjs", large: "tfjs" }, y: ["-3"] });
});
