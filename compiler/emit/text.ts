// A plan as readable text, one node per line, loops indented: for people reading a plan,
// for `mpc compile --print`, and for test failure messages. Never the format a program reads.

import type { Plan, PlanNode } from "../../runtime/plan/plan.js";

export function planToText(plan: Plan): string {
  const shape = new Map(plan.values.map((v) => [v.id, `${v.kind}:${v.elem}[${v.shape.join(",")}]`]));
  const lines: string[] = [`plan ${plan.program} — ${plan.rounds} rounds, parties ${plan.parties.join(", ")}`];
  const walk = (nodes: PlanNode[], indent: string): void => {
    for (const n of nodes) lines.push(indent + nodeLine(n, shape));
  };
  const nodeLine = (n: PlanNode, sh: Map<string, string>): string => {
    const o = (ids: string[]): string => ids.map((i) => `${i}:${sh.get(i) ?? "?"}`).join(", ");
    switch (n.kind) {
      case "input":
        return `${n.out} = input ${n.party}.${n.input}`;
      case "clear":
        return `${n.out} = clear ${n.op}(${n.args.join(", ")}) ${attrs(n.attrs)}@${n.parties.join("+")}`;
      case "share":
        return `${n.out} = share ${n.from} from ${n.owner}`;
      case "local":
        return `${n.out.join(", ")} = local ${n.fn}(${n.args.join(", ")}) ${attrs(n.attrs)}`.trimEnd();
      case "dealer":
        return `${n.out.join(", ")} = dealer ${n.item} ${attrs(n.attrs)}`.trimEnd();
      case "open":
        return `[round ${n.round}] ${o(n.out)} = open(${n.args.join(", ")}) to ${n.to.join("+")}`;
      case "send":
        return `[round ${n.round}] ${n.out} = send ${n.value} ${n.from} -> ${n.to.join("+")}`;
      case "output":
        return `output ${n.name} = ${n.value} to ${n.to.join("+")}`;
      case "loop": {
        const head = `loop x${n.count} from ${n.start} (${n.rounds} rounds/iteration) carried ${n.carried
          .map((c) => `${c.param}=${c.init}->${c.next} out ${c.out}`)
          .join("; ")} {`;
        const inner: string[] = [];
        const saved = lines.length;
        walk(n.body, "");
        inner.push(...lines.splice(saved).map((l) => l));
        return [head, ...inner.map((l) => "  " + l), "}"].join("\n");
      }
    }
  };
  walk(plan.body, "");
  return lines.join("\n");
}

function attrs(a: Record<string, unknown>): string {
  const keys = Object.keys(a);
  return keys.length === 0 ? "" : `{${keys.map((k) => `${k}: ${JSON.stringify(a[k])}`).join(", ")}} `;
}
