// Clear tensors: dense row-major float64 tensors for everything computed in the clear (public
// values, a party's own private data, the plaintext reference). This module holds the
// representation, shape arithmetic and NumPy broadcasting that the op modules share. It never
// touches shares or the ring, and never logs values.
//
// Element types: a ClearTensor carries no element type. `int` and `bool` values are float64
// numbers that happen to be integral (bool is 0/1); integers stay exact up to 2^53.

import { broadcastShapes as broadcastPair, elementCount as size, strides } from "../plan/shape.js";

/** Element count and row-major strides: the shared shape arithmetic. */
export { size, strides };

export interface ClearTensor {
  /** Row-major values. */
  data: Float64Array;
  /** Static shape; [] is a scalar. */
  shape: number[];
}


export function showShape(shape: readonly number[]): string {
  return `[${shape.join(", ")}]`;
}

/** A mistake in how an op was called (bad shape, bad attribute). Never carries values. */
export class ClearOpError extends Error {
  constructor(op: string, message: string) {
    super(`${op}: ${message}`);
    this.name = "ClearOpError";
  }
}

export function checkShape(op: string, shape: readonly number[]): void {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) throw new ClearOpError(op, `invalid shape ${showShape(shape)}`);
  }
}

export function clearTensor(data: Float64Array | readonly number[], shape: readonly number[]): ClearTensor {
  const arr = data instanceof Float64Array ? data : Float64Array.from(data);
  if (arr.length !== size(shape)) {
    throw new RangeError(`clear data has ${arr.length} elements but shape ${showShape(shape)} needs ${size(shape)}`);
  }
  return { data: arr, shape: [...shape] };
}

export function scalar(x: number): ClearTensor {
  return { data: Float64Array.of(x), shape: [] };
}

export function filled(shape: readonly number[], value: number): ClearTensor {
  const data = new Float64Array(size(shape));
  if (value !== 0) data.fill(value);
  return { data, shape: [...shape] };
}

/** Row-major strides (in elements). */

/** Normalise a possibly negative axis for a tensor of rank `rank`. */
export function normAxis(op: string, axis: number, rank: number): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
    throw new ClearOpError(op, `axis ${axis} is out of range for rank ${rank}`);
  }
  return axis < 0 ? axis + rank : axis;
}

/** The NumPy broadcast of two or more shapes. */
export function broadcastShapes(op: string, ...shapes: (readonly number[])[]): number[] {
  let out: number[] = [];
  for (const s of shapes) {
    const next = broadcastPair(out, s);
    if (!next) throw new ClearOpError(op, `cannot broadcast shapes ${shapes.map(showShape).join(" and ")}`);
    out = next;
  }
  return out;
}

/** For each output element (row-major over `outShape`), the index into a tensor of `shape`
 *  broadcast to `outShape`. Returns null when no broadcasting is needed (identity). */
export function broadcastIndex(shape: readonly number[], outShape: readonly number[]): Int32Array | null {
  if (shape.length === outShape.length && shape.every((d, i) => d === outShape[i])) return null;
  const n = size(outShape);
  const idx = new Int32Array(n);
  const rank = outShape.length;
  const srcStrides = strides(shape);
  // Stride 0 along broadcast (size-1 or missing) axes.
  const st = new Array<number>(rank).fill(0);
  for (let i = 0; i < shape.length; i++) {
    const o = rank - shape.length + i;
    st[o] = shape[i] === 1 ? 0 : srcStrides[i]!;
  }
  const counter = new Array<number>(rank).fill(0);
  let pos = 0;
  for (let k = 0; k < n; k++) {
    idx[k] = pos;
    // Increment the multi-index from the last axis.
    for (let a = rank - 1; a >= 0; a--) {
      counter[a]!++;
      pos += st[a]!;
      if (counter[a]! < outShape[a]!) break;
      pos -= st[a]! * counter[a]!;
      counter[a] = 0;
    }
  }
  return idx;
}

/** Materialise `t` broadcast to `shape`. */
export function broadcastTo(op: string, t: ClearTensor, shape: readonly number[]): ClearTensor {
  const b = broadcastShapes(op, t.shape, shape);
  if (b.length !== shape.length || b.some((d, i) => d !== shape[i])) {
    throw new ClearOpError(op, `cannot broadcast ${showShape(t.shape)} to ${showShape(shape)}`);
  }
  const idx = broadcastIndex(t.shape, shape);
  if (idx === null) return { data: t.data.slice(), shape: [...shape] };
  const out = new Float64Array(idx.length);
  for (let k = 0; k < idx.length; k++) out[k] = t.data[idx[k]!]!;
  return { data: out, shape: [...shape] };
}

/** Nested JS arrays of a tensor (a number for a scalar), for printing and JSON. */
export function toNested(t: ClearTensor): unknown {
  if (t.shape.length === 0) return t.data[0];
  const rec = (axis: number, offset: number, st: number[]): unknown[] => {
    const out: unknown[] = [];
    for (let i = 0; i < t.shape[axis]!; i++) {
      const off = offset + i * st[axis]!;
      out.push(axis === t.shape.length - 1 ? t.data[off] : rec(axis + 1, off, st));
    }
    return out;
  };
  return rec(0, 0, strides(t.shape));
}
