// Elementwise ring ops over Z_2^64 with NumPy broadcasting: add, sub, mul, neg, the bitwise
// ops and shifts. Each op is a plain typed-array loop (V8 compiles BigInt.asUintN(64, …) on
// BigUint64Array elements to native 64-bit arithmetic; see shared/research-kernels.md), one
// monomorphic loop per op so no closure call sits in the per-element path. Never allocates a
// BigInt per element beyond what V8 elides, never uses floats for ring values.

import {
  type RingTensor,
  broadcastShapes,
  broadcastStrides,
  forEachRun,
  sameShape,
  size,
} from "./tensor.js";

/** A kernel over one run: out[o + t] = f(x[ia + t*sa], y[ib + t*sb]) for t < len. */
type RunKernel = (
  x: BigUint64Array,
  ia: number,
  sa: number,
  y: BigUint64Array,
  ib: number,
  sb: number,
  out: BigUint64Array,
  o: number,
  len: number,
) => void;

function binary(a: RingTensor, b: RingTensor, same: (x: BigUint64Array, y: BigUint64Array, out: BigUint64Array) => void, run: RunKernel): RingTensor {
  if (sameShape(a.shape, b.shape)) {
    const out = new BigUint64Array(a.data.length);
    same(a.data, b.data, out);
    return { data: out, shape: [...a.shape] };
  }
  const shape = broadcastShapes(a.shape, b.shape);
  const out = new BigUint64Array(size(shape));
  const sa = broadcastStrides(a.shape, shape);
  const sb = broadcastStrides(b.shape, shape);
  forEachRun(shape, sa, sb, (ia, ja, ib, jb, o, len) => run(a.data, ia, ja, b.data, ib, jb, out, o, len));
  return { data: out, shape };
}

// ---- add ----
function addSame(x: BigUint64Array, y: BigUint64Array, out: BigUint64Array): void {
  for (let i = 0; i < out.length; i++) out[i] = BigInt.asUintN(64, x[i]! + y[i]!);
}
function addRun(x: BigUint64Array, ia: number, sa: number, y: BigUint64Array, ib: number, sb: number, out: BigUint64Array, o: number, len: number): void {
  for (let t = 0; t < len; t++, ia += sa, ib += sb) out[o + t] = BigInt.asUintN(64, x[ia]! + y[ib]!);
}
export function ringAdd(a: RingTensor, b: RingTensor): RingTensor {
  return binary(a, b, addSame, addRun);
}

// ---- sub ----
function subSame(x: BigUint64Array, y: BigUint64Array, out: BigUint64Array): void {
  for (let i = 0; i < out.length; i++) out[i] = BigInt.asUintN(64, x[i]! - y[i]!);
}
function subRun(x: BigUint64Array, ia: number, sa: number, y: BigUint64Array, ib: number, sb: number, out: BigUint64Array, o: number, len: number): void {
  for (let t = 0; t < len; t++, ia += sa, ib += sb) out[o + t] = BigInt.asUintN(64, x[ia]! - y[ib]!);
}
export function ringSub(a: RingTensor, b: RingTensor): RingTensor {
  return binary(a, b, subSame, subRun);
}

// ---- mul ----
function mulSame(x: BigUint64Array, y: BigUint64Array, out: BigUint64Array): void {
  for (let i = 0; i < out.length; i++) out[i] = BigInt.asUintN(64, x[i]! * y[i]!);
}
function mulRun(x: BigUint64Array, ia: number, sa: number, y: BigUint64Array, ib: number, sb: number, out: BigUint64Array, o: number, len: number): void {
  for (let t = 0; t < len; t++, ia += sa, ib += sb) out[o + t] = BigInt.asUintN(64, x[ia]! * y[ib]!);
}
export function ringMul(a: RingTensor, b: RingTensor): RingTensor {
  return binary(a, b, mulSame, mulRun);
}

// ---- and / xor / or ----
function andSame(x: BigUint64Array, y: BigUint64Array, out: BigUint64Array): void {
  for (let i = 0; i < out.length; i++) out[i] = x[i]! & y[i]!;
}
function andRun(x: BigUint64Array, ia: number, sa: number, y: BigUint64Array, ib: number, sb: number, out: BigUint64Array, o: number, len: number): void {
  for (let t = 0; t < len; t++, ia += sa, ib += sb) out[o + t] = x[ia]! & y[ib]!;
}
export function ringAnd(a: RingTensor, b: RingTensor): RingTensor {
  return binary(a, b, andSame, andRun);
}

function xorSame(x: BigUint64Array, y: BigUint64Array, out: BigUint64Array): void {
  for (let i = 0; i < out.length; i++) out[i] = x[i]! ^ y[i]!;
}
function xorRun(x: BigUint64Array, ia: number, sa: number, y: BigUint64Array, ib: number, sb: number, out: BigUint64Array, o: number, len: number): void {
  for (let t = 0; t < len; t++, ia += sa, ib += sb) out[o + t] = x[ia]! ^ y[ib]!;
}
export function ringXor(a: RingTensor, b: RingTensor): RingTensor {
  return binary(a, b, xorSame, xorRun);
}

function orSame(x: BigUint64Array, y: BigUint64Array, out: BigUint64Array): void {
  for (let i = 0; i < out.length; i++) out[i] = x[i]! | y[i]!;
}
function orRun(x: BigUint64Array, ia: number, sa: number, y: BigUint64Array, ib: number, sb: number, out: BigUint64Array, o: number, len: number): void {
  for (let t = 0; t < len; t++, ia += sa, ib += sb) out[o + t] = x[ia]! | y[ib]!;
}
export function ringOr(a: RingTensor, b: RingTensor): RingTensor {
  return binary(a, b, orSame, orRun);
}

