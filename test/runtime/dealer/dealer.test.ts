// The dealer's items are consistent (the parties' shares sum to a correlated tuple), each
// party's streams are uniform and independent of the others', only the last party receives
// anything (one correction per correlated output), and the stream is consumed in plan order.

import test from "ava";
import { MessageChannel } from "node:worker_threads";
import {
  DealerInbox,
  dealerSchedule,
  itemLayout,
  makeCorrections,
  partyShares,
  runDealer,
} from "../../../runtime/dealer/index.js";
import { dealerItemWireElements } from "../../../runtime/protocols/spec/dealer-items.js";
import { randomSeed } from "../../../runtime/random/index.js";
import { type RingTensor, ringMatmul, ringMul } from "../../../runtime/ring/index.js";
import { PortTransport } from "../../../runtime/transport/index.js";
import { buildPlan } from "../executor/plans.js";
import { mulSecret, truncate } from "../../../runtime/protocols/spec/arithmetic.js";
import { reconstruct, values } from "../protocols/helpers.js";
import { byteUniformity, chiSquareCritical, independence } from "../protocols/stats.js";

/** Every party's shares of one item, from fresh seeds, as the parties would derive them. */
function deal(item: string, attrs: Record<string, unknown>, n: number, label = "dealer/n1"): RingTensor[][] {
  const seeds = Array.from({ length: n }, () => randomSeed());
  const corrections = makeCorrections(item, attrs, label, seeds);
  return seeds.map((s, i) => partyShares(item, attrs, label, s, i === n - 1 ? corrections : undefined, i) as RingTensor[]);
}

/** Per output, the reconstructed value. */
function opened(shares: RingTensor[][]): RingTensor[] {
  return shares[0]!.map((_, k) => reconstruct(shares.map((p) => p[k]!)));
}

for (const n of [2, 3, 4]) {
  test(`triple_mul: c = a * b, same shape and broadcast (${n} parties)`, (t) => {
    const [a, b, c] = opened(deal("triple_mul", { shape: [50] }, n));
    t.deepEqual(values(c!), values(ringMul(a!, b!)));
    const [a2, b2, c2] = opened(deal("triple_mul", { a: [4, 1], b: [1, 3], c: [4, 3] }, n));
    t.deepEqual(c2!.shape, [4, 3]);
    t.deepEqual(values(c2!), values(ringMul(a2!, b2!)));
  });

  test(`square_pair: a2 = a * a (${n} parties)`, (t) => {
    const [a, a2] = opened(deal("square_pair", { shape: [3, 7] }, n));
    t.deepEqual(values(a2!), values(ringMul(a!, a!)));
  });

  test(`triple_matmul: C = A @ B (${n} parties)`, (t) => {
    const [A, B, C] = opened(deal("triple_matmul", { a: [5, 6], b: [6, 3], c: [5, 3] }, n));
    t.deepEqual(values(C!), values(ringMatmul(A!, B!)));
  });

  test(`trunc_pair: r_msb and r_low_shift of r (${n} parties)`, (t) => {
    const [r, msb, low] = opened(deal("trunc_pair", { shape: [200], bits: 16 }, n));
    t.deepEqual(values(msb!), values(r!).map((v) => v >> 63n));
    t.deepEqual(values(low!), values(r!).map((v) => (v & ((1n << 63n) - 1n)) >> 16n));
  });
}

test("each party's shares are uniform and independent of every other party's and of the correction", (t) => {
  const len = 200_000;
  const shares = deal("triple_mul", { shape: [len] }, 3);
  const crit255 = chiSquareCritical(255);
  const crit225 = chiSquareCritical(225);
  for (let i = 0; i < 3; i++) {
    for (let k = 0; k < 3; k++) t.true(byteUniformity(shares[i]![k]!.data) < crit255, `party ${i} output ${k} uniform`);
  }
  // a party's a and b streams, and different parties' a streams, are independent
  t.true(independence(shares[0]![0]!.data, shares[0]![1]!.data, 4) < crit225);
  t.true(independence(shares[0]![0]!.data, shares[1]![0]!.data, 4) < crit225);
  // the last party's c (the correction) is independent of its own a and of party 0's c
  t.true(independence(shares[2]![2]!.data, shares[2]![0]!.data, 4) < crit225);
  t.true(independence(shares[2]![2]!.data, shares[0]![2]!.data, 4) < crit225);
});

