// The local halves of the comparison protocol (../spec/compare.ts, compareZero):
//   cmp_leaves — from the opened c = z + r and the one-hot tables of r's 4-bit chunks, each
//                party's XOR shares of the chunk comparisons (l_j = [c_j < r_j], e_j = [c_j ==
//                r_j]; the top chunk folds in c63 ^ r63), arranged as the level-1 input rows;
//   cmp_b2a    — from the opened e = bit ^ s, additive shares of the bits and of the products
//                z [z < 0] and W_k [z < 0].
// Vertical layout (element k: lane k % 64 of word k / 64), on Int32Array views. Exact.

import { fieldMasks3, fieldMasks4, transposeBlock } from "./bitslice.js";
import { type LocalFn, ringArg } from "./types.js";

const i32 = (d: BigUint64Array): Int32Array => new Int32Array(d.buffer, d.byteOffset, 2 * d.length);

export const cmp_leaves: LocalFn = (ctx, args, attrs) => {
  const c = ringArg("cmp_leaves", args, 0);
  const h = ringArg("cmp_leaves", args, 1);
  const lt = attrs["lt"] === true;
  const eq = attrs["eq"] === true;
  const n = c.data.length;
  const w = h.shape[0]!;
  if (w !== Math.ceil(n / 64)) throw new Error("internal: local cmp_leaves: tables and values disagree on the size");
  const rows = lt ? (eq ? 9 : 8) : 4;
  const out = new BigUint64Array(rows * 4 * w);
  const o = i32(out);
  const hv = i32(h.data);
  const cv = i32(c.data);
  const vert = new Int32Array(128);
  const m4 = new Int32Array(16);
  const m3 = new Int32Array(8);
  const lt3 = new Int32Array(8);
  const first = ctx.index === 0;
  // int32 index of (row, group, word, half)
  const at = (row: number, g: number, blk: number, half: number): number => ((row * 4 + g) * w + blk) * 2 + half;
  for (let blk = 0; blk < w; blk++) {
    transposeBlock(cv, 64 * blk, n, vert);
    for (let half = 0; half < 2; half++) {
      for (let j = 0; j < 16; j++) {
        const g = j >>> 2;
        const i = j & 3;
        const b = 8 * j + half;
        const hbase = (blk * 16 + j) * 32 + half; // int32 index of table (blk, j, v = 0)
        fieldMasks4(vert[b]!, vert[b + 2]!, vert[b + 4]!, vert[b + 6]!, m4);
        // full 4-bit chunk: equality and less-than
        let e = 0;
        let l = 0;
        let below = 0; // lanes whose chunk of c is below v
        for (let v = 0; v < 16; v++) {
          const t = hv[hbase + 2 * v]!;
          e ^= t & m4[v]!;
          l ^= t & below;
          below |= m4[v]!;
        }
        if (!lt) {
          o[at(i, g, blk, half)] = e;
          continue;
        }
        if (j === 15) {
          // the sign chunk: A = c63 ^ r63 ^ [c' < r'], B = [c' == r'] over bits 60..62
          fieldMasks3(vert[b]!, vert[b + 2]!, vert[b + 4]!, m3);
          let acc = 0;
          for (let v = 0; v < 8; v++) {
            lt3[v] = acc;
            acc |= m3[v]!;
          }
          let a = first ? vert[b + 6]! : 0;
          let bb = 0;
          for (let v = 0; v < 16; v++) {
            const t = hv[hbase + 2 * v]!;
            const vl = v & 7;
            bb ^= t & m3[vl]!;
            a ^= t & (v >= 8 ? ~lt3[vl]! : lt3[vl]!);
          }
          l = a;
          o[at(4 + i, g, blk, half)] = bb;
        } else {
          o[at(4 + i, g, blk, half)] = e;
        }
        o[at(i, g, blk, half)] = l;
        if (eq && i === 3) o[at(8, g, blk, half)] = e;
      }
    }
  }
  return [{ data: out, shape: [rows, 4, w] }];
};

/**
 * args: e ([q, W] opened), s_arith ([q, n]), c ([n] opened), z ([n]), then r_s ([n]) when
 * attr zprod, then (W_k, d_k opened, a_k_s) per attr ops. Outputs: the lt bit, the eq bit
 * (as requested), z [z<0] (zprod), W_k [z<0]; each reshaped to attr shape.
 */
