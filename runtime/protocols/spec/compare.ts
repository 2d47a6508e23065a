// Comparisons and everything built on them, written once as builder steps: the sign and the
// zero test of a secret value, and from them lt/le/gt/ge/eq/ne, relu, abs, sign, max/min,
// argmax, clip and select on secret values.
//
// The core, compareZero(b, z): for additive shares of z (n elements; fixed-point values are
// compared by their encodings, so no truncation is ever involved), compute additive 0/1
// shares of [z < 0] (the top bit of z as a two's-complement 64-bit word) and/or [z == 0],
// optionally times z and times further secret operands — in 4 rounds whatever n is:
//   round 1  open c = z + r (r uniform in Z_2^64 from the dealer: c reveals nothing). Now
//            z = c - r, and msb(z) = c63 ^ r63 ^ [c mod 2^63 < r mod 2^63] (the borrow into bit
//            63). The dealer gave, for each 4-bit chunk of r, the one-hot table of its value as
//            vertical XOR shares (16 words per chunk per 64 elements), so with c public every
//            party computes, locally, shares of l_j = [c_j < r_j] and e_j = [c_j == r_j] for the
//            16 chunks (the top chunk folds in c63 ^ r63 and compares 3 bits).
//   round 2  the borrow is the composition of the affine maps f_j(x) = l_j ^ e_j x over GF(2),
//            f_15(...f_0(0)); four maps compose into one with degree-4 polynomials, evaluated in
//            one round by opening the masked inputs (binary-tables.ts planPoly): 16 -> 4.
//   round 3  4 -> 1: the bit [z < 0] (and the AND of all chunk equalities, [z == 0]), vertical.
//   round 4  B2A: open e = bit ^ s for the dealer's random bit s (shared both ways):
//            [bit] = e + (1 - 2e)[s]. A product with the bit costs nothing more: z s = c s - r s
//            (the dealer gives [r s]), and W s = (W - a) s + a s with W - a opened in round 1.
// Per element the dealer sends about 7.5 words (one-hot 4, tree masks ~1.5, bits and products 1
// each), the parties derive about as many from their PRG seeds, and each party sends 1 word
// (+1 per operand) in round 1 and ~0.6 word in rounds 2-4 to each other party.
// Exact: [z < 0] is the sign of z as a signed 64-bit integer, for every z; x < y is computed as
// [x - y < 0], exact while |x - y| < 2^63 (always, for values within the fixed-point range).
//
// API for other protocol authors (plan value ids; bits are additive 0/1 shares):
//   compareZero(b, z, want)    the core above; want {lt, eq, zprod, ops: [W...], bitElem}.
//   msbBit(b, x)               int 0/1 share of [x < 0] (4 rounds).
//   lessThan(b, x, y)          bool share of [x < y] (x, y additive, same element type).
//   isZero(b, x)               bool share of [x == 0].
//   reluSecret(b, x)           x * [x >= 0], exact (4 rounds: the product is fused).
//   absSecret(b, x), signSecret(b, x, elem)
//   maxPair(b, x, y), minPair(b, x, y)    elementwise, 4 rounds.
//   selectSecret(b, c, x, y)   y + c (x - y), c a secret bool: one Beaver product, 1 round.
//   maxReduce / minReduce / argmaxReduce(b, x, axis, keepdims): axes up to PAIRS_MAX = 10
//                              compare all pairs at once (4 + ceil(log4(n - 1)) rounds), longer
//                              ones first take tree levels (4 rounds each, pairs in parallel);
//                              argmax ties -> first index, as the plaintext reference.
//   clipSecret(b, x, lo, hi)   x + relu(lo - x) - relu(x - hi): two comparisons in parallel.
//   oneMinus(b, x)             1 - x for 0/1 shares (free).
//   compareBitsVertical(b, z, {lt, eq})   rounds 1-3 only: the bits as vertical XOR shares
//                              [q, ceil(n/64)] (element k: bit k % 64 of word k / 64), for
//                              binary work (polyBinary) before one B2A;
//   b2aVertical(b, bits, n, shape, ops)   that B2A (1 round), with products of row 0 by
//                              secret operands (their masked values open in an earlier round).

