// Range reduction for reciprocal, sqrt and log: x = m 2^e with m in [1/2, 1) ("odd") or, with
// e even, in [1/4, 1) ("even"), for positive secret fixed-point x. The leading bit q of the
// encoding x 2^f (an integer in [2^q, 2^(q+1))) is found by comparing x with every power of
// two 2^p, p = qmin+1 .. qmax, IN PARALLEL: one comparison (4 rounds, runtime/protocols/spec/
// compare.ts) of a stacked [K, n] tensor. The bits c_p = [x 2^f >= 2^p] are monotone in p, so
// the one-hot of q is d_q = c_q - c_(q+1) and any table G(q) is a LOCAL linear combination:
//   G(q) = G(qmax) - sum_p [x 2^f < 2^p] (G(p) - G(p-1)).
// The normalising factor is such a table (a power of two), so m = x F(q) is one product
// (round 5) whose value is at most 2^32: nothing large is ever truncated. Inputs below 2^qmin
// (encoded) or at least 2^(qmax+1) get the nearest end's factor (default: the whole positive
// fixed-point range, q in 0..30).

import type { PlanBuilder } from "../../builder.js";
import { compareZero } from "../compare.js";
import { affineRows, product, rowsComb, trunc } from "./common.js";

export interface Normalized {
  /** m (fixed, flat [n]). */
  m: string;
  /** e(q): x = m 2^e. */
  exponent: (q: number) => number;
  /** Secret G(q) for a table of raw integers (local). */
  table: (values: (q: number) => number, elem: "int" | "fixed") => string;
  qmin: number;
  qmax: number;
}

export interface NormalizeOptions {
  /** m in [1/4, 1) with an even exponent (sqrt), instead of [1/2, 1). */
  even?: boolean;
  /** Range of the leading bit of x 2^f considered (default 0..30: every positive input). */
  qmin?: number;
  qmax?: number;
}

/** Normalise positive x (flat [n], fixed). 5 rounds (2 parties). */
export function normalize(b: PlanBuilder, x: string, opts: NormalizeOptions = {}): Normalized {
  const f = b.ctx.precision;
  const qmin = opts.qmin ?? 0;
  const qmax = opts.qmax ?? 30;
  if (qmin < 0 || qmax > 30 || qmin >= qmax) throw new Error("internal: normalize needs 0 <= qmin < qmax <= 30");
  const ps = Array.from({ length: qmax - qmin }, (_, i) => qmin + 1 + i);
  const z = affineRows(b, x, ps.map(() => 1), ps.map((p) => -(2 ** p)), "fixed");
  const lt = compareZero(b, z, { lt: true, bitElem: "int" }).lt!;
  const table = (g: (q: number) => number, elem: "int" | "fixed"): string =>
    rowsComb(b, lt, ps.map((p) => -(g(p) - g(p - 1))), g(qmax), elem);
  // odd: m 2^f = x 2^f 2^(f-1-q) in [2^(f-1), 2^f); even: e(q) the even one of q+1-f, q+2-f
  const exponent = opts.even
    ? (q: number): number => ((q + 1 - f) % 2 === 0 ? q + 1 - f : q + 2 - f)
    : (q: number): number => q + 1 - f;
  const S = Math.max(0, ...range(qmin, qmax).map(exponent));
  const F = table((q) => 2 ** (S - exponent(q)), "int");
  const m = trunc(b, product(b, x, F, "int"), S, "fixed");
  return { m, exponent, table, qmin, qmax };
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
