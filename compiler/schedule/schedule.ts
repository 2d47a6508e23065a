// Round scheduling. Every `open` and `send` gets a round, as early as its inputs allow, and
// every scope's node list (top level and each loop body) is reordered into the executor's
// contract: valid execution order, grouped by round — all communication of round r is
// contiguous, everything round r's messages depend on comes before it, and local work that
// needs round r's results comes after. A loop is one block of count x (body rounds) rounds in
// its scope; loop bodies have their own rounds, relative to the start of an iteration.
//
// List scheduling, one scope at a time: at time t, emit all local work that is ready; then
// either send every ready message as round t, or run a ready loop — whichever lies on the
// longer remaining path (ties: the messages). Dealer nodes are placed just before their first
// use (they cost no round: the dealer works offline). Never changes what a plan computes.

import type { LoopNode, Plan, PlanNode } from "../../runtime/plan/plan.js";
import { MinHeap } from "../ir/order.js";
import { defines, isComm, reads } from "../lower/plan-deps.js";

/** Schedules a plan in place (rounds, LoopNode.rounds, Plan.rounds, node order). */
export function schedule(plan: Plan): Plan {
  const { body, rounds } = scheduleScope(plan.body);
  plan.body = body;
  plan.rounds = rounds;
  return plan;
}

/** Rounds a loop occupies in its scope: every iteration runs its whole body. */
const loopSpan = (l: LoopNode): number => l.count * l.rounds;

function scheduleScope(nodes: PlanNode[]): { body: PlanNode[]; rounds: number } {
  for (const n of nodes) {
    if (n.kind === "loop") {
      const s = scheduleScope(n.body);
      n.body = s.body;
      n.rounds = s.rounds;
    }
  }
  const producer = new Map<string, number>();
  nodes.forEach((n, i) => defines(n).forEach((v) => producer.set(v, i)));
  const deps = nodes.map((n) => [...new Set(reads(n).map((v) => producer.get(v)).filter((i): i is number => i !== undefined))]);
  const users: number[][] = nodes.map(() => []);
  deps.forEach((ds, i) => ds.forEach((d) => users[d]!.push(i)));

  // Remaining rounds from the start of each node to the end of the scope (for priorities).
  const cost = (n: PlanNode): number => (isComm(n) ? 1 : n.kind === "loop" ? loopSpan(n) : 0);
  const tail = new Array<number>(nodes.length).fill(0);
  for (const i of topoOrder(nodes.length, deps).reverse()) {
    tail[i] = cost(nodes[i]!) + Math.max(0, ...users[i]!.map((u) => tail[u]!));
  }

  const isDealer = (i: number): boolean => nodes[i]!.kind === "dealer";
  const waiting = deps.map((ds) => ds.filter((d) => !isDealer(d)).length);
  const done = new Array<boolean>(nodes.length).fill(false);
  const readyLocal = new MinHeap<number>((a, b) => a - b);
  const readyComm: number[] = [];
  const readyLoops: number[] = [];
  const out: PlanNode[] = [];
  const classify = (i: number): void => {
    const n = nodes[i]!;
    if (isComm(n)) readyComm.push(i);
    else if (n.kind === "loop" && loopSpan(n) > 0) readyLoops.push(i);
    else readyLocal.push(i);
  };
  const emit = (i: number): void => {
    for (const d of deps[i]!) if (isDealer(d) && !done[d]) emit(d);
    done[i] = true;
    out.push(nodes[i]!);
    for (const u of users[i]!) {
      if (isDealer(i)) continue;
      if (--waiting[u]! === 0) classify(u);
    }
  };
  nodes.forEach((_, i) => {
    if (!isDealer(i) && waiting[i] === 0) classify(i);
  });

  let t = 0;
  for (;;) {
    while (readyLocal.size > 0) emit(readyLocal.pop()!);
    if (readyComm.length === 0 && readyLoops.length === 0) break;
    const commTail = Math.max(-1, ...readyComm.map((i) => tail[i]!));
    readyLoops.sort((a, b) => tail[b]! - tail[a]! || a - b);
    const loopTail = readyLoops.length > 0 ? tail[readyLoops[0]!]! : -1;
    if (readyComm.length > 0 && commTail >= loopTail) {
      const group = readyComm.splice(0).sort((a, b) => a - b);
      for (const i of group) {
        const n = nodes[i]!;
        if (isComm(n)) n.round = t;
      }
      // Emit the whole round before anything that depends on it becomes eligible.
      for (const i of group) emit(i);
      t += 1;
    } else {
      const i = readyLoops.shift()!;
      emit(i);
      t += loopSpan(nodes[i] as LoopNode);
    }
  }
  // Dealer nodes nobody reads (none are emitted that way) would be lost: keep them at the end.
  nodes.forEach((n, i) => {
    if (!done[i]) {
      if (n.kind !== "dealer") throw new Error(`internal: node ${n.id} never became ready (cyclic plan)`);
      out.push(n);
    }
  });
  return { body: out, rounds: t };
}

function topoOrder(count: number, deps: number[][]): number[] {
  const order: number[] = [];
  const state = new Uint8Array(count);
  const visit = (i: number): void => {
    if (state[i] === 2) return;
    if (state[i] === 1) throw new Error("internal: cyclic plan scope");
    state[i] = 1;
    for (const d of deps[i]!) visit(d);
    state[i] = 2;
    order.push(i);
  };
  for (let i = 0; i < count; i++) visit(i);
  return order;
}
