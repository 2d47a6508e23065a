// Generates the example programs' input data, programs/data/<program>/<party>.<input>.csv,
// deterministically from the source datasets in programs/data/source/ (copies of the shared
// breast_cancer.csv, diabetes.csv and digits.csv; see the README there for provenance). Run it from the
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
//   feature_aggregation_mlp    the same three inputs, and the agreed initial weights of the
//                              30-64-2 MLP (hospital_a.w1_init, w2_init): He initialisation,
//                              normal with variance 2/30 and 1/64, seed 20240613
//   data_labeling              all 30 raw features (clinic.x), labels (pathology_lab.y)
//   data_augmentation          row r to centre_(r mod 3): 190/190/189 rows, raw features + labels
//   linear_regression_inference  diabetes raw features (hospital.x) and an ordinary least
//                              squares fit of the target on them (modeller.w, modeller.b)
//   model_hiding               raw features (data_owner.x) and a 30-64-2 ReLU MLP (model_owner.*)
//                              trained here on the standardised features
//   model_hiding_cnn           the 360 digit images r mod 5 = 0 (data_owner.x, raw pixels) and a
//                              CNN (model_owner.*) trained here on the other 1437, pixels / 16
//
// Accuracy reached (printed by the script and written to programs/data/model_hiding/README.md):
//   MLP 30-64-2: 200 full-batch Adam steps (lr 0.003, L2 1e-2, seed 20240611).
//     Trained on 4/5 of the rows (r mod 5 != 0), held-out accuracy on the other 114: 96.49%.
//     The shipped model is trained the same way on all 569 rows: training accuracy 98.77%.
//   CNN conv 1->8 3x3 -> batchnorm -> relu -> avg_pool 2x2 -> dense 72->10: 300 full-batch Adam
//     steps (lr 0.01, L2 1e-3 on the weights, seed 20240612), batchnorm in training mode on the
//     full batch; inference statistics are the training set's under the shipped weights.
//     Held-out accuracy on the 360 images the data owner holds: 98.06% (training: 99.86%).
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
  "digits.csv": "7a93e51f73dadeb4429b4fc0718b334d12864332b906bdf44f9da7599a7e0e01",
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
/** Seed of the initial weights programs/feature_aggregation_mlp.mpc trains from. */
const MLP_INIT_SEED = 20240613;
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

// ---------------------------------------------------------------- the CNN (model_hiding_cnn)

// conv 1->8 3x3 (no padding, no bias) -> batchnorm -> relu -> avg_pool 2x2 -> flatten -> dense 72->10,
// on 8x8 digit images scaled to [0, 1] (pixel / 16), as programs/model_hiding_cnn.mpc computes.
const CNN_SEED = 20240612;
const CNN_STEPS = 300;
const CNN_LR = 0.01;
const CNN_L2 = 1e-3;
const CNN_EPS = 1e-5; // batchnorm's eps, the language's default
const [CH, KS, CS, PS, CLASSES] = [8, 3, 6, 3, 10]; // channels, kernel, conv output side, pooled side, classes
const FEATURES = CH * PS * PS;

interface Cnn {
  w1: Float64Array; // [8, 1, 3, 3]
  gamma: Float64Array; // [8]
  beta: Float64Array; // [8]
  w2: Float64Array; // [72, 10]
  b2: Float64Array; // [10]
}

interface BnStats {
  mean: Float64Array;
  variance: Float64Array;
}

interface CnnPass {
  stats: BnStats;
  xhat: Float64Array; // normalised conv output [n, 8, 6, 6]
  pre: Float64Array; // batchnorm output (relu input)
  f: Float64Array; // pooled features [n, 72]
  logits: Float64Array; // [n, 10]
}

/** Forward pass over images (64 values in [0, 1] each). Without `stats`, batchnorm uses the
 *  statistics of this batch (training mode, population variance); with them, inference mode. */
