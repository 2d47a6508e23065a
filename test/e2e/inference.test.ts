// Secure inference end to end: .mpc source -> compiler -> plan -> secure run (every party and
// the dealer in worker threads) -> outputs vs the plaintext reference (compiler/reference):
// small CNNs with every inference layer (conv2d with padding and stride, batchnorm folded at
// its owner, relu, avg and max pooling, flatten, dense, argmax), for 2 and 3 parties, and the
// model_hiding_cnn example on its real data, where the predicted class of every image agrees
// with the plaintext run. Rounds and dealer items are the ones `mpc cost` estimates.
//
// Tolerances: inputs are multiples of 2^-16 (exact in fixed point); each fixed-point product
// is truncated once (error < 2^-15), and an error grows through later layers by at most the
// absolute sum of their weights. The bounds below are stated per output from that.

import test from "ava";
import { join } from "node:path";
import { planCost } from "../../compiler/cost/cost.js";
import { checkFile } from "../../compiler/frontend.js";
import { compileFile, compileSource, type CompileResult } from "../../compiler/pipeline.js";
import { runPlaintext } from "../../compiler/reference/index.js";
import { clearTensor, type ClearTensor } from "../../runtime/clear/index.js";
import { runInProcess, type RunResult } from "../../runtime/executor/index.js";
import { loadInputs, resolveInputs } from "../../runtime/io/index.js";
import type { PlanNode } from "../../runtime/plan/plan.js";

const ROOT = join(import.meta.dirname, "..", "..");

/** Deterministic test data on the fixed-point grid, uniform in [lo, hi). */
function grid(n: number, lo: number, hi: number, seed: number): number[] {
  let s = seed >>> 0;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return Math.round((lo + ((hi - lo) * s) / 4294967296) * 65536) / 65536;
  });
}

const flat = (nodes: readonly PlanNode[]): PlanNode[] => nodes.flatMap((n) => (n.kind === "loop" ? [n, ...flat(n.body)] : [n]));

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

function runsAsEstimated(t: import("ava").ExecutionContext, compiled: CompileResult, run: RunResult): void {
  const plan = compiled.plan!;
  const cost = planCost(plan);
  t.is(run.stats.rounds, plan.rounds);
  t.is(cost.total.rounds, plan.rounds);
  t.is(run.stats.dealerItems, cost.total.dealer.items);
}

const TINY_CNN = `
program tiny_cnn
party model_owner, data_owner

input model_owner.k  : fixed[4, 2, 3, 3]
input model_owner.g  : fixed[4]
input model_owner.be : fixed[4]
input model_owner.mu : fixed[4]
input model_owner.s2 : fixed[4]
input model_owner.w  : fixed[16, 3]
input model_owner.b  : fixed[3]
input data_owner.x   : fixed[6, 2, 8, 8]

let h = relu(batchnorm(conv2d(x, k, padding = 1), g, be, mu, s2))   // [6, 4, 8, 8]
let p = max_pool2d(avg_pool2d(h, 2), 2)                             // [6, 4, 2, 2]
let logits = flatten(p) @ w + b                                     // [6, 3]
reveal logits to data_owner
reveal argmax(logits, axis = 1) as classes to data_owner
`;

