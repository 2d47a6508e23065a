// Ring kernels against plaintext TensorFlow.js in the same process: matmul throughput per
// exact implementation (typed loop, tfjs float32-limb GEMM, WebAssembly) beside a float32
// tfjs matmul of the same size, elementwise ring ops on 1e6 elements beside float32 tfjs, and
// PRG throughput. Contenders run round-robin (one repetition of each in turn) so background
// load hits them alike; figures are medians. Not a test: nothing is asserted.

import { fmt, table, type Bench } from "./harness.js";
import {
  type KernelName,
  type Matmul2d,
  loadTfjsKernel,
  loadWasmKernel,
  prepareRingKernels,
  ringAdd,
  ringMul,
  ringMulScalar,
  ringShiftRightArith,
  ringXor,
  typedMatmul,
} from "../runtime/ring/index.js";
import { initTf } from "../runtime/ring/tf.js";
import { Prg, randomRing, randomSeed } from "../runtime/random/index.js";

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Run each contender once per round, `reps` rounds after one warm-up round; medians in ms. */
function roundRobin(fns: Record<string, () => void>, reps: number): Record<string, number> {
  const times: Record<string, number[]> = {};
  for (const [name, f] of Object.entries(fns)) {
    f();
    times[name] = [];
  }
  for (let r = 0; r < reps; r++) {
    for (const [name, f] of Object.entries(fns)) {
      const t = performance.now();
      f();
      times[name]!.push(performance.now() - t);
    }
  }
  return Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
}

const bench: Bench = async () => {
  const { tf, backend } = await initTf();
  const kernels: Partial<Record<KernelName, Matmul2d>> = { typed: typedMatmul, tfjs: await loadTfjsKernel() };
  const wasm = await loadWasmKernel();
  if (wasm) kernels.wasm = wasm;
  const report = await prepareRingKernels({ probeTfjs: true });
  console.log(`tfjs backend: ${backend}; ring kernels: ${Object.keys(kernels).join(", ")}`);
  console.log(`start-up probe: ${report.probeTotalMs.toFixed(0)} ms, choice ${JSON.stringify(report.choice)}`);

  // ---- matmul ----
  const rows: (string | number)[][] = [];
  let slowAt512: Partial<Record<KernelName, number>> = {};
  for (const n of [128, 256, 512, 1024]) {
    const a = randomRing(n * n);
    const b = randomRing(n * n);
    const fa = tf.randomNormal([n, n], 0, 1, "float32");
    const fb = tf.randomNormal([n, n], 0, 1, "float32");
    const fns: Record<string, () => void> = {
      "tfjs f32": () => tf.matMul(fa, fb).dispose(), // wasm/cpu kernels run synchronously
    };
    for (const [name, f] of Object.entries(kernels) as [KernelName, Matmul2d][]) {
      // at 1024 keep only kernels that took under 0.5 s at 512 (about 4 s at 1024)
      if (n === 1024 && (slowAt512[name] ?? 0) > 500) continue;
      fns[name] = () => void f(a, b, n, n, n);
    }
    const reps = n <= 256 ? 7 : n === 512 ? 3 : 3;
    const ms = roundRobin(fns, reps);
    fa.dispose();
    fb.dispose();
    const f32 = ms["tfjs f32"]!;
    for (const name of Object.keys(kernels) as KernelName[]) {
      const t = ms[name];
      if (t === undefined) {
        rows.push([String(n), name, "skipped (slow)", "", fmt(f32), "", ""]);
        continue;
      }
      if (n === 512) slowAt512 = { ...slowAt512, [name]: t };
      rows.push([String(n), name, fmt(t), fmt(n ** 3 / t / 1e3), fmt(f32), fmt((2 * n ** 3) / f32 / 1e6), `${fmt(t / f32)}x`]);
    }
  }
  table(
    "ring matmul n x n x n (exact mod 2^64) vs tfjs float32 matmul",
    ["n", "kernel", "ring ms", "M ring MAC/s", "f32 ms", "f32 GFLOP/s", "ring/f32 time"],
    rows,
  );

  // ---- elementwise on 1e6 elements ----
  const N = 1_000_000;
  const x = { data: randomRing(N), shape: [N] };
  const y = { data: randomRing(N), shape: [N] };
  const fx = tf.randomNormal([N], 0, 1, "float32");
  const fy = tf.randomNormal([N], 0, 1, "float32");
  const ew = roundRobin(
    {
      "tfjs f32 mul": () => tf.mul(fx, fy).dispose(),
      "tfjs f32 add": () => tf.add(fx, fy).dispose(),
      "ring mul": () => void ringMul(x, y),
      "ring add": () => void ringAdd(x, y),
      "ring sar 16 (truncation)": () => void ringShiftRightArith(x, 16),
      "ring xor": () => void ringXor(x, y),
      "ring mul by public const": () => void ringMulScalar(x, 65536n),
    },
    11,
  );
  fx.dispose();
  fy.dispose();
  const base = ew["tfjs f32 mul"]!;
  table(
    "elementwise, 1e6 elements (ring ops allocate their output, as tfjs does)",
    ["op", "ms", "M elements/s", "vs tfjs f32 mul"],
    Object.entries(ew).map(([k, t]) => [k, fmt(t), fmt(N / t / 1e3), `${fmt(t / base)}x`]),
  );

  // ---- randomness ----
  const prg = new Prg(randomSeed(), "bench");
  const rnd = roundRobin(
    {
      "Prg.ring (AES-128-CTR)": () => void prg.ring(N),
      "randomRing (crypto.randomFillSync)": () => void randomRing(N),
    },
    11,
  );
  table(
    "random ring elements, 1e6 per call",
    ["source", "ms", "M elements/s"],
    Object.entries(rnd).map(([k, t]) => [k, fmt(t), fmt(N / t / 1e3)]),
  );
};

export default bench;