import type { OutSpec, PlanBuilder, ValueSpec } from "../builder.js";
import type { ElemType } from "../../plan/plan.js";
import { broadcastOrThrow, elementCount } from "../../plan/shape.js";
import { mulSecret } from "./arithmetic.js";
import { applyPoly, polyBinary } from "./binary.js";
import { BINARY_OUTPUTS, compareLayout, compareLevels, GROUP, vbitsLayout, wordsFor } from "./binary-tables.js";

export interface CompareWant {
  lt?: boolean;
  eq?: boolean;
  /** Also z * [z < 0]. */
  zprod?: boolean;
  /** Secret operands (same element count as z) to multiply by [z < 0]. */
  ops?: string[];
  /** Element type of the result bits (default bool). */
  bitElem?: ElemType;
}

export interface CompareResult {
  lt?: string;
  eq?: string;
  /** z * [z < 0] */
  zlt?: string;
  /** ops[k] * [z < 0] */
  opsLt: string[];
}

const binary = (shape: number[]): OutSpec => ({ elem: "int", shape, kind: "binary" });

interface CompareCore {
  n: number;
  shape: number[];
  /** The opened c = z + r and z flattened to [n]. */
  c: string;
  zf: string;
  /** The operands flattened, and their opened masked values d_k = W_k - a_k. */
  opsF: string[];
  dOpen: string[];
  /** The bits, vertical XOR shares [q, W]. */
  bits: string;
  /** A dealer output of the comparison item, by name. */
  get: (name: string) => string;
}

/** Rounds 1-3 of the comparison (see the header): the bits as vertical XOR shares. */
function compareCore(b: PlanBuilder, z: string, want: CompareWant, b2a: boolean): CompareCore {
  const zi = b.info(z);
  const shape = [...zi.shape];
  const n = elementCount(shape);
  if (n === 0) throw new Error("internal: comparison of an empty tensor");
  const ops = want.ops ?? [];
  const attrs = {
    n,
    lt: want.lt === true || ops.length > 0 || want.zprod === true,
    eq: want.eq === true,
    zprod: want.zprod === true,
    ops: ops.length,
    ...(b2a ? {} : { b2a: false }),
  };
  const w = wordsFor(n);
  const lv = compareLevels(attrs);
  const layout = compareLayout(attrs);
  const zf = flatten(b, z, n);
  const opsF = ops.map((x) => flatten(b, x, n));
  const arithElem = (name: string): ElemType => {
    if (name === "r" || name === "r_s") return zi.elem;
    if (name === "s_arith") return "int";
    const k = Number(/^a(\d+)/.exec(name)![1]);
    return b.info(opsF[k]!).elem;
  };
  const binaryNames = BINARY_OUTPUTS["compare"]!;
  const outs = b.dealer(
    "compare",
    attrs,
    layout.map((o) => (binaryNames.has(o.name) ? binary(o.shape) : { elem: arithElem(o.name), shape: o.shape })),
  );
  const get = (name: string): string => outs[layout.findIndex((o) => o.name === name)]!;

  // round 1: c = z + r, and d_k = W_k - a_k for the operands
  const [masked] = b.local("add", [zf, get("r")], {}, [{ elem: zi.elem, shape: [n] }]);
  const ds = opsF.map((x, k) => b.local("sub", [x, get(`a${k}`)], {}, [{ elem: b.info(x).elem, shape: [n] }])[0]!);
  const [c, ...dOpen] = b.open([masked!, ...ds]);

  // rounds 2 and 3: the chunk tree, 16 -> 4 -> 1
  const [x1] = b.local("cmp_leaves", [c!, get("onehot")], { lt: attrs.lt, eq: attrs.eq }, [binary([lv.k1, GROUP, w])]);
  const y1 = applyPoly(b, x1!, lv.level1, get("u1"), get("u1_sets"));
  const [x2] = b.local("reshape", [y1], { shape: [lv.p1 * GROUP, w] }, [binary([lv.p1 * GROUP, w])]);
  const bits = applyPoly(b, x2!, lv.level2, get("u2"), get("u2_sets"));
  return { n, shape, c: c!, zf, opsF, dOpen: dOpen as string[], bits, get };
}

function flatten(b: PlanBuilder, x: string, n: number): string {
  const xi = b.info(x);
  if (elementCount(xi.shape) !== n) throw new Error(`internal: comparison operand ${x} has ${elementCount(xi.shape)} elements, not ${n}`);
  return xi.shape.length === 1 ? x : b.local("reshape", [x], { shape: [n] }, [{ elem: xi.elem, shape: [n] }])[0]!;
}

