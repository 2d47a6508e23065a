// The local halves of products of two PRIVATE operands, x held in the clear by party P and y
// by party Q != P (see ../spec/arithmetic.ts, mulPrivate / matmulPrivate). The dealer's mask
// a of x is known to P alone and b of y to Q alone; c = a*b is shared. P sends E = x - a to Q,
// Q sends D = y - b to P, and x*y = x*D + E*b + c: P computes x*D + c_P, Q computes E*b + c_Q,
// every other party just c_i. One product per party instead of Beaver's two, and neither
// operand is ever secret-shared.

import { ringAddInPlace, ringMatmul, ringMul, ringSub } from "../../ring/index.js";
import { elemBits, encodeClear } from "./encode.js";
import { clearArg, type LocalFn, ringArg } from "./types.js";

/** At attr owner: encode(x) - a (x clear, a the owner's dealer mask); nothing elsewhere. */
export const mask_private: LocalFn = (ctx, args, attrs) => {
  if (attrs["owner"] !== ctx.party) return [undefined];
  const x = encodeClear(clearArg("mask_private", args, 0), elemBits(attrs["elem"], ctx.precision), `party ${ctx.party}'s private operand`);
  return [ringSub(x, ringArg("mask_private", args, 1))];
};

type Product = typeof ringMul;

function privateProduct(fn: string, product: Product): LocalFn {
  // args: [x (clear at x_owner), D (ring at x_owner), E (ring at b_owner), b (ring at b_owner), c (share)]
  return (ctx, args, attrs) => {
    const c = ringArg(fn, args, 4);
    if (attrs["x_owner"] === ctx.party) {
      const x = encodeClear(clearArg(fn, args, 0), elemBits(attrs["x_elem"], ctx.precision), `party ${ctx.party}'s private operand`);
      return [ringAddInPlace(product(x, ringArg(fn, args, 1)), c)];
    }
    if (attrs["b_owner"] === ctx.party) return [ringAddInPlace(product(ringArg(fn, args, 2), ringArg(fn, args, 3)), c)];
    return [c];
  };
}

/** x*D + c at x's owner, E*b + c at y's owner, c elsewhere (elementwise, broadcasting). */
export const beaver_mul_private: LocalFn = privateProduct("beaver_mul_private", ringMul);

/** x@D + c at x's owner, E@b + c at y's owner, c elsewhere. */
export const beaver_matmul_private: LocalFn = privateProduct("beaver_matmul_private", ringMatmul);
