// Non-linear functions end to end: for each function, a .mpc program whose argument mixes two
// parties' inputs (so it is secret) is compiled from source and run securely; every revealed
// value matches the plaintext reference (compiler/reference) within the function's
// documented bound, and the rounds and dealer items the run counts are what `mpc cost`
// estimates. Most programs run with every party and the dealer in this thread (runInThread,
// fast); logistic regression (programs/feature_aggregation.mpc, sigmoid in a training loop)
// runs in worker threads, as `mpc run` does.

import test from "ava";
import { join } from "node:path";
import { planCost } from "../../compiler/cost/cost.js";
import { checkFile, checkSource } from "../../compiler/frontend.js";
import { compileFile, compileSource } from "../../compiler/pipeline.js";
import { runPlaintext } from "../../compiler/reference/index.js";
import type { CheckedProgram } from "../../compiler/check/typed.js";
import { clearTensor, type ClearTensor } from "../../runtime/clear/index.js";
import { runInProcess, runInThread, type RunResult } from "../../runtime/executor/index.js";
import { loadInputs, resolveInputs } from "../../runtime/io/index.js";
import type { Plan } from "../../runtime/plan/plan.js";

const ROOT = join(import.meta.dirname, "..", "..");

type Tol = (exact: number) => number;

function compare(t: import("ava").ExecutionContext, plan: Plan, program: CheckedProgram, inputs: Map<string, ClearTensor>, run: RunResult, tol: Tol): void {
  const ref = runPlaintext(program, inputs);
  t.true(ref.outputs.length > 0);
  for (const o of ref.outputs) {
    for (const party of o.to) {
      const got = run.outputs.get(party)?.get(o.name);
      if (!got) return void t.fail(`${party} did not receive ${o.name}`);
      t.deepEqual(got.shape, o.value.shape, `${o.name} shape`);
      o.value.data.forEach((want, i) => {
        const err = Math.abs(got.data[i]! - want);
        if (!(err <= tol(want))) t.fail(`${o.name}[${i}] at ${party}: ${got.data[i]}, reference ${want}`);
      });
    }
  }
  const cost = planCost(plan);
  t.is(run.stats.rounds, plan.rounds);
  t.is(cost.total.rounds, plan.rounds);
  t.is(run.stats.dealerItems, cost.total.dealer.items);
}

/** A program revealing `expr` of s = x + y (x alice's, y bob's, both [n]). */
function program(name: string, expr: string, n: number, extra = ""): string {
  return `program ${name}
party alice, bob
input alice.x : fixed[${n}]
input bob.y : fixed[${n}]
let s = x + y
${extra}reveal ${expr} as r to all
`;
}

const lin = (lo: number, hi: number, n: number): number[] => Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
const geo = (lo: number, hi: number, n: number): number[] => Array.from({ length: n }, (_, i) => lo * (hi / lo) ** (i / (n - 1)));
/** x + y = v exactly in fixed point: alice holds a multiple of 2^-16 near v/2, bob the rest. */
function splitValues(vs: number[]): { x: number[]; y: number[] } {
  const q = (v: number): number => Math.round(v * 65536) / 65536;
  const x = vs.map((v, i) => q(v / 2 + (i % 3) - 1));
  return { x, y: vs.map((v, i) => q(v) - x[i]!) };
}

const abs = (e: number): Tol => () => e;
const rel = (r: number, a: number): Tol => (x) => r * Math.abs(x) + a;

