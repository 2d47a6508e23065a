// The losses bce and cross_entropy on secret values end to end: .mpc programs compiled from
// source (canonicalize rewrites the losses into clip, log, log_softmax, products and means:
// compiler/passes/losses.ts) run securely with every party and the dealer in this process,
// against the plaintext reference (compiler/reference) within the error bounds stated at each
// assertion; the rounds and dealer items the run counts are what `mpc cost` estimates. Also:
// bce's clip bound on shares (2^-16, where the float64 reference clips at 1e-7) on saturated
// probabilities, and predictions one party holds alone staying clear work at that party.

import test from "ava";
import { planCost } from "../../compiler/cost/cost.js";
import { compileSource, type CompileResult } from "../../compiler/pipeline.js";
import { runPlaintext } from "../../compiler/reference/index.js";
import { SECRET_BCE_EPS } from "../../compiler/passes/losses.js";
import { clearTensor, type ClearTensor } from "../../runtime/clear/index.js";
import { runInProcess, type RunResult } from "../../runtime/executor/index.js";

/** Deterministic test data on the fixed-point grid, uniform in [lo, hi). */
function grid(n: number, lo: number, hi: number, seed: number): number[] {
  let s = seed >>> 0;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return Math.round((lo + ((hi - lo) * s) / 2 ** 32) * 65536) / 65536;
  });
}

function runsAsEstimated(t: import("ava").ExecutionContext, compiled: CompileResult, run: RunResult): void {
  const plan = compiled.plan!;
  const cost = planCost(plan);
  t.is(run.stats.rounds, plan.rounds);
  t.is(cost.total.rounds, plan.rounds);
  t.is(run.stats.dealerItems, cost.total.dealer.items);
}

async function secureAndReference(source: string, inputs: Map<string, ClearTensor>): Promise<{ compiled: CompileResult; got: Map<string, number>; ref: Map<string, number>; run: RunResult }> {
  const compiled = compileSource(source, "losses.mpc");
  if (!compiled.plan) throw new Error(compiled.diagnostics.map((d) => `${d.code}: ${d.message}`).join("\n"));
  const run = await runInProcess(compiled.plan, inputs, { timeoutMs: 60_000 });
  const ref = new Map(runPlaintext(compiled.checked!, inputs).outputs.map((o) => [o.name, o.value.data[0]!]));
  const got = new Map([...run.outputs.get("alice")!].map(([k, v]) => [k, v.data[0]!]));
  return { compiled, got, ref, run };
}

const LOSSES = `
program losses
party alice, bob
input alice.x : fixed[8, 4]
input alice.onehot : fixed[8, 3]
input alice.oh1 : fixed[3]
input bob.v : fixed[4, 1]
input bob.w : fixed[4, 3]
input bob.labels : fixed[8, 1]
input bob.z1 : fixed[3]
let logits = x @ w
reveal bce(sigmoid(x @ v), labels) as b to all
reveal cross_entropy(logits, onehot) as ce to all
reveal cross_entropy(z1 + oh1, oh1) as ce1 to all
`;