export const cmp_b2a: LocalFn = (ctx, args, attrs) => {
  const e = ringArg("cmp_b2a", args, 0);
  const sa = ringArg("cmp_b2a", args, 1).data;
  const c = ringArg("cmp_b2a", args, 2).data;
  const z = ringArg("cmp_b2a", args, 3).data;
  const lt = attrs["lt"] === true;
  const eq = attrs["eq"] === true;
  const zprod = attrs["zprod"] === true;
  const ops = typeof attrs["ops"] === "number" ? attrs["ops"] : 0;
  const shape = attrs["shape"] as number[];
  const n = c.length;
  const w = e.shape[1]!;
  const ev = i32(e.data);
  const outs: { data: BigUint64Array; shape: number[] }[] = [];
  // [bit] = e ? party0(1) - s : s
  const bitOut = (row: number): void => {
    const o = sa.slice(row * n, (row + 1) * n);
    flipWhere(i32(o), ev, row * 2 * w, n, ctx.index === 0 ? 1 : 0);
    outs.push({ data: o, shape: [...shape] });
  };
  if (lt) bitOut(0);
  if (eq) bitOut(lt ? 1 : 0);
  let a = 4;
  if (zprod) {
    // z m = e z + (1 - 2e)(c s - r_s): t = c s - r_s, then e ? z - t : t
    const rs = ringArg("cmp_b2a", args, a++).data;
    const o = new BigUint64Array(n);
    for (let k = 0; k < n; k++) o[k] = BigInt.asUintN(64, c[k]! * sa[k]! - rs[k]!);
    subFromWhere(o, z, ev, n);
    outs.push({ data: o, shape: [...shape] });
  }
  for (let q = 0; q < ops; q++) {
    // W m = e W + (1 - 2e)(d s + a_s): t = d s + a_s, then e ? W - t : t
    const wk = ringArg("cmp_b2a", args, a++).data;
    const d = ringArg("cmp_b2a", args, a++).data;
    const as = ringArg("cmp_b2a", args, a++).data;
    const o = new BigUint64Array(n);
    for (let k = 0; k < n; k++) o[k] = BigInt.asUintN(64, d[k]! * sa[k]! + as[k]!);
    subFromWhere(o, wk, ev, n);
    outs.push({ data: o, shape: [...shape] });
  }
  return outs;
};

/** o[k] = add - o[k] (mod 2^64) for the elements whose lane bit is set in the vertical words
 *  at int32 offset `off`; on int32 halves: add - x = ~x + 1 + add. */
function flipWhere(o: Int32Array, bits: Int32Array, off: number, n: number, add: number): void {
  for (let k = 0; k < n; k++) {
    if (((bits[off + 2 * (k >>> 6) + ((k >>> 5) & 1)]! >>> (k & 31)) & 1) === 0) continue;
    const lo = (~o[2 * k]! >>> 0) + 1 + add;
    o[2 * k] = lo | 0;
    o[2 * k + 1] = (~o[2 * k + 1]! + (lo > 0xffffffff ? 1 : 0)) | 0;
  }
}

/** o[k] = x[k] - o[k] (mod 2^64) where the lt lane bit (row 0) is set. */
function subFromWhere(o: BigUint64Array, x: BigUint64Array, bits: Int32Array, n: number): void {
  for (let k = 0; k < n; k++) {
    if (((bits[2 * (k >>> 6) + ((k >>> 5) & 1)]! >>> (k & 31)) & 1) === 0) continue;
    o[k] = BigInt.asUintN(64, x[k]! - o[k]!);
  }
}

/** args: e ([q, W] opened), s_arith ([q, n]), then (W_k, d_k opened, a_k_s) per attr ops.
 *  Outputs: the q bits, then W_k * (bit of row 0); each reshaped to attr shape. */
