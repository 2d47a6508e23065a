import test from "ava";
import { compileChecked } from "../../../compiler/middle.js";
import { privateProductOperands } from "../../../compiler/passes/placement.js";
import { planCost } from "../../../compiler/cost/cost.js";
import type { Plan, PlanNode } from "../../../runtime/plan/plan.js";
import { ProgramFixture } from "../ir/fixtures.js";
import { allNodes, orderingViolations } from "../schedule/contract.js";

function compiled(f: ProgramFixture): Plan {
  const r = compileChecked(f.program());
  if (!r.plan) throw new Error(r.diagnostics.map((d) => d.message).join("\n"));
  return r.plan;
}

const nodes = (plan: Plan): PlanNode[] => allNodes(plan).map((x) => x.node);
const of = <K extends PlanNode["kind"]>(plan: Plan, kind: K): Extract<PlanNode, { kind: K }>[] =>
  nodes(plan).filter((n): n is Extract<PlanNode, { kind: K }> => n.kind === kind);

test("a party scaling its own input does that work in the clear, alone, and shares only the result", (t) => {
  const f = new ProgramFixture("scale", ["alice", "bob"]);
  const x = f.input("alice", "x", "fixed", [5]);
  const y = f.input("bob", "y", "fixed", [5]);
  const scaled = f.op("mul", [x, f.op("ones", [], { shape: [5] })]);
  const centred = f.op("sub", [scaled, f.op("mean", [scaled])]);
  f.reveal(f.op("add", [centred, y]), "z");
  const plan = compiled(f);
  const clear = of(plan, "clear").filter((n) => n.op === "mean" || n.op === "sub" || n.op === "mul");
  t.deepEqual(
    clear.map((n) => [n.op, n.parties]),
    [
      ["mul", ["alice"]],
      ["mean", ["alice"]],
      ["sub", ["alice"]],
    ],
  );
  const shares = of(plan, "share");
  t.deepEqual(
    shares.map((s) => s.owner).sort(),
    ["alice", "bob"],
  );
  // What alice shares is her centred value, not her raw input.
  const centredValue = clear.find((n) => n.op === "sub")!.out;
  t.true(shares.some((s) => s.from === centredValue));
  const inputValue = of(plan, "input").find((n) => n.party === "alice")!.out;
  t.false(shares.some((s) => s.from === inputValue));
});

test("a reveal of a public value costs nothing: no open, no send, zero rounds and bytes", (t) => {
  const f = new ProgramFixture("pub", ["alice", "bob"]);
  f.reveal(f.op("mul", [f.op("ones", [], { shape: [3] }), f.c(2.5)]), "k");
  const plan = compiled(f);
  t.is(of(plan, "open").length, 0);
  t.is(of(plan, "send").length, 0);
  t.is(plan.rounds, 0);
  t.is(planCost(plan).total.bytes, 0);
  t.deepEqual(plan.outputs, [{ name: "k", to: ["alice", "bob"], elem: "fixed", shape: [3], from: { kind: "public" } }]);
});

test("a private value revealed to another party is one send (a plain disclosure); to its owner it is free", (t) => {
  const f = new ProgramFixture("priv", ["alice", "bob"]);
  const x = f.input("alice", "x", "fixed", [3]);
  f.reveal(x, "x", ["alice", "bob"]);
  f.reveal(f.op("neg", [x]), "nx", ["alice"]);
  const plan = compiled(f);
  const sends = of(plan, "send");
  t.is(sends.length, 1);
  t.is(sends[0]!.from, "alice");
  t.deepEqual(sends[0]!.to, ["bob"]);
  t.is(plan.rounds, 1);
  t.is(of(plan, "open").length, 0);
  const cost = planCost(plan);
  t.deepEqual(cost.total.pairs, [{ from: "alice", to: "bob", messages: 1, bytes: 24 }]);
});

