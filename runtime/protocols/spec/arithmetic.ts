// Arithmetic protocols on additive shares over Z_2^64: Beaver multiplication, square, matmul,
// fixed-point truncation and reveal. Each is written once, as the steps it takes through the
// PlanBuilder; the runtime executes exactly these steps and the cost model counts them.
// Local functions named here ("beaver_mul", "trunc_local", …) are listed in ./local-fns.ts.

import type { PlanBuilder, ValueSpec } from "../builder.js";

/** x * y for two secret operands of the same shape (broadcast them first).
 *  Dealer: triple (a, b, c = a*b). Open e = x - a and d = y - b together (1 round).
 *  z = c + e*b + d*a + e*d (the last term at party 0 only). Fixed*fixed is then truncated. */
export function mulSecret(b: PlanBuilder, x: string, y: string, out: ValueSpec): string {
  const s = { elem: out.elem, shape: out.shape };
  const [ta, tb, tc] = b.dealer("triple_mul", { shape: out.shape }, [s, s, s]);
  const [e, d] = b.local("sub_pair", [x, ta!, y, tb!], {}, [s, s]);
  const [eo, dO] = b.open([e!, d!]);
  const [z] = b.local("beaver_mul", [eo!, dO!, ta!, tb!, tc!], {}, [s]);
  return rescale(b, z!, out, b.info(x).elem, b.info(y).elem);
}

/** x * x: dealer pair (a, a^2); open e = x - a; x^2 = a^2 + 2ea + e^2. */
export function squareSecret(b: PlanBuilder, x: string, out: ValueSpec): string {
  const s = { elem: out.elem, shape: out.shape };
  const [ta, ta2] = b.dealer("square_pair", { shape: out.shape }, [s, s]);
  const [e] = b.local("sub", [x, ta!], {}, [s]);
  const [eo] = b.open([e!]);
  const [z] = b.local("beaver_square", [eo!, ta!, ta2!], {}, [s]);
  return rescale(b, z!, out, b.info(x).elem, b.info(x).elem);
}

/** x @ y, x: [n, k], y: [k, m], both secret. Dealer: (A, B, C = A @ B). Open E = x - A and
 *  D = y - B (1 round). z = C + E @ B + A @ D + E @ D (the last at party 0 only); each party
 *  computes two local products: E @ (B + D) at party 0 becomes E @ y-share form, see beaver_matmul. */
export function matmulSecret(b: PlanBuilder, x: string, y: string, out: ValueSpec): string {
  const xi = b.info(x);
  const yi = b.info(y);
  const [ta, tb, tc] = b.dealer("triple_matmul", { a: xi.shape, b: yi.shape, c: out.shape }, [
    { elem: xi.elem, shape: xi.shape },
    { elem: yi.elem, shape: yi.shape },
    { elem: out.elem, shape: out.shape },
  ]);
  const [e, d] = b.local("sub_pair", [x, ta!, y, tb!], {}, [
    { elem: xi.elem, shape: xi.shape },
    { elem: yi.elem, shape: yi.shape },
  ]);
  const [eo, dO] = b.open([e!, d!]);
  const [z] = b.local("beaver_matmul", [eo!, dO!, ta!, tb!, tc!], {}, [out]);
  return rescale(b, z!, out, xi.elem, yi.elem);
}

/** After a product of two fixed-point values the scale is 2^(2f): divide by 2^f. */
export function rescale(b: PlanBuilder, z: string, out: ValueSpec, ea: string, eb: string): string {
  if (ea === "fixed" && eb === "fixed") return truncate(b, z, b.ctx.precision, out);
  return z;
}

/** Divide shares by 2^bits (arithmetic shift), probabilistically exact up to one unit.
 *  2 parties: each shifts its own share (SecureML), no communication.
 *  More parties: dealer pair (r, r >> bits); open x + r (1 round); (x + r) >> bits - r >> bits. */
export function truncate(b: PlanBuilder, x: string, bits: number, out: ValueSpec): string {
  if (b.ctx.parties.length === 2) {
    return b.local("trunc_local", [x], { bits }, [out])[0]!;
  }
  const [r, rShift] = b.dealer("trunc_pair", { shape: out.shape, bits }, [out, out]);
  const [masked] = b.local("add", [x, r!], {}, [out]);
  const [m] = b.open([masked!]);
  return b.local("trunc_unmask", [m!, rShift!], { bits }, [out])[0]!;
}

/** Open shares to `to` and decode them to float64 there. */
export function revealTo(b: PlanBuilder, x: string, to: string[]): string {
  const v = b.info(x);
  const [opened] = b.open([x], to);
  return b.clear("decode", [opened!], { elem: v.elem }, to, { elem: v.elem, shape: v.shape });
}
