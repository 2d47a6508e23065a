// Hand-built plans for the runtime's tests: a PlanBuilder program plus a naive round
// assignment (each run of consecutive open/send nodes in a scope is one round), standing in
// for the compiler's scheduler.

import type { ClearTensor } from "../../../runtime/clear/index.js";
import { PLAN_FORMAT, PLAN_VERSION, type ElemType, type Plan, type PlanNode } from "../../../runtime/plan/plan.js";
import { PlanBuilder } from "../../../runtime/protocols/builder.js";
import { SECRET } from "../../../runtime/plan/visibility.js";

export interface InputDecl {
  party: string;
  name: string;
  shape: number[];
  elem?: ElemType;
}

/** Rounds by hand: consecutive comm nodes share a round; returns the scope's round count. */
export function assignRounds(body: PlanNode[]): number {
  let round = -1;
  let inRun = false;
  let total = 0;
  for (const n of body) {
    if (n.kind === "open" || n.kind === "send") {
      if (!inRun) round++;
      inRun = true;
      n.round = round;
    } else {
      inRun = false;
      if (n.kind === "loop") {
        n.rounds = assignRounds(n.body);
        total += n.rounds * n.count;
      }
    }
  }
  return total + round + 1;
}

/** Build a plan: `f` gets the builder and the input value ids (in `inputs` order) and emits
 *  the program, including outputs via `b.output`. */
export function buildPlan(
  parties: string[],
  inputs: InputDecl[],
  f: (b: PlanBuilder, ins: string[]) => void,
  precision = 16,
): Plan {
  const b = new PlanBuilder({ parties, precision });
  const ins = inputs.map((i) => b.input(i.party, i.name, { elem: i.elem ?? "fixed", shape: i.shape }));
  f(b, ins);
  const outputs: Plan["outputs"] = [];
  const collect = (nodes: PlanNode[]): void => {
    for (const n of nodes) {
      if (n.kind === "output") {
        const v = b.info(n.value);
        outputs.push({ name: n.name, to: n.to, elem: v.elem, shape: v.shape, from: SECRET });
      } else if (n.kind === "loop") collect(n.body);
    }
  };
  collect(b.body);
  const rounds = assignRounds(b.body);
  return {
    format: PLAN_FORMAT,
    version: PLAN_VERSION,
    program: "test",
    hash: "",
    precision,
    parties,
    inputs: inputs.map((i) => ({ party: i.party, name: i.name, elem: i.elem ?? "fixed", shape: i.shape })),
    outputs,
    values: [...b.values.values()],
    body: b.body,
    rounds,
  };
}

export function tensor(data: ArrayLike<number>, shape: number[]): ClearTensor {
  return { data: Float64Array.from(data), shape };
}

/** Uniform values in [-range, range) from a seeded LCG (test data, not secrets). */
export function testData(n: number, range: number, seed = 1): Float64Array {
  const out = new Float64Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s / 4294967296) * 2 * range - range;
  }
  return out;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}
