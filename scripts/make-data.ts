// Generates the example programs' input data, programs/data/<program>/<party>.<input>.csv,
// deterministically from the source datasets in programs/data/source/ (copies of the shared
// breast_cancer.csv and diabetes.csv; see the README there for provenance). Run it from the
// repository root:
//
//   npx tsx scripts/make-data.ts           write every file
//   npx tsx scripts/make-data.ts --check   regenerate in memory, fail if any file differs
//
// Everything is plain float64 JavaScript with a fixed-seed PRNG (mulberry32), and trained
// values are written to 8 significant digits, so the output is the same on every machine.
// Files have a header line of column names (runtime/io skips a first line with no number).
//
// What each program gets:
//   sum                        four literal numbers (12.5, -3.25, 7, 100.75: total 117)
//   millionaires               two literal integers (alice 1200000, bob 950000)
//   dot                        two [100] vectors from the PRNG, uniform in [-1, 1], 3 decimals
//   average                    per-party means of the first five breast_cancer features over
//                              the rows r with r mod 3 = 0, 1, 2 (north, south, east)
//   feature_aggregation        breast_cancer columns 0-14 (hospital_a.xa), 15-29
//                              (hospital_b.xb) and the label (hospital_b.y), raw
//   data_labeling              all 30 raw features (clinic.x), labels (pathology_lab.y)
//   data_augmentation          row r to centre_(r mod 3): 190/190/189 rows, raw features + labels
//   linear_regression_inference  diabetes raw features (hospital.x) and an ordinary least
//                              squares fit of the target on them (modeller.w, modeller.b)
//   model_hiding               raw features (data_owner.x) and a 30-64-2 ReLU MLP (model_owner.*)
//                              trained here on the standardised features
//
// Accuracy reached (printed by the script and written to programs/data/model_hiding/README.md):
//   MLP 30-64-2: 200 full-batch Adam steps (lr 0.003, L2 1e-2, seed 20240611).
//     Trained on 4/5 of the rows (r mod 5 != 0), held-out accuracy on the other 114: 96.49%.
//     The shipped model is trained the same way on all 569 rows: training accuracy 98.77%.
//   OLS on diabetes (10 raw features + intercept): R^2 = 0.5177 on the 442 rows, intercept
//     -334.567 (the known least-squares fit of this data).

import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

const ROOT = join(dirname(new URL(import.meta.url).pathname), "..");
const DATA = join(ROOT, "programs", "data");
const SOURCE = join(DATA, "source");

const SHA256: Record<string, string> = {
  "breast_cancer.csv": "5c3e458a6f8780b7dd2bc07e65dc975d149b6f8324cb7442a6ead4c5c9858d07",
  "diabetes.csv": "f5060bc32176d2f47695065d12478e468fac452a515ffc00fce404de6e94a4d2",
};

// ---------------------------------------------------------------- reading the sources

interface Table {
  header: string[];
  /** Cells as written in the source, so copied columns stay byte-identical. */
  cells: string[][];
  values: number[][];
}

function readSource(name: string): Table {
  const bytes = readFileSync(join(SOURCE, name));
  const digest = createHash("sha256").update(bytes).digest("hex");
  if (digest !== SHA256[name]) throw new Error(`${name}: sha256 ${digest} does not match the datasets README`);
  const lines = bytes.toString("utf8").split("\n").filter((l) => l.trim() !== "");
  const header = lines[0]!.split(",");
  const cells = lines.slice(1).map((l) => l.split(","));
  return { header, cells, values: cells.map((r) => r.map(Number)) };
}

// ---------------------------------------------------------------- output files

const files = new Map<string, string>();

function emit(program: string, file: string, header: string[], rows: string[][]): void {
  const text = [header.join(","), ...rows.map((r) => r.join(","))].join("\n") + "\n";
  files.set(join(program, file), text);
}

/** 8 significant digits, shortest form: stable across machines, far finer than 2^-16. */
const fmt = (x: number): string => {
  const s = String(Number(x.toPrecision(8)));
  return s === "-0" ? "0" : s;
};

const column = (name: string, xs: number[]): [string[], string[][]] => [[name], xs.map((x) => [fmt(x)])];

// ---------------------------------------------------------------- small float64 helpers

