// Diagnostics: the one shape every error and warning of the front end and compiler takes, and
// the renderer that prints them like a good compiler:
//
//   programs/x.mpc:3:7: error[E0201]: unknown name `xq`
//     3 | let y = xq + 1
//       |         ^^
//     = help: did you mean `xa`?
//
// Codes and message templates live in catalogues (grammar/codes.ts for syntax, compiler/check
// for the rest), collected by compiler/diagnostics.ts for `mpc explain` and the README.

import type { Span } from "./ast.js";

export type Severity = "error" | "warning" | "note";

export interface Diagnostic {
  code: string;
  severity: Severity;
  message: string;
  span: Span;
  /** A suggestion printed as `= help: …`. */
  hint?: string;
  /** Secondary locations printed as notes (e.g. "first declared here"). */
  related?: { span: Span; message: string }[];
}

export interface CatalogueEntry {
  code: string;
  /** One-line summary for `mpc explain` and the README's error reference. */
  title: string;
  /** A longer explanation with an example of the fix. */
  explanation: string;
}

/** Render diagnostics against the source text, sorted by position. */
export function renderDiagnostics(diags: readonly Diagnostic[], source: string, color = false): string {
  const lines = source.split(/\r?\n/);
  const sorted = [...diags].sort((a, b) => a.span.offset - b.span.offset);
  return sorted.map((d) => renderOne(d, lines, color)).join("\n");
}

/** `s` in ANSI colour `code` when `on` (a terminal), else as is. */
export const paint = (on: boolean, code: string, s: string): string => (on ? `\x1b[${code}m${s}\x1b[0m` : s);

function renderOne(d: Diagnostic, lines: string[], color: boolean): string {
  const sevColor = d.severity === "error" ? "1;31" : d.severity === "warning" ? "1;33" : "1;36";
  const head =
    `${d.span.file}:${d.span.line}:${d.span.col}: ` +
    paint(color, sevColor, `${d.severity}[${d.code}]`) +
    `: ${d.message}`;
  const out = [head, ...excerpt(d.span, lines, color, sevColor)];
  for (const r of d.related ?? []) {
    out.push(`  note: ${r.message} at ${r.span.file}:${r.span.line}:${r.span.col}`);
    out.push(...excerpt(r.span, lines, color, "1;36"));
  }
  if (d.hint) out.push(`  = help: ${d.hint}`);
  return out.join("\n");
}

/** The source line of `span` with its number and a caret line under the span (also used by
 *  the audit report, so every excerpt looks the same). */
export function excerpt(span: Span, lines: readonly string[], color: boolean, caretColor: string): string[] {
  const text = lines[span.line - 1];
  if (text === undefined) return [];
  const num = String(span.line);
  const pad = " ".repeat(num.length);
  const start = Math.max(0, span.col - 1);
  // A span that runs past the end of its line is underlined to the end of the line.
  const width = Math.max(1, Math.min(span.length, text.length - start || 1));
  const visible = text.replace(/\t/g, " ");
  return [
    `  ${num} | ${visible}`,
    `  ${pad} | ${" ".repeat(start)}${paint(color, caretColor, "^".repeat(width))}`,
  ];
}

/** Thrown for errors that are the user's (bad program, bad data, bad peer), never a bug:
 *  the CLI prints the message alone, with no stack trace. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = "UserError";
  }
}
