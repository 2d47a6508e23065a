// Secure non-linear functions, 2 parties + dealer (PartyThreads: each party and the dealer in
// its own worker thread, started once and kept across runs, as a service keeps its parties),
// on the workloads of the non-linear protocols issue: sigmoid on 10^4 points of [-30, 30], exp on [-16, 8], reciprocal / sqrt / log on [1e-2, 1e4] (geometric),
// plus tanh, inv_sqrt, division, and softmax / log_softmax over 10 classes for 10^3 rows.
// Reported per workload: offline + online time (medians), online rounds, online and dealer
// bytes, the error against float64 (max abs; and "rel e": the smallest e with |secure -
// exact| <= e |exact| + 2e-4 at every point), and plaintext tfjs on the same data in this
// process, as a ratio. Each plan stops at the reveal, so the rounds are the function's plus 1.
// "cold ms": one runInProcess on fresh threads (generic JIT warm-up only), for contrast: a
// thread's first run of a function pays for V8 optimising its code.
// A baseline row (one secure fixed-point multiply of 10^4 elements) shows what the machine's
// load does to every time in the table. The five timed workloads also run with 3
// parties ("(3 parties)" rows: the n > 2 truncation adds a round per truncation).
// MPC_BENCH_CASES=word,word selects workloads by name.

import { measure, table } from "./harness.js";
import type { Bench } from "./harness.js";
import { coldRun, median as mid, warmRuns } from "./runs.js";
import { schedule } from "../compiler/schedule/schedule.js";
import type { Plan } from "../runtime/plan/plan.js";
import { PLAN_FORMAT, PLAN_VERSION } from "../runtime/plan/plan.js";
import { PlanBuilder } from "../runtime/protocols/builder.js";
import { revealTo } from "../runtime/protocols/spec/arithmetic.js";
import {
  divSecret,
  expSecret,
  invSqrtSecret,
  logSecret,
  logSoftmaxSecret,
  reciprocalSecret,
  sigmoidSecret,
  softmaxSecret,
  sqrtSecret,
  tanhSecret,
} from "../runtime/protocols/spec/nonlinear/index.js";
import { initTf } from "../runtime/ring/tf.js";
import { mulFixed } from "../runtime/protocols/spec/nonlinear/common.js";

const TWO = ["alice", "bob"];
const THREE = ["alice", "bob", "carol"];
type Tf = Awaited<ReturnType<typeof initTf>>["tf"];
type TfTensor = ReturnType<Tf["tensor"]>;

interface Workload {
  name: string;
  shape: number[];
  /** inputs (alice's x, and bob's d for division) */
  x: Float64Array;
  d?: Float64Array;
  secure: (b: PlanBuilder, x: string, d?: string) => string;
  exact: (x: Float64Array, d?: Float64Array) => Float64Array;
  plain: (tf: Tf, x: TfTensor, d?: TfTensor) => TfTensor;
  target: string;
}

const q = (v: number): number => Math.round(v * 65536) / 65536;
const lin = (lo: number, hi: number, n: number): Float64Array => Float64Array.from({ length: n }, (_, i) => q(lo + ((hi - lo) * i) / (n - 1)));
const geo = (lo: number, hi: number, n: number): Float64Array => Float64Array.from({ length: n }, (_, i) => q(lo * (hi / lo) ** (i / (n - 1))));
const map = (f: (v: number) => number) => (x: Float64Array): Float64Array => x.map(f);

function softmaxRows(x: Float64Array, C: number, log: boolean): Float64Array {
  const out = new Float64Array(x.length);
  for (let r = 0; r < x.length / C; r++) {
    const row = x.subarray(r * C, r * C + C);
    const m = Math.max(...row);
    const s = row.reduce((a, v) => a + Math.exp(v - m), 0);
    row.forEach((v, c) => (out[r * C + c] = log ? v - m - Math.log(s) : Math.exp(v - m) / s));
  }
  return out;
}

function workloads(): Workload[] {
  const N = 10_000;
  const logits = Float64Array.from({ length: 1000 * 10 }, (_, i) => q(8 * Math.sin(i * 12.9898) * Math.cos(i * 0.37)));
  return [
    { name: "sigmoid", shape: [N], x: lin(-30, 30, N), secure: sigmoidSecret, exact: map((v) => 1 / (1 + Math.exp(-v))), plain: (tf, x) => tf.sigmoid(x), target: "<= 0.1 s, <= 23 rounds, abs 1e-4" },
    { name: "exp", shape: [N], x: lin(-16, 8, N), secure: expSecret, exact: map(Math.exp), plain: (tf, x) => tf.exp(x), target: "<= 0.04 s, <= 8 rounds, rel 1e-2" },
    { name: "reciprocal", shape: [N], x: geo(1e-2, 1e4, N), secure: reciprocalSecret, exact: map((v) => 1 / v), plain: (tf, x) => tf.reciprocal(x), target: "<= 0.09 s, rel 1e-2" },
    { name: "sqrt", shape: [N], x: geo(1e-2, 1e4, N), secure: sqrtSecret, exact: map(Math.sqrt), plain: (tf, x) => tf.sqrt(x), target: "<= 0.11 s, rel 1e-2" },
    { name: "log", shape: [N], x: geo(1e-2, 1e4, N), secure: logSecret, exact: map(Math.log), plain: (tf, x) => tf.log(x), target: "<= 0.19 s, abs 1e-3" },
    { name: "tanh", shape: [N], x: lin(-10, 10, N), secure: tanhSecret, exact: map(Math.tanh), plain: (tf, x) => tf.tanh(x), target: "-" },
    { name: "inv_sqrt", shape: [N], x: geo(1e-2, 1e4, N), secure: invSqrtSecret, exact: map((v) => 1 / Math.sqrt(v)), plain: (tf, x) => tf.rsqrt(x), target: "-" },
    {
      name: "div",
      shape: [N],
      x: lin(-100, 100, N),
      d: geo(1e-2, 1e4, N),
      secure: (b, x, d) => divSecret(b, x, d!, { elem: "fixed", shape: [N] }),
      exact: (x, d) => x.map((v, i) => v / d![i]!),
      plain: (tf, x, d) => tf.div(x, d!),
      target: "-",
    },
    {
      name: "baseline: one secure multiply x*x",
      shape: [N],
      x: lin(-1, 1, N),
      secure: (b, x) => mulFixed(b, x, x),
      exact: map((v) => v * v),
      plain: (tf, x) => tf.mul(x, x),
      target: "(for scale: the machine's load)",
    },
    { name: "softmax 10^3 x 10", shape: [1000, 10], x: logits, secure: (b, x) => softmaxSecret(b, x, 1), exact: (x) => softmaxRows(x, 10, false), plain: (tf, x) => tf.softmax(x), target: "report, abs 1e-3" },
    { name: "log_softmax 10^3 x 10", shape: [1000, 10], x: logits, secure: (b, x) => logSoftmaxSecret(b, x, 1), exact: (x) => softmaxRows(x, 10, true), plain: (tf, x) => tf.logSoftmax(x), target: "-" },
  ];
}

