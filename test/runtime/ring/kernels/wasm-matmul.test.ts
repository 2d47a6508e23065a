// The WebAssembly Z_2^64 matmul against an exact BigInt reference: every kernel variant
// (scalar, SIMD, hybrid), default and tiny blockings (so every block edge is crossed), odd
// and vector shapes, inner dimensions up to 2000, worst-case constant fills, the worker pool
// (row and column splits, queued products), and the public entry points' errors.

import test from "ava";
import {
  DEFAULT_BLOCKING,
  PAGE,
  createWasmMatmul,
  ensureMemory,
  type Blocking,
  type KernelConfig,
} from "../../../../runtime/ring/kernels/matmul-engine.js";
import { kernelName, type KernelShape } from "../../../../runtime/ring/kernels/matmul-module.js";
import { MatmulPool, splitRange } from "../../../../runtime/ring/kernels/matmul-pool.js";
import { KERNEL_VARIANTS } from "../../../../runtime/ring/kernels/matmul-variants.js";
import {
  PARALLEL_MIN_MACS,
  chooseConfig,
  closeWasmMatmulPool,
  wasmMatmul,
  wasmMatmulAvailable,
  wasmMatmulParallel,
} from "../../../../runtime/ring/kernels/wasm-matmul.js";
import { WORST_FILLS, filled, firstDifference, randomRing, refMatmul } from "./reference.js";

type Shape = [n: number, k: number, m: number];

// Not multiples of any tile (1, 3, 17, 65, 130), vectors (n = 1 or m = 1), k across the
// 256-deep k blocks up to 2000, m across the 1024-wide column blocks, n across 128-row blocks.
const SHAPES: Shape[] = [
  [1, 1, 1],
  [1, 17, 1],
  [3, 17, 5],
  [17, 65, 130],
  [65, 130, 3],
  [130, 1, 65],
  [1, 130, 17],
  [130, 17, 1],
  [2, 2000, 3],
  [33, 1031, 9],
  [5, 3, 1030],
];

interface Case {
  shape: Shape;
  a: BigUint64Array;
  b: BigUint64Array;
  want: BigUint64Array;
}

const cases: Case[] = SHAPES.map(([n, k, m], i) => {
  const a = randomRing(n * k, 2 * i + 1);
  const b = randomRing(k * m, 2 * i + 2);
  return { shape: [n, k, m], a, b, want: refMatmul(a, b, n, k, m) };
});

// Constant fills, each against each (and against random data), at k = 2000.
const FILL_SHAPE: Shape = [3, 2000, 5];
const fillCases: Case[] = (() => {
  const [n, k, m] = FILL_SHAPE;
  const out: Case[] = [];
  const sides = [...WORST_FILLS.map((v) => [filled(n * k, v), filled(k * m, v)] as const), [randomRing(n * k, 99), randomRing(k * m, 98)] as const];
  for (const [a] of sides) for (const [, b] of sides) out.push({ shape: FILL_SHAPE, a, b, want: refMatmul(a, b, n, k, m) });
  return out;
})();

const TINY_BLOCKING: Blocking = { mc: 3, kc: 5, nc: 9 };

// The benchmark's variants and the code paths no variant takes (single-column and
// single-row tiles, unroll 3, three segments in one tile).
const SHAPES_UNDER_TEST: KernelShape[] = uniqueByName([
  ...KERNEL_VARIANTS,
  { mr: 8, cols: { i64: 1 }, unroll: 1 },
  { mr: 1, cols: { i64: 4, i64x2: 4 }, unroll: 1 },
  { mr: 3, cols: { i64: 1 }, unroll: 3 },
  { mr: 2, cols: { i64: 1, i64x2: 2, split32: 4 }, unroll: 2 },
]);

function uniqueByName(shapes: KernelShape[]): KernelShape[] {
  return [...new Map(shapes.map((s) => [kernelName(s), s])).values()];
}

function check(t: { is: (a: unknown, b: unknown, msg?: string) => void }, label: string, got: BigUint64Array, c: Case): void {
  t.is(firstDifference(got, c.want), undefined, `${label} ${c.shape.join("x")}`);
}

test("wasmMatmul is available and matches the BigInt reference on random odd and vector shapes", (t) => {
  t.true(wasmMatmulAvailable());
  for (const c of cases) check(t, "wasmMatmul", wasmMatmul(c.a, c.b, ...c.shape), c);
});

