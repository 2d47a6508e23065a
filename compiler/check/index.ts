// The type checker: `check(program, source)` resolves names, infers element types, static
// shapes and visibility, inlines fns, evaluates consts and loop bounds, and returns the
// CheckedProgram (typed.ts) or the diagnostics. Pure: no I/O, nothing global is mutated.
//
// Visibility of a `var` is a fixpoint: a pass checks the whole program with the var
// visibilities found so far; when an assignment raises one (a public var assigned a secret
// value, say in a loop), the program is checked again with the raised value, so uses before
// that assignment see it too. Visibility only rises (public < private < secret), so this ends
// after at most two raises per var. Only the last pass's diagnostics are kept.

import type { Program } from "../../grammar/ast.js";
import type { Diagnostic } from "../../grammar/diagnostic.js";
import type { Visibility } from "../../runtime/plan/visibility.js";
import { Checker } from "./context.js";
import { checkProgram } from "./program.js";
import type { CheckedProgram } from "./typed.js";

export type { CheckedProgram } from "./typed.js";
export { CHECK_CATALOGUE } from "./codes.js";

const MAX_PASSES = 1000;

export interface CheckResult {
  program?: CheckedProgram;
  diagnostics: Diagnostic[];
}

export function check(program: Program, source: string): CheckResult {
  const varVis = new Map<string, Visibility>();
  // Each pass raises at least one var's visibility; the cap only guards against a bug.
  for (let pass = 0; ; pass++) {
    const cx = new Checker(program.span.file, source, varVis);
    const checked = checkProgram(cx, program);
    if (cx.varVisChanged && pass < MAX_PASSES) continue;
    const diagnostics = dedupe(cx.diagnostics);
    return cx.hasErrors ? { diagnostics } : { program: checked, diagnostics };
  }
}

/** A fn body called twice reports the same error twice: keep the first. Sorted by position. */
function dedupe(diags: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const d of diags) {
    const key = `${d.code}:${d.span.offset}:${d.span.length}:${d.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(d);
  }
  return out.sort((a, b) => a.span.offset - b.span.offset);
}
