// Losses in the clear (scalar results). mse and bce average over every element (for the usual
// [n, 1] predictions that is the mean over rows); cross_entropy sums over classes (the last
// axis) and averages over rows, as CrypTen and PyTorch do. bce clips probabilities to
// [1e-7, 1 - 1e-7] so a confident wrong prediction costs a large finite loss, never Infinity.

import { zipWith } from "./elementwise.js";
import { logSoftmax } from "./reduce.js";
import { type ClearTensor, ClearOpError, showShape } from "./tensor.js";

export const BCE_EPS = 1e-7;

function sameShape(op: string, a: ClearTensor, b: ClearTensor): void {
  if (a.shape.length !== b.shape.length || a.shape.some((d, i) => d !== b.shape[i])) {
    throw new ClearOpError(op, `predictions ${showShape(a.shape)} and targets ${showShape(b.shape)} differ in shape`);
  }
}

const meanOf = (t: ClearTensor): ClearTensor => {
  let s = 0;
  for (let k = 0; k < t.data.length; k++) s += t.data[k]!;
  return { data: Float64Array.of(s / t.data.length), shape: [] };
};

export function mse(p: ClearTensor, y: ClearTensor): ClearTensor {
  sameShape("mse", p, y);
  return meanOf(zipWith("mse", p, y, (a, b) => (a - b) * (a - b)));
}

export function bce(p: ClearTensor, y: ClearTensor): ClearTensor {
  sameShape("bce", p, y);
  return meanOf(
    zipWith("bce", p, y, (q, t) => {
      const c = Math.min(Math.max(q, BCE_EPS), 1 - BCE_EPS);
      return -(t * Math.log(c) + (1 - t) * Math.log(1 - c));
    }),
  );
}

/** Logits [n, classes] (or one row [classes]) against one-hot labels of the same shape. */
export function crossEntropy(logits: ClearTensor, onehot: ClearTensor): ClearTensor {
  sameShape("cross_entropy", logits, onehot);
  if (logits.shape.length === 0) throw new ClearOpError("cross_entropy", "logits need a class axis");
  const lsm = logSoftmax(logits, { axis: -1 });
  const rows = logits.shape.length === 1 ? 1 : logits.data.length / logits.shape[logits.shape.length - 1]!;
  let s = 0;
  for (let k = 0; k < lsm.data.length; k++) s -= onehot.data[k]! * lsm.data[k]!;
  return { data: Float64Array.of(s / rows), shape: [] };
}
