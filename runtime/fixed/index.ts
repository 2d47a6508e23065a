// Fixed-point encoding of real numbers into the ring Z_2^64 and back: x -> round(x * 2^f) as a
// two's-complement 64-bit integer, with f fractional bits (the precision, default 16), and
// plain integers for `int` elements. Out-of-range, non-finite and (for int) non-integral
// inputs are rejected *before* sharing with a UserError that names the party, the input and
// the position, and never the value: input data is secret, and error text reaches logs.
//
// The fixed-point range. The ring holds signed values in [-2^63, 2^63), so the encoding alone
// would allow |x| < 2^(63-f). But a fixed*fixed product carries 2f fractional bits until it
// is truncated: round(x 2^f) * round(y 2^f) must stay below 2^63 in magnitude or it wraps
// before truncation can divide it back. We therefore accept
//
//     |x| < 2^(31 - f)        (f = 16: |x| < 32768;  f = 8: 2^23;  f = 24: 128)
//
// so every encoded input is at most 2^31 in magnitude and the product of any two inputs is at
// most 2^62: one bit of headroom below the sign bit, enough for the sum of two such products
// (e.g. the cross terms of a Beaver step). Longer sums (matmul inner dimensions, polynomials)
// need values well inside the bound; that is a property of the program, which the plaintext
// reference and the accuracy tests watch, not of a single input. The precision is limited to
// 0..30 so the bound is at least 2.

import { UserError } from "../../grammar/diagnostic.js";
import type { RingTensor } from "../ring/index.js";

export const DEFAULT_PRECISION = 16;
export const MAX_PRECISION = 30;
/** Largest magnitude (exclusive) an int element may have: it must be an exact float64 integer. */
export const INT_LIMIT = 2 ** 53;

/** Where a value came from, for error messages (never the value itself). */
export interface ValueSource {
  party: string;
  input: string;
}

/** |x| must be strictly below this to be encoded at precision f. */
export function fixedBound(precision: number): number {
  checkPrecision(precision);
  return 2 ** (31 - precision);
}

function checkPrecision(f: number): void {
  if (!Number.isInteger(f) || f < 0 || f > MAX_PRECISION) {
    throw new RangeError(`fixed-point precision ${f} is outside 0..${MAX_PRECISION}`);
  }
}

/** "row 3, column 2" for a 2-D input, else "element 7" (1-based, row-major). */
export function positionOf(flat: number, shape: readonly number[]): string {
  if (shape.length === 2) {
    const cols = shape[1]!;
    return `row ${Math.floor(flat / cols) + 1}, column ${(flat % cols) + 1}`;
  }
  return `element ${flat + 1}`;
}

function fail(where: ValueSource, flat: number, shape: readonly number[], problem: string, more: number, hint: string): never {
  const others = more > 0 ? ` (${more} more value${more === 1 ? "" : "s"} in this input ha${more === 1 ? "s" : "ve"} the same problem)` : "";
  throw new UserError(`input ${where.party}.${where.input}: the value at ${positionOf(flat, shape)} ${problem}${others}; ${hint}`);
}

function checkLength(values: ArrayLike<number>, shape: readonly number[], where: ValueSource): void {
  let n = 1;
  for (const d of shape) n *= d;
  if (values.length !== n) {
    throw new UserError(`input ${where.party}.${where.input}: has ${values.length} values, but its type needs [${shape.join(", ")}] (${n} values)`);
  }
}

/** Store integer-valued doubles (|r| < 2^53) as 64-bit two's complement via 32-bit words. */
function storeIntegers(r: Float64Array): BigUint64Array {
  const out = new BigUint64Array(r.length);
  const w = new Uint32Array(out.buffer);
  for (let i = 0; i < r.length; i++) {
    const v = r[i]!;
    const hi = Math.floor(v / 4294967296);
    w[2 * i] = v - hi * 4294967296; // in [0, 2^32)
    w[2 * i + 1] = hi; // ToUint32 wraps a negative high word into two's complement
  }
  return out;
}

/**
 * Encode reals as fixed point with `precision` fractional bits (round to nearest, ties away
 * from zero). Throws a UserError naming party, input and position for a non-finite value or
 * |x| >= 2^(31 - precision).
 */
export function encodeFixed(
  values: ArrayLike<number>,
  shape: readonly number[],
  precision: number = DEFAULT_PRECISION,
  where: ValueSource,
): RingTensor {
  const bound = fixedBound(precision);
  checkLength(values, shape, where);
  const scale = 2 ** precision;
  const r = new Float64Array(values.length);
  let firstNaN = -1;
  let nNaN = 0;
  let firstBig = -1;
  let nBig = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) {
      if (nNaN++ === 0) firstNaN = i;
    } else if (!(Math.abs(v) < bound)) {
      if (nBig++ === 0) firstBig = i;
    } else {
      const s = v * scale; // exact: scaling by a power of two
      r[i] = s < 0 ? -Math.round(-s) : Math.round(s);
    }
  }
  if (nNaN > 0) fail(where, firstNaN, shape, "is not a finite number", nNaN - 1, "fix or remove it in the data file");
  if (nBig > 0) {
    fail(
      where,
      firstBig,
      shape,
      `is outside the fixed-point range: |value| must be below 2^${31 - precision} = ${bound} at precision ${precision}`,
      nBig - 1,
      "rescale the data, or lower the program's precision",
    );
  }
  return { data: storeIntegers(r), shape: [...shape] };
}

/** Decode fixed point: the signed ring value divided by 2^precision. */
export function decodeFixed(t: RingTensor, precision: number = DEFAULT_PRECISION): Float64Array {
  checkPrecision(precision);
  const inv = 2 ** -precision;
  const n = t.data.length;
  const lo = new Uint32Array(t.data.buffer, t.data.byteOffset, 2 * n);
  const hi = new Int32Array(t.data.buffer, t.data.byteOffset, 2 * n);
  const out = new Float64Array(n);
  // hi * 2^32 is exact and the sum rounds once, so the result is the correctly rounded value
  for (let i = 0; i < n; i++) out[i] = (hi[2 * i + 1]! * 4294967296 + lo[2 * i]!) * inv;
  return out;
}

/**
 * Encode integers (`int` elements) as ring values. Throws a UserError for a non-finite or
 * non-integral value, or |x| >= 2^53 (a float64 beyond that is not an exact integer).
 * Products of ints wrap mod 2^64, which is the language's `int` semantics.
 */
export function encodeInt(values: ArrayLike<number>, shape: readonly number[], where: ValueSource): RingTensor {
  checkLength(values, shape, where);
  const r = new Float64Array(values.length);
  let firstBad = -1;
  let nBad = 0;
  let firstBig = -1;
  let nBig = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isInteger(v)) {
      if (nBad++ === 0) firstBad = i;
    } else if (!(Math.abs(v) < INT_LIMIT)) {
      if (nBig++ === 0) firstBig = i;
    } else {
      r[i] = v;
    }
  }
  if (nBad > 0) fail(where, firstBad, shape, "is not an integer", nBad - 1, "an int input holds whole numbers; declare it fixed for reals");
  if (nBig > 0) fail(where, firstBig, shape, "is outside the int range: |value| must be below 2^53", nBig - 1, "check the data file");
  return { data: storeIntegers(r), shape: [...shape] };
}

/** Decode ring integers as signed numbers (exact below 2^53 in magnitude). */
export function decodeInt(t: RingTensor): Float64Array {
  return decodeFixed(t, 0);
}
