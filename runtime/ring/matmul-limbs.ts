// Exact Z_2^64 matmul on TensorFlow.js float32 GEMMs ("b8/pair", research-kernels.md §2).
//
// Each 64-bit value x is written as 8 *balanced* base-256 digits d_0..d_7 with |d_i| <= 128
// (d_7 signed, which changes x only by a multiple of 2^64) so x = sum d_i 2^(8i) mod 2^64.
// Then (X @ Y) mod 2^64 = sum over i+j <= 7 of (Dx_i @ Dy_j) 2^(8(i+j)) mod 2^64: 36 digit-pair
// products (pairs with i+j >= 8 vanish mod 2^64). Every float32 partial sum of one GEMM is an
// integer of magnitude <= kc * 128 * 128; with inner-dimension chunks kc <= 1024 that is
// <= 2^24, so float32 holds it exactly whatever order the GEMM sums in. The 36 products run as
// 8 GEMMs per chunk: the digits of X are stacked digit-major into one [8n, kc] tensor, and
// digit j of Y multiplies its first (8-j)n rows (digits 0..7-j of X), so no product is wasted.
// Products are read back and summed per weight 2^(8s) in float64 (exact: far below 2^53),
// then carried into base-256 digits and packed into the output's two 32-bit words.
//
// Digit extraction, accumulation and carrying run as JS typed-array loops (cheaper than ~350
// tfjs int32 ops per product); the 36 products are the only tfjs work. Measured on wasm:
// ~410-470 M ring MAC/s at 512^3-1024^3 (float32 GEMM at ~40 GFLOP/s; 36 GEMMs make the
// ceiling ~550), ~170-260 M at 128^3-256^3 where per-op overhead dominates.
//
// Must never: let a chunk exceed LIMB_CHUNK (exactness), or leave a tfjs tensor undisposed.
// Assumes a little-endian host (checked), as the Uint32 view of a BigUint64Array does.

import { endianness } from "node:os";
import type * as tfc from "@tensorflow/tfjs-core";
import type { Matmul2d } from "./matmul-typed.js";

/** Largest inner-dimension chunk: 1024 * 128 * 128 = 2^24, the float32 exact-integer limit. */
export const LIMB_CHUNK = 1024;

if (endianness() !== "LE") throw new Error("mpc ring: the limb GEMM assumes a little-endian host");

/** Balanced digits of rows [0, rows) and columns [p0, p0 + kc) of a [rows, cols] ring matrix,
 *  written digit-major: out[(d * rows + r) * kc + c]. */
function digitsOf(src: BigUint64Array, rows: number, cols: number, p0: number, kc: number, out: Float32Array): void {
  const w = new Uint32Array(src.buffer, src.byteOffset, src.length * 2);
  const plane = rows * kc;
  for (let r = 0; r < rows; r++) {
    let e = r * cols + p0;
    let o = r * kc;
    for (let c = 0; c < kc; c++, e++, o++) {
      const lo = w[2 * e]!;
      const hi = w[2 * e + 1]!;
      // unsigned bytes, balanced into [-128, 128) with a carry into the next digit
      let t = lo & 255;
      let carry = t >= 128 ? 1 : 0;
      out[o] = t - 256 * carry;
      t = ((lo >>> 8) & 255) + carry;
      carry = t >= 128 ? 1 : 0;
      out[o + plane] = t - 256 * carry;
      t = ((lo >>> 16) & 255) + carry;
      carry = t >= 128 ? 1 : 0;
      out[o + 2 * plane] = t - 256 * carry;
      t = (lo >>> 24) + carry;
      carry = t >= 128 ? 1 : 0;
      out[o + 3 * plane] = t - 256 * carry;
      t = (hi & 255) + carry;
      carry = t >= 128 ? 1 : 0;
      out[o + 4 * plane] = t - 256 * carry;
      t = ((hi >>> 8) & 255) + carry;
      carry = t >= 128 ? 1 : 0;
      out[o + 5 * plane] = t - 256 * carry;
      t = ((hi >>> 16) & 255) + carry;
      carry = t >= 128 ? 1 : 0;
      out[o + 6 * plane] = t - 256 * carry;
      out[o + 7 * plane] = (hi >> 24) + carry; // signed top byte: in [-128, 128]
    }
  }
}

