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
