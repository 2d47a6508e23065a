// Building blocks shared by the non-linear protocols: integer linear combinations of shares,
// Beaver products without the automatic rescale (so a protocol chooses its own scales and
// truncates once per sum), powers of a secret value in as few rounds as possible, and
// polynomials with public or secret (table-selected) coefficients. All values here are flat
// ([n] or stacked [K, n]); callers reshape at the edges.
//
// Scales. A "fixed" value v is held as round(v 2^f). Raw integer values ("int") carry a scale
// the protocol states; products are truncated once, after the sum they feed. The 2-party
// truncation fails with probability about |v| / 2^64 for the value v being truncated, so every
// truncated value here stays below 2^40 for inputs in the documented ranges (<= 2^-24 per
// element); see docs/protocols.md.

import type { PlanBuilder, ValueSpec } from "../../builder.js";
import type { ElemType } from "../../../plan/plan.js";
import { broadcastOrThrow, sameShape } from "../../../plan/shape.js";
import { truncate } from "../arithmetic.js";
import { elementCount } from "../../../plan/shape.js";


/** round(v 2^bits) as a raw ring integer (must stay a safe integer). */
export function enc(v: number, bits: number): number {
  const r = Math.round(v * 2 ** bits);
  if (!Number.isSafeInteger(r)) throw new Error(`internal: constant ${v} does not encode with ${bits} bits`);
  return r;
}

export const spec = (elem: ElemType, shape: number[]): ValueSpec => ({ elem, shape });

/** x as a flat [n] value (free). */
export function flat(b: PlanBuilder, x: string): string {
  const xi = b.info(x);
  if (xi.shape.length === 1) return x;
  const n = elementCount(xi.shape);
  return b.local("reshape", [x], { shape: [n] }, [spec(xi.elem, [n])])[0]!;
}

/** x reshaped to `shape` with element type `elem` (free; relabels the scale). */
export function reshapeAs(b: PlanBuilder, x: string, shape: number[], elem: ElemType): string {
  return b.local("reshape", [x], { shape }, [spec(elem, shape)])[0]!;
}

/** sum_k weights[k] xs[k] + party0(constant), raw integers. */
export function lincomb(b: PlanBuilder, xs: string[], weights: number[], constant: number, elem: ElemType): string {
  const shape = b.info(xs[0]!).shape;
  return b.local("nl_lincomb", xs, { weights, constant }, [spec(elem, [...shape])])[0]!;
}

/** sum_k weights[k] x[k] + party0(constant) over the rows of x [K, ...]. */
export function rowsComb(b: PlanBuilder, x: string, weights: number[], constant: number, elem: ElemType): string {
  const shape = b.info(x).shape.slice(1);
  return b.local("nl_rows", [x], { weights, constant }, [spec(elem, shape)])[0]!;
}

/** [K, ...]: row k = weights[k] x + party0(constants[k]). */
export function affineRows(b: PlanBuilder, x: string, weights: number[], constants: number[], elem: ElemType): string {
  const shape = b.info(x).shape;
  return b.local("nl_affine_rows", [x], { weights, constants }, [spec(elem, [weights.length, ...shape])])[0]!;
}

/** Stack same-shape values as rows [K, ...] (free). */
export function stackRows(b: PlanBuilder, xs: string[], elem: ElemType): string {
  if (xs.length === 1) {
    const s = b.info(xs[0]!).shape;
    return reshapeAs(b, xs[0]!, [1, ...s], elem);
  }
  const s = b.info(xs[0]!).shape;
  return b.local("stack", xs, { axis: 0 }, [spec(elem, [xs.length, ...s])])[0]!;
}

/** Row k of x [K, n] as [n] (free). */
export function row(b: PlanBuilder, x: string, k: number, elem: ElemType): string {
  const s = b.info(x).shape;
  return b.local("slice", [x], { ranges: [[k, null], ...s.slice(1).map((d) => [0, d])] }, [spec(elem, s.slice(1))])[0]!;
}

/** The rows of x [K, n] as K values [n]. */
export function rows(b: PlanBuilder, x: string, elem: ElemType): string[] {
  return Array.from({ length: b.info(x).shape[0]! }, (_, k) => row(b, x, k, elem));
}

