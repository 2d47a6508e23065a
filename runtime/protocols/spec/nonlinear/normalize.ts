// Range reduction for reciprocal, sqrt and log: x = m 2^e with m in [1/2, 1) ("odd") or, with
// e even, in [1/4, 1) ("even"), for positive secret fixed-point x. What is needed is the
// leading bit q of the encoding x 2^f (an integer in [2^q, 2^(q+1))), found by comparing x
// with powers of two IN PARALLEL (./thresholds.ts: one comparison's 4 rounds per batch, one
// masked opening and one set of chunk tables shared by the batch's thresholds). The
// bits c_p = [x 2^f >= 2^p] are monotone in p, so the one-hot of q is d_q = c_q - c_(q+1) and
// any table G(q) is a LOCAL linear combination of the comparison bits.
//
// Small ranges (<= 9 positions, e.g. softmax's row sums) take one batch. The full range (q in
// 0..30) takes two, to compare 10 values per element instead of 30: a coarse batch finds the
// group g of four positions (7 thresholds), x1 = x 2^(28 - 4g) is an exact integer product
// (no truncation; x1 2^f in [2^28, 2^32)), and a fine batch on x1 finds j, q = 4g + j (3
// thresholds). The mantissa m depends on j alone (one more product, truncated at <= 2^33);
// a table G(q) = sum_j [j] (sum_g [g] G(4g + j)) is one stacked product of the fine one-hot
// with four coarse tables. Rounds (2 parties): one batch 4 + 1 (m); two batches 4 + 1 + 4 + 1
// (tables in parallel with m). Inputs below 2^qmin or at least 2^(qmax+1) (encoded) get the
// nearest end's factor (default: the whole positive fixed-point range).

import type { PlanBuilder } from "../../builder.js";
import { product, rowsComb, stackRows, trunc } from "./common.js";
import { thresholdBits } from "./thresholds.js";

export interface Normalized {
  /** m (fixed, flat [n]). */
  m: string;
  /** e(q): x = m 2^e. */
  exponent: (q: number) => number;
  /** Secret G(q) for a table of raw integers (local after one batch; one product after two). */
  table: (values: (q: number) => number, elem: "int" | "fixed") => string;
  qmin: number;
  qmax: number;
  /** With `signed`: sign(x) as int shares of +-1 (+1 at 0). */
  sign?: string;
}

export interface NormalizeOptions {
  /** x of any sign: normalise |x| and give its sign, from the same coarse batch (full range
   *  only): thresholds 0, 2^p and 1 - 2^p (for x < 0, [x < 1 - 2^p] = [|x| >= 2^p]). */
  signed?: boolean;
  /** m in [1/4, 1) with an even exponent (sqrt), instead of [1/2, 1). */
  even?: boolean;
  /** Range of the leading bit of x 2^f considered (default 0..30: every positive input). */
  qmin?: number;
  qmax?: number;
}

/** One batch of comparisons: the leading bit of v among positions lo + step*i, i = 0..count-1
 *  (thresholds at the positions above lo). Returns the bits [v < 2^p] and table builders. */
function batch(b: PlanBuilder, v: string, lo: number, count: number, step: number) {
  const ps = Array.from({ length: count - 1 }, (_, i) => lo + step * (i + 1));
  const lt = thresholdBits(b, v, ps.map((p) => 2 ** p));
  // G(i) = G(count-1) - sum_i [v < 2^p_i] (G(i) - G(i-1)), i = 1..count-1
  const table = (g: (i: number) => number, elem: "int" | "fixed"): string =>
    rowsComb(b, lt, ps.map((_, k) => -(g(k + 1) - g(k))), g(count - 1), elem);
  return { lt, table };
}

