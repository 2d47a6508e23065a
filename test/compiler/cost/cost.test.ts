import test from "ava";
import { compileChecked } from "../../../compiler/middle.js";
import { estimateWallTime, planCost } from "../../../compiler/cost/cost.js";
import { formatCost } from "../../../compiler/cost/format.js";
import type { Plan } from "../../../runtime/plan/plan.js";
import { ProgramFixture } from "../ir/fixtures.js";
import { allNodes } from "../schedule/contract.js";

function compiled(f: ProgramFixture): Plan {
  const r = compileChecked(f.program());
  if (!r.plan) throw new Error(r.diagnostics.map((d) => d.message).join("\n"));
  return r.plan;
}

function dotProgram(n: number): ProgramFixture {
  const f = new ProgramFixture("dot", ["alice", "bob"]);
  const u = f.input("alice", "u", "fixed", [n]);
  const v = f.input("bob", "v", "fixed", [n]);
  f.reveal(f.op("matmul", [u, v]), "dot");
  return f;
}

test("bytes and messages per ordered pair: a dot product of 100 sends 100 masked elements each way (the private matmul), then 1", (t) => {
  const cost = planCost(compiled(dotProgram(100)));
  t.deepEqual(cost.total.pairs, [
    { from: "alice", to: "bob", messages: 2, bytes: 8 * 101 },
    { from: "bob", to: "alice", messages: 2, bytes: 8 * 101 },
  ]);
  t.is(cost.total.rounds, 2);
  t.is(cost.total.messages, 4);
  // the masked operands are sends, not openings: only the revealed element is opened
  t.is(cost.total.openedElements, 1);
});

test("everything two parties send each other in one round is one message", (t) => {
  const f = new ProgramFixture("merge", ["a", "b", "c"]);
  const x = f.input("a", "x", "int", [3]);
  const y = f.input("b", "y", "int", [3]);
  const z = f.input("c", "z", "int", [3]);
  // Three independent integer products (a secret sum times a private value: mulPrivateSecret,
  // the owner's send and the opening to it), one round, then one reveal round.
  const [xy, yz, xz] = [f.op("add", [x, y]), f.op("add", [y, z]), f.op("add", [x, z])];
  f.reveal(f.op("add", [f.op("add", [f.op("mul", [xy, z]), f.op("mul", [yz, x])]), f.op("mul", [xz, y])]), "s");
  const plan = compiled(f);
  t.is(plan.rounds, 2);
  const cost = planCost(plan);
  t.is(cost.total.pairs.length, 6);
  for (const p of cost.total.pairs) {
    t.is(p.messages, 2, `${p.from}->${p.to}`);
    // Round 0: the sender's masked private operand for one product and its share of the secret
    // operand's D for another (3 elements each), one message; round 1: the 3-element reveal.
    t.is(p.bytes, 8 * (3 * 2 + 3));
  }
});

test("correlated randomness counted from the plan equals what its dealer nodes ask for, per iteration and in total", (t) => {
  const f = new ProgramFixture("rand", ["a", "b", "c"]);
  const x = f.input("a", "x", "fixed", [4, 3]);
  const y = f.input("b", "y", "fixed", [4, 1]);
  const w = f.var("w", f.op("zeros", [], { shape: [3, 1] }), { kind: "secret" });
  f.for(0, 7, () => {
    const err = f.op("sub", [f.op("matmul", [x, w.ref()]), y]);
    f.assign(w, f.op("sub", [w.ref(), f.op("mul", [f.c(0.1), f.op("matmul", [f.op("transpose", [x]), f.op("square", [err])])])]));
  });
  f.reveal(w.ref(), "w");
  const plan = compiled(f);
  const cost = planCost(plan);
  const shapes = new Map(plan.values.map((v) => [v.id, v.shape]));
  const numel = (id: string): number => shapes.get(id)!.reduce((a, d) => a * d, 1);
  // Independent count: dealer nodes x times run; correction shares = the correlated outputs
  // (c of a triple, a^2 of a square pair, r_msb and r_low_shift of a truncation pair).
  const expected = new Map<string, { count: number; wire: number }>();
  for (const { node, times } of allNodes(plan)) {
    if (node.kind !== "dealer") continue;
    // (a `mask` is random only: x is opened once for both products, compiler/lower/shared-masks.ts)
    const corr = node.item === "trunc_pair" ? node.out.slice(1) : node.item === "mask" ? [] : node.out.slice(-1);
    const e = expected.get(node.item) ?? { count: 0, wire: 0 };
    e.count += times;
    e.wire += times * corr.reduce((a, id) => a + numel(id), 0);
    expected.set(node.item, e);
  }
  const counted = new Map<string, { count: number; wire: number }>();
  for (const r of cost.total.randomness) {
    const e = counted.get(r.item) ?? { count: 0, wire: 0 };
    e.count += r.count;
    e.wire += r.wireElements;
    counted.set(r.item, e);
  }
  t.deepEqual(counted, expected);
  t.deepEqual([...counted.keys()].sort(), ["mask", "square_pair", "triple_matmul_masked", "trunc_pair"]);
  t.is(expected.get("triple_matmul_masked")!.count, 14);
  t.is(expected.get("mask")!.wire, 0);
  t.is(expected.get("square_pair")!.count, 7);
  // Per iteration x 7 = the loop's total.
  const loop = cost.loops[0]!;
  t.is(loop.count, 7);
  t.is(loop.total.dealer.items, 7 * loop.perIteration.dealer.items);
  t.is(loop.total.bytes, 7 * loop.perIteration.bytes);
  t.is(loop.total.rounds, 7 * loop.perIteration.rounds);
  // The dealer's corrections all go to the last party; every party gets a seed.
  t.deepEqual(
    cost.offline.map((o) => [o.to, o.bytes]),
    [
      ["a", 16],
      ["b", 16],
      ["c", 16 + cost.total.dealer.bytes],
    ],
  );
  t.is(cost.total.dealer.bytes, 8 * [...expected.values()].reduce((a, e) => a + e.wire, 0));
});

test("wall time: rounds x latency + the busiest link's bytes / bandwidth", (t) => {
  const cost = planCost(compiled(dotProgram(1000)));
  const est = estimateWallTime(cost, { latencyMs: 20, bandwidthMbit: 8 });
  t.is(est.latencyMs, 2 * 20);
  // 1001 elements x 8 bytes on each link (the private matmul's masked operand, then the
  // revealed element), at 1 MB/s = 1000 bytes per ms.
  t.is(est.transferMs, (8 * 1001) / 1000);
  t.is(est.onlineMs, 40 + 8.008);
  const text = formatCost(cost, { latencyMs: 20, bandwidthMbit: 8 }, est);
  t.regex(text, /rounds: 2 {3}messages: 4 {3}bytes: 15\.6 KiB/);
  t.regex(text, /online {2}48\.0 ms/);
});
