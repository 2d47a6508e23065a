// The local halves of products of two PRIVATE operands, x held in the clear by party P and y
// by party Q != P (see ../spec/arithmetic.ts, mulPrivate / matmulPrivate). The dealer's mask
// a of x is known to P alone and b of y to Q alone; c = a*b is shared. P sends E = x - a to Q,
// Q sends D = y - b to P, and x*y = x*D + E*b + c: P computes x*D + c_P, Q computes E*b + c_Q,
// every other party just c_i. One product per party instead of Beaver's two, and neither
// operand is ever secret-shared. x is encoded once, by mask_private, at its owner.
// With y secret instead (no b_owner: mulPrivateSecret), b and c are shares, E goes to every
// party and D is opened to P only: c_i + E*b_i everywhere, and P adds x*D.

import { type RingTensor, ringAddInPlace, ringMatmul, ringMul, ringSub, sameShape } from "../../ring/index.js";
import { elemBits, encodeClear } from "./encode.js";
import { clearArg, type LocalFn, ringArg } from "./types.js";

/** At attr owner: [encode(x) - a, encode(x)] (x clear, a the owner's dealer mask); nothing
 *  elsewhere. The encoding is kept for the product, so x is encoded once. */
export const mask_private: LocalFn = (ctx, args, attrs) => {
  if (attrs["owner"] !== ctx.party) return [undefined, undefined];
  const x = encodeClear(clearArg("mask_private", args, 0), elemBits(attrs["elem"], ctx.precision), `party ${ctx.party}'s private operand`);
  return [ringSub(x, ringArg("mask_private", args, 1)), x];
};

type Product = typeof ringMul;

function privateProduct(fn: string, product: Product, elementwise: boolean): LocalFn {
  // args: [x (encoded, at x_owner), D (at x_owner), E (at b_owner), b (at b_owner), c (share)]
  return (ctx, args, attrs) => {
    const c = ringArg(fn, args, 4);
    if (attrs["b_owner"] === undefined) return [secretSide(fn, product, ctx.party, args, attrs, c)];
    let u: RingTensor;
    let v: RingTensor;
    if (attrs["x_owner"] === ctx.party) [u, v] = [ringArg(fn, args, 0), ringArg(fn, args, 1)];
    else if (attrs["b_owner"] === ctx.party) [u, v] = [ringArg(fn, args, 2), ringArg(fn, args, 3)];
    else return [c];
    if (elementwise && sameShape(u.shape, c.shape) && sameShape(v.shape, c.shape)) {
      // one fused pass: u*v + c
      const [ud, vd, cd] = [u.data, v.data, c.data];
      const z = new BigUint64Array(cd.length);
      for (let i = 0; i < z.length; i++) z[i] = BigInt.asUintN(64, ud[i]! * vd[i]! + cd[i]!);
      return [{ data: z, shape: [...c.shape] }];
    }
    return [ringAddInPlace(product(u, v), c)];
  };
}

/**
 * The other operand y SECRET (no attr b_owner; mulPrivateSecret): b and c are shares, E = x - a
 * went to every party and D = y - b was opened to x's owner only. x*y = c + E*b + x*D, so every
 * party computes c_i + E*b_i and x's owner adds x*D. Args as above, E and b at every party.
 */
function secretSide(
  fn: string,
  product: Product,
  me: string,
  args: Parameters<LocalFn>[1],
  attrs: Record<string, unknown>,
  c: RingTensor,
): RingTensor {
  const z = ringAddInPlace(product(ringArg(fn, args, 2), ringArg(fn, args, 3)), c);
  if (attrs["x_owner"] === me) ringAddInPlace(z, product(ringArg(fn, args, 0), ringArg(fn, args, 1)));
  return z;
}

/** x*D + c at x's owner, E*b + c at y's owner, c elsewhere (elementwise, broadcasting); with
 *  y secret (no b_owner): c_i + E*b_i everywhere and x*D added at x's owner. */
export const beaver_mul_private: LocalFn = privateProduct("beaver_mul_private", ringMul, true);

/** x@D + c at x's owner, E@b + c at y's owner, c elsewhere. */
export const beaver_matmul_private: LocalFn = privateProduct("beaver_matmul_private", ringMatmul, false);