test("owned masks: a is its owner's stream alone, b its owner's, the others get nothing, c = a*b", (t) => {
  for (const [item, attrs] of [
    ["triple_mul", { shape: [6], a_owner: 2, b_owner: 0 }],
    ["triple_mul", { a: [3, 1], b: [1, 2], c: [3, 2], a_owner: 0, b_owner: 1 }],
    ["triple_matmul", { a: [3, 4], b: [4, 2], c: [3, 2], a_owner: 1, b_owner: 2 }],
  ] as [string, Record<string, unknown>][]) {
    const n = 3;
    const seeds = Array.from({ length: n }, () => randomSeed());
    const corrections = makeCorrections(item, attrs, "dealer/n9", seeds);
    const shares = seeds.map((s, i) => partyShares(item, attrs, "dealer/n9", s, i === n - 1 ? corrections : undefined, i));
    const aOwner = attrs["a_owner"] as number;
    const bOwner = attrs["b_owner"] as number;
    shares.forEach((sh, i) => {
      t.is(sh[0] === undefined, i !== aOwner);
      t.is(sh[1] === undefined, i !== bOwner);
    });
    const a = shares[aOwner]![0]!;
    const b = shares[bOwner]![1]!;
    const c = reconstruct(shares.map((sh) => sh[2]!));
    t.deepEqual(values(c), values(item === "triple_matmul" ? ringMatmul(a, b) : ringMul(a, b)));
  }
});

test("the masks themselves (a, b of a triple, r of a truncation pair) are uniform, so every opened x - a is", (t) => {
  const crit255 = chiSquareCritical(255);
  const [a, b] = opened(deal("triple_mul", { shape: [100_000] }, 2));
  const [r] = opened(deal("trunc_pair", { shape: [100_000], bits: 16 }, 3));
  for (const m of [a!, b!, r!]) t.true(byteUniformity(m.data) < crit255);
  t.true(independence(a!.data, b!.data, 4) < chiSquareCritical(225));
});

test("streams are addressed by label and output: deterministic per (seed, label), distinct otherwise", (t) => {
  const seed = randomSeed();
  const s1 = partyShares("square_pair", { shape: [8] }, "dealer/n1", seed, undefined);
  const again = partyShares("square_pair", { shape: [8] }, "dealer/n1", seed, undefined);
  const other = partyShares("square_pair", { shape: [8] }, "dealer/n1@1", seed, undefined);
  t.deepEqual(values(s1[0]!), values(again[0]!));
  t.notDeepEqual(values(s1[0]!), values(other[0]!));
  t.notDeepEqual(values(s1[0]!), values(s1[1]!));
});

test("the dealer sends only the last party's corrections, in plan order, loops multiplied out", async (t) => {
  const parties = ["a", "b", "c"];
  const plan = buildPlan(parties, [{ party: "a", name: "x", shape: [4] }, { party: "b", name: "y", shape: [4] }], (b, [x, y]) => {
    const xs = b.share(x!, "a");
    const ys = b.share(y!, "b");
    const [out] = b.loop(0, 3, [xs], (_i, [w]) => [mulSecret(b, w!, ys, { elem: "fixed", shape: [4] })]);
    b.output(truncate(b, out!, 2, { elem: "fixed", shape: [4] }), "z", parties);
  });
  const sched = [...dealerSchedule(plan.body)];
  // per iteration: a mul triple and a truncation pair; then one more truncation pair
  t.deepEqual(sched.map((s) => s.item), ["triple_mul", "trunc_pair", "triple_mul", "trunc_pair", "triple_mul", "trunc_pair", "trunc_pair"]);
  t.deepEqual(sched.map((s) => s.label.split("@")[1]), ["0", "0", "1", "1", "2", "2", undefined]);
  const ch = new MessageChannel();
  const dealerT = new PortTransport("dealer", new Map([["c", ch.port1]]));
  const partyT = new PortTransport("c", new Map([["dealer", ch.port2]]));
  const seeds = parties.map(() => randomSeed());
  const stats = runDealer(plan, seeds, dealerT);
  t.is(stats.items, 7);
  const wire = sched.reduce((s, i) => s + dealerItemWireElements(i.item, i.attrs), 0);
  t.is(stats.elements, wire);
  t.is(wire, 3 * 4 + 4 * 2 * 4); // one c per triple, (r_msb, r_low_shift) per pair
  t.true(stats.bytes >= wire * 8 && stats.bytes < wire * 8 + 2000);
  const inbox = new DealerInbox(partyT);
  await inbox.drain();
  const first = sched[0]!;
  t.throws(() => inbox.take(sched[1]!.label, 2), {
    message: `the dealer sent item ${first.label}#0 where the party expected ${sched[1]!.label}#0: the dealer and the parties run different plans`,
  });
  const [c] = inbox.take(first.label, 1);
  t.is(c!.length, 4);
  // the correction completes the last party's share: with the others' PRG shares it sums to a*b
  const shares = seeds.map((s, i) => partyShares(first.item, first.attrs, first.label, s, i === 2 ? [c!] : undefined, i) as RingTensor[]);
  const [a, bb, cc] = opened(shares);
  t.deepEqual(values(cc!), values(ringMul(a!, bb!)));
  t.deepEqual(itemLayout(first.item, first.attrs).map((o) => o.correlated), [false, false, true]);
  dealerT.close();
  partyT.close();
});
