import test from "ava";
import { buildGraph } from "../../../compiler/ir/build.js";
import { compileChecked } from "../../../compiler/middle.js";
import { ProgramFixture } from "./fixtures.js";

function loopProgram(iterations: number): ProgramFixture {
  const f = new ProgramFixture("lr", ["a", "b"]);
  const x = f.input("a", "x", "fixed", [4, 3]);
  const y = f.input("b", "y", "fixed", [4, 1]);
  const w = f.var("w", f.op("zeros", [], { shape: [3, 1] }), { kind: "secret" });
  f.for(0, iterations, () => {
    const err = f.op("sub", [f.op("matmul", [x, w.ref()]), y]);
    f.assign(w, f.op("sub", [w.ref(), f.op("mul", [f.c(0.1), f.op("matmul", [f.op("transpose", [x]), err])])]));
  });
  f.reveal(w.ref(), "w");
  return f;
}

test("a loop is one compound node whose children are its body: graph size does not grow with iterations", (t) => {
  const small = buildGraph(loopProgram(2).program()).graph;
  const big = buildGraph(loopProgram(1000).program()).graph;
  t.is(small.nodeCount(), big.nodeCount());
  const loops = big.g.nodes().filter((id) => big.node(id).kind === "loop");
  t.is(loops.length, 1);
  const loop = big.node(loops[0]!);
  t.is(loop.loop!.count, 1000);
  const kids = big.children(loop.id).map((id) => big.node(id));
  t.true(kids.some((k) => k.kind === "op" && k.op === "matmul"));
  t.true(kids.some((k) => k.kind === "param"));
  t.true(kids.some((k) => k.kind === "index"));
});

test("a loop-carried var is a param with an init edge and a carried edge from its next value", (t) => {
  const g = buildGraph(loopProgram(5).program()).graph;
  const loop = g.node(g.g.nodes().find((id) => g.node(id).kind === "loop")!);
  t.is(loop.loop!.carried.length, 1);
  const { param, out, name } = loop.loop!.carried[0]!;
  t.is(name, "w");
  const [init, next] = g.node(param).args as [string, string];
  t.is(g.node(init).op, "zeros");
  t.is(g.scopeOf(init), undefined);
  t.is(g.scopeOf(next), loop.id);
  t.true(g.g.edge(next, param, "a1").carried);
  t.false(g.g.edge(init, param, "a0").carried);
  t.deepEqual(g.node(out).args, [next]);
  t.is(g.scopeOf(out), undefined);
  // Nodes carry type, visibility, span and (after placement) parties.
  t.deepEqual(g.node(next).shape, [3, 1]);
  t.is(g.node(next).vis.kind, "secret");
  t.is(g.node(next).span.file, "lr.mpc");
});

test("after placement every node knows which parties run it", (t) => {
  const r = compileChecked(loopProgram(3).program());
  const g = r.graph!;
  for (const id of g.g.nodes()) {
    const n = g.node(id);
    const expected = n.vis.kind === "private" ? [n.vis.party] : ["a", "b"];
    if (n.kind !== "reveal") t.deepEqual(n.parties, expected, `${id}`);
  }
});

test("an unexpanded grad is the graph builder's guard error at its span, not a wrong answer", (t) => {
  const f = new ProgramFixture("g", ["a", "b"]);
  const x = f.input("a", "x", "fixed", [3]);
  const w = f.var("w", f.op("zeros", [], { shape: [3] }), { kind: "secret" });
  const loss = f.op("sum", [f.op("mul", [x, w.ref()])]);
  const g = f.grad(loss, w);
  f.reveal(g, "g");
  const r = compileChecked(f.program());
  t.is(r.plan, undefined);
  t.is(r.diagnostics.length, 1);
  const d = r.diagnostics[0]!;
  t.is(d.code, "E1000");
  t.is(d.message, "grad reached the program graph unexpanded (run compiler/autodiff first)");
  t.is(d.span, g.span);
});

test("a reveal inside a loop is an output node of the loop body (it runs at every iteration)", (t) => {
  const f = new ProgramFixture("rl", ["a", "b"]);
  const x = f.input("a", "x", "fixed", [3]);
  const y = f.input("b", "y", "fixed", [3]);
  f.for(0, 2, () => f.reveal(f.op("add", [x, y]), "s"));
  const r = compileChecked(f.program());
  t.deepEqual(r.diagnostics, []);
  const loop = r.plan!.body.find((n) => n.kind === "loop");
  t.true(loop !== undefined && loop.kind === "loop" && loop.body.some((n) => n.kind === "output" && n.name === "s"));
  t.deepEqual(r.plan!.outputs.map((o) => o.name), ["s"]);
});

test("a reveal under a run-time condition is reported at its span", (t) => {
  const f = new ProgramFixture("rc", ["a", "b"]);
  const x = f.input("a", "x", "fixed", [3]);
  f.for(0, 2, (i) => {
    f.if(f.op("eq", [i, f.c(1)]), () => f.reveal(x, "x"));
  });
  const r = compileChecked(f.program());
  t.is(r.plan, undefined);
  t.deepEqual(
    r.diagnostics.map((d) => [d.code, d.message]),
    [["E1002", "not yet supported: reveal inside a run-time condition (`x`)"]],
  );
});

test("an if on a compile-time condition keeps one branch; on the loop index it merges with a public select", (t) => {
  const f = new ProgramFixture("ifs", ["a", "b"]);
  const x = f.input("a", "x", "fixed", [2]);
  const y = f.input("b", "y", "fixed", [2]);
  const v = f.var("v", f.op("zeros", [], { shape: [2] }), { kind: "secret" });
  f.if(f.op("lt", [f.c(1), f.c(2)]), () => f.assign(v, f.op("add", [x, y])), () => f.assign(v, f.op("mul", [x, y])));
  f.for(0, 4, (i) => {
    f.if(f.op("eq", [i, f.c(0)]), () => f.assign(v, f.op("add", [v.ref(), x])));
  });
  f.reveal(v.ref(), "v");
  const r = compileChecked(f.program());
  t.truthy(r.plan, r.diagnostics.map((d) => d.message).join());
  // The constant-false branch (a Beaver product) is gone; the index-dependent if is local work.
  t.is(r.plan!.rounds, 1);
  const g = r.graph!;
  t.true(g.g.nodes().some((id) => g.node(id).op === "select"));
  t.false(g.g.nodes().some((id) => g.node(id).op === "mul"));
});
