// Secret sharing of a clear value with pseudo-random zero sharing: a party that does not own
// the value derives its share from the seed it shares with the owner (PRG(s_owner,j, label),
// see ./offline.ts); the owner's share is the encoded value minus all of those. So sharing an input costs no
// communication, and every share but the owner's is independent of the value.
// A "public" value is held by party 0 as its encoding and 0 by the others.
// Never sends, logs or keeps the clear value.

import type { ClearTensor } from "../clear/index.js";
import { encodeFixed, encodeInt, type ValueSource } from "../fixed/index.js";
import type { ElemType } from "../plan/plan.js";
import type { RingTensor } from "../ring/index.js";

/** The stream label of a share node's execution (node id plus loop iteration path). */
export function shareLabel(nodeId: string, iter: readonly number[]): string {
  return iter.length === 0 ? `share/${nodeId}` : `share/${nodeId}@${iter.join(".")}`;
}

/** Encode a clear value as its element type (range-checked; errors name `where`). */
export function encodeValue(t: ClearTensor, elem: ElemType, precision: number, where: ValueSource): RingTensor {
  return elem === "fixed" ? encodeFixed(t.data, t.shape, precision, where) : encodeInt(t.data, t.shape, where);
}

export interface ShareContext {
  self: string;
  parties: readonly string[];
  precision: number;
}

/**
 * This party's share of `value` (given only at the owner, or at everyone when public).
 * `shape` and `elem` come from the plan, so non-owners need not see the value. `mask` is the
 * pseudo-random part (OfflineStore.shareMask): a non-owner's whole share, or the sum of the
 * other parties' shares, which the owner subtracts from the encoded value.
 */
export function shareOf(
  ctx: ShareContext,
  owner: string,
  value: ClearTensor | undefined,
  elem: ElemType,
  shape: number[],
  mask: () => BigUint64Array,
  where: ValueSource,
): RingTensor {
  const n = shape.reduce((a, d) => a * d, 1);
  if (owner === "public") {
    if (ctx.self !== ctx.parties[0]) return { data: new BigUint64Array(n), shape: [...shape] };
    if (!value) throw new Error(`internal: party ${ctx.self} lacks the public value to share`);
    return encodeValue(value, elem, ctx.precision, where);
  }
  if (ctx.self !== owner) return { data: mask(), shape: [...shape] };
  if (!value) throw new Error(`internal: party ${ctx.self} lacks its own value to share`);
  const enc = encodeValue(value, elem, ctx.precision, where);
  const x = enc.data;
  const r = mask();
  for (let i = 0; i < n; i++) x[i] = BigInt.asUintN(64, x[i]! - r[i]!);
  return enc;
}
