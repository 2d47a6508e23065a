// Train, then serve: the outputs `mpc run` writes (out/<program>/<party>/<name>.csv and .json)
// are inputs another run can read, for every shape and element type; and end to end, through
// `mpc run` itself (worker threads, as a user runs it): the two hospitals train the 30-64-2 MLP
// of programs/feature_aggregation_mlp.mpc, then hospital_a serves the trained weights it
// received as the model owner of programs/model_hiding.mpc, bound with --input to the files
// the training run wrote. The served classes equal the plaintext run of the same files and the
// trained network evaluated here in float64, on every row. Also: the progress lines of a
// training run carry counts and times only.

import test from "ava";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main as run, progressReporter } from "../../bin/commands/run.js";
import type { ClearTensor } from "../../runtime/clear/index.js";
import { readInputFile, writeOutput } from "../../runtime/io/index.js";
import type { ElemType } from "../../runtime/plan/plan.js";

const ROOT = join(import.meta.dirname, "..", "..");
const tmp = (): string => mkdtempSync(join(tmpdir(), "mpc-train-serve-"));

// ---------------------------------------------------------------- outputs read back as inputs

const SHAPES: number[][] = [[], [1], [7], [7, 1], [1, 7], [3, 4], [2, 3, 4], [1, 3, 4], [3, 1, 4], [3, 4, 1], [1, 1, 1], [2, 1, 3, 2]];

function sample(shape: number[], elem: ElemType, seed: number): ClearTensor {
  const n = shape.reduce((a, d) => a * d, 1);
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u = Math.sin(seed * 7919 + i * 104729) * 1e4;
    const frac = u - Math.floor(u);
    // fixed values as a secure run decodes them: multiples of 2^-16, both signs, large and tiny
    data[i] = elem === "bool" ? Math.round(frac) : elem === "int" ? Math.round((frac - 0.5) * 2e6) : Math.round((frac - 0.5) * 2 ** (12 + 16 * (i % 2)) * 65536) / 65536;
  }
  return { data, shape };
}

test("every revealed output, written as CSV and as JSON, reads back as an input of its shape and type", (t) => {
  const dir = tmp();
  let k = 0;
  for (const elem of ["fixed", "int", "bool"] as const) {
    for (const shape of SHAPES) {
      const value = sample(shape, elem, ++k);
      const name = `o${k}`;
      const files = writeOutput(dir, "owner", name, value);
      for (const file of [files.csv, files.json]) {
        const back = readInputFile(file, { party: "user", name, elem, shape }, { fixedBound: 2 ** 47 });
        t.deepEqual(back.shape, shape, `${file} shape`);
        t.deepEqual(Array.from(back.data), Array.from(value.data), `${elem}[${shape.join(", ")}] via ${file}`);
      }
    }
  }
});

// ---------------------------------------------------------------- train, then serve, with `mpc run`

interface RunJson {
  program: string;
  mode: string;
  outputs: { name: string; to: string[]; shape: number[]; data: number[]; files: Record<string, { json: string; csv: string }> }[];
  stats: { rounds: number } | null;
}

/** `mpc run ARGS --json`, in this process; returns the exit code and the parsed JSON. */
async function mpcRun(args: string[]): Promise<{ code: number; json?: RunJson; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const [log, error, write] = [console.log, console.error, process.stderr.write.bind(process.stderr)];
  console.log = (...a: unknown[]) => void out.push(a.join(" "));
  console.error = (...a: unknown[]) => void err.push(a.join(" "));
  process.stderr.write = ((s: string | Uint8Array) => (err.push(String(s)), true)) as typeof process.stderr.write;
  try {
    const code = await run([...args, "--json"]);
    return { code, ...(code === 0 ? { json: JSON.parse(out.join("\n")) as RunJson } : {}), stderr: err.join("") };
  } finally {
    [console.log, console.error, process.stderr.write] = [log, error, write];
  }
}

const csvRows = (file: string): number[][] =>
  readFileSync(file, "utf8")
    .trim()
    .split("\n")
    .map((l) => l.split(",").map(Number));

function standardised(file: string): number[][] {
  const x = csvRows(file).filter((r) => r.every(Number.isFinite)); // drops the header line
  const n = x.length;
  const d = x[0]!.length;
  const mean = Array.from({ length: d }, (_, j) => x.reduce((s, r) => s + r[j]!, 0) / n);
  const sd = Array.from({ length: d }, (_, j) => Math.sqrt(x.reduce((s, r) => s + (r[j]! - mean[j]!) ** 2, 0) / n));
  return x.map((r) => r.map((v, j) => (v - mean[j]!) / sd[j]!));
}