/** Normalise positive x (flat [n], fixed). */
export function normalize(b: PlanBuilder, x: string, opts: NormalizeOptions = {}): Normalized {
  const f = b.ctx.precision;
  const qmin = opts.qmin ?? 0;
  const qmax = opts.qmax ?? 30;
  if (qmin < 0 || qmax > 30 || qmin >= qmax) throw new Error("internal: normalize needs 0 <= qmin < qmax <= 30");
  const clampQ = (q: number): number => Math.min(qmax, Math.max(qmin, q));
  // odd: m 2^f = x 2^f 2^(f-1-q) in [2^(f-1), 2^f); even: e(q) the even one of q+1-f, q+2-f
  const exponent = opts.even
    ? (q: number): number => ((q + 1 - f) % 2 === 0 ? q + 1 - f : q + 2 - f)
    : (q: number): number => q + 1 - f;
  const positions = qmax - qmin + 1;
  if (opts.signed && positions <= 9) throw new Error("internal: a signed normalisation needs the two-batch range");
  if (positions <= 9) {
    const one = batch(b, x, qmin, positions, 1);
    const table = (g: (q: number) => number, elem: "int" | "fixed"): string => one.table((i) => g(qmin + i), elem);
    const S = Math.max(0, ...range(qmin, qmax).map(exponent));
    const F = table((q) => 2 ** (S - exponent(q)), "int");
    return { m: trunc(b, product(b, x, F, "int"), S, "fixed"), exponent, table, qmin, qmax };
  }
  // coarse: groups of 4 positions; x1 = x 2^(top - 4g) brings every group to the top one's
  const groups = Math.ceil(positions / 4);
  const top = qmin + 4 * (groups - 1);
  let coarseTable: (g: (i: number) => number, elem: "int" | "fixed") => string;
  let x1: string;
  let sign: string | undefined;
  if (!opts.signed) {
    const coarse = batch(b, x, qmin, groups, 4);
    coarseTable = coarse.table;
    x1 = product(b, x, coarse.table((g) => 2 ** (top - qmin - 4 * g), "int"), "fixed");
  } else {
    // rows: [x < 0], [x < 2^p_i] (i = 1..G1), [x < 1 - 2^p_i]; with d_i = G(i) - G(i-1) the
    // group of |x| gives G = G(G1) - sum_i [x < 2^p_i] d_i + sum_i [x <= -2^p_i] d_i, and the
    // signed factor sign(x) F(g) = F(G1) - sum_i ([x < 2^p_i] + [x <= -2^p_i]) d_i - 2 F(0) [x < 0]
    const G1 = groups - 1;
    const pos = Array.from({ length: G1 }, (_, i) => 2 ** (qmin + 4 * (i + 1)));
    const lt = thresholdBits(b, x, [0, ...pos, ...pos.map((p) => 1 - p)]);
    const d = (g: (i: number) => number): number[] => Array.from({ length: G1 }, (_, i) => g(i + 1) - g(i));
    coarseTable = (g, elem) => {
      const di = d(g);
      return rowsComb(b, lt, [0, ...di.map((v) => -v), ...di], g(G1), elem);
    };
    const F = (g: number): number => 2 ** (top - qmin - 4 * g);
    const dF = d(F);
    const signedF = rowsComb(b, lt, [-2 * F(0), ...dF.map((v) => -v), ...dF.map((v) => -v)], F(G1), "int");
    x1 = product(b, x, signedF, "fixed");
    sign = rowsComb(b, lt, [-2, ...dF.map(() => 0), ...dF.map(() => 0)], 1, "int");
  }
  const fine = batch(b, x1, top, 4, 1);
  const qOf = (g: number, j: number): number => qmin + 4 * g + j;
  // m 2^f = x1 2^f 2^(f - 1 - top - j) (odd), one more halving where the even exponent needs it
  const mExp = (j: number): number => f - 1 - top - j - (exponent(qOf(0, j)) - (qOf(0, j) + 1 - f));
  const S = Math.max(0, ...[0, 1, 2, 3].map((j) => -mExp(j)));
  const m = trunc(b, product(b, x1, fine.table((j) => 2 ** (S + mExp(j)), "int"), "int"), S, "fixed");
  // the fine one-hot [4, n]: [j] = table of the indicator
  const onehot = stackRows(b, [0, 1, 2, 3].map((j) => fine.table((i) => (i === j ? 1 : 0), "int")), "int");
  const table = (g: (q: number) => number, elem: "int" | "fixed"): string => {
    const perJ = [0, 1, 2, 3].map((j) => coarseTable((gi) => g(clampQ(qOf(gi, j))), "int"));
    const prod = product(b, onehot, stackRows(b, perJ, "int"), "int");
    return b.local("sum", [prod], { axis: 0 }, [{ elem, shape: [...b.info(x).shape] }])[0]!;
  };
  return { m, exponent: (q) => exponent(clampQ(q)), table, qmin, qmax, ...(sign ? { sign } : {}) };
}

export function range(lo: number, hi: number): number[] {
  return Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
}

/** The factor 2^g(q) as two secret integer rows [2, n]: row 0 its integer part (g >= 0),
 *  row 1 its fractional part scaled by 2^H (g < 0); `sign` (int, +-1) folded in when given,
 *  in one product (1 round, usually in parallel with other work). */
export function pow2Factor(b: PlanBuilder, n: Normalized, g: (q: number) => number, sign?: string): { G: string; H: number } {
  const qs = range(n.qmin, n.qmax);
  const H = Math.max(0, ...qs.map((q) => -g(q)));
  const lo = n.table((q) => (g(q) >= 0 ? 2 ** g(q) : 0), "int");
  const hi = n.table((q) => (g(q) < 0 ? 2 ** (g(q) + H) : 0), "int");
  const shape = b.info(lo).shape;
  let G = b.local("stack", [lo, hi], { axis: 0 }, [{ elem: "int", shape: [2, ...shape] }])[0]!;
  if (sign) G = product(b, G, sign, "int");
  return { G, H };
}

/** y 2^g for a secret fixed y (flat, the factor's size) and a factor from pow2Factor: one
 *  stacked product (1 round); the integer part needs no truncation, the fractional part is
 *  truncated by H, so only values about as large as the result are ever truncated. */
export function mulPow2(b: PlanBuilder, G: string, H: number, y: string): string {
  const P = product(b, G, y, "int");
  const shape = b.info(y).shape;
  const lo = b.local("slice", [P], { ranges: [[0, null], ...shape.map((d) => [0, d])] }, [{ elem: "fixed", shape: [...shape] }])[0]!;
  if (H === 0) return lo;
  const hiRaw = b.local("slice", [P], { ranges: [[1, null], ...shape.map((d) => [0, d])] }, [{ elem: "int", shape: [...shape] }])[0]!;
  const hi = trunc(b, hiRaw, H, "fixed");
  return b.local("add", [lo, hi], {}, [{ elem: "fixed", shape: [...shape] }])[0]!;
}

/** y 2^g(q) (see pow2Factor and mulPow2). */
export function scaleByPow2(b: PlanBuilder, n: Normalized, y: string, g: (q: number) => number, sign?: string): string {
  const { G, H } = pow2Factor(b, n, g, sign);
  return mulPow2(b, G, H, y);
}
