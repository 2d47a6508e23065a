// sqrt and inv_sqrt. Range reduction with an even exponent (./normalize.ts): x = m 2^e,
// m in [1/4, 1); a cubic initial guess for 1/sqrt(m) (relative error 8.9e-3,
// scripts/fit-approximations.ts) and one Newton step y <- y (3 - m y^2) / 2 = 1.5 y -
// 0.5 (m y)(y^2) (relative error ~1.2e-4; m y and y^2 in one round, their product in the
// next). inv_sqrt(x) = y 2^(-e/2); sqrt(x) = (m y) 2^(e/2). Rounds (2 parties): inv_sqrt 10,
// sqrt 11. Valid for 0 < x < 2^15 (sqrt(0) is 0); relative error ~1.5e-4 plus the output's
// quantisation.

import type { PlanBuilder } from "../../builder.js";
import { INV_SQRT_INIT } from "./coefficients.js";
import { enc, flat, lincomb, mulFixed, polyPublic, powers, product, reshapeAs, rows, stackRows, trunc } from "./common.js";
import { type Normalized, normalize, scaleByPow2 } from "./normalize.js";

const T_BITS = 16;

/** 1/sqrt(m) for the normalised m (flat, fixed). */
function invSqrtMantissa(b: PlanBuilder, n: Normalized): string {
  const f = b.ctx.precision;
  // t = (8m - 5) / 3 in [-1, 1)
  const t = trunc(b, lincomb(b, [n.m], [enc(8 / 3, T_BITS)], -enc(5 / 3, f + T_BITS), "int"), T_BITS, "fixed");
  const y0 = polyPublic(b, powers(b, t, 3), INV_SQRT_INIT);
  const [y2, my] = rows(b, trunc(b, product(b, stackRows(b, [y0, n.m], "fixed"), stackRows(b, [y0, y0], "fixed"), "fixed"), f, "fixed"), "fixed");
  const c = mulFixed(b, my!, y2!);
  return trunc(b, lincomb(b, [y0, c], [3, -1], 0, "int"), 1, "fixed");
}

/** 1/sqrt(x) for positive secret fixed-point x (any shape). */
export function invSqrtSecret(b: PlanBuilder, x: string): string {
  const shape = [...b.info(x).shape];
  const n = normalize(b, flat(b, x), { even: true });
  const y = invSqrtMantissa(b, n);
  return reshapeAs(b, scaleByPow2(b, n, y, (q) => -n.exponent(q) / 2), shape, "fixed");
}

/** sqrt(x) for non-negative secret fixed-point x (any shape). */
export function sqrtSecret(b: PlanBuilder, x: string): string {
  const shape = [...b.info(x).shape];
  const n = normalize(b, flat(b, x), { even: true });
  const sm = mulFixed(b, n.m, invSqrtMantissa(b, n));
  return reshapeAs(b, scaleByPow2(b, n, sm, (q) => n.exponent(q) / 2), shape, "fixed");
}
