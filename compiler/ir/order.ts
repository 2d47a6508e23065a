// Orders the nodes of one scope (top level or one loop body) so that every node comes after
// what it depends on. A dependency on something inside a loop is a dependency on the loop; a
// loop depends on everything its body reads from outside. Carried edges (next -> param) are
// not dependencies within an iteration and are ignored. Ties go to creation order, so the
// order is deterministic and close to the source order.

import type { ProgramGraph } from "./graph.js";

/** The direct children of `scope` in dependency order. */
export function scopeOrder(graph: ProgramGraph, scope: string | undefined): string[] {
  const kids = graph.children(scope);
  const deps = new Map<string, Set<string>>(kids.map((k) => [k, new Set<string>()]));
  for (const k of kids) {
    const members = graph.node(k).kind === "loop" ? [k, ...graph.descendants(k)] : [k];
    for (const m of members) {
      for (const e of graph.g.inEdges(m) ?? []) {
        if (graph.g.edge(e).carried) continue;
        const from = graph.liftTo(e.v, scope);
        if (from !== undefined && from !== k) deps.get(k)!.add(from);
      }
    }
  }
  const users = new Map<string, string[]>(kids.map((k) => [k, []]));
  const waiting = new Map<string, number>();
  for (const [k, ds] of deps) {
    waiting.set(k, ds.size);
    for (const d of ds) users.get(d)!.push(k);
  }
  const seqOf = (id: string): number => graph.node(id).seq;
  const ready = new MinHeap<string>((a, b) => seqOf(a) - seqOf(b));
  for (const k of kids) if (waiting.get(k) === 0) ready.push(k);
  const out: string[] = [];
  while (ready.size > 0) {
    const k = ready.pop()!;
    out.push(k);
    for (const u of users.get(k)!) {
      const w = waiting.get(u)! - 1;
      waiting.set(u, w);
      if (w === 0) ready.push(u);
    }
  }
  if (out.length !== kids.length) throw new Error(`internal: cycle in IR scope ${scope ?? "top"}`);
  return out;
}

/** Every node of the program, scopes flattened in order (a loop before its body). */
export function programOrder(graph: ProgramGraph): string[] {
  const out: string[] = [];
  const walk = (scope: string | undefined): void => {
    for (const id of scopeOrder(graph, scope)) {
      out.push(id);
      if (graph.node(id).kind === "loop") walk(id);
    }
  };
  walk(undefined);
  return out;
}

/** A binary min-heap: the ready list of the orderings. */
export class MinHeap<T> {
  private items: T[] = [];
  constructor(private readonly less: (a: T, b: T) => number) {}
  get size(): number {
    return this.items.length;
  }
  push(x: T): void {
    const a = this.items;
    a.push(x);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.less(a[i]!, a[p]!) >= 0) break;
      [a[i], a[p]] = [a[p]!, a[i]!];
      i = p;
    }
  }
  pop(): T | undefined {
    const a = this.items;
    if (a.length === 0) return undefined;
    const top = a[0];
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && this.less(a[l]!, a[m]!) < 0) m = l;
        if (r < a.length && this.less(a[r]!, a[m]!) < 0) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }
}