/** Divide by 2^bits (floor or one more; see arithmetic.ts truncate). */
export function trunc(b: PlanBuilder, x: string, bits: number, elem: ElemType): string {
  return truncate(b, x, bits, spec(elem, [...b.info(x).shape]));
}

/** x * y on the ring, no rescale: one round, one Beaver triple (NumPy broadcasting, as
 *  mulSecret). The product's scale is the sum of the operands' scales. */
export function product(b: PlanBuilder, x: string, y: string, elem: ElemType): string {
  const xi = b.info(x);
  const yi = b.info(y);
  const out = broadcastOrThrow(xi.shape, yi.shape);
  const same = sameShape(xi.shape, out) && sameShape(yi.shape, out);
  const attrs = same ? { shape: out } : { a: xi.shape, b: yi.shape, c: out };
  const [ta, tb, tc] = b.dealer("triple_mul", attrs, [spec(xi.elem, xi.shape), spec(yi.elem, yi.shape), spec(elem, out)]);
  const [e, d] = b.local("sub_pair", [x, ta!, y, tb!], {}, [spec(xi.elem, xi.shape), spec(yi.elem, yi.shape)]);
  const [eo, dO] = b.open([e!, d!]);
  return b.local("beaver_mul", [eo!, dO!, ta!, tb!, tc!], {}, [spec(elem, out)])[0]!;
}

/** Fixed-point x * y (both scale 2^f), truncated once. */
export function mulFixed(b: PlanBuilder, x: string, y: string): string {
  return trunc(b, product(b, x, y, "fixed"), b.ctx.precision, "fixed");
}

/**
 * Powers u^1 .. u^d of a fixed-point u (|u| <= 1 keeps every product small), in
 * ceil(log2 d) rounds: round r computes every power in (2^(r-1), 2^r] as u^floor(k/2) *
 * u^ceil(k/2), all of them in one stacked Beaver product.
 */
export function powers(b: PlanBuilder, u: string, d: number): string[] {
  const p: string[] = [u];
  const f = b.ctx.precision;
  for (let top = 2; top / 2 < d; top *= 2) {
    const ks: number[] = [];
    for (let k = top / 2 + 1; k <= Math.min(top, d); k++) ks.push(k);
    const left = stackRows(b, ks.map((k) => p[Math.floor(k / 2) - 1]!), "fixed");
    const right = stackRows(b, ks.map((k) => p[Math.ceil(k / 2) - 1]!), "fixed");
    const prod = trunc(b, product(b, left, right, "fixed"), f, "fixed");
    const got = ks.length === 1 ? [reshapeAs(b, prod, b.info(u).shape, "fixed")] : rows(b, prod, "fixed");
    ks.forEach((k, i) => (p[k - 1] = got[i]!));
  }
  return p.slice(0, d);
}

/** Extra fractional bits public polynomial coefficients are encoded with. */
export const COEF_BITS = 20;

/** c0 + c1 u + ... + cd u^d for public coefficients and the powers [u, ..., u^d]: local (one
 *  truncation of the sum, which the 2-party protocol does locally). */
export function polyPublic(b: PlanBuilder, pw: string[], coeffs: readonly number[]): string {
  const f = b.ctx.precision;
  const d = coeffs.length - 1;
  const z = lincomb(
    b,
    pw.slice(0, d),
    coeffs.slice(1).map((c) => enc(c, COEF_BITS)),
    enc(coeffs[0]!, COEF_BITS + f),
    "int",
  );
  return trunc(b, z, COEF_BITS, "fixed");
}

/**
 * sum_k a_k u^k for secret coefficients a_0..a_d (raw integers at scale 2^COEF_BITS, as a
 * table lookup gives them) and the powers [u, ..., u^d] (fixed): one round (a stacked Beaver
 * product of the d pairs), then one truncation of the sum.
 */
export function polySecret(b: PlanBuilder, coefs: string[], pw: string[]): string {
  const f = b.ctx.precision;
  const d = coefs.length - 1;
  const n = b.info(pw[0]!).shape;
  const a = stackRows(b, coefs.slice(1), "int");
  const u = stackRows(b, pw.slice(0, d), "fixed");
  const prod = product(b, a, u, "int");
  const sum = b.local("sum", [prod], { axis: 0 }, [spec("int", [...n])])[0]!;
  const z = lincomb(b, [sum, coefs[0]!], [1, 2 ** f], 0, "int");
  return trunc(b, z, COEF_BITS, "fixed");
}
