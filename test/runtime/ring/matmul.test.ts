// Every ring matmul implementation against a BigInt reference: random full-range values,
// worst-case constant fills, inner dimensions across the limb GEMM's 1024-wide chunks, and
// the vector and batched forms of ringMatmul run through each kernel.

import test from "ava";
import {
  type KernelName,
  type Matmul2d,
  forceRingKernel,
  loadTfjsKernel,
  loadWasmKernel,
  ringFromBigInts,
  ringKernel,
  ringMatmul,
  ringToBigInts,
  typedMatmul,
  LIMB_CHUNK,
} from "../../../runtime/ring/index.js";
import { initTf } from "../../../runtime/ring/tf.js";
import { EDGES, Rand, WORST_FILLS, refMatmul, u64 } from "./reference.js";

const NAMES: KernelName[] = ["typed", "tfjs", "wasm"];
const kernels = {} as Record<KernelName, Matmul2d>;

test.before(async () => {
  kernels.typed = typedMatmul;
  kernels.tfjs = await loadTfjsKernel();
  const wasm = await loadWasmKernel();
  if (!wasm) throw new Error("the WebAssembly ring kernel (runtime/ring/kernels/wasm-matmul.ts) did not load");
  kernels.wasm = wasm;
});

const big = (x: BigUint64Array): bigint[] => Array.from(x);
const arr = (v: readonly bigint[]): BigUint64Array => BigUint64Array.from(v.map(u64));

// random values with edge values sprinkled in
function mixed(r: Rand, n: number): bigint[] {
  return Array.from({ length: n }, (_, i) => (i % 5 === 0 ? EDGES[(i / 5) % EDGES.length]! : r.next()));
}

const SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [1, 7, 1],
  [3, 5, 7],
  [17, 33, 9],
  [40, 64, 48],
  [5, LIMB_CHUNK, 3],
  [3, LIMB_CHUNK + 1, 2],
  [2, 1031, 3],
];

for (const name of NAMES) {
  test(`${name}: 2-D products match BigInt on random and edge values`, (t) => {
    const f = kernels[name];
    const r = new Rand(name.length * 31);
    for (const [n, k, m] of SHAPES) {
      const a = mixed(r, n * k);
      const b = mixed(r, k * m);
      t.deepEqual(big(f(arr(a), arr(b), n, k, m)), refMatmul(a, b, n, k, m), `${n}x${k}x${m}`);
    }
  });

  test(`${name}: worst-case constant fills stay exact for k = 1031 and 2048`, (t) => {
    const f = kernels[name];
    const [n, m] = [3, 4];
    for (const k of [1031, 2048]) {
      for (const x of WORST_FILLS) {
        for (const y of [x, 0x8080808080808080n, 0x7f7f7f7f7f7f7f7fn]) {
          const got = f(new BigUint64Array(n * k).fill(x), new BigUint64Array(k * m).fill(y), n, k, m);
          const want = u64(BigInt(k) * x * y);
          t.true(
            got.every((v) => v === want),
            `k=${k} fill ${x.toString(16)} x ${y.toString(16)}`,
          );
        }
      }
    }
  });

  test(`${name}: ringMatmul vector, batched and broadcast-batch forms`, (t) => {
    forceRingKernel(name);
    try {
      const r = new Rand(99);
      const A = mixed(r, 4 * 6);
      const B = mixed(r, 6 * 5);
      const v6 = mixed(r, 6);
      // [k] @ [k, m] -> [m]
      let y = ringMatmul(ringFromBigInts(v6, [6]), ringFromBigInts(B, [6, 5]));
      t.deepEqual(y.shape, [5]);
      t.deepEqual(ringToBigInts(y), refMatmul(v6, B, 1, 6, 5));
      // [n, k] @ [k] -> [n]
      y = ringMatmul(ringFromBigInts(A, [4, 6]), ringFromBigInts(v6, [6]));
      t.deepEqual(y.shape, [4]);
      t.deepEqual(ringToBigInts(y), refMatmul(A, v6, 4, 6, 1));
      // [k] @ [k] -> []
      y = ringMatmul(ringFromBigInts(v6, [6]), ringFromBigInts(v6, [6]));
      t.deepEqual(y.shape, []);
      t.deepEqual(ringToBigInts(y), refMatmul(v6, v6, 1, 6, 1));
      // [B, n, k] @ [k, m] -> [B, n, m]
      const X = mixed(r, 3 * 4 * 6);
      y = ringMatmul(ringFromBigInts(X, [3, 4, 6]), ringFromBigInts(B, [6, 5]));
      t.deepEqual(y.shape, [3, 4, 5]);
      t.deepEqual(ringToBigInts(y), refMatmul(X, B, 12, 6, 5));
      // [B, n, k] @ [B, k, m] and broadcast batches [2, 1, n, k] @ [3, k, m] -> [2, 3, n, m]
      const Y = mixed(r, 3 * 6 * 5);
      y = ringMatmul(ringFromBigInts(X, [3, 4, 6]), ringFromBigInts(Y, [3, 6, 5]));
      t.deepEqual(y.shape, [3, 4, 5]);
      const want = [0, 1, 2].flatMap((i) => refMatmul(X.slice(i * 24, i * 24 + 24), Y.slice(i * 30, i * 30 + 30), 4, 6, 5));
      t.deepEqual(ringToBigInts(y), want);
      const X2 = X.slice(0, 2 * 24);
      y = ringMatmul(ringFromBigInts(X2, [2, 1, 4, 6]), ringFromBigInts(Y, [3, 6, 5]));
      t.deepEqual(y.shape, [2, 3, 4, 5]);
      const want2 = [0, 1].flatMap((i) => [0, 1, 2].flatMap((j) => refMatmul(X2.slice(i * 24, i * 24 + 24), Y.slice(j * 30, j * 30 + 30), 4, 6, 5)));
      t.deepEqual(ringToBigInts(y), want2);
      // [k] @ [B, k, m] -> [B, m]
      y = ringMatmul(ringFromBigInts(v6, [6]), ringFromBigInts(Y, [3, 6, 5]));
      t.deepEqual(y.shape, [3, 5]);
      t.deepEqual(ringToBigInts(y), [0, 1, 2].flatMap((j) => refMatmul(v6, Y.slice(j * 30, j * 30 + 30), 1, 6, 5)));
      t.throws(() => ringMatmul(ringFromBigInts(A, [4, 6]), ringFromBigInts(B, [5, 6])), {
        message: "ringMatmul: inner dimensions differ: [4, 6] @ [5, 6]",
      });
    } finally {
      forceRingKernel(undefined);
    }
  });
}

test("tfjs: a limb GEMM beyond 4 chunks is exact and every tfjs tensor is disposed", async (t) => {
  const { tf } = await initTf();
  const start = tf.memory().numTensors;
  const r = new Rand(5);
  const [n, k, m] = [2, 4099, 3];
  const a = mixed(r, n * k);
  const b = mixed(r, k * m);
  t.deepEqual(big(kernels.tfjs(arr(a), arr(b), n, k, m)), refMatmul(a, b, n, k, m));
  kernels.tfjs(new BigUint64Array(64).fill(1n), new BigUint64Array(64).fill(2n), 8, 8, 8);
  t.is(tf.memory().numTensors, start);
});

test("every loaded kernel is reported by ringKernel", (t) => {
  for (const name of NAMES) t.is(ringKernel(name), kernels[name]);
});
