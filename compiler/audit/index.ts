// compiler/audit: the static leakage audit. Given a checked program (and its compiled plan
// when it can be built), it reports what each party learns: for every reveal, which inputs of
// which parties it depends on, element by element; where reveals are affine in the inputs,
// what each party can solve for exactly (exact rational linear algebra over all reveals it
// receives together); recognised non-linear cases (injective functions, comparisons, argmax);
// what is public by construction; each party's view of the run; and whether a policy holds.
//
// Modules: rational (BigInt fractions), linalg (sparse exact echelon form), depset (input
// element sets), absval + algebra + tensor-ops + interpret (the abstract interpreter),
// knowledge (per-party deduction), describe (words), rules (the finding catalogue),
// local-work (what each party computes alone, and where it is secret-shared), report,
// policy, plan-view, render-text and render-sarif (JSON is the report object itself). It never
// sees data.

import type { CheckedProgram } from "../check/typed.js";
import { checkPolicy, type Policy, type PolicyResult, resolvePolicy } from "./policy.js";
import { type AuditOptions, type AuditReport, auditProgram } from "./report.js";
import { renderText } from "./render-text.js";
import { renderSarif } from "./render-sarif.js";

export type { AuditReport, Finding, AuditOptions } from "./report.js";
export type { Policy, PolicyResult, PolicyRule } from "./policy.js";
export type { LocalExit, LocalValue, PartyLocalWork } from "./local-work.js";
export { parsePolicy, PolicyError } from "./policy.js";
export { ALL_RULES, RULES } from "./rules.js";
export { auditProgram } from "./report.js";

export type AuditFormat = "text" | "json" | "sarif";

export interface AuditRun {
  report: AuditReport;
  policy?: PolicyResult;
  /** The exit status the audit asks for: 1 on a policy violation, or on a finding at or
   *  above the fail-on severity (from --strict or the policy), else 0. */
  exitCode: 0 | 1;
}

export interface RunOptions extends AuditOptions {
  policy?: Policy;
  /** Fail on error-level findings even without a policy (`--strict`). */
  strict?: boolean;
}

export function runAudit(program: CheckedProgram, opts: RunOptions): AuditRun {
  const { report, internals } = auditProgram(program, opts);
  const run: AuditRun = { report, exitCode: 0 };
  let failOn: "error" | "warning" | undefined = opts.strict ? "error" : undefined;
  if (opts.policy) {
    run.policy = checkPolicy(resolvePolicy(opts.policy, program), internals);
    if (run.policy.failOn === "warning" || (run.policy.failOn === "error" && failOn === undefined)) failOn = run.policy.failOn;
    if (run.policy.violations.length > 0) run.exitCode = 1;
  }
  const s = report.summary;
  if (failOn === "error" && s.errors > 0) run.exitCode = 1;
  if (failOn === "warning" && s.errors + s.warnings > 0) run.exitCode = 1;
  return run;
}

export function renderAudit(run: AuditRun, format: AuditFormat, source: string, color = false): string {
  switch (format) {
    case "text":
      return renderText(run.report, source, run.policy ? { color, policy: run.policy } : { color });
    case "json":
      return JSON.stringify(run.policy ? { ...run.report, policy: run.policy, exitCode: run.exitCode } : { ...run.report, exitCode: run.exitCode }, null, 2) + "\n";
    case "sarif":
      return renderSarif(run.report, source, run.policy);
  }
}