function cnnForward(m: Cnn, imgs: number[][], stats?: BnStats): CnnPass {
  const n = imgs.length;
  const plane = CS * CS;
  const z = new Float64Array(n * CH * plane);
  for (let s = 0; s < n; s++) {
    const im = imgs[s]!;
    for (let o = 0; o < CH; o++) {
      for (let y = 0; y < CS; y++) {
        for (let x = 0; x < CS; x++) {
          let a = 0;
          for (let i = 0; i < KS; i++) for (let j = 0; j < KS; j++) a += im[(y + i) * 8 + x + j]! * m.w1[(o * KS + i) * KS + j]!;
          z[(s * CH + o) * plane + y * CS + x] = a;
        }
      }
    }
  }
  let st = stats;
  if (!st) {
    const count = n * plane;
    const mean = new Float64Array(CH);
    const variance = new Float64Array(CH);
    for (let s = 0; s < n; s++) for (let o = 0; o < CH; o++) for (let k = 0; k < plane; k++) mean[o]! += z[(s * CH + o) * plane + k]! / count;
    for (let s = 0; s < n; s++) for (let o = 0; o < CH; o++) for (let k = 0; k < plane; k++) variance[o]! += (z[(s * CH + o) * plane + k]! - mean[o]!) ** 2 / count;
    st = { mean, variance };
  }
  const xhat = new Float64Array(z.length);
  const pre = new Float64Array(z.length);
  for (let s = 0; s < n; s++) {
    for (let o = 0; o < CH; o++) {
      const inv = 1 / Math.sqrt(st.variance[o]! + CNN_EPS);
      for (let k = 0; k < plane; k++) {
        const q = (s * CH + o) * plane + k;
        xhat[q] = (z[q]! - st.mean[o]!) * inv;
        pre[q] = m.gamma[o]! * xhat[q]! + m.beta[o]!;
      }
    }
  }
  const f = new Float64Array(n * FEATURES);
  for (let s = 0; s < n; s++) {
    for (let o = 0; o < CH; o++) {
      for (let py = 0; py < PS; py++) {
        for (let px = 0; px < PS; px++) {
          let a = 0;
          for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) a += Math.max(0, pre[(s * CH + o) * plane + (2 * py + i) * CS + 2 * px + j]!);
          f[s * FEATURES + (o * PS + py) * PS + px] = a / 4;
        }
      }
    }
  }
  const logits = new Float64Array(n * CLASSES);
  for (let s = 0; s < n; s++) {
    for (let c = 0; c < CLASSES; c++) {
      let a = m.b2[c]!;
      for (let k = 0; k < FEATURES; k++) a += f[s * FEATURES + k]! * m.w2[k * CLASSES + c]!;
      logits[s * CLASSES + c] = a;
    }
  }
  return { stats: st, xhat, pre, f, logits };
}

function cnnAccuracy(m: Cnn, imgs: number[][], labels: number[], stats: BnStats): number {
  const { logits } = cnnForward(m, imgs, stats);
  return labels.filter((y, s) => argmax([...logits.subarray(s * CLASSES, (s + 1) * CLASSES)]) === y).length / labels.length;
}

/** Full-batch Adam on mean softmax cross-entropy + L2 on the conv and dense weights;
 *  batchnorm in training mode (the batch is the whole training set). */
