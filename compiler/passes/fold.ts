// Constant folding: an op on public scalar constants becomes a constant, and arithmetic
// identities with a constant (x * 1, x + 0, x - 0, x / 1, select on a constant) disappear when they change neither
// the shape nor the element type. Folded nodes are left unused for dead-code elimination.
// Never folds anything that is not public, and never an op whose rounding the runtime owns.

import { sameShape } from "../../runtime/plan/shape.js";
import type { ProgramGraph } from "../ir/graph.js";
import { programOrder } from "../ir/order.js";
import { evalScalarOp } from "../ir/scalar.js";

/** Folds in place; returns how many nodes were folded or bypassed. */
export function foldConstants(graph: ProgramGraph): number {
  let changed = 0;
  const constOf = (id: string): number | boolean | undefined => {
    const n = graph.node(id);
    return n.kind === "const" ? n.value : undefined;
  };
  for (const id of programOrder(graph)) {
    if (!graph.has(id)) continue;
    const n = graph.node(id);
    if (n.kind !== "op") continue;
    const vals = n.args.map(constOf);
    if (n.vis.kind === "public" && n.shape.length === 0 && n.args.length > 0 && vals.every((v) => v !== undefined)) {
      const v = evalScalarOp(n.op, vals as (number | boolean)[], n.elem, n.attrs);
      if (v !== undefined) {
        graph.setArgs(id, []);
        n.origin = n.origin ?? n.op;
        n.kind = "const";
        n.op = "const";
        n.attrs = {};
        n.value = v;
        changed++;
        continue;
      }
    }
    const identity = identityOperand(n.op, vals);
    if (identity !== undefined) {
      const x = graph.node(n.args[identity]!);
      if (x.elem === n.elem && sameShape(x.shape, n.shape)) {
        graph.replaceUses(id, x.id);
        changed++;
      }
    }
  }
  return changed;
}

/** The operand an identity op passes through (x in x * 1, 1 * x, x + 0, 0 + x, x - 0, x / 1,
 *  select(true, x, _), select(false, _, x)). */
function identityOperand(op: string, vals: (number | boolean | undefined)[]): number | undefined {
  const is = (i: number, c: number): boolean => vals[i] !== undefined && Number(vals[i]) === c;
  switch (op) {
    case "mul":
      return is(1, 1) ? 0 : is(0, 1) ? 1 : undefined;
    case "add":
      return is(1, 0) ? 0 : is(0, 0) ? 1 : undefined;
    case "sub":
    case "div":
      return is(1, op === "sub" ? 0 : 1) ? 0 : undefined;
    case "select":
      return vals[0] === undefined ? undefined : Number(vals[0]) !== 0 ? 1 : 2;
    default:
      return undefined;
  }
}
