// Secret non-linear functions -> protocol steps (runtime/protocols/spec/nonlinear): exp, log,
// sqrt, inv_sqrt, reciprocal, sigmoid, tanh, softmax, log_softmax, and division by a secret
// value. Operands arrive as plan values: arith shares (converted to fixed point here), or, for
// the numerator of a division by a secret, a public clear value (shared for free). Never opens
// a value itself.

import type { PlanBuilder } from "../../runtime/protocols/builder.js";
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
} from "../../runtime/protocols/spec/nonlinear/index.js";
import type { IrNode } from "../ir/graph.js";
import { sharesAs } from "./secret.js";

const UNARY: Record<string, (b: PlanBuilder, x: string) => string> = {
  exp: expSecret,
  log: logSecret,
  sqrt: sqrtSecret,
  inv_sqrt: invSqrtSecret,
  reciprocal: reciprocalSecret,
  sigmoid: sigmoidSecret,
  tanh: tanhSecret,
};

export const NONLINEAR_OPS = new Set([...Object.keys(UNARY), "softmax", "log_softmax"]);

/** `op(args)` on shares for the ops above and for a division by secret shares; undefined for
 *  anything else. */
export function lowerNonlinearOp(b: PlanBuilder, n: IrNode, args: string[]): string | undefined {
  const [x, y] = args as [string, string];
  const unary = UNARY[n.op];
  if (unary) return unary(b, sharesAs(b, x, "fixed"));
  switch (n.op) {
    case "softmax":
    case "log_softmax": {
      const axis = typeof n.attrs["axis"] === "number" ? (n.attrs["axis"] as number) : -1;
      const f = n.op === "softmax" ? softmaxSecret : logSoftmaxSecret;
      return f(b, sharesAs(b, x, "fixed"), axis);
    }
    case "div": {
      if (b.info(y).kind !== "arith") return undefined;
      // a public numerator becomes shares for free; the quotient keeps the relative precision
      // that a multiple of a quantised 1/y would lose (runtime/protocols/spec/nonlinear/reciprocal.ts)
      const a = b.info(x).kind === "arith" ? x : b.share(x, "public");
      return divSecret(b, sharesAs(b, a, "fixed"), sharesAs(b, y, "fixed"), { elem: "fixed", shape: n.shape });
    }
    default:
      return undefined;
  }
}
