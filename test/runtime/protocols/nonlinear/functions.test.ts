// The non-linear protocols against float64, run securely (every party and the dealer in this
// thread, runInThread): each function on many points across its documented range, the range's
// edges and the octave boundaries the range reduction works with, for 2 and for 3 parties, in
// one plan per party count. Each point must meet the documented error bound (docs/protocols.md)
// against the function of the fixed-point input; the rounds executed must be the plan's.

import test from "ava";
import { runInThread } from "../../../../runtime/executor/index.js";
import type { PlanBuilder } from "../../../../runtime/protocols/builder.js";
import { revealTo } from "../../../../runtime/protocols/spec/arithmetic.js";
import {
  expSecret,
  invSqrtSecret,
  logSecret,
  logSoftmaxSecret,
  reciprocalSecret,
  sigmoidSecret,
  softmaxSecret,
  sqrtSecret,
  tanhSecret,
} from "../../../../runtime/protocols/spec/nonlinear/index.js";
import { buildPlan } from "../../executor/plans.js";

const F = 16;
const q = (x: number): number => Math.round(x * 2 ** F) / 2 ** F;
const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

interface Case {
  name: string;
  fn: (b: PlanBuilder, x: string) => string;
  /** float64 reference of the fixed-point input */
  ref: (x: number) => number;
  /** allowed |secure - exact| */
  tol: (exact: number) => number;
  points: (n: number) => number[];
}

const lin = (lo: number, hi: number, n: number): number[] => Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
const geo = (lo: number, hi: number, n: number): number[] => Array.from({ length: n }, (_, i) => lo * (hi / lo) ** (i / (n - 1)));
/** 2^k and its two fixed-point neighbours, k in lo..hi: where the leading bit changes. */
const octaves = (lo: number, hi: number): number[] => {
  const out: number[] = [];
  for (let k = lo; k <= hi; k++) out.push(2 ** k, 2 ** k - 2 ** -F, 2 ** k + 2 ** -F);
  return out.filter((v) => v > 0 && v < 2 ** 15);
};
const MAX = 32767.99;

const CASES: Case[] = [
  {
    name: "sigmoid",
    fn: sigmoidSecret,
    ref: sigmoid,
    tol: () => 1e-4,
    points: (n) => [...lin(-30, 30, n), -MAX, MAX, -14.0001, -14, -13.9999, 14, 13.9999, 0, 2 ** -F, -(2 ** -F), 0.5, -0.5, 1000, -1000],
  },
  {
    name: "tanh",
    fn: tanhSecret,
    ref: Math.tanh,
    tol: () => 1e-4,
    points: (n) => [...lin(-10, 10, n), -MAX, MAX, -7.5, 7.5, 7.4999, -7.4999, 0, 2 ** -F, 0.25, -0.25],
  },
  {
    name: "exp",
    fn: expSecret,
    ref: Math.exp,
    tol: (e) => 5e-4 * Math.abs(e) + 5e-5,
    points: (n) => [...lin(-16, 10.38, n), -MAX, -100, -11.0001, -11, -10.9999, 0, 2 ** -F, 10.39],
  },
  {
    name: "reciprocal",
    fn: reciprocalSecret,
    ref: (x) => 1 / x,
    tol: (e) => 1e-3 * Math.abs(e) + 1e-4,
    points: (n) => {
      const pos = [...geo(2 ** -14, MAX, n / 2), ...octaves(-14, 14), 1e-2, 1e4];
      return [...pos, ...pos.filter((_, i) => i % 2 === 0).map((v) => -v)];
    },
  },
  {
    name: "sqrt",
    fn: sqrtSecret,
    ref: Math.sqrt,
    tol: (e) => 1e-3 * Math.abs(e) + 1e-4,
    points: (n) => [...geo(2 ** -16, MAX, n), ...octaves(-16, 14), 0, 1e-2, 1e4],
  },
  {
    name: "inv_sqrt",
    fn: invSqrtSecret,
    ref: (x) => 1 / Math.sqrt(x),
    tol: (e) => 1e-3 * Math.abs(e) + 1e-4,
    points: (n) => [...geo(2 ** -16, MAX, n), ...octaves(-16, 14), 1e-2, 1e4],
  },
  {
    name: "log",
    fn: logSecret,
    ref: Math.log,
    tol: () => 1e-4,
    points: (n) => [...geo(2 ** -16, MAX, n), ...octaves(-16, 14), 1e-2, 1e4, 1],
  },
];

