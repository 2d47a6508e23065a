// Exact Z_2^64 matrix multiplication in WebAssembly: C = A @ B mod 2^64 on BigUint64Array
// operands. The module is emitted at import (matmul-module.ts, a few KB, well under a
// millisecond) and instantiated once; its memory grows to fit the largest product seen and is
// reused. Blocking (GotoBLAS style): B is packed into column panels per (jc, pc) block, A into
// row panels per (ic, pc) block, and a register-tiled micro-kernel does the multiply-adds.
// This module must never round, never fall back silently to a different result: every path
// is exact wrapping arithmetic, checked against a BigInt reference in the tests.

import { buildMatmulModule, type ScalarKernelShape } from "./matmul-module.js";
import { wasmApi } from "./wasm-api.js";

const PAGE = 65536;

export interface Blocking {
  /** Rows of A packed per block (a multiple of the kernel's mr). */
  mc: number;
  /** Inner-dimension depth per block. */
  kc: number;
  /** Columns of B packed per block (a multiple of the kernel's nr). */
  nc: number;
}

export interface KernelConfig {
  kernel: ScalarKernelShape;
  blocking: Blocking;
}

interface Exports {
  pack(src: number, strideP: number, strideW: number, kc: number, panels: number, validW: number, width: number, dst: number): void;
  macro(apack: number, bpack: number, cp: number, ldc: number, mcPad: number, ncPad: number, kc: number, accumulate: number): void;
}

const roundUp = (x: number, to: number) => Math.ceil(x / to) * to;
const align64 = (bytes: number) => roundUp(bytes, 64);

/** Byte offsets of the operands and scratch panels in wasm memory for one product. */
export interface Layout {
  a: number;
  b: number;
  c: number;
  apack: number;
  bpack: number;
  end: number;
  nPad: number;
  mPad: number;
}

export function layoutFor(cfg: KernelConfig, n: number, k: number, m: number): Layout {
  const { mr, nr } = cfg.kernel;
  const { mc, kc, nc } = cfg.blocking;
  const nPad = roundUp(n, mr);
  const mPad = roundUp(m, nr);
  const a = 0;
  const b = a + align64(n * k * 8);
  const c = b + align64(k * m * 8);
  const apack = c + align64(nPad * mPad * 8);
  const bpack = apack + align64(Math.min(mc, nPad) * Math.min(kc, k) * 8);
  const end = bpack + align64(Math.min(kc, k) * Math.min(nc, mPad) * 8);
  return { a, b, c, apack, bpack, end, nPad, mPad };
}

/**
 * Run the blocked product inside wasm memory whose A and B regions are already filled.
 * Computes C rows [rowStart, rowEnd) (a multiple of mr apart, except at n) into the padded C
 * region; the worker pool calls this with disjoint row ranges.
 */
export function runBlocked(
  ex: Exports,
  cfg: KernelConfig,
  lay: Layout,
  n: number,
  k: number,
  m: number,
  rowStart = 0,
  rowEnd = n,
): void {
  const { mr, nr } = cfg.kernel;
  const { mc: MC, kc: KC, nc: NC } = cfg.blocking;
  const ldc = lay.mPad * 8;
  for (let jc = 0; jc < m; jc += NC) {
    const nc = Math.min(NC, m - jc);
    const ncPad = roundUp(nc, nr);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = Math.min(KC, k - pc);
      ex.pack(lay.b + (pc * m + jc) * 8, m * 8, 8, kc, ncPad / nr, nc, nr, lay.bpack);
      for (let ic = rowStart; ic < rowEnd; ic += MC) {
        const mcRows = Math.min(MC, rowEnd - ic);
        const mcPad = roundUp(mcRows, mr);
        ex.pack(lay.a + (ic * k + pc) * 8, 8, k * 8, kc, mcPad / mr, mcRows, mr, lay.apack);
        ex.macro(lay.apack, lay.bpack, lay.c + (ic * lay.mPad + jc) * 8, ldc, mcPad, ncPad, kc, pc > 0 ? 1 : 0);
      }
    }
  }
}