test("secret bce and cross_entropy ([rows, k] and one row [k]) match the plaintext reference; rounds and dealer items as estimated", async (t) => {
  const rows = 8;
  const onehot = Array.from({ length: rows * 3 }, (_, i) => (i % 3 === (Math.floor(i / 3) * 7) % 3 ? 1 : 0));
  const inputs = new Map([
    ["alice.x", clearTensor(grid(rows * 4, -2, 2, 1), [rows, 4])],
    ["alice.onehot", clearTensor(onehot, [rows, 3])],
    ["alice.oh1", clearTensor([0, 1, 0], [3])],
    ["bob.v", clearTensor(grid(4, -1.5, 1.5, 2), [4, 1])],
    ["bob.w", clearTensor(grid(12, -2, 2, 3), [4, 3])],
    ["bob.labels", clearTensor(Array.from({ length: rows }, (_, i) => (i * 5) % 3 === 0 ? 1 : 0), [rows, 1])],
    ["bob.z1", clearTensor([1.5, -0.75, 3.25], [3])],
  ]);
  const { compiled, got, ref, run } = await secureAndReference(LOSSES, inputs);
  t.deepEqual(compiled.diagnostics, []);
  t.false(compiled.plan!.body.some((n) => n.kind === "clear" && (n.op === "bce" || n.op === "cross_entropy")), "no loss runs in the clear");
  // bce: sigmoid within 1e-4 of the exact value (p in [0.12, 0.9] here, so a log of p or of
  // 1 - p moves by at most 1e-4 / 0.1), each log within 3e-5, one product and the mean's
  // truncation: within 1e-3 + 1e-4.
  t.true(Math.abs(got.get("b")! - ref.get("b")!) <= 1e-3 + 1e-4, `bce ${got.get("b")} vs ${ref.get("b")}`);
  // cross_entropy: log_softmax within 1e-3 per element (test/e2e/nonlinear.test.ts), one
  // class per row, then a row mean: within 1e-3 plus the truncations.
  t.true(Math.abs(got.get("ce")! - ref.get("ce")!) <= 1e-3 + 2 ** -14, `cross_entropy ${got.get("ce")} vs ${ref.get("ce")}`);
  t.true(Math.abs(got.get("ce1")! - ref.get("ce1")!) <= 1e-3 + 2 ** -14, `cross_entropy of one row ${got.get("ce1")} vs ${ref.get("ce1")}`);
  t.true(ref.get("b")! > 0.1 && ref.get("ce")! > 0.1, "the losses are not trivially small");
  runsAsEstimated(t, compiled, run);
});

test("secret bce clips at 2^-16, the smallest fixed-point probability: saturated predictions cost -ln(2^-16) per element (the float64 reference clips at 1e-7)", async (t) => {
  const source = `
program bce_clip
party alice, bob
input alice.x : fixed[8]
input bob.y : fixed[8]
input bob.labels : fixed[8]
reveal bce(x + y, labels) as b to all
`;
  // p = x + y, exactly on the fixed-point grid: saturated at 0 and 1 (right and wrong), at the
  // clip bound, and inside.
  const p = [0, 1, 0, 1, 2 ** -16, 0.25, 0.5, 0.875];
  const labels = [0, 1, 1, 0, 1, 1, 0, 1];
  const x = p.map((_, i) => (i % 3) - 1 + (i * 3) / 8);
  const inputs = new Map([
    ["alice.x", clearTensor(x, [8])],
    ["bob.y", clearTensor(p.map((v, i) => v - x[i]!), [8])],
    ["bob.labels", clearTensor(labels, [8])],
  ]);
  const { compiled, got, ref, run } = await secureAndReference(source, inputs);
  const eps = SECRET_BCE_EPS;
  const clipped = p.map((q, i) => {
    const c = Math.min(Math.max(q, eps), 1 - eps);
    return -(labels[i]! * Math.log(c) + (1 - labels[i]!) * Math.log(1 - c));
  });
  const want = clipped.reduce((a, b) => a + b, 0) / p.length;
  // each log within 3e-5 (runtime/protocols/spec/nonlinear/log.ts), summed and averaged
  t.true(Math.abs(got.get("b")! - want) <= 1e-4, `bce ${got.get("b")} vs ${want} (clipped at 2^-16)`);
  // two confidently wrong predictions cost -ln(2^-16) each here, -ln(1e-7) in the reference
  t.true(Math.abs(ref.get("b")! - want - (2 * (Math.log(2 ** -16) - Math.log(1e-7))) / p.length) <= 1e-4);
  runsAsEstimated(t, compiled, run);
});

test("bce of one party's own predictions against another's labels: clip and logs run at that party in the clear, one Beaver product on shares", (t) => {
  const source = `
program bce_private
party alice, bob
input alice.p : fixed[8]
input bob.labels : fixed[8]
reveal bce(p, labels) as b to all
`;
  const compiled = compileSource(source, "bce_private.mpc");
  t.deepEqual(compiled.diagnostics, []);
  const plan = compiled.plan!;
  const logs = plan.body.flatMap((n) => (n.kind === "clear" && n.op === "log" ? [n.parties] : []));
  t.deepEqual(logs, [["alice"], ["alice"]]);
  t.deepEqual(
    plan.body.flatMap((n) => (n.kind === "dealer" ? [n.item] : [])),
    ["triple_mul"],
  );
  t.is(planCost(plan).total.dealer.items, 1);
});
