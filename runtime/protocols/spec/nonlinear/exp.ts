// exp(x) = 2^y, y = x log2(e), by range reduction with two one-round table lookups:
//
//   s = trunc(8y)  (floor or one more)    a = trunc(s / 8)    b = s - 8a in [-8, 8)
//   v = 8y - s in (-1, 1)                  so  y = a + b/8 + v/8
//   2^y = 2^a * 2^(b/8) * q(v),  q(v) ~ 2^(v/8) a cubic (relative error 3e-7)
//
// 2^a (a in [-16, 16)) and 2^(b/8) come from one-hot lookups (./lookup.ts), opened together
// in round 1 while v^2 is computed; v^3 in round 2; A = 2^(b/8) q(v) in round 3; in round 4
// 2^a A as (2^max(a,0) - 1) A + 2^min(a,0) A, where the first factor is an integer (no
// truncation: the result, up to 2^15, is never truncated at scale 2^32) and the second at
// most 1. A comparison [x < -11] runs from round 1 and zeroes the result in round 5: below
// -11, exp(x) < 1.7e-5 and the table index would wrap. So: 5 rounds (2 parties), valid for
// every x below ln(2^15) ~ 10.39 (above, the result leaves the fixed-point range); relative
// error ~1e-4 where exp(x) >> 2^-16, absolute error < 2e-5 below.

import type { PlanBuilder } from "../../builder.js";
import { compareZero } from "../compare.js";
import { EXP2_FRAC } from "./coefficients.js";
import { COEF_BITS, enc, flat, lincomb, polyPublic, powers, product, reshapeAs, row, stackRows, trunc } from "./common.js";
import { lookup } from "./lookup.js";

/** Below this, exp gives 0. */
export const EXP_LOWER = -11;
/** Fractional bits of the constant 8 log2(e). */
const K = 16;

const signedIndex = (k: number, size: number): number => (k < size / 2 ? k : k - size);

/** exp of secret fixed-point x (any shape). */
export function expSecret(b: PlanBuilder, x: string): string {
  const f = b.ctx.precision;
  const shape = [...b.info(x).shape];
  const xf = flat(b, x);
  const z = lincomb(b, [xf], [enc(8 * Math.LOG2E, K)], 0, "int");
  const y8 = trunc(b, z, K, "fixed");
  const s = trunc(b, y8, f, "int");
  const a = trunc(b, s, 3, "int");
  const bb = lincomb(b, [s, a], [1, -8], 0, "int");
  const v = lincomb(b, [y8, s], [1, -(2 ** f)], 0, "fixed");
  const [u, w] = lookup(b, a, 32, [
    { values: Array.from({ length: 32 }, (_, k) => 2 ** Math.max(signedIndex(k, 32), 0) - 1), elem: "int" },
    { values: Array.from({ length: 32 }, (_, k) => enc(2 ** Math.min(signedIndex(k, 32), 0), f)), elem: "fixed" },
  ]);
  const [tb] = lookup(b, bb, 16, [{ values: Array.from({ length: 16 }, (_, k) => enc(2 ** (signedIndex(k, 16) / 8), COEF_BITS)), elem: "int" }]);
  const q = polyPublic(b, powers(b, v, 3), EXP2_FRAC);
  const A = trunc(b, product(b, tb!, q, "int"), COEF_BITS, "fixed");
  const P = product(b, stackRows(b, [u!, w!], "int"), A, "int");
  const e = lincomb(b, [row(b, P, 0, "fixed"), trunc(b, row(b, P, 1, "int"), f, "fixed")], [1, 1], 0, "fixed");
  // zero below EXP_LOWER
  const below = compareZero(b, lincomb(b, [xf], [1], -enc(EXP_LOWER, f), "fixed"), { lt: true, bitElem: "int" }).lt!;
  const keep = lincomb(b, [below], [-1], 1, "int");
  return reshapeAs(b, product(b, keep, e, "fixed"), shape, "fixed");
}
