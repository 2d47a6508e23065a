// Encoding the clear operands of local functions (public constants, a holder's own clear
// value) into the ring: round(v * 2^bits) as a two's-complement 64-bit integer. Inputs are
// encoded at sharing time by runtime/fixed (with its input-range checks); this is for values
// that already live inside a program, where a constant may carry extra fractional bits.
// Never reports a value in an error (a private operand is secret to the other parties).

import { UserError } from "../../../grammar/diagnostic.js";
import type { ClearTensor } from "../../clear/index.js";
import type { RingTensor } from "../../ring/index.js";

const TWO32 = 4294967296;
const TWO53 = 2 ** 53;

/** Fractional bits an element type is encoded with (fixed: the precision; int, bool: 0). */
export function elemBits(elem: unknown, precision: number): number {
  if (elem === "fixed" || elem === undefined) return precision;
  if (elem === "int" || elem === "bool") return 0;
  throw new Error(`internal: unknown element type ${String(elem)}`);
}

/** One value scaled by 2^bits and rounded (ties away from zero) as a ring element. */
export function encodeScalar(v: number, bits: number, what: string): bigint {
  const s = v * 2 ** bits;
  if (!Number.isFinite(s) || Math.abs(s) >= 2 ** 63) {
    throw new UserError(`${what}: a clear operand is outside the fixed-point range (|value| * 2^${bits} must be below 2^63)`);
  }
  const r = s < 0 ? -Math.round(-s) : Math.round(s);
  return BigInt.asUintN(64, BigInt(r));
}

/** A clear tensor scaled by 2^bits and rounded, as ring elements. `what` names the operation
 *  for an out-of-range error. With `reciprocal`, encodes 1/v (v must be non-zero). */
export function encodeClear(t: ClearTensor, bits: number, what: string, reciprocal = false): RingTensor {
  const n = t.data.length;
  const out = new BigUint64Array(n);
  const w = new Uint32Array(out.buffer);
  const scale = 2 ** bits;
  for (let i = 0; i < n; i++) {
    let v = t.data[i]!;
    if (reciprocal) {
      if (v === 0) throw new UserError(`${what}: division by a public zero`);
      v = 1 / v;
    }
    const s = v * scale;
    if (!Number.isFinite(s) || Math.abs(s) >= 2 ** 63) {
      throw new UserError(`${what}: a clear operand is outside the fixed-point range (|value| * 2^${bits} must be below 2^63)`);
    }
    const r = s < 0 ? -Math.round(-s) : Math.round(s);
    if (Math.abs(r) < TWO53) {
      const hi = Math.floor(r / TWO32);
      w[2 * i] = r - hi * TWO32;
      w[2 * i + 1] = hi; // ToUint32 wraps a negative high word into two's complement
    } else {
      out[i] = BigInt.asUintN(64, BigInt(r));
    }
  }
  return { data: out, shape: [...t.shape] };
}
