// A party's view is independent of the other parties' inputs: every frame it receives during
// a secure multiplication (and, with 3 parties, a truncation) is uniformly distributed, and
// its distribution is the same whether the other party's secret is all zeros or large.
// (Reveals are excluded: what they disclose is what the program says.)

import test from "ava";
import { runInThread } from "../../../runtime/executor/index.js";
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
