// The types every local function shares: what a party knows about itself when it runs one,
// and the values a local function reads and returns. Pure types.

import type { ClearTensor } from "../../clear/index.js";
import type { RingTensor } from "../../ring/index.js";

export interface LocalContext {
  /** This party's name. */
  party: string;
  /** Its index among the compute parties (0 adds the public terms). */
  index: number;
  /** Number of compute parties. */
  n: number;
  /** Fractional bits of fixed point. */
  precision: number;
}

/** A share or opened ring value (RingTensor), or a clear float64 value (ClearTensor).
 *  `undefined` stands for a value this party does not hold (another party's private value). */
export type LocalValue = RingTensor | ClearTensor;

export type LocalFn = (
  ctx: LocalContext,
  args: readonly (LocalValue | undefined)[],
  attrs: Record<string, unknown>,
) => (LocalValue | undefined)[];

export function isRing(v: LocalValue | undefined): v is RingTensor {
  return v !== undefined && v.data instanceof BigUint64Array;
}

export function isClear(v: LocalValue | undefined): v is ClearTensor {
  return v !== undefined && v.data instanceof Float64Array;
}

/** The k-th argument as a ring tensor (a share or opened value), or an internal error. */
export function ringArg(fn: string, args: readonly (LocalValue | undefined)[], k: number): RingTensor {
  const v = args[k];
  if (!isRing(v)) throw new Error(`internal: local ${fn}: argument ${k + 1} is not a ring value at this party`);
  return v;
}

/** The k-th argument as a clear tensor, or an internal error. */
export function clearArg(fn: string, args: readonly (LocalValue | undefined)[], k: number): ClearTensor {
  const v = args[k];
  if (!isClear(v)) throw new Error(`internal: local ${fn}: argument ${k + 1} is not a clear value at this party`);
  return v;
}
