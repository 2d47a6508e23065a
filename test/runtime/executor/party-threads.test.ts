// PartyThreads: threads started once run plan after plan (fresh seeds and channels each run),
// with the same results as runInProcess; a failure ends every thread and later runs are
// refused with the reason; a plan for another number of parties is refused.

import test from "ava";
import { PartyThreads } from "../../../runtime/executor/index.js";
import { matmulSecret, mulSecret, revealTo } from "../../../runtime/protocols/spec/arithmetic.js";
import { reluSecret } from "../../../runtime/protocols/spec/compare.js";
import { evalClearOp } from "../../../runtime/clear/index.js";
import { buildPlan, maxAbsDiff, tensor, testData } from "./plans.js";

const PARTIES = ["alice", "bob"];

function mulPlan(n: number) {
  return buildPlan(PARTIES, [{ party: "alice", name: "x", shape: [n, n] }, { party: "bob", name: "y", shape: [n, n] }], (b, [x, y]) => {
    const spec = { elem: "fixed" as const, shape: [n, n] };
    const m = matmulSecret(b, b.share(x!, "alice"), b.share(y!, "bob"), spec);
    b.output(revealTo(b, m, PARTIES), "m", PARTIES);
  });
}

function reluPlan(n: number) {
  return buildPlan(PARTIES, [{ party: "bob", name: "x", shape: [n] }], (b, [x]) => {
    const xs = b.share(x!, "bob");
    const r = reluSecret(b, mulSecret(b, xs, xs, { elem: "fixed", shape: [n] }));
    b.output(revealTo(b, r, ["alice"]), "r", ["alice"]);
  });
}

test("threads started once run different plans in turn, each with correct results", async (t) => {
  const threads = await PartyThreads.start(2);
  try {
    t.true(threads.startupMs > 0);
    for (const n of [4, 8, 4]) {
      const x = tensor(testData(n * n, 2, n), [n, n]);
      const y = tensor(testData(n * n, 2, n + 1), [n, n]);
      const r = await threads.run(mulPlan(n), new Map([["alice.x", x], ["bob.y", y]]));
      const want = evalClearOp("matmul", [x, y]).data;
      for (const p of PARTIES) t.true(maxAbsDiff(r.outputs.get(p)!.get("m")!.data, want) < 1e-3, `matmul ${n} at ${p}`);
      const v = tensor(testData(50, 3, n), [50]);
      const s = await threads.run(reluPlan(50), new Map([["bob.x", v]]));
      t.true(maxAbsDiff(s.outputs.get("alice")!.get("r")!.data, v.data.map((e) => e * e)) < 1e-3);
      t.false(s.outputs.get("bob")!.has("r"), "revealed only to alice");
      t.is(s.stats.rounds, s.stats.perRound.length);
    }
  } finally {
    await threads.close();
  }
});

test("a failed run ends every thread; the next run is refused with the reason", async (t) => {
  const threads = await PartyThreads.start(2);
  const x = tensor(testData(16, 2, 1), [4, 4]);
  x.data[5] = 1e6; // beyond the fixed-point range at f = 16
  await t.throwsAsync(threads.run(mulPlan(4), new Map([["alice.x", x], ["bob.y", tensor(new Float64Array(16), [4, 4])]])), {
    name: "UserError",
    message: /^party alice: input alice\.x: the value at row 2, column 2 is outside the fixed-point range/,
  });
  await t.throwsAsync(threads.run(mulPlan(4), new Map([["alice.x", tensor(new Float64Array(16), [4, 4])], ["bob.y", tensor(new Float64Array(16), [4, 4])]])), {
    message: "cannot run test: an earlier run failed (party alice)",
  });
  await threads.close();
});

test("a plan for another number of parties is refused before anything runs", async (t) => {
  const threads = await PartyThreads.start(3);
  try {
    await t.throwsAsync(threads.run(reluPlan(4), new Map([["bob.x", tensor([1, 2, 3, 4], [4])]])), {
      message: "cannot run test (2 parties) on threads started for 3",
    });
  } finally {
    await threads.close();
  }
});

test("one run at a time: a second run while one is going is refused; closed threads refuse runs", async (t) => {
  const threads = await PartyThreads.start(2);
  const x = tensor(testData(16, 2, 3), [4, 4]);
  const y = tensor(testData(16, 2, 4), [4, 4]);
  const inputs = new Map([["alice.x", x], ["bob.y", y]]);
  const first = threads.run(mulPlan(4), inputs);
  await t.throwsAsync(threads.run(mulPlan(4), inputs), { message: "cannot run test: these party threads are running another plan" });
  const r = await first;
  t.true(maxAbsDiff(r.outputs.get("alice")!.get("m")!.data, evalClearOp("matmul", [x, y]).data) < 1e-3);
  await threads.close();
  await t.throwsAsync(threads.run(mulPlan(4), inputs), { message: "cannot run test: the party threads were closed" });
});