test.serial("train then serve: the MLP the hospitals train with `mpc run` is served by model_hiding.mpc from the files that run wrote; classes equal the plaintext run and float64 on every row", async (t) => {
  const dir = tmp();
  // training, shortened to 2 epochs (the program otherwise as shipped), on the bundled data
  const data = join(ROOT, "programs", "data", "feature_aggregation_mlp");
  const trainer = join(dir, "feature_aggregation_mlp.mpc");
  const source = readFileSync(join(ROOT, "programs", "feature_aggregation_mlp.mpc"), "utf8");
  t.regex(source, /^const epochs = \d+$/m);
  writeFileSync(trainer, source.replace(/^const epochs = \d+$/m, "const epochs = 2"));
  const bind = ["hospital_a.xa", "hospital_a.w1_init", "hospital_a.w2_init", "hospital_b.xb", "hospital_b.y"].flatMap((k) => ["--input", `${k}=${join(data, `${k}.csv`)}`]);
  const trained = join(dir, "trained");
  const train = await mpcRun([trainer, ...bind, "--out", trained]);
  t.is(train.code, 0, train.stderr);
  t.is(train.json!.mode, "secure");
  const files = (name: string) => train.json!.outputs.find((o) => o.name === name)!.files["hospital_a"]!;
  for (const name of ["w1", "b1", "w2", "b2"]) t.is(files(name).csv, join(trained, "hospital_a", `${name}.csv`));

  // serving: hospital_a is the model owner; its weights come from the training run's CSV files
  const program = join(ROOT, "programs", "model_hiding.mpc");
  const model = ["w1", "b1", "w2", "b2"].flatMap((name) => ["--input", `model_owner.${name}=${files(name).csv}`]);
  const served = await mpcRun([program, ...model, "--out", join(dir, "served")]);
  t.is(served.code, 0, served.stderr);
  const plain = await mpcRun([program, ...model, "--plaintext", "--out", join(dir, "plain")]);
  t.is(plain.code, 0, plain.stderr);
  const classes = (r: RunJson): number[] => r.outputs.find((o) => o.name === "classes")!.data;
  const got = classes(served.json!);
  t.is(got.length, 569);
  t.deepEqual(got, classes(plain.json!));
  // the served classes as the data owner's file says, and the network in float64 from the JSON files
  t.deepEqual(csvRows(join(dir, "served", "data_owner", "classes.csv")).flat(), got);
  const w = (name: string): number[] => (JSON.parse(readFileSync(files(name).json, "utf8")) as { data: number[] }).data;
  const [w1, b1, w2, b2] = [w("w1"), w("b1"), w("w2"), w("b2")];
  const z = standardised(join(ROOT, "programs", "data", "model_hiding", "data_owner.x.csv"));
  const want = z.map((r) => {
    const h = b1.map((b, k) => Math.max(0, r.reduce((s, v, j) => s + v * w1[j * 64 + k]!, b)));
    const score = (c: number): number => h.reduce((s, v, k) => s + v * w2[k * 2 + c]!, b2[c]!);
    return score(1) > score(0) ? 1 : 0;
  });
  t.deepEqual(got, want);
  // the model learnt: its accuracy on the labels
  const y = csvRows(join(data, "hospital_b.y.csv")).flat().filter(Number.isFinite);
  const accuracy = got.filter((c, i) => c === y[i]).length / y.length;
  t.log(`served model (2 epochs of secure training): ${(100 * accuracy).toFixed(2)}% on the 569 rows`);
  t.true(accuracy > 0.9);
});

// ---------------------------------------------------------------- progress

test("progress lines name the loop variable and show iterations, elapsed time and the time left, and nothing else", (t) => {
  const lines: string[] = [];
  let clock = 1000;
  const report = progressReporter("training", true, () => "epoch (line 12)", { isTTY: false, write: (s: string) => lines.push(s) }, () => clock)!;
  for (let i = 1; i <= 4; i++) {
    clock += 250;
    report({ loop: "n7", iteration: i, total: 4 });
  }
  t.deepEqual(lines, [
    "[training] epoch (line 12) 1/4: 250 ms elapsed, estimating time left\n",
    "[training] epoch (line 12) 2/4: 500 ms elapsed, about 500 ms left\n",
    "[training] epoch (line 12) 3/4: 750 ms elapsed, about 250 ms left\n",
    "[training] epoch (line 12) 4/4: 1.00 s elapsed, done\n",
  ]);
  // the scalars the program revealed in the iteration follow; other values are not shown
  lines.length = 0;
  const again = progressReporter("training", true, () => "epoch (line 12)", { isTTY: false, write: (s: string) => lines.push(s) }, () => clock)!;
  const w: ClearTensor = { data: Float64Array.of(0.25, -1.5), shape: [2, 1] };
  again({ loop: "n7", iteration: 1, total: 2, revealed: [["loss", { data: Float64Array.of(0.693147180559), shape: [] }], ["w", w]] });
  t.deepEqual(lines, ["[training] epoch (line 12) 1/2: 0 ms elapsed, estimating time left; loss 0.693147\n"]);
  // not a terminal and not forced: silent
  t.is(progressReporter("training", false, undefined, { isTTY: false, write: () => t.fail() }), undefined);
});