/** The core comparison protocol (see the header): 4 rounds, one dealer item. */
export function compareZero(b: PlanBuilder, z: string, want: CompareWant): CompareResult {
  const core = compareCore(b, z, want, true);
  const { n, shape, get } = core;
  const lt = want.lt === true || (want.ops ?? []).length > 0 || want.zprod === true;
  const eq = want.eq === true;
  const zprod = want.zprod === true;
  const q = (lt ? 1 : 0) + (eq ? 1 : 0);
  // round 4: bits to additive shares, with the products
  const [m] = b.local("bin_xor", [core.bits, get("s")], {}, [binary([q, wordsFor(n)])]);
  const [e] = b.open([m!]);
  const args = [e!, get("s_arith"), core.c, core.zf];
  if (zprod) args.push(get("r_s"));
  core.opsF.forEach((x, k) => args.push(x, core.dOpen[k]!, get(`a${k}_s`)));
  const bitElem = want.bitElem ?? "bool";
  const outSpecs: ValueSpec[] = [];
  if (lt) outSpecs.push({ elem: bitElem, shape });
  if (eq) outSpecs.push({ elem: bitElem, shape });
  if (zprod) outSpecs.push({ elem: b.info(z).elem, shape });
  for (const x of core.opsF) outSpecs.push({ elem: b.info(x).elem, shape });
  const res = b.local("cmp_b2a", args, { lt, eq, zprod, ops: core.opsF.length, shape }, outSpecs);
  let k = 0;
  const result: CompareResult = { opsLt: [] };
  if (lt) result.lt = res[k++]!;
  if (eq) result.eq = res[k++]!;
  if (zprod) result.zlt = res[k++]!;
  for (let j = 0; j < core.opsF.length; j++) result.opsLt.push(res[k++]!);
  return result;
}

/** Rounds 1-3 only: the bits [z < 0] and/or [z == 0] (in that order) as vertical XOR shares
 *  [q, ceil(n / 64)], for further binary work before one B2A (b2aVertical). */
export function compareBitsVertical(b: PlanBuilder, z: string, want: { lt?: boolean; eq?: boolean }): string {
  return compareCore(b, z, { lt: want.lt === true, eq: want.eq === true }, false).bits;
}

/** B2A of vertical bits [q, W] over n elements (1 round): additive 0/1 shares of each row
 *  (shaped `shape`), and the products of row 0 with each operand (same element count; its
 *  masked value is opened as early as the operand is known, so usually in an earlier round). */
export function b2aVertical(b: PlanBuilder, bits: string, n: number, shape: number[], ops: string[] = [], bitElem: ElemType = "int"): { bits: string[]; prods: string[] } {
  const q = b.info(bits).shape[0]!;
  const opsF = ops.map((x) => flatten(b, x, n));
  const attrs = { n, q, ops: ops.length };
  const layout = vbitsLayout(attrs);
  const outs = b.dealer(
    "vbits_b2a",
    attrs,
    layout.map((o) => (o.name === "s" ? binary(o.shape) : { elem: o.name === "s_arith" ? "int" : b.info(opsF[Number(/^a(\d+)/.exec(o.name)![1])]!).elem, shape: o.shape })),
  );
  const get = (name: string): string => outs[layout.findIndex((o) => o.name === name)]!;
  const ds = opsF.map((x, k) => b.local("sub", [x, get(`a${k}`)], {}, [{ elem: b.info(x).elem, shape: [n] }])[0]!);
  const dOpen = ds.length > 0 ? b.open(ds) : [];
  const [m] = b.local("bin_xor", [bits, get("s")], {}, [binary([q, wordsFor(n)])]);
  const [e] = b.open([m!]);
  const args = [e!, get("s_arith")];
  opsF.forEach((x, k) => args.push(x, dOpen[k]!, get(`a${k}_s`)));
  const specs: ValueSpec[] = [];
  for (let r = 0; r < q; r++) specs.push({ elem: bitElem, shape });
  for (const x of opsF) specs.push({ elem: b.info(x).elem, shape });
  const res = b.local("vbits_b2a", args, { ops: ops.length, shape }, specs);
  return { bits: res.slice(0, q), prods: res.slice(q) };
}