function trainCnn(imgs: number[][], labels: number[]): Cnn {
  const normal = gaussian(mulberry32(CNN_SEED));
  const m: Cnn = {
    w1: Float64Array.from({ length: CH * KS * KS }, () => normal() * Math.sqrt(2 / (KS * KS))),
    gamma: new Float64Array(CH).fill(1),
    beta: new Float64Array(CH),
    w2: Float64Array.from({ length: FEATURES * CLASSES }, () => normal() * Math.sqrt(1 / FEATURES)),
    b2: new Float64Array(CLASSES),
  };
  const params = [m.w1, m.gamma, m.beta, m.w2, m.b2];
  const mom = params.map((p) => new Float64Array(p.length));
  const vel = params.map((p) => new Float64Array(p.length));
  const [beta1, beta2, eps] = [0.9, 0.999, 1e-8];
  const n = imgs.length;
  const plane = CS * CS;
  const count = n * plane;
  for (let step = 1; step <= CNN_STEPS; step++) {
    const fw = cnnForward(m, imgs);
    // softmax cross-entropy
    const dlogits = new Float64Array(n * CLASSES);
    for (let s = 0; s < n; s++) {
      const row = fw.logits.subarray(s * CLASSES, (s + 1) * CLASSES);
      const mx = Math.max(...row);
      let sum = 0;
      for (let c = 0; c < CLASSES; c++) sum += (dlogits[s * CLASSES + c] = Math.exp(row[c]! - mx));
      for (let c = 0; c < CLASSES; c++) dlogits[s * CLASSES + c] = (dlogits[s * CLASSES + c]! / sum - (c === labels[s] ? 1 : 0)) / n;
    }
    // dense
    const gw2 = new Float64Array(FEATURES * CLASSES);
    const gb2 = new Float64Array(CLASSES);
    const df = new Float64Array(n * FEATURES);
    for (let s = 0; s < n; s++) {
      for (let c = 0; c < CLASSES; c++) {
        const d = dlogits[s * CLASSES + c]!;
        gb2[c]! += d;
        for (let k = 0; k < FEATURES; k++) {
          gw2[k * CLASSES + c]! += fw.f[s * FEATURES + k]! * d;
          df[s * FEATURES + k]! += m.w2[k * CLASSES + c]! * d;
        }
      }
    }
    // average pooling and relu
    const dpre = new Float64Array(fw.pre.length);
    for (let s = 0; s < n; s++) {
      for (let o = 0; o < CH; o++) {
        for (let y = 0; y < CS; y++) {
          for (let x = 0; x < CS; x++) {
            const q = (s * CH + o) * plane + y * CS + x;
            if (fw.pre[q]! > 0) dpre[q] = df[s * FEATURES + (o * PS + (y >> 1)) * PS + (x >> 1)]! / 4;
          }
        }
      }
    }
    // batchnorm (training mode)
    const ggamma = new Float64Array(CH);
    const gbeta = new Float64Array(CH);
    const dz = new Float64Array(fw.pre.length);
    for (let o = 0; o < CH; o++) {
      const inv = 1 / Math.sqrt(fw.stats.variance[o]! + CNN_EPS);
      let sumDx = 0;
      let sumDxX = 0;
      for (let s = 0; s < n; s++) {
        for (let k = 0; k < plane; k++) {
          const q = (s * CH + o) * plane + k;
          ggamma[o]! += dpre[q]! * fw.xhat[q]!;
          gbeta[o]! += dpre[q]!;
          const dx = dpre[q]! * m.gamma[o]!;
          sumDx += dx;
          sumDxX += dx * fw.xhat[q]!;
        }
      }
      for (let s = 0; s < n; s++) {
        for (let k = 0; k < plane; k++) {
          const q = (s * CH + o) * plane + k;
          dz[q] = (inv / count) * (count * dpre[q]! * m.gamma[o]! - sumDx - fw.xhat[q]! * sumDxX);
        }
      }
    }
    // convolution
    const gw1 = new Float64Array(CH * KS * KS);
    for (let s = 0; s < n; s++) {
      const im = imgs[s]!;
      for (let o = 0; o < CH; o++) {
        for (let y = 0; y < CS; y++) {
          for (let x = 0; x < CS; x++) {
            const d = dz[(s * CH + o) * plane + y * CS + x]!;
            for (let i = 0; i < KS; i++) for (let j = 0; j < KS; j++) gw1[(o * KS + i) * KS + j]! += d * im[(y + i) * 8 + x + j]!;
          }
        }
      }
    }
    for (let k = 0; k < gw1.length; k++) gw1[k]! += CNN_L2 * m.w1[k]!;
    for (let k = 0; k < gw2.length; k++) gw2[k]! += CNN_L2 * m.w2[k]!;
    const grads = [gw1, ggamma, gbeta, gw2, gb2];
    const c1 = 1 - beta1 ** step;
    const c2 = 1 - beta2 ** step;
    params.forEach((p, a) => {
      for (let k = 0; k < p.length; k++) {
        const g = grads[a]![k]!;
        mom[a]![k] = beta1 * mom[a]![k]! + (1 - beta1) * g;
        vel[a]![k] = beta2 * vel[a]![k]! + (1 - beta2) * g * g;
        p[k]! -= (CNN_LR * (mom[a]![k]! / c1)) / (Math.sqrt(vel[a]![k]! / c2) + eps);
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

  // feature_aggregation_mlp: the same split, and the initial weights of the MLP it trains.
  emit("feature_aggregation_mlp", "hospital_a.xa.csv", bcFeatures.slice(0, 15), rawRows(allRows, range(0, 15)));
  emit("feature_aggregation_mlp", "hospital_b.xb.csv", bcFeatures.slice(15, 30), rawRows(allRows, range(15, 30)));
  emit("feature_aggregation_mlp", "hospital_b.y.csv", ["label"], rawRows(allRows, [30]));
  const initNormal = gaussian(mulberry32(MLP_INIT_SEED));
  const w1Init = range(0, 30).map(() => range(0, 64).map(() => fmt(initNormal() * Math.sqrt(2 / 30))));
  const w2Init = range(0, 64).map(() => range(0, 2).map(() => fmt(initNormal() * Math.sqrt(1 / 64))));
  emit("feature_aggregation_mlp", "hospital_a.w1_init.csv", range(0, 64).map((j) => `h${j}`), w1Init);
  emit("feature_aggregation_mlp", "hospital_a.w2_init.csv", ["malignant", "benign"], w2Init);

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

  // model_hiding_cnn: the CNN is trained on the digits r mod 5 != 0 and the data owner holds
  // the 360 others, so the secure run classifies images the model has never seen.
  const dg = readSource("digits.csv");
  const digitRows = dg.cells.map((_, r) => r);
  const cnnTrain = digitRows.filter((r) => r % 5 !== 0);
  const cnnTest = digitRows.filter((r) => r % 5 === 0);
  const image = (r: number): number[] => dg.values[r]!.slice(0, 64).map((v) => v / 16);
  const trainImgs = cnnTrain.map(image);
  const trained = trainCnn(trainImgs, cnnTrain.map((r) => dg.values[r]![64]!));
  const round = (a: Float64Array): Float64Array => a.map((v) => Number(fmt(v)));
  const cnn: Cnn = { w1: round(trained.w1), gamma: round(trained.gamma), beta: round(trained.beta), w2: round(trained.w2), b2: round(trained.b2) };
  // inference statistics: the training set's, under the shipped (rounded) kernels
  const bn = cnnForward(cnn, trainImgs).stats;
  const bnStats: BnStats = { mean: round(bn.mean), variance: round(bn.variance) };
  const cnnTrainAcc = cnnAccuracy(cnn, trainImgs, cnnTrain.map((r) => dg.values[r]![64]!), bnStats);
  const cnnTestAcc = cnnAccuracy(cnn, cnnTest.map(image), cnnTest.map((r) => dg.values[r]![64]!), bnStats);
  const kernelNames = range(0, KS * KS).map((k) => `k_${Math.floor(k / KS)}_${k % KS}`);
  const rowsOf = (a: Float64Array, width: number): string[][] => range(0, a.length / width).map((i) => [...a.subarray(i * width, (i + 1) * width)].map(fmt));
  emit("model_hiding_cnn", "model_owner.w1.csv", kernelNames, rowsOf(cnn.w1, KS * KS));
  emit("model_hiding_cnn", "model_owner.bn_gamma.csv", ["bn_gamma"], rowsOf(cnn.gamma, 1));
  emit("model_hiding_cnn", "model_owner.bn_beta.csv", ["bn_beta"], rowsOf(cnn.beta, 1));
  emit("model_hiding_cnn", "model_owner.bn_mean.csv", ["bn_mean"], rowsOf(bnStats.mean, 1));
  emit("model_hiding_cnn", "model_owner.bn_var.csv", ["bn_var"], rowsOf(bnStats.variance, 1));
  emit("model_hiding_cnn", "model_owner.w2.csv", range(0, CLASSES).map((c) => `class_${c}`), rowsOf(cnn.w2, CLASSES));
  emit("model_hiding_cnn", "model_owner.b2.csv", ["b2"], rowsOf(cnn.b2, 1));
  emit("model_hiding_cnn", "data_owner.x.csv", dg.header.slice(0, 64), cnnTest.map((r) => dg.cells[r]!.slice(0, 64)));
  files.set(
    join("model_hiding_cnn", "README.md"),
    `# model_hiding_cnn data\n\n` +
      `\`data_owner.x.csv\`: ${cnnTest.length} digit images (rows r mod 5 = 0 of digits.csv), one per row, 64 raw\n` +
      `pixel counts 0-16 in row-major order. \`model_owner.*.csv\`: a CNN trained by scripts/make-data.ts on\n` +
      `the other ${cnnTrain.length} images, scaled to [0, 1] (pixel / 16, as the program does): conv 1->8 3x3\n` +
      `(w1, [8, 1, 3, 3], one kernel per row) -> batchnorm (bn_gamma, bn_beta; bn_mean and bn_var are the training\n` +
      `set's statistics, population variance, eps 1e-5) -> relu -> avg_pool 2x2 -> flatten -> dense 72->10 (w2, b2).\n` +
      `${CNN_STEPS} full-batch Adam steps, learning rate ${CNN_LR}, L2 ${CNN_L2} on w1 and w2, seed ${CNN_SEED}.\n\n` +
      `- Held-out accuracy (the ${cnnTest.length} images the data owner holds): ${pct(cnnTestAcc)}\n` +
      `- Training accuracy (${cnnTrain.length} images): ${pct(cnnTrainAcc)}\n`,
  );
  console.log(`model_hiding_cnn: held-out accuracy ${pct(cnnTestAcc)}, training accuracy ${pct(cnnTrainAcc)}`);

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
