// The plan as a Graphviz DOT graph, for people: one cluster per party holding the work only
// that party does (its inputs, its private clear work, what it sends), one for the work every
// party does (public clear work and work on shares), and the dealer's items beside them.
// Communication nodes are labelled with their round and each round's nodes share a rank.
// Loops are one box by default ("x100, 2 rounds/iteration"); with `expandLoops` their bodies
// are drawn as nested clusters. Edges are values flowing from the node that defines them to
// the nodes that read them. Only text: rendering is ./svg.ts.

import type { LoopNode, Plan, PlanNode } from "../../runtime/plan/plan.js";
import { defines, reads } from "../lower/plan-deps.js";

export interface DotOptions {
  expandLoops?: boolean;
}

const PARTY_COLORS = ["#dbe9f6", "#fde2cf", "#d9f0d3", "#eadcf0", "#f9f3c2", "#f5d5dc"];

const q = (s: string): string => `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;

export function planToDot(plan: Plan, opts: DotOptions = {}): string {
  const info = new Map(plan.values.map((v) => [v.id, v]));
  const color = new Map(plan.parties.map((p, i) => [p, PARTY_COLORS[i % PARTY_COLORS.length]!]));
  const typeOf = (v: string): string => {
    const i = info.get(v);
    return i ? `${i.elem}[${i.shape.join(",")}]` : "";
  };
  /** The single party a node belongs to, if only one party runs it. */
  const soleParty = (n: PlanNode): string | undefined => {
    if (n.kind === "input") return n.party;
    if (n.kind === "clear" && n.parties.length === 1 && plan.parties.length > 1) return n.parties[0];
    if (n.kind === "send") return n.from;
    if (n.kind === "output" && n.to.length === 1 && plan.parties.length > 1) return n.to[0];
    return undefined;
  };
  const label = (n: PlanNode): string => {
    switch (n.kind) {
      case "input":
        return `input ${n.party}.${n.input}\n${typeOf(n.out)}`;
      case "clear":
        return `${n.op}\n${typeOf(n.out)}`;
      case "share":
        return `share (${n.owner})\n${typeOf(n.out)}`;
      case "local":
        return `${n.fn}${n.origin ? ` (${n.origin})` : ""}`;
      case "dealer":
        return n.item;
      case "open":
        return `open -> ${n.to.join(", ")}\nround ${n.round}`;
      case "send":
        return `send ${n.from} -> ${n.to.join(", ")}\nround ${n.round}`;
      case "output":
        return `output ${n.name}\n-> ${n.to.join(", ")}`;
      case "loop":
        return `loop x${n.count}\n${n.rounds} rounds/iteration, ${n.count * n.rounds} in all`;
    }
  };
  const style = (n: PlanNode): string => {
    switch (n.kind) {
      case "open":
      case "send":
        return `shape=box, style="rounded,filled,bold", fillcolor="#ffd27f"`;
      case "dealer":
        return `shape=diamond, style=filled, fillcolor="#eeeeee", fontsize=10`;
      case "input":
      case "output":
        return `shape=parallelogram, style=filled, fillcolor="white"`;
      case "loop":
        return `shape=box3d, style=filled, fillcolor="#fff6d5"`;
      case "share":
        return `shape=box, style="filled,dashed", fillcolor="#ffffff"`;
      default:
        return `shape=box, style=filled, fillcolor="${n.kind === "clear" && n.parties.length === 1 ? color.get(n.parties[0]!)! : "#f4f4f4"}"`;
    }
  };

  const lines: string[] = [
    `digraph ${q(plan.program)} {`,
    `  label=${q(`${plan.program}: ${plan.rounds} rounds`)}; labelloc=t; fontname="Helvetica";`,
    `  rankdir=TB; compound=true; newrank=true;`,
    `  node [fontname="Helvetica", fontsize=11]; edge [fontname="Helvetica", fontsize=9, color="#555555"];`,
  ];
  const edges: string[] = [];
  /** Which drawn node stands for the definition of each value. */
  const definer = new Map<string, string>();

  const drawScope = (nodes: PlanNode[], indent: string, topLevel: boolean): void => {
    const byCluster = new Map<string, PlanNode[]>();
    const put = (k: string, n: PlanNode): void => {
      const list = byCluster.get(k) ?? [];
      list.push(n);
      byCluster.set(k, list);
    };
    for (const n of nodes) {
      const p = topLevel ? soleParty(n) : undefined;
      put(p !== undefined ? `party:${p}` : n.kind === "dealer" ? "dealer" : "all", n);
      for (const v of defines(n)) definer.set(v, n.id);
    }
    const emitNodes = (list: PlanNode[], ind: string): void => {
      for (const n of list) {
        if (n.kind === "loop" && opts.expandLoops) {
          drawLoop(n, ind);
          continue;
        }
        lines.push(`${ind}${q(n.id)} [label=${q(label(n))}, ${style(n)}];`);
      }
      // One rank per round.
      const rounds = new Map<number, string[]>();
      for (const n of list) if (n.kind === "open" || n.kind === "send") rounds.set(n.round, [...(rounds.get(n.round) ?? []), n.id]);
      for (const ids of rounds.values()) if (ids.length > 1) lines.push(`${ind}{ rank=same; ${ids.map(q).join("; ")}; }`);
    };
    for (const p of plan.parties) {
      const list = byCluster.get(`party:${p}`);
      if (!list) continue;
      lines.push(`${indent}subgraph ${q(`cluster_party_${p}`)} {`, `${indent}  label=${q(`${p} alone (in the clear)`)}; style=filled; fillcolor="${color.get(p)}"; color="#999999";`);
      emitNodes(list, indent + "  ");
      lines.push(`${indent}}`);
    }
    const all = byCluster.get("all");
    if (all) {
      if (topLevel) {
        lines.push(`${indent}subgraph "cluster_all" {`, `${indent}  label="every party (public work, shares)"; style=dashed; color="#999999";`);
        emitNodes(all, indent + "  ");
        lines.push(`${indent}}`);
      } else emitNodes(all, indent);
    }
    const dealer = byCluster.get("dealer");
    if (dealer) {
      if (topLevel) {
        lines.push(`${indent}subgraph "cluster_dealer" {`, `${indent}  label="dealer (offline)"; style=dotted; color="#999999";`);
        emitNodes(dealer, indent + "  ");
        lines.push(`${indent}}`);
      } else emitNodes(dealer, indent);
    }
  };

  const drawLoop = (l: LoopNode, indent: string): void => {
    lines.push(
      `${indent}subgraph ${q(`cluster_${l.id}`)} {`,
      `${indent}  label=${q(`loop x${l.count}: ${l.rounds} rounds/iteration, ${l.count * l.rounds} in all`)}; style="rounded,filled"; fillcolor="#fffbea"; color="#c8a000";`,
    );
    for (const c of l.carried) {
      const pid = `${l.id}_${c.param}`;
      lines.push(`${indent}  ${q(pid)} [label=${q(`carried\n${typeOf(c.param)}`)}, shape=cds, style=filled, fillcolor="#fff0b3"];`);
      definer.set(c.param, pid);
    }
    if (l.index) {
      const iid = `${l.id}_index`;
      lines.push(`${indent}  ${q(iid)} [label="index", shape=plaintext];`);
      definer.set(l.index, iid);
    }
    drawScope(l.body, indent + "  ", false);
    lines.push(`${indent}}`);
    for (const c of l.carried) {
      const pid = `${l.id}_${c.param}`;
      const nextDef = definer.get(c.next);
      if (nextDef !== undefined) edges.push(`  ${q(nextDef)} -> ${q(pid)} [style=dashed, constraint=false, label="next"];`);
      // After the loop, its carried value comes from where the last `next` was made.
      definer.set(c.out, nextDef ?? pid);
    }
  };

  drawScope(plan.body, "  ", true);

  // Edges: from the definer of each value read to its reader (loops collapsed: to the loop).
  const drawEdges = (nodes: PlanNode[], expanded: boolean): void => {
    for (const n of nodes) {
      if (n.kind === "loop" && expanded) {
        for (const c of n.carried) {
          const from = definer.get(c.init);
          if (from !== undefined) edges.push(`  ${q(from)} -> ${q(`${n.id}_${c.param}`)} [label="init"];`);
        }
        drawEdges(n.body, expanded);
        continue;
      }
      const seen = new Set<string>();
      for (const v of reads(n)) {
        const from = definer.get(v);
        if (from === undefined || from === n.id || seen.has(from)) continue;
        seen.add(from);
        edges.push(`  ${q(from)} -> ${q(n.id)};`);
      }
    }
  };
  drawEdges(plan.body, opts.expandLoops === true);
  lines.push(...edges, "}");
  return lines.join("\n") + "\n";
}
