import test from "ava";
import { compileChecked } from "../../../compiler/middle.js";
import { planCost } from "../../../compiler/cost/cost.js";
import type { Plan, PlanNode } from "../../../runtime/plan/plan.js";
import { ProgramFixture } from "../ir/fixtures.js";
import { allNodes, orderingViolations } from "../schedule/contract.js";

function compiled(f: ProgramFixture): Plan {
  const r = compileChecked(f.program());
  if (!r.plan) throw new Error(r.diagnostics.map((d) => d.message).join("\n"));
  t_order(r.plan);
  return r.plan;
}
function t_order(plan: Plan): void {
  const v = orderingViolations(plan);
  if (v.length > 0) throw new Error(v.join("\n"));
}
const steps = (plan: Plan): string[] =>
  allNodes(plan)
    .map((x) => x.node)
    .filter((n) => n.kind === "local" || n.kind === "dealer" || n.kind === "open" || n.kind === "send")
    .map((n: PlanNode) => (n.kind === "local" ? n.fn : n.kind === "dealer" ? `dealer:${n.item}` : n.kind));

/** (x + y) * (x - y): a product of two secret operands (Beaver's). */
function product(elemX: "fixed" | "int", elemY: "fixed" | "int", parties = ["a", "b"]): Plan {
  const f = new ProgramFixture("p", parties);
  const x = f.input(parties[0]!, "x", elemY, [3]);
  const y = f.input(parties[1]!, "y", elemY, [3]);
  const s = f.op("add", [x, y]);
  f.reveal(f.op("mul", [elemX === elemY ? s : f.op("cast", [s], { to: elemX }), f.op("sub", [x, y])]), "z");
  return compiled(f);
}

/** (x + y) * y: a secret operand times one private to the last party (mulPrivateSecret). */
function mixedProduct(elemX: "fixed" | "int", elemY: "fixed" | "int", parties = ["a", "b"]): Plan {
  const f = new ProgramFixture("p", parties);
  const x = f.input(parties[0]!, "x", elemY, [3]);
  const y = f.input(parties[parties.length - 1]!, "y", elemY, [3]);
  const s = f.op("add", [x, y]);
  f.reveal(f.op("mul", [elemX === elemY ? s : f.op("cast", [s], { to: elemX }), y]), "z");
  return compiled(f);
}

/** x * y with x and y private to two different parties (the private product). */
function privateProduct(elemX: "fixed" | "int", elemY: "fixed" | "int", parties = ["a", "b"]): Plan {
  const f = new ProgramFixture("p", parties);
  const x = f.input(parties[0]!, "x", elemX, [3]);
  const y = f.input(parties[1]!, "y", elemY, [3]);
  f.reveal(f.op("mul", [x, y]), "z");
  return compiled(f);
}

test("a secret fixed*fixed product is a Beaver product then one truncation; int*fixed and int*int are not truncated", (t) => {
  const beaver = (p: Plan): string[] => steps(p).filter((s) => s !== "lshift" && s !== "add" && s !== "sub");
  t.deepEqual(beaver(product("fixed", "fixed")), ["dealer:triple_mul", "sub_pair", "open", "beaver_mul", "trunc_local", "open"]);
  t.deepEqual(beaver(product("int", "int")), ["dealer:triple_mul", "sub_pair", "open", "beaver_mul", "open"]);
  // the secret int (x + y cast to int: truncated) times the fixed y
  t.deepEqual(beaver(product("int", "fixed")), ["trunc_local", "dealer:triple_mul", "sub_pair", "open", "beaver_mul", "open"]);
  const plan = product("int", "fixed");
  t.deepEqual(plan.outputs[0], { name: "z", to: ["a", "b"], elem: "fixed", shape: [3], from: { kind: "secret" } });
});

