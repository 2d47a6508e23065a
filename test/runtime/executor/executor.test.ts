// End-to-end runs of hand-built plans (every party and the dealer in this thread, over the
// in-process transport): secure results match float64 within the fixed-point error bound,
// loops carry values, memory stays flat over iterations, and errors are clear.
//
// Tolerance: inputs are encoded with error <= 2^-17 each and every truncation adds < 2^-16,
// so a product of values of magnitude <= R, summed over k terms, is within
// k * (2R * 2^-17 + 2^-16) + 2^-16 of the float64 result.

import test from "ava";
import { MessageChannel } from "node:worker_threads";
import type { ClearTensor } from "../../../runtime/clear/index.js";
import { evalClearOp } from "../../../runtime/clear/index.js";
import { ownInputs, runInThread, runParty, warmUp } from "../../../runtime/executor/index.js";
import { matmulPrivate, matmulSecret, mulPrivate, mulSecret, revealTo, squareSecret } from "../../../runtime/protocols/spec/arithmetic.js";
import {
  addClear,
  castSecret,
  divPublic,
  linearSecret,
  matmulPublic,
  meanSecret,
  mulConst,
  mulPublic,
} from "../../../runtime/protocols/spec/linear.js";
import { randomSeed } from "../../../runtime/random/index.js";
import { PortTransport } from "../../../runtime/transport/index.js";
import { buildPlan, maxAbsDiff, tensor, testData } from "./plans.js";

const PARTY_SETS = [
  ["alice", "bob"],
  ["alice", "bob", "carol"],
  ["alice", "bob", "carol", "dave"],
];

const bound = (k: number, R: number): number => k * (2 * R * 2 ** -17 + 2 ** -16) + 2 ** -16;
const clear = (op: string, args: ClearTensor[], attrs: Record<string, unknown> = {}): ClearTensor => evalClearOp(op, args, attrs);