function plan(w: Workload, PARTIES: string[]): Plan {
  const b = new PlanBuilder({ parties: PARTIES, precision: 16 });
  const x = b.share(b.input("alice", "x", { elem: "fixed", shape: w.shape }), "alice");
  const d = w.d ? b.share(b.input("bob", "d", { elem: "fixed", shape: w.shape }), "bob") : undefined;
  const y = w.secure(b, x, d);
  b.output(revealTo(b, y, PARTIES), "y", PARTIES);
  return schedule({
    format: PLAN_FORMAT,
    version: PLAN_VERSION,
    program: `bench_${w.name}`,
    hash: "",
    precision: 16,
    parties: PARTIES,
    inputs: [{ party: "alice", name: "x", elem: "fixed", shape: w.shape }, ...(w.d ? [{ party: "bob", name: "d", elem: "fixed" as const, shape: w.shape }] : [])],
    outputs: [{ name: "y", to: PARTIES, elem: "fixed", shape: w.shape, from: { kind: "secret" } }],
    values: [...b.values.values()],
    body: b.body,
    rounds: -1,
  });
}

const bench: Bench = async () => {
  const { tf, backend } = await initTf();
  const only = process.env.MPC_BENCH_CASES?.split(",");
  const rows: (string | number)[][] = [];
  const chosen = workloads().filter((c) => !only || only.some((o) => c.name.includes(o)));
  const timed = ["sigmoid", "exp", "reciprocal", "sqrt", "log"];
  const runsOf: [Workload, string[]][] = [
    ...chosen.map((w): [Workload, string[]] => [w, TWO]),
    ...chosen.filter((w) => timed.includes(w.name)).map((w): [Workload, string[]] => [{ ...w, name: `${w.name} (3 parties)` }, THREE]),
  ];
  for (const [w, parties] of runsOf) {
    const p = plan(w, parties);
    const inputs = new Map([["alice.x", { data: w.x, shape: w.shape }]]);
    if (w.d) inputs.set("bob.d", { data: w.d, shape: w.shape });
    const cold = await coldRun(p, inputs);
    const runs = await warmRuns(p, inputs, 5);
    const total = mid(runs.map((r) => r.stats.offlineMs + r.stats.onlineMs));
    const last = runs[runs.length - 1]!;
    const got = last.outputs.get("alice")!.get("y")!.data;
    const want = w.exact(w.x, w.d);
    let maxAbs = 0;
    let relE = 0;
    want.forEach((e, i) => {
      const err = Math.abs(got[i]! - e);
      maxAbs = Math.max(maxAbs, err);
      if (err > 2e-4) relE = Math.max(relE, (err - 2e-4) / Math.abs(e));
    });
    const tx = tf.tensor(Float32Array.from(w.x), w.shape, "float32");
    const td = w.d ? tf.tensor(Float32Array.from(w.d), w.shape, "float32") : undefined;
    const plain = await measure(() => {
      const z = w.plain(tf, tx, td);
      z.dataSync();
      z.dispose();
    }, 7, 2);
    tx.dispose();
    td?.dispose();
    const bytes = last.stats.perPair.reduce((s, r) => s + r.bytes, 0);
    rows.push([
      w.name,
      mid(runs.map((r) => r.stats.offlineMs)),
      mid(runs.map((r) => r.stats.onlineMs)),
      total,
      cold.stats.offlineMs + cold.stats.onlineMs,
      last.stats.rounds - 1,
      `${(bytes / 1e6).toFixed(2)} MB`,
      `${(last.stats.dealerBytes / 1e6).toFixed(2)} MB`,
      maxAbs,
      relE,
      plain.medianMs,
      total / plain.medianMs,
      w.target,
    ]);
  }
  table(
    `Secure non-linear functions, 2 (or 3) parties + dealer (PartyThreads, medians of 5) vs plaintext tfjs-${backend}`,
    ["workload", "offline ms", "online ms", "total ms", "cold ms", "rounds", "online bytes", "dealer bytes", "max abs err", "rel e", "tfjs ms", "ratio", "target"],
    rows,
  );
  console.log("\ncold ms: offline + online of one run on fresh threads (runInProcess with warm-up); the other times are on threads kept across runs.");
  console.log("rounds: the function's online rounds (the reveal's round excluded); rel e: smallest e with |err| <= e |exact| + 2e-4.");
};

export default bench;
