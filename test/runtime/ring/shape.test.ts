import test from "ava";
import {
  ringBroadcastTo,
  ringConcat,
  ringFromBigInts,
  ringIm2col,
  ringMatmul,
  ringReshape,
  ringSlice,
  ringStack,
  ringSum,
  ringToBigInts,
  ringTranspose,
  ringZeros,
} from "../../../runtime/ring/index.js";
import { EDGES, Rand, atBroadcast, ravel, sizeOf, u64, unravel } from "./reference.js";

const SHAPE = [3, 4, 5];
// random values with the edge values mixed in, so sums carry through every limb
function values(seed: number, n: number): bigint[] {
  const r = new Rand(seed);
  return Array.from({ length: n }, (_, i) => (i % 3 === 0 ? EDGES[i % EDGES.length]! : r.next()));
}

test("sum over all elements and over each axis, with and without keepdims", (t) => {
  const v = values(1, sizeOf(SHAPE));
  const x = ringFromBigInts(v, SHAPE);
  const all = ringSum(x);
  t.deepEqual(all.shape, []);
  t.deepEqual(ringToBigInts(all), [u64(v.reduce((a, b) => a + b, 0n))]);
  t.deepEqual(ringSum(x, undefined, true).shape, [1, 1, 1]);
  for (const axis of [0, 1, 2, -1]) {
    const ax = axis < 0 ? axis + 3 : axis;
    const outShape = SHAPE.filter((_, i) => i !== ax);
    const want = Array.from({ length: sizeOf(outShape) }, (_, o) => {
      const idx = unravel(o, outShape);
      let s = 0n;
      for (let r = 0; r < SHAPE[ax]!; r++) s += v[ravel([...idx.slice(0, ax), r, ...idx.slice(ax)], SHAPE)]!;
      return u64(s);
    });
    const got = ringSum(x, axis);
    t.deepEqual(got.shape, outShape, `axis ${axis}`);
    t.deepEqual(ringToBigInts(got), want, `axis ${axis}`);
    const kept = ringSum(x, axis, true);
    t.deepEqual(kept.shape, SHAPE.map((d, i) => (i === ax ? 1 : d)));
    t.deepEqual(ringToBigInts(kept), want);
  }
  t.throws(() => ringSum(x, 3), { message: "ringSum: axis 3 is out of range for rank 3" });
});

test("transpose: default reverses axes; every permutation of a 3-D tensor; 2-D blocked path", (t) => {
  const v = values(2, sizeOf(SHAPE));
  const x = ringFromBigInts(v, SHAPE);
  const perms = [
    [0, 1, 2],
    [0, 2, 1],
    [1, 0, 2],
    [1, 2, 0],
    [2, 0, 1],
    [2, 1, 0],
  ];
  for (const p of perms) {
    const got = ringTranspose(x, p);
    const shape = p.map((d) => SHAPE[d]!);
    t.deepEqual(got.shape, shape);
    const want = Array.from({ length: v.length }, (_, o) => {
      const idx = unravel(o, shape);
      const src = new Array<number>(3);
      p.forEach((d, i) => (src[d] = idx[i]!));
      return v[ravel(src, SHAPE)]!;
    });
    t.deepEqual(ringToBigInts(got), want, `perm ${p}`);
  }
  t.deepEqual(ringToBigInts(ringTranspose(x)), ringToBigInts(ringTranspose(x, [2, 1, 0])));
  // 2-D with sizes that do not divide the 32-wide blocks
  const [n, m] = [37, 70];
  const w = values(3, n * m);
  const y = ringTranspose(ringFromBigInts(w, [n, m]));
  t.deepEqual(y.shape, [m, n]);
  t.deepEqual(ringToBigInts(y), Array.from({ length: n * m }, (_, o) => w[(o % n) * m + Math.floor(o / n)]!));
  t.throws(() => ringTranspose(x, [0, 0, 1]), { message: "ringTranspose: [0, 0, 1] is not a permutation of 3 axes" });
});

test("reshape keeps the data (one -1 inferred) and rejects a wrong size", (t) => {
  const v = values(4, 24);
  const x = ringFromBigInts(v, [2, 3, 4]);
  const y = ringReshape(x, [4, -1]);
  t.deepEqual(y.shape, [4, 6]);
  t.deepEqual(ringToBigInts(y), v);
  t.throws(() => ringReshape(x, [5, 5]), { message: "ringReshape: cannot reshape [2, 3, 4] (24 elements) to [5, 5]" });
  t.throws(() => ringReshape(x, [-1, -1]));
});

test("broadcastTo repeats along size-1 and new leading axes", (t) => {
  const v = values(5, 6);
  for (const [from, to] of [
    [[3, 1, 2], [2, 3, 4, 2]],
    [[6], [2, 6]],
    [[1], [3, 2]],
    [[3, 2], [3, 2]],
  ] as [number[], number[]][]) {
    const src = v.slice(0, sizeOf(from));
    const got = ringBroadcastTo(ringFromBigInts(src, from), to);
    t.deepEqual(got.shape, to);
    t.deepEqual(ringToBigInts(got), Array.from({ length: sizeOf(to) }, (_, o) => atBroadcast(src, from, unravel(o, to))));
  }
  t.throws(() => ringBroadcastTo(ringZeros([3]), [4]), { message: "cannot broadcast [3] to [4]" });
});