test("a small CNN (conv, batchnorm, relu, avg and max pooling, dense, argmax) matches the plaintext reference", async (t) => {
  const compiled = compileSource(TINY_CNN, "tiny_cnn.mpc");
  t.deepEqual(compiled.diagnostics, []);
  const plan = compiled.plan!;
  const nodes = flat(plan.body);
  // batchnorm: the fold (inv_sqrt of the variance, the scale and shift) runs in the clear at
  // the model owner, who also scales its kernels by it: on shares only an addition remains
  const invSqrt = nodes.filter((n) => n.kind === "clear" && n.op === "inv_sqrt");
  t.is(invSqrt.length, 1);
  t.deepEqual(invSqrt[0]!.kind === "clear" ? invSqrt[0]!.parties : [], ["model_owner"]);
  const items = nodes.flatMap((n) => (n.kind === "dealer" ? [n.item] : []));
  t.false(items.some((i) => i.startsWith("nl_")), `no non-linear approximation on shares: ${items.join(", ")}`);
  // the convolution, and the dense layer flatten(p) @ w (w private to the model owner) as a 1x1
  // private convolution (compiler/lower/secret.ts matmulAsConvPrivate)
  t.deepEqual(
    nodes.flatMap((n) => (n.kind === "dealer" && n.item === "triple_conv" ? [n.attrs["b"]] : [])),
    [
      [4, 2, 3, 3],
      [3, 16, 1, 1],
    ],
  );
  t.false(items.includes("triple_mul"), "the batchnorm scale is folded into the kernels");

  const inputs = new Map<string, ClearTensor>([
    ["model_owner.k", clearTensor(grid(72, -0.6, 0.6, 1), [4, 2, 3, 3])],
    ["model_owner.g", clearTensor([1.5, 0.75, 1, 2], [4])],
    ["model_owner.be", clearTensor([0.1, -0.25, 0, 0.5], [4])],
    ["model_owner.mu", clearTensor([0.2, -0.1, 0.05, 0], [4])],
    ["model_owner.s2", clearTensor([0.5, 1.25, 0.3, 2], [4])],
    ["model_owner.w", clearTensor(grid(48, -1, 1, 2), [16, 3])],
    ["model_owner.b", clearTensor([0.05, -0.1, 0.02], [3])],
    ["data_owner.x", clearTensor(grid(768, 0, 1, 3), [6, 2, 8, 8])],
  ]);
  const run = await runInProcess(plan, inputs, { timeoutMs: 60_000 });
  const ref = new Map(runPlaintext(compiled.checked!, inputs).outputs.map((o) => [o.name, o.value]));
  const got = run.outputs.get("data_owner")!;
  t.false(run.outputs.get("model_owner")!.has("logits"));
  // conv (18 terms, each exact) and one truncation; the batchnorm scale (<= 2 / sqrt(0.3) < 4)
  // multiplies that error and adds a truncation; pooling adds two more (2^-15 each); the dense
  // layer sums 16 terms with |w| <= 1 and truncates: under 16 * (4 * 2 + 3) * 2^-15 + 2^-15
  const tol = (16 * 11 + 1) * 2 ** -15;
  const logits = got.get("logits")!;
  t.deepEqual(logits.shape, [6, 3]);
  t.true(maxAbsDiff(logits.data, ref.get("logits")!.data) <= tol, `logits differ by ${maxAbsDiff(logits.data, ref.get("logits")!.data)} > ${tol}`);
  // the data has no near ties, so every predicted class must agree
  const want = ref.get("logits")!.data;
  for (let r = 0; r < 6; r++) {
    const row = [...want.subarray(3 * r, 3 * r + 3)].sort((a, b) => b - a);
    t.true(row[0]! - row[1]! > 2 * tol, `row ${r}: a near tie in the test data`);
  }
  t.deepEqual([...got.get("classes")!.data], [...ref.get("classes")!.data]);
  runsAsEstimated(t, compiled, run);
});

const THREE_PARTY = `
program three_conv
party a, b, c

input a.x  : fixed[2, 1, 7, 7]
input b.k  : fixed[3, 1, 3, 3]
input c.mu : fixed[3]
input c.g  : fixed[3]

let y = conv2d(x, k, stride = 2)                                  // a's image, b's kernels: [2, 3, 3, 3]
let z = conv2d(y, ones(2, 3, 2, 2) * 0.5, stride = 1, padding = 1) // public kernels on shares: [2, 2, 4, 4]
let n = batchnorm(y, ones(3) * 2.0, zeros(3), mu, ones(3))        // scale public, shift at c
let m = batchnorm(y, g, zeros(3), mu, ones(3) * 4.0)              // scale and shift at c
reveal y to a
reveal m to b
reveal z to b
reveal avg_pool2d(y, 3) as avg to c
reveal n to a
reveal flatten(z) as zf to c
`;

