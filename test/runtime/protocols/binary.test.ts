// Binary sharing: the bit-slicing helpers against naive bit loops, the dealer's binary items
// (bin_triple, bin_poly, a2b_mask, rand_bits) consistent when the parties' shares are combined,
// the masked GF(2) polynomial evaluation against direct evaluation, and A2B / B2A / AND run as
// protocols (every party and the dealer in this thread) against BigInt, for 2 and 3 parties
// and both adder radixes.

import test from "ava";
import { makeCorrections, partyShares } from "../../../runtime/dealer/index.js";
import { runInThread } from "../../../runtime/executor/index.js";
import { onehotTables, transposeBlock } from "../../../runtime/protocols/local/bitslice.js";
import { planPoly } from "../../../runtime/protocols/spec/binary-tables.js";
import { a2b, andBinary, b2aBits, bitDecompose, notBinary, polyBinary, xorBinary } from "../../../runtime/protocols/spec/binary.js";
import { revealTo } from "../../../runtime/protocols/spec/arithmetic.js";
import { randomRing, randomSeed } from "../../../runtime/random/index.js";
import { buildPlan, tensor } from "../executor/plans.js";
import { runLocal } from "./helpers.js";

const bit = (w: bigint, i: number): bigint => (w >> BigInt(i)) & 1n;

/** XOR shares of x among n parties (uniform except the last). */
function xorSplit(x: BigUint64Array, n: number): BigUint64Array[] {
  const shares: BigUint64Array[] = [];
  const last = x.slice();
  for (let i = 0; i < n - 1; i++) {
    const r = randomRing(x.length);
    for (let k = 0; k < r.length; k++) last[k] = last[k]! ^ r[k]!;
    shares.push(r);
  }
  shares.push(last);
  return shares;
}

const xorAll = (shares: readonly BigUint64Array[]): BigUint64Array => {
  const out = new BigUint64Array(shares[0]!.length);
  for (const s of shares) for (let k = 0; k < out.length; k++) out[k] = out[k]! ^ s[k]!;
  return out;
};
const sumAll = (shares: readonly BigUint64Array[]): BigUint64Array => {
  const out = new BigUint64Array(shares[0]!.length);
  for (const s of shares) for (let k = 0; k < out.length; k++) out[k] = BigInt.asUintN(64, out[k]! + s[k]!);
  return out;
};

test("transposeBlock: bit b of element l becomes lane l of vertical word b (partial blocks read zeros)", (t) => {
  for (const n of [64, 100, 37]) {
    const h = randomRing(n);
    const src = new Int32Array(h.buffer);
    for (let blk = 0; blk * 64 < n; blk++) {
      const v = new Int32Array(128);
      transposeBlock(src, 64 * blk, n, v);
      const words = new BigUint64Array(v.buffer);
      for (let b = 0; b < 64; b++) {
        for (let l = 0; l < 64; l++) {
          const k = 64 * blk + l;
          const want = k < n ? bit(h[k]!, b) : 0n;
          if (bit(words[b]!, l) !== want) return t.fail(`n ${n} block ${blk} bit ${b} lane ${l}`);
        }
      }
    }
  }
  t.pass();
});

test("onehotTables: lane l of table (w, j, v) is set exactly when chunk j of element 64w + l is v", (t) => {
  const n = 150;
  const r = randomRing(n);
  r[0] = 0n;
  r[1] = (1n << 64n) - 1n;
  const h = onehotTables(r, n);
  for (let k = 0; k < n; k++) {
    const [w, l] = [Math.floor(k / 64), k % 64];
    for (let j = 0; j < 16; j++) {
      const chunk = Number((r[k]! >> BigInt(4 * j)) & 15n);
      for (let v = 0; v < 16; v++) {
        if (bit(h[(w * 16 + j) * 16 + v]!, l) !== (v === chunk ? 1n : 0n)) return t.fail(`element ${k} chunk ${j} value ${v}`);
      }
    }
  }
  t.pass();
});