type Matrix = number[][];

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal samples by Box-Muller from a uniform source. */
function gaussian(rand: () => number): () => number {
  return () => {
    const u = 1 - rand();
    const v = rand();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
}

/** Column means and population standard deviations (mean of squared deviations), as the
 *  programs' `standardise` computes them. */
function columnStats(x: Matrix): { mean: number[]; sd: number[] } {
  const n = x.length;
  const d = x[0]!.length;
  const mean = Array.from({ length: d }, (_, j) => x.reduce((s, r) => s + r[j]!, 0) / n);
  const sd = Array.from({ length: d }, (_, j) => Math.sqrt(x.reduce((s, r) => s + (r[j]! - mean[j]!) ** 2, 0) / n));
  return { mean, sd };
}

const standardise = (x: Matrix, s: { mean: number[]; sd: number[] }): Matrix => x.map((r) => r.map((v, j) => (v - s.mean[j]!) / s.sd[j]!));

/** Solve A x = b by Gaussian elimination with partial pivoting. */
function solve(A: Matrix, b: number[]): number[] {
  const n = b.length;
  const M = A.map((r, i) => [...r, b[i]!]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r]![c]!) > Math.abs(M[p]![c]!)) p = r;
    [M[c], M[p]] = [M[p]!, M[c]!];
    for (let r = c + 1; r < n; r++) {
      const f = M[r]![c]! / M[c]![c]!;
      for (let k = c; k <= n; k++) M[r]![k]! -= f * M[c]![k]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = M[r]![n]!;
    for (let k = r + 1; k < n; k++) s -= M[r]![k]! * x[k]!;
    x[r] = s / M[r]![r]!;
  }
  return x;
}

// ---------------------------------------------------------------- the MLP (model_hiding)

interface Mlp {
  w1: Matrix; // [30, 64]
  b1: number[]; // [64]
  w2: Matrix; // [64, 2]
  b2: number[]; // [2]
}

const MLP_SEED = 20240611;
const MLP_STEPS = 200;
const MLP_LR = 0.003;
const MLP_L2 = 1e-2;

function mlpLogits(m: Mlp, z: number[]): { h: number[]; pre: number[]; logits: number[] } {
  const H = m.b1.length;
  const pre = m.b1.slice();
  for (let i = 0; i < z.length; i++) for (let j = 0; j < H; j++) pre[j]! += z[i]! * m.w1[i]![j]!;
  const h = pre.map((v) => (v > 0 ? v : 0));
  const logits = m.b2.slice();
  for (let j = 0; j < H; j++) for (let k = 0; k < logits.length; k++) logits[k]! += h[j]! * m.w2[j]![k]!;
  return { h, pre, logits };
}

const argmax = (v: number[]): number => v.reduce((best, x, i) => (x > v[best]! ? i : best), 0);

function accuracy(m: Mlp, z: Matrix, y: number[]): number {
  return z.filter((r, i) => argmax(mlpLogits(m, r).logits) === y[i]).length / z.length;
}

/** Full-batch Adam on mean softmax cross-entropy + L2 on the weights. */
function trainMlp(z: Matrix, y: number[], hidden: number): Mlp {
  const d = z[0]!.length;
  const normal = gaussian(mulberry32(MLP_SEED));
  const m: Mlp = {
    w1: Array.from({ length: d }, () => Array.from({ length: hidden }, () => normal() * Math.sqrt(2 / d))),
    b1: new Array<number>(hidden).fill(0),
    w2: Array.from({ length: hidden }, () => Array.from({ length: 2 }, () => normal() * Math.sqrt(1 / hidden))),
    b2: [0, 0],
  };
  // Parameters flattened as views for Adam: [array, index] pairs are slow, so keep flat mirrors.
  const params: number[][] = [...m.w1, m.b1, ...m.w2, m.b2];
  const mom = params.map((p) => p.map(() => 0));
  const vel = params.map((p) => p.map(() => 0));
  const [beta1, beta2, eps] = [0.9, 0.999, 1e-8];
  const n = z.length;
  for (let step = 1; step <= MLP_STEPS; step++) {
    const gw1 = m.w1.map((r) => r.map(() => 0));
    const gb1 = m.b1.map(() => 0);
    const gw2 = m.w2.map((r) => r.map(() => 0));
    const gb2 = [0, 0];
    for (let s = 0; s < n; s++) {
      const { h, pre, logits } = mlpLogits(m, z[s]!);
      const mx = Math.max(...logits);
      const e = logits.map((l) => Math.exp(l - mx));
      const sum = e[0]! + e[1]!;
      const dlogits = e.map((v, k) => (v / sum - (k === y[s] ? 1 : 0)) / n);
      for (let k = 0; k < 2; k++) gb2[k]! += dlogits[k]!;
      const dh = new Array<number>(hidden).fill(0);
      for (let j = 0; j < hidden; j++) {
        for (let k = 0; k < 2; k++) {
          gw2[j]![k]! += h[j]! * dlogits[k]!;
          dh[j]! += m.w2[j]![k]! * dlogits[k]!;
        }
        if (pre[j]! <= 0) dh[j] = 0;
      }
      for (let j = 0; j < hidden; j++) gb1[j]! += dh[j]!;
      for (let i = 0; i < d; i++) {
        const zi = z[s]![i]!;
        for (let j = 0; j < hidden; j++) gw1[i]![j]! += zi * dh[j]!;
      }
    }
    for (let i = 0; i < d; i++) for (let j = 0; j < hidden; j++) gw1[i]![j]! += MLP_L2 * m.w1[i]![j]!;
    for (let j = 0; j < hidden; j++) for (let k = 0; k < 2; k++) gw2[j]![k]! += MLP_L2 * m.w2[j]![k]!;
    const grads: number[][] = [...gw1, gb1, ...gw2, gb2];
    const c1 = 1 - beta1 ** step;
    const c2 = 1 - beta2 ** step;
    params.forEach((p, a) => {
      for (let k = 0; k < p.length; k++) {
        const g = grads[a]![k]!;
        mom[a]![k] = beta1 * mom[a]![k]! + (1 - beta1) * g;
        vel[a]![k] = beta2 * vel[a]![k]! + (1 - beta2) * g * g;
        p[k]! -= (MLP_LR * (mom[a]![k]! / c1)) / (Math.sqrt(vel[a]![k]! / c2) + eps);
      }
    });
  }
  return m;
}

