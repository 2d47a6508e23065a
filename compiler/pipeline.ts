// The whole compiler pipeline: source text -> front end (parse, check) -> compiler/middle.ts
// (graph, passes, lowering, scheduling). The entry points of `mpc compile` and `mpc cost`.

import type { Diagnostic } from "../grammar/diagnostic.js";
import type { CheckedProgram } from "./check/typed.js";
import { checkFile, checkSource } from "./frontend.js";
import { compileChecked } from "./middle.js";
import type { CompileOptions, CompileResult } from "./middle.js";

export { compileChecked };
export type { CompileOptions, CompileResult };

const hasErrors = (ds: readonly Diagnostic[]): boolean => ds.some((d) => d.severity === "error");

export function compileSource(source: string, file: string, opts: CompileOptions = {}): CompileResult {
  const front = checkSource(source, file);
  return withFront(front, opts);
}

export function compileFile(path: string, opts: CompileOptions = {}): CompileResult {
  const front = checkFile(path);
  return withFront(front, opts);
}

function withFront(
  front: { program?: CheckedProgram; diagnostics: Diagnostic[]; source: string },
  opts: CompileOptions,
): CompileResult {
  if (!front.program || hasErrors(front.diagnostics)) {
    return { diagnostics: [...front.diagnostics], source: front.source };
  }
  const r = compileChecked(front.program, opts);
  return { ...r, diagnostics: [...front.diagnostics, ...r.diagnostics], source: front.source };
}
