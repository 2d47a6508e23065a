// Arithmetic protocols on additive shares over Z_2^64: Beaver multiplication, square, matmul,
// fixed-point truncation and reveal. Each is written once, as the steps it takes through the
// PlanBuilder; the runtime executes exactly these steps and the cost model counts them.
// Local functions named here ("beaver_mul", "trunc_local", …) are listed in ./local-fns.ts
// and implemented in ../local; dealer items in ./dealer-items.ts.
//
// Cost of each protocol (n compute parties, s elements of the opened values):
//   mulSecret, squareSecret, matmulSecret: 1 round, every party sends its shares of the
//     masked operands to every other party; 1 dealer item (one correction share on the wire).
//   mulPrivate, matmulPrivate (operands private to two different parties): 1 round, each owner
//     sends its masked operand to the other owner only; 1 dealer item.
//   mulPrivateSecret (one operand private to P, the other secret): 1 round, P sends its masked
//     operand to every other party, the secret operand's masked value is opened to P only;
//     1 dealer item.
//   maskSecret: 1 round (E = x - A, |x| elements), no dealer traffic; then each matmulMasked
//     of x opens only its other operand (1 round) and costs 1 dealer item (C).
//   truncate: 2 parties: free (local). n > 2: 1 round, 1 dealer item.
//   revealTo: 1 round (shares go to the receivers only).

import { sameShape } from "../../plan/shape.js";
import type { PlanBuilder, ValueSpec } from "../builder.js";

/** x * y for two secret operands (NumPy broadcasting: out.shape is the broadcast shape).
 *  Dealer: triple (a, b, c = a*b) with a shaped like x, b like y, c like out. Open e = x - a
 *  and d = y - b together (1 round). z = c + e*b + d*a + e*d (the last term at party 0 only),
 *  with broadcasting, so an operand is opened at its own size. Fixed*fixed is then truncated. */
export function mulSecret(b: PlanBuilder, x: string, y: string, out: ValueSpec): string {
  const xi = b.info(x);
  const yi = b.info(y);
  const s = { elem: out.elem, shape: out.shape };
  const same = sameShape(xi.shape, out.shape) && sameShape(yi.shape, out.shape);
  const attrs = same ? { shape: out.shape } : { a: xi.shape, b: yi.shape, c: out.shape };
  const [ta, tb, tc] = b.dealer("triple_mul", attrs, [
    { elem: xi.elem, shape: xi.shape },
    { elem: yi.elem, shape: yi.shape },
    s,
  ]);
  const [e, d] = b.local("sub_pair", [x, ta!, y, tb!], {}, [
    { elem: xi.elem, shape: xi.shape },
    { elem: yi.elem, shape: yi.shape },
  ]);
  const [eo, dO] = b.open([e!, d!]);
  const [z] = b.local("beaver_mul", [eo!, dO!, ta!, tb!, tc!], {}, [s]);
  return rescale(b, z!, out, xi.elem, yi.elem);
}

/** x * x: dealer pair (a, a^2); open e = x - a; x^2 = a^2 + 2ea + e^2 (e^2 at party 0). */
export function squareSecret(b: PlanBuilder, x: string, out: ValueSpec): string {
  const s = { elem: out.elem, shape: out.shape };
  const [ta, ta2] = b.dealer("square_pair", { shape: out.shape }, [s, s]);
  const [e] = b.local("sub", [x, ta!], {}, [s]);
  const [eo] = b.open([e!]);
  const [z] = b.local("beaver_square", [eo!, ta!, ta2!], {}, [s]);
  return rescale(b, z!, out, b.info(x).elem, b.info(x).elem);
}

/** x @ y, x: [n, k] (or batched [..., n, k]), y: [k, m], both secret. Dealer: (A, B, C = A @ B).
 *  Open E = x - A and D = y - B (1 round). z = C + E @ B + A @ D + E @ D (the last at party 0
 *  only), as two local products per party: party 0 C0 + E @ (B0 + D) + A0 @ D, others
 *  C_i + E @ B_i + A_i @ D (see beaver_matmul). */
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

/** A secret matrix operand opened once under its own mask, for several products: A (this
 *  party's shares) and E = x - A (opened), both in the orientation the products use. */