test("a private value used by several secret ops is shared once", (t) => {
  const f = new ProgramFixture("once", ["alice", "bob"]);
  const x = f.input("alice", "x", "fixed", [4]);
  const y = f.input("bob", "y", "fixed", [4]);
  const a = f.op("add", [x, y]);
  const m = f.op("mul", [x, y]);
  const s = f.op("sub", [y, x]);
  f.reveal(f.op("add", [f.op("add", [a, m]), s]), "r");
  const plan = compiled(f);
  const shares = of(plan, "share");
  t.is(shares.length, 2);
  const xv = of(plan, "input").find((n) => n.input === "x")!.out;
  t.is(shares.filter((sh) => sh.from === xv).length, 1);
  t.deepEqual(orderingViolations(plan), []);
});

test("a var that starts public and is secret in the loop is shared once, before the loop, for free", (t) => {
  const f = new ProgramFixture("carry", ["alice", "bob"]);
  const x = f.input("alice", "x", "fixed", [2]);
  const y = f.input("bob", "y", "fixed", [2]);
  const w = f.var("w", f.op("zeros", [], { shape: [2] }), { kind: "secret" });
  f.for(0, 3, () => f.assign(w, f.op("add", [w.ref(), f.op("mul", [x, y])])));
  f.reveal(w.ref(), "w");
  const plan = compiled(f);
  const loop = plan.body.find((n) => n.kind === "loop")!;
  t.is(loop.kind, "loop");
  if (loop.kind !== "loop") return;
  const init = loop.carried[0]!.init;
  const shareOfInit = plan.body.find((n) => n.kind === "share" && n.out === init);
  t.truthy(shareOfInit);
  t.is(shareOfInit?.kind === "share" ? shareOfInit.owner : "", "public");
  t.true(plan.body.indexOf(shareOfInit!) < plan.body.indexOf(loop));
  t.false(loop.body.some((n) => n.kind === "share"));
  // Sharing costs no round: the loop-invariant x * y was hoisted, the body is local.
  t.is(loop.rounds, 0);
  t.is(plan.rounds, 2);
});

test("a private var with a public start: the owner keeps its own copy (no other party holds it)", (t) => {
  const f = new ProgramFixture("pvar", ["alice", "bob"]);
  const x = f.input("alice", "x", "fixed", [2]);
  const acc = f.var("acc", f.op("zeros", [], { shape: [2] }), { kind: "private", party: "alice" });
  f.for(0, 3, () => f.assign(acc, f.op("add", [acc.ref(), x])));
  f.reveal(acc.ref(), "acc", ["alice"]);
  const plan = compiled(f);
  const loop = plan.body.find((n) => n.kind === "loop");
  if (loop?.kind !== "loop") return t.fail("no loop");
  const holders = (id: string): string[] => plan.values.find((v) => v.id === id)!.holders;
  const c = loop.carried[0]!;
  for (const v of [c.init, c.param, c.next, c.out]) t.deepEqual(holders(v), ["alice"]);
  t.is(plan.rounds, 0);
});

