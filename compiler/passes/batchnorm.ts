// Inference-time batchnorm on a secret input, rewritten into ops that have protocols:
//   y = (x - mean) * gamma / sqrt(var + eps) + beta = x * scale + shift, per channel, with
//   scale = gamma * inv_sqrt(var + eps) and shift = beta - mean * scale.
// The folding is ordinary ops on the statistics, so they get the statistics' own visibility:
// when one party (the model owner) holds gamma, beta, mean and var, placement runs the fold at
// that party in the clear, and the only secret work left is one product (x times the shared
// scale, a Beaver product; a local one when the statistics are public) and one addition.
// When x is a convolution used by nothing else and its weights are clear where the scale is
// (the model owner holds both, or the scale is public), the scale goes into the weights
// instead, conv(x, w) * scale = conv(x, w * scale) per output channel, so not even that
// product is left on shares: batchnorm costs one local addition.
// Called by ./canonicalize.ts for secret batchnorm nodes; never changes what a program computes.

import type { IrNode, ProgramGraph } from "../ir/graph.js";
import { joinVisibility, PUBLIC } from "../../runtime/plan/visibility.js";
import type { Visibility } from "../../runtime/plan/visibility.js";

/** Rewrite batchnorm node `n` (args x, gamma, beta, mean, var; attr eps) in place into
 *  add(mul(x, scale), shift). */
export function foldBatchnorm(graph: ProgramGraph, n: IrNode): void {
  const scope = graph.scopeOf(n.id);
  const [x, gamma, beta, mean, variance] = n.args.map((a) => graph.node(a)) as [IrNode, IrNode, IrNode, IrNode, IrNode];
  const c = x.shape[1]!;
  const eps = typeof n.attrs["eps"] === "number" ? n.attrs["eps"] : 1e-5;
  const add = (op: string, args: IrNode[], shape: number[], vis: Visibility, attrs: Record<string, unknown> = {}): IrNode =>
    graph.node(
      graph.add(
        { kind: "op", op, origin: "batchnorm", args: args.map((a) => a.id), attrs: attrs as IrNode["attrs"], elem: "fixed", shape, vis, span: n.span },
        scope,
      ),
    );
  const epsNode = graph.node(graph.add({ kind: "const", op: "const", value: eps, elem: "fixed", shape: [], vis: PUBLIC, span: n.span }, scope));
  const inv = add("inv_sqrt", [add("add", [variance, epsNode], [c], variance.vis)], [c], variance.vis);
  const scale = add("mul", [gamma, inv], [c], joinVisibility(gamma.vis, inv.vis));
  const shift = add("sub", [beta, add("mul", [mean, scale], [c], joinVisibility(mean.vis, scale.vis))], [c], joinVisibility(beta.vis, joinVisibility(mean.vis, scale.vis)));
  // [C] -> [C, 1, …, 1] so it broadcasts along axis 1 of x [N, C, …]
  const perChannel = (t: IrNode): IrNode => {
    if (x.shape.length <= 2) return t;
    const shape = [c, ...x.shape.slice(2).map(() => 1)];
    return add("reshape", [t], shape, t.vis, { shape });
  };
  n.origin = "batchnorm";
  n.op = "add";
  n.attrs = {};
  const w = x.kind === "op" && x.op === "conv2d" ? graph.node(x.args[1]!) : undefined;
  if (w && graph.users(x.id).length === 1 && graph.scopeOf(x.id) === scope && joinVisibility(w.vis, scale.vis).kind !== "secret") {
    // conv(x0, w) * scale + shift = conv(x0, w * scale) + shift (scale per output channel).
    // The conv has no other user, so no operand of the batchnorm depends on it: no cycle.
    const shape = [c, 1, 1, 1];
    const scaled = add("mul", [w, add("reshape", [scale], shape, scale.vis, { shape })], [...w.shape], joinVisibility(w.vis, scale.vis));
    graph.setArgs(x.id, [x.args[0]!, scaled.id]);
    graph.setArgs(n.id, [x.id, perChannel(shift).id]);
    return;
  }
  const prod = add("mul", [x, perChannel(scale)], [...x.shape], joinVisibility(x.vis, scale.vis));
  graph.setArgs(n.id, [prod.id, perChannel(shift).id]);
}