/** acc[dst + e] += p[src + e] for e < len. A separate small function so V8 optimises the loop
 *  on its own (inline in the tfjs-calling function it ran ~30x slower). */
function accumulate(acc: Float64Array, dst: number, p: Float32Array, src: number, len: number): void {
  for (let e = 0; e < len; e++) acc[dst + e]! += p[src + e]!;
}

/** The limb GEMM bound to a ready tfjs instance (see ./tf.ts). */
export function makeLimbMatmul(tf: typeof tfc): Matmul2d {
  return (a, b, n, k, m) => limbMatmul(tf, a, b, n, k, m);
}

function limbMatmul(tf: typeof tfc, a: BigUint64Array, b: BigUint64Array, n: number, k: number, m: number): BigUint64Array {
  const nm = n * m;
  // acc[s * nm + e]: the sum of all products of weight 2^(8s) for output element e
  const acc = new Float64Array(8 * nm);
  for (let p0 = 0; p0 < k; p0 += LIMB_CHUNK) {
    const kc = Math.min(LIMB_CHUNK, k - p0);
    // fresh buffers per chunk: a backend may keep a reference instead of copying (tfjs-node)
    const xa = new Float32Array(8 * n * kc);
    const xb = new Float32Array(8 * kc * m);
    digitsOf(a, n, k, p0, kc, xa);
    // b's rows [p0, p0+kc) are contiguous: digits of a [kc, m] matrix
    digitsOf(b.subarray(p0 * m, (p0 + kc) * m), kc, m, 0, m, xb);
    const ta = tf.tensor2d(xa, [8 * n, kc], "float32");
    try {
      for (let j = 0; j < 8; j++) {
        const rows = (8 - j) * n;
        const prod = tf.tidy(() => {
          const tb = tf.tensor2d(xb.subarray(j * kc * m, (j + 1) * kc * m), [kc, m], "float32");
          const lhs = j === 0 ? ta : tf.slice(ta, [0, 0], [rows, kc]);
          return tf.matMul(lhs, tb);
        });
        const p = prod.dataSync() as Float32Array;
        prod.dispose();
        // rows block i of the product is Dx_i @ Dy_j, weight 2^(8(i+j))
        for (let i = 0; i + j < 8; i++) accumulate(acc, (i + j) * nm, p, i * nm, nm);
      }
    } finally {
      ta.dispose();
    }
  }
  return carryAndPack(acc, nm);
}

/** Carry the weighted sums acc[s * nm + e] (weight 2^(8s)) into base-256 digits and pack them
 *  into each output element's (lo, hi) 32-bit words. Every step is exact in float64. */
function carryAndPack(acc: Float64Array, nm: number): BigUint64Array {
  const out = new BigUint64Array(nm);
  const w = new Uint32Array(out.buffer);
  for (let e = 0; e < nm; e++) {
    let v = acc[e]!;
    let c = Math.floor(v / 256);
    const d0 = v - 256 * c;
    v = acc[nm + e]! + c;
    c = Math.floor(v / 256);
    const d1 = v - 256 * c;
    v = acc[2 * nm + e]! + c;
    c = Math.floor(v / 256);
    const d2 = v - 256 * c;
    v = acc[3 * nm + e]! + c;
    c = Math.floor(v / 256);
    const d3 = v - 256 * c;
    v = acc[4 * nm + e]! + c;
    c = Math.floor(v / 256);
    const d4 = v - 256 * c;
    v = acc[5 * nm + e]! + c;
    c = Math.floor(v / 256);
    const d5 = v - 256 * c;
    v = acc[6 * nm + e]! + c;
    c = Math.floor(v / 256);
    const d6 = v - 256 * c;
    v = acc[7 * nm + e]! + c;
    const d7 = v - 256 * Math.floor(v / 256);
    w[2 * e] = d0 + 256 * d1 + 65536 * d2 + 16777216 * d3;
    w[2 * e + 1] = d4 + 256 * d5 + 65536 * d6 + 16777216 * d7;
  }
  return out;
}
