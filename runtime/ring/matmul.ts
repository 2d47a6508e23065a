// Ring matmul over Z_2^64: the shape rules of `ringMatmul` (NumPy matmul: vectors, batches)
// and the exact typed-array kernel. Every 2-D product goes through `matmul2d`, which asks
// ./kernels.ts for the implementation chosen for that shape class (typed loop, tfjs
// float32-limb GEMM, or the WebAssembly kernel). All implementations are exact mod 2^64;
// they differ only in speed. Never converts ring values to floats outside the proven-exact
// limb GEMM.

import { chooseKernel } from "./kernels.js";
import { type RingTensor, broadcastShapes, size } from "./tensor.js";

export type { Matmul2d } from "./matmul-typed.js";
export { typedMatmul } from "./matmul-typed.js";
export { makeLimbMatmul, LIMB_CHUNK } from "./matmul-limbs.js";

/** One 2-D product through the kernel chosen for its shape. */
export function matmul2d(a: BigUint64Array, b: BigUint64Array, n: number, k: number, m: number): BigUint64Array {
  if (n === 0 || m === 0) return new BigUint64Array(n * m);
  if (k === 0) return new BigUint64Array(n * m);
  return chooseKernel(n, k, m)(a, b, n, k, m);
}

/**
 * a @ b with NumPy matmul semantics: [n,k]@[k,m] -> [n,m]; [k]@[k,m] -> [m]; [n,k]@[k] -> [n];
 * [k]@[k] -> []; batched [...,n,k]@[k,m] -> [...,n,m] (one 2-D product over all rows), and
 * [...,n,k]@[...,k,m] with broadcast batch dimensions.
 */
export function ringMatmul(a: RingTensor, b: RingTensor): RingTensor {
  const ra = a.shape.length;
  const rb = b.shape.length;
  if (ra === 0 || rb === 0) throw new RangeError("ringMatmul: operands must have rank >= 1 (use ringMul for scalars)");
  const as = ra === 1 ? [1, a.shape[0]!] : a.shape;
  const bs = rb === 1 ? [b.shape[0]!, 1] : b.shape;
  const n = as[as.length - 2]!;
  const k = as[as.length - 1]!;
  const k2 = bs[bs.length - 2]!;
  const m = bs[bs.length - 1]!;
  if (k !== k2) {
    throw new RangeError(`ringMatmul: inner dimensions differ: [${a.shape.join(", ")}] @ [${b.shape.join(", ")}]`);
  }
  const batchA = as.slice(0, -2);
  const batchB = bs.slice(0, -2);
  let batch: number[];
  let data: BigUint64Array;
  if (batchB.length === 0) {
    // every row of every batch of a against the one b: a single 2-D product
    batch = batchA;
    data = matmul2d(a.data, b.data, size(batchA) * n, k, m);
  } else {
    batch = broadcastShapes(batchA, batchB);
    const nb = size(batch);
    data = new BigUint64Array(nb * n * m);
    const idxA = batchIndex(batchA, batch);
    const idxB = batchIndex(batchB, batch);
    for (let t = 0; t < nb; t++) {
      const ao = idxA[t]! * n * k;
      const bo = idxB[t]! * k * m;
      data.set(matmul2d(a.data.subarray(ao, ao + n * k), b.data.subarray(bo, bo + k * m), n, k, m), t * n * m);
    }
  }
  const shape = [...batch];
  if (ra !== 1) shape.push(n);
  if (rb !== 1) shape.push(m);
  return { data, shape };
}

/** For each flat index of the broadcast batch shape, the flat batch index of an operand. */
function batchIndex(own: readonly number[], batch: readonly number[]): number[] {
  const nb = size(batch);
  const out = new Array<number>(nb);
  const off = batch.length - own.length;
  const idx = new Array<number>(batch.length).fill(0);
  for (let t = 0; t < nb; t++) {
    let f = 0;
    for (let d = 0; d < own.length; d++) f = f * own[d]! + (own[d] === 1 ? 0 : idx[off + d]!);
    out[t] = f;
    for (let d = batch.length - 1; d >= 0; d--) {
      if (++idx[d]! < batch[d]!) break;
      idx[d] = 0;
    }
  }
  return out;
}
