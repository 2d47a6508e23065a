// The losses bce and cross_entropy on secret values, rewritten into ops that have protocols
// (called by ./canonicalize.ts for secret loss nodes, whose operands the checker made fixed):
//   bce(p, y)                = -mean(y * (log(c) - log(1 - c)) + log(1 - c)),  c = clip(p, ε, 1 - ε)
//   cross_entropy(z, onehot) = -mean(sum(onehot * log_softmax(z, axis = -1), axis = -1))
//                              (-sum(…) for one row [k])
// which is y log c + (1 - y) log(1 - c) with one product instead of two. Each new node gets the
// join of its operands' visibility, so work on one party's own predictions (the clip, the
// logs, the log_softmax) runs at that party in the clear and only what mixes parties is secret.
// The two logs are independent, so they run in the same rounds.
// The clip bound: the clear reference (runtime/clear/loss.ts) clips at 1e-7, which fixed point
// with 16 fractional bits cannot represent (it encodes to 0, and log of 0 is meaningless). The
// secret form clips at ε = 2^-16, the smallest positive fixed-point value and the bottom of the
// secure log's range (runtime/protocols/spec/nonlinear/log.ts). The two agree wherever p lies
// in [2^-16, 1 - 2^-16]; beyond that a term costs at most -ln(2^-16) = 11.09 here against at
// most -ln(1e-7) = 16.12 in the reference (a confidently wrong prediction).

import { joinVisibility, PUBLIC } from "../../runtime/plan/visibility.js";
import type { IrNode, ProgramGraph } from "../ir/graph.js";
import type { Attr } from "../check/typed.js";

/** The clip bound of a secret bce: 2^-16 (see the header). */
export const SECRET_BCE_EPS = 2 ** -16;

type Add = (op: string, args: IrNode[], shape: number[], attrs?: Record<string, Attr>) => IrNode;

function adder(graph: ProgramGraph, n: IrNode): Add {
  const scope = graph.scopeOf(n.id);
  return (op, args, shape, attrs = {}) => {
    const vis = args.reduce((v, a) => joinVisibility(v, a.vis), PUBLIC);
    const id = graph.add({ kind: "op", op, origin: n.op, args: args.map((a) => a.id), attrs, elem: "fixed", shape, vis, span: n.span }, scope);
    return graph.node(id);
  };
}

/** Turn loss node `n` into neg(`of`) in place. */
function negate(graph: ProgramGraph, n: IrNode, of: IrNode): void {
  n.origin = n.op;
  n.op = "neg";
  n.attrs = {};
  graph.setArgs(n.id, [of.id]);
}

/** bce node `n` (args p, y of one shape) -> -mean(y * (log c - log(1 - c)) + log(1 - c)). */
export function rewriteBce(graph: ProgramGraph, n: IrNode): void {
  const add = adder(graph, n);
  const [p, y] = n.args.map((a) => graph.node(a)) as [IrNode, IrNode];
  const shape = [...p.shape];
  const one = graph.node(graph.add({ kind: "const", op: "const", value: 1, elem: "fixed", shape: [], vis: PUBLIC, span: n.span }, graph.scopeOf(n.id)));
  const c = add("clip", [p], shape, { min: SECRET_BCE_EPS, max: 1 - SECRET_BCE_EPS });
  const logC = add("log", [c], shape);
  const log1mC = add("log", [add("sub", [one, c], shape)], shape);
  const terms = add("add", [add("mul", [y, add("sub", [logC, log1mC], shape)], shape), log1mC], shape);
  negate(graph, n, add("mean", [terms], [], { keepdims: false }));
}

/** cross_entropy node `n` (args logits, onehot: [k] or [rows, k]) -> minus the row mean of
 *  the class sum of onehot * log_softmax(logits). */
export function rewriteCrossEntropy(graph: ProgramGraph, n: IrNode): void {
  const add = adder(graph, n);
  const [z, onehot] = n.args.map((a) => graph.node(a)) as [IrNode, IrNode];
  const shape = [...z.shape];
  const last = shape.length - 1;
  const prod = add("mul", [onehot, add("log_softmax", [z], shape, { axis: last })], shape);
  if (shape.length === 1) return negate(graph, n, add("sum", [prod], [], { keepdims: false }));
  const perRow = add("sum", [prod], shape.slice(0, last), { keepdims: false, axis: last });
  negate(graph, n, add("mean", [perRow], [], { keepdims: false }));
}
