// runInProcess: each party and the dealer in its own worker thread. Results match float64,
// statistics are reported per ordered party pair, a worker's error rejects the run with that
// party's message (and ends every worker), and inputs reach only their owner.

import test from "ava";
import { runInProcess } from "../../../runtime/executor/index.js";
import { matmulSecret, mulSecret, revealTo } from "../../../runtime/protocols/spec/arithmetic.js";
import { evalClearOp } from "../../../runtime/clear/index.js";
import { buildPlan, maxAbsDiff, tensor, testData } from "./plans.js";

function mulPlan(parties: string[]) {
  return buildPlan(parties, [{ party: "alice", name: "x", shape: [8, 8] }, { party: "bob", name: "y", shape: [8, 8] }], (b, [x, y]) => {
    const xs = b.share(x!, "alice");
    const ys = b.share(y!, "bob");
    const spec = { elem: "fixed" as const, shape: [8, 8] };
    const m = matmulSecret(b, xs, ys, spec);
    const p = mulSecret(b, m, ys, spec);
    b.output(revealTo(b, p, parties), "p", parties);
  });
}

for (const parties of [["alice", "bob"], ["alice", "bob", "carol"]]) {
  test(`workers compute (x @ y) * y and report rounds, traffic and dealer use (${parties.length} parties)`, async (t) => {
    const plan = mulPlan(parties);
    const x = tensor(testData(64, 2, 11), [8, 8]);
    const y = tensor(testData(64, 2, 12), [8, 8]);
    const r = await runInProcess(plan, new Map([["alice.x", x], ["bob.y", y]]));
    const want = evalClearOp("mul", [evalClearOp("matmul", [x, y]), y]);
    for (const p of parties) t.true(maxAbsDiff(r.outputs.get(p)!.get("p")!.data, want.data) < 1e-3);
    t.is(r.stats.rounds, plan.rounds);
    const n = parties.length;
    // every ordered pair talks in every round (all opens go to everyone)
    t.is(r.stats.perPair.length, n * (n - 1));
    for (const pp of r.stats.perPair) t.is(pp.messages, plan.rounds);
    // matmul opens E, D (2 x 64 elements), mul opens e, d (128), 3 parties open 64 per
    // truncation (2 of them), the reveal opens 64: payload bytes per pair
    const elems = 256 + (n > 2 ? 128 : 0) + 64;
    for (const pp of r.stats.perPair) t.true(pp.bytes >= elems * 8 && pp.bytes < elems * 8 + 100 * plan.rounds);
    // per round: every party sends to every other party once
    t.deepEqual(r.stats.perRound.map((q) => [q.round, q.messages]), Array.from({ length: plan.rounds }, (_, k) => [k, n * (n - 1)]));
    t.is(r.stats.perRound.reduce((s, q) => s + q.bytes, 0), r.stats.perPair.reduce((s, q) => s + q.bytes, 0));
    t.is(r.stats.dealerItems, n > 2 ? 4 : 2);
    t.true(r.stats.dealerBytes >= (n > 2 ? 64 * 6 : 64 * 2) * 8);
    t.true(r.stats.offlineMs > 0 && r.stats.onlineMs > 0);
  });
}

test("a worker's error rejects the run with that party's message, and nothing hangs", async (t) => {
  const plan = mulPlan(["alice", "bob", "carol"]);
  const x = tensor(testData(64, 2, 11), [8, 8]);
  x.data[9] = 1e6; // beyond the fixed-point range at f = 16
  const t0 = performance.now();
  await t.throwsAsync(runInProcess(plan, new Map([["alice.x", x], ["bob.y", tensor(new Float64Array(64), [8, 8])]]), { timeoutMs: 120_000 }), {
    name: "UserError",
    message:
      "party alice: input alice.x: the value at row 2, column 2 is outside the fixed-point range: " +
      "|value| must be below 2^15 = 32768 at precision 16; rescale the data, or lower the program's precision",
  });
  // before the other parties' 120 s receive timeout: the failure was propagated, not waited out
  t.true(performance.now() - t0 < 100_000);
});

test("an internal failure at one party ends the run with that party's message", async (t) => {
  // bob must send a value nobody computes: bob fails, alice (waiting for it) is ended too
  const parties = ["alice", "bob"];
  const plan = buildPlan(parties, [{ party: "alice", name: "x", shape: [2] }], (b, [x]) => {
    const ghost = b.newValue("clear", { elem: "fixed", shape: [2] }, ["bob"]);
    const got = b.send("bob", ghost, ["alice"]);
    b.output(b.clear("add", [x!, got], {}, ["alice"], { elem: "fixed", shape: [2] }), "y", ["alice"]);
  });
  await t.throwsAsync(runInProcess(plan, new Map([["alice.x", tensor([1, 2], [2])]]), { timeoutMs: 3000 }), {
    message: /^party bob: internal: party bob lacks value v\d+ at node n\d+$/,
  });
});