test("slice: ranges keep an axis, an index drops it, negatives count from the end", (t) => {
  const v = values(6, sizeOf(SHAPE));
  const x = ringFromBigInts(v, SHAPE);
  const at = (i: number, j: number, k: number): bigint => v[ravel([i, j, k], SHAPE)]!;
  const a = ringSlice(x, [[1, 3], 2, [1, 4]]);
  t.deepEqual(a.shape, [2, 3]);
  t.deepEqual(ringToBigInts(a), [at(1, 2, 1), at(1, 2, 2), at(1, 2, 3), at(2, 2, 1), at(2, 2, 2), at(2, 2, 3)]);
  const b = ringSlice(x, [-1]);
  t.deepEqual(b.shape, [4, 5]);
  t.deepEqual(ringToBigInts(b), v.slice(40, 60));
  const c = ringSlice(x, [0, 1, 4]);
  t.deepEqual(c.shape, []);
  t.deepEqual(ringToBigInts(c), [at(0, 1, 4)]);
  const d = ringSlice(x, [[0, 3], [-2, 4], 0]);
  t.deepEqual(d.shape, [3, 2]);
  t.deepEqual(ringToBigInts(d), [at(0, 2, 0), at(0, 3, 0), at(1, 2, 0), at(1, 3, 0), at(2, 2, 0), at(2, 3, 0)]);
  t.deepEqual(ringSlice(x, [[2, 2]]).shape, [0, 4, 5]);
  t.throws(() => ringSlice(x, [3]), { message: "ringSlice: index 3 is out of range for axis 0 of size 3" });
  t.throws(() => ringSlice(x, [[0, 4]]), { message: "ringSlice: range [0, 4) is out of range for axis 0 of size 3" });
});

test("concat along every axis and stack along a new one", (t) => {
  const a = values(7, 2 * 3 * 4);
  const b = values(8, 2 * 3 * 4);
  const ta = ringFromBigInts(a, [2, 3, 4]);
  const tb = ringFromBigInts(b, [2, 3, 4]);
  for (const axis of [0, 1, 2]) {
    const got = ringConcat([ta, tb], axis);
    const shape = [2, 3, 4].map((d, i) => (i === axis ? 2 * d : d));
    t.deepEqual(got.shape, shape);
    const want = Array.from({ length: sizeOf(shape) }, (_, o) => {
      const idx = unravel(o, shape);
      const half = [2, 3, 4][axis]!;
      const src = idx[axis]! < half ? a : b;
      idx[axis] = idx[axis]! % half;
      return src[ravel(idx, [2, 3, 4])]!;
    });
    t.deepEqual(ringToBigInts(got), want, `axis ${axis}`);
  }
  // unequal lengths along the axis
  const c = ringConcat([ringFromBigInts(a.slice(0, 6), [2, 3]), ringFromBigInts(b.slice(0, 2), [2, 1])], 1);
  t.deepEqual(ringToBigInts(c), [a[0], a[1], a[2], b[0], a[3], a[4], a[5], b[1]] as bigint[]);
  for (const axis of [0, 1, 2, 3]) {
    const got = ringStack([ta, tb], axis);
    const shape = [2, 3, 4];
    shape.splice(axis, 0, 2);
    t.deepEqual(got.shape, shape);
    const want = Array.from({ length: sizeOf(shape) }, (_, o) => {
      const idx = unravel(o, shape);
      const [which] = idx.splice(axis, 1);
      return (which === 0 ? a : b)[ravel(idx, [2, 3, 4])]!;
    });
    t.deepEqual(ringToBigInts(got), want, `stack axis ${axis}`);
  }
  t.throws(() => ringConcat([ta, ringZeros([2, 4, 4])], 2), { message: "ringConcat: shapes [2, 3, 4] and [2, 4, 4] differ outside axis 2" });
});

test("im2col + matmul computes conv2d (NCHW, stride, zero padding) exactly", (t) => {
  const r = new Rand(9);
  for (const [N, C, H, W, OC, kh, kw, stride, pad] of [
    [2, 3, 6, 5, 4, 3, 3, 1, 1],
    [1, 2, 7, 7, 3, 2, 3, 2, 0],
    [1, 1, 5, 6, 2, 3, 2, [2, 1], [1, 0]],
  ] as [number, number, number, number, number, number, number, number | [number, number], number | [number, number]][]) {
    const [sh, sw] = typeof stride === "number" ? [stride, stride] : stride;
    const [ph, pw] = typeof pad === "number" ? [pad, pad] : pad;
    const xv = r.values(N * C * H * W);
    const wv = r.values(OC * C * kh * kw);
    const OH = Math.floor((H + 2 * ph - kh) / sh) + 1;
    const OW = Math.floor((W + 2 * pw - kw) / sw) + 1;
    const cols = ringIm2col(ringFromBigInts(xv, [N, C, H, W]), kh, kw, stride, pad);
    t.deepEqual(cols.shape, [N, OH * OW, C * kh * kw]);
    const wt = ringTranspose(ringFromBigInts(wv, [OC, C * kh * kw]));
    const y = ringTranspose(ringReshape(ringMatmul(cols, wt), [N, OH, OW, OC]), [0, 3, 1, 2]);
    const want: bigint[] = [];
    for (let n = 0; n < N; n++)
      for (let o = 0; o < OC; o++)
        for (let i = 0; i < OH; i++)
          for (let j = 0; j < OW; j++) {
            let s = 0n;
            for (let c = 0; c < C; c++)
              for (let a = 0; a < kh; a++)
                for (let b = 0; b < kw; b++) {
                  const h = i * sh - ph + a;
                  const w = j * sw - pw + b;
                  if (h < 0 || h >= H || w < 0 || w >= W) continue;
                  s += xv[ravel([n, c, h, w], [N, C, H, W])]! * wv[ravel([o, c, a, b], [OC, C, kh, kw])]!;
                }
            want.push(u64(s));
          }
    t.deepEqual(y.shape, [N, OC, OH, OW]);
    t.deepEqual(ringToBigInts(y), want);
  }
});
