// Secure inference, end to end, each party and the dealer in its own worker thread (threads
// kept across runs, bench/runs.ts), beside the same computation in plaintext tfjs (wasm backend) in this process:
//   - the CNN of programs/model_hiding_cnn.mpc (conv 1->8 3x3, batchnorm, relu, avg_pool 2x2,
//     dense 72->10, argmax) on the digits: the program's 360 held-out images, and all 1797
//     (the same program compiled for N = 1797);
//   - one conv layer alone, x [32, 16, 16, 16] * w [32, 16, 3, 3], padding 1, with each of its
//     protocols: both operands shared (Beaver convolution), the operands private to their two
//     owners (convPrivate), and public weights (local). These plans stop at the secret-shared
//     result (no reveal), so the protocol's own rounds show.
// Reported: "cold ms" (offline + online of one run on fresh threads, as a single `mpc run`), the offline phase (dealer and the parties'
// randomness), the online phase, rounds, online and dealer bytes, the tfjs time and the ratio
// of the secure total (offline + online) to it. Medians; MPC_BENCH_CASES=word,word selects cases.

import { readFileSync } from "node:fs";
import type { Tensor1D, Tensor2D, Tensor4D } from "@tensorflow/tfjs-core";
import { join } from "node:path";
import { measure, table } from "./harness.js";
import type { Bench } from "./harness.js";
import { checkFile } from "../compiler/frontend.js";
import { compileFile, compileSource } from "../compiler/pipeline.js";
import { schedule } from "../compiler/schedule/schedule.js";
import type { ClearTensor } from "../runtime/clear/index.js";
import { coldRun, median as mid, warmRuns } from "./runs.js";
import { loadInputs, resolveInputs } from "../runtime/io/index.js";
import { PLAN_FORMAT, PLAN_VERSION, type Plan } from "../runtime/plan/plan.js";
import { PlanBuilder } from "../runtime/protocols/builder.js";
import { convPrivate, convPublic, convSecret } from "../runtime/protocols/spec/conv.js";
import { initTf } from "../runtime/ring/tf.js";

const ROOT = join(import.meta.dirname, "..");
const PROGRAM = join(ROOT, "programs", "model_hiding_cnn.mpc");

type Tf = Awaited<ReturnType<typeof initTf>>["tf"];

interface Case {
  name: string;
  plan: Plan;
  inputs: Map<string, ClearTensor>;
  /** The same computation in plaintext tfjs; returns a function to time (it must sync). */
  plain: (tf: Tf) => { run: () => void; dispose: () => void; classes?: () => number[] };
  reps: number;
}


// ---------------------------------------------------------------- the CNN

/** The model owner's inputs from programs/data, and `n` images (the held-out 360, or all). */
function cnnInputs(n: number): Map<string, ClearTensor> {
  const checked = checkFile(PROGRAM);
  const inputs = loadInputs(resolveInputs(PROGRAM, checked.program!.name, checked.program!.inputs, []));
  if (n === 360) return inputs;
  const rows = readFileSync(join(ROOT, "programs", "data", "source", "digits.csv"), "utf8")
    .split("\n")
    .slice(1)
    .filter((l) => l.trim() !== "")
    .map((l) => l.split(",").slice(0, 64).map(Number));
  inputs.set("data_owner.x", { data: Float64Array.from(rows.slice(0, n).flat()), shape: [n, 1, 8, 8] });
  return inputs;
}

function cnnPlan(n: number): Plan {
  const r = n === 360 ? compileFile(PROGRAM) : compileSource(readFileSync(PROGRAM, "utf8").replace("fixed[360, 1, 8, 8]", `fixed[${n}, 1, 8, 8]`), "model_hiding_cnn.mpc");
  if (!r.plan) throw new Error(`model_hiding_cnn does not compile: ${r.diagnostics.map((d) => d.message).join("; ")}`);
  return r.plan;
}

/** The CNN in tfjs (NHWC): the same layers, the flatten in the program's NCHW order. */
function cnnPlain(inputs: Map<string, ClearTensor>, n: number) {
  return (tf: Tf) => {
    const t = (name: string, shape: number[]) => tf.tensor(Float32Array.from(inputs.get(name)!.data), shape, "float32");
    const x = tf.transpose(t("data_owner.x", [n, 1, 8, 8]), [0, 2, 3, 1]); // NHWC
    const w1 = tf.transpose(t("model_owner.w1", [8, 1, 3, 3]), [2, 3, 1, 0]); // [kh, kw, in, out]
    const [g, be, mu, s2] = ["bn_gamma", "bn_beta", "bn_mean", "bn_var"].map((k) => t(`model_owner.${k}`, [8]));
    const w2 = t("model_owner.w2", [72, 10]);
    const b2 = t("model_owner.b2", [10]);
    const predict = () =>
      tf.tidy(() => {
        const img = tf.div(x, 16) as Tensor4D;
        const h = tf.relu(tf.batchNorm(tf.conv2d(img, w1 as Tensor4D, 1, "valid"), mu as Tensor1D, s2 as Tensor1D, be as Tensor1D, g as Tensor1D, 1e-5));
        const p = tf.avgPool(h, 2, 2, "valid");
        const f = tf.reshape(tf.transpose(p, [0, 3, 1, 2]), [n, 72]) as Tensor2D;
        return tf.argMax(tf.add(tf.matMul(f, w2 as Tensor2D), b2), 1);
      });
    const run = (): void => {
      const classes = predict();
      classes.dataSync();
      classes.dispose();
    };
    const classes = (): number[] => {
      const c = predict();
      const out = [...c.dataSync()];
      c.dispose();
      return out;
    };
    return { run, classes, dispose: () => [x, w1, g, be, mu, s2, w2, b2].forEach((v) => v!.dispose()) };
  };
}

