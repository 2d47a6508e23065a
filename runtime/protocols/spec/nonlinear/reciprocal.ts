// reciprocal 1/x and division a / b by a secret b. Range reduction (./normalize.ts) gives
// x = m 2^e with m in [1/2, 1); a quadratic initial guess for 1/m (relative error 1.0e-2,
// scripts/fit-approximations.ts) and one Newton step y <- y (2 - m y) (relative error ~1e-4)
// give 1/m, then 1/x = (1/m) 2^-e by a product with the secret power of two. For signed x the
// first batch of the range reduction also compares with 0 and with 1 - 2^p, which gives |x|'s
// group and the sign at no extra round; the sign is folded into the power of two.
// Rounds (2 parties): full range 14 (two batches 10, t^2 1, Newton 2, scale 1); a / d 14 (a is
// scaled by the power of two while the Newton step runs, then multiplied by 1/m); softmax's
// sums [1, C] 9 (one batch).
// Valid for 2^-16 <= |x| < 2^15 (every non-zero fixed-point value); relative error ~1e-4
// plus the output's own quantisation (1/x is a multiple of 2^-16).

import type { PlanBuilder } from "../../builder.js";
import { RECIPROCAL_INIT } from "./coefficients.js";
import { enc, flat, lincomb, mulFixed, polyPublic, powers, reshapeAs } from "./common.js";
import { mulPow2, type NormalizeOptions, normalize, pow2Factor, scaleByPow2 } from "./normalize.js";

/** 1/m for the normalised m (flat, fixed): quadratic guess, one Newton step. */
function mantissaReciprocal(b: PlanBuilder, m: string): string {
  const f = b.ctx.precision;
  const t = lincomb(b, [m], [4], -enc(3, f), "fixed");
  const y0 = polyPublic(b, powers(b, t, 2), RECIPROCAL_INIT);
  const my = mulFixed(b, m, y0);
  return mulFixed(b, y0, lincomb(b, [my], [-1], enc(2, f), "fixed"));
}

/** 1/x for positive x (flat [n]); `sign` (int +-1) multiplies the result for free. */
export function reciprocalPositive(b: PlanBuilder, x: string, opts: NormalizeOptions = {}, sign?: string): string {
  const n = normalize(b, x, opts);
  // 1/x = (1/m) 2^-e
  return scaleByPow2(b, n, mantissaReciprocal(b, n.m), (q) => -n.exponent(q), sign);
}

/** 1/x for secret fixed-point x of any sign (any shape): the sign comes from the range
 *  reduction's first batch of comparisons. */
export function reciprocalSecret(b: PlanBuilder, x: string): string {
  const shape = [...b.info(x).shape];
  const n = normalize(b, flat(b, x), { signed: true });
  return reshapeAs(b, scaleByPow2(b, n, mantissaReciprocal(b, n.m), (q) => -n.exponent(q), n.sign), shape, "fixed");
}

/**
 * a / d for secret a and d (NumPy broadcasting). Not a * (1/d): 1/d is quantised to 2^-16,
 * which for a large d loses most of its relative precision. Instead a is scaled by the
 * secret power of two 2^-e first (exact for e <= 0, rounded only as finely as the result for
 * e > 0) while the mantissa's reciprocal is computed, then multiplied by it: relative error
 * ~1e-4 of the quotient. 13 rounds (2 parties).
 */
export function divSecret(b: PlanBuilder, a: string, d: string, out: { elem: "fixed"; shape: number[] }): string {
  const dShape = [...b.info(d).shape];
  const N = out.shape.reduce((p, k) => p * k, 1);
  const n = normalize(b, flat(b, d), { signed: true });
  const y = mantissaReciprocal(b, n.m);
  const { G, H } = pow2Factor(b, n, (q) => -n.exponent(q), n.sign);
  // bring the divisor's factors to the quotient's shape (free when no broadcasting)
  const wide = (v: string, lead: number[], elem: "int" | "fixed"): string => {
    const full = [...lead, ...out.shape];
    const x = reshapeAs(b, v, [...lead, ...dShape], elem);
    const bx = same(dShape, out.shape) ? x : b.local("broadcast_to", [x], { shape: full }, [{ elem, shape: full }])[0]!;
    return reshapeAs(b, bx, [...lead, N], elem);
  };
  const Gw = wide(G, [2], "int");
  const yw = wide(y, [], "fixed");
  const aw = flat(b, same(b.info(a).shape, out.shape) ? a : b.local("broadcast_to", [a], { shape: out.shape }, [{ elem: "fixed", shape: out.shape }])[0]!);
  const scaled = mulPow2(b, Gw, H, aw);
  return reshapeAs(b, mulFixed(b, scaled, yw), out.shape, "fixed");
}

function same(a: readonly number[], c: readonly number[]): boolean {
  return a.length === c.length && a.every((v, i) => v === c[i]);
}
