// Placement: who runs each node, and where private values enter secret computation. Work on
// public values is done by every party in the clear; work on private(P) values by P alone in
// the clear; secret work by every party on its shares. A `share` node is inserted exactly where
// a non-secret value first meets secret computation — once per value (memoised), in the
// value's own scope, so a value defined before a loop is shared once, not once per iteration.
// A loop-carried var that starts public but is secret in the loop is shared before the loop
// (public -> shares is free). Public operands that a protocol can use directly (x + c, x - c,
// x * c, x / c, x @ W, a public select condition) stay public: sharing them would turn a local multiply into
// a Beaver one. Private operands of a product whose protocol takes them in the clear (x * y,
// x @ y and conv2d(x, w) with x and y private to two different parties; conv2d with one
// operand private and the other secret) stay private too: the private protocols
// (runtime/protocols/spec mulPrivate, matmulPrivate, convPrivate) cost one round like Beaver's
// but only the owners send, each its masked operand once, where Beaver on shares would open
// both operands between every pair of parties. A private operand that other secret ops need
// is shared for them as well (once, as always) and its private products stay private: sharing
// is free online (pseudo-random masks), and the private product is still cheaper than a Beaver
// one on those shares. The exception: a 2-D matmul inside a loop with a loop-invariant operand X.
// Shared, X is opened once under its own mask (compiler/lower/shared-masks.ts) and each
// iteration opens only the other operand; privately, X - A goes on the wire every iteration.
// There placement shares both when the elements on the wire say so (maskedMatmulIsCheaper).
// A matmul of a private operand and a secret one keeps the private one in the clear too
// (lowered as a 1x1 convolution, convPrivate: the owner sends its masked operand, the others
// open the secret operand's mask to the owner only) when that secret operand is no candidate
// for a shared mask and the product runs once per definition of both operands
// (mixedMatmulKeepsPrivate); Beaver on shares would open both operands both ways. An
// elementwise x * y of a private x and a secret y keeps x in the clear (mulPrivateSecret: the
// owner sends x masked, y's mask is opened to the owner only).
// Also rejects secret ops that have no protocol yet, at their span.

import type { Diagnostic } from "../../grammar/diagnostic.js";
import { SECRET } from "../../runtime/plan/visibility.js";
import type { Visibility } from "../../runtime/plan/visibility.js";
import { MIDDLE_ENTRIES } from "../ir/codes.js";
import type { IrNode, ProgramGraph } from "../ir/graph.js";
import { programOrder } from "../ir/order.js";
import { elementCount } from "../../runtime/plan/shape.js";

/** Secret ops the lowering has protocols for (after canonicalize). */
const SECRET_OPS = new Set([
  "add",
  "sub",
  "neg",
  "div",
  "mean",
  "mul",
  "square",
  "matmul",
  "select",
  "sum",
  "transpose",
  "reshape",
  "flatten",
  "slice",
  "concat",
  "stack",
  "broadcast_to",
  "cast",
  // comparisons and the ops built on them (compiler/lower/compare.ts)
  "lt",
  "le",
  "gt",
  "ge",
  "eq",
  "ne",
  "and",
  "or",
  "not",
  "relu",
  "abs",
  "sign",
  "clip",
  "max",
  "min",
  "argmax",
  // inference layers (compiler/lower/conv.ts; batchnorm is folded by canonicalize)
  "conv2d",
  "avg_pool2d",
  "max_pool2d",
  // non-linear functions, and div by a secret value (compiler/lower/nonlinear.ts)
  "exp",
  "log",
  "sqrt",
  "inv_sqrt",
  "reciprocal",
  "sigmoid",
  "tanh",
  "softmax",
  "log_softmax",
]);

/** Linear or inference ops whose secret protocol is still to come (not non-linear): none
 *  now (conv2d and avg_pool2d have protocols; canonicalize folds a secret batchnorm). */
const SECRET_LATER = new Set<string>([]);

/** May operand `index` of secret op `op` stay a public clear value? */
export function keepsPublicOperand(op: string, index: number): boolean {
  switch (op) {
    case "add":
    case "sub":
    case "mul":
    case "matmul":
    case "conv2d":
    case "lt":
    case "le":
    case "gt":
    case "ge":
    case "eq":
    case "ne":
    case "and":
    case "or":
      return true;
    case "div":
      // a public numerator multiplies a secret divisor's reciprocal locally
      return true;
    case "select":
      return index === 0;
    default:
      return false;
  }
}

