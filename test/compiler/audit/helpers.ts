// Shared helpers for the audit tests: check a source text with the real front end and audit
// it; fail loudly (with the rendered diagnostics) if the program itself does not check.

import { renderDiagnostics } from "../../../grammar/diagnostic.js";
import { checkSource } from "../../../compiler/frontend.js";
import type { CheckedProgram } from "../../../compiler/check/typed.js";
import { auditProgram, type AuditOptions } from "../../../compiler/audit/report.js";
import type { AuditInternals, AuditReport, Finding } from "../../../compiler/audit/report.js";

export function checked(source: string, file = "test.mpc"): CheckedProgram {
  const r = checkSource(source, file);
  if (!r.program) throw new Error(`test program does not check:\n${renderDiagnostics(r.diagnostics, source)}`);
  return r.program;
}

export function audit(source: string, opts: Partial<AuditOptions> = {}): { report: AuditReport; internals: AuditInternals; source: string } {
  const program = checked(source);
  return { ...auditProgram(program, { source, ...opts }), source };
}

/** Findings for one observer as `severity code: message` lines, for exact comparisons. */
export function findingsOf(report: AuditReport, observer: string | null): string[] {
  return report.findings.filter((f) => f.observer === observer).map((f) => `${f.severity} ${f.code}: ${f.message}`);
}

export function codes(fs: readonly Finding[]): string[] {
  return fs.map((f) => f.code);
}

/** The seed's sum for the first n of four parties, as source text. */
export function sumSource(n: number): string {
  const parties = ["alice", "bob", "carol", "dave"].slice(0, n);
  const names = parties.map((p) => p[0]!);
  return [
    `program sum${n}`,
    `party ${parties.join(", ")}`,
    ...parties.map((p, i) => `input ${p}.${names[i]} : fixed`),
    `reveal ${names.join(" + ")} as total to all`,
    "",
  ].join("\n");
}
