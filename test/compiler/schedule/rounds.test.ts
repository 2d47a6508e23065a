import test from "ava";
import { compileChecked } from "../../../compiler/middle.js";
import type { Plan } from "../../../runtime/plan/plan.js";
import { planCost } from "../../../compiler/cost/cost.js";
import { ProgramFixture } from "../ir/fixtures.js";
import { allNodes, orderingViolations } from "./contract.js";

function compiled(f: ProgramFixture): Plan {
  const r = compileChecked(f.program());
  if (!r.plan) throw new Error(r.diagnostics.map((d) => d.message).join("\n"));
  return r.plan;
}

const kinds = (plan: Plan, kind: string): number => allNodes(plan).filter((x) => x.node.kind === kind).length;

/** Two parties, each with two fixed scalars' worth of vectors. */
function twoParty(): { f: ProgramFixture; a: ReturnType<ProgramFixture["input"]>[]; b: ReturnType<ProgramFixture["input"]>[] } {
  const f = new ProgramFixture("t", ["alice", "bob"]);
  const a = [f.input("alice", "a1", "fixed", [8]), f.input("alice", "a2", "fixed", [8])];
  const b = [f.input("bob", "b1", "fixed", [8]), f.input("bob", "b2", "fixed", [8])];
  return { f, a, b };
}

test("independent multiplications share one round (then one round for the reveal)", (t) => {
  const { f, a, b } = twoParty();
  const p = f.op("mul", [a[0]!, b[0]!]);
  const q = f.op("mul", [a[1]!, b[1]!]);
  f.reveal(f.op("add", [p, q]), "s");
  const plan = compiled(f);
  t.is(plan.rounds, 2);
  // each private product: both owners send their masked operand in round 0; the reveal opens in round 1
  const comms = allNodes(plan).filter((x) => x.node.kind === "open" || x.node.kind === "send").map((x) => x.node as { round: number });
  t.deepEqual(
    comms.map((o) => o.round),
    [0, 0, 0, 0, 1],
  );
  t.deepEqual(orderingViolations(plan), []);
});

test("a chain of k dependent multiplications takes k rounds", (t) => {
  for (const k of [1, 2, 3, 5]) {
    const f = new ProgramFixture("chain", ["alice", "bob"]);
    const xa = f.input("alice", "x", "fixed", [4]);
    const yb = f.input("bob", "y", "fixed", [4]);
    let acc = f.op("mul", [xa, yb]);
    for (let i = 1; i < k; i++) acc = f.op("mul", [acc, i % 2 === 0 ? xa : yb]);
    f.reveal(acc, "z");
    const plan = compiled(f);
    t.is(plan.rounds, k + 1, `k = ${k}`);
    t.is(kinds(plan, "dealer"), k);
    t.deepEqual(orderingViolations(plan), []);
  }
});

test("a dot product of two parties' vectors is one private matmul (one matrix triple): one round, then the reveal", (t) => {
  const f = new ProgramFixture("dot", ["alice", "bob"]);
  const u = f.input("alice", "u", "fixed", [100]);
  const v = f.input("bob", "v", "fixed", [100]);
  f.reveal(f.op("matmul", [u, v]), "dot");
  const plan = compiled(f);
  t.is(plan.rounds, 2);
  const dealers = allNodes(plan).filter((x) => x.node.kind === "dealer");
  t.is(dealers.length, 1);
  t.deepEqual((dealers[0]!.node as { item: string; attrs: unknown }).attrs, { a: [1, 100], b: [100, 1], c: [1, 1], a_owner: 0, b_owner: 1 });
  t.deepEqual(orderingViolations(plan), []);
});

test("x @ w with w public needs no communication: secret x is multiplied locally, a private x in the clear", (t) => {
  // Secret x (mixes two owners), public w: local matmul + local truncation, only the reveal talks.
  const f = new ProgramFixture("xw", ["alice", "bob"]);
  const xa = f.input("alice", "xa", "fixed", [4, 2]);
  const xb = f.input("bob", "xb", "fixed", [4, 2]);
  const x = f.op("concat", [xa, xb], { axis: 1 });
  const w = f.op("ones", [], { shape: [4, 1] });
  f.reveal(f.op("matmul", [x, w]), "y");
  const plan = compiled(f);
  t.is(plan.rounds, 1);
  t.is(kinds(plan, "dealer"), 0);
  t.true(allNodes(plan).some((x) => x.node.kind === "local" && x.node.fn === "matmul_public"));

  // Private x, public w, revealed to its owner: all clear at alice, nothing on the wire.
  const g = new ProgramFixture("xw2", ["alice", "bob"]);
  const x2 = g.input("alice", "x", "fixed", [4, 2]);
  g.reveal(g.op("matmul", [x2, g.op("ones", [], { shape: [2, 1] })]), "y", ["alice"]);
  const plan2 = compiled(g);
  t.is(plan2.rounds, 0);
  t.is(planCost(plan2).total.bytes, 0);
  t.deepEqual(orderingViolations(plan2), []);
});