export interface MaskedOperand {
  /** The `mask` dealer node and the loop depth it runs at. */
  mask: string;
  depth: number;
  /** The mask's (x's) shape, before any transpose. */
  shape: number[];
  transposed: boolean;
  a: string;
  e: string;
}

/**
 * Mask the secret operand x once for every product it takes part in: dealer item `mask` (A,
 * random, nothing on the wire), open E = x - A (1 round, |x| elements per party). Reusing E
 * for the same x reveals nothing new; A must never mask another value, so a MaskedOperand
 * stands for x alone. Emit it where x is defined, so a loop-invariant x is opened once for
 * every iteration.
 */
export function maskSecret(b: PlanBuilder, x: string): MaskedOperand {
  const xi = b.info(x);
  const s = { elem: xi.elem, shape: xi.shape };
  const [a] = b.dealer("mask", { shape: xi.shape }, [s]);
  const mask = b.lastNodeId();
  const [e] = b.local("sub", [x, a!], {}, [s]);
  const [eo] = b.open([e!]);
  return { mask, depth: b.depth, shape: [...xi.shape], transposed: false, a: a!, e: eo! };
}

/** transpose(x) of a masked 2-D x: A^T and E^T, locally (E^T = x^T - A^T: the same opening). */
export function transposeMasked(b: PlanBuilder, m: MaskedOperand): MaskedOperand {
  const ai = b.info(m.a);
  const s = { elem: ai.elem, shape: [ai.shape[1]!, ai.shape[0]!] };
  const [at] = b.local("transpose", [m.a], {}, [s]);
  const [et] = b.local("transpose", [m.e], {}, [{ ...s, kind: "ring" }]);
  return { ...m, transposed: !m.transposed, a: at!, e: et! };
}

/**
 * x @ y (side left) or y @ x (side right) with x already masked (maskSecret): the dealer gives
 * (B, C = A' @ B) (or B @ A') with A' the SAME mask A (transposed if x is used transposed), so
 * only D = y - B is opened (1 round, |y| elements); then the Beaver combination as in
 * matmulSecret with E' and A'. 1 dealer item (C on the wire).
 */
export function matmulMasked(b: PlanBuilder, m: MaskedOperand, side: "left" | "right", y: string, out: ValueSpec): string {
  const xi = b.info(m.a);
  const yi = b.info(y);
  const attrs = {
    x: xi.shape,
    y: yi.shape,
    c: out.shape,
    side,
    transpose: m.transposed,
    mask: m.mask,
    mask_depth: m.depth,
    mask_shape: m.shape,
  };
  const [tb, tc] = b.dealer("triple_matmul_masked", attrs, [
    { elem: yi.elem, shape: yi.shape },
    { elem: out.elem, shape: out.shape },
  ]);
  const [d] = b.local("sub", [y, tb!], {}, [{ elem: yi.elem, shape: yi.shape }]);
  const [dO] = b.open([d!]);
  const [z] =
    side === "left"
      ? b.local("beaver_matmul", [m.e, dO!, m.a, tb!, tc!], {}, [out])
      : b.local("beaver_matmul", [dO!, m.e, tb!, m.a, tc!], {}, [out]);
  return side === "left" ? rescale(b, z!, out, xi.elem, yi.elem) : rescale(b, z!, out, yi.elem, xi.elem);
}

/** The one compute party holding a private clear value. */
/** The one compute party holding clear value `v` (a value private to it), else undefined
 *  (shares, or a clear value several parties hold). */
export function soleHolder(b: PlanBuilder, v: string): string | undefined {
  const i = b.info(v);
  const holders = i.holders.filter((p) => b.ctx.parties.includes(p));
  return i.kind === "clear" && holders.length === 1 ? holders[0] : undefined;
}

function privateOwner(b: PlanBuilder, x: string, what: string): string {
  const p = soleHolder(b, x);
  if (p === undefined) throw new Error(`internal: ${what} needs a clear value private to one party`);
  return p;
}

