// How a scope's communication nodes group into rounds. The scheduler makes every round's
// `open`/`send` nodes contiguous in a scope; the executor and the generated party code both
// walk a scope and take each such run as one round (one message per peer).

import type { OpenNode, PlanNode, SendNode } from "./plan.js";

export function isComm(node: PlanNode): node is OpenNode | SendNode {
  return node.kind === "open" || node.kind === "send";
}

/** For the communication node at `start`, the end (exclusive) of the contiguous run of
 *  communication nodes of the same round. */
export function roundRunEnd(nodes: readonly PlanNode[], start: number): number {
  const first = nodes[start];
  if (first === undefined || !isComm(first)) return start + 1;
  let end = start + 1;
  while (end < nodes.length) {
    const next = nodes[end]!;
    if (!isComm(next) || next.round !== first.round) break;
    end++;
  }
  return end;
}
