// Reductions in the clear: sum, mean, max, min over all elements or some axes (negative axes
// allowed, keepdims keeps reduced axes as 1), argmax (first index on ties, as NumPy), and the
// axis-wise softmax / log_softmax (numerically stable: the max is subtracted first).

import { axesAttr, boolAttr, numberAttr } from "./attrs.js";
import { type ClearTensor, ClearOpError, normAxis, size, strides } from "./tensor.js";

type Attrs = Record<string, unknown>;

function reducedAxes(op: string, t: ClearTensor, attrs: Attrs): boolean[] {
  const rank = t.shape.length;
  const axes = axesAttr(op, attrs);
  const reduced = new Array<boolean>(rank).fill(axes === undefined);
  for (const a of axes ?? []) {
    const ax = normAxis(op, a, rank);
    if (reduced[ax]) throw new ClearOpError(op, `axis ${a} is repeated`);
    reduced[ax] = true;
  }
  return reduced;
}

/** Fold every input element into the output cell it reduces to. */
function fold(op: string, t: ClearTensor, attrs: Attrs, init: number, f: (acc: number, x: number) => number): { out: ClearTensor; count: number } {
  const reduced = reducedAxes(op, t, attrs);
  const keepdims = boolAttr(op, attrs, "keepdims", false);
  const keptShape = t.shape.map((d, i) => (reduced[i] ? 1 : d));
  const count = t.shape.reduce((acc, d, i) => (reduced[i] ? acc * d : acc), 1);
  if (count === 0 && !Number.isFinite(init)) throw new ClearOpError(op, "cannot reduce an empty axis");
  const out = new Float64Array(size(keptShape)).fill(init);
  const rank = t.shape.length;
  const os = strides(keptShape);
  const step = t.shape.map((_, i) => (reduced[i] ? 0 : os[i]!));
  const counter = new Array<number>(rank).fill(0);
  let pos = 0;
  const n = t.data.length;
  for (let k = 0; k < n; k++) {
    out[pos] = f(out[pos]!, t.data[k]!);
    for (let a = rank - 1; a >= 0; a--) {
      counter[a]!++;
      pos += step[a]!;
      if (counter[a]! < t.shape[a]!) break;
      pos -= step[a]! * counter[a]!;
      counter[a] = 0;
    }
  }
  const shape = keepdims ? keptShape : t.shape.filter((_, i) => !reduced[i]);
  return { out: { data: out, shape }, count };
}

export function sum(t: ClearTensor, attrs: Attrs): ClearTensor {
  return fold("sum", t, attrs, 0, (acc, x) => acc + x).out;
}

export function mean(t: ClearTensor, attrs: Attrs): ClearTensor {
  const { out, count } = fold("mean", t, attrs, 0, (acc, x) => acc + x);
  for (let k = 0; k < out.data.length; k++) out.data[k] = out.data[k]! / count;
  return out;
}

// NaN propagates as in NumPy: once a NaN is seen the result stays NaN.
export function max(t: ClearTensor, attrs: Attrs): ClearTensor {
  return fold("max", t, attrs, -Infinity, (acc, x) => (acc > x || Number.isNaN(acc) ? acc : x)).out;
}

export function min(t: ClearTensor, attrs: Attrs): ClearTensor {
  return fold("min", t, attrs, Infinity, (acc, x) => (acc < x || Number.isNaN(acc) ? acc : x)).out;
}

/** Split a shape around one axis: [outer, len, inner] element counts. */
function around(shape: readonly number[], axis: number): [number, number, number] {
  return [size(shape.slice(0, axis)), shape[axis]!, size(shape.slice(axis + 1))];
}

/** Index of the maximum along `axis` (over all elements, flattened, when absent); first on ties. */
export function argmax(t: ClearTensor, attrs: Attrs): ClearTensor {
  const a = numberAttr("argmax", attrs, "axis");
  if (a === undefined) {
    if (t.data.length === 0) throw new ClearOpError("argmax", "cannot take argmax of an empty tensor");
    let best = 0;
    for (let k = 1; k < t.data.length; k++) if (t.data[k]! > t.data[best]!) best = k;
    return { data: Float64Array.of(best), shape: [] };
  }
  const axis = normAxis("argmax", a, t.shape.length);
  const [outer, len, inner] = around(t.shape, axis);
  if (len === 0) throw new ClearOpError("argmax", "cannot take argmax along an empty axis");
  const out = new Float64Array(outer * inner);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * len * inner + i;
      let best = 0;
      let bestV = t.data[base]!;
      for (let j = 1; j < len; j++) {
        const v = t.data[base + j * inner]!;
        if (v > bestV) {
          best = j;
          bestV = v;
        }
      }
      out[o * inner + i] = best;
    }
  }
  return { data: out, shape: t.shape.filter((_, i) => i !== axis) };
}

function softmaxLike(op: "softmax" | "log_softmax", t: ClearTensor, attrs: Attrs): ClearTensor {
  if (t.shape.length === 0) throw new ClearOpError(op, "needs at least one axis");
  const axis = normAxis(op, numberAttr(op, attrs, "axis", -1), t.shape.length);
  const [outer, len, inner] = around(t.shape, axis);
  const out = new Float64Array(t.data.length);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * len * inner + i;
      let m = -Infinity;
      for (let j = 0; j < len; j++) m = Math.max(m, t.data[base + j * inner]!);
      let z = 0;
      for (let j = 0; j < len; j++) z += Math.exp(t.data[base + j * inner]! - m);
      const logZ = Math.log(z);
      for (let j = 0; j < len; j++) {
        const k = base + j * inner;
        const shifted = t.data[k]! - m;
        out[k] = op === "softmax" ? Math.exp(shifted) / z : shifted - logZ;
      }
    }
  }
  return { data: out, shape: [...t.shape] };
}

export const softmax = (t: ClearTensor, attrs: Attrs): ClearTensor => softmaxLike("softmax", t, attrs);
export const logSoftmax = (t: ClearTensor, attrs: Attrs): ClearTensor => softmaxLike("log_softmax", t, attrs);