test("a secret operand times a private one is mulPrivateSecret: the private operand is never shared, its owner sends it masked, the secret one is opened to the owner only", (t) => {
  // (the sub is D = s - b; sends and opens are scheduled in one round)
  const steps2 = (p: Plan): string[] => steps(p).filter((s) => s !== "lshift" && s !== "add");
  const mixed = ["dealer:triple_mul", "mask_private", "sub", "send", "open", "beaver_mul_private"];
  t.deepEqual(steps2(mixedProduct("fixed", "fixed")), [...mixed, "trunc_local", "open"]);
  t.deepEqual(steps2(mixedProduct("int", "int")), [...mixed, "open"]);
  for (const parties of [
    ["a", "b"],
    ["a", "b", "c"],
  ]) {
    const plan = mixedProduct("fixed", "fixed", parties);
    const nodes = allNodes(plan).map((n) => n.node);
    const y = nodes.find((n) => n.kind === "input" && n.input === "y")!;
    const yId = y.kind === "input" ? y.out : "";
    // y is shared once, for x + y; the product reads it in the clear
    t.deepEqual(nodes.filter((n) => n.kind === "share").map((n) => (n.kind === "share" ? n.from : "")).sort(), [nodes.find((n) => n.kind === "input" && n.input === "x")!, y].map((n) => (n.kind === "input" ? n.out : "")).sort());
    const mask = nodes.find((n) => n.kind === "local" && n.fn === "mask_private")!;
    t.true(mask.kind === "local" && mask.args[0] === yId);
    const last = parties[parties.length - 1]!;
    const send = nodes.find((n) => n.kind === "send")!;
    t.deepEqual(send.kind === "send" ? [send.from, send.to] : [], [last, parties.slice(0, -1)]);
    const open = nodes.find((n) => n.kind === "open")!;
    t.deepEqual(open.kind === "open" ? open.to : [], [last]);
    t.is(send.kind === "send" && open.kind === "open" ? send.round : -1, open.kind === "open" ? open.round : -2);
    const dealer = nodes.find((n) => n.kind === "dealer")!;
    t.deepEqual(dealer.kind === "dealer" ? dealer.attrs : {}, { shape: [3], a_owner: parties.length - 1 });
    // 1 round for the product, as Beaver; (n-1)(|x| + |y|) elements where Beaver has n(n-1)(|x| + |y|)
    const [pc, bc] = [planCost(plan), planCost(product("fixed", "fixed", parties))];
    t.is(pc.total.rounds, bc.total.rounds);
    const n = parties.length;
    // the rest (the reveal, and with 3 parties the truncation's opening) is the same in both
    const rest = bc.total.bytes - 8 * n * (n - 1) * 6;
    t.is(pc.total.bytes, rest + 8 * (n - 1) * 6);
  }
});

test("a product of operands private to two parties is the private protocol: no share, each owner sends its masked operand once", (t) => {
  const priv = ["dealer:triple_mul", "mask_private", "mask_private", "send", "send", "beaver_mul_private"];
  t.deepEqual(steps(privateProduct("fixed", "fixed")), [...priv, "trunc_local", "open"]);
  t.deepEqual(steps(privateProduct("int", "fixed")), [...priv, "open"]);
  t.deepEqual(steps(privateProduct("int", "int")), [...priv, "open"]);
  const plan = privateProduct("int", "fixed");
  t.deepEqual(plan.outputs[0], { name: "z", to: ["a", "b"], elem: "fixed", shape: [3], from: { kind: "secret" } });
  t.is(allNodes(plan).filter((n) => n.node.kind === "share").length, 0);
  const dealer = allNodes(plan).find((n) => n.node.kind === "dealer")!.node;
  t.deepEqual(dealer.kind === "dealer" ? dealer.attrs : {}, { shape: [3], a_owner: 0, b_owner: 1 });
});