/** x - y on additive shares of the same element type (broadcasting). */
function diff(b: PlanBuilder, x: string, y: string): string {
  const xi = b.info(x);
  const shape = broadcastOrThrow(xi.shape, b.info(y).shape);
  return b.local("sub", [x, y], {}, [{ elem: xi.elem, shape }])[0]!;
}

/** 1 - x for additive 0/1 shares (party 0 adds 1). */
export function oneMinus(b: PlanBuilder, x: string, elem?: ElemType): string {
  const xi = b.info(x);
  return b.local("one_minus", [x], {}, [{ elem: elem ?? xi.elem, shape: xi.shape }])[0]!;
}

/** int 0/1 shares of [x < 0]. */
export function msbBit(b: PlanBuilder, x: string): string {
  return compareZero(b, x, { lt: true, bitElem: "int" }).lt!;
}

/** bool shares of [x < y]; x and y additive of the same element type. */
export function lessThan(b: PlanBuilder, x: string, y: string): string {
  return compareZero(b, diff(b, x, y), { lt: true }).lt!;
}

/** bool shares of [x == 0]. */
export function isZero(b: PlanBuilder, x: string): string {
  return compareZero(b, x, { eq: true }).eq!;
}

/** x * [x >= 0] = x - x [x < 0], exact. */
export function reluSecret(b: PlanBuilder, x: string): string {
  const r = compareZero(b, x, { zprod: true });
  return diff(b, x, r.zlt!);
}

/** |x| = x - 2 x [x < 0], exact. */
export function absSecret(b: PlanBuilder, x: string): string {
  const xi = b.info(x);
  const r = compareZero(b, x, { zprod: true });
  const [twice] = b.local("mul_const", [r.zlt!], { value: 2, bits: 0 }, [{ elem: xi.elem, shape: xi.shape }]);
  return diff(b, x, twice!);
}

/** sign(x) = 1 - 2 [x < 0] - [x == 0] (0 at 0), as `elem` (fixed: scaled by 2^f). */
export function signSecret(b: PlanBuilder, x: string, elem: ElemType): string {
  const xi = b.info(x);
  const r = compareZero(b, x, { lt: true, eq: true, bitElem: "int" });
  const spec = { elem: "int" as const, shape: xi.shape };
  const notEq = oneMinus(b, r.eq!);
  const [twice] = b.local("mul_const", [r.lt!], { value: 2, bits: 0 }, [spec]);
  const [s] = b.local("sub", [notEq, twice!], {}, [spec]);
  if (elem !== "fixed") return b.local("reshape", [s!], { shape: xi.shape }, [{ elem, shape: xi.shape }])[0]!;
  return b.local("lshift", [s!], { bits: b.ctx.precision }, [{ elem, shape: xi.shape }])[0]!;
}

/** Elementwise max(x, y) = x - (x - y)[x < y]. */
export function maxPair(b: PlanBuilder, x: string, y: string): string {
  const z = diff(b, x, y);
  return diff(b, x, compareZero(b, z, { zprod: true }).zlt!);
}

/** Elementwise min(x, y) = y + (x - y)[x < y]. */
export function minPair(b: PlanBuilder, x: string, y: string): string {
  const z = diff(b, x, y);
  const zlt = compareZero(b, z, { zprod: true }).zlt!;
  const yi = b.info(z);
  return b.local("add", [y, zlt], {}, [{ elem: yi.elem, shape: yi.shape }])[0]!;
}

/** select(c, x, y) = y + c (x - y) for a secret bool c (arithmetic 0/1): one Beaver product;
 *  an int/bool c times a fixed difference needs no truncation. */
export function selectSecret(b: PlanBuilder, c: string, x: string, y: string): string {
  const d = diff(b, x, y);
  const di = b.info(d);
  const shape = broadcastOrThrow(di.shape, b.info(c).shape);
  const m = mulSecret(b, d, c, { elem: di.elem, shape });
  return b.local("add", [y, m], {}, [{ elem: di.elem, shape: broadcastOrThrow(b.info(y).shape, shape) }])[0]!;
}

/** clip(x, lo, hi) = x + relu(lo - x) - relu(x - hi) for public lo <= hi (`lo`, `hi` clear
 *  values every party holds, of x's element type): both comparisons run in the same rounds. */
