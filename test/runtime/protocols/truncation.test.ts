// Truncation failure rates over 10^6 trials (one 10^6-element tensor each), against the bounds
// stated in runtime/protocols/spec/arithmetic.ts (`truncate`): 2 parties (local shifts) fail
// with probability (|x| + 1) / 2^64; n > 2 parties (dealer pair, open x + 2^62 + r) never fail
// for |x| < 2^62. A failure is any result other than floor(x / 2^f) or floor(x / 2^f) + 1.

import test from "ava";
import { randomRing } from "../../../runtime/random/index.js";
import { reconstruct, runLocal, signed, split } from "./helpers.js";

const N = 1_000_000;
const F = 16;

function failures(x: BigInt64Array, got: BigUint64Array): number {
  let bad = 0;
  const f = BigInt(F);
  for (let i = 0; i < x.length; i++) {
    const d = signed(got[i]!) - (x[i]! >> f);
    if (d !== 0n && d !== 1n) bad++;
  }
  return bad;
}

/** N signed values of magnitude exactly 2^k, random signs; or uniform in (-2^k, 2^k). */
function secrets(k: number, exact: boolean): BigInt64Array {
  const r = new BigInt64Array(randomRing(N).buffer);
  const out = new BigInt64Array(N);
  const mag = 1n << BigInt(k);
  for (let i = 0; i < N; i++) out[i] = exact ? (r[i]! < 0n ? -mag : mag) : r[i]! >> BigInt(63 - k);
  return out;
}

function twoParty(x: BigInt64Array): number {
  const sh = split({ data: new BigUint64Array(x.buffer), shape: [N] }, 2);
  const [z] = runLocal("trunc_local", 2, (i) => [sh[i]], { bits: F });
  return failures(x, reconstruct(z!).data);
}

test("2 parties: |x| = 2^60 fails at the predicted rate (|x| + 1) / 2^64 = 1/16", (t) => {
  const rate = twoParty(secrets(60, true)) / N;
  const p = 1 / 16;
  const sigma = Math.sqrt((p * (1 - p)) / N);
  t.true(Math.abs(rate - p) < 6 * sigma, `rate ${rate} vs ${p} (6 sigma = ${6 * sigma})`);
});

test("2 parties: |x| < 2^40 (a fixed-point product of magnitude below 2^8 at f = 16) fails at most at 2^-24", (t) => {
  // expected failures <= 10^6 * 2^-24 = 0.06; more than 3 has probability < 10^-6
  t.true(twoParty(secrets(40, false)) <= 3);
});

for (const n of [3, 4]) {
  test(`${n} parties: no failure over 10^6 trials with |x| < 2^62 (stated bound: 0)`, (t) => {
    const x = secrets(62, false);
    // the extremes of the range too
    x[0] = (1n << 62n) - 1n;
    x[1] = -((1n << 62n) - 1n);
    x[2] = 0n;
    x[3] = -1n;
    const r = randomRing(N);
    const msb = new BigUint64Array(N);
    const low = new BigUint64Array(N);
    for (let i = 0; i < N; i++) {
      msb[i] = r[i]! >> 63n;
      low[i] = (r[i]! & ((1n << 63n) - 1n)) >> BigInt(F);
    }
    const [xs, rs, ms, ls] = [new BigUint64Array(x.buffer), r, msb, low].map((d) => split({ data: d, shape: [N] }, n));
    const [masked] = runLocal("trunc_mask", n, (i) => [xs![i], rs![i]]);
    const m = reconstruct(masked!);
    const [z] = runLocal("trunc_unmask", n, (i) => [m, ms![i], ls![i]], { bits: F });
    t.is(failures(x, reconstruct(z!).data), 0);
  });
}

test("failure means a large error: a 2-party failure is off by about 2^(64-f)", (t) => {
  const x = secrets(62, true);
  const sh = split({ data: new BigUint64Array(x.buffer), shape: [N] }, 2);
  const [z] = runLocal("trunc_local", 2, (i) => [sh[i]], { bits: F });
  const got = reconstruct(z!).data;
  let big = 0;
  let bad = 0;
  for (let i = 0; i < N; i++) {
    const d = signed(got[i]!) - (x[i]! >> BigInt(F));
    if (d !== 0n && d !== 1n) {
      bad++;
      const e = d < 0n ? -d : d;
      if (e >= (1n << 47n) && e <= (1n << 48n) + 1n) big++;
    }
  }
  t.true(bad > 0);
  t.is(big, bad);
});