// ---- unary ----
export function ringNeg(a: RingTensor): RingTensor {
  const x = a.data;
  const out = new BigUint64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = BigInt.asUintN(64, -x[i]!);
  return { data: out, shape: [...a.shape] };
}

export function ringNot(a: RingTensor): RingTensor {
  const x = a.data;
  const out = new BigUint64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = BigInt.asUintN(64, ~x[i]!);
  return { data: out, shape: [...a.shape] };
}

/** a * c for a public ring constant c (reduced mod 2^64; negative constants are fine). */
export function ringMulScalar(a: RingTensor, c: bigint): RingTensor {
  const k = BigInt.asUintN(64, c);
  const x = a.data;
  const out = new BigUint64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = BigInt.asUintN(64, x[i]! * k);
  return { data: out, shape: [...a.shape] };
}

/** a + c for a public ring constant c. */
export function ringAddScalar(a: RingTensor, c: bigint): RingTensor {
  const k = BigInt.asUintN(64, c);
  const x = a.data;
  const out = new BigUint64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = BigInt.asUintN(64, x[i]! + k);
  return { data: out, shape: [...a.shape] };
}

// ---- shifts ----
// Shifts work on the two 32-bit words of each element: V8 lowers BigInt shifts by a variable
// amount to a slow generic path (~27 ms per 1e6 elements), while int32 word shifts run at
// about 1 ms per 1e6. Little-endian layout: word 2i is the low half, 2i+1 the high half.
function checkShift(k: number): void {
  if (!Number.isInteger(k) || k < 0 || k > 63) throw new RangeError(`shift amount ${k} is outside 0..63`);
}

function words(data: BigUint64Array): Int32Array {
  return new Int32Array(data.buffer, data.byteOffset, data.length * 2);
}

/** Arithmetic right shift: the value read as signed two's complement, divided by 2^k, floored. */
export function ringShiftRightArith(a: RingTensor, k: number): RingTensor {
  checkShift(k);
  const out = new BigUint64Array(a.data.length);
  const x = words(a.data);
  const y = words(out);
  const n = x.length;
  if (k === 0) y.set(x);
  else if (k < 32) {
    const r = 32 - k;
    for (let i = 0; i < n; i += 2) {
      const hi = x[i + 1]!;
      y[i] = (x[i]! >>> k) | (hi << r);
      y[i + 1] = hi >> k;
    }
  } else {
    const s = k - 32;
    for (let i = 0; i < n; i += 2) {
      const hi = x[i + 1]!;
      y[i] = hi >> s;
      y[i + 1] = hi >> 31;
    }
  }
  return { data: out, shape: [...a.shape] };
}

/** Logical right shift: the value read as unsigned, divided by 2^k, floored. */
export function ringShiftRightLogical(a: RingTensor, k: number): RingTensor {
  checkShift(k);
  const out = new BigUint64Array(a.data.length);
  const x = words(a.data);
  const y = words(out);
  const n = x.length;
  if (k === 0) y.set(x);
  else if (k < 32) {
    const r = 32 - k;
    for (let i = 0; i < n; i += 2) {
      const hi = x[i + 1]!;
      y[i] = (x[i]! >>> k) | (hi << r);
      y[i + 1] = hi >>> k;
    }
  } else {
    const s = k - 32;
    for (let i = 0; i < n; i += 2) y[i] = x[i + 1]! >>> s; // high words stay 0
  }
  return { data: out, shape: [...a.shape] };
}

/** Left shift mod 2^64. */
export function ringShiftLeft(a: RingTensor, k: number): RingTensor {
  checkShift(k);
  const out = new BigUint64Array(a.data.length);
  const x = words(a.data);
  const y = words(out);
  const n = x.length;
  if (k === 0) y.set(x);
  else if (k < 32) {
    const r = 32 - k;
    for (let i = 0; i < n; i += 2) {
      const lo = x[i]!;
      y[i] = lo << k;
      y[i + 1] = (x[i + 1]! << k) | (lo >>> r);
    }
  } else {
    const s = k - 32;
    for (let i = 0; i < n; i += 2) y[i + 1] = x[i]! << s; // low words stay 0
  }
  return { data: out, shape: [...a.shape] };
}

// ---- in place (hot loops: accumulate without allocating) ----
function checkSame(acc: RingTensor, b: RingTensor, what: string): void {
  if (!sameShape(acc.shape, b.shape)) {
    throw new RangeError(`${what}: shapes [${acc.shape.join(", ")}] and [${b.shape.join(", ")}] differ`);
  }
}

/** acc += b (same shapes); returns acc. */
export function ringAddInPlace(acc: RingTensor, b: RingTensor): RingTensor {
  checkSame(acc, b, "ringAddInPlace");
  const x = acc.data;
  const y = b.data;
  for (let i = 0; i < x.length; i++) x[i] = BigInt.asUintN(64, x[i]! + y[i]!);
  return acc;
}

/** acc -= b (same shapes); returns acc. */
export function ringSubInPlace(acc: RingTensor, b: RingTensor): RingTensor {
  checkSame(acc, b, "ringSubInPlace");
  const x = acc.data;
  const y = b.data;
  for (let i = 0; i < x.length; i++) x[i] = BigInt.asUintN(64, x[i]! - y[i]!);
  return acc;
}
