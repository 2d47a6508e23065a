// What each plan node reads and defines, as value ids: the dataflow of a plan, shared by the
// compiler (scheduler, cost model, graph exports) and the executor (value lifetimes), so they
// agree. A loop reads its carried initial values and everything its body (or its `next`s)
// reads from outside; it defines its carried outputs. Pure functions of the nodes: no caching
// here (the compiler builds loop bodies incrementally; the executor caches on its side).

import type { LoopNode, PlanNode } from "./plan.js";

export function nodeUses(node: PlanNode): string[] {
  switch (node.kind) {
    case "input":
    case "dealer":
      return [];
    case "clear":
    case "local":
    case "open":
      return node.args;
    case "share":
      return [node.from];
    case "send":
    case "output":
      return [node.value];
    case "loop":
      return [...new Set([...node.carried.map((c) => c.init), ...loopFreeValues(node)])];
  }
}

export function nodeDefs(node: PlanNode): string[] {
  switch (node.kind) {
    case "input":
    case "clear":
    case "share":
    case "send":
      return [node.out];
    case "local":
    case "dealer":
    case "open":
      return node.out;
    case "output":
      return [];
    case "loop":
      return node.carried.map((c) => c.out);
  }
}

/** Values defined inside a loop body (its nodes' outputs, the carried params and the index). */
export function bodyDefs(loop: LoopNode): Set<string> {
  const defs = new Set<string>(loop.carried.map((c) => c.param));
  if (loop.index !== undefined) defs.add(loop.index);
  for (const n of loop.body) for (const d of nodeDefs(n)) defs.add(d);
  return defs;
}

/** Values a loop's body (or its `next`s) reads that are defined outside it. */
export function loopFreeValues(loop: LoopNode): string[] {
  const defs = bodyDefs(loop);
  const free = new Set<string>();
  for (const n of loop.body) for (const u of nodeUses(n)) if (!defs.has(u)) free.add(u);
  for (const c of loop.carried) if (!defs.has(c.next)) free.add(c.next);
  return [...free];
}
