// The local halves of the binary-sharing protocols (../spec/binary.ts): XOR/NOT of XOR shares,
// the binary Beaver AND, the masked evaluation of GF(2) polynomials, the steps of the
// Kogge-Stone A2B, and B2A of bits. Also the small additive helpers the comparison protocols
// use (1 - x, a shared public index, splitting a tree level). Bit operations run on the
// Int32Array view of the words (V8 keeps them native); additive ones on BigUint64Array.
// Exact; no randomness, no communication.

import type { RingTensor } from "../../ring/index.js";
import { type LocalFn, ringArg } from "./types.js";

const i32 = (t: RingTensor): Int32Array => new Int32Array(t.data.buffer, t.data.byteOffset, 2 * t.data.length);

function fresh(shape: readonly number[]): RingTensor {
  return { data: new BigUint64Array(shape.reduce((a, d) => a * d, 1)), shape: [...shape] };
}

function intList(fn: string, attrs: Record<string, unknown>, name: string): number[] {
  const v = attrs[name];
  if (!Array.isArray(v) || !v.every((d) => Number.isInteger(d))) throw new Error(`internal: local ${fn} needs attribute ${name} (integers)`);
  return v as number[];
}

function intAttr(fn: string, attrs: Record<string, unknown>, name: string): number {
  const v = attrs[name];
  if (typeof v !== "number" || !Number.isInteger(v)) throw new Error(`internal: local ${fn} needs an integer attribute ${name}`);
  return v;
}

function sameSize(fn: string, a: RingTensor, b: RingTensor): void {
  if (a.data.length !== b.data.length) throw new Error(`internal: local ${fn}: operands of ${a.data.length} and ${b.data.length} elements`);
}

/** x ^ y. With attr party0 = 1 the second operand is public (opened): only party 0 XORs it. */
export const bin_xor: LocalFn = (ctx, args, attrs) => {
  const x = ringArg("bin_xor", args, 0);
  const y = ringArg("bin_xor", args, 1);
  if (attrs["party0"] === 1 && ctx.index !== 0) return [{ data: x.data.slice(), shape: [...x.shape] }];
  sameSize("bin_xor", x, y);
  const out = fresh(x.shape);
  const [a, b, o] = [i32(x), i32(y), i32(out)];
  for (let i = 0; i < o.length; i++) o[i] = a[i]! ^ b[i]!;
  return [out];
};

/** ~x: party 0 flips its share. */
export const bin_not: LocalFn = (ctx, args) => {
  const x = ringArg("bin_not", args, 0);
  const out = { data: x.data.slice(), shape: [...x.shape] };
  if (ctx.index === 0) {
    const o = i32(out);
    for (let i = 0; i < o.length; i++) o[i] = ~o[i]!;
  }
  return [out];
};

/** (x ^ a, y ^ b). */
export const bin_and_mask: LocalFn = (_ctx, args) => {
  const x = ringArg("bin_and_mask", args, 0);
  const a = ringArg("bin_and_mask", args, 1);
  const y = ringArg("bin_and_mask", args, 2);
  const b = ringArg("bin_and_mask", args, 3);
  sameSize("bin_and_mask", x, a);
  sameSize("bin_and_mask", y, b);
  const e = fresh(x.shape);
  const d = fresh(y.shape);
  const [xi, ai, yi, bi, ei, di] = [i32(x), i32(a), i32(y), i32(b), i32(e), i32(d)];
  for (let i = 0; i < ei.length; i++) ei[i] = xi[i]! ^ ai[i]!;
  for (let i = 0; i < di.length; i++) di[i] = yi[i]! ^ bi[i]!;
  return [e, d];
};