for (const parties of PARTY_SETS) {
  const n = parties.length;
  test(`Beaver mul, square, matmul and truncation match float64 (${n} parties)`, async (t) => {
    const last = parties[n - 1]!;
    const plan = buildPlan(
      parties,
      [
        { party: "alice", name: "x", shape: [4, 5] },
        { party: "bob", name: "y", shape: [4, 5] },
        { party: last, name: "w", shape: [5, 3] },
      ],
      (b, [x, y, w]) => {
        const xs = b.share(x!, "alice");
        const ys = b.share(y!, "bob");
        const ws = b.share(w!, last);
        const spec = (shape: number[]) => ({ elem: "fixed" as const, shape });
        const prod = mulSecret(b, xs, ys, spec([4, 5]));
        const sq = squareSecret(b, xs, spec([4, 5]));
        const mm = matmulSecret(b, xs, ws, spec([4, 3]));
        const bc = mulSecret(b, linearSecret(b, "sum", [xs], { axis: 1, keepdims: true }, spec([4, 1])), ys, spec([4, 5]));
        b.output(revealTo(b, prod, parties), "prod", parties);
        b.output(revealTo(b, sq, ["alice"]), "sq", ["alice"]);
        b.output(revealTo(b, mm, [last]), "mm", [last]);
        b.output(revealTo(b, bc, ["bob"]), "bc", ["bob"]);
      },
    );
    const x = tensor(testData(20, 8, 1), [4, 5]);
    const y = tensor(testData(20, 8, 2), [4, 5]);
    const w = tensor(testData(15, 8, 3), [5, 3]);
    const r = await runInThread(plan, new Map([["alice.x", x], ["bob.y", y], [`${last}.w`, w]]));
    for (const p of parties) t.true(maxAbsDiff(r.outputs.get(p)!.get("prod")!.data, clear("mul", [x, y]).data) <= bound(1, 8));
    t.true(maxAbsDiff(r.outputs.get("alice")!.get("sq")!.data, clear("square", [x]).data) <= bound(1, 8));
    t.true(maxAbsDiff(r.outputs.get(last)!.get("mm")!.data, clear("matmul", [x, w]).data) <= bound(5, 8));
    const bcWant = clear("mul", [clear("sum", [x], { axis: 1, keepdims: true }), y]);
    t.true(maxAbsDiff(r.outputs.get("bob")!.get("bc")!.data, bcWant.data) <= bound(5, 40));
    // only the receivers get an output
    t.deepEqual([...r.outputs.get("bob")!.keys()].sort(), n === 2 ? ["bc", "mm", "prod"] : ["bc", "prod"]);
    // each party sends one frame per peer per round in which it has something for that peer
    t.is(r.stats.rounds, plan.rounds);
    t.is(r.stats.dealerItems, 4 + (n > 2 ? 4 : 0));
  });

  test(`linear and public-operand protocols match float64 (${n} parties)`, async (t) => {
    const plan = buildPlan(
      parties,
      [
        { party: "alice", name: "x", shape: [3, 4] },
        { party: "bob", name: "c", shape: [3, 4] },
      ],
      (b, [x, c]) => {
        const spec = (shape: number[]) => ({ elem: "fixed" as const, shape });
        const xs = b.share(x!, "alice");
        const pub = b.clear("ones", [], { shape: [4, 2] }, parties, spec([4, 2]));
        const half = b.clear("mul", [pub, pub], {}, parties, spec([4, 2]));
        const k = b.clear("zeros", [], { shape: [] }, parties, spec([]));
        const seven = b.clear("add", [k, b.clear("ones", [], { shape: [] }, parties, spec([]))], {}, parties, spec([]));
        const outs: [string, string][] = [
          ["addPrivate", addClear(b, xs, c!, spec([3, 4]))],
          ["subFromPrivate", addClear(b, xs, c!, spec([3, 4]), "secret")],
          ["mulPublic", mulPublic(b, xs, seven, spec([3, 4]))],
          ["matmulRight", matmulPublic(b, xs, half, spec([3, 2]), "right")],
          ["divPublic", divPublic(b, xs, seven, spec([3, 4]))],
          ["mulConst", mulConst(b, xs, 1 / 569, spec([3, 4]))],
          ["mulInt", mulConst(b, xs, -3, spec([3, 4]))],
          ["mean", meanSecret(b, xs, { axis: 0 }, spec([4]))],
          ["transpose", linearSecret(b, "transpose", [xs], {}, spec([4, 3]))],
          ["neg", linearSecret(b, "neg", [xs], {}, spec([3, 4]))],
          ["toInt", castSecret(b, xs, "int", { elem: "int", shape: [3, 4] })],
        ];
        for (const [name, v] of outs) b.output(revealTo(b, v, ["alice"]), name, ["alice"]);
      },
    );
    const x = tensor(testData(12, 20, 5), [3, 4]);
    const c = tensor(testData(12, 20, 6), [3, 4]);
    const r = await runInThread(plan, new Map([["alice.x", x], ["bob.c", c]]));
    const got = r.outputs.get("alice")!;
    const ones42 = tensor(new Float64Array(8).fill(1), [4, 2]);
    const want: Record<string, [ClearTensor, number]> = {
      addPrivate: [clear("add", [x, c]), 2 ** -16],
      subFromPrivate: [clear("sub", [c, x]), 2 ** -16],
      mulPublic: [clear("mul", [x, tensor([1], [])]), bound(1, 20)],
      matmulRight: [clear("matmul", [x, ones42]), bound(4, 20)],
      divPublic: [clear("div", [x, tensor([1], [])]), bound(1, 20)],
      mulConst: [clear("mul", [x, tensor([1 / 569], [])]), 2 * 2 ** -16],
      mulInt: [clear("mul", [x, tensor([-3], [])]), 3 * 2 ** -17],
      // 1/3 is encoded with 17 significant bits: relative error 2^-17 on a mean of magnitude <= 20
      mean: [clear("mean", [x], { axis: 0 }), 20 * 2 ** -17 + 3 * 2 ** -16],
      transpose: [clear("transpose", [x]), 2 ** -17],
      neg: [clear("neg", [x]), 2 ** -17],
      toInt: [clear("cast", [x], { to: "int" }), 1],
    };
    for (const [name, [w, tol]] of Object.entries(want)) {
      const g = got.get(name)!;
      t.deepEqual(g.shape, w.shape, name);
      t.true(maxAbsDiff(g.data, w.data) <= tol, `${name}: ${maxAbsDiff(g.data, w.data)} > ${tol}`);
    }
  });
}