for (const n of [2, 3]) {
  test(`dealer, ${n} parties: bin_triple c = a AND b, a2b_mask XOR shares = additive shares, rand_bits = the bits of s`, (t) => {
    const seeds = Array.from({ length: n }, () => randomSeed());
    const shares = (item: string, attrs: Record<string, unknown>) => {
      const corr = makeCorrections(item, attrs, "dealer/t", seeds);
      return seeds.map((s, i) => partyShares(item, attrs, "dealer/t", s, i === n - 1 ? corr : undefined, i).map((x) => x!.data));
    };
    const tri = shares("bin_triple", { shape: [300] });
    const [a, b, c] = [0, 1, 2].map((k) => xorAll(tri.map((p) => p[k]!)));
    t.true(c!.every((v, k) => v === (a![k]! & b![k]!)));
    const mask = shares("a2b_mask", { shape: [200] });
    t.deepEqual(xorAll(mask.map((p) => p[1]!)), sumAll(mask.map((p) => p[0]!)));
    const bits = [0, 7, 63];
    const rb = shares("rand_bits", { shape: [100], bits });
    const s = xorAll(rb.map((p) => p[0]!));
    const sb = sumAll(rb.map((p) => p[1]!));
    bits.forEach((i, j) => t.true(s.every((w, k) => sb[j * 100 + k] === bit(w, i)), `bit ${i}`));
  });

  test(`dealer, ${n} parties: bin_poly u_sets are the ANDs of the mask rows`, (t) => {
    const seeds = Array.from({ length: n }, () => randomSeed());
    const sets = [0b011, 0b101, 0b111, 0b1100];
    const attrs = { shape: [4, 50], sets };
    const corr = makeCorrections("bin_poly", attrs, "dealer/p", seeds);
    const per = seeds.map((s, i) => partyShares("bin_poly", attrs, "dealer/p", s, i === n - 1 ? corr : undefined, i).map((x) => x!.data));
    const u = xorAll(per.map((p) => p[0]!));
    const us = xorAll(per.map((p) => p[1]!));
    sets.forEach((set, j) => {
      for (let k = 0; k < 50; k++) {
        let want = (1n << 64n) - 1n;
        for (let r = 0; r < 4; r++) if (set & (1 << r)) want &= u[r * 50 + k]!;
        if (us[j * 50 + k] !== want) return t.fail(`set ${set} element ${k}`);
      }
    });
    t.pass();
  });

  test(`bin_poly, ${n} parties: the masked evaluation equals the polynomials of the inputs`, (t) => {
    const k = 5;
    const len = 40;
    // random polynomials with monomials of up to 4 inputs, and the constant 1
    const polys = [[0b00001, 0b00110, 0b11100, 0], [0b01111], [0b10000, 0b10001, 0b10011]];
    const plan = planPoly(k, polys);
    const x = randomRing(k * len);
    const u = randomRing(plan.rows.length * len);
    const us = new BigUint64Array(plan.sets.length * len);
    plan.sets.forEach((s, j) => {
      for (let q = 0; q < len; q++) {
        let v = (1n << 64n) - 1n;
        for (let r = 0; r < plan.rows.length; r++) if (s & (1 << r)) v &= u[r * len + q]!;
        us[j * len + q] = v;
      }
    });
    const e = new BigUint64Array(plan.rows.length * len);
    plan.rows.forEach((row, j) => {
      for (let q = 0; q < len; q++) e[j * len + q] = x[row * len + q]! ^ u[j * len + q]!;
    });
    const [uS, usS] = [xorSplit(u, n), xorSplit(us, n)];
    const [out] = runLocal("bin_poly", n, (i) => [{ data: e, shape: [plan.rows.length, len] }, { data: uS[i]!, shape: [plan.rows.length, len] }, { data: usS[i]!, shape: [plan.sets.length, len] }], {
      polys: plan.polys,
      sets: plan.sets,
    });
    const got = xorAll(out!.map((o) => o.data));
    polys.forEach((p, pi) => {
      for (let q = 0; q < len; q++) {
        let want = 0n;
        for (const m of p) {
          let term = (1n << 64n) - 1n;
          for (let r = 0; r < k; r++) if (m & (1 << r)) term &= x[r * len + q]!;
          want ^= term;
        }
        if (got[pi * len + q] !== want) return t.fail(`poly ${pi} element ${q}`);
      }
    });
    t.pass();
  });
}

/** Adversarial and random 64-bit values (as signed ints within the int input range, scaled
 *  up by shifts so the top bits are exercised). */
