// The last party's offline store prepared BEFORE its dealer inbox is drained (so its own
// derivation overlaps the dealer's work) gives exactly the shares of one prepared after the
// drain, whatever part of the plan fits the budget.

import test from "ava";
import { correctionCount, DealerInbox, dealerSchedule, partyShares, runDealer } from "../../../runtime/dealer/index.js";
import { makeSetup, OfflineStore } from "../../../runtime/executor/index.js";
import { mulSecret, squareSecret } from "../../../runtime/protocols/spec/arithmetic.js";
import { PortTransport } from "../../../runtime/transport/index.js";
import { buildPlan } from "./plans.js";

const parties = ["alice", "bob", "carol"];
const plan = buildPlan(parties, [{ party: "alice", name: "x", shape: [5] }, { party: "bob", name: "y", shape: [5] }], (b, [x, y]) => {
  const spec = { elem: "fixed" as const, shape: [5] };
  const ys = b.share(y!, "bob");
  const [out] = b.loop(0, 3, [b.share(x!, "alice")], (_i, [w]) => [squareSecret(b, mulSecret(b, w!, ys, spec), spec)]);
  b.output(out!, "w", parties);
});

for (const budget of [undefined, 200, 0]) {
  test(`last party: prepare before the drain equals prepare after it (budget ${budget ?? "default"})`, async (t) => {
    const setup = makeSetup(plan);
    const dealer = new PortTransport("dealer", setup.ports.get("dealer")!, 5000);
    const carol = new PortTransport("carol", setup.ports.get("carol")!, 5000);
    runDealer(plan, setup.dealerSeeds, dealer);
    dealer.close();
    const inbox = new DealerInbox(carol);
    const store = new OfflineStore({ plan, party: "carol", pairSeeds: setup.pairSeeds.get("carol")!, dealerSeed: setup.dealerSeeds[2]!, dealerInbox: inbox });
    store.prepare(budget); // nothing received yet
    await inbox.drain();
    // the reference: the same dealer stream (deterministic in the seeds), drained first
    const setup2 = { ...makeSetup(plan), dealerSeeds: setup.dealerSeeds };
    const dealer2 = new PortTransport("dealer", setup2.ports.get("dealer")!, 5000);
    const carol2 = new PortTransport("carol", setup2.ports.get("carol")!, 5000);
    runDealer(plan, setup.dealerSeeds, dealer2);
    dealer2.close();
    const inbox2 = new DealerInbox(carol2);
    await inbox2.drain();
    let items = 0;
    for (const { label, item, attrs } of dealerSchedule(plan.body)) {
      const got = store.dealerShares(label, item, attrs);
      const want = partyShares(item, attrs, label, setup.dealerSeeds[2]!, inbox2.take(label, correctionCount(item, attrs)), 2);
      t.is(got.length, want.length);
      got.forEach((g, k) => {
        t.deepEqual(g?.shape, want[k]?.shape, `${label} output ${k}`);
        t.deepEqual(g?.data, want[k]?.data, `${label} output ${k}`);
      });
      items++;
    }
    t.is(items, 12); // per iteration: triple_mul, square_pair and two trunc_pair
    for (const tr of [carol, carol2]) tr.close();
  });
}