for (const parties of PARTY_SETS) {
  const n = parties.length;
  test(`products of operands private to two parties match float64 (${n} parties)`, async (t) => {
    const last = parties[n - 1]!;
    const plan = buildPlan(
      parties,
      [
        { party: last, name: "x", shape: [6, 4] },
        { party: "alice", name: "y", shape: [4, 3] },
        { party: "alice", name: "v", shape: [6, 4] },
      ],
      (b, [x, y, v]) => {
        const spec = (shape: number[]) => ({ elem: "fixed" as const, shape });
        const mm = matmulPrivate(b, x!, y!, spec([6, 3]));
        const pr = mulPrivate(b, x!, v!, spec([6, 4]));
        b.output(revealTo(b, mm, parties), "mm", parties);
        b.output(revealTo(b, pr, ["bob"]), "pr", ["bob"]);
      },
    );
    const x = tensor(testData(24, 8, 21), [6, 4]);
    const y = tensor(testData(12, 8, 22), [4, 3]);
    const v = tensor(testData(24, 8, 23), [6, 4]);
    const r = await runInThread(plan, new Map([[`${last}.x`, x], ["alice.y", y], ["alice.v", v]]));
    for (const p of parties) t.true(maxAbsDiff(r.outputs.get(p)!.get("mm")!.data, clear("matmul", [x, y]).data) <= bound(4, 8));
    t.true(maxAbsDiff(r.outputs.get("bob")!.get("pr")!.data, clear("mul", [x, v]).data) <= bound(1, 8));
    // the masked operands go between the owners only: a party owning neither operand sends
    // only in the two truncations (n > 2) and the reveals (mm to all, pr to bob)
    for (const p of r.stats.perPair) {
      if (p.from !== last && p.from !== "alice") t.is(p.messages, 3 + (p.to === "bob" ? 1 : 0), `${p.from} -> ${p.to}`);
    }
    t.is(r.stats.dealerItems, 2 + (n > 2 ? 2 : 0));
  });
}

test("a loop carries a secret value; the index is public; progress is reported per iteration", async (t) => {
  const parties = ["alice", "bob", "carol"];
  const plan = buildPlan(parties, [{ party: "alice", name: "x", shape: [6] }], (b, [x]) => {
    const spec = { elem: "fixed" as const, shape: [6] };
    const xs = b.share(x!, "alice");
    const zero = b.share(b.clear("zeros", [], { shape: [6] }, parties, spec), "public");
    // acc = acc * 0.5 + x * i, for i = 2..6
    const [acc] = b.loop(2, 5, [zero], (i, [a]) => {
      const xi = mulPublic(b, xs, i, spec);
      return [linearSecret(b, "add", [mulConst(b, a!, 0.5, spec), xi], {}, spec)];
    });
    b.output(revealTo(b, acc!, parties), "acc", parties);
  });
  const x = tensor(testData(6, 3, 9), [6]);
  const progress: number[] = [];
  const r = await runInThread(plan, new Map([["alice.x", x]]), { onProgress: (p) => progress.push(p.iteration) });
  const want = new Float64Array(6);
  for (let i = 2; i < 7; i++) for (let k = 0; k < 6; k++) want[k] = want[k]! * 0.5 + x.data[k]! * i;
  for (const p of parties) t.true(maxAbsDiff(r.outputs.get(p)!.get("acc")!.data, want) <= 5 * bound(1, 20));
  t.deepEqual(progress, [1, 2, 3, 4, 5]);
  // per iteration one truncation (of a * 0.5: x * i is fixed * int, exact), one round with 3
  // parties; then the reveal
  t.is(r.stats.rounds, 5 + 1);
  t.is(r.stats.rounds, plan.rounds);
});

