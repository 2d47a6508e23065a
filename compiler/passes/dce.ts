// Dead-code elimination: nothing that no reveal needs is computed. Liveness starts at the
// reveals and flows back through operands; a live node keeps its enclosing loops alive, and a
// live loop-carried var keeps its initial and next values alive. Loops left without live
// work, carried vars nobody reads and unused loop indices are removed.

import type { ProgramGraph } from "../ir/graph.js";

export function eliminateDeadCode(graph: ProgramGraph): number {
  const live = new Set<string>();
  const work: string[] = [];
  const mark = (id: string): void => {
    if (live.has(id)) return;
    live.add(id);
    work.push(id);
  };
  for (const id of graph.g.nodes()) if (graph.node(id).kind === "reveal") mark(id);
  while (work.length > 0) {
    const id = work.pop()!;
    const n = graph.node(id);
    for (const a of n.args) mark(a);
    const scope = graph.scopeOf(id);
    if (scope !== undefined) mark(scope);
    // A carried var is kept whole (param and out) or not at all.
    if (n.kind === "loopout" || n.kind === "param") {
      const c = graph.node(n.loopOf!).loop!.carried.find((k) => k.out === id || k.param === id);
      if (c) {
        mark(c.param);
        mark(c.out);
      }
    }
  }
  let removed = 0;
  // Remove innermost first so that removing a loop never meets an already-removed child.
  const dead = graph.g.nodes().filter((id) => !live.has(id));
  for (const id of dead) {
    if (!graph.has(id)) continue;
    const n = graph.node(id);
    if (n.kind === "index" && n.loopOf && graph.has(n.loopOf)) delete graph.node(n.loopOf).loop!.index;
    graph.remove(id);
    removed++;
  }
  return removed;
}
