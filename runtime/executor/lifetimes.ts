// Value lifetimes within one scope of a plan (the top level, or one loop body): which values
// each node reads, and after which node each value defined in the scope is dead, so the
// executor can drop it and memory stays flat across loop iterations. Values a loop body
// reads from outside live until the loop node has finished; a body's `next` values live to
// the end of the iteration.

import { bodyDefs, loopFreeValues, nodeDefs, nodeUses } from "../plan/dataflow.js";
import type { LoopNode, PlanNode } from "../plan/plan.js";

export { bodyDefs, nodeDefs, nodeUses };

const freeCache = new WeakMap<LoopNode, string[]>();

/** Values a loop's body (or its `next`s) reads that are defined outside it, cached per loop
 *  (the executor asks at every iteration; a plan does not change while it runs). */
export function freeValues(loop: LoopNode): string[] {
  const hit = freeCache.get(loop);
  if (hit) return hit;
  const out = loopFreeValues(loop);
  freeCache.set(loop, out);
  return out;
}

export interface ScopeLifetimes {
  /** For each node index, the values to drop once it (or its round group) has run. */
  dropAfter: string[][];
}

const scopeCache = new WeakMap<readonly PlanNode[], ScopeLifetimes>();

/**
 * Lifetimes of the values defined in `nodes` (plus `extraDefs`, e.g. a body's params) that
 * are not in `keep` (e.g. a body's nexts, dropped by the loop itself).
 */
export function scopeLifetimes(nodes: readonly PlanNode[], extraDefs: Iterable<string> = [], keep: ReadonlySet<string> = new Set()): ScopeLifetimes {
  const hit = scopeCache.get(nodes);
  if (hit) return hit;
  const defAt = new Map<string, number>();
  for (const d of extraDefs) defAt.set(d, -1);
  nodes.forEach((n, i) => {
    for (const d of nodeDefs(n)) defAt.set(d, i);
  });
  const last = new Map<string, number>();
  nodes.forEach((n, i) => {
    for (const u of nodeUses(n)) if (defAt.has(u)) last.set(u, i);
  });
  const dropAfter: string[][] = nodes.map(() => []);
  for (const [id, at] of defAt) {
    if (keep.has(id)) continue;
    const i = Math.max(last.get(id) ?? at, at, 0);
    if (nodes.length > 0) dropAfter[Math.min(i, nodes.length - 1)]!.push(id);
  }
  const out = { dropAfter };
  scopeCache.set(nodes, out);
  return out;
}
