// Secure 2-party protocols end to end, each party and the dealer in its own worker thread
// (threads kept across runs, bench/runs.ts): matmul 256^3 and 1024^3 and an elementwise multiply of 10^6 elements,
// one input per party, each with the private-operand protocol and with both operands shared
// first. Reported: the offline phase (dealer, and the parties deriving their randomness), the
// online phase, their sum, rounds and bytes, beside plaintext tfjs (wasm backend) on the same
// shapes in this process, as a ratio. The plans stop at the secret-shared product (no
// reveal), so the protocol's own round count shows. "cold ms": offline + online of one run on
// fresh threads (runInProcess after the generic JIT warm-up), as a single `mpc run` pays it.
// Beside the wall times (which move with the machine's load), the same plan runs with every
// role in this one thread: its CPU time per phase is robust to load, and offline CPU plus
// half the (two parties') online CPU estimates the time on two idle cores.
// MPC_BENCH_CASES=word,word selects cases by name.

import { measure, table } from "./harness.js";
import type { Bench } from "./harness.js";
import { runInThread } from "../runtime/executor/index.js";
import { coldRun, median as mid, warmRuns } from "./runs.js";
import type { Plan } from "../runtime/plan/plan.js";
import { PLAN_FORMAT, PLAN_VERSION } from "../runtime/plan/plan.js";
import { PlanBuilder } from "../runtime/protocols/builder.js";
import { matmulPrivate, matmulSecret, mulPrivate, mulSecret } from "../runtime/protocols/spec/arithmetic.js";
import { initTf } from "../runtime/ring/tf.js";

const PARTIES = ["alice", "bob"];

/** "private": the operands stay with their owners (mulPrivate / matmulPrivate, what the
 *  compiler emits for private(alice) op private(bob)); "shared": both are secret-shared first
 *  and multiplied with Beaver's protocol (what any secret operands get). */
function plan(kind: "matmul" | "mul", protocol: "private" | "shared", xs: number[], ys: number[], out: number[]): Plan {
  const b = new PlanBuilder({ parties: PARTIES, precision: 16 });
  const xi = b.input("alice", "x", { elem: "fixed", shape: xs });
  const yi = b.input("bob", "y", { elem: "fixed", shape: ys });
  const spec = { elem: "fixed" as const, shape: out };
  if (protocol === "private") {
    if (kind === "matmul") matmulPrivate(b, xi, yi, spec);
    else mulPrivate(b, xi, yi, spec);
  } else {
    const x = b.share(xi, "alice");
    const y = b.share(yi, "bob");
    if (kind === "matmul") matmulSecret(b, x, y, spec);
    else mulSecret(b, x, y, spec);
  }
  // one round: the opens (or the two sends) of the product
  const round = 1;
  for (const n of b.body) if (n.kind === "open" || n.kind === "send") n.round = 0;
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
  type Case = { name: string; kind: "matmul" | "mul"; xs: number[]; ys: number[]; out: number[]; target: number; reps: number };
  const shapes: Case[] = [
    { name: "matmul 256", kind: "matmul", xs: [256, 256], ys: [256, 256], out: [256, 256], target: 38, reps: 7 },
    { name: "matmul 1024", kind: "matmul", xs: [1024, 1024], ys: [1024, 1024], out: [1024, 1024], target: 1840, reps: 3 },
    { name: "mul 10^6", kind: "mul", xs: [1_000_000], ys: [1_000_000], out: [1_000_000], target: 58, reps: 7 },
  ];
  const only = process.env.MPC_BENCH_CASES?.split(",");
  const cases = shapes
    .flatMap((c) => (["private", "shared"] as const).map((protocol) => ({ ...c, protocol, name: `${c.name} (${protocol})` })))
    .filter((c) => !only || only.some((w) => c.name.includes(w)));
  const rows: (string | number)[][] = [];
  for (const c of cases) {
    const p = plan(c.kind, c.protocol, c.xs, c.ys, c.out);
    const x = { data: data(c.xs.reduce((a, d) => a * d, 1)), shape: c.xs };
    const y = { data: data(c.ys.reduce((a, d) => a * d, 1)), shape: c.ys };
    const inputs = new Map([["alice.x", x], ["bob.y", y]]);
    const cold = await coldRun(p, inputs);
    const runs = await warmRuns(p, inputs, c.reps);
    const totals = runs.map((r) => r.stats.offlineMs + r.stats.onlineMs);
    const offline = runs.map((r) => r.stats.offlineMs);
    const online = runs.map((r) => r.stats.onlineMs);
    const last = runs[runs.length - 1]!.stats;
    const bytes = last.perPair.reduce((s, q) => s + q.bytes, 0);
    // load-robust figures: CPU time of every role run in this one thread (warm), and from
    // it the time on 2 idle cores: the offline phase serial, the two parties' online in parallel
    const cpuOff: number[] = [];
    const cpuOn: number[] = [];
    for (let r = 0; r < c.reps + 2; r++) {
      const res = await runInThread(p, inputs);
      if (r >= 2) {
        cpuOff.push(res.cpu.offlineMs);
        cpuOn.push(res.cpu.onlineMs);
      }
    }
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
      cold.stats.offlineMs + cold.stats.onlineMs,
      mid(offline),
      mid(online),
      mid(totals),
      mid(cpuOff),
      mid(cpuOn),
      mid(cpuOff) + mid(cpuOn) / 2,
      c.target,
      last.rounds,
      `${(bytes / 1e6).toFixed(2)} MB`,
      `${(last.dealerBytes / 1e6).toFixed(2)} MB`,
      plain.medianMs,
      mid(totals) / plain.medianMs,
    ]);
  }
  table(
    `2-party secure protocols (kept threads, medians) vs plaintext tfjs-${backend}`,
    [
      "case",
      "cold ms",
      "offline ms",
      "online ms",
      "total ms",
      "cpu offline ms",
      "cpu online ms",
      "est. 2 idle cores ms",
      "target ms",
      "rounds",
      "online bytes",
      "dealer bytes",
      "tfjs ms",
      "ratio (total / tfjs)",
    ],
    rows,
  );
};

export default bench;
