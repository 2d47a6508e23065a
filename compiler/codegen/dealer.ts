// The dealer's part of a plan, as the body of its generated module's `items()` generator: every
// item of correlated randomness it makes, in the order the parties use them, with loops kept
// as loops. The dealer reads nothing else of the program: no input, no value, no message of a
// party. Pure: plan in, statements out.

import type { CodeBlockWriter } from "ts-morph";
import type { DealerNode, LoopNode, Plan, PlanNode } from "../../runtime/plan/plan.js";
import { literal } from "./literal.js";
import { Namer, SourceLines } from "./names.js";

const INLINE_ATTRS_MAX = 100;

export interface DealerPart {
  writeBody: (w: CodeBlockWriter) => void;
  tables: { name: string; value: string; doc: string }[];
  /** Items made over the whole run (loops multiplied out). */
  items: number;
}

const hasItems = (nodes: readonly PlanNode[]): boolean => nodes.some((n) => n.kind === "dealer" || (n.kind === "loop" && n.count > 0 && hasItems(n.body)));

export function dealerPart(plan: Plan, source: string | undefined): DealerPart {
  const src = new SourceLines(source);
  // the dealer's module names no input at all
  const namer = new Namer(new Set(plan.inputs.map((i) => i.name)));
  const tables: DealerPart["tables"] = [];
  let items = 0;
  const count = (nodes: readonly PlanNode[], times: number): void => {
    for (const n of nodes) {
      if (n.kind === "dealer") items += times;
      else if (n.kind === "loop") count(n.body, times * n.count);
    }
  };
  count(plan.body, 1);
  const attrsOf = (n: DealerNode): string => {
    const text = literal(n.attrs);
    if (text.length <= INLINE_ATTRS_MAX) return text;
    const name = namer.fresh(`${n.item}_${n.id}`.toUpperCase());
    tables.push({ name, value: text, doc: `Attributes of dealer step ${n.id} (${n.item}${n.src ? `, line ${n.src.line}` : ""}).` });
    return name;
  };
  // attributes are named before anything is written (the tables follow the generator)
  const attrText = new Map<string, string>();
  const collect = (nodes: readonly PlanNode[]): void => {
    for (const n of nodes) {
      if (n.kind === "dealer") attrText.set(n.id, attrsOf(n));
      else if (n.kind === "loop") collect(n.body);
    }
  };
  collect(plan.body);
  const write = (w: CodeBlockWriter, nodes: readonly PlanNode[], at: string[], state: { line: number | undefined }): void => {
    for (const n of nodes) {
      if (n.kind !== "dealer" && !(n.kind === "loop" && n.count > 0 && hasItems(n.body))) continue;
      if (n.src && n.src.line !== state.line) {
        state.line = n.src.line;
        const text = src.inputOwner(n.src.line) !== undefined ? undefined : src.text(n.src.line)?.replace(/\s*\{$/, "");
        w.writeLine(`// line ${n.src.line}${text ? `: ${text}` : ""}`);
      }
      if (n.kind === "dealer") {
        const where = at.length ? `, at: [${at.join(", ")}]` : "";
        w.writeLine(`yield { step: ${JSON.stringify(n.id)}${where}, item: ${JSON.stringify(n.item)}, attrs: ${attrText.get(n.id)!} };`);
        continue;
      }
      const loop = n as LoopNode;
      const stmt = loop.src ? src.statementName(loop.src.line) : undefined;
      const counter = namer.fresh(stmt ?? "i");
      w.write(`for (let ${counter} = 0; ${counter} < ${loop.count}; ${counter}++) `).block(() => {
        write(w, loop.body, [...at, counter], { line: loop.src?.line });
      });
      state.line = undefined;
    }
  };
  return { writeBody: (w) => write(w, plan.body, [], { line: undefined }), tables, items };
}
