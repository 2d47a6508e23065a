// Comparisons end to end: .mpc source -> compiler -> plan -> secure run (every party and the
// dealer in worker threads) -> outputs equal to the plaintext reference (compiler/reference),
// and the rounds and dealer items the run counts equal what `mpc cost` estimates.
// Inputs are multiples of 2^-16, so fixed-point results are exact and compared exactly.

import test from "ava";
import { join } from "node:path";
import { planCost } from "../../compiler/cost/cost.js";
import { checkFile, checkSource } from "../../compiler/frontend.js";
import { compileFile, compileSource } from "../../compiler/pipeline.js";
import { runPlaintext } from "../../compiler/reference/index.js";
import { clearTensor, type ClearTensor } from "../../runtime/clear/index.js";
import { runInProcess } from "../../runtime/executor/index.js";
import { loadInputs, resolveInputs } from "../../runtime/io/index.js";
import type { Plan } from "../../runtime/plan/plan.js";

const ROOT = join(import.meta.dirname, "..", "..");

/** Run securely and in the clear; every output at every receiver equals the reference. */
async function secureEqualsPlaintext(t: import("ava").ExecutionContext, plan: Plan, program: NonNullable<ReturnType<typeof checkSource>["program"]>, inputs: Map<string, ClearTensor>): Promise<void> {
  const run = await runInProcess(plan, inputs, { timeoutMs: 60_000 });
  const ref = runPlaintext(program, inputs);
  t.true(ref.outputs.length > 0);
  for (const o of ref.outputs) {
    for (const party of o.to) {
      const got = run.outputs.get(party)?.get(o.name);
      if (!got) return void t.fail(`${party} did not receive ${o.name}`);
      t.deepEqual(got.shape, o.value.shape, `${o.name} shape`);
      t.deepEqual([...got.data], [...o.value.data], `${o.name} at ${party}`);
    }
  }
  const cost = planCost(plan);
  t.is(run.stats.rounds, plan.rounds);
  t.is(cost.total.rounds, plan.rounds);
  t.is(run.stats.dealerItems, cost.total.dealer.items);
}

test("programs/millionaires.mpc: a < b securely, as the reference, in the estimated 4 + 1 rounds", async (t) => {
  const file = join(ROOT, "programs", "millionaires.mpc");
  const compiled = compileFile(file);
  t.deepEqual(compiled.diagnostics, []);
  const plan = compiled.plan!;
  // the comparison (4 rounds) then the reveal (1)
  t.is(plan.rounds, 5);
  const checked = checkFile(file);
  const inputs = loadInputs(resolveInputs(file, checked.program!.name, checked.program!.inputs, []));
  await secureEqualsPlaintext(t, plan, checked.program!, inputs);
  // and the other way round: swap the fortunes
  const swapped = new Map([
    ["alice.a", inputs.get("bob.b")!],
    ["bob.b", inputs.get("alice.a")!],
  ]);
  await secureEqualsPlaintext(t, plan, checked.program!, swapped);
});

const SOURCE = `
program ranking
party a, b, c

input a.x : fixed[4, 5]
input b.y : fixed[4, 5]
input c.k : int[5]

let s = x + y
reveal argmax(s, axis = 1) as best to a, b
reveal argmax(s) as best_all to c
reveal max(s, axis = 0) as top to a
reveal min(s, axis = 1, keepdims = true) as low to b
reveal relu(s) + abs(x) - sign(y) as r to c
reveal clip(s, -1, 2.5) as clipped to a
reveal (s > 1 && s <= 3) || !(x == y) as logic to b
reveal select(s >= 0, x, y) as picked to c
reveal k != 2 && k < 4 as small to a
`;

test("a ranking program with ties (argmax, max, min, relu, abs, sign, clip, logic, select), 3 parties: as the reference", async (t) => {
  const compiled = compileSource(SOURCE, "ranking.mpc");
  t.deepEqual(compiled.diagnostics, []);
  const checked = checkSource(SOURCE, "ranking.mpc");
  const X = [3, 1, 3, 2, -5, 0, 0, 0, 0, 0, -1, -2, -3, -4, -0.5, 2 ** -16, 2 ** -15, 2 ** -15, -1, 9.25];
  const Y = X.map((v, i) => (i % 3 === 0 ? 0 : 0.25 - (i % 2) * 0.125));
  const K = [1, 2, 3, 4, -7];
  const inputs = new Map([
    ["a.x", clearTensor(X, [4, 5])],
    ["b.y", clearTensor(Y, [4, 5])],
    ["c.k", clearTensor(K, [5])],
  ]);
  await secureEqualsPlaintext(t, compiled.plan!, checked.program!, inputs);
});

test("rounds of argmax by axis length, as compiled: 4 per tree level, 4 + ceil(log4(n - 1)) for the all-pairs stage", (t) => {
  const rounds = (n: number): number => {
    const src = `program am\nparty a, b\ninput a.x : fixed[3, ${n}]\ninput b.y : fixed[3, ${n}]\nreveal argmax(x + y, axis = 1) as k to a\n`;
    const r = compileSource(src, "am.mpc");
    t.deepEqual(r.diagnostics, []);
    return r.plan!.rounds - 1; // without the reveal
  };
  t.is(rounds(1), 0);
  t.is(rounds(2), 4);
  t.is(rounds(3), 5);
  t.is(rounds(5), 5);
  t.is(rounds(6), 6);
  t.is(rounds(10), 6);
  t.is(rounds(11), 4 + 6); // one tree level (11 -> 6), then all pairs
  t.is(rounds(40), 4 + 4 + 6); // 40 -> 20 -> 10, then all pairs
});
