// Plans from the compiler, run by the runtime (every party and the dealer in worker threads):
// the outputs match a float64 reference within fixed-point tolerance, and the rounds and
// dealer items the runtime counts are the ones the compiler's cost model predicted.

import test from "ava";
import { compileSource } from "../../../compiler/pipeline.js";
import { planCost } from "../../../compiler/cost/cost.js";
import { runInProcess } from "../../../runtime/executor/index.js";
import { clearTensor } from "../../../runtime/clear/index.js";
import type { ClearTensor } from "../../../runtime/clear/index.js";

const SOURCE = `
program e2e
party alice, bob

input alice.x : fixed[6, 2]
input bob.y   : fixed[6, 1]
input bob.k   : int

let xs = x * 2.0 - mean(x, axis = 0)        // private: alice alone, in the clear
var w = zeros(2, 1)                          // public start, secret in the loop
for i in 0..3 {
  let err = xs @ w - y
  w = w - 0.1 * transpose(xs) @ err
}
reveal w to alice, bob
reveal sum(x * y) as s to alice
reveal x @ ones(2, 1) as xo to bob           // a plain disclosure of alice's data
reveal k * 3 + k as kk to alice, bob
`;

const X = [0.5, -1.25, 2, 0.75, -0.5, 1.5, 1.25, 0.25, -2, 1, 0.125, -0.75];
const Y = [1, -0.5, 0.25, 2, -1.5, 0.75];

function reference(): { w: number[]; s: number; xo: number[] } {
  const rows = 6;
  const mean = [0, 1].map((j) => X.filter((_, i) => i % 2 === j).reduce((a, b) => a + b, 0) / rows);
  const xs = X.map((v, i) => v * 2 - mean[i % 2]!);
  let w = [0, 0];
  for (let it = 0; it < 3; it++) {
    const err = Y.map((y, r) => xs[2 * r]! * w[0]! + xs[2 * r + 1]! * w[1]! - y);
    const g = [0, 1].map((j) => err.reduce((a, e, r) => a + xs[2 * r + j]! * e, 0));
    w = w.map((v, j) => v - 0.1 * g[j]!);
  }
  const s = X.reduce((a, v, i) => a + v * Y[Math.floor(i / 2)]!, 0);
  const xo = Y.map((_, r) => X[2 * r]! + X[2 * r + 1]!);
  return { w, s, xo };
}

test("a compiled plan runs on the runtime and matches the float64 reference; rounds and dealer items as estimated", async (t) => {
  const r = compileSource(SOURCE, "e2e.mpc");
  t.deepEqual(r.diagnostics, []);
  const plan = r.plan!;
  const inputs = new Map<string, ClearTensor>([
    ["alice.x", clearTensor(X, [6, 2])],
    ["bob.y", clearTensor(Y, [6, 1])],
    ["bob.k", clearTensor([7], [])],
  ]);
  const run = await runInProcess(plan, inputs, { timeoutMs: 60_000 });
  const ref = reference();
  const out = (party: string, name: string): number[] => [...run.outputs.get(party)!.get(name)!.data];
  for (const party of ["alice", "bob"]) {
    const w = out(party, "w");
    t.is(w.length, 2);
    w.forEach((v, j) => t.true(Math.abs(v - ref.w[j]!) < 2e-3, `${party} w[${j}] = ${v}, expected ${ref.w[j]}`));
    t.deepEqual(out(party, "kk"), [28]);
  }
  t.true(Math.abs(out("alice", "s")[0]! - ref.s) < 1e-3);
  t.false(run.outputs.get("bob")!.has("s"));
  t.deepEqual(out("bob", "xo"), ref.xo);
  const cost = planCost(plan);
  t.is(run.stats.rounds, plan.rounds);
  t.is(run.stats.dealerItems, cost.total.dealer.items);
});

test("three parties: products with the dealer's truncation protocol, a secret select, a nested loop", async (t) => {
  const source = `
program three
party a, b, c
input a.u : fixed[4]
input b.v : fixed[4]
input c.m : bool[4]
var acc = u
for i in 0..2 {
  for j in 0..2 {
    acc = acc * v + 0.5
  }
}
reveal acc to a, b, c
reveal select(m, u, v) as picked to c
reveal mean(stack(u, v), axis = 0) as avg to all
`;
  const r = compileSource(source, "three.mpc");
  t.deepEqual(r.diagnostics, []);
  const plan = r.plan!;
  const U = [0.5, -0.25, 1.5, 0.75];
  const V = [1.25, 0.5, -0.75, 0.375];
  const M = [1, 0, 0, 1];
  const run = await runInProcess(
    plan,
    new Map([
      ["a.u", clearTensor(U, [4])],
      ["b.v", clearTensor(V, [4])],
      ["c.m", clearTensor(M, [4])],
    ]),
    { timeoutMs: 60_000 },
  );
  let acc = [...U];
  for (let k = 0; k < 4; k++) acc = acc.map((x, i) => x * V[i]! + 0.5);
  const got = [...run.outputs.get("b")!.get("acc")!.data];
  got.forEach((x, i) => t.true(Math.abs(x - acc[i]!) < 1e-3, `acc[${i}] = ${x}, expected ${acc[i]}`));
  t.deepEqual([...run.outputs.get("c")!.get("picked")!.data], [U[0], V[1], V[2], U[3]]);
  const avg = [...run.outputs.get("a")!.get("avg")!.data];
  avg.forEach((x, i) => t.true(Math.abs(x - (U[i]! + V[i]!) / 2) < 1e-4));
  t.is(run.stats.rounds, plan.rounds);
  t.is(run.stats.dealerItems, planCost(plan).total.dealer.items);
});