export function clipSecret(b: PlanBuilder, x: string, lo: string, hi: string): string {
  const xi = b.info(x);
  const spec = { elem: xi.elem, shape: xi.shape };
  const below = b.local("add_public", [x, lo], { elem: b.info(lo).elem, by: b.ctx.parties[0], shape: xi.shape, subtract: "secret" }, [spec])[0]!;
  const above = b.local("add_public", [x, hi], { elem: b.info(hi).elem, by: b.ctx.parties[0], shape: xi.shape, subtract: "clear" }, [spec])[0]!;
  const up = reluSecret(b, below);
  const down = reluSecret(b, above);
  const [t] = b.local("add", [x, up], {}, [spec]);
  return b.local("sub", [t!, down], {}, [spec])[0]!;
}

type TreeMode = "max" | "min" | "argmax";

/** Axes up to this length are reduced by comparing all pairs at once (pairsStage) rather
 *  than by a tree of pairwise levels: n = 10 takes 6 rounds instead of 16, for n(n-1)/2
 *  comparisons instead of n - 1. Longer axes take tree levels until this many remain. */
export const PAIRS_MAX = 10;

/** Reduce x over `axis` (undefined: all elements, flattened): tree levels (4 rounds each,
 *  all pairs of a level in parallel) while more than PAIRS_MAX remain, then one all-pairs
 *  stage (4 + ceil(log4(n - 1)) rounds) for the last n >= 3, or a last tree level for n = 2. */
function treeReduce(b: PlanBuilder, x: string, axis: number | undefined, keepdims: boolean, mode: TreeMode): string {
  const xi = b.info(x);
  const shape = xi.shape;
  const rank = shape.length;
  let v = x;
  let n: number;
  let m: number;
  let outShape: number[];
  if (axis === undefined) {
    n = elementCount(shape);
    m = 1;
    outShape = keepdims ? shape.map(() => 1) : [];
  } else {
    const a = axis < 0 ? axis + rank : axis;
    n = shape[a]!;
    m = elementCount(shape) / Math.max(n, 1);
    outShape = keepdims ? shape.map((d, i) => (i === a ? 1 : d)) : shape.filter((_, i) => i !== a);
    if (a !== 0) {
      const perm = [a, ...shape.map((_, i) => i).filter((i) => i !== a)];
      v = b.local("transpose", [v], { perm }, [{ elem: xi.elem, shape: perm.map((p) => shape[p]!) }])[0]!;
    }
  }
  if (n === 0) throw new Error(`internal: ${mode} over an empty axis`);
  v = b.local("reshape", [v], { shape: [n, m] }, [{ elem: xi.elem, shape: [n, m] }])[0]!;
  let idx: string | undefined;
  while (n > PAIRS_MAX || n === 2) {
    const h = Math.floor(n / 2);
    const odd = n % 2 === 1;
    const split = (t: string, elem: ElemType): string[] =>
      b.local("tree_split", [t], {}, [{ elem, shape: [h, m] }, { elem, shape: [h, m] }, ...(odd ? [{ elem, shape: [1, m] }] : [])]);
    const [ev, od, rest] = split(v, xi.elem);
    const z = diff(b, ev!, od!);
    let next: string;
    if (mode === "argmax") {
      idx ??= b.local("iota", [], { shape: [n, m] }, [{ elem: "int", shape: [n, m] }])[0]!;
      const [iev, iod, irest] = split(idx, "int");
      const wdiff = diff(b, iod!, iev!);
      const r = compareZero(b, z, { zprod: true, ops: [wdiff] });
      next = diff(b, ev!, r.zlt!);
      let ni = b.local("add", [iev!, r.opsLt[0]!], {}, [{ elem: "int", shape: [h, m] }])[0]!;
      if (odd) ni = b.local("concat", [ni, irest!], { axis: 0 }, [{ elem: "int", shape: [h + 1, m] }])[0]!;
      idx = ni;
    } else {
      const zlt = compareZero(b, z, { zprod: true }).zlt!;
      next = mode === "max" ? diff(b, ev!, zlt) : b.local("add", [od!, zlt], {}, [{ elem: xi.elem, shape: [h, m] }])[0]!;
    }
    if (odd) next = b.local("concat", [next, rest!], { axis: 0 }, [{ elem: xi.elem, shape: [h + 1, m] }])[0]!;
    v = next;
    n = h + (odd ? 1 : 0);
  }
  if (n >= 3) {
    if (mode === "min") {
      // min = -max(-x)
      const neg = b.local("neg", [v], {}, [{ elem: xi.elem, shape: [n, m] }])[0]!;
      const mx = pairsStage(b, neg, n, m, xi.elem, undefined, "max");
      v = b.local("neg", [mx], {}, [{ elem: xi.elem, shape: [1, m] }])[0]!;
    } else {
      const r = pairsStage(b, v, n, m, xi.elem, idx, mode);
      if (mode === "argmax") idx = r;
      else v = r;
    }
  }
  const result = mode === "argmax" ? (idx ?? b.local("iota", [], { shape: [1, m] }, [{ elem: "int", shape: [1, m] }])[0]!) : v;
  const elem = mode === "argmax" ? "int" : xi.elem;
  return b.local("reshape", [result], { shape: outShape }, [{ elem, shape: outShape }])[0]!;
}

