// Common-subexpression elimination: two nodes of the same scope that apply the same op, with
// the same attributes, to the same operands (in either order for commutative ops) are one
// node. Inputs, loop structure and reveals are never merged. Replaced nodes are removed.

import type { IrNode, ProgramGraph } from "../ir/graph.js";
import { programOrder } from "../ir/order.js";

const COMMUTATIVE = new Set(["add", "mul", "eq", "ne", "and", "or"]);
const MERGEABLE = new Set(["op", "const", "share", "narrow"]);

export function eliminateCommonSubexpressions(graph: ProgramGraph): number {
  const seen = new Map<string, string>();
  let merged = 0;
  for (const id of programOrder(graph)) {
    const n = graph.node(id);
    if (!MERGEABLE.has(n.kind)) continue;
    const key = keyOf(graph, n);
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, id);
      continue;
    }
    graph.replaceUses(id, first);
    graph.remove(id);
    merged++;
  }
  return merged;
}

function keyOf(graph: ProgramGraph, n: IrNode): string {
  const args = COMMUTATIVE.has(n.op) ? [...n.args].sort() : n.args;
  return JSON.stringify([
    graph.scopeOf(n.id) ?? "",
    n.kind,
    n.op,
    args,
    sortedAttrs(n.attrs),
    n.elem,
    n.shape,
    n.vis,
    n.value ?? null,
    n.parties,
  ]);
}

function sortedAttrs(a: Record<string, unknown>): [string, unknown][] {
  return Object.keys(a)
    .sort()
    .map((k) => [k, a[k]]);
}