test("secret losses and non-linear functions compile to protocols; an op with no secret protocol is a clear 'not yet supported' error; on private values they run in the clear", (t) => {
  const f = new ProgramFixture("nl", ["alice", "bob"]);
  const x = f.input("alice", "x", "fixed", [3]);
  const y = f.input("bob", "y", "fixed", [3]);
  f.reveal(f.op("bce", [f.op("sigmoid", [f.op("add", [x, y])]), y]), "s");
  f.reveal(f.op("cross_entropy", [f.op("sub", [x, y]), x]), "c");
  const losses = compiled(f);
  // rewritten by canonicalize (compiler/passes/losses.ts): no loss op is left anywhere
  t.false(nodes(losses).some((n) => "op" in n && (n.op === "bce" || n.op === "cross_entropy")));
  t.true(of(losses, "dealer").some((n) => n.item === "nl_onehot"), "the logs run as protocols");
  // The checker makes a loss's operands fixed, so every secret op it produces has a protocol;
  // an IR loss on int shares (which it never produces) is not rewritten and meets the guard.
  const u = new ProgramFixture("nl4", ["alice", "bob"]);
  const ux = u.input("alice", "x", "int", [3]);
  const uy = u.input("bob", "y", "int", [3]);
  const bad = u.op("bce", [u.op("add", [ux, uy]), ux]);
  u.reveal(bad, "s");
  const r = compileChecked(u.program());
  t.is(r.plan, undefined);
  t.deepEqual(
    r.diagnostics.map((d) => [d.code, d.message, d.span.line]),
    [["E1001", "not yet supported on secret values: bce (no protocol on shares for it)", bad.span.line]],
  );
  // secret sigmoid and exp compile to their protocols (one-hot lookups, a comparison)
  const h = new ProgramFixture("nl3", ["alice", "bob"]);
  const hx = h.input("alice", "x", "fixed", [3]);
  const hy = h.input("bob", "y", "fixed", [3]);
  h.reveal(h.op("sigmoid", [h.op("add", [hx, hy])]), "s");
  h.reveal(h.op("exp", [h.op("sub", [hx, hy])]), "e");
  const secret = compiled(h);
  const items = new Set(of(secret, "dealer").map((n) => n.item));
  for (const item of ["compare", "nl_onehot", "triple_mul"]) t.true(items.has(item), `a ${item} dealer item`);
  t.false(of(secret, "clear").some((n) => n.op === "sigmoid" || n.op === "exp"));
  // The same sigmoid on alice's own data alone compiles to clear work at alice.
  const g = new ProgramFixture("nl2", ["alice", "bob"]);
  const gx = g.input("alice", "x", "fixed", [3]);
  g.reveal(g.op("sigmoid", [gx]), "s", ["alice"]);
  const ok = compileChecked(g.program());
  t.truthy(ok.plan);
  t.deepEqual(
    of(ok.plan!, "clear").map((n) => [n.op, n.parties]),
    [["sigmoid", ["alice"]]],
  );
});

test("division: by a public constant is a local multiply, by another party's private value a Beaver product, by a secret the reciprocal protocol", (t) => {
  const f = new ProgramFixture("div", ["alice", "bob"]);
  const x = f.input("alice", "x", "fixed", [3]);
  const y = f.input("bob", "y", "fixed", [3]);
  const s = f.op("add", [x, y]);
  f.reveal(f.op("div", [s, f.c(4.0)]), "q1");
  f.reveal(f.op("div", [s, y]), "q2");
  const plan = compiled(f);
  const recips = of(plan, "clear").filter((n) => n.op === "reciprocal");
  t.deepEqual(recips.map((n) => n.parties), [["bob"]]);
  t.is(of(plan, "dealer").length, 1);
  t.true(of(plan, "local").some((n) => n.fn === "mul_const" && n.attrs["value"] === 0.25));

  const g = new ProgramFixture("div2", ["alice", "bob"]);
  const gx = g.input("alice", "x", "fixed", [3]);
  const gy = g.input("bob", "y", "fixed", [3]);
  const gs = g.op("add", [gx, gy]);
  const q = g.op("div", [gx, gs]);
  g.reveal(q, "q");
  const r = compileChecked(g.program());
  t.deepEqual(r.diagnostics, []);
  // the divisor's sign and leading bit by comparisons, then products: no clear reciprocal
  t.true(of(r.plan!, "dealer").some((n) => n.item === "compare"));
  t.false(of(r.plan!, "clear").some((n) => n.op === "reciprocal"));
});

/** acc += X @ v for `iters` iterations: X alice's [rows, 4] (loop-invariant), v bob's private
 *  var [4, 1] changing every iteration. */
