// Loop-invariant code motion: work in a loop body that reads nothing the loop changes (no
// index, no carried var, nothing computed from them) moves before the loop, so it runs once
// instead of once per iteration — including its multiplications' rounds. Only pure nodes move;
// reveals and loop structure never do. Inner loops are done first so their invariants can
// keep moving outwards.

import type { ProgramGraph } from "../ir/graph.js";
import { scopeOrder } from "../ir/order.js";

const MOVABLE = new Set(["op", "const", "share", "narrow"]);

export function hoistLoopInvariants(graph: ProgramGraph): number {
  let moved = 0;
  const visit = (scope: string | undefined): void => {
    for (const id of scopeOrder(graph, scope)) {
      if (graph.node(id).kind !== "loop") continue;
      visit(id);
      const outer = graph.scopeOf(id);
      for (const c of scopeOrder(graph, id)) {
        const n = graph.node(c);
        if (!MOVABLE.has(n.kind)) continue;
        if (n.args.some((a) => graph.within(a, id))) continue;
        if (outer === undefined) graph.g.setParent(c);
        else graph.g.setParent(c, outer);
        moved++;
      }
    }
  };
  visit(undefined);
  return moved;
}