test("with three parties truncation is the dealer-assisted protocol (its own round)", (t) => {
  t.deepEqual(steps(privateProduct("fixed", "fixed", ["a", "b", "c"])), [
    "dealer:triple_mul",
    "mask_private",
    "mask_private",
    "send",
    "send",
    "beaver_mul_private",
    "dealer:trunc_pair",
    "trunc_mask",
    "open",
    "trunc_unmask",
    "open",
  ]);
});

test("an int secret added to a fixed secret is scaled up first; a fixed secret cast to int is truncated", (t) => {
  const f = new ProgramFixture("cast", ["a", "b"]);
  const x = f.input("a", "x", "int", [2]);
  const y = f.input("b", "y", "fixed", [2]);
  const s = f.op("add", [x, y]);
  f.reveal(f.op("cast", [s], { to: "int" }), "n");
  const plan = compiled(f);
  const locals = allNodes(plan)
    .map((a) => a.node)
    .filter((n): n is Extract<PlanNode, { kind: "local" }> => n.kind === "local");
  t.deepEqual(
    locals.map((n) => [n.fn, n.attrs]),
    [
      ["lshift", { bits: 16 }],
      ["add", {}],
      ["trunc_local", { bits: 16 }],
    ],
  );
  t.is(plan.values.find((v) => v.id === locals[2]!.out[0])!.elem, "int");
});

test("a reveal to one party opens only to it: only the other parties send", (t) => {
  const f = new ProgramFixture("r1", ["a", "b", "c"]);
  const x = f.input("a", "x", "int", [5]);
  const y = f.input("b", "y", "int", [5]);
  f.reveal(f.op("add", [x, y]), "s", ["c"]);
  const plan = compiled(f);
  const opens = allNodes(plan).filter((n) => n.node.kind === "open");
  t.is(opens.length, 1);
  t.deepEqual((opens[0]!.node as { to: string[] }).to, ["c"]);
  const decode = plan.body.find((n) => n.kind === "clear" && n.op === "decode");
  t.deepEqual(decode?.kind === "clear" ? decode.parties : [], ["c"]);
  t.deepEqual(
    planCost(plan).total.pairs.map((p) => [p.from, p.to, p.bytes]),
    [
      ["a", "c", 40],
      ["b", "c", 40],
    ],
  );
  const out = plan.body.find((n) => n.kind === "output");
  t.deepEqual(out?.kind === "output" ? out.to : [], ["c"]);
});

test("mean and mse of secret values: local sums and constant multiplies, mse one square pair", (t) => {
  const f = new ProgramFixture("m", ["a", "b"]);
  const p = f.input("a", "p", "fixed", [4, 1]);
  const y = f.input("b", "y", "fixed", [4, 1]);
  const s = f.op("add", [p, y]);
  f.reveal(f.op("mean", [s]), "avg");
  f.reveal(f.op("mse", [p, y]), "loss");
  const plan = compiled(f);
  const st = steps(plan);
  t.deepEqual(st.filter((x) => x.startsWith("dealer")), ["dealer:square_pair"]);
  const consts = allNodes(plan)
    .map((a) => a.node)
    .filter((n): n is Extract<PlanNode, { kind: "local" }> => n.kind === "local" && n.fn === "mul_const")
    .map((n) => n.attrs["value"]);
  t.deepEqual(consts, [0.25, 0.25]);
  // mean: no round of its own; mse: its square's round; then both reveals in one round.
  t.is(plan.rounds, 2);
});

