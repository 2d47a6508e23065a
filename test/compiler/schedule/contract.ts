// The executor's ordering contract, checked independently of the scheduler: in every scope,
// (1) each node reads only values defined earlier in the scope, before the loop in an
// enclosing scope, or the loop's index/params; (2) the communication nodes of one round are
// contiguous and rounds increase along the list, with a loop occupying count x rounds;
// (3) the scope's round count is what the list adds up to. Returns the violations found.

import type { Plan, PlanNode } from "../../../runtime/plan/plan.js";
import { defines, reads } from "../../../compiler/lower/plan-deps.js";

export function orderingViolations(plan: Plan): string[] {
  const problems: string[] = [];
  const scope = (nodes: PlanNode[], outer: Set<string>, where: string): number => {
    const defined = new Set(outer);
    let next = 0; // the earliest round a communication node may have from here on
    let current: number | undefined; // round of the group being read, if the last node was comm
    const closed = new Set<number>();
    for (const n of nodes) {
      for (const v of reads(n)) if (!defined.has(v)) problems.push(`${where}: ${n.id} (${n.kind}) reads ${v} before it is defined`);
      if (n.kind === "open" || n.kind === "send") {
        if (closed.has(n.round)) problems.push(`${where}: round ${n.round} is not contiguous (at ${n.id})`);
        if (current !== undefined && n.round !== current) closed.add(current);
        if (n.round < next && n.round !== current) problems.push(`${where}: ${n.id} has round ${n.round}, expected >= ${next}`);
        current = n.round;
        next = Math.max(next, n.round + 1);
      } else {
        if (current !== undefined) closed.add(current);
        current = undefined;
        if (n.kind === "loop") {
          const inner = new Set(defined);
          if (n.index) inner.add(n.index);
          for (const c of n.carried) inner.add(c.param);
          const bodyRounds = scope(n.body, inner, `${where}/${n.id}`);
          if (bodyRounds !== n.rounds) problems.push(`${where}: loop ${n.id} says ${n.rounds} rounds, its body adds up to ${bodyRounds}`);
          next += n.count * n.rounds;
        }
      }
      for (const v of defines(n)) defined.add(v);
    }
    return next;
  };
  const total = scope(plan.body, new Set(), "top");
  if (total !== plan.rounds) problems.push(`plan says ${plan.rounds} rounds, its body adds up to ${total}`);
  return problems;
}

/** Every node of the plan, loop bodies included, with the number of times it runs. */
export function allNodes(plan: Plan): { node: PlanNode; times: number }[] {
  const out: { node: PlanNode; times: number }[] = [];
  const walk = (nodes: PlanNode[], times: number): void => {
    for (const n of nodes) {
      out.push({ node: n, times });
      if (n.kind === "loop") walk(n.body, times * n.count);
    }
  };
  walk(plan.body, 1);
  return out;
}
