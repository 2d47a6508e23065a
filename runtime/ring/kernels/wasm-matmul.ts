// Exact Z_2^64 matrix multiplication in WebAssembly: C = A @ B mod 2^64 on BigUint64Array
// operands, the entry points the ring runtime integrates. The module is emitted at import
// (matmul-module.ts: a few KB, well under a millisecond) and compiled once; each memory grows
// to fit the largest product seen and is reused. `wasmMatmul` runs on the calling thread
// (parties already run in their own worker threads); `wasmMatmulParallel` splits one product
// across a persistent worker pool (the dealer's offline phase).
// This module must never round or fall back to an inexact path: every kernel is exact
// wrapping arithmetic, checked against a BigInt reference in the tests.

import { createWasmMatmul, DEFAULT_BLOCKING, type KernelConfig } from "./matmul-engine.js";
import type { KernelShape } from "./matmul-module.js";
import { MatmulPool } from "./matmul-pool.js";
import { wasmApi } from "./wasm-api.js";

/**
 * The default micro-kernel: 2 rows x 7 columns per tile, 3 columns in scalar i64 and 4 in
 * SIMD i64x2, so the integer and vector units work side by side (bench/matmul-kernels).
 */
export const DEFAULT_KERNEL: KernelShape = { mr: 2, cols: { i64: 3, i64x2: 4 }, unroll: 1 };

/** Products whose B has at most this many columns take untiled "dots": measured faster. */
export const DOTS_MAX_COLS = 8;
/**
 * Products whose A has at most this many rows take untiled "rows": measured faster while B
 * stays in cache (up to 1024x1024 here). Every row of A streams through all of B, so above
 * ROWS_MAX_B_ELEMENTS only a single row does (packing would read B once too).
 */
export const ROWS_MAX_ROWS = 12;
export const ROWS_MAX_B_ELEMENTS = 1 << 21;

/**
 * The kernel for one product shape. Tiles pad C to whole tiles and packing pays off only
 * when operands are reused, so narrow products skip both: B with few columns is transposed
 * and each C entry is one dot product; A with few rows streams through B row by row.
 */
export function chooseConfig(n: number, k: number, m: number): KernelConfig {
  if (m <= DOTS_MAX_COLS) return DOTS;
  if (n === 1 || (n <= ROWS_MAX_ROWS && k * m <= ROWS_MAX_B_ELEMENTS)) return ROWS;
  return TILED;
}

// Constant objects: the matmul caches per config object.
const TILED: KernelConfig = { kernel: DEFAULT_KERNEL, blocking: DEFAULT_BLOCKING };
const DOTS: KernelConfig = { ...TILED, untiled: "dots" };
const ROWS: KernelConfig = { ...TILED, untiled: "rows" };

/** Products below this many multiply-adds run on the calling thread even when asked for the pool. */
export const PARALLEL_MIN_MACS = 1 << 24;

let single: ReturnType<typeof createWasmMatmul> | undefined;
let available: boolean | undefined;
let pool: MatmulPool | undefined;

/** True when this runtime can compile and run the kernel (checked once, on a tiny product). */
export function wasmMatmulAvailable(): boolean {
  if (available === undefined) {
    try {
      if (!wasmApi) throw new Error("no WebAssembly");
      const mm = createWasmMatmul(chooseConfig);
      // 3*7 + (2^63+5)*2 = 21 + 2^64 + 10, which wraps to 31 (the "dots" path).
      const dots = mm(new BigUint64Array([3n, 2n ** 63n + 5n]), new BigUint64Array([7n, 2n]), 1, 2, 1);
      // A tiled product that wraps: A = all 2^63 (13x2) but A[0,0] = 1, B = all 3 (2x9).
      // Row 0 is 3 + 3*2^63 = 2^63 + 3 (mod 2^64); every other row is 6*2^63 = 0.
      const a = new BigUint64Array(26).fill(2n ** 63n);
      a[0] = 1n;
      const tiled = mm(a, new BigUint64Array(18).fill(3n), 13, 2, 9);
      available =
        dots[0] === 31n &&
        tiled.subarray(0, 9).every((v) => v === 2n ** 63n + 3n) &&
        tiled.subarray(9).every((v) => v === 0n);
      if (available) single = mm;
    } catch {
      available = false;
    }
  }
  return available;
}

function requireAvailable(): void {
  if (!wasmMatmulAvailable()) throw new Error("wasmMatmul: the WebAssembly kernel is not available in this runtime");
}

/** C = A @ B mod 2^64; A: [n,k] row-major, B: [k,m] row-major; returns a new [n,m] array. */
export function wasmMatmul(a: BigUint64Array, b: BigUint64Array, n: number, k: number, m: number): BigUint64Array {
  requireAvailable();
  return single!(a, b, n, k, m);
}

/**
 * As `wasmMatmul`, split across a persistent pool of worker threads (one per core by
 * default; created on first use). Small products run on the calling thread.
 */
export function wasmMatmulParallel(a: BigUint64Array, b: BigUint64Array, n: number, k: number, m: number): Promise<BigUint64Array> {
  try {
    requireAvailable();
    // Small products and narrow (untiled, memory-bound) ones run on the calling thread.
    const cfg = chooseConfig(n, k, m);
    if (n * k * m < PARALLEL_MIN_MACS || cfg.untiled) return Promise.resolve(single!(a, b, n, k, m));
    // A pool whose worker failed rejected that product; the next product gets a fresh pool.
    if (pool?.broken) void closeWasmMatmulPool();
    pool ??= new MatmulPool();
    return pool.matmul(cfg, a, b, n, k, m);
  } catch (e) {
    return Promise.reject(e);
  }
}

/** Terminate the worker pool (it is recreated on the next parallel product). */
export async function closeWasmMatmulPool(): Promise<void> {
  const p = pool;
  pool = undefined;
  await p?.close();
}