test("memory stays flat across 100 iterations of a loop", async (t) => {
  const { setFlagsFromString } = await import("node:v8");
  const { runInNewContext } = await import("node:vm");
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc") as () => void;
  const parties = ["alice", "bob"];
  const shape = [200, 200];
  const plan = buildPlan(parties, [{ party: "alice", name: "x", shape }, { party: "bob", name: "y", shape }], (b, [x, y]) => {
    const spec = { elem: "fixed" as const, shape };
    const xs = b.share(x!, "alice");
    const ys = b.share(y!, "bob");
    const [out] = b.loop(0, 100, [xs], (_i, [w]) => [mulSecret(b, w!, ys, spec)]);
    b.output(revealTo(b, out!, parties), "w", parties);
  });
  const used = (): number => {
    gc();
    const m = process.memoryUsage();
    return m.heapUsed + m.arrayBuffers;
  };
  const samples = new Map<number, number>();
  const live: number[] = [];
  const y = tensor(new Float64Array(40000).fill(1), shape);
  const x = tensor(testData(40000, 4, 4), shape);
  const r = await runInThread(plan, new Map([["alice.x", x], ["bob.y", y]]), {
    onProgress: (p) => {
      live.push(p.live);
      if (p.iteration === 10 || p.iteration === 100) samples.set(p.iteration, used());
    },
  });
  t.true(maxAbsDiff(r.outputs.get("alice")!.get("w")!.data, x.data) <= 100 * 2 ** -16);
  // each iteration makes ~10 values of 320 kB; a leak would add > 250 MB over 90 iterations.
  // The dealer's corrections (320 kB per iteration, all made up front) are consumed, so
  // memory may fall, but must not grow by more than a few values' worth.
  const growth = samples.get(100)! - samples.get(10)!;
  // between iterations alice holds only what the loop reads from outside: the shares of y
  t.deepEqual(new Set(live), new Set([1]));
  t.true(growth < 8e6, `memory grew by ${(growth / 1e6).toFixed(1)} MB over 90 iterations`);
});

/** Two 2-party plans that both open in round 0, with different node ids (b has an extra node). */
function differentPlans() {
  const parties = ["alice", "bob"];
  const mk = (extra: boolean) =>
    buildPlan(parties, [{ party: "alice", name: "x", shape: [2] }], (b, [x]) => {
      const xs = b.share(x!, "alice");
      const v = extra ? linearSecret(b, "neg", [xs], {}, { elem: "fixed", shape: [2] }) : xs;
      b.output(revealTo(b, v, parties), "v", parties);
    });
  const plans = [mk(false), mk(true)];
  const openId = plans.map((p) => p.body.find((n) => n.kind === "open")!.id);
  return { plans, openId };
}

test("a party whose peer runs a different plan fails naming the peer, the round and the nodes", async (t) => {
  const { plans, openId } = differentPlans();
  const ch = new MessageChannel();
  const seed = randomSeed();
  const ta = new PortTransport("alice", new Map([["bob", ch.port1]]), 5000);
  const tb = new PortTransport("bob", new Map([["alice", ch.port2]]), 5000);
  const common = { pairSeeds: new Map([["alice", seed], ["bob", seed]]), dealerSeed: seed };
  const results = await Promise.allSettled([
    runParty({ plan: plans[0]!, party: "alice", transport: ta, ...common, inputs: new Map([["x", tensor([1, 2], [2])]]) }),
    runParty({ plan: plans[1]!, party: "bob", transport: tb, ...common, inputs: new Map() }),
  ]);
  const why = (me: string, peer: string, mine: string, theirs: string): string =>
    `party ${me} expected round 0 (plan round 0; nodes ${mine}) from ${peer}, but received round 0 (plan round 0; nodes ${theirs}): ` +
    "the parties are not executing the same plan in step";
  t.deepEqual(
    results.map((r) => (r.status === "rejected" ? (r.reason as Error).message : "resolved")),
    [why("alice", "bob", openId[0]!, openId[1]!), why("bob", "alice", openId[1]!, openId[0]!)],
  );
  ta.close();
  tb.close();
});

