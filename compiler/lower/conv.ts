// Secret inference layers -> protocol steps (runtime/protocols/spec/conv.ts): conv2d,
// avg_pool2d, and max_pool2d (the windows gathered into a last axis, then the comparison
// tree of runtime/protocols/spec/compare.ts over it). Operands are plan values: arith shares,
// a clear public value that placement kept public (conv2d's input or weights: convPublic), or
// a clear value private to one party that placement kept private (convPrivate: the other
// operand secret or private to another party; neither private operand is ever shared). An int operand is converted to fixed first (the
// checker types these layers fixed). batchnorm never gets here: compiler/passes/canonicalize.ts
// folds it into a per-channel scale and shift. Never opens a value itself.

import type { PlanBuilder, ValueSpec } from "../../runtime/protocols/builder.js";
import { maxReduce } from "../../runtime/protocols/spec/compare.js";
import { avgPool, convPrivate, convPublic, convSecret, poolWindows } from "../../runtime/protocols/spec/conv.js";
import { isPublic } from "../../runtime/protocols/spec/linear.js";
import type { IrNode } from "../ir/graph.js";
import { sharesAs } from "./secret.js";

export const CONV_OPS = new Set(["conv2d", "avg_pool2d", "max_pool2d"]);

/** `op(args)` on shares for the ops above; undefined for any other op. */
export function lowerConvOp(b: PlanBuilder, n: IrNode, args: string[]): string | undefined {
  if (!CONV_OPS.has(n.op)) return undefined;
  const out: ValueSpec = { elem: n.elem, shape: n.shape };
  const isShares = (v: string): boolean => b.info(v).kind === "arith";
  const attrs = { ...n.attrs } as Record<string, unknown>;
  const [x, w] = args as [string, string];
  switch (n.op) {
    case "conv2d": {
      if (isShares(x) && isShares(w)) return convSecret(b, sharesAs(b, x, "fixed"), sharesAs(b, w, "fixed"), attrs, out);
      const priv = (v: string): boolean => !isShares(v) && !isPublic(b, v);
      if (priv(x) || priv(w)) {
        return convPrivate(b, isShares(x) ? sharesAs(b, x, "fixed") : x, isShares(w) ? sharesAs(b, w, "fixed") : w, attrs, out);
      }
      if (isShares(x)) return convPublic(b, sharesAs(b, x, "fixed"), w, attrs, out, "right");
      return convPublic(b, sharesAs(b, w, "fixed"), x, attrs, out, "left");
    }
    case "avg_pool2d":
      return avgPool(b, sharesAs(b, x, "fixed"), attrs, out);
    case "max_pool2d":
      // ceil(log2 k^2) levels of comparisons (4 rounds each) over every window at once
      return maxReduce(b, poolWindows(b, sharesAs(b, x, "fixed"), attrs), 4);
  }
  return undefined;
}
