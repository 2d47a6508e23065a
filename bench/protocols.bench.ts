// Secure 2-party protocols end to end through runInProcess (each party and the dealer in its
// own worker thread): matmul 256^3 and 1024^3 and an elementwise multiply of 10^6 elements,
// one input per party. Reported: the dealer's offline time, the online time, their sum,
// rounds and bytes, beside plaintext tfjs (wasm backend) on the same shapes in this process.
// The plans stop at the secret-shared product (no reveal), so the protocol's own round count
// shows; worker start-up is not included (it is paid once per run, not per operation).

import { measure, table } from "./harness.js";
import type { Bench } from "./harness.js";
import { runInProcess, type RunResult } from "../runtime/executor/index.js";
import type { Plan } from "../runtime/plan/plan.js";
import { PLAN_FORMAT, PLAN_VERSION } from "../runtime/plan/plan.js";
import { PlanBuilder } from "../runtime/protocols/builder.js";
import { matmulSecret, mulSecret } from "../runtime/protocols/spec/arithmetic.js";
import { initTf } from "../runtime/ring/tf.js";

const PARTIES = ["alice", "bob"];

function plan(kind: "matmul" | "mul", xs: number[], ys: number[], out: number[]): Plan {
  const b = new PlanBuilder({ parties: PARTIES, precision: 16 });
  const x = b.share(b.input("alice", "x", { elem: "fixed", shape: xs }), "alice");
  const y = b.share(b.input("bob", "y", { elem: "fixed", shape: ys }), "bob");
  const spec = { elem: "fixed" as const, shape: out };
  if (kind === "matmul") matmulSecret(b, x, y, spec);
  else mulSecret(b, x, y, spec);
  let round = 0;
  for (const n of b.body) if (n.kind === "open") n.round = round++;
  return {
    format: PLAN_FORMAT,
    version: PLAN_VERSION,
    program: `bench_${kind}`,
    hash: "",
    precision: 16,
    parties: PARTIES,
    inputs: [
      { party: "alice", name: "x", elem: "fixed", shape: xs },
      { party: "bob", name: "y", elem: "fixed", shape: ys },
    ],
    outputs: [],
    values: [...b.values.values()],
    body: b.body,
    rounds: round,
  };
}

function data(n: number): Float64Array {
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) d[i] = ((i * 7919) % 2000) / 1000 - 1;
  return d;
}

const bench: Bench = async () => {
  const { tf, backend } = await initTf();
  const cases: { name: string; kind: "matmul" | "mul"; xs: number[]; ys: number[]; out: number[]; target: number; reps: number }[] = [
    { name: "matmul 256x256 @ 256x256", kind: "matmul", xs: [256, 256], ys: [256, 256], out: [256, 256], target: 38, reps: 7 },
    { name: "matmul 1024x1024 @ 1024x1024", kind: "matmul", xs: [1024, 1024], ys: [1024, 1024], out: [1024, 1024], target: 1840, reps: 3 },
    { name: "mul 10^6 elements", kind: "mul", xs: [1_000_000], ys: [1_000_000], out: [1_000_000], target: 58, reps: 7 },
  ];
  const rows: (string | number)[][] = [];
  for (const c of cases) {
    const p = plan(c.kind, c.xs, c.ys, c.out);
    const x = { data: data(c.xs.reduce((a, d) => a * d, 1)), shape: c.xs };
    const y = { data: data(c.ys.reduce((a, d) => a * d, 1)), shape: c.ys };
    const inputs = new Map([["alice.x", x], ["bob.y", y]]);
    const runs: RunResult[] = [];
    const wall = await measure(async () => runs.push(await runInProcess(p, inputs, { warmUp: true })), c.reps, 1);
    const totals = runs.map((r) => r.stats.offlineMs + r.stats.onlineMs).sort((a, b) => a - b);
    const offline = runs.map((r) => r.stats.offlineMs).sort((a, b) => a - b);
    const online = runs.map((r) => r.stats.onlineMs).sort((a, b) => a - b);
    const mid = (v: number[]): number => v[Math.floor(v.length / 2)]!;
    const last = runs[runs.length - 1]!.stats;
    const bytes = last.perPair.reduce((s, q) => s + q.bytes, 0);
    const tx = tf.tensor(Float32Array.from(x.data), c.xs, "float32");
    const ty = tf.tensor(Float32Array.from(y.data), c.ys, "float32");
    const plain = await measure(() => {
      const z = c.kind === "matmul" ? tf.matMul(tx as never, ty as never) : tf.mul(tx, ty);
      z.dataSync();
      z.dispose();
    }, c.reps, 2);
    tx.dispose();
    ty.dispose();
    rows.push([
      c.name,
      mid(offline),
      mid(online),
      mid(totals),
      c.target,
      wall.medianMs,
      last.rounds,
      `${(bytes / 1e6).toFixed(2)} MB`,
      `${(last.dealerBytes / 1e6).toFixed(2)} MB`,
      plain.medianMs,
      mid(totals) / plain.medianMs,
    ]);
  }
  table(
    `2-party secure protocols (runInProcess, medians) vs plaintext tfjs-${backend}`,
    ["case", "offline ms", "online ms", "total ms", "target ms", "wall ms (with start-up)", "rounds", "online bytes", "dealer bytes", "tfjs ms", "ratio"],
    rows,
  );
};

export default bench;