/**
 * The maximum (or its index) of the n rows of v [n, m] in one stage: every pair i < j compared
 * at once (rounds 1-3 of the comparison, the bits left as vertical XOR shares), then, for each
 * i, the AND of "x_i > x_j for j < i" and "x_i >= x_j for j > i" (one round per four inputs:
 * exactly one i, the first maximum, is selected), then one B2A that also multiplies the
 * selection by the values (or by the indices carried from earlier tree levels). Returns [1, m].
 */
function pairsStage(b: PlanBuilder, v: string, n: number, m: number, elem: ElemType, idx: string | undefined, mode: "max" | "argmax"): string {
  const mp = Math.ceil(m / 64) * 64;
  const wp = mp / 64;
  const pairs = (n * (n - 1)) / 2;
  const [z, vp] = b.local("pair_diffs", [v], {}, [
    { elem, shape: [pairs, mp] },
    { elem, shape: [n, mp] },
  ]);
  const bits = compareBitsVertical(b, z!, { lt: true });
  let [sel] = b.local("pair_sel_inputs", [bits], { n }, [binary([n - 1, n, wp])]);
  for (let k = n - 1; k > 1; ) {
    const groups = Math.ceil(k / 4);
    const polys = Array.from({ length: groups }, (_, g) => {
      let mono = 0;
      for (let r = 4 * g; r < Math.min(4 * g + 4, k); r++) mono |= 1 << r;
      return [mono];
    });
    sel = polyBinary(b, sel!, polys);
    k = groups;
  }
  const [flat] = b.local("reshape", [sel!], { shape: [1, n * wp] }, [binary([1, n * wp])]);
  let operand: string | undefined;
  if (mode === "max") operand = vp!;
  else if (idx !== undefined) operand = b.local("pair_diffs", [idx], {}, [
    { elem: "int", shape: [pairs, mp] },
    { elem: "int", shape: [n, mp] },
  ])[1]!;
  const r = b2aVertical(b, flat!, n * mp, [n * mp], operand ? [operand] : []);
  const reduceMode = mode === "argmax" && idx === undefined ? "argmax" : "max";
  const outElem = mode === "argmax" ? "int" : elem;
  const [red] = b.local("pairs_reduce", [r.bits[0]!, ...(operand ? [r.prods[0]!] : [])], { mode: reduceMode, n, m }, [{ elem: outElem, shape: [m] }]);
  return b.local("reshape", [red!], { shape: [1, m] }, [{ elem: outElem, shape: [1, m] }])[0]!;
}

export function maxReduce(b: PlanBuilder, x: string, axis: number | undefined, keepdims = false): string {
  return treeReduce(b, x, axis, keepdims, "max");
}

export function minReduce(b: PlanBuilder, x: string, axis: number | undefined, keepdims = false): string {
  return treeReduce(b, x, axis, keepdims, "min");
}

/** Index (int) of the maximum along `axis` (undefined: over all elements, flattened);
 *  ties go to the first index, as the plaintext reference (runtime/clear argmax). */
export function argmaxReduce(b: PlanBuilder, x: string, axis: number | undefined): string {
  return treeReduce(b, x, axis, false, "argmax");
}
