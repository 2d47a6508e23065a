// Z_2^64 matmul kernels, n x n x n: a plain JS BigUint64Array i-k-j loop (the baseline), each
// WebAssembly micro-kernel variant, the default single-thread entry point, the worker-pool
// entry point, and plaintext tfjs float32 matMul (wasm backend) for scale. Contenders run
// round-robin within each size so background load hits them alike; figures are medians in
// million multiply-adds per second (ring MACs; float MACs for tfjs), with the ratio to the
// JS baseline. A second table compares the baseline and wasmMatmul on narrow ML shapes
// (vector-matrix, matrix-vector, small batches), where wasmMatmul skips tiling.
// `MATMUL_BENCH_SIZES=128,256` picks the square sizes. Nothing here asserts a speed.

import { randomFillSync } from "node:crypto";
import { loadavg } from "node:os";
import { fmt, table } from "./harness.js";
import { createWasmMatmul, DEFAULT_BLOCKING } from "../runtime/ring/kernels/matmul-engine.js";
import { kernelName } from "../runtime/ring/kernels/matmul-module.js";
import { KERNEL_VARIANTS } from "../runtime/ring/kernels/matmul-variants.js";
import { chooseConfig, closeWasmMatmulPool, DEFAULT_KERNEL, wasmMatmul, wasmMatmulParallel } from "../runtime/ring/kernels/wasm-matmul.js";

/** The baseline: C[i,:] += A[i,p] * B[p,:], wrapping through BigUint64Array stores. */
function jsMatmul(a: BigUint64Array, b: BigUint64Array, n: number, k: number, m: number): BigUint64Array {
  const c = new BigUint64Array(n * m);
  for (let i = 0; i < n; i++) {
    const ci = i * m;
    for (let p = 0; p < k; p++) {
      const x = a[i * k + p]!;
      const bp = p * m;
      for (let j = 0; j < m; j++) c[ci + j] = c[ci + j]! + x * b[bp + j]!;
    }
  }
  return c;
}

interface Contender {
  name: string;
  /** Runs one product; resolves when it is complete. Returns the ring result to cross-check. */
  run(s: number): Promise<BigUint64Array | undefined> | BigUint64Array | undefined;
}

const REPS: Record<number, number> = { 128: 15, 256: 9, 512: 5, 1024: 3 };