/** c ^ (e & b) ^ (d & a) ^ party0(e & d). */
export const bin_and: LocalFn = (ctx, args) => {
  const e = ringArg("bin_and", args, 0);
  const d = ringArg("bin_and", args, 1);
  const a = ringArg("bin_and", args, 2);
  const b = ringArg("bin_and", args, 3);
  const c = ringArg("bin_and", args, 4);
  const out = fresh(c.shape);
  const [ei, di, ai, bi, ci, o] = [i32(e), i32(d), i32(a), i32(b), i32(c), i32(out)];
  if (ctx.index === 0) for (let i = 0; i < o.length; i++) o[i] = ci[i]! ^ (ei[i]! & bi[i]!) ^ (di[i]! & ai[i]!) ^ (ei[i]! & di[i]!);
  else for (let i = 0; i < o.length; i++) o[i] = ci[i]! ^ (ei[i]! & bi[i]!) ^ (di[i]! & ai[i]!);
  return [out];
};

/** x[rows] ^ u, x stacked [k, ...], u [rows.length, ...]. */
export const bin_mask: LocalFn = (_ctx, args, attrs) => {
  const x = ringArg("bin_mask", args, 0);
  const u = ringArg("bin_mask", args, 1);
  const rows = intList("bin_mask", attrs, "rows");
  const len = 2 * (x.data.length / x.shape[0]!);
  const out = fresh(u.shape);
  const [xi, ui, o] = [i32(x), i32(u), i32(out)];
  rows.forEach((r, j) => {
    const xo = r * len;
    const oo = j * len;
    for (let i = 0; i < len; i++) o[oo + i] = xi[xo + i]! ^ ui[oo + i]!;
  });
  return [out];
};

/**
 * Masked evaluation of GF(2) polynomials (attr polys, monomials as bitmasks over the opened
 * rows e; attr sets: the mask products u_sets holds). For each monomial T and each subset S of
 * T: (AND_{i in T\S} e_i) & [u_S], where [u_empty] is all ones at party 0 (zero elsewhere).
 */
export const bin_poly: LocalFn = (ctx, args, attrs) => {
  const e = ringArg("bin_poly", args, 0);
  const u = ringArg("bin_poly", args, 1);
  const us = ringArg("bin_poly", args, 2);
  const polys = attrs["polys"] as number[][];
  const sets = intList("bin_poly", attrs, "sets");
  if (!Array.isArray(polys)) throw new Error("internal: local bin_poly needs attribute polys");
  const rest = e.shape.slice(1);
  const len = 2 * rest.reduce((a, d) => a * d, 1);
  const out = fresh([polys.length, ...rest]);
  const [ei, ui, si, o] = [i32(e), i32(u), i32(us), i32(out)];
  const setIndex = new Map(sets.map((s, j) => [s, j]));
  const pub: number[] = [];
  polys.forEach((poly, p) => {
    const oo = p * len;
    for (const t of poly) {
      for (let s = t; ; s = (s - 1) & t) {
        // the public factor: rows in t but not in s
        pub.length = 0;
        for (let i = 0, m = t & ~s; m !== 0; i++, m >>>= 1) if (m & 1) pub.push(i * len);
        if (s === 0) {
          if (ctx.index === 0) andInto(o, oo, ei, pub, undefined, 0, len);
          break;
        }
        const single = (s & (s - 1)) === 0;
        if (single) andInto(o, oo, ei, pub, ui, Math.log2(s) * len, len);
        else {
          const j = setIndex.get(s);
          if (j === undefined) throw new Error("internal: local bin_poly: a mask product is missing from attribute sets");
          andInto(o, oo, ei, pub, si, j * len, len);
        }
      }
    }
  });
  return [out];
};

