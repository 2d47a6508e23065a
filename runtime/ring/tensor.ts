// Ring tensors: dense row-major tensors over Z_2^64, stored in a BigUint64Array. This module
// holds the representation, construction/conversion and the NumPy broadcasting rules every
// other ring module uses. It never interprets values (no fixed point, no signs beyond
// `ringToBigInts(signed)`), never logs data, and never uses floating point for ring values.
//
// Aliasing: ops return fresh tensors, except `ringReshape` (and `ringBroadcastTo` of an
// already-matching shape), which share `data` with their input like NumPy views. Mutate only
// through the *InPlace functions, and only tensors you created.

import { elementCount as size, sameShape, strides } from "../plan/shape.js";

export interface RingTensor {
  /** Row-major values mod 2^64. */
  data: BigUint64Array;
  shape: number[];
}


export function checkShape(shape: readonly number[], what = "shape"): void {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) throw new RangeError(`${what} [${shape.join(", ")}] has an invalid dimension ${d}`);
  }
}

export function ringZeros(shape: readonly number[]): RingTensor {
  checkShape(shape);
  return { data: new BigUint64Array(size(shape)), shape: [...shape] };
}

/** Wrap existing data (no copy); the length must match the shape. */
export function ringTensor(data: BigUint64Array, shape: readonly number[]): RingTensor {
  checkShape(shape);
  if (data.length !== size(shape)) {
    throw new RangeError(`ring data has ${data.length} elements but shape [${shape.join(", ")}] needs ${size(shape)}`);
  }
  return { data, shape: [...shape] };
}

/** Values reduced mod 2^64 (negatives become their two's complement). */
export function ringFromBigInts(values: readonly bigint[], shape: readonly number[]): RingTensor {
  checkShape(shape);
  if (values.length !== size(shape)) {
    throw new RangeError(`${values.length} values do not fill shape [${shape.join(", ")}] (${size(shape)} elements)`);
  }
  const data = new BigUint64Array(values.length);
  for (let i = 0; i < values.length; i++) data[i] = BigInt.asUintN(64, values[i]!);
  return { data, shape: [...shape] };
}

/** Integer-valued numbers (|v| <= 2^53) into the ring; throws on a non-integer. */
export function ringFromNumbers(values: ArrayLike<number>, shape: readonly number[]): RingTensor {
  checkShape(shape);
  if (values.length !== size(shape)) {
    throw new RangeError(`${values.length} values do not fill shape [${shape.join(", ")}] (${size(shape)} elements)`);
  }
  const data = new BigUint64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isSafeInteger(v)) throw new RangeError(`ringFromNumbers: element ${i} is not a safe integer`);
    data[i] = BigInt.asUintN(64, BigInt(v));
  }
  return { data, shape: [...shape] };
}

/** Values as BigInts: unsigned in [0, 2^64), or signed in [-2^63, 2^63). */
export function ringToBigInts(t: RingTensor, signed = false): bigint[] {
  const out = new Array<bigint>(t.data.length);
  if (signed) {
    const s = new BigInt64Array(t.data.buffer, t.data.byteOffset, t.data.length);
    for (let i = 0; i < s.length; i++) out[i] = s[i]!;
  } else {
    for (let i = 0; i < t.data.length; i++) out[i] = t.data[i]!;
  }
  return out;
}

export function ringScalar(v: bigint): RingTensor {
  const data = new BigUint64Array(1);
  data[0] = BigInt.asUintN(64, v);
  return { data, shape: [] };
}

/** A fresh copy (data and shape). */
export function ringClone(t: RingTensor): RingTensor {
  return { data: t.data.slice(), shape: [...t.shape] };
}

/** The same bits read as signed 64-bit integers (a view, no copy). */
export function signedView(data: BigUint64Array): BigInt64Array {
  return new BigInt64Array(data.buffer, data.byteOffset, data.length);
}

/** Exact equality of shape and every element. */
export function ringEqual(a: RingTensor, b: RingTensor): boolean {
  if (!sameShape(a.shape, b.shape)) return false;
  for (let i = 0; i < a.data.length; i++) if (a.data[i] !== b.data[i]) return false;
  return true;
}


/** Row-major strides (in elements). */

/** NumPy broadcast shape of two shapes (the shared rule); throws a RangeError naming both if
 *  incompatible. */
export { broadcastOrThrow as broadcastShapes } from "../plan/shape.js";
/** Element count, shape equality and row-major strides: the shared shape arithmetic. */
export { size, sameShape, strides };

/** Strides of `shape` seen through the broadcast `target` (0 where a dimension is repeated). */
export function broadcastStrides(shape: readonly number[], target: readonly number[]): number[] {
  const own = strides(shape);
  const out = new Array<number>(target.length).fill(0);
  const off = target.length - shape.length;
  if (off < 0) throw new RangeError(`cannot broadcast [${shape.join(", ")}] to [${target.join(", ")}]`);
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i]!;
    if (d === target[off + i]) out[off + i] = d === 1 ? 0 : own[i]!;
    else if (d === 1) out[off + i] = 0;
    else throw new RangeError(`cannot broadcast [${shape.join(", ")}] to [${target.join(", ")}]`);
  }
  return out;
}

/**
 * Visit every element of the broadcast `shape` in row-major order, calling
 * `row(offA, strideA, offB, strideB, outOffset, len)` once per innermost run: the run's
 * elements are at offA + t*strideA in a and offB + t*strideB in b, for t < len. Kernels loop
 * over a run themselves, so the per-element cost stays a plain typed-array loop.
 */
export function forEachRun(
  shape: readonly number[],
  sa: readonly number[],
  sb: readonly number[],
  row: (offA: number, strideA: number, offB: number, strideB: number, outOff: number, len: number) => void,
): void {
  const total = size(shape);
  if (total === 0) return;
  const r = shape.length;
  if (r === 0) {
    row(0, 0, 0, 0, 0, 1);
    return;
  }
  const len = shape[r - 1]!;
  const ia = sa[r - 1]!;
  const ib = sb[r - 1]!;
  const idx = new Array<number>(r).fill(0);
  let offA = 0;
  let offB = 0;
  for (let out = 0; out < total; out += len) {
    row(offA, ia, offB, ib, out, len);
    // advance the odometer over the outer dimensions
    for (let d = r - 2; d >= 0; d--) {
      idx[d]!++;
      offA += sa[d]!;
      offB += sb[d]!;
      if (idx[d]! < shape[d]!) break;
      offA -= sa[d]! * shape[d]!;
      offB -= sb[d]! * shape[d]!;
      idx[d] = 0;
    }
  }
}