test("a party whose peer never sends times out with a clear error", async (t) => {
  const { plans, openId } = differentPlans();
  const ch = new MessageChannel();
  const seed = randomSeed();
  const ta = new PortTransport("alice", new Map([["bob", ch.port1]]), 200);
  const t0 = performance.now();
  await t.throwsAsync(
    runParty({ plan: plans[0]!, party: "alice", transport: ta, pairSeeds: new Map([["bob", seed]]), dealerSeed: seed, inputs: new Map([["x", tensor([1, 2], [2])]]) }),
    { message: `party alice timed out after 200 ms waiting for bob's message of round 0 (plan round 0; nodes ${openId[0]})` },
  );
  t.true(performance.now() - t0 < 2000);
  ta.close();
  ch.port2.close();
});

test("missing, undeclared and mis-shaped inputs, and foreign plans, are user errors before anything runs", async (t) => {
  const { plans } = differentPlans();
  await t.throwsAsync(runInThread({ ...plans[0]!, version: 99 as never }, new Map()), {
    name: "UserError",
    message: "the plan is mpc-plan version 99, but this runtime executes mpc-plan version 1: recompile the program",
  });
  await t.throwsAsync(runInThread({ ...plans[0]!, parties: ["alice"] }, new Map()), {
    name: "UserError",
    message: 'program test needs at least two distinct compute parties (and none named "dealer")',
  });
  await t.throwsAsync(runInThread(plans[0]!, new Map()), { name: "UserError", message: "input alice.x was not provided" });
  await t.throwsAsync(runInThread(plans[0]!, new Map([["alice.x", tensor([1, 2], [2])], ["bob.q", tensor([1], [1])]])), {
    name: "UserError",
    message: "input bob.q is not declared by program test",
  });
  await t.throwsAsync(runInThread(plans[0]!, new Map([["alice.x", tensor([1, 2, 3], [3])]])), {
    name: "UserError",
    message: "input alice.x has shape [3], but the program declares [2]",
  });
});

test("each party is given only its own inputs", (t) => {
  const plan = buildPlan(["alice", "bob"], [{ party: "alice", name: "x", shape: [1] }, { party: "bob", name: "y", shape: [1] }, { party: "bob", name: "z", shape: [1] }], () => {});
  const all = new Map([["alice.x", tensor([1], [1])], ["bob.y", tensor([2], [1])], ["bob.z", tensor([3], [1])]]);
  t.deepEqual([...ownInputs(plan, "alice", all).keys()], ["x"]);
  t.deepEqual([...ownInputs(plan, "bob", all).keys()], ["y", "z"]);
  t.is(ownInputs(plan, "bob", all).get("z"), all.get("bob.z"));
});

test("the JIT warm-up plan runs (2 and 3 parties, every protocol family)", async (t) => {
  await t.notThrowsAsync(warmUp(1, 8));
});

test("randomness derived ahead, partly ahead or on the fly gives the same results", async (t) => {
  const parties = ["alice", "bob", "carol"];
  const plan = buildPlan(parties, [{ party: "alice", name: "x", shape: [5] }, { party: "bob", name: "y", shape: [5] }], (b, [x, y]) => {
    const spec = { elem: "fixed" as const, shape: [5] };
    const ys = b.share(y!, "bob");
    const [out] = b.loop(0, 4, [b.share(x!, "alice")], (_i, [w]) => [mulSecret(b, w!, ys, spec)]);
    b.output(revealTo(b, out!, parties), "w", parties);
  });
  const x = tensor([1, -2, 3, 0.5, 0.25], [5]);
  const y = tensor([1.5, 0.5, -1, 2, 1], [5]);
  const want = x.data.map((v, k) => v * y.data[k]! ** 4);
  for (const opts of [{}, { offline: false }, { offlineBudget: 200 }, { offlineBudget: 0 }]) {
    const r = await runInThread(plan, new Map([["alice.x", x], ["bob.y", y]]), opts);
    t.true(maxAbsDiff(r.outputs.get("carol")!.get("w")!.data, want) <= 4 * bound(1, 8), JSON.stringify(opts));
  }
});
