import test from "ava";
import {
  type RingTensor,
  ringAdd,
  ringAddInPlace,
  ringAddScalar,
  ringAnd,
  ringFromBigInts,
  ringMul,
  ringMulScalar,
  ringNeg,
  ringNot,
  ringOr,
  ringScalar,
  ringShiftLeft,
  ringShiftRightArith,
  ringShiftRightLogical,
  ringSub,
  ringSubInPlace,
  ringToBigInts,
  ringXor,
  ringFromNumbers,
  ringZeros,
} from "../../../runtime/ring/index.js";
import { EDGES, M64, Rand, refBinary, s64, u64 } from "./reference.js";

// Every pair of edge values, then random full-range values: a and b of equal length.
function pairs(seed: number, extra = 2000): { a: bigint[]; b: bigint[] } {
  const a: bigint[] = [];
  const b: bigint[] = [];
  for (const x of EDGES) for (const y of EDGES) a.push(x), b.push(y);
  const r = new Rand(seed);
  for (let i = 0; i < extra; i++) a.push(r.next()), b.push(r.next());
  return { a, b };
}

const BINARY: [string, (a: RingTensor, b: RingTensor) => RingTensor, (x: bigint, y: bigint) => bigint][] = [
  ["add", ringAdd, (x, y) => x + y],
  ["sub", ringSub, (x, y) => x - y],
  ["mul", ringMul, (x, y) => x * y],
  ["and", ringAnd, (x, y) => x & y],
  ["xor", ringXor, (x, y) => x ^ y],
  ["or", ringOr, (x, y) => x | y],
];

for (const [name, op, ref] of BINARY) {
  test(`${name} matches BigInt on edge pairs and random values`, (t) => {
    const { a, b } = pairs(name.length);
    const out = op(ringFromBigInts(a, [a.length]), ringFromBigInts(b, [b.length]));
    t.deepEqual(out.shape, [a.length]);
    t.deepEqual(ringToBigInts(out), a.map((x, i) => u64(ref(x, b[i]!))));
  });

  test(`${name} broadcasts like NumPy`, (t) => {
    const r = new Rand(7);
    const cases: [number[], number[]][] = [
      [[3, 1, 4], [2, 1]],
      [[2, 3], [3]],
      [[2, 3], []],
      [[], [4, 2]],
      [[1, 5], [4, 1]],
      [[2, 1, 3, 1], [1, 4, 1, 2]],
      [[0, 3], [3]],
    ];
    for (const [as, bs] of cases) {
      const av = r.values(as.reduce((p, q) => p * q, 1));
      const bv = r.values(bs.reduce((p, q) => p * q, 1));
      const want = refBinary(av, as, bv, bs, ref);
      const got = op(ringFromBigInts(av, as), ringFromBigInts(bv, bs));
      t.deepEqual(got.shape, want.shape, `[${as}] with [${bs}]`);
      t.deepEqual(ringToBigInts(got), want.values, `[${as}] with [${bs}]`);
    }
  });
}

test("incompatible shapes are rejected with both shapes named", (t) => {
  const e = t.throws(() => ringAdd(ringZeros([2, 3]), ringZeros([4])));
  t.is(e?.message, "shapes [2, 3] and [4] do not broadcast");
});

test("neg and not match BigInt", (t) => {
  const { a } = pairs(3);
  const x = ringFromBigInts(a, [a.length]);
  t.deepEqual(ringToBigInts(ringNeg(x)), a.map((v) => u64(-v)));
  t.deepEqual(ringToBigInts(ringNot(x)), a.map((v) => v ^ M64));
});

test("mulScalar and addScalar by public constants, negative ones included", (t) => {
  const { a } = pairs(4, 300);
  const x = ringFromBigInts(a, [a.length]);
  for (const c of [0n, 1n, -1n, 1n << 63n, 1n << 32n, 65536n, -65536n, 0x7f7f7f7f7f7f7f7fn, 3n]) {
    t.deepEqual(ringToBigInts(ringMulScalar(x, c)), a.map((v) => u64(v * c)), `mul ${c}`);
    t.deepEqual(ringToBigInts(ringAddScalar(x, c)), a.map((v) => u64(v + c)), `add ${c}`);
  }
});

const SHIFTS = [0, 1, 7, 8, 15, 16, 17, 31, 32, 33, 48, 63];
test("shifts match BigInt for every k in {0,1,7,8,15,16,17,31,32,33,48,63}", (t) => {
  const { a } = pairs(5, 500);
  const x = ringFromBigInts(a, [a.length]);
  for (const k of SHIFTS) {
    const K = BigInt(k);
    t.deepEqual(ringToBigInts(ringShiftRightArith(x, k)), a.map((v) => u64(s64(v) >> K)), `sar ${k}`);
    t.deepEqual(ringToBigInts(ringShiftRightLogical(x, k)), a.map((v) => v >> K), `shr ${k}`);
    t.deepEqual(ringToBigInts(ringShiftLeft(x, k)), a.map((v) => u64(v << K)), `shl ${k}`);
  }
});

test("shift amounts outside 0..63 are rejected", (t) => {
  t.throws(() => ringShiftLeft(ringZeros([1]), 64), { message: "shift amount 64 is outside 0..63" });
  t.throws(() => ringShiftRightArith(ringZeros([1]), -1), { message: "shift amount -1 is outside 0..63" });
});

test("in-place add/sub accumulate exactly and return the accumulator", (t) => {
  const { a, b } = pairs(6, 100);
  const acc = ringFromBigInts(a, [a.length]);
  const y = ringFromBigInts(b, [b.length]);
  t.is(ringAddInPlace(acc, y), acc);
  t.deepEqual(ringToBigInts(acc), a.map((v, i) => u64(v + b[i]!)));
  ringSubInPlace(acc, y);
  ringSubInPlace(acc, y);
  t.deepEqual(ringToBigInts(acc), a.map((v, i) => u64(v - b[i]!)));
  t.throws(() => ringAddInPlace(ringZeros([2]), ringZeros([3])), { message: "ringAddInPlace: shapes [2] and [3] differ" });
});

test("construction: reduction mod 2^64, signed read-back, scalars, numbers", (t) => {
  const x = ringFromBigInts([-1n, 1n << 64n, (1n << 64n) + 5n, -(1n << 63n)], [2, 2]);
  t.deepEqual(ringToBigInts(x), [M64, 0n, 5n, 1n << 63n]);
  t.deepEqual(ringToBigInts(x, true), [-1n, 0n, 5n, -(1n << 63n)]);
  const s = ringScalar(-3n);
  t.deepEqual(s.shape, []);
  t.deepEqual(ringToBigInts(s, true), [-3n]);
  t.deepEqual(ringToBigInts(ringFromNumbers([-2, 9007199254740991], [2]), true), [-2n, 9007199254740991n]);
  t.throws(() => ringFromBigInts([1n], [2]), { message: "1 values do not fill shape [2] (2 elements)" });
  t.throws(() => ringFromNumbers([0.5], [1]));
});
