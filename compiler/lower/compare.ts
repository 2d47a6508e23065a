// Secret comparisons and the ops built on them -> protocol steps (runtime/protocols/spec/
// compare.ts): lt le gt ge eq ne, && || !, relu abs sign clip, max min argmax. Operands are plan
// values: arith shares, or clear values for the public operands placement kept public (one
// side of a comparison or of && / ||). Comparisons work on the difference of the operands'
// encodings (fixed point compared exactly, no truncation); results are bool 0/1 shares.
// Never opens a value itself.

import type { PlanBuilder, ValueSpec } from "../../runtime/protocols/builder.js";
import { mulSecret } from "../../runtime/protocols/spec/arithmetic.js";
import {
  absSecret,
  argmaxReduce,
  clipSecret,
  compareZero,
  maxReduce,
  minReduce,
  oneMinus,
  reluSecret,
  signSecret,
} from "../../runtime/protocols/spec/compare.js";
import { addClear, linearSecret, mulPublic } from "../../runtime/protocols/spec/linear.js";
import type { ElemType } from "../../runtime/plan/plan.js";
import { sameShape } from "../../runtime/plan/shape.js";
import type { IrNode } from "../ir/graph.js";

export const COMPARE_OPS = new Set(["lt", "le", "gt", "ge", "eq", "ne", "and", "or", "not", "relu", "abs", "sign", "clip", "max", "min", "argmax"]);

/** `op(args)` on shares for the ops above; undefined for any other op. */
export function lowerCompareOp(b: PlanBuilder, n: IrNode, args: string[], consts: (number | boolean | undefined)[]): string | undefined {
  if (!COMPARE_OPS.has(n.op)) return undefined;
  const out: ValueSpec = { elem: n.elem, shape: n.shape };
  const isShares = (v: string): boolean => b.info(v).kind === "arith";
  const [x, y] = args as [string, string];
  switch (n.op) {
    case "lt":
    case "gt":
    case "le":
    case "ge": {
      // x < y and x >= y look at the sign of x - y; x > y and x <= y at the sign of y - x
      const swap = n.op === "gt" || n.op === "le";
      const z = difference(b, swap ? y : x, swap ? x : y, swap ? consts[0] : consts[1], n.shape);
      const lt = compareZero(b, z, { lt: true }).lt!;
      return n.op === "lt" || n.op === "gt" ? lt : oneMinus(b, lt);
    }
    case "eq":
    case "ne": {
      const eq = compareZero(b, difference(b, x, y, consts[1], n.shape), { eq: true }).eq!;
      return n.op === "eq" ? eq : oneMinus(b, eq);
    }
    case "and": {
      if (isShares(x) && isShares(y)) return mulSecret(b, x, y, out);
      return isShares(x) ? mulPublic(b, x, y, out) : mulPublic(b, y, x, out);
    }
    case "or": {
      // x + y - x y
      const [s, c] = isShares(x) ? [x, y] : [y, x];
      const prod = isShares(c) ? mulSecret(b, s, c, out) : mulPublic(b, s, c, out);
      const sum = isShares(c) ? linearSecret(b, "add", [s, c], {}, out) : addClear(b, s, c, out);
      return linearSecret(b, "sub", [sum, prod], {}, out);
    }
    case "not":
      return oneMinus(b, x);
    case "relu":
      return reluSecret(b, x);
    case "abs":
      return absSecret(b, x);
    case "sign":
      return signSecret(b, x, n.elem);
    case "clip": {
      const bound = (v: unknown): string => b.clear("const", [], { value: Number(v) }, [...b.ctx.parties], { elem: n.elem, shape: [] });
      return clipSecret(b, x, bound(n.attrs["min"]), bound(n.attrs["max"]));
    }
    case "max":
    case "min": {
      const f = n.op === "max" ? maxReduce : minReduce;
      return f(b, x, axisOf(n), n.attrs["keepdims"] === true);
    }
    case "argmax":
      return argmaxReduce(b, x, axisOf(n));
  }
  return undefined;
}

function axisOf(n: IrNode): number | undefined {
  const a = n.attrs["axis"];
  return typeof a === "number" ? a : undefined;
}

/** x - y as shares of the operands' element type; a public operand is subtracted (or
 *  subtracted from) by one party; a constant 0 costs nothing. */
function difference(b: PlanBuilder, x: string, y: string, yConst: number | boolean | undefined, shape: number[]): string {
  const xs = b.info(x).kind === "arith";
  const ys = b.info(y).kind === "arith";
  const elem: ElemType = xs ? b.info(x).elem : b.info(y).elem;
  const spec = { elem, shape };
  if (xs && ys) return linearSecret(b, "sub", [x, y], {}, spec);
  if (xs && (yConst === 0 || yConst === false) && sameShape(b.info(x).shape, shape)) return x;
  // the public operand at the shares' scale (an int constant against fixed shares)
  const c = xs ? y : x;
  const ci = b.info(c);
  const cc = ci.elem === elem || elem !== "fixed" ? c : b.clear("cast", [c], { to: elem }, ci.holders, { elem, shape: ci.shape });
  return xs ? addClear(b, x, cc, spec, "clear") : addClear(b, y, cc, spec, "secret");
}
