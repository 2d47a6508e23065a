// Matrix product in the clear with NumPy `matmul` semantics: a 1-d left operand is a row
// vector and a 1-d right operand a column vector (the added axis is removed from the result),
// and leading (batch) axes broadcast. Scalars are rejected, as in NumPy.

import { broadcastIndex, broadcastShapes, type ClearTensor, ClearOpError, showShape, size } from "./tensor.js";

export function matmul(a: ClearTensor, b: ClearTensor): ClearTensor {
  if (a.shape.length === 0 || b.shape.length === 0) throw new ClearOpError("matmul", "operands must have at least one axis");
  const aShape = a.shape.length === 1 ? [1, a.shape[0]!] : a.shape;
  const bShape = b.shape.length === 1 ? [b.shape[0]!, 1] : b.shape;
  const m = aShape[aShape.length - 2]!;
  const k = aShape[aShape.length - 1]!;
  const k2 = bShape[bShape.length - 2]!;
  const n = bShape[bShape.length - 1]!;
  if (k !== k2) throw new ClearOpError("matmul", `cannot multiply ${showShape(a.shape)} by ${showShape(b.shape)}`);
  const aBatch = aShape.slice(0, -2);
  const bBatch = bShape.slice(0, -2);
  const batch = broadcastShapes("matmul", aBatch, bBatch);
  const nb = size(batch);
  // Index of each batch entry into the operands' batch axes.
  const ia = broadcastIndex(aBatch, batch);
  const ib = broadcastIndex(bBatch, batch);
  const out = new Float64Array(nb * m * n);
  const row = new Float64Array(n);
  for (let t = 0; t < nb; t++) {
    const aOff = (ia === null ? t : ia[t]!) * m * k;
    const bOff = (ib === null ? t : ib[t]!) * k * n;
    const oOff = t * m * n;
    for (let i = 0; i < m; i++) {
      row.fill(0);
      // i-k-j order: streams rows of b, the cache-friendly loop for row-major data.
      for (let p = 0; p < k; p++) {
        const x = a.data[aOff + i * k + p]!;
        const bRow = bOff + p * n;
        for (let j = 0; j < n; j++) row[j] += x * b.data[bRow + j]!;
      }
      out.set(row, oOff + i * n);
    }
  }
  const shape = [...batch, ...(a.shape.length === 1 ? [] : [m]), ...(b.shape.length === 1 ? [] : [n])];
  return { data: out, shape };
}