export const vbits_b2a: LocalFn = (ctx, args, attrs) => {
  const e = ringArg("vbits_b2a", args, 0);
  const sa = ringArg("vbits_b2a", args, 1);
  const q = e.shape[0]!;
  const w = e.shape[1]!;
  const n = sa.data.length / q;
  const ops = typeof attrs["ops"] === "number" ? attrs["ops"] : 0;
  const shape = attrs["shape"] as number[];
  const ev = i32(e.data);
  const outs: { data: BigUint64Array; shape: number[] }[] = [];
  for (let row = 0; row < q; row++) {
    const o = sa.data.slice(row * n, (row + 1) * n);
    flipWhere(i32(o), ev, row * 2 * w, n, ctx.index === 0 ? 1 : 0);
    outs.push({ data: o, shape: [...shape] });
  }
  for (let k = 0, a = 2; k < ops; k++) {
    const wk = ringArg("vbits_b2a", args, a++).data;
    const d = ringArg("vbits_b2a", args, a++).data;
    const as = ringArg("vbits_b2a", args, a++).data;
    const s = sa.data;
    const o = new BigUint64Array(n);
    for (let j = 0; j < n; j++) o[j] = BigInt.asUintN(64, d[j]! * s[j]! + as[j]!);
    subFromWhere(o, wk, ev, n);
    outs.push({ data: o, shape: [...shape] });
  }
  return outs;
};

/** Columns rounded up to whole vertical words, so every pair's bits start on a word. */
export const padColumns = (m: number): number => Math.ceil(m / 64) * 64;

/** x [n, m] -> (z [pairs, m'] with z[p] = x_i - x_j for the pairs i < j in order, zero padded;
 *  x padded to [n, m']). */
export const pair_diffs: LocalFn = (_ctx, args) => {
  const x = ringArg("pair_diffs", args, 0);
  const [n, m] = [x.shape[0]!, x.shape[1]!];
  const mp = padColumns(m);
  const pairs = (n * (n - 1)) / 2;
  const z = new BigUint64Array(pairs * mp);
  const xp = new BigUint64Array(n * mp);
  const xd = x.data;
  for (let i = 0; i < n; i++) xp.set(xd.subarray(i * m, (i + 1) * m), i * mp);
  let p = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++, p++) {
      const [oi, oj, oz] = [i * m, j * m, p * mp];
      for (let c = 0; c < m; c++) z[oz + c] = BigInt.asUintN(64, xd[oi + c]! - xd[oj + c]!);
    }
  }
  return [
    { data: z, shape: [pairs, mp] },
    { data: xp, shape: [n, mp] },
  ];
};

/** Index of the pair (a, b), a < b, among the pairs of n in order. */
const pairIndex = (a: number, b: number, n: number): number => a * n - (a * (a + 1)) / 2 + (b - a - 1);

/** Vertical bits [x_a < x_b] of the pairs ([1, pairs * W']) -> the inputs [n-1, n, W'] of
 *  "x_i is the first maximum": [x_j < x_i] for j < i and NOT [x_i < x_j] for j > i. */
export const pair_sel_inputs: LocalFn = (ctx, args, attrs) => {
  const bits = ringArg("pair_sel_inputs", args, 0);
  const n = attrs["n"] as number;
  const pairs = (n * (n - 1)) / 2;
  const wp = bits.data.length / pairs;
  const out = new BigUint64Array((n - 1) * n * wp);
  const [bi, o] = [i32(bits.data), i32(out)];
  const len = 2 * wp;
  const flip = ctx.index === 0;
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < n - 1; r++) {
      const j = r < i ? r : r + 1;
      const src = (j < i ? pairIndex(j, i, n) : pairIndex(i, j, n)) * len;
      const dst = (r * n + i) * len;
      if (j > i && flip) for (let k = 0; k < len; k++) o[dst + k] = ~bi[src + k]!;
      else o.set(bi.subarray(src, src + len), dst);
    }
  }
  return [{ data: out, shape: [n - 1, n, wp] }];
};

/** From the selections sel [n * m'] (one 1 per column) and products prod [n * m']: attr mode
 *  "max": sum_i prod[i]; "argmax": sum_i i sel[i]; over the first attr m columns. */
export const pairs_reduce: LocalFn = (_ctx, args, attrs) => {
  const mode = attrs["mode"];
  const n = attrs["n"] as number;
  const m = attrs["m"] as number;
  const src = ringArg("pairs_reduce", args, mode === "argmax" ? 0 : 1).data;
  const mp = src.length / n;
  const out = new BigUint64Array(m);
  for (let i = 0; i < n; i++) {
    const k = BigInt(mode === "argmax" ? i : 1);
    if (k === 0n) continue;
    for (let c = 0; c < m; c++) out[c] = BigInt.asUintN(64, out[c]! + k * src[i * mp + c]!);
  }
  return [{ data: out, shape: [m] }];
};
