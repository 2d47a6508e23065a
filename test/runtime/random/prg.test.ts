import test from "ava";
import { createCipheriv, createHash } from "node:crypto";
import { Prg, labelIv, prgLabel, randomRing, randomRingTensor, randomSeed, zeroShare } from "../../../runtime/random/index.js";

const seedA = Uint8Array.from({ length: 16 }, (_, i) => i * 7 + 1);
const seedB = Uint8Array.from({ length: 16 }, (_, i) => 255 - i);

test("randomSeed gives 16 fresh bytes", (t) => {
  const a = randomSeed();
  const b = randomSeed();
  t.is(a.length, 16);
  t.notDeepEqual(a, b);
});

test("the stream is AES-128-CTR keyed by the seed with IV = SHA-256(label)[0..16)", (t) => {
  const label = "node 17/iter 3/triple_mul";
  const iv = createHash("sha256").update(label).digest().subarray(0, 16);
  t.deepEqual(labelIv(label), iv);
  const want = createCipheriv("aes-128-ctr", seedA, iv).update(Buffer.alloc(100));
  t.deepEqual(Buffer.from(new Prg(seedA, label).bytes(100)), want);
});

test("same (seed, label) gives the same stream; reads continue it across calls and chunks", (t) => {
  const p1 = new Prg(seedA, "x");
  const p2 = new Prg(seedA, "x");
  const whole = p1.ring(300_000); // crosses the 1 MiB keystream chunk
  const parts = [p2.ring(5), p2.ring(131_067), p2.ring(168_928)];
  t.deepEqual(BigUint64Array.from(parts.flatMap((p) => Array.from(p))), whole);
  const p3 = new Prg(seedA, "x");
  const bytes = p3.bytes(16);
  t.deepEqual(new Uint8Array(whole.buffer, 0, 16), bytes);
});

test("different labels or seeds give different streams", (t) => {
  const a = new Prg(seedA, "node 1").ring(64);
  t.notDeepEqual(new Prg(seedA, "node 2").ring(64), a);
  t.notDeepEqual(new Prg(seedB, "node 1").ring(64), a);
  t.throws(() => new Prg(new Uint8Array(8), "x"), { message: "PRG seed must be 16 bytes, got 8" });
});

for (const parties of [2, 3, 4]) {
  test(`zero shares of ${parties} parties sum to 0 mod 2^64 and look random`, (t) => {
    const names = ["alice", "bob", "carol", "dave"].slice(0, parties);
    // one seed per unordered pair, known to both parties of the pair
    const pair = new Map<string, Uint8Array>();
    for (const a of names) for (const b of names) if (a < b) pair.set(`${a}|${b}`, randomSeed());
    const seedsOf = (me: string): Map<string, Uint8Array> =>
      new Map(names.filter((p) => p !== me).map((p) => [p, pair.get(me < p ? `${me}|${p}` : `${p}|${me}`)!]));
    const n = 1000;
    const shares = names.map((me) => zeroShare(seedsOf(me), me, "node 9", n));
    for (let i = 0; i < n; i++) {
      let s = 0n;
      for (const sh of shares) s += sh[i]!;
      t.is(BigInt.asUintN(64, s), 0n);
    }
    // a single share is not zero and differs per label
    t.true(shares[0]!.some((v) => v !== 0n));
    t.notDeepEqual(zeroShare(seedsOf(names[0]!), names[0]!, "node 10", n), shares[0]);
  });
}

// Chi-square thresholds at significance 1e-6 by the Wilson-Hilferty approximation: a correct
// generator fails one run in a million; the biased streams below exceed it by far.
function chiSquareThreshold(df: number): number {
  const z = 4.753; // upper 1e-6 quantile of N(0, 1)
  const a = 2 / (9 * df);
  return df * (1 - a + z * Math.sqrt(a)) ** 3;
}

function byteChiSquare(bytes: Uint8Array): number {
  const counts = new Float64Array(256);
  for (const b of bytes) counts[b]!++;
  const e = bytes.length / 256;
  let chi = 0;
  for (const c of counts) chi += (c - e) ** 2 / e;
  return chi;
}

/** Chi-square over the 64 bit positions of ring elements (ones against zeros, df = 64). */
function bitChiSquare(xs: BigUint64Array): number {
  const w = new Uint32Array(xs.buffer, xs.byteOffset, xs.length * 2);
  const ones = new Float64Array(64);
  for (let i = 0; i < xs.length; i++) {
    const lo = w[2 * i]!;
    const hi = w[2 * i + 1]!;
    for (let b = 0; b < 32; b++) {
      ones[b]! += (lo >>> b) & 1;
      ones[32 + b]! += (hi >>> b) & 1;
    }
  }
  let chi = 0;
  for (const o of ones) chi += (4 * (o - xs.length / 2) ** 2) / xs.length;
  return chi;
}

test("chi-square: PRG and system randomness have uniform bytes and unbiased bits", (t) => {
  t.is(Math.round(chiSquareThreshold(255)), 377);
  t.is(Math.round(chiSquareThreshold(64)), 133);
  const streams: [string, BigUint64Array][] = [
    ["prg", new Prg(seedB, "uniformity").ring(1 << 17)],
    ["system", randomRing(1 << 17)],
    ["tensor", randomRingTensor([256, 512], new Prg(seedA, "t")).data],
  ];
  for (const [name, xs] of streams) {
    t.true(byteChiSquare(new Uint8Array(xs.buffer)) < chiSquareThreshold(255), `${name} bytes`);
    t.true(bitChiSquare(xs) < chiSquareThreshold(64), `${name} bits`);
  }
  // the statistics do detect bias: a byte stream that never yields 0, one bit 5% off balance
  const bytes = new Uint8Array(new Prg(seedB, "biased").bytes(1 << 20));
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === 0) bytes[i] = 1;
  t.true(byteChiSquare(bytes) > chiSquareThreshold(255));
  const xs = new Prg(seedB, "biased bits").ring(1 << 17);
  for (let i = 0; i < xs.length; i += 10) xs[i] = xs[i]! | 1n;
  t.true(bitChiSquare(xs) > chiSquareThreshold(64));
});

test("prgLabel keeps part lists apart that plain joining would merge", (t) => {
  t.is(prgLabel("triple_mul", 17, 3), '["triple_mul",17,3]');
  t.not(prgLabel("a/b", "c"), prgLabel("a", "b/c"));
  t.not(prgLabel("1", 2), prgLabel(1, 2));
});
