// softmax and log_softmax along an axis. z = x - max(x) (the comparison engineer's tree
// maximum: ceil(log2 C) levels of 4 rounds) is <= 0, so exp(z) is in [0, 1] (./exp.ts, 5
// rounds; 0 below -11) and the row sum s is in [1, C]: its reciprocal and logarithm need
// the leading-bit comparisons only for that range (ceil(log2 C) + 1 thresholds, not 30).
//   softmax     = exp(z) * (1/s)         rounds: max + 5 + 9 + 1
//   log_softmax = z - ln s               rounds: max + 5 + 8
// Max abs error ~1e-4 (softmax) and ~1e-4 + C * 1.7e-5 (log_softmax, from the clamp) for
// every input in the fixed-point range.

import type { PlanBuilder } from "../../builder.js";
import { mulSecret } from "../arithmetic.js";
import { maxReduce } from "../compare.js";
import { expSecret } from "./exp.js";
import { flat, reshapeAs } from "./common.js";
import { logPositive } from "./log.js";
import { reciprocalPositive } from "./reciprocal.js";

interface Parts {
  z: string;
  e: string;
  /** The row sums (flat [rows]) and their shape with the axis kept. */
  s: string;
  kept: number[];
  /** Leading-bit range of s 2^f: s in [~1, C]. */
  range: { qmin: number; qmax: number };
}

function parts(b: PlanBuilder, x: string, axis: number): Parts {
  const f = b.ctx.precision;
  const xi = b.info(x);
  const shape = [...xi.shape];
  const a = axis < 0 ? axis + shape.length : axis;
  if (a < 0 || a >= shape.length) throw new Error(`internal: softmax axis ${axis} out of range`);
  const C = shape[a]!;
  const kept = shape.map((d, i) => (i === a ? 1 : d));
  const mx = maxReduce(b, x, a, true);
  const z = b.local("sub", [x, mx], {}, [{ elem: "fixed", shape }])[0]!;
  const e = expSecret(b, z);
  const s = b.local("sum", [e], { axis: a, keepdims: true }, [{ elem: "fixed", shape: kept }])[0]!;
  return { z, e, s: flat(b, s), kept, range: { qmin: f - 1, qmax: Math.min(30, f + Math.ceil(Math.log2(Math.max(C, 2)))) } };
}

export function softmaxSecret(b: PlanBuilder, x: string, axis = -1): string {
  const p = parts(b, x, axis);
  const r = reshapeAs(b, reciprocalPositive(b, p.s, p.range), p.kept, "fixed");
  return mulSecret(b, p.e, r, { elem: "fixed", shape: [...b.info(x).shape] });
}

export function logSoftmaxSecret(b: PlanBuilder, x: string, axis = -1): string {
  const p = parts(b, x, axis);
  const l = reshapeAs(b, logPositive(b, p.s, p.range), p.kept, "fixed");
  return b.local("sub", [p.z, l], {}, [{ elem: "fixed", shape: [...b.info(x).shape] }])[0]!;
}