for (const shape of SHAPES_UNDER_TEST) {
  for (const [blockingName, blocking] of [["default", DEFAULT_BLOCKING], ["tiny", TINY_BLOCKING]] as const) {
    test(`kernel ${kernelName(shape)} with ${blockingName} blocking matches the reference`, (t) => {
      const mm = createWasmMatmul({ kernel: shape, blocking });
      for (const c of cases) check(t, kernelName(shape), mm(c.a, c.b, ...c.shape), c);
      for (const c of fillCases) check(t, `${kernelName(shape)} fill`, mm(c.a, c.b, ...c.shape), c);
    });
  }
}

test("narrow products skip tiling: dots for few columns of B, rows for few rows of A", (t) => {
  t.is(chooseConfig(1000, 100, 8).untiled, "dots");
  t.is(chooseConfig(12, 100, 9).untiled, "rows");
  t.is(chooseConfig(13, 100, 9).untiled, undefined);
  t.is(chooseConfig(1, 4096, 4096).untiled, "rows");
  t.is(chooseConfig(2, 4096, 4096).untiled, undefined);
});

for (const untiled of ["rows", "dots"] as const) {
  test(`the untiled "${untiled}" loop matches the reference on every shape`, (t) => {
    const mm = createWasmMatmul({ ...chooseConfig(100, 100, 100), untiled });
    for (const c of [...cases, ...fillCases]) check(t, untiled, mm(c.a, c.b, ...c.shape), c);
  });
}

test("worst-case fills through wasmMatmul: k*x*y mod 2^64", (t) => {
  for (const c of fillCases) check(t, "fill", wasmMatmul(c.a, c.b, ...c.shape), c);
  // The closed form, as a second reference: every entry is k*x*y mod 2^64.
  const [n, k, m] = FILL_SHAPE;
  for (const x of WORST_FILLS) {
    for (const y of WORST_FILLS) {
      const got = wasmMatmul(filled(n * k, x), filled(k * m, y), n, k, m);
      t.is(got[n * m - 1], (BigInt(k) * x * y) % (1n << 64n));
    }
  }
});

test("zero-size dimensions give an all-zero (or empty) result", (t) => {
  t.deepEqual(wasmMatmul(new BigUint64Array(0), new BigUint64Array(6), 0, 2, 3), new BigUint64Array(0));
  t.deepEqual(wasmMatmul(new BigUint64Array(0), new BigUint64Array(0), 2, 0, 3), new BigUint64Array(6));
  t.deepEqual(wasmMatmul(new BigUint64Array(4), new BigUint64Array(0), 2, 2, 0), new BigUint64Array(0));
});

test("operands that do not match the shape are rejected with the sizes", (t) => {
  t.throws(() => wasmMatmul(new BigUint64Array(5), new BigUint64Array(6), 2, 3, 2), {
    instanceOf: RangeError,
    message: "wasmMatmul: A has 5 elements, expected n*k = 2*3",
  });
  t.throws(() => wasmMatmul(new BigUint64Array(6), new BigUint64Array(5), 2, 3, 2), {
    instanceOf: RangeError,
    message: "wasmMatmul: B has 5 elements, expected k*m = 3*2",
  });
  t.throws(() => wasmMatmul(new BigUint64Array(0), new BigUint64Array(0), -1, 0, 0), {
    message: "wasmMatmul: n must be a non-negative integer, got -1",
  });
});

test("memory grows page-wise on demand and refuses to pass its limit", (t) => {
  let pages = 1;
  const memory = {
    get buffer() {
      return new ArrayBuffer(pages * PAGE);
    },
    grow(delta: number) {
      pages += delta;
      return pages - delta;
    },
  };
  ensureMemory(memory, 3 * PAGE + 1, 8);
  t.is(pages, 4);
  ensureMemory(memory, PAGE, 8);
  t.is(pages, 4);
  t.throws(() => ensureMemory(memory, 9 * PAGE, 8), {
    instanceOf: RangeError,
    message: "wasmMatmul: operands need 9 wasm pages, above the limit of 8",
  });
});