test("a loop of n iterations costs n times its body's rounds", (t) => {
  for (const n of [1, 4, 10]) {
    const f = new ProgramFixture("loop", ["alice", "bob"]);
    const xa = f.input("alice", "x", "fixed", [3]);
    const yb = f.input("bob", "y", "fixed", [3]);
    const acc = f.var("acc", f.op("zeros", [], { shape: [3] }), { kind: "secret" });
    f.for(0, n, () => {
      // Two dependent products per iteration: (acc * x) * y.
      f.assign(acc, f.op("add", [f.op("mul", [f.op("mul", [acc.ref(), xa]), yb]), xa]));
    });
    f.reveal(acc.ref(), "acc");
    const plan = compiled(f);
    const loop = plan.body.find((x) => x.kind === "loop");
    t.truthy(loop);
    t.is(loop?.kind === "loop" ? loop.rounds : -1, 2);
    t.is(plan.rounds, 2 * n + 1, `n = ${n}`);
    t.is(planCost(plan).total.rounds, 2 * n + 1);
    t.deepEqual(orderingViolations(plan), []);
  }
});

test("with three parties a fixed-point product also needs a truncation round", (t) => {
  const f = new ProgramFixture("three", ["a", "b", "c"]);
  const x = f.input("a", "x", "fixed", [2]);
  const y = f.input("b", "y", "fixed", [2]);
  f.reveal(f.op("mul", [x, y]), "z");
  const plan = compiled(f);
  t.is(plan.rounds, 3);
  t.deepEqual(orderingViolations(plan), []);
  // Integer products are not truncated: one round, then the reveal.
  const g = new ProgramFixture("three_int", ["a", "b", "c"]);
  const xi = g.input("a", "x", "int", [2]);
  const yi = g.input("b", "y", "int", [2]);
  g.reveal(g.op("mul", [xi, yi]), "z");
  t.is(compiled(g).rounds, 2);
});

test("a loop is one block of count x rounds in its scope; independent work overlaps the reveals", (t) => {
  const f = new ProgramFixture("overlap", ["alice", "bob"]);
  const xa = f.input("alice", "x", "fixed", [3]);
  const yb = f.input("bob", "y", "fixed", [3]);
  const acc = f.var("acc", xa, { kind: "secret" });
  f.for(0, 3, () => f.assign(acc, f.op("mul", [acc.ref(), yb])));
  const other = f.op("mul", [xa, yb]);
  f.reveal(acc.ref(), "acc");
  f.reveal(other, "other");
  const plan = compiled(f);
  // 3 loop rounds; the independent product shares a round with a reveal: 5, not 6.
  t.is(plan.rounds, 5);
  const rounds = plan.body.filter((n) => n.kind === "open").map((n) => (n.kind === "open" ? n.round : -1));
  t.true(rounds.every((r) => r >= 3 || r === 0));
  t.deepEqual(orderingViolations(plan), []);
});

test("nested loops multiply out: outer n x (inner m x body + own rounds)", (t) => {
  const f = new ProgramFixture("nested", ["alice", "bob"]);
  const xa = f.input("alice", "x", "fixed", [2]);
  const yb = f.input("bob", "y", "fixed", [2]);
  const acc = f.var("acc", xa, { kind: "secret" });
  f.for(0, 3, () => {
    f.for(0, 4, () => f.assign(acc, f.op("mul", [acc.ref(), yb])));
    f.assign(acc, f.op("mul", [acc.ref(), acc.ref()]));
  });
  f.reveal(acc.ref(), "acc");
  const plan = compiled(f);
  const outer = plan.body.find((n) => n.kind === "loop");
  if (outer?.kind !== "loop") return t.fail("no loop");
  const inner = outer.body.find((n) => n.kind === "loop");
  t.is(inner?.kind === "loop" ? inner.rounds : -1, 1);
  t.is(outer.rounds, 4 + 1);
  t.is(plan.rounds, 3 * 5 + 1);
  t.deepEqual(orderingViolations(plan), []);
  const cost = planCost(plan);
  t.deepEqual(
    cost.loops.map((l) => [l.count, l.depth, l.perIteration.rounds, l.total.rounds]),
    [
      [3, 0, 5, 15],
      [4, 1, 1, 4],
    ],
  );
  // 3 x (4 products + 1 square) Beaver items in all.
  t.is(cost.total.dealer.items, 15);
});