/** o[oo + i] ^= (AND of e at offsets pub) & share[so + i] (share undefined: all ones). */
function andInto(o: Int32Array, oo: number, e: Int32Array, pub: number[], share: Int32Array | undefined, so: number, len: number): void {
  const np = pub.length;
  if (share === undefined) {
    if (np === 0) for (let i = 0; i < len; i++) o[oo + i] = ~o[oo + i]!;
    else if (np === 1) for (let i = 0, a = pub[0]!; i < len; i++) o[oo + i] ^= e[a + i]!;
    else {
      for (let i = 0; i < len; i++) {
        let t = e[pub[0]! + i]!;
        for (let q = 1; q < np; q++) t &= e[pub[q]! + i]!;
        o[oo + i] ^= t;
      }
    }
    return;
  }
  if (np === 0) for (let i = 0; i < len; i++) o[oo + i] ^= share[so + i]!;
  else if (np === 1) for (let i = 0, a = pub[0]!; i < len; i++) o[oo + i] ^= e[a + i]! & share[so + i]!;
  else if (np === 2) for (let i = 0, a = pub[0]!, b = pub[1]!; i < len; i++) o[oo + i] ^= e[a + i]! & e[b + i]! & share[so + i]!;
  else {
    for (let i = 0; i < len; i++) {
      let t = share[so + i]!;
      for (let q = 0; q < np; q++) t &= e[pub[q]! + i]!;
      o[oo + i] ^= t;
    }
  }
}

/** From opened c = x + r and XOR shares of r: P = c ^ ~r, G = c & ~r, then G_0 ^= P_0 (the
 *  carry-in 1 of x = c + ~r + 1). Party 0 holds ~r's flip. */
export const a2b_init: LocalFn = (ctx, args) => {
  const c = ringArg("a2b_init", args, 0);
  const r = ringArg("a2b_init", args, 1);
  sameSize("a2b_init", c, r);
  const p = fresh(r.shape);
  const g = fresh(r.shape);
  const [ci, ri, pi, gi] = [i32(c), i32(r), i32(p), i32(g)];
  const first = ctx.index === 0;
  for (let i = 0; i < pi.length; i++) {
    const q = first ? ~ri[i]! : ri[i]!; // this party's share of ~r
    pi[i] = first ? ci[i]! ^ q : q;
    gi[i] = ci[i]! & q;
  }
  // bit 0 of each element is bit 0 of its low int32
  for (let i = 0; i < gi.length; i += 2) gi[i] = gi[i]! ^ (pi[i]! & 1);
  return [p, g];
};

/** Left shift of every word of an int32 view by s (0 < s < 64), into dst at row offset. */
function shiftInto(src: Int32Array, dst: Int32Array, off: number, s: number): void {
  const n = src.length;
  if (s < 32) {
    const r = 32 - s;
    for (let i = 0; i < n; i += 2) {
      const lo = src[i]!;
      dst[off + i] = lo << s;
      dst[off + i + 1] = (src[i + 1]! << s) | (lo >>> r);
    }
  } else {
    const t = s - 32;
    for (let i = 0; i < n; i += 2) {
      dst[off + i] = 0;
      dst[off + i + 1] = src[i]! << t;
    }
  }
}

/** Radix 2: [P, G<<s, P<<s]; radix 4: [P, P<<s, P<<2s, P<<3s, G<<s, G<<2s, G<<3s]. */
export const ks_inputs: LocalFn = (_ctx, args, attrs) => {
  const p = ringArg("ks_inputs", args, 0);
  const g = ringArg("ks_inputs", args, 1);
  const s = intAttr("ks_inputs", attrs, "s");
  const radix = intAttr("ks_inputs", attrs, "radix");
  const plan: [RingTensor, number][] =
    radix === 4
      ? [[p, 0], [p, s], [p, 2 * s], [p, 3 * s], [g, s], [g, 2 * s], [g, 3 * s]]
      : [[p, 0], [g, s], [p, s]];
  const out = fresh([plan.length, ...p.shape]);
  const o = i32(out);
  const len = 2 * p.data.length;
  plan.forEach(([t, k], row) => {
    const src = i32(t);
    if (k === 0) o.set(src, row * len);
    else if (k >= 64) o.fill(0, row * len, (row + 1) * len);
    else shiftInto(src, o, row * len, k);
  });
  return [out];
};