test("repeated products of different sizes reuse the instance and stay exact", (t) => {
  // Large, then small, then large again: stale memory from a bigger product must not leak in.
  const big = cases[9]!;
  const small = cases[2]!;
  for (const c of [big, small, big, small]) check(t, "reuse", wasmMatmul(c.a, c.b, ...c.shape), c);
});

test("splitRange covers [0, total) with aligned inner boundaries", (t) => {
  t.deepEqual(splitRange(130, 2, 2), [{ start: 0, end: 66 }, { start: 66, end: 130 }]);
  t.deepEqual(splitRange(7, 4, 7), [{ start: 0, end: 7 }]);
  t.deepEqual(splitRange(1, 2, 4), [{ start: 0, end: 1 }]);
  const parts = splitRange(1030, 3, 7);
  t.is(parts[0]!.start, 0);
  t.is(parts[parts.length - 1]!.end, 1030);
  for (let i = 1; i < parts.length; i++) {
    t.is(parts[i]!.start, parts[i - 1]!.end);
    t.is(parts[i]!.start % 7, 0);
  }
});

test("the worker pool splits rows and columns and matches the reference", async (t) => {
  // Chunks as small as one tile, so every product is shared by all three workers.
  const pool = new MatmulPool(3, { minChunk: 1, chunksPerWorker: 2 });
  try {
    for (const shape of [KERNEL_VARIANTS[0]!, { mr: 2, cols: { i64: 3, split32: 4 }, unroll: 1 }] as KernelShape[]) {
      const cfg: KernelConfig = { kernel: shape, blocking: TINY_BLOCKING };
      for (const c of [...cases, fillCases[3]!]) check(t, `pool ${kernelName(shape)}`, await pool.matmul(cfg, c.a, c.b, ...c.shape), c);
    }
    // Products submitted together queue behind each other and each comes out right.
    const cfg = chooseConfig(33, 1031, 9);
    const got = await Promise.all(cases.map((c) => pool.matmul(cfg, c.a, c.b, ...c.shape)));
    got.forEach((g, i) => check(t, "queued", g, cases[i]!));
  } finally {
    await pool.close();
  }
  await t.throwsAsync(pool.matmul(chooseConfig(1, 1, 1), new BigUint64Array(1), new BigUint64Array(1), 1, 1, 1), {
    message: "wasmMatmulParallel: the pool was closed",
  });
});

test("a pool whose worker died rejects its products instead of waiting forever", async (t) => {
  const pool = new MatmulPool(2);
  const c = cases[3]!;
  const cfg = chooseConfig(...c.shape);
  check(t, "before", await pool.matmul(cfg, c.a, c.b, ...c.shape), c);
  // Reach in to kill one worker, as a crash would.
  await (pool as unknown as { workers: { terminate(): Promise<number> }[] }).workers[0]!.terminate();
  t.true(pool.broken);
  await t.throwsAsync(pool.matmul(cfg, c.a, c.b, ...c.shape), { message: "wasmMatmulParallel: a worker exited with code 1" });
  await pool.close();
});

test("wasmMatmulParallel matches the reference above and below its size threshold", async (t) => {
  // Above the threshold a full BigInt reference is too slow for a unit test: compare with the
  // single-threaded kernel (checked against BigInt above) everywhere, and with exact BigInt
  // dot products on a sample of entries.
  const [n, k, m] = [250, 270, 260];
  t.true(n * k * m >= PARALLEL_MIN_MACS);
  const a = randomRing(n * k, 7);
  const b = randomRing(k * m, 8);
  const got = await wasmMatmulParallel(a, b, n, k, m);
  t.is(firstDifference(got, wasmMatmul(a, b, n, k, m)), undefined);
  for (let s = 0; s < 64; s++) {
    const [i, j] = [(s * 97) % n, (s * 61 + 5) % m];
    let dot = 0n;
    for (let p = 0; p < k; p++) dot += a[i * k + p]! * b[p * m + j]!;
    t.is(got[i * m + j], dot % (1n << 64n), `entry ${i},${j}`);
  }
  for (const c of cases) check(t, "parallel small", await wasmMatmulParallel(c.a, c.b, ...c.shape), c);
  await t.throwsAsync(wasmMatmulParallel(new BigUint64Array(1), new BigUint64Array(1), 1, 2, 1), { instanceOf: RangeError });
});

test.after.always(async () => {
  await closeWasmMatmulPool();
});