function invariantProduct(rows: number, iters: number): Plan {
  const f = new ProgramFixture("inv", ["alice", "bob"]);
  const x = f.input("alice", "x", "fixed", [rows, 4]);
  const v0 = f.input("bob", "v0", "fixed", [4, 1]);
  const v = f.var("v", v0);
  const acc = f.var("acc", f.op("zeros", [], { shape: [rows, 1] }), { kind: "secret" });
  f.for(0, iters, () => {
    f.assign(v, f.op("add", [v.ref(), v0]));
    f.assign(acc, f.op("add", [acc.ref(), f.op("matmul", [x, v.ref()])]));
  });
  f.reveal(acc.ref(), "acc");
  return compiled(f);
}

test("a matmul of operands private to two parties is the private protocol, unless inside a loop masking the loop-invariant one once puts fewer elements on the wire", (t) => {
  const items = (plan: Plan): string[] => of(plan, "dealer").map((d) => `${d.item}${d.attrs["a_owner"] === undefined ? "" : " private"}`);
  // X [2, 4], 2 iterations: masked 2*8 + 2*2*4 = 32 elements, private 2*(8 + 4) = 24
  const small = invariantProduct(2, 2);
  t.deepEqual(items(small), ["triple_matmul private"]);
  t.deepEqual(of(small, "share").map((s) => s.owner), ["public"]);
  // X [20, 4], 5 iterations: masked 2*80 + 5*2*4 = 200, private 5*(80 + 4) = 420
  const big = invariantProduct(20, 5);
  t.deepEqual(items(big).sort(), ["mask", "triple_matmul_masked"]);
  t.deepEqual(of(big, "share").map((s) => s.owner).sort(), ["alice", "bob", "public"]);
  // the bytes `mpc cost` counts: the products' elements as above, plus the reveal of acc (both ways)
  t.is(planCost(small).total.bytes, 8 * (24 + 2 * 2));
  t.is(planCost(big).total.bytes, 8 * (200 + 2 * 20));
});

test("which operands a product keeps in the clear: both for two owners; the private one of private * secret and conv2d; none for private @ secret (mixedMatmulKeepsPrivate decides) or one owner", (t) => {
  const P = { kind: "private", party: "alice" } as const;
  const Q = { kind: "private", party: "bob" } as const;
  const S = { kind: "secret" } as const;
  const C = { kind: "public" } as const;
  t.deepEqual(privateProductOperands("mul", [P, Q]), [0, 1]);
  t.deepEqual(privateProductOperands("mul", [P, P]), []);
  t.deepEqual(privateProductOperands("mul", [P, S]), [0]);
  t.deepEqual(privateProductOperands("mul", [S, Q]), [1]);
  t.deepEqual(privateProductOperands("mul", [C, S]), []);
  t.deepEqual(privateProductOperands("conv2d", [S, Q]), [1]);
  t.deepEqual(privateProductOperands("matmul", [P, S]), []);
  t.deepEqual(privateProductOperands("add", [P, S]), []);
});

test("private * secret keeps the private operand in the clear even where it is also shared for another secret op, and in a loop", (t) => {
  const f = new ProgramFixture("ps", ["alice", "bob"]);
  const x = f.input("alice", "x", "fixed", [4]);
  const y = f.input("bob", "y", "fixed", [4]);
  const s = f.op("add", [x, y]);
  f.reveal(f.op("mul", [x, s]), "p");
  const w = f.var("w", s, { kind: "secret" });
  f.for(0, 3, () => f.assign(w, f.op("mul", [w.ref(), x])));
  f.reveal(w.ref(), "w");
  const plan = compiled(f);
  const xv = of(plan, "input").find((n) => n.input === "x")!.out;
  // x is shared once, for x + y; both products read it in the clear at alice
  t.is(of(plan, "share").filter((n) => n.from === xv).length, 1);
  const masks = of(plan, "local").filter((n) => n.fn === "mask_private");
  t.is(masks.length, 2);
  t.true(masks.every((n) => n.args[0] === xv && n.attrs["owner"] === "alice"));
  t.false(of(plan, "local").some((n) => n.fn === "beaver_mul"));
  t.deepEqual(orderingViolations(plan), []);
});
