// The local halves of fixed-point truncation (the protocol and its failure bounds are in
// ../spec/arithmetic.ts, `truncate`). trunc_local: the 2-party SecureML share shift.
// trunc_mask / trunc_unmask: the n-party protocol with the dealer's (r, r_msb, r_low_shift).

import { type LocalFn, ringArg } from "./types.js";

const OFFSET = 1n << 62n;

/** dst = (src mod 2^63) >> k (logical) on little-endian (lo, hi) int32 pairs, 0 <= k <= 62. */
function shrLow63Pairs(src: Int32Array, dst: Int32Array, k: number): void {
  for (let i = 0; i < src.length; i += 2) {
    const lo = src[i]!;
    const hi = src[i + 1]! & 0x7fffffff;
    if (k === 0) {
      dst[i] = lo;
      dst[i + 1] = hi;
    } else if (k < 32) {
      dst[i] = (lo >>> k) | (hi << (32 - k));
      dst[i + 1] = hi >>> k;
    } else {
      dst[i] = hi >>> (k - 32);
      dst[i + 1] = 0;
    }
  }
}

function bitsAttr(fn: string, attrs: Record<string, unknown>): bigint {
  const b = attrs["bits"];
  if (typeof b !== "number" || !Number.isInteger(b) || b < 0 || b > 62) throw new Error(`internal: local ${fn} needs attribute bits in 0..62`);
  return BigInt(b);
}

/** Party 0: x0 >> bits; party 1: -((-x1) >> bits) (arithmetic shifts). Two parties only.
 *  Runs on 32-bit halves: V8 keeps int32 arithmetic native in every tier, where an untruncated
 *  BigInt shift can fall back to allocating BigInts. */
export const trunc_local: LocalFn = (ctx, args, attrs) => {
  if (ctx.n !== 2) throw new Error("internal: local trunc_local is the 2-party protocol");
  const x = ringArg("trunc_local", args, 0);
  const k = Number(bitsAttr("trunc_local", attrs));
  const n = x.data.length;
  const out = new BigUint64Array(n);
  const src = new Int32Array(x.data.buffer, x.data.byteOffset, 2 * n);
  const dst = new Int32Array(out.buffer);
  if (ctx.index === 0) sarPairs(src, dst, k, false);
  else sarPairs(src, dst, k, true);
  return [{ data: out, shape: [...x.shape] }];
};

/** dst = src >> k (arithmetic) on little-endian (lo, hi) int32 pairs; with `negated`,
 *  dst = -((-src) >> k). 0 <= k <= 62. */
function sarPairs(src: Int32Array, dst: Int32Array, k: number, negated: boolean): void {
  const len = src.length;
  for (let i = 0; i < len; i += 2) {
    let lo = src[i]!;
    let hi = src[i + 1]!;
    if (negated) {
      hi = lo === 0 ? -hi | 0 : ~hi;
      lo = -lo | 0;
    }
    let rlo: number;
    let rhi: number;
    if (k === 0) {
      rlo = lo;
      rhi = hi;
    } else if (k < 32) {
      rlo = (lo >>> k) | (hi << (32 - k));
      rhi = hi >> k;
    } else {
      rlo = hi >> (k - 32);
      rhi = hi >> 31;
    }
    if (negated) {
      rhi = rlo === 0 ? -rhi | 0 : ~rhi;
      rlo = -rlo | 0;
    }
    dst[i] = rlo;
    dst[i + 1] = rhi;
  }
}

/** x + r + party0(2^62). */
export const trunc_mask: LocalFn = (ctx, args) => {
  const x = ringArg("trunc_mask", args, 0);
  const r = ringArg("trunc_mask", args, 1).data;
  const src = x.data;
  const out = new BigUint64Array(src.length);
  const off = ctx.index === 0 ? OFFSET : 0n;
  for (let i = 0; i < src.length; i++) out[i] = BigInt.asUintN(64, src[i]! + r[i]! + off);
  return [{ data: out, shape: [...x.shape] }];
};

/** From the opened m: w = m_msb XOR r_msb (shares: party0(m_msb) + r_msb (1 - 2 m_msb)), and
 *  party0((m mod 2^63) >> bits - 2^(62-bits)) + w 2^(63-bits) - r_low_shift. */
export const trunc_unmask: LocalFn = (ctx, args, attrs) => {
  const mt = ringArg("trunc_unmask", args, 0);
  const m = mt.data;
  const rMsb = ringArg("trunc_unmask", args, 1).data;
  const rLow = ringArg("trunc_unmask", args, 2).data;
  const k = bitsAttr("trunc_unmask", attrs);
  const wScale = 1n << (63n - k);
  const offShift = 1n << (62n - k);
  const out = new BigUint64Array(m.length);
  // every expression is truncated with asUintN so V8 keeps it in native 64-bit arithmetic;
  // w = m_msb ? 1 - r_msb : r_msb is written r_msb + m_msb - 2 m_msb r_msb (the 1 at party 0)
  if (ctx.index === 0) {
    // (m mod 2^63) >> k first, on 32-bit halves (a BigInt shift by a variable amount is slow)
    shrLow63Pairs(new Int32Array(m.buffer, m.byteOffset, 2 * m.length), new Int32Array(out.buffer), Number(k));
    for (let i = 0; i < m.length; i++) {
      const msb = BigInt.asUintN(64, m[i]! >> 63n);
      const r = rMsb[i]!;
      out[i] = BigInt.asUintN(64, out[i]! - offShift - rLow[i]! + (r + msb - ((msb * r) << 1n)) * wScale);
    }
  } else {
    for (let i = 0; i < m.length; i++) {
      const msb = BigInt.asUintN(64, m[i]! >> 63n);
      const r = rMsb[i]!;
      out[i] = BigInt.asUintN(64, (r - ((msb * r) << 1n)) * wScale - rLow[i]!);
    }
  }
  return [{ data: out, shape: [...mt.shape] }];
};
