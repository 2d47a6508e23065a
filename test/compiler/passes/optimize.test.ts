import test from "ava";
import { compileChecked } from "../../../compiler/middle.js";
import type { Plan, PlanNode } from "../../../runtime/plan/plan.js";
import { ProgramFixture } from "../ir/fixtures.js";
import { allNodes } from "../schedule/contract.js";

function compiled(f: ProgramFixture, optimize = true): Plan {
  const r = compileChecked(f.program(), { optimize });
  if (!r.plan) throw new Error(r.diagnostics.map((d) => d.message).join("\n"));
  return r.plan;
}
const of = <K extends PlanNode["kind"]>(plan: Plan, kind: K): Extract<PlanNode, { kind: K }>[] =>
  allNodes(plan)
    .map((x) => x.node)
    .filter((n): n is Extract<PlanNode, { kind: K }> => n.kind === kind);

function twoInputs(name: string): { f: ProgramFixture; x: ReturnType<ProgramFixture["input"]>; y: ReturnType<ProgramFixture["input"]> } {
  const f = new ProgramFixture(name, ["alice", "bob"]);
  return { f, x: f.input("alice", "x", "fixed", [4]), y: f.input("bob", "y", "fixed", [4]) };
}

test("dead code is not computed: a product no reveal needs has no triple and no round", (t) => {
  const { f, x, y } = twoInputs("dce");
  f.let("unused", f.op("mul", [x, y]));
  f.let("also_unused", f.op("sigmoid", [f.op("add", [x, y])]));
  f.reveal(f.op("add", [x, y]), "s");
  const plan = compiled(f);
  t.is(of(plan, "dealer").length, 0);
  t.is(plan.rounds, 1);
});

test("an input nobody's reveal needs is not even read (but stays in the plan's interface)", (t) => {
  const { f, x } = twoInputs("unread");
  f.reveal(x, "x", ["alice"]);
  const plan = compiled(f);
  t.deepEqual(
    of(plan, "input").map((n) => n.input),
    ["x"],
  );
  t.deepEqual(
    plan.inputs.map((i) => i.name),
    ["x", "y"],
  );
});

test("common subexpressions are computed once: x*y + x*y needs one triple", (t) => {
  const { f, x, y } = twoInputs("cse");
  const prod = (): ReturnType<ProgramFixture["op"]> => f.op("mul", [x, y]);
  f.reveal(f.op("add", [prod(), prod()]), "s");
  t.is(of(compiled(f), "dealer").length, 1);
  const { f: g, x: gx, y: gy } = twoInputs("cse_off");
  g.reveal(g.op("add", [g.op("mul", [gx, gy]), g.op("mul", [gx, gy])]), "s");
  t.is(of(compiled(g, false), "dealer").length, 2);
});

test("constant folding: x * (2 * 3) multiplies shares by the constant 6 exactly, with no clear work", (t) => {
  const { f, x, y } = twoInputs("fold");
  const s = f.op("add", [x, y]);
  f.reveal(f.op("mul", [s, f.op("mul", [f.c(2), f.c(3)])]), "z");
  const plan = compiled(f);
  const mc = of(plan, "local").filter((n) => n.fn === "mul_const");
  t.deepEqual(
    mc.map((n) => n.attrs),
    [{ value: 6, bits: 0 }],
  );
  t.is(of(plan, "clear").filter((n) => n.op !== "decode").length, 0);
  // Unoptimised, 2 * 3 is public clear work at run time and the product is a public multiply.
  const { f: g, x: gx, y: gy } = twoInputs("fold_off");
  g.reveal(g.op("mul", [g.op("add", [gx, gy]), g.op("mul", [g.c(2), g.c(3)])]), "z");
  const off = compiled(g, false);
  t.deepEqual(
    of(off, "clear").map((n) => n.op),
    ["const", "const", "mul", "decode"],
  );
  t.true(of(off, "local").some((n) => n.fn === "mul_public"));
});

test("constant folding removes identities: x * 1.0 and x + 0.0 cost nothing", (t) => {
  const { f, x, y } = twoInputs("ident");
  const s = f.op("add", [x, y]);
  f.reveal(f.op("add", [f.op("mul", [s, f.c(1.0, "fixed")]), f.c(0.0, "fixed")]), "z");
  const plan = compiled(f);
  t.deepEqual(
    of(plan, "local").map((n) => n.fn),
    ["add"],
  );
});

test("loop-invariant work moves before the loop: its product is paid once, not per iteration", (t) => {
  const { f, x, y } = twoInputs("licm");
  const acc = f.var("acc", f.op("zeros", [], { shape: [4] }), { kind: "secret" });
  f.for(0, 10, () => {
    const k = f.op("mul", [x, y]); // invariant
    f.assign(acc, f.op("mul", [f.op("add", [acc.ref(), k]), y]));
  });
  f.reveal(acc.ref(), "acc");
  const plan = compiled(f);
  const loop = plan.body.find((n) => n.kind === "loop");
  if (loop?.kind !== "loop") return t.fail("no loop");
  t.is(loop.rounds, 1);
  t.is(plan.rounds, 1 + 10 + 1);
  t.is(loop.body.filter((n) => n.kind === "dealer").length, 1);
  const off = compiled(f, false);
  const loopOff = off.body.find((n) => n.kind === "loop");
  t.is(loopOff?.kind === "loop" ? loopOff.rounds : -1, 2);
  t.is(loopOff?.kind === "loop" ? loopOff.body.filter((n) => n.kind === "dealer").length : -1, 2);
});
