// A party's view is independent of the other parties' inputs: every frame it receives during
// a secure multiplication (and, with 3 parties, a truncation) is uniformly distributed, and
// its distribution is the same whether the other party's secret is all zeros or large.
// (Reveals are excluded: what they disclose is what the program says.)

import test from "ava";
import { makeSetup, OfflineStore, runInThread, shareLabel, shareOf } from "../../../runtime/executor/index.js";
import { mulSecret, revealTo } from "../../../runtime/protocols/spec/arithmetic.js";
import type { Transport } from "../../../runtime/transport/index.js";
import { byteUniformity, chiSquareCritical, homogeneity, topBitsHistogram } from "../protocols/stats.js";
import { buildPlan, tensor } from "./plans.js";

const N = 40_000;

/** Everything `watcher` receives, frame by frame (payload bytes joined). */
async function viewOf(parties: string[], watcher: string, x: Float64Array, y: Float64Array): Promise<BigUint64Array[]> {
  const plan = buildPlan(parties, [{ party: "alice", name: "x", shape: [N] }, { party: "bob", name: "y", shape: [N] }], (b, [xi, yi]) => {
    const xs = b.share(xi!, "alice");
    const ys = b.share(yi!, "bob");
    const z = mulSecret(b, xs, ys, { elem: "fixed", shape: [N] });
    // revealed to alice only, so a watcher other than alice sees no reveal
    b.output(revealTo(b, z, ["alice"]), "z", ["alice"]);
  });
  const frames: BigUint64Array[] = [];
  const wrap = (party: string, t: Transport): Transport => {
    if (party !== watcher) return t;
    return {
      self: t.self,
      send: (peer, tag, payload) => t.send(peer, tag, payload),
      receive: async (peer, tag) => {
        const payload = await t.receive(peer, tag);
        for (const b of payload) frames.push(new BigUint64Array(b.slice(0)));
        return payload;
      },
      receiveNext: (peer, what) => t.receiveNext(peer, what),
      stats: () => t.stats(),
      close: () => t.close(),
    };
  };
  await runInThread(plan, new Map([["alice.x", tensor(x, [N])], ["bob.y", tensor(y, [N])]]), { wrapTransport: wrap });
  return frames;
}

for (const parties of [["alice", "bob"], ["alice", "bob", "carol"]]) {
  const watcher = "bob";
  test(`${watcher}'s received frames are uniform and do not depend on alice's secret (${parties.length} parties)`, async (t) => {
    const y = new Float64Array(N).fill(1.5);
    const zeros = await viewOf(parties, watcher, new Float64Array(N), y);
    const large = await viewOf(parties, watcher, new Float64Array(N).fill(12345.678), y);
    // mul: one frame from each peer (e, d); with 3 parties also the truncation's masked value
    t.is(zeros.length, parties.length === 2 ? 1 : 4);
    t.is(large.length, zeros.length);
    const crit255 = chiSquareCritical(255);
    const crit63 = chiSquareCritical(63);
    zeros.forEach((f, k) => {
      t.true(byteUniformity(f) < crit255, `frame ${k} (x = 0) uniform`);
      t.true(byteUniformity(large[k]!) < crit255, `frame ${k} (x large) uniform`);
      const h = homogeneity(topBitsHistogram(f, 6), topBitsHistogram(large[k]!, 6));
      t.true(h < crit63, `frame ${k}: distribution differs with the secret (chi2 ${h.toFixed(1)} >= ${crit63.toFixed(1)})`);
    });
  });
}

for (const n of [2, 3]) {
  test(`every party's share of an input is uniform and does not depend on the input (${n} parties)`, (t) => {
    const parties = ["alice", "bob", "carol"].slice(0, n);
    const plan = buildPlan(parties, [{ party: "alice", name: "x", shape: [N] }], () => {});
    const sharesOf = (x: Float64Array): BigUint64Array[] => {
      const setup = makeSetup(plan);
      const label = shareLabel("n1", []);
      return parties.map((p) => {
        const store = new OfflineStore({ plan, party: p, pairSeeds: setup.pairSeeds.get(p)!, dealerSeed: setup.dealerSeeds[0]! });
        const ctx = { self: p, parties, precision: 16 };
        const value = p === "alice" ? tensor(x, [N]) : undefined;
        return shareOf(ctx, "alice", value, "fixed", [N], () => store.shareMask(label, "alice", N), { party: "alice", input: "x" }).data;
      });
    };
    const zeros = sharesOf(new Float64Array(N));
    const large = sharesOf(new Float64Array(N).fill(-20000.5));
    const crit255 = chiSquareCritical(255);
    const crit63 = chiSquareCritical(63);
    parties.forEach((p, i) => {
      t.true(byteUniformity(zeros[i]!) < crit255, `${p}'s share of 0 uniform`);
      t.true(byteUniformity(large[i]!) < crit255, `${p}'s share of x uniform`);
      t.true(homogeneity(topBitsHistogram(zeros[i]!, 6), topBitsHistogram(large[i]!, 6)) < crit63, `${p}'s share depends on x`);
    });
    // and they are shares: they sum to the encoding
    const sum = zeros[0]!.map((v, k) => zeros.slice(1).reduce((a, z) => BigInt.asUintN(64, a + z[k]!), v));
    t.true(sum.every((v) => v === 0n));
  });
}