/**
 * Which operands of secret op `op` a private-operand product takes in the clear, given the
 * operands' visibilities: both for `*`, `@` and conv2d with operands private to two different
 * parties; the private one for conv2d (convPrivate) and `*` (mulPrivateSecret) with one private
 * and one secret operand; none otherwise (they are shared, or kept public by keepsPublicOperand).
 * A private @ secret matmul is decided by mixedMatmulKeepsPrivate. An elementwise product has
 * no shared-mask alternative (compiler/lower/shared-masks.ts masks matmul operands only), so
 * mulPrivateSecret's (n-1)(|x| + |y|) elements beat Beaver's n(n-1)(|x| + |y|) everywhere,
 * in a loop too (each run of either opens x's fresh mask once), and whether or not x is also
 * shared for other secret uses (sharing is free online).
 */
export function privateProductOperands(op: string, vis: readonly Visibility[]): number[] {
  if (vis.length !== 2 || (op !== "mul" && op !== "matmul" && op !== "conv2d")) return [];
  const [x, y] = vis as [Visibility, Visibility];
  if (x.kind === "private" && y.kind === "private") return x.party !== y.party ? [0, 1] : [];
  if (op === "matmul") return [];
  if (x.kind === "private" && y.kind === "secret") return [0];
  if (x.kind === "secret" && y.kind === "private") return [1];
  return [];
}

/**
 * For a 2-D private matmul in a loop: is sharing both operands and masking a loop-invariant
 * one once (then opening only the other per iteration, compiler/lower/shared-masks.ts) fewer
 * elements on the wire than the private protocol every iteration? With n parties, X invariant
 * over c >= 2 runs and V the other operand: masked n(n-1)|X| + c n(n-1)|V|, private c(|X| + |V|).
 */
export function maskedMatmulIsCheaper(graph: ProgramGraph, id: string): boolean {
  const n = graph.node(id);
  if (n.op !== "matmul" || n.shape.length !== 2 || n.args.length !== 2) return false;
  const ops = n.args.map((a) => graph.node(a));
  if (ops.some((o) => o.shape.length !== 2)) return false;
  const k = graph.parties.length * (graph.parties.length - 1);
  return ops.some((x, i) => {
    const v = ops[1 - i]!;
    const runs = runsPerDefinition(graph, id, x.id);
    if (runs < 2) return false;
    return k * elementCount(x.shape) + runs * k * elementCount(v.shape) < runs * (elementCount(x.shape) + elementCount(v.shape));
  });
}

/** Runs of node `id` per run of the scope where `operand` is defined (loop counts between). */
function runsPerDefinition(graph: ProgramGraph, id: string, operand: string): number {
  let runs = 1;
  for (let p = graph.scopeOf(id); p !== undefined && p !== graph.scopeOf(operand); p = graph.scopeOf(p)) runs *= graph.node(p).loop!.count;
  return runs;
}

/**
 * The private operand's index of a matmul of a private operand and a secret one that runs the
 * private protocol, or -1 (share it: Beaver). Yes when: operands of rank 1 or 2, the product
 * runs once per definition of each (a loop-invariant operand is opened once under a shared
 * mask instead), and the secret operand has no other user that a shared mask could serve
 * (another matmul, a transpose, a product), so nothing else opens it. Then the private
 * protocol puts (n-1)(|x| + |w|) elements on the wire where Beaver puts n(n-1)(|x| + |w|).
 */
export function mixedMatmulKeepsPrivate(graph: ProgramGraph, id: string): number {
  const n = graph.node(id);
  if (n.op !== "matmul" || n.args.length !== 2 || n.shape.length > 2) return -1;
  const ops = n.args.map((a) => graph.node(a));
  if (ops.some((o) => o.shape.length < 1 || o.shape.length > 2)) return -1;
  const i = ops.findIndex((o) => o.vis.kind === "private");
  if (i < 0 || ops[1 - i]!.vis.kind !== "secret") return -1;
  if (ops.some((o) => runsPerDefinition(graph, id, o.id) !== 1)) return -1;
  const secret = ops[1 - i]!.id;
  const others = graph.users(secret).filter((u) => u !== id && ["matmul", "transpose", "mul"].includes(graph.node(u).op));
  return others.length === 0 ? i : -1;
}