/** The steps shared by mulPrivate and matmulPrivate. */
function privateProduct(
  b: PlanBuilder,
  x: string,
  y: string,
  out: ValueSpec,
  item: "triple_mul" | "triple_matmul",
  fn: "beaver_mul_private" | "beaver_matmul_private",
): string {
  const xi = b.info(x);
  const yi = b.info(y);
  const p = privateOwner(b, x, fn);
  const q = privateOwner(b, y, fn);
  if (p === q) throw new Error(`internal: ${fn} needs operands private to two different parties`);
  const [pi, qi] = [b.ctx.parties.indexOf(p), b.ctx.parties.indexOf(q)];
  const attrs =
    item === "triple_mul" && sameShape(xi.shape, out.shape) && sameShape(yi.shape, out.shape)
      ? { shape: out.shape, a_owner: pi, b_owner: qi }
      : { a: xi.shape, b: yi.shape, c: out.shape, a_owner: pi, b_owner: qi };
  const [ta, tb, tc] = b.dealer(item, attrs, [
    { elem: xi.elem, shape: xi.shape, kind: "ring", holders: [p] },
    { elem: yi.elem, shape: yi.shape, kind: "ring", holders: [q] },
    { elem: out.elem, shape: out.shape },
  ]);
  const atP = { elem: xi.elem, shape: xi.shape, kind: "ring" as const, holders: [p] };
  const atQ = { elem: yi.elem, shape: yi.shape, kind: "ring" as const, holders: [q] };
  const [e, xEnc] = b.local("mask_private", [x, ta!], { elem: xi.elem, owner: p }, [atP, atP]);
  const [d] = b.local("mask_private", [y, tb!], { elem: yi.elem, owner: q }, [atQ, atQ]);
  const eAtQ = b.send(p, e!, [q]);
  const dAtP = b.send(q, d!, [p]);
  const [z] = b.local(fn, [xEnc!, dAtP, eAtQ, tb!, tc!], { x_owner: p, b_owner: q }, [{ elem: out.elem, shape: out.shape }]);
  return rescale(b, z!, out, xi.elem, yi.elem);
}

/**
 * x * y for x private (clear) to party P and y private to party Q != P, as secret shares,
 * without sharing either operand. Dealer: a known only to P, b only to Q, c = a*b shared.
 * P sends E = x - a to Q and Q sends D = y - b to P, in one round (|x| and |y| elements, one
 * way each). x*y = x*D + E*b + c: P computes x*D + c_P, Q computes E*b + c_Q, others c_i. Then
 * fixed*fixed is truncated. Each party sees only a value masked by a uniform mask it does not
 * know. NumPy broadcasting: out.shape is the broadcast shape.
 */
export function mulPrivate(b: PlanBuilder, x: string, y: string, out: ValueSpec): string {
  return privateProduct(b, x, y, out, "triple_mul", "beaver_mul_private");
}

/**
 * x * y for one operand a clear value private to party P and the other secret (shares), without
 * sharing the private one; operands in either order (elementwise, so commutative), NumPy
 * broadcasting. Dealer: triple_mul with a_owner P: a (shaped like the private operand) known to
 * P alone, b (like the secret one) and c = a*b shared. In one round P sends E = x - a to every
 * other party and the parties open D = y - b to P only; x*y = c + E*b + x*D, so every party
 * computes c_i + E*b_i and P adds x*D (beaver_mul_private without b_owner). (n-1)(|x| + |y|)
 * elements on the wire where Beaver on shares opens n(n-1)(|x| + |y|). Each party sees only
 * values masked by a uniform mask it does not know (E: a; D: b). Fixed*fixed is truncated.
 */
export function mulPrivateSecret(b: PlanBuilder, x: string, y: string, out: ValueSpec): string {
  const [priv, sec] = b.info(x).kind === "clear" ? [x, y] : [y, x];
  const xi = b.info(priv);
  const yi = b.info(sec);
  if (yi.kind !== "arith") throw new Error("internal: mulPrivateSecret needs one private and one secret operand");
  const p = privateOwner(b, priv, "mulPrivateSecret");
  const others = b.ctx.parties.filter((r) => r !== p);
  const owner = b.ctx.parties.indexOf(p);
  const attrs =
    sameShape(xi.shape, out.shape) && sameShape(yi.shape, out.shape)
      ? { shape: out.shape, a_owner: owner }
      : { a: xi.shape, b: yi.shape, c: out.shape, a_owner: owner };
  const [ta, tb, tc] = b.dealer("triple_mul", attrs, [
    { elem: xi.elem, shape: xi.shape, kind: "ring", holders: [p] },
    { elem: yi.elem, shape: yi.shape },
    { elem: out.elem, shape: out.shape },
  ]);
  const atP = { elem: xi.elem, shape: xi.shape, kind: "ring" as const, holders: [p] };
  const [e, xEnc] = b.local("mask_private", [priv, ta!], { elem: xi.elem, owner: p }, [atP, atP]);
  const [d] = b.local("sub", [sec, tb!], {}, [{ elem: yi.elem, shape: yi.shape }]);
  // the send and the opening are independent: one round
  const eAll = b.send(p, e!, others);
  const [dAtP] = b.open([d!], [p]);
  const [z] = b.local("beaver_mul_private", [xEnc!, dAtP!, eAll, tb!, tc!], { x_owner: p }, [{ elem: out.elem, shape: out.shape }]);
  return rescale(b, z!, out, xi.elem, yi.elem);
}