/** Rows of `C` logits: spreads from tiny to beyond the exp clamp, ties, and extremes. */
function logits(rows: number, C: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < rows; r++) {
    const scale = [0.1, 1, 5, 30, 1000][r % 5]!;
    for (let c = 0; c < C; c++) out.push(r % 7 === 6 ? 2.5 : scale * Math.sin(r * 12.9898 + c * 78.233) * (r % 3 === 0 ? 1 : 0.5));
  }
  out[0] = -MAX;
  out[1] = MAX;
  return out;
}

function softmaxRef(xs: number[], C: number, log: boolean): number[] {
  const out: number[] = [];
  for (let r = 0; r < xs.length / C; r++) {
    const row = xs.slice(r * C, r * C + C).map(q);
    const m = Math.max(...row);
    const s = row.reduce((a, v) => a + Math.exp(v - m), 0);
    for (const v of row) out.push(log ? v - m - Math.log(s) : Math.exp(v - m) / s);
  }
  return out;
}

async function runAll(t: import("ava").ExecutionContext, parties: string[], n: number, rows: number): Promise<void> {
  const C = 10;
  const inputs = CASES.map((c, k) => ({ c, xs: c.points(n), owner: parties[k % parties.length]! }));
  const sm = logits(rows, C);
  const decls = [
    ...inputs.map(({ c, xs, owner }) => ({ party: owner, name: c.name, shape: [xs.length] })),
    { party: parties[0]!, name: "logits", shape: [rows, C] },
  ];
  const plan = buildPlan(parties, decls, (b, ins) => {
    inputs.forEach(({ c, owner }, k) => {
      const y = c.fn(b, b.share(ins[k]!, owner));
      b.output(revealTo(b, y, parties), c.name, parties);
    });
    const x = b.share(ins[inputs.length]!, parties[0]!);
    b.output(revealTo(b, softmaxSecret(b, x, 1), parties), "softmax", parties);
    b.output(revealTo(b, logSoftmaxSecret(b, x, -1), parties), "log_softmax", parties);
  });
  const data = new Map(inputs.map(({ c, xs }) => [`${inputs.find((i) => i.c === c)!.owner}.${c.name}`, { data: Float64Array.from(xs), shape: [xs.length] }]));
  data.set(`${parties[0]}.logits`, { data: Float64Array.from(sm), shape: [rows, C] });
  const run = await runInThread(plan, data);
  t.is(run.stats.rounds, plan.rounds);
  const last = parties[parties.length - 1]!;
  for (const { c, xs } of inputs) {
    const got = run.outputs.get(last)!.get(c.name)!.data;
    let worst = 0;
    xs.forEach((x, i) => {
      const exact = c.ref(q(x));
      const err = Math.abs(got[i]! - exact);
      worst = Math.max(worst, err / c.tol(exact));
      if (!(err <= c.tol(exact))) t.fail(`${c.name}(${q(x)}) = ${got[i]}, expected ${exact} within ${c.tol(exact)}`);
    });
    t.log(`${parties.length} parties, ${c.name}: ${xs.length} points, worst error ${(worst * 100).toFixed(1)}% of the bound`);
  }
  for (const [name, log] of [["softmax", false], ["log_softmax", true]] as const) {
    const got = run.outputs.get(last)!.get(name)!.data;
    const want = softmaxRef(sm, C, log);
    let worst = 0;
    // log_softmax of an entry whose probability is below the exp clamp (e^-11) is still
    // exact up to the row's log-sum; the bound is absolute
    want.forEach((w, i) => (worst = Math.max(worst, Math.abs(got[i]! - w))));
    t.true(worst <= 1e-3, `${name}: max abs error ${worst}`);
    t.log(`${parties.length} parties, ${name}: ${rows} rows of ${C}, max abs error ${worst.toExponential(2)}`);
  }
}

test("every non-linear function, 2 parties: within its documented error bound across its range", async (t) => {
  await runAll(t, ["alice", "bob"], 1500, 200);
});

test("every non-linear function, 3 parties (dealer-assisted truncation): within the same bounds", async (t) => {
  await runAll(t, ["alice", "bob", "carol"], 300, 40);
});