test("three parties: conv with stride 2 on two parties' operands, public kernels on shares, a 3x3 average, batchnorm with public and private scales", async (t) => {
  const compiled = compileSource(THREE_PARTY, "three_conv.mpc");
  t.deepEqual(compiled.diagnostics, []);
  const plan = compiled.plan!;
  const nodes = flat(plan.body);
  const items = nodes.flatMap((n) => (n.kind === "dealer" ? [n.item] : []));
  // one convolution triple (a x b); the public-kernel conv and the batchnorm with a public
  // scale are local; y has other users, so c's scale (shared) multiplies y on shares: one
  // Beaver product; the rest are the n-party truncations
  t.is(items.filter((i) => i === "triple_conv").length, 1);
  t.is(items.filter((i) => i === "triple_mul").length, 1);
  const inputs = new Map<string, ClearTensor>([
    ["a.x", clearTensor(grid(98, -1, 1, 11), [2, 1, 7, 7])],
    ["b.k", clearTensor(grid(27, -1, 1, 12), [3, 1, 3, 3])],
    ["c.mu", clearTensor([0.25, -0.5, 0.125], [3])],
    ["c.g", clearTensor([1.5, -0.75, 0.5], [3])],
  ]);
  const run = await runInProcess(plan, inputs, { timeoutMs: 60_000 });
  const ref = runPlaintext(compiled.checked!, inputs).outputs;
  // y: one truncation (< 2^-15). z: 12 terms of 0.5 * y, then a truncation. avg: 1/9 encoded with
  // 20 bits on a sum of 9 values of y (|y| <= 9). n: 2 * y (exact), plus y's error doubled.
  // m: y * g / sqrt(4 + 1e-5) (|scale| < 0.75, encoded within 2^-17) and a truncation.
  const tols: Record<string, number> = {
    y: 2 ** -15,
    z: 6 * 2 ** -15 + 2 ** -15,
    avg: 2 ** -15 + 81 * 2 ** -21 + 2 ** -15,
    n: 2 * 2 ** -15,
    m: 0.75 * 2 ** -15 + 9 * 2 ** -17 + 2 ** -17 + 2 ** -15,
    zf: 7 * 2 ** -15,
  };
  for (const o of ref) {
    for (const party of o.to) {
      const got = run.outputs.get(party)!.get(o.name)!;
      t.deepEqual(got.shape, o.value.shape, o.name);
      const d = maxAbsDiff(got.data, o.value.data);
      t.true(d <= tols[o.name]!, `${o.name} at ${party}: ${d} > ${tols[o.name]}`);
    }
  }
  runsAsEstimated(t, compiled, run);
});

test("programs/model_hiding_cnn.mpc: the secure predicted class of every one of the 360 images equals the plaintext run's", async (t) => {
  const file = join(ROOT, "programs", "model_hiding_cnn.mpc");
  const compiled = compileFile(file);
  t.deepEqual(compiled.diagnostics, []);
  const checked = checkFile(file);
  const inputs = loadInputs(resolveInputs(file, checked.program!.name, checked.program!.inputs, []));
  const run = await runInProcess(compiled.plan!, inputs, { timeoutMs: 120_000 });
  const ref = runPlaintext(checked.program!, inputs).outputs.find((o) => o.name === "classes")!;
  const got = run.outputs.get("data_owner")!.get("classes")!;
  t.deepEqual(got.shape, [360]);
  const differ = [...got.data].flatMap((c, i) => (c === ref.value.data[i] ? [] : [i]));
  t.deepEqual(differ, [], "rows whose secure class differs from the plaintext one");
  // only the data owner learns the classes
  t.false(run.outputs.get("model_owner")!.has("classes"));
  runsAsEstimated(t, compiled, run);
});
