// Every example program in programs/ parses and checks with no diagnostics at all, and its
// inputs match the data sets in /work/shared/datasets where it models one.

import test from "ava";
import { readdirSync } from "node:fs";
import { checkFile } from "../compiler/frontend.js";
import { renderDiagnostics } from "../grammar/diagnostic.js";

const dir = new URL("../programs/", import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith(".mpc")).sort();

test("the example programs are all there", (t) => {
  for (const name of ["sum", "feature_aggregation", "data_labeling", "data_augmentation", "model_hiding", "millionaires", "average", "linear_regression_inference", "dot"]) {
    t.true(files.includes(`${name}.mpc`), `${name}.mpc`);
  }
});

for (const f of files) {
  test(`${f} checks clean`, (t) => {
    const r = checkFile(new URL(f, dir).pathname);
    t.deepEqual(r.diagnostics, [], renderDiagnostics(r.diagnostics, r.source));
    t.truthy(r.program);
    t.is(r.program!.name, f.replace(/\.mpc$/, ""));
  });
}

const inputsOf = (f: string) =>
  checkFile(new URL(f, dir).pathname).program!.inputs.map((i) => `${i.party}.${i.name}:${i.elem}[${i.shape.join(",")}]`);

test("breast-cancer programs split the 569 x 30 data as the datasets README suggests", (t) => {
  t.deepEqual(inputsOf("feature_aggregation.mpc"), ["hospital_a.xa:fixed[569,15]", "hospital_b.xb:fixed[569,15]", "hospital_b.y:fixed[569,1]"]);
  t.deepEqual(inputsOf("data_labeling.mpc"), ["clinic.x:fixed[569,30]", "pathology_lab.y:fixed[569,1]"]);
  t.deepEqual(inputsOf("data_augmentation.mpc"), [
    "centre_0.x0:fixed[190,30]",
    "centre_0.y0:fixed[190,1]",
    "centre_1.x1:fixed[190,30]",
    "centre_1.y1:fixed[190,1]",
    "centre_2.x2:fixed[189,30]",
    "centre_2.y2:fixed[189,1]",
  ]);
  t.deepEqual(inputsOf("model_hiding.mpc"), [
    "model_owner.w1:fixed[30,64]",
    "model_owner.b1:fixed[64]",
    "model_owner.w2:fixed[64,2]",
    "model_owner.b2:fixed[2]",
    "data_owner.x:fixed[569,30]",
  ]);
  t.deepEqual(inputsOf("linear_regression_inference.mpc"), ["hospital.x:fixed[442,10]", "modeller.w:fixed[10,1]", "modeller.b:fixed[]"]);
});