// ---------------------------------------------------------------- the programs' data

function main(): void {
  const check = process.argv.includes("--check");
  const bc = readSource("breast_cancer.csv");
  const db = readSource("diabetes.csv");
  const bcFeatures = bc.header.slice(0, 30);
  const bcX = bc.values.map((r) => r.slice(0, 30));
  const bcY = bc.values.map((r) => r[30]!);
  const rawRows = (rows: number[], cols: number[]): string[][] => rows.map((r) => cols.map((c) => bc.cells[r]![c]!));
  const allRows = bc.cells.map((_, r) => r);
  const range = (a: number, b: number): number[] => Array.from({ length: b - a }, (_, i) => a + i);

  // sum: the seed's four parties, one number each.
  for (const [party, input, v] of [["alice", "a", 12.5], ["bob", "b", -3.25], ["carol", "c", 7], ["dave", "d", 100.75]] as const) {
    emit("sum", `${party}.${input}.csv`, [input], [[fmt(v)]]);
  }

  // millionaires: two integers (wealth in whole units).
  emit("millionaires", "alice.a.csv", ["a"], [["1200000"]]);
  emit("millionaires", "bob.b.csv", ["b"], [["950000"]]);

  // dot: two vectors from the PRNG.
  const rand = mulberry32(7);
  const vec = (): number[] => Array.from({ length: 100 }, () => Math.round((2 * rand() - 1) * 1000) / 1000);
  emit("dot", "alice.u.csv", ...column("u", vec()));
  emit("dot", "bob.v.csv", ...column("v", vec()));

  // average: each party's means of the first five features over its third of the rows.
  for (const [k, party, input] of [[0, "north", "u"], [1, "south", "v"], [2, "east", "w"]] as const) {
    const mine = bcX.filter((_, r) => r % 3 === k);
    emit("average", `${party}.${input}.csv`, ...column(input, columnStats(mine).mean.slice(0, 5)));
  }

  // feature_aggregation: a vertical split, raw values copied as written.
  emit("feature_aggregation", "hospital_a.xa.csv", bcFeatures.slice(0, 15), rawRows(allRows, range(0, 15)));
  emit("feature_aggregation", "hospital_b.xb.csv", bcFeatures.slice(15, 30), rawRows(allRows, range(15, 30)));
  emit("feature_aggregation", "hospital_b.y.csv", ["label"], rawRows(allRows, [30]));

  // data_labeling: features at the clinic, labels at the lab.
  emit("data_labeling", "clinic.x.csv", bcFeatures, rawRows(allRows, range(0, 30)));
  emit("data_labeling", "pathology_lab.y.csv", ["label"], rawRows(allRows, [30]));

  // data_augmentation: a horizontal split, row r to centre r mod 3.
  for (let k = 0; k < 3; k++) {
    const rows = allRows.filter((r) => r % 3 === k);
    emit("data_augmentation", `centre_${k}.x${k}.csv`, bcFeatures, rawRows(rows, range(0, 30)));
    emit("data_augmentation", `centre_${k}.y${k}.csv`, ["label"], rawRows(rows, [30]));
  }

  // linear_regression_inference: OLS on the raw diabetes features (solved on centred columns
  // for conditioning, then the intercept recovered).
  const dbX = db.values.map((r) => r.slice(0, 10));
  const dbY = db.values.map((r) => r[10]!);
  const { mean: xm } = columnStats(dbX);
  const ym = dbY.reduce((a, b) => a + b, 0) / dbY.length;
  const xc = dbX.map((r) => r.map((v, j) => v - xm[j]!));
  const xtx = range(0, 10).map((i) => range(0, 10).map((j) => xc.reduce((s, r) => s + r[i]! * r[j]!, 0)));
  const xty = range(0, 10).map((i) => xc.reduce((s, r, k) => s + r[i]! * (dbY[k]! - ym), 0));
  const w = solve(xtx, xty).map((v) => Number(fmt(v)));
  const b = Number(fmt(ym - xm.reduce((s, m, j) => s + m * w[j]!, 0)));
  const pred = dbX.map((r) => r.reduce((s, v, j) => s + v * w[j]!, b));
  const ssRes = pred.reduce((s, p, k) => s + (dbY[k]! - p) ** 2, 0);
  const ssTot = dbY.reduce((s, y) => s + (y - ym) ** 2, 0);
  const r2 = 1 - ssRes / ssTot;
  emit("linear_regression_inference", "hospital.x.csv", db.header.slice(0, 10), db.cells.map((r) => r.slice(0, 10)));
  emit("linear_regression_inference", "modeller.w.csv", ["w"], w.map((v) => [fmt(v)]));
  emit("linear_regression_inference", "modeller.b.csv", ["b"], [[fmt(b)]]);

  // model_hiding: an honest held-out estimate first, then the shipped model on all rows.
  const trainIdx = allRows.filter((r) => r % 5 !== 0);
  const testIdx = allRows.filter((r) => r % 5 === 0);
  const trainStats = columnStats(trainIdx.map((r) => bcX[r]!));
  const heldOut = trainMlp(standardise(trainIdx.map((r) => bcX[r]!), trainStats), trainIdx.map((r) => bcY[r]!), 64);
  const testAcc = accuracy(heldOut, standardise(testIdx.map((r) => bcX[r]!), trainStats), testIdx.map((r) => bcY[r]!));
  const z = standardise(bcX, columnStats(bcX));
  const mlp = trainMlp(z, bcY, 64);
  const rounded: Mlp = {
    w1: mlp.w1.map((r) => r.map((v) => Number(fmt(v)))),
    b1: mlp.b1.map((v) => Number(fmt(v))),
    w2: mlp.w2.map((r) => r.map((v) => Number(fmt(v)))),
    b2: mlp.b2.map((v) => Number(fmt(v))),
  };
  const trainAcc = accuracy(rounded, z, bcY);
  const hiddenNames = range(0, 64).map((j) => `h${j}`);
  emit("model_hiding", "model_owner.w1.csv", hiddenNames, rounded.w1.map((r) => r.map(fmt)));
  emit("model_hiding", "model_owner.b1.csv", ["b1"], rounded.b1.map((v) => [fmt(v)]));
  emit("model_hiding", "model_owner.w2.csv", ["malignant", "benign"], rounded.w2.map((r) => r.map(fmt)));
  emit("model_hiding", "model_owner.b2.csv", ["b2"], rounded.b2.map((v) => [fmt(v)]));
  emit("model_hiding", "data_owner.x.csv", bcFeatures, rawRows(allRows, range(0, 30)));
  const pct = (x: number): string => `${(100 * x).toFixed(2)}%`;
  const report =
    `# model_hiding data\n\n` +
    `\`data_owner.x.csv\`: the 569 x 30 raw breast-cancer features. \`model_owner.*.csv\`: a 30-64-2 ReLU\n` +
    `MLP trained by scripts/make-data.ts on the features standardised per column (population\n` +
    `standard deviation, as the program does): ${MLP_STEPS} full-batch Adam steps, learning rate ${MLP_LR},\n` +
    `L2 ${MLP_L2}, seed ${MLP_SEED}. Class 0 = malignant, 1 = benign (the dataset's label).\n\n` +
    `- Held-out accuracy (trained on rows r mod 5 != 0, tested on the ${testIdx.length} others): ${pct(testAcc)}\n` +
    `- The shipped model, trained the same way on all 569 rows: training accuracy ${pct(trainAcc)}\n`;
  files.set(join("model_hiding", "README.md"), report);
  console.log(`model_hiding: held-out accuracy ${pct(testAcc)}, training accuracy ${pct(trainAcc)}`);
  console.log(`linear_regression_inference: R^2 ${r2.toFixed(4)}`);

  let differ = 0;
  for (const [rel, text] of files) {
    const path = join(DATA, rel);
    if (check) {
      let old: string | undefined;
      try {
        old = readFileSync(path, "utf8");
      } catch {
        old = undefined;
      }
      if (old !== text) {
        console.error(`differs: programs/data/${rel}`);
        differ++;
      }
    } else {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, text);
    }
  }
  if (check && differ > 0) {
    console.error(`${differ} file(s) differ from what scripts/make-data.ts generates`);
    process.exitCode = 1;
  } else {
    console.log(`${check ? "checked" : "wrote"} ${files.size} files under programs/data/`);
  }
}

main();
