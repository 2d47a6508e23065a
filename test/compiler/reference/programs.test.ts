// The example programs run in the clear on their shipped data, each checked against an
// independent computation written here with plain loops over the data files.
import test from "ava";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { checkFile } from "../../../compiler/frontend.js";
import { runPlaintext } from "../../../compiler/reference/index.js";
import { loadInputs, resolveInputs } from "../../../runtime/io/index.js";

const ROOT = join(import.meta.dirname, "..", "..", "..");

function runProgram(name: string) {
  const file = join(ROOT, "programs", `${name}.mpc`);
  const r = checkFile(file);
  if (!r.program) throw new Error(`${name} does not check: ${r.diagnostics.map((d) => d.message).join("; ")}`);
  const inputs = loadInputs(resolveInputs(file, r.program.name, r.program.inputs, []));
  const out = runPlaintext(r.program, inputs);
  return new Map(out.outputs.map((o) => [o.name, o]));
}

/** A data file as rows of numbers, skipping its header line. */
function table(program: string, file: string): number[][] {
  const lines = readFileSync(join(ROOT, "programs", "data", program, file), "utf8").trim().split("\n");
  return lines.slice(1).map((l) => l.split(",").map(Number));
}

const col = (m: number[][], j: number): number[] => m.map((r) => r[j]!);

function standardise(x: number[][]): number[][] {
  const n = x.length;
  const d = x[0]!.length;
  const out = x.map((r) => r.slice());
  for (let j = 0; j < d; j++) {
    const mean = col(x, j).reduce((a, b) => a + b, 0) / n;
    const sd = Math.sqrt(col(x, j).reduce((a, v) => a + (v - mean) ** 2, 0) / n);
    for (let i = 0; i < n; i++) out[i]![j] = (x[i]![j]! - mean) / sd;
  }
  return out;
}

test("linear_regression_inference: x @ w + b for every patient", (t) => {
  const out = runProgram("linear_regression_inference");
  const x = table("linear_regression_inference", "hospital.x.csv");
  const w = col(table("linear_regression_inference", "modeller.w.csv"), 0);
  const b = table("linear_regression_inference", "modeller.b.csv")[0]![0]!;
  const p = out.get("prediction")!;
  t.deepEqual(p.to, ["hospital"]);
  t.deepEqual(p.value.shape, [442, 1]);
  x.forEach((row, i) => {
    const want = row.reduce((s, v, j) => s + v * w[j]!, 0) + b;
    if (Math.abs(p.value.data[i]! - want) > 1e-9) t.fail(`row ${i}: ${p.value.data[i]} vs ${want}`);
  });
  t.pass();
});

test("average: the element-wise mean of the three parties' vectors", (t) => {
  const out = runProgram("average");
  const vs = [["north.u.csv"], ["south.v.csv"], ["east.w.csv"]].map(([f]) => col(table("average", f!), 0));
  const a = out.get("average")!;
  t.deepEqual(a.to, ["north", "south", "east"]);
  for (let j = 0; j < 5; j++) t.true(Math.abs(a.value.data[j]! - (vs[0]![j]! + vs[1]![j]! + vs[2]![j]!) / 3) < 1e-12);
});

test("feature_aggregation: 10 epochs of logistic regression on standardised joined features", (t) => {
  const out = runProgram("feature_aggregation");
  const za = standardise(table("feature_aggregation", "hospital_a.xa.csv"));
  const zb = standardise(table("feature_aggregation", "hospital_b.xb.csv"));
  const x = za.map((r, i) => [...r, ...zb[i]!]);
  const y = col(table("feature_aggregation", "hospital_b.y.csv"), 0);
  let w = new Array<number>(30).fill(0);
  let b = 0;
  for (let epoch = 0; epoch < 10; epoch++) {
    const err = x.map((r, i) => 1 / (1 + Math.exp(-(r.reduce((s, v, j) => s + v * w[j]!, 0) + b))) - y[i]!);
    // Learning rate 1.0, as in the program (the benchmark workload).
    w = w.map((wj, j) => wj - (1.0 / 569) * x.reduce((s, r, i) => s + r[j]! * err[i]!, 0));
    b -= 1.0 * (err.reduce((s, e) => s + e, 0) / 569);
  }
  const gotW = Array.from(out.get("w")!.value.data);
  const gotB = out.get("b")!.value.data[0]!;
  t.true(gotW.every((v, j) => Math.abs(v - w[j]!) < 1e-9), `${gotW} vs ${w}`);
  t.true(Math.abs(gotB - b) < 1e-9);
  // And the model is a real one: it classifies the training rows well.
  const correct = x.filter((r, i) => (r.reduce((s, v, j) => s + v * w[j]!, b) > 0 ? 1 : 0) === y[i]).length;
  t.true(correct / 569 > 0.95, `accuracy ${correct / 569}`);
});

test("data_labeling: logistic regression with autodiff gradients matches hand-written ones", (t) => {
  const out = runProgram("data_labeling");
  const z = standardise(table("data_labeling", "clinic.x.csv"));
  const y = col(table("data_labeling", "pathology_lab.y.csv"), 0);
  let w = new Array<number>(30).fill(0);
  let b = 0;
  for (let epoch = 0; epoch < 10; epoch++) {
    // d bce / d logit = (p - y) / n (no probability reaches the 1e-7 clip here).
    const err = z.map((r, i) => 1 / (1 + Math.exp(-(r.reduce((s, v, j) => s + v * w[j]!, 0) + b))) - y[i]!);
    w = w.map((wj, j) => wj - 1.0 * (z.reduce((s, r, i) => s + r[j]! * err[i]!, 0) / 569));
    b -= 1.0 * (err.reduce((s, e) => s + e, 0) / 569);
  }
  const gotW = Array.from(out.get("w")!.value.data);
  t.true(gotW.every((v, j) => Math.abs(v - w[j]!) < 1e-9), `${gotW} vs ${w}`);
  t.true(Math.abs(out.get("b")!.value.data[0]! - b) < 1e-9);
});

test("model_hiding: the MLP's classes match a forward pass here, and are mostly right", (t) => {
  const out = runProgram("model_hiding");
  const z = standardise(table("model_hiding", "data_owner.x.csv"));
  const w1 = table("model_hiding", "model_owner.w1.csv");
  const b1 = col(table("model_hiding", "model_owner.b1.csv"), 0);
  const w2 = table("model_hiding", "model_owner.w2.csv");
  const b2 = col(table("model_hiding", "model_owner.b2.csv"), 0);
  const classes = z.map((r) => {
    const h = b1.map((bj, j) => Math.max(0, r.reduce((s, v, i) => s + v * w1[i]![j]!, bj)));
    const logits = b2.map((bk, k) => h.reduce((s, v, j) => s + v * w2[j]![k]!, bk));
    return logits[1]! > logits[0]! ? 1 : 0;
  });
  const got = out.get("classes")!;
  t.deepEqual(got.to, ["data_owner"]);
  t.deepEqual(Array.from(got.value.data), classes);
  const labels = table("source", "breast_cancer.csv").map((r) => r[30]!);
  const correct = classes.filter((c, i) => c === labels[i]).length;
  t.true(correct / 569 > 0.97, `accuracy ${correct / 569}`);
});
