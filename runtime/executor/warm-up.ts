// JIT warm-up for a fresh party thread: runs a small synthetic plan (sharing, Beaver mul,
// square and matmul, private-operand products, both truncations, public operands, a reveal) for 2 and 3 parties in this
// thread a few times, so V8 has optimised the hot loops before the timed phases start. A
// thread that skips it computes the same results, only its first large loops run slower.
// Uses throwaway seeds and constant data: nothing of a real run.

import type { ClearTensor } from "../clear/index.js";
import { PLAN_FORMAT, PLAN_VERSION, type Plan } from "../plan/plan.js";
import { PlanBuilder } from "../protocols/builder.js";
import { matmulPrivate, matmulSecret, mulPrivate, mulSecret, revealTo, squareSecret } from "../protocols/spec/arithmetic.js";
import { addClear, linearSecret, mulConst } from "../protocols/spec/linear.js";
import { reluSecret } from "../protocols/spec/compare.js";
import { runInThread } from "./run-in-thread.js";

function warmPlan(parties: string[], n: number): Plan {
  const b = new PlanBuilder({ parties, precision: 16 });
  const spec = (shape: number[]) => ({ elem: "fixed" as const, shape });
  const xi = b.input(parties[0]!, "x", spec([n, n]));
  const yi = b.input(parties[1]!, "y", spec([n, n]));
  const x = b.share(xi, parties[0]!);
  const y = b.share(yi, parties[1]!);
  const m = matmulSecret(b, x, y, spec([n, n]));
  const p = mulSecret(b, m, y, spec([n, n]));
  const s = squareSecret(b, p, spec([n, n]));
  const z = addClear(b, mulConst(b, s, 0.25, spec([n, n])), yi, spec([n, n]));
  const pm = matmulPrivate(b, xi, yi, spec([n, n]));
  const pp = mulPrivate(b, xi, yi, spec([n, n]));
  const sum = linearSecret(b, "add", [linearSecret(b, "add", [z, pm], {}, spec([n, n])), pp], {}, spec([n, n]));
  b.output(revealTo(b, sum, parties), "z", parties);
  // the comparison protocols (a relu: the compare item, the chunk tree, the fused product)
  const r = reluSecret(b, z);
  b.output(revealTo(b, r, parties), "r", parties);
  let round = 0;
  let prev = false;
  for (const node of b.body) {
    const comm = node.kind === "open" || node.kind === "send";
    if (comm && !prev) round++;
    if (comm) node.round = round - 1;
    prev = comm;
  }
  return {
    format: PLAN_FORMAT,
    version: PLAN_VERSION,
    program: "warm_up",
    hash: "",
    precision: 16,
    parties,
    inputs: [
      { party: parties[0]!, name: "x", elem: "fixed", shape: [n, n] },
      { party: parties[1]!, name: "y", elem: "fixed", shape: [n, n] },
    ],
    outputs: [],
    values: [...b.values.values()],
    body: b.body,
    rounds: round,
  };
}

/** Warm the executor's hot paths in this thread (about 0.1-0.3 s). */
export async function warmUp(rounds = 3, n = 64): Promise<void> {
  for (const parties of [["p0", "p1"], ["p0", "p1", "p2"]]) {
    const plan = warmPlan(parties, n);
    const t: ClearTensor = { data: new Float64Array(n * n).fill(0.5), shape: [n, n] };
    const inputs = new Map([[`${parties[0]}.x`, t], [`${parties[1]}.y`, t]]);
    for (let r = 0; r < rounds; r++) await runInThread(plan, inputs);
  }
}