/** G' = G ^ Y[0]; P' = Y[1] when Y has two rows. */
export const ks_update: LocalFn = (_ctx, args) => {
  const g = ringArg("ks_update", args, 0);
  const y = ringArg("ks_update", args, 1);
  const n = g.data.length;
  const out = fresh(g.shape);
  const [gi, yi, o] = [i32(g), i32(y), i32(out)];
  for (let i = 0; i < 2 * n; i++) o[i] = gi[i]! ^ yi[i]!;
  if (y.shape[0] === 1) return [out];
  return [out, { data: y.data.slice(n, 2 * n), shape: [...g.shape] }];
};

/** P0 ^ (G << 1) ^ party0(1). */
export const a2b_finish: LocalFn = (ctx, args) => {
  const p = ringArg("a2b_finish", args, 0);
  const g = ringArg("a2b_finish", args, 1);
  const out = fresh(p.shape);
  const o = i32(out);
  shiftInto(i32(g), o, 0, 1);
  const pi = i32(p);
  for (let i = 0; i < o.length; i++) o[i] = o[i]! ^ pi[i]!;
  if (ctx.index === 0) for (let i = 0; i < o.length; i += 2) o[i] = o[i]! ^ 1;
  return [out];
};

/** From opened e = x ^ s (horizontal words) and additive shares of the attr bits of s
 *  (stacked [bits, ...]): one output per bit, party0(e_i) + (1 - 2 e_i) s_i. */
export const b2a_bits: LocalFn = (ctx, args, attrs) => {
  const e = ringArg("b2a_bits", args, 0);
  const sb = ringArg("b2a_bits", args, 1);
  const bits = intList("b2a_bits", attrs, "bits");
  const n = e.data.length;
  const ei = i32(e);
  const first = ctx.index === 0;
  return bits.map((bit, j) => {
    const out = fresh(e.shape);
    const o = out.data;
    const s = sb.data;
    const word = bit >>> 5;
    const sh = bit & 31;
    for (let k = 0; k < n; k++) {
      const sk = s[j * n + k]!;
      if ((ei[2 * k + word]! >>> sh) & 1) o[k] = first ? BigInt.asUintN(64, 1n - sk) : BigInt.asUintN(64, -sk);
      else o[k] = sk;
    }
    return out;
  });
};

/** 1 - x (party 0 adds the 1). */
export const one_minus: LocalFn = (ctx, args) => {
  const x = ringArg("one_minus", args, 0);
  const out = fresh(x.shape);
  const o = out.data;
  const xd = x.data;
  if (ctx.index === 0) for (let i = 0; i < o.length; i++) o[i] = BigInt.asUintN(64, 1n - xd[i]!);
  else for (let i = 0; i < o.length; i++) o[i] = BigInt.asUintN(64, -xd[i]!);
  return [out];
};

/** Shares of the public row index: party 0 holds i at [i, j] of attr shape [n, m]. */
export const iota: LocalFn = (ctx, _args, attrs) => {
  const shape = intList("iota", attrs, "shape");
  const out = fresh(shape);
  if (ctx.index === 0) {
    const [n, m] = [shape[0]!, shape.slice(1).reduce((a, d) => a * d, 1)];
    for (let i = 0; i < n; i++) out.data.fill(BigInt(i), i * m, (i + 1) * m);
  }
  return [out];
};

/** [n, m] -> (even rows, odd rows, and the last row when n is odd). */
export const tree_split: LocalFn = (_ctx, args) => {
  const t = ringArg("tree_split", args, 0);
  const [n, m] = [t.shape[0]!, t.data.length / Math.max(1, t.shape[0]!)];
  const h = Math.floor(n / 2);
  const ev = fresh([h, m]);
  const od = fresh([h, m]);
  for (let i = 0; i < h; i++) {
    ev.data.set(t.data.subarray(2 * i * m, (2 * i + 1) * m), i * m);
    od.data.set(t.data.subarray((2 * i + 1) * m, (2 * i + 2) * m), i * m);
  }
  if (n % 2 === 0) return [ev, od];
  return [ev, od, { data: t.data.slice((n - 1) * m, n * m), shape: [1, m] }];
};