/** x @ y for x private to P and y private to Q != P: as mulPrivate with a matrix triple;
 *  one product per party (P: x @ D, Q: E @ b) and one by the dealer (a @ b). */
export function matmulPrivate(b: PlanBuilder, x: string, y: string, out: ValueSpec): string {
  return privateProduct(b, x, y, out, "triple_matmul", "beaver_matmul_private");
}

/** After a product of two fixed-point values the scale is 2^(2f): divide by 2^f. */
export function rescale(b: PlanBuilder, z: string, out: ValueSpec, ea: string, eb: string): string {
  if (ea === "fixed" && eb === "fixed") return truncate(b, z, b.ctx.precision, out);
  return z;
}

/**
 * Divide shares by 2^bits (signed), exact up to one unit in the last place: the result is
 * floor(x / 2^bits) or that plus one.
 *
 * 2 parties: each shifts its own share (SecureML), no communication: party 0 x0 >> bits,
 * party 1 -((-x1) >> bits) (arithmetic shifts). It fails (an error of about 2^(64-bits))
 * exactly when the two signed shares overflow when added, which for a uniform share happens
 * with probability (|x| + 1) / 2^64 for x >= 0 and (|x| - 1) / 2^64 for x < 0: at most
 * 2^(k-64) when |x| < 2^k. A fixed*fixed product of values whose product has magnitude v has
 * |x| = v * 2^(2f): with f = 16 and v < 2^10 the failure probability is below 2^-22 per
 * element (measured over 10^6 trials in test/runtime/protocols/truncation.test.ts).
 *
 * More parties: the dealer gives shares of r (uniform in Z_2^64), of its top bit r_msb, and
 * of (r mod 2^63) >> bits. The parties open c = x + 2^62 + r (uniform, so it reveals nothing)
 * and, with c_msb and c_low = c mod 2^63 public, compute w = c_msb XOR r_msb (the carry of
 * (x + 2^62) + (r mod 2^63) into bit 63) linearly: w = c_msb + r_msb - 2 c_msb r_msb. Then
 * x + 2^62 = c_low + 2^63 w - (r mod 2^63) holds over the integers, so
 * (c_low >> bits) + 2^(63-bits) w - r_low_shift - 2^(62-bits) is floor(x / 2^bits) or one more
 * (Escudero et al., CRYPTO 2020, probabilistic truncation with the MSB trick). It never fails
 * while |x| < 2^62 (failure probability 0), and gives no guarantee beyond.
 */
export function truncate(b: PlanBuilder, x: string, bits: number, out: ValueSpec): string {
  if (bits === 0) return x;
  if (b.ctx.parties.length === 2) {
    return b.local("trunc_local", [x], { bits }, [out])[0]!;
  }
  const [r, rMsb, rLowShift] = b.dealer("trunc_pair", { shape: out.shape, bits }, [out, out, out]);
  const [masked] = b.local("trunc_mask", [x, r!], {}, [out]);
  const [m] = b.open([masked!]);
  return b.local("trunc_unmask", [m!, rMsb!, rLowShift!], { bits }, [out])[0]!;
}

/** Open shares to `to` and decode them to float64 there. */
export function revealTo(b: PlanBuilder, x: string, to: string[]): string {
  const v = b.info(x);
  const [opened] = b.open([x], to);
  return b.clear("decode", [opened!], { elem: v.elem }, to, { elem: v.elem, shape: v.shape });
}
