// Elementwise clear ops with NumPy broadcasting: arithmetic, comparisons and logic (0/1
// results), select, and the non-linear functions, all in float64. Pure functions of their
// operands; they never mutate an argument.

import { numberAttr } from "./attrs.js";
import { broadcastIndex, broadcastShapes, type ClearTensor, ClearOpError, size } from "./tensor.js";

type Attrs = Record<string, unknown>;
type Binary = (a: number, b: number) => number;
type Unary = (a: number) => number;

/** Apply `f` over the broadcast of `a` and `b`. */
export function zipWith(op: string, a: ClearTensor, b: ClearTensor, f: Binary): ClearTensor {
  const shape = broadcastShapes(op, a.shape, b.shape);
  const n = size(shape);
  const out = new Float64Array(n);
  const ad = a.data;
  const bd = b.data;
  const ia = broadcastIndex(a.shape, shape);
  const ib = broadcastIndex(b.shape, shape);
  if (ia === null && ib === null) {
    for (let k = 0; k < n; k++) out[k] = f(ad[k]!, bd[k]!);
  } else if (ia === null && b.data.length === 1) {
    const y = bd[0]!;
    for (let k = 0; k < n; k++) out[k] = f(ad[k]!, y);
  } else if (ib === null && a.data.length === 1) {
    const x = ad[0]!;
    for (let k = 0; k < n; k++) out[k] = f(x, bd[k]!);
  } else {
    for (let k = 0; k < n; k++) out[k] = f(ad[ia === null ? k : ia[k]!]!, bd[ib === null ? k : ib[k]!]!);
  }
  return { data: out, shape };
}

export function map(a: ClearTensor, f: Unary): ClearTensor {
  const out = new Float64Array(a.data.length);
  for (let k = 0; k < out.length; k++) out[k] = f(a.data[k]!);
  return { data: out, shape: [...a.shape] };
}

const truth = (x: number): boolean => x !== 0;
const bit = (b: boolean): number => (b ? 1 : 0);

// Numerically stable logistic: never computes exp of a large positive number.
export const sigmoid: Unary = (x) => {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
};

export const BINARY: Record<string, Binary> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  lt: (a, b) => bit(a < b),
  le: (a, b) => bit(a <= b),
  gt: (a, b) => bit(a > b),
  ge: (a, b) => bit(a >= b),
  eq: (a, b) => bit(a === b),
  ne: (a, b) => bit(a !== b),
  and: (a, b) => bit(truth(a) && truth(b)),
  or: (a, b) => bit(truth(a) || truth(b)),
};

export const UNARY: Record<string, Unary> = {
  neg: (a) => -a,
  square: (a) => a * a,
  not: (a) => bit(!truth(a)),
  relu: (a) => (a > 0 ? a : 0),
  sigmoid,
  tanh: Math.tanh,
  exp: Math.exp,
  log: Math.log,
  sqrt: Math.sqrt,
  inv_sqrt: (a) => 1 / Math.sqrt(a),
  reciprocal: (a) => 1 / a,
  abs: Math.abs,
  // -1, 0 or 1 (sign(0) = 0, as NumPy and the op table say).
  sign: (a) => (a > 0 ? 1 : a < 0 ? -1 : 0),
};

/** select(c, a, b): a where c is non-zero, else b; all three broadcast together. */
export function select(c: ClearTensor, a: ClearTensor, b: ClearTensor): ClearTensor {
  const shape = broadcastShapes("select", c.shape, a.shape, b.shape);
  const n = size(shape);
  const ic = broadcastIndex(c.shape, shape);
  const ia = broadcastIndex(a.shape, shape);
  const ib = broadcastIndex(b.shape, shape);
  const out = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const cv = c.data[ic === null ? k : ic[k]!]!;
    out[k] = cv !== 0 ? a.data[ia === null ? k : ia[k]!]! : b.data[ib === null ? k : ib[k]!]!;
  }
  return { data: out, shape };
}

/** clip(a, min, max); a missing bound does not clip on that side. */
export function clip(a: ClearTensor, attrs: Attrs): ClearTensor {
  const lo = numberAttr("clip", attrs, "min", -Infinity);
  const hi = numberAttr("clip", attrs, "max", Infinity);
  if (lo > hi) throw new ClearOpError("clip", `min ${lo} is greater than max ${hi}`);
  return map(a, (x) => (x < lo ? lo : x > hi ? hi : x));
}
