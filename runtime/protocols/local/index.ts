// The registry of local-function implementations, one per name in ../spec/local-fns.ts (the
// `satisfies` below makes a missing implementation a type error). The executor looks a plan
// node's `fn` up here.

import type { LocalFnName } from "../spec/local-fns.js";
import { beaver_matmul, beaver_mul, beaver_square, sub_pair } from "./beaver.js";
import {
  add,
  add_public,
  broadcast_to,
  concat,
  flatten,
  lshift,
  matmul_public,
  mul_const,
  mul_public,
  neg,
  reshape,
  slice,
  stack,
  sub,
  sum,
  transpose,
} from "./linear.js";
import { beaver_matmul_private, beaver_mul_private, mask_private } from "./private.js";
import { trunc_local, trunc_mask, trunc_unmask } from "./truncate.js";
import type { LocalFn } from "./types.js";
import {
  a2b_finish,
  a2b_init,
  b2a_bits,
  bin_and,
  bin_and_mask,
  bin_mask,
  bin_not,
  bin_poly,
  bin_xor,
  iota,
  ks_inputs,
  ks_update,
  one_minus,
  tree_split,
} from "./binary.js";
import { cmp_b2a, cmp_leaves, pair_diffs, pair_sel_inputs, pairs_reduce, vbits_b2a } from "./compare.js";
import type { BinaryLocalFnName } from "../spec/binary-tables.js";
import { beaver_conv, beaver_conv_private, conv_public, pool_sum, pool_windows } from "./conv.js";
import type { ConvLocalFnName } from "../spec/conv-tables.js";
import { nl_affine_rows, nl_lincomb, nl_lookup, nl_public_thresholds, nl_rows } from "./nonlinear.js";
import type { NonlinearLocalFnName } from "../spec/nonlinear/tables.js";

/** Non-linear functions (./nonlinear.ts). */
const NONLINEAR_IMPLS = { nl_lincomb, nl_rows, nl_affine_rows, nl_public_thresholds, nl_lookup } satisfies Record<NonlinearLocalFnName, LocalFn>;

/** Inference layers (./conv.ts). */
const CONV_IMPLS = { beaver_conv, beaver_conv_private, conv_public, pool_sum, pool_windows } satisfies Record<ConvLocalFnName, LocalFn>;

/** Binary sharing and comparisons (./binary.ts, ./compare.ts). */
const BINARY_IMPLS = {
  bin_xor,
  bin_not,
  bin_and_mask,
  bin_and,
  bin_mask,
  bin_poly,
  a2b_init,
  ks_inputs,
  ks_update,
  a2b_finish,
  b2a_bits,
  one_minus,
  cmp_leaves,
  cmp_b2a,
  vbits_b2a,
  pair_diffs,
  pair_sel_inputs,
  pairs_reduce,
  iota,
  tree_split,
} satisfies Record<BinaryLocalFnName, LocalFn>;

export type { LocalContext, LocalFn, LocalValue } from "./types.js";
export { isClear, isRing } from "./types.js";
export { encodeClear, encodeScalar, elemBits } from "./encode.js";

export const LOCAL_IMPLS = {
  add,
  sub,
  neg,
  sub_pair,
  add_public,
  mul_public,
  matmul_public,
  mul_const,
  lshift,
  beaver_mul,
  beaver_square,
  beaver_matmul,
  mask_private,
  beaver_mul_private,
  beaver_matmul_private,
  trunc_local,
  trunc_mask,
  trunc_unmask,
  sum,
  transpose,
  reshape,
  flatten,
  slice,
  concat,
  stack,
  broadcast_to,
  ...BINARY_IMPLS,
  ...CONV_IMPLS,
  ...NONLINEAR_IMPLS,
} satisfies Record<LocalFnName, LocalFn>;

export function localFn(name: string): LocalFn {
  if (!Object.prototype.hasOwnProperty.call(LOCAL_IMPLS, name)) throw new Error(`internal: unknown local function ${name}`);
  return LOCAL_IMPLS[name as LocalFnName];
}