const VALUES = [0, -1, 1, 2 ** 52 - 1, -(2 ** 52), 12345, -98765, 2 ** 31, -(2 ** 31) - 1, 7, 2 ** 40 + 3, -(2 ** 45) + 11];

for (const [n, radix] of [
  [2, 2],
  [2, 4],
  [3, 2],
  [3, 4],
] as const) {
  test(`a2b then b2a of all 64 bits, radix ${radix}, ${n} parties: the bits of x (x * 2^11 wraps into the top bits)`, async (t) => {
    const parties = ["p0", "p1", "p2"].slice(0, n);
    const len = VALUES.length;
    const plan = buildPlan(parties, [{ party: "p0", name: "x", shape: [len], elem: "int" }], (b, [x]) => {
      const s = b.share(x!, "p0");
      const big = b.local("mul_const", [s], { value: 2048, bits: 0 }, [{ elem: "int", shape: [len] }])[0]!;
      const bits = bitDecompose(b, big, 64, { radix });
      bits.forEach((v, i) => b.output(revealTo(b, v, ["p0"]), `b${i}`, ["p0"]));
    });
    const run = await runInThread(plan, new Map([["p0.x", tensor(VALUES, [len])]]));
    const out = run.outputs.get("p0")!;
    VALUES.forEach((v, k) => {
      const w = BigInt.asUintN(64, BigInt(v) * 2048n);
      for (let i = 0; i < 64; i++) t.is(BigInt(out.get(`b${i}`)!.data[k]!), bit(w, i), `value ${v} bit ${i}`);
    });
  });
}

test("AND, XOR and NOT of binary shares, then B2A of chosen bits, 3 parties: as BigInt", async (t) => {
  const X = [0, -1, 5, 1 << 30, -77, 123456789];
  const Y = [-1, -1, 3, (1 << 30) + 1, 99, -5];
  const len = X.length;
  const bits = [0, 1, 2, 30, 40, 63];
  const plan = buildPlan(["p0", "p1", "p2"], [{ party: "p0", name: "x", shape: [len], elem: "int" }, { party: "p1", name: "y", shape: [len], elem: "int" }], (b, [x, y]) => {
    const xb = a2b(b, b.share(x!, "p0"));
    const yb = a2b(b, b.share(y!, "p1"));
    const and = andBinary(b, xb, yb);
    const xor = xorBinary(b, xb, yb);
    const not = notBinary(b, xb);
    const [both] = [polyBinary(b, b.local("stack", [xb, yb], { axis: 0 }, [{ elem: "int", shape: [2, len], kind: "binary" }])[0]!, [[0b11], [0b01, 0b10]])];
    for (const [name, v] of [["and", and], ["xor", xor], ["not", not]] as const) {
      b2aBits(b, v, bits).forEach((r, i) => b.output(revealTo(b, r, ["p2"]), `${name}${i}`, ["p2"]));
    }
    const rows = b.local("tree_split", [both], {}, [
      { elem: "int", shape: [1, len], kind: "binary" },
      { elem: "int", shape: [1, len], kind: "binary" },
    ]);
    b2aBits(b, rows[0]!, bits).forEach((r, i) => b.output(revealTo(b, r, ["p2"]), `pand${i}`, ["p2"]));
    b2aBits(b, rows[1]!, bits).forEach((r, i) => b.output(revealTo(b, r, ["p2"]), `pxor${i}`, ["p2"]));
  });
  const run = await runInThread(plan, new Map([["p0.x", tensor(X, [len])], ["p1.y", tensor(Y, [len])]]));
  const out = run.outputs.get("p2")!;
  X.forEach((xv, k) => {
    const [x, y] = [BigInt.asUintN(64, BigInt(xv)), BigInt.asUintN(64, BigInt(Y[k]!))];
    const want = { and: x & y, xor: x ^ y, not: BigInt.asUintN(64, ~x), pand: x & y, pxor: x ^ y };
    for (const [name, w] of Object.entries(want)) {
      bits.forEach((i, j) => t.is(BigInt(out.get(`${name}${j}`)!.data[k]!), bit(w, i), `${name} of element ${k}, bit ${i}`));
    }
  });
});