const CASES: { fn: string; expr: string; values: number[]; tol: Tol; extra?: string }[] = [
  { fn: "sigmoid", expr: "sigmoid(s)", values: lin(-30, 30, 64), tol: abs(1e-4) },
  { fn: "tanh", expr: "tanh(s)", values: lin(-9, 9, 64), tol: abs(1e-4) },
  { fn: "exp", expr: "exp(s)", values: lin(-16, 8, 64), tol: rel(1e-3, 1e-4) },
  { fn: "log", expr: "log(s)", values: geo(1e-2, 1e4, 64), tol: abs(1e-4) },
  { fn: "reciprocal", expr: "reciprocal(s)", values: [...geo(1e-2, 1e4, 32), ...geo(-1e4, -1e-2, 32)], tol: rel(1e-3, 1e-4) },
  { fn: "div", expr: "(x - 1.5) / s", values: [...geo(0.5, 1e3, 32), ...geo(-1e3, -0.5, 32)], tol: rel(1e-3, 1e-4) },
  { fn: "div_public", expr: "1000.0 / s", values: [...geo(0.5, 1e4, 32), ...geo(-1e4, -0.5, 32)], tol: rel(1e-3, 1e-4) },
  { fn: "sqrt", expr: "sqrt(s)", values: [0, ...geo(1e-2, 1e4, 63)], tol: rel(1e-3, 1e-4) },
  { fn: "inv_sqrt", expr: "inv_sqrt(s)", values: geo(1e-2, 1e4, 64), tol: rel(1e-3, 1e-4) },
  { fn: "softmax", expr: "softmax(reshape(s, 8, 8), axis = 1)", values: lin(-20, 20, 64).map((v, i) => v * ((i * 37) % 5)), tol: abs(1e-3) },
  { fn: "softmax_axis0", expr: "softmax(reshape(s, 8, 8), axis = 0)", values: lin(-20, 20, 64).map((v, i) => v * ((i * 37) % 5)), tol: abs(1e-3) },
  { fn: "log_softmax", expr: "log_softmax(reshape(s, 8, 8))", values: lin(-20, 20, 64).map((v, i) => v * ((i * 37) % 5)), tol: abs(1e-3) },
];

for (const c of CASES) {
  test(`${c.fn}: a .mpc program runs securely and matches the plaintext reference; rounds and dealer items as estimated`, async (t) => {
    const n = c.values.length;
    const source = program(`nl_${c.fn}`, c.expr, n, c.extra);
    const compiled = compileSource(source, `${c.fn}.mpc`);
    t.deepEqual(compiled.diagnostics, []);
    const plan = compiled.plan!;
    t.true(plan.body.some((node) => node.kind === "dealer"), "the function runs as a protocol, not in the clear");
    const { x, y } = splitValues(c.values);
    const inputs = new Map([
      ["alice.x", clearTensor(x, [n])],
      ["bob.y", clearTensor(y, [n])],
    ]);
    const run = await runInThread(plan, inputs);
    compare(t, plan, checkSource(source, `${c.fn}.mpc`).program!, inputs, run, c.tol);
  });
}

test("programs/feature_aggregation.mpc: logistic regression with a secret sigmoid in the loop, in worker threads, as the reference", async (t) => {
  const file = join(ROOT, "programs", "feature_aggregation.mpc");
  const compiled = compileFile(file);
  t.deepEqual(compiled.diagnostics, []);
  const checked = checkFile(file);
  const inputs = loadInputs(resolveInputs(file, checked.program!.name, checked.program!.inputs, []));
  const run = await runInProcess(compiled.plan!, inputs, { timeoutMs: 120_000 });
  // weights after training: the sigmoid's error (<= 3e-5) and fixed-point rounding, over the epochs
  compare(t, compiled.plan!, checked.program!, inputs, run, rel(1e-2, 2e-3));
});

test("independent functions interleave: a program computing several of them takes the rounds of the longest, not their sum", (t) => {
  const one = (expr: string): number => compileSource(program("one", expr, 8), "one.mpc").plan!.rounds;
  const both = compileSource(program("many", "sigmoid(s) + log(s) + exp(s) + sqrt(s)", 8), "many.mpc").plan!.rounds;
  const longest = Math.max(...["sigmoid(s)", "log(s)", "exp(s)", "sqrt(s)"].map(one));
  const sum = ["sigmoid(s)", "log(s)", "exp(s)", "sqrt(s)"].map((e) => one(e) - 1).reduce((a, r) => a + r, 1);
  t.is(both, longest);
  t.true(both < sum);
});
