// The front end: parse + check, from source text or a file. What `mpc check` runs and what
// later phases start from. A program with syntax errors is not type-checked (the parser
// recovers and reports every syntax error; checking a half-parsed program would mostly add
// noise), so a run reports either all syntax errors or all checker errors.

import { readFileSync } from "node:fs";
import type { Diagnostic } from "../grammar/diagnostic.js";
import { UserError } from "../grammar/diagnostic.js";
import { parse } from "../grammar/index.js";
import { differentiate } from "./autodiff/index.js";
import { check } from "./check/index.js";
import type { CheckedProgram } from "./check/typed.js";

export interface FrontendResult {
  /** Present when there are no errors (warnings may remain in `diagnostics`). */
  program?: CheckedProgram;
  diagnostics: Diagnostic[];
  source: string;
  file: string;
}

const isError = (d: Diagnostic): boolean => d.severity === "error";

export function checkSource(source: string, file: string): FrontendResult {
  const parsed = parse(source, file);
  if (!parsed.program || parsed.diagnostics.some(isError)) {
    return { diagnostics: parsed.diagnostics, source, file };
  }
  const checked = check(parsed.program, source);
  const result: FrontendResult = { diagnostics: [...parsed.diagnostics, ...checked.diagnostics], source, file };
  if (checked.program) {
    // Expand every grad(loss, w) (compiler/autodiff): later phases never see a grad.
    const ad = differentiate(checked.program);
    result.diagnostics.push(...ad.diagnostics);
    if (ad.program) result.program = ad.program;
  }
  return result;
}

/** Read and check a file; a file that cannot be read is a usage error (exit 2). */
export function checkFile(path: string): FrontendResult {
  let source: string;
  try {
    source = readFileSync(path, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a directory" : code === "EACCES" ? "permission denied" : (code ?? "unreadable");
    throw new UserError(`cannot read ${path}: ${why}`, 2);
  }
  return checkSource(source, path);
}

export function errorCount(diags: readonly Diagnostic[]): number {
  return diags.filter(isError).length;
}
