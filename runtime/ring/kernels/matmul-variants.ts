// The named micro-kernel variants the benchmark compares and the tests check, one per idea:
// plain scalar i64, the engine's SIMD i64x2.mul, SIMD from 32-bit halves, and hybrids that
// split a tile's columns between the integer and the vector units. wasm-matmul.ts picks the
// default from these measurements; this list only names shapes, it must never hold logic.

import type { KernelShape } from "./matmul-module.js";

export const KERNEL_VARIANTS: readonly KernelShape[] = [
  { mr: 4, cols: { i64: 2 }, unroll: 1 }, // scalar: 8 accumulators (more spill to the stack)
  { mr: 2, cols: { i64: 2 }, unroll: 2 }, // scalar, small tile, unrolled
  { mr: 3, cols: { i64x2: 4 }, unroll: 1 }, // SIMD i64x2.mul (3 pmuludq + fix-ups per 2 lanes)
  { mr: 1, cols: { split32: 4 }, unroll: 1 }, // SIMD extmul lo*lo + i32x4 cross terms
  { mr: 4, cols: { i64: 2, i64x2: 2 }, unroll: 1 }, // hybrids: integer + vector units
  { mr: 2, cols: { i64: 3, i64x2: 4 }, unroll: 1 },
  { mr: 2, cols: { i64: 3, split32: 4 }, unroll: 1 },
];
