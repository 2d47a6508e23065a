// sigmoid and tanh: a piecewise polynomial selected by a one-round table lookup, saturated by
// one comparison, 5 rounds (2 parties) whatever the input.
//
//   s = trunc(x / width)            floor(x / width) or one more (free for 2 parties)
//   u = x / width - s in [-1, 1)    local
//   a_0..a_d = T[s mod 32]          one round (./lookup.ts): the segment's coefficients
//   u^2 .. u^6                      rounds 1-3, in parallel with the lookup
//   p = sum a_k u^k                 one round (a stacked product of secret pairs)
//   [x < T], [x > -T]               one comparison of both bounds (4 rounds, from round 1)
//   out = hi [x >= T] + lo [x <= -T] + [|x| < T] p     one more round
// Segment j's polynomial is fitted on [j - 1, j + 1] (u in [-1, 1]), so either neighbour the
// truncation picks is accurate: no comparison per segment boundary. Outside the table the
// index wraps, but there the comparison's 0/1 weight cancels the polynomial exactly (a ring
// product with 0 is 0). Coefficients: scripts/fit-approximations.ts.

import type { PlanBuilder } from "../../builder.js";
import { SIGMOID_SEGMENTS, TANH_SEGMENTS } from "./coefficients.js";
import { thresholdBits } from "./thresholds.js";
import { COEF_BITS, enc, flat, lincomb, polySecret, powers, product, reshapeAs, rowsComb, trunc } from "./common.js";
import { lookup } from "./lookup.js";

export interface SegmentFunction {
  /** Width of a segment: a power of two. */
  width: number;
  /** Table entries (a power of two); entry k holds segment k < size/2 ? k : k - size. */
  size: number;
  degree: number;
  polys: readonly (readonly number[])[];
  /** |x| >= at gives hi (x > 0) or lo (x < 0). */
  saturate: { at: number; hi: number; lo: number };
}

export const SIGMOID: SegmentFunction = { ...SIGMOID_SEGMENTS, saturate: { at: 14, hi: 1, lo: 0 } };
export const TANH: SegmentFunction = { ...TANH_SEGMENTS, saturate: { at: 7.5, hi: 1, lo: -1 } };

/** A saturating piecewise-polynomial function of secret fixed-point x (any shape). */
export function segmentFunction(b: PlanBuilder, x: string, fn: SegmentFunction): string {
  const f = b.ctx.precision;
  const shape = [...b.info(x).shape];
  const xf = flat(b, x);
  const w = Math.round(-Math.log2(fn.width));
  if (2 ** -w !== fn.width || w > f) throw new Error("internal: segment width must be a power of two");
  // segment index and the offset in it
  const s = trunc(b, xf, f - w, "int");
  const u = lincomb(b, [xf, s], [2 ** w, -(2 ** f)], 0, "fixed");
  const coefs = lookup(
    b,
    s,
    fn.size,
    Array.from({ length: fn.degree + 1 }, (_, k) => ({ values: fn.polys.map((c) => enc(c[k] ?? 0, COEF_BITS)), elem: "int" as const })),
  );
  const p = polySecret(b, coefs, powers(b, u, fn.degree));
  // saturation, one comparison batch (./thresholds.ts): rows [x < T] and [x < 1 - T] = [x <= -T]
  const T = enc(fn.saturate.at, f);
  const lt = thresholdBits(b, xf, [T, 1 - T]);
  const inRange = rowsComb(b, lt, [1, -1], 0, "int");
  const [hi, lo] = [enc(fn.saturate.hi, f), enc(fn.saturate.lo, f)];
  const outside = rowsComb(b, lt, [-hi, lo], hi, "fixed");
  const kept = product(b, inRange, p, "fixed");
  return reshapeAs(b, lincomb(b, [kept, outside], [1, 1], 0, "fixed"), shape, "fixed");
}

/** sigmoid(x) = 1 / (1 + e^-x), max abs error ~3e-5 for every x in the fixed-point range. */
export function sigmoidSecret(b: PlanBuilder, x: string): string {
  return segmentFunction(b, x, SIGMOID);
}

/** tanh(x), its own table (segments of width 1/2, saturating at |x| >= 7.5). */
export function tanhSecret(b: PlanBuilder, x: string): string {
  return segmentFunction(b, x, TANH);
}
