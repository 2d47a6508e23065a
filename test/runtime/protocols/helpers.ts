// Test helpers for local functions: split BigInt values into additive shares, run a local
// function at every party, and reconstruct (sum) the parties' outputs.

import { randomRing } from "../../../runtime/random/index.js";
import type { RingTensor } from "../../../runtime/ring/index.js";
import { type LocalContext, type LocalValue, localFn } from "../../../runtime/protocols/local/index.js";

export const M64 = (1n << 64n) - 1n;
export const mod = (x: bigint): bigint => BigInt.asUintN(64, x);
export const signed = (x: bigint): bigint => BigInt.asIntN(64, x);

export function ring(values: readonly bigint[], shape: number[]): RingTensor {
  const data = new BigUint64Array(values.length);
  values.forEach((v, i) => (data[i] = mod(v)));
  return { data, shape };
}

export function values(t: RingTensor): bigint[] {
  return [...t.data];
}

/** n additive shares of x (uniform except the last). */
export function split(x: RingTensor, n: number): RingTensor[] {
  const shares: RingTensor[] = [];
  const last = x.data.slice();
  for (let i = 0; i < n - 1; i++) {
    const r = randomRing(x.data.length);
    for (let k = 0; k < r.length; k++) last[k] = mod(last[k]! - r[k]!);
    shares.push({ data: r, shape: [...x.shape] });
  }
  shares.push({ data: last, shape: [...x.shape] });
  return shares;
}

export function reconstruct(shares: readonly RingTensor[]): RingTensor {
  const out = new BigUint64Array(shares[0]!.data.length);
  for (const s of shares) for (let k = 0; k < out.length; k++) out[k] = mod(out[k]! + s.data[k]!);
  return { data: out, shape: [...shares[0]!.shape] };
}

export const PARTY_NAMES = ["p0", "p1", "p2", "p3"];

export function ctxOf(i: number, n: number, precision = 16): LocalContext {
  return { party: PARTY_NAMES[i]!, index: i, n, precision };
}

/** Run local function `fn` at each of n parties; args(i) gives party i's arguments. Returns,
 *  per output, the list of the parties' results. */
export function runLocal(
  fn: string,
  n: number,
  args: (i: number) => (LocalValue | undefined)[],
  attrs: Record<string, unknown> = {},
  precision = 16,
): RingTensor[][] {
  const per = Array.from({ length: n }, (_, i) => localFn(fn)(ctxOf(i, n, precision), args(i), attrs));
  return per[0]!.map((_, k) => per.map((o) => o[k] as RingTensor));
}

/** Uniformly random BigInts below 2^bits in magnitude (signed), from the system CSPRNG. */
export function randomSigned(count: number, bits: number): bigint[] {
  const r = randomRing(count);
  return [...r].map((v) => signed(v) >> BigInt(64 - bits));
}
