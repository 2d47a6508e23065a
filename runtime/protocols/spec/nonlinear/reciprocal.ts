// reciprocal 1/x and division a / b by a secret b. Range reduction (./normalize.ts) gives
// x = m 2^e with m in [1/2, 1); a quadratic initial guess for 1/m (relative error 1.0e-2,
// scripts/fit-approximations.ts) and one Newton step y <- y (2 - m y) (relative error ~1e-4)
// give 1/m, then 1/x = (1/m) 2^-e by a product with the secret power of two. For signed x, one
// comparison first gives |x| = x - 2 x [x < 0] and the sign is folded into the power of two.
// Rounds (2 parties): positive 9 (normalise 5, t^2 1, Newton 2, scale 1); signed 13.
// Valid for 2^-16 <= |x| < 2^15 (every non-zero fixed-point value); relative error ~1e-4
// plus the output's own quantisation (1/x is a multiple of 2^-16).

import type { PlanBuilder } from "../../builder.js";
import { mulSecret } from "../arithmetic.js";
import { compareZero } from "../compare.js";
import { RECIPROCAL_INIT } from "./coefficients.js";
import { enc, flat, lincomb, mulFixed, polyPublic, powers, reshapeAs } from "./common.js";
import { type NormalizeOptions, normalize, scaleByPow2 } from "./normalize.js";

/** 1/x for positive x (flat [n]); `sign` (int +-1) multiplies the result for free. */
export function reciprocalPositive(b: PlanBuilder, x: string, opts: NormalizeOptions = {}, sign?: string): string {
  const f = b.ctx.precision;
  const n = normalize(b, x, opts);
  const t = lincomb(b, [n.m], [4], -enc(3, f), "fixed");
  const y0 = polyPublic(b, powers(b, t, 2), RECIPROCAL_INIT);
  const my = mulFixed(b, n.m, y0);
  const y1 = mulFixed(b, y0, lincomb(b, [my], [-1], enc(2, f), "fixed"));
  // 1/x = (1/m) 2^-e
  return scaleByPow2(b, n, y1, (q) => -n.exponent(q), sign);
}

/** 1/x for secret fixed-point x of any sign (any shape). */
export function reciprocalSecret(b: PlanBuilder, x: string): string {
  const shape = [...b.info(x).shape];
  const xf = flat(b, x);
  const r = compareZero(b, xf, { lt: true, zprod: true, bitElem: "int" });
  const abs = lincomb(b, [xf, r.zlt!], [1, -2], 0, "fixed");
  const sign = lincomb(b, [r.lt!], [-2], 1, "int");
  return reshapeAs(b, reciprocalPositive(b, abs, {}, sign), shape, "fixed");
}

/** a / d for secret d (a secret; broadcasting as mulSecret). */
export function divSecret(b: PlanBuilder, a: string, d: string, out: { elem: "fixed"; shape: number[] }): string {
  return mulSecret(b, a, reciprocalSecret(b, d), out);
}
