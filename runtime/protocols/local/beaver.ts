// The local halves of Beaver multiplication: masking the operands with the dealer's triple
// (sub_pair) and, from the opened masked values, each party's share of the product
// (beaver_mul, beaver_square, beaver_matmul). Party 0 adds the one term that is a product of
// two public values. Exact on the ring; same-shape elementwise cases run as one fused loop.

import {
  type RingTensor,
  ringAdd,
  ringAddInPlace,
  ringMatmul,
  ringMul,
  ringSub,
  sameShape,
} from "../../ring/index.js";
import { type LocalFn, ringArg } from "./types.js";

/** (x - a, y - b). */
export const sub_pair: LocalFn = (_ctx, args) => {
  const x = ringArg("sub_pair", args, 0);
  const a = ringArg("sub_pair", args, 1);
  const y = ringArg("sub_pair", args, 2);
  const b = ringArg("sub_pair", args, 3);
  return [ringSub(x, a), ringSub(y, b)];
};

/** c + e*b + d*a + party0(e*d); e, d opened; (a, b, c) this party's triple shares. */
export const beaver_mul: LocalFn = (ctx, args) => {
  const e = ringArg("beaver_mul", args, 0);
  const d = ringArg("beaver_mul", args, 1);
  const a = ringArg("beaver_mul", args, 2);
  const b = ringArg("beaver_mul", args, 3);
  const c = ringArg("beaver_mul", args, 4);
  if (sameShape(e.shape, c.shape) && sameShape(d.shape, c.shape)) return [beaverMulSame(ctx.index === 0, e.data, d.data, a.data, b.data, c.data, c.shape)];
  // broadcasting: party 0 computes c + e*(b + d) + d*a, the others c + e*b + d*a
  const z = ringAdd(c, ringMul(e, ctx.index === 0 ? ringAdd(b, d) : b));
  return [ringAdd(z, ringMul(d, a))];
};

function beaverMulSame(
  first: boolean,
  e: BigUint64Array,
  d: BigUint64Array,
  a: BigUint64Array,
  b: BigUint64Array,
  c: BigUint64Array,
  shape: number[],
): RingTensor {
  const n = c.length;
  const z = new BigUint64Array(n);
  if (first) for (let i = 0; i < n; i++) z[i] = BigInt.asUintN(64, c[i]! + e[i]! * (b[i]! + d[i]!) + d[i]! * a[i]!);
  else for (let i = 0; i < n; i++) z[i] = BigInt.asUintN(64, c[i]! + e[i]! * b[i]! + d[i]! * a[i]!);
  return { data: z, shape: [...shape] };
}

/** a2 + 2*e*a + party0(e*e): party 0 computes a2 + e*(2a + e). */
export const beaver_square: LocalFn = (ctx, args) => {
  const e = ringArg("beaver_square", args, 0).data;
  const a = ringArg("beaver_square", args, 1).data;
  const a2t = ringArg("beaver_square", args, 2);
  const a2 = a2t.data;
  const n = a2.length;
  const z = new BigUint64Array(n);
  if (ctx.index === 0) for (let i = 0; i < n; i++) z[i] = BigInt.asUintN(64, a2[i]! + e[i]! * ((a[i]! << 1n) + e[i]!));
  else for (let i = 0; i < n; i++) z[i] = BigInt.asUintN(64, a2[i]! + ((e[i]! * a[i]!) << 1n));
  return [{ data: z, shape: [...a2t.shape] }];
};

/** C + E@B + A@D + party0(E@D), two products per party: party 0 C0 + E@(B0 + D) + A0@D,
 *  the others C_i + E@B_i + A_i@D. */
export const beaver_matmul: LocalFn = (ctx, args) => {
  const e = ringArg("beaver_matmul", args, 0);
  const d = ringArg("beaver_matmul", args, 1);
  const a = ringArg("beaver_matmul", args, 2);
  const b = ringArg("beaver_matmul", args, 3);
  const c = ringArg("beaver_matmul", args, 4);
  const z = ringMatmul(e, ctx.index === 0 ? ringAdd(b, d) : b);
  ringAddInPlace(z, ringMatmul(a, d));
  ringAddInPlace(z, c);
  return [z];
};
