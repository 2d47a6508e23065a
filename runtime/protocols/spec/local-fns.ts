// The local functions: per-party work on shares, with no communication. The plan names them in
// `local` nodes; the runtime implements each (runtime/protocols/local) and tests each against
// a BigInt reference. `party0` terms are added by the first compute party only.
//
// Arguments are this party's shares (arith), opened ring values (ring) or clear float64
// values (clear; encoded to the ring as the `elem` attribute says: fixed multiplies by 2^f
// and rounds, int and bool are taken as integers). Shape ops take the attributes of the op of
// the same name in runtime/plan/ops.ts.

import { BINARY_LOCAL_FNS } from "./binary-tables.js";
import { CONV_LOCAL_FNS } from "./conv-tables.js";
import { NONLINEAR_LOCAL_FNS } from "./nonlinear/tables.js";

export const LOCAL_FNS = {
  add: "x + y (shares, NumPy broadcasting)",
  sub: "x - y",
  neg: "-x",
  sub_pair: "(x - a, y - b): the two masked values a Beaver step opens",
  add_public:
    "x + c, c clear (public or private), encoded as attr elem and added by party attr `by` only; " +
    "attr subtract: 'clear' gives x - c, 'secret' gives c - x",
  mul_public:
    "x * c, c clear public encoded as attr elem (or, with attr reciprocal, 1/c encoded with attr bits " +
    "fractional bits); a fixed*fixed product needs truncation after",
  matmul_public: "x @ c (attr side 'right') or c @ x (side 'left'), c clear public encoded as attr elem",
  mul_const: "x * value for a constant attr value, encoded with attr bits fractional bits (0: an integer)",
  lshift: "x * 2^bits (int -> fixed)",
  beaver_mul: "c + e*b + d*a + party0(e*d), from opened e, d and triple (a, b, c); broadcasting",
  beaver_square: "a2 + 2*e*a + party0(e*e), from opened e and pair (a, a2)",
  beaver_matmul:
    "C + E@B + A@D + party0(E@D), as two products per party: party 0 C0 + E@(B0 + D) + A0@D, " +
    "others C_i + E@B_i + A_i@D",
  mask_private:
    "at attr owner only: (encode(x) - a, encode(x)), x its clear private operand (attr elem), a its own dealer mask",
  beaver_mul_private:
    "product of private operands (mulPrivate): x*D + c at attr x_owner, E*b + c at attr b_owner, c elsewhere; " +
    "args encode(x), D, E, b, c. Without b_owner (y secret, mulPrivateSecret): c + E*b everywhere, plus x*D at x_owner",
  beaver_matmul_private: "as beaver_mul_private with matrix products: x@D + c, E@b + c, c",
  trunc_local: "2-party share truncation: party 0 x >> bits, party 1 -((-x) >> bits) (arithmetic shifts)",
  trunc_mask: "x + r + party0(2^62): the value the n-party truncation opens",
  trunc_unmask:
    "from opened m = x + 2^62 + r and the pair (r_msb, r_low_shift): " +
    "party0((m mod 2^63) >> bits - 2^(62-bits)) + w * 2^(63-bits) - r_low_shift, w = m_msb XOR r_msb",
  sum: "sum over attr axis (absent: all), attr keepdims",
  transpose: "permute axes (attr perm; default reversed)",
  reshape: "same elements, attr shape",
  flatten: "[n, ...] -> [n, prod(...)]",
  slice: "attr ranges, as the clear op",
  concat: "join along attr axis",
  stack: "join along a new attr axis",
  broadcast_to: "broadcast to attr shape",
  // binary sharing and comparisons (./binary-tables.ts)
  ...BINARY_LOCAL_FNS,
  // inference layers (./conv-tables.ts)
  ...CONV_LOCAL_FNS,
  // non-linear functions (./nonlinear/tables.ts)
  ...NONLINEAR_LOCAL_FNS,
} as const;

export type LocalFnName = keyof typeof LOCAL_FNS;

export function isLocalFn(name: string): name is LocalFnName {
  return Object.prototype.hasOwnProperty.call(LOCAL_FNS, name);
}
