// What `mpc check` prints about a valid program: its parties, inputs (owner, type,
// visibility) and reveals (receivers, the visibility the value had, and which receivers
// already held it in the clear, for whom the reveal costs nothing). Derived from the
// CheckedProgram alone; the text form is for people, the object is what `--json` prints.

import { showVisibility } from "../../runtime/plan/visibility.js";
import type { CheckedProgram, TStmt } from "./typed.js";
import { showType } from "./types.js";

export interface RevealSummary {
  name: string;
  type: string;
  /** Visibility of the value before the reveal. */
  visibility: string;
  to: string[];
  /** Receivers that already hold the value in the clear (public, or private to them). */
  free: string[];
  /** Iterations of the enclosing loops (1 outside loops): how many times it is revealed. */
  times: number;
  line: number;
}

export interface ProgramSummary {
  program: string;
  file: string;
  precision: number;
  parties: string[];
  inputs: { party: string; name: string; type: string; visibility: string }[];
  reveals: RevealSummary[];
}

export function summarize(p: CheckedProgram): ProgramSummary {
  const reveals: RevealSummary[] = [];
  const walk = (stmts: readonly TStmt[], times: number): void => {
    for (const s of stmts) {
      if (s.k === "for") walk(s.body, times * (s.to - s.from));
      else if (s.k === "if") {
        walk(s.then, times);
        walk(s.else, times);
      } else if (s.k === "reveal") {
        const v = s.value.type.vis;
        reveals.push({
          name: s.name,
          type: showType(s.value.type),
          visibility: showVisibility(v),
          to: s.to,
          free: s.to.filter((r) => v.kind === "public" || (v.kind === "private" && v.party === r)),
          times,
          line: s.span.line,
        });
      }
    }
  };
  walk(p.body, 1);
  return {
    program: p.name,
    file: p.file,
    precision: p.precision,
    parties: p.parties,
    inputs: p.inputs.map((i) => ({ party: i.party, name: i.name, type: showType(i), visibility: `private(${i.party})` })),
    reveals,
  };
}

export function renderSummary(s: ProgramSummary): string {
  const lines = [`${s.file}: program \`${s.program}\` is well-formed (fixed point with ${s.precision} fractional bits)`];
  lines.push(`  parties: ${s.parties.join(", ") || "(none)"}`);
  lines.push(s.inputs.length ? "  inputs:" : "  inputs: (none)");
  const w = Math.max(0, ...s.inputs.map((i) => `${i.party}.${i.name}`.length));
  const tw = Math.max(0, ...s.inputs.map((i) => i.type.length));
  for (const i of s.inputs) lines.push(`    ${`${i.party}.${i.name}`.padEnd(w)}  ${i.type.padEnd(tw)}  ${i.visibility}`);
  lines.push(s.reveals.length ? "  reveals:" : "  reveals: (none)");
  for (const r of s.reveals) {
    const times = r.times === 1 ? "" : r.times === 0 ? " (never: its loop runs zero times)" : ` (${r.times} times, in a loop)`;
    const free = r.free.length === 0 ? "" : r.free.length === r.to.length ? "; costs nothing: the receivers already hold it" : `; costs nothing for ${r.free.join(", ")}, who already hold${r.free.length === 1 ? "s" : ""} it`;
    lines.push(`    ${r.name}: ${r.type}, ${r.visibility} -> ${r.to.join(", ")}${times}${free}`);
  }
  return lines.join("\n");
}