export function place(graph: ProgramGraph): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const all = graph.parties;
  const partiesOf = (v: Visibility): string[] => (v.kind === "private" ? [v.party] : [...all]);
  const shares = new Map<string, string>();
  const narrowed = new Map<string, string>();

  const shared = (id: string): string => {
    const n = graph.node(id);
    if (n.vis.kind === "secret") return id;
    let s = shares.get(id);
    if (s === undefined) {
      const owner = n.vis.kind === "private" ? n.vis.party : "public";
      s = graph.add(
        { kind: "share", op: "share", args: [id], attrs: { owner }, elem: n.elem, shape: n.shape, vis: SECRET, span: n.span, parties: [...all] },
        graph.scopeOf(id),
      );
      shares.set(id, s);
    }
    return s;
  };
  const narrow = (id: string, party: string): string => {
    const key = `${id}>${party}`;
    let s = narrowed.get(key);
    if (s === undefined) {
      const n = graph.node(id);
      s = graph.add(
        { kind: "narrow", op: "narrow", args: [id], elem: n.elem, shape: n.shape, vis: { kind: "private", party }, span: n.span, parties: [party] },
        graph.scopeOf(id),
      );
      narrowed.set(key, s);
    }
    return s;
  };
  const coerce = (id: string, to: Visibility): string => {
    const from = graph.node(id).vis;
    if (to.kind === "secret") return shared(id);
    if (to.kind === "private" && from.kind === "public") return narrow(id, to.party);
    return id;
  };
  const unsupported = (n: IrNode): void => {
    const later = SECRET_LATER.has(n.op);
    const nonLinear = !later && n.op !== "cast" && n.op !== "mean" && n.op !== "mse" && !(n.op === "div" && graph.node(n.args[1]!).vis.kind !== "secret");
    const what = n.op === "div" && nonLinear ? "div by a secret value" : n.op;
    diagnostics.push({
      code: (nonLinear ? MIDDLE_ENTRIES.secretNonLinear : MIDDLE_ENTRIES.secretForm).code,
      severity: "error",
      message: nonLinear
        ? `not yet supported on secret values: ${what} (no protocol on shares for it)`
        : `not yet supported on secret values: ${describeForm(n)} (comes in a later issue)`,
      span: n.span,
      hint: nonLinear
        ? `${n.op} works on public values and on one party's own data, where it runs in the clear`
        : "do this step on public or private values, or restructure the expression",
    });
  };

  for (const id of programOrder(graph)) {
    const n = graph.node(id);
    n.parties = partiesOf(n.vis);
    if (n.kind === "op" && n.vis.kind === "secret") {
      const formOk =
        (n.op !== "cast" || n.attrs["to"] !== "bool") &&
        (n.op !== "div" || n.elem === "fixed") &&
        (n.op !== "mean" || n.elem === "fixed");
      if (!SECRET_OPS.has(n.op) || !formOk) {
        unsupported(n);
        continue;
      }
      const mixed = mixedMatmulKeepsPrivate(graph, id);
      const inClear = maskedMatmulIsCheaper(graph, id)
        ? []
        : mixed >= 0
          ? [mixed]
          : privateProductOperands(
              n.op,
              n.args.map((a) => graph.node(a).vis),
            );
      graph.setArgs(
        id,
        n.args.map((a, i) => {
          const v = graph.node(a).vis.kind;
          if (v === "secret" || (v === "public" && keepsPublicOperand(n.op, i)) || inClear.includes(i)) return a;
          return shared(a);
        }),
      );
    } else if (n.kind === "param") {
      const [init, next] = n.args as [string, string];
      const c = graph.node(n.loopOf!).loop!.carried.find((k) => k.param === id)!;
      const nextC = coerce(next, n.vis);
      graph.setArgs(id, [coerce(init, n.vis), nextC]);
      graph.setArgs(c.out, [nextC]);
    } else if (n.kind === "reveal") {
      n.parties = [...new Set([...partiesOf(n.vis), ...n.reveal!.to])];
    }
  }
  return diagnostics;
}

function describeForm(n: IrNode): string {
  if (n.op === "cast") return `cast to ${String(n.attrs["to"])}`;
  if (n.op === "div") return "integer division";
  if (n.op === "mean" || n.op === "mse") return `${n.op} of ${n.elem} values`;
  return n.op;
}
