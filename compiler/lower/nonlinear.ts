// Secret non-linear functions -> protocol steps (runtime/protocols/spec/nonlinear): exp, log,
// sqrt, inv_sqrt, reciprocal, sigmoid, tanh, softmax, log_softmax, and division by a secret
// value. Operands arrive as plan values: arith shares (converted to fixed point here), or, for
// the numerator of a division by a secret, a public clear value or compile-time constant
// (multiplied into the reciprocal locally). Never opens a value itself.

import type { PlanBuilder, ValueSpec } from "../../runtime/protocols/builder.js";
import { mulSecret } from "../../runtime/protocols/spec/arithmetic.js";
import { mulConst, mulPublic } from "../../runtime/protocols/spec/linear.js";
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
export function lowerNonlinearOp(b: PlanBuilder, n: IrNode, args: string[], consts: (number | boolean | undefined)[]): string | undefined {
  const out: ValueSpec = { elem: "fixed", shape: n.shape };
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
      const r = reciprocalSecret(b, sharesAs(b, y, "fixed"));
      if (b.info(x).kind === "arith") return mulSecret(b, sharesAs(b, x, "fixed"), r, out);
      const k = consts[0];
      if (typeof k === "number") return mulConst(b, r, k, out);
      const c = b.info(x).elem === "fixed" ? x : b.clear("cast", [x], { to: "fixed" }, b.info(x).holders, { elem: "fixed", shape: b.info(x).shape });
      return mulPublic(b, r, c, out);
    }
    default:
      return undefined;
  }
}