test("a secret matmul is one matrix triple shaped like its operands; vectors become matrices", (t) => {
  const f = new ProgramFixture("mm", ["a", "b"]);
  const x = f.input("a", "x", "fixed", [5, 3]);
  const v = f.input("b", "v", "fixed", [3]);
  const u = f.input("b", "u", "fixed", [3]);
  f.reveal(f.op("matmul", [x, f.op("add", [v, u])]), "y");
  f.reveal(f.op("matmul", [x, v]), "yp");
  const plan = compiled(f);
  const dealers = allNodes(plan).flatMap((n) => (n.node.kind === "dealer" ? [n.node.attrs] : []));
  // x @ (v + u): v + u is bob's alone, so both are private: the private matmul twice
  t.deepEqual(dealers, [
    { a: [5, 3], b: [3, 1], c: [5, 1], a_owner: 0, b_owner: 1 },
    { a: [5, 3], b: [3, 1], c: [5, 1], a_owner: 0, b_owner: 1 },
  ]);
  t.deepEqual(plan.outputs.map((o) => o.shape), [[5], [5]]);
  const g = new ProgramFixture("mm2", ["a", "b"]);
  const gx = g.input("a", "x", "fixed", [5, 3]);
  const gv = g.input("b", "v", "fixed", [3]);
  g.reveal(g.op("matmul", [g.op("add", [gx, g.op("ones", [], { shape: [5, 3] })]), g.op("mul", [gv, gv])]), "y");
  const gp = compiled(g);
  t.deepEqual(
    allNodes(gp).flatMap((n) => (n.node.kind === "dealer" ? [n.node.attrs] : [])),
    [{ a: [5, 3], b: [3, 1], c: [5, 1], a_owner: 0, b_owner: 1 }],
  );
  t.deepEqual(gp.outputs[0]!.shape, [5]);
});

test("a matmul of a secret operand and a private one is the private protocol as a 1x1 convolution, unless the secret operand has other products (then Beaver's matrix triple on the shared one)", (t) => {
  const build = (otherProduct: boolean): Plan => {
    const f = new ProgramFixture("mm", ["a", "b"]);
    const x = f.input("a", "x", "fixed", [5, 3]);
    const w = f.input("b", "w", "fixed", [5, 3]);
    const v = f.input("b", "v", "fixed", [3]);
    const s = f.op("add", [x, w]);
    f.reveal(f.op("matmul", [s, v]), "y");
    if (otherProduct) f.reveal(f.op("mul", [s, s]), "s2");
    return compiled(f);
  };
  const conv = build(false);
  const dealers = (p: Plan): unknown[] => allNodes(p).flatMap((n) => (n.node.kind === "dealer" ? [[n.node.item, n.node.attrs]] : []));
  // x + w is [5, 3] images of 3 channels, v^T one kernel [1, 3, 1, 1]; v is bob's (b_owner 1)
  t.deepEqual(dealers(conv), [["triple_conv", { a: [5, 3, 1, 1], b: [1, 3, 1, 1], c: [5, 1, 1, 1], stride: 1, padding: 0, b_owner: 1 }]]);
  const vIn = allNodes(conv).find((n) => n.node.kind === "input" && n.node.input === "v")!.node;
  t.false(allNodes(conv).some((n) => n.node.kind === "share" && vIn.kind === "input" && n.node.from === vIn.out));
  t.deepEqual(conv.outputs[0]!.shape, [5]);
  const beaver = build(true);
  t.deepEqual(dealers(beaver).filter((d) => (d as [string])[0] === "triple_matmul"), [["triple_matmul", { a: [5, 3], b: [3, 1], c: [5, 1] }]]);
});

test("select on a public condition is local (on a constant one, free); on a secret condition one Beaver product", (t) => {
  const f = new ProgramFixture("sel", ["a", "b"]);
  const x = f.input("a", "x", "fixed", [2]);
  const y = f.input("b", "y", "fixed", [2]);
  const cb = f.input("b", "c", "bool", [2]);
  const mask = f.op("gt", [f.op("ones", [], { shape: [2] }), f.c(0)]); // public, known at run time
  f.reveal(f.op("select", [mask, x, y]), "pub");
  f.reveal(f.op("select", [f.c(false), x, y]), "folded");
  f.reveal(f.op("select", [cb, x, y]), "sec");
  const plan = compiled(f);
  t.deepEqual(
    steps(plan).filter((s) => s.startsWith("dealer")),
    ["dealer:triple_mul"],
  );
});