export default async function bench(): Promise<void> {
  const sizes = (process.env.MATMUL_BENCH_SIZES ?? "128,256,512,1024").split(",").map(Number);
  const tf = await import("@tensorflow/tfjs-core");
  await import("@tensorflow/tfjs-backend-wasm");
  await tf.setBackend("wasm");
  await tf.ready();

  const results = new Map<string, Map<number, number>>();
  let operands: { a: BigUint64Array; b: BigUint64Array; fa: unknown; fb: unknown } | undefined;
  const ops = () => operands!;
  const contenders: Contender[] = [
    { name: "JS BigUint64Array i-k-j (baseline)", run: (s) => jsMatmul(ops().a, ops().b, s, s, s) },
    ...KERNEL_VARIANTS.map((kernel) => {
      const mm = createWasmMatmul({ kernel, blocking: DEFAULT_BLOCKING });
      return { name: `wasm ${kernelName(kernel)}`, run: (s: number) => mm(ops().a, ops().b, s, s, s) };
    }),
    { name: `wasmMatmul (default ${kernelName(DEFAULT_KERNEL)})`, run: (s) => wasmMatmul(ops().a, ops().b, s, s, s) },
    { name: "wasmMatmulParallel (worker pool)", run: (s) => wasmMatmulParallel(ops().a, ops().b, s, s, s) },
    {
      name: "tfjs-wasm float32 matMul (plaintext, float MACs)",
      run: () => {
        const c = tf.matMul(ops().fa as import("@tensorflow/tfjs-core").Tensor2D, ops().fb as import("@tensorflow/tfjs-core").Tensor2D);
        c.dispose(); // wasm kernels run synchronously: the product is complete here
        return undefined;
      },
    },
  ];

  for (const s of sizes) {
    const a = new BigUint64Array(s * s);
    const b = new BigUint64Array(s * s);
    randomFillSync(a);
    randomFillSync(b);
    const fa = tf.randomUniform([s, s], -1, 1, "float32");
    const fb = tf.randomUniform([s, s], -1, 1, "float32");
    operands = { a, b, fa, fb };
    // One untimed run each: warms the engines (wasm tier-up, worker start) and cross-checks.
    let expected: BigUint64Array | undefined;
    for (const c of contenders) {
      const out = await c.run(s);
      if (!out) continue;
      expected ??= out;
      if (out.some((v, i) => v !== expected![i])) throw new Error(`${c.name} disagrees with the baseline at ${s}^3`);
    }
    const times = contenders.map(() => [] as number[]);
    for (let r = 0; r < (REPS[s] ?? 3); r++) {
      for (const [i, c] of contenders.entries()) {
        const t0 = performance.now();
        await c.run(s);
        times[i]!.push(performance.now() - t0);
      }
    }
    for (const [i, c] of contenders.entries()) {
      const sorted = times[i]!.sort((x, y) => x - y);
      const median = sorted[Math.floor(sorted.length / 2)]!;
      if (!results.has(c.name)) results.set(c.name, new Map());
      results.get(c.name)!.set(s, s ** 3 / median / 1e3); // M MAC/s
    }
    tf.dispose([fa, fb] as import("@tensorflow/tfjs-core").Tensor[]);
  }
  await closeWasmMatmulPool();

  const narrow = await narrowShapes();
  const base = results.get(contenders[0]!.name)!;
  table(
    `Z_2^64 matmul n^3, M multiply-adds/s (x JS baseline), median, round-robin; load ${loadavg().map((l) => l.toFixed(2)).join(" ")}`,
    ["kernel", ...sizes.map((s) => `${s}^3`)],
    contenders.map((c) => [c.name, ...sizes.map((s) => `${fmt(results.get(c.name)!.get(s)!)} (${fmt(results.get(c.name)!.get(s)! / base.get(s)!)}x)`)]),
  );
  table(
    "Narrow shapes n x k x m, M multiply-adds/s, median, round-robin",
    ["shape", "JS baseline", "wasmMatmul", "ratio", "wasm path"],
    narrow,
  );
}

const NARROW: [number, number, number][] = [
  [1, 1024, 1024],
  [1024, 1024, 1],
  [16, 784, 128],
  [1024, 784, 10],
  [64, 64, 64],
];

async function narrowShapes(): Promise<(string | number)[][]> {
  const rows: (string | number)[][] = [];
  for (const [n, k, m] of NARROW) {
    const a = new BigUint64Array(n * k);
    const b = new BigUint64Array(k * m);
    randomFillSync(a);
    randomFillSync(b);
    const want = jsMatmul(a, b, n, k, m);
    const got = wasmMatmul(a, b, n, k, m);
    if (got.some((v, i) => v !== want[i])) throw new Error(`wasmMatmul disagrees with the baseline at ${n}x${k}x${m}`);
    const times: [number[], number[]] = [[], []];
    const reps = Math.max(5, Math.min(31, Math.round(2e8 / (n * k * m))));
    for (let r = 0; r < reps; r++) {
      let t0 = performance.now();
      jsMatmul(a, b, n, k, m);
      times[0].push(performance.now() - t0);
      t0 = performance.now();
      wasmMatmul(a, b, n, k, m);
      times[1].push(performance.now() - t0);
    }
    const [js, wasm] = times.map((t) => (n * k * m) / t.sort((x, y) => x - y)[Math.floor(t.length / 2)]! / 1e3) as [number, number];
    rows.push([`${n}x${k}x${m}`, js, wasm, `${fmt(wasm / js)}x`, chooseConfig(n, k, m).untiled ?? "tiled"]);
  }
  return rows;
}