// ---------------------------------------------------------------- one conv layer

const XS = [32, 16, 16, 16];
const WS = [32, 16, 3, 3];
const OUT = [32, 32, 16, 16];

function convPlan(protocol: "shared" | "private" | "public"): Plan {
  const parties = ["alice", "bob"];
  const b = new PlanBuilder({ parties, precision: 16 });
  const x = b.input("alice", "x", { elem: "fixed", shape: XS });
  const w = b.input("bob", "w", { elem: "fixed", shape: WS });
  const spec = { elem: "fixed" as const, shape: OUT };
  const attrs = { stride: 1, padding: 1 };
  if (protocol === "shared") convSecret(b, b.share(x, "alice"), b.share(w, "bob"), attrs, spec);
  else if (protocol === "private") convPrivate(b, x, w, attrs, spec);
  else convPublic(b, b.share(x, "alice"), b.send("bob", w, ["alice"]), attrs, spec, "right");
  return schedule({
    format: PLAN_FORMAT,
    version: PLAN_VERSION,
    program: `bench_conv_${protocol}`,
    hash: "",
    precision: 16,
    parties,
    inputs: [
      { party: "alice", name: "x", elem: "fixed", shape: XS },
      { party: "bob", name: "w", elem: "fixed", shape: WS },
    ],
    outputs: [],
    values: [...b.values.values()],
    body: b.body,
    rounds: -1,
  });
}

function data(n: number, scale: number): Float64Array {
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) d[i] = (((i * 7919) % 2000) / 1000 - 1) * scale;
  return d;
}

function convInputs(): Map<string, ClearTensor> {
  const n = (s: number[]): number => s.reduce((a, d) => a * d, 1);
  return new Map([
    ["alice.x", { data: data(n(XS), 1), shape: XS }],
    ["bob.w", { data: data(n(WS), 0.25), shape: WS }],
  ]);
}

function convPlain(inputs: Map<string, ClearTensor>) {
  return (tf: Tf) => {
    const x = tf.transpose(tf.tensor(Float32Array.from(inputs.get("alice.x")!.data), XS, "float32"), [0, 2, 3, 1]);
    const w = tf.transpose(tf.tensor(Float32Array.from(inputs.get("bob.w")!.data), WS, "float32"), [2, 3, 1, 0]);
    const run = (): void => {
      const y = tf.conv2d(x as Tensor4D, w as Tensor4D, 1, 1);
      y.dataSync();
      y.dispose();
    };
    return { run, dispose: () => [x, w].forEach((v) => v.dispose()) };
  };
}

// ---------------------------------------------------------------- the table

const bench: Bench = async () => {
  const { tf, backend } = await initTf();
  const convIn = convInputs();
  const all: (() => Case)[] = [
    () => ({ name: "cnn digits N=360", plan: cnnPlan(360), inputs: cnnInputs(360), plain: cnnPlain(cnnInputs(360), 360), reps: 5 }),
    () => ({ name: "cnn digits N=1797", plan: cnnPlan(1797), inputs: cnnInputs(1797), plain: cnnPlain(cnnInputs(1797), 1797), reps: 3 }),
    ...(["shared", "private", "public"] as const).map((p) => () => ({
      name: `conv 32x16x16x16 * 32x16x3x3 (${p})`,
      plan: convPlan(p),
      inputs: convIn,
      plain: convPlain(convIn),
      reps: 5,
    })),
  ];
  const only = process.env.MPC_BENCH_CASES?.split(",");
  const rows: (string | number)[][] = [];
  for (const make of all) {
    const c = make();
    if (only && !only.some((w) => c.name.includes(w))) continue;
    const cold = await coldRun(c.plan, c.inputs, { timeoutMs: 300_000 });
    const runs = await warmRuns(c.plan, c.inputs, c.reps, { timeoutMs: 300_000 });
    const last = runs[runs.length - 1]!.stats;
    const total = mid(runs.map((r) => r.stats.offlineMs + r.stats.onlineMs));
    const bytes = last.perPair.reduce((s, q) => s + q.bytes, 0);
    const p = c.plain(tf);
    const plain = await measure(p.run, c.reps, 2);
    // the secure classes against tfjs's float32 ones (a check, not a timing)
    let agree = "-";
    if (p.classes) {
      const want = p.classes();
      const got = runs[runs.length - 1]!.outputs.get("data_owner")!.get("classes")!.data;
      agree = `${want.filter((v, i) => v === got[i]).length}/${want.length}`;
    }
    p.dispose();
    rows.push([
      c.name,
      cold.stats.offlineMs + cold.stats.onlineMs,
      mid(runs.map((r) => r.stats.offlineMs)),
      mid(runs.map((r) => r.stats.onlineMs)),
      total,
      last.rounds,
      `${(bytes / 1e6).toFixed(2)} MB`,
      `${(last.dealerBytes / 1e6).toFixed(2)} MB`,
      plain.medianMs,
      total / plain.medianMs,
      agree,
    ]);
  }
  table(
    `2-party secure inference (kept threads, medians) vs plaintext tfjs-${backend}`,
    ["case", "cold ms", "offline ms", "online ms", "total ms", "rounds", "online bytes", "dealer bytes", "tfjs ms", "ratio", "classes = tfjs"],
    rows,
  );
};

export default bench;
