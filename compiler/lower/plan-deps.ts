// What each plan node reads and defines, as value ids. A loop reads its carried initial values
// and everything its body reads from outside; it defines its carried outputs. Shared by the
// scheduler, the cost model and the graph exports, so they agree on the dataflow.

import type { PlanNode } from "../../runtime/plan/plan.js";

export function reads(node: PlanNode): string[] {
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
    case "loop": {
      const inner = new Set<string>();
      const defined = new Set<string>([...(node.index ? [node.index] : []), ...node.carried.map((c) => c.param)]);
      const walk = (body: PlanNode[]): void => {
        for (const n of body) {
          for (const r of reads(n)) inner.add(r);
          for (const d of defines(n)) defined.add(d);
        }
      };
      walk(node.body);
      for (const c of node.carried) inner.add(c.next);
      const free = [...inner].filter((v) => !defined.has(v));
      return [...new Set([...node.carried.map((c) => c.init), ...free])];
    }
  }
}

export function defines(node: PlanNode): string[] {
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

export const isComm = (n: PlanNode): n is Extract<PlanNode, { kind: "open" | "send" }> => n.kind === "open" || n.kind === "send";