/** A single-threaded matmul bound to its own instance and memory. */
export function createWasmMatmul(cfg: KernelConfig) {
  if (!wasmApi) throw new Error("wasmMatmul: this runtime has no WebAssembly");
  const module = new wasmApi.Module(buildMatmulModule({ kernel: cfg.kernel, memory: { initialPages: 1 } }));
  const memory = new wasmApi.Memory({ initial: 1 });
  const ex = new wasmApi.Instance(module, { env: { memory } }).exports as unknown as Exports;
  return (a: BigUint64Array, b: BigUint64Array, n: number, k: number, m: number): BigUint64Array => {
    checkOperands(a, b, n, k, m);
    if (n === 0 || m === 0) return new BigUint64Array(n * m);
    if (k === 0) return new BigUint64Array(n * m);
    const lay = layoutFor(cfg, n, k, m);
    const need = Math.ceil(lay.end / PAGE);
    if (memory.buffer.byteLength < need * PAGE) memory.grow(need - memory.buffer.byteLength / PAGE);
    const buf = memory.buffer;
    new BigUint64Array(buf, lay.a, n * k).set(a);
    new BigUint64Array(buf, lay.b, k * m).set(b);
    runBlocked(ex, cfg, lay, n, k, m);
    return extractC(buf, lay, n, m);
  };
}

export function extractC(buf: ArrayBufferLike, lay: Layout, n: number, m: number): BigUint64Array {
  if (lay.mPad === m) return new BigUint64Array(buf, lay.c, n * m).slice();
  const out = new BigUint64Array(n * m);
  const padded = new BigUint64Array(buf, lay.c, lay.nPad * lay.mPad);
  for (let i = 0; i < n; i++) out.set(padded.subarray(i * lay.mPad, i * lay.mPad + m), i * m);
  return out;
}

export function checkOperands(a: BigUint64Array, b: BigUint64Array, n: number, k: number, m: number): void {
  for (const [label, v] of [["n", n], ["k", k], ["m", m]] as const) {
    if (!Number.isInteger(v) || v < 0) throw new RangeError(`wasmMatmul: ${label} must be a non-negative integer, got ${v}`);
  }
  if (a.length !== n * k) throw new RangeError(`wasmMatmul: A has ${a.length} elements, expected n*k = ${n}*${k}`);
  if (b.length !== k * m) throw new RangeError(`wasmMatmul: B has ${b.length} elements, expected k*m = ${k}*${m}`);
}

export const DEFAULT_CONFIG: KernelConfig = {
  kernel: { mr: 4, nr: 4, unroll: 1 },
  blocking: { mc: 128, kc: 256, nc: 1024 },
};

let defaultMatmul: ReturnType<typeof createWasmMatmul> | undefined;
let available: boolean | undefined;

/** True when this runtime can compile and run the kernel (checked once, on a tiny product). */
export function wasmMatmulAvailable(): boolean {
  if (available === undefined) {
    try {
      const mm = createWasmMatmul(DEFAULT_CONFIG);
      const c = mm(new BigUint64Array([3n, 2n ** 63n + 5n]), new BigUint64Array([7n, 2n]), 1, 2, 1);
      available = c[0] === 31n; // 21 + 2^64 + 10 wraps to 31
      if (available) defaultMatmul = mm;
    } catch {
      available = false;
    }
  }
  return available;
}

/** C = A @ B mod 2^64; A: [n,k] row-major, B: [k,m] row-major; returns a new [n,m] array. */
export function wasmMatmul(a: BigUint64Array, b: BigUint64Array, n: number, k: number, m: number): BigUint64Array {
  if (!wasmMatmulAvailable()) throw new Error("wasmMatmul: WebAssembly kernel is not available in this runtime");
  return defaultMatmul!(a, b, n, k, m);
}
