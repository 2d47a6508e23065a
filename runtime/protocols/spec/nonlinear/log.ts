// Natural logarithm. Range reduction (./normalize.ts): x = m 2^e, m in [1/2, 1); then
// ln x = e ln 2 + ln m, where e ln 2 is a secret table of the leading bit (local, exact to
// half a unit) and ln m a degree-5 polynomial in t = 4m - 3 (max abs error 1.1e-5,
// scripts/fit-approximations.ts; t^2, then t^3 and t^4, then t^5). Rounds (2 parties): 8.
// Valid for 2^-16 <= x < 2^15; max abs error ~3e-5. x <= 0 gives a meaningless value.

import type { PlanBuilder } from "../../builder.js";
import { LOG_MANTISSA } from "./coefficients.js";
import { enc, flat, lincomb, polyPublic, powers, reshapeAs } from "./common.js";
import { type NormalizeOptions, normalize } from "./normalize.js";

/** ln x for positive x (flat [n]). */
export function logPositive(b: PlanBuilder, x: string, opts: NormalizeOptions = {}): string {
  const f = b.ctx.precision;
  const n = normalize(b, x, opts);
  const t = lincomb(b, [n.m], [4], -enc(3, f), "fixed");
  const p = polyPublic(b, powers(b, t, 5), LOG_MANTISSA);
  const k = n.table((q) => enc(n.exponent(q) * Math.LN2, f), "fixed");
  return lincomb(b, [p, k], [1, 1], 0, "fixed");
}

/** ln x for positive secret fixed-point x (any shape). */
export function logSecret(b: PlanBuilder, x: string): string {
  const shape = [...b.info(x).shape];
  return reshapeAs(b, logPositive(b, flat(b, x)), shape, "fixed");
}
