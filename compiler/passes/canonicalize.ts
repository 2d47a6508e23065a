// Rewrites secret ops that have no protocol of their own into ops that do, at the IR level so
// that CSE and DCE see the result: `mse(p, y)` on secret values becomes mean(square(p - y)),
// `bce` and `cross_entropy` become logs, products and means (./losses.ts), and a secret
// divided by one party's private value becomes a product with the reciprocal that party
// computes in the clear (then shares): one Beaver product instead of a secret reciprocal. A
// secret batchnorm becomes x * scale + shift, the per-channel scale and shift folded from the
// statistics where they live (./batchnorm.ts).
// Only secret nodes are touched: public and private work stays the op the user wrote (it runs
// in the clear). Never changes what a program computes (but for bce's clip bound, which fixed
// point cannot represent: ./losses.ts).

import { broadcastOrThrow } from "../../runtime/plan/shape.js";
import type { ProgramGraph } from "../ir/graph.js";
import { programOrder } from "../ir/order.js";
import { foldBatchnorm } from "./batchnorm.js";
import { rewriteBce, rewriteCrossEntropy } from "./losses.js";

export function canonicalize(graph: ProgramGraph): void {
  for (const id of programOrder(graph)) {
    const n = graph.node(id);
    if (n.kind !== "op" || n.vis.kind !== "secret" || n.elem !== "fixed") continue;
    const scope = graph.scopeOf(id);
    if (n.op === "batchnorm") {
      // x * scale + shift, the fold at the statistics' owner (./batchnorm.ts)
      foldBatchnorm(graph, n);
      continue;
    }
    if (n.op === "div") {
      const d = graph.node(n.args[1]!);
      if (d.vis.kind !== "private") continue;
      const r = graph.add({ kind: "op", op: "reciprocal", origin: "div", args: [d.id], elem: "fixed", shape: d.shape, vis: d.vis, span: n.span }, scope);
      n.origin = "div";
      n.op = "mul";
      graph.setArgs(id, [n.args[0]!, r]);
      continue;
    }
    if (n.op === "bce") {
      rewriteBce(graph, n);
      continue;
    }
    if (n.op === "cross_entropy") {
      rewriteCrossEntropy(graph, n);
      continue;
    }
    if (n.op !== "mse") continue;
    const [p, y] = n.args.map((a) => graph.node(a)) as [typeof n, typeof n];
    const shape = broadcastOrThrow(p.shape, y.shape);
    const secret = (op: string, args: string[]): string =>
      graph.add({ kind: "op", op, origin: "mse", args, elem: "fixed", shape, vis: n.vis, span: n.span }, scope);
    const square = secret("square", [secret("sub", [p.id, y.id])]);
    n.origin = "mse";
    n.op = "mean";
    n.attrs = {};
    graph.setArgs(id, [square]);
  }
}
