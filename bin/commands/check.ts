// `mpc check FILE [--json]`: parse and type-check a program. On errors: the rendered
// diagnostics on stderr, a count line, exit 1 (with --json, the diagnostics as JSON on stdout).
// On success: a summary of parties, inputs and reveals (as JSON with --json), exit 0.
// Usage errors exit 2. Thin: the work is compiler/frontend.ts and compiler/check/summary.ts.

import { renderDiagnostics } from "../../grammar/diagnostic.js";
import { renderSummary, summarize } from "../../compiler/check/summary.js";
import { checkFile, errorCount } from "../../compiler/frontend.js";

const USAGE = "usage: mpc check FILE [--json]";

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;

export async function main(argv: string[]): Promise<number> {
  let json = false;
  const files: string[] = [];
  for (const a of argv) {
    if (a === "--json") json = true;
    else if (a === "--help" || a === "-h") {
      console.log(`${USAGE}\n\nParse and type-check an .mpc program; print its parties, inputs and reveals.\n  --json   print the summary (or the diagnostics) as JSON on stdout`);
      return 0;
    } else if (a.startsWith("-")) {
      console.error(`mpc check: unknown option '${a}'\n${USAGE}`);
      return 2;
    } else files.push(a);
  }
  if (files.length !== 1) {
    console.error(`mpc check: ${files.length === 0 ? "no file given" : "give exactly one file"}\n${USAGE}`);
    return 2;
  }
  const r = checkFile(files[0]!);
  const errors = errorCount(r.diagnostics);
  const warnings = r.diagnostics.length - errors;
  if (json) {
    const out = r.program ? { ok: true, summary: summarize(r.program), diagnostics: r.diagnostics } : { ok: false, diagnostics: r.diagnostics };
    console.log(JSON.stringify(out, null, 2));
    return r.program ? 0 : 1;
  }
  if (r.diagnostics.length > 0) {
    process.stderr.write(renderDiagnostics(r.diagnostics, r.source, process.stderr.isTTY === true) + "\n");
  }
  if (!r.program) {
    process.stderr.write(`${plural(errors, "error")}${warnings ? `, ${plural(warnings, "warning")}` : ""}\n`);
    return 1;
  }
  if (warnings) process.stderr.write(`${plural(warnings, "warning")}\n`);
  console.log(renderSummary(summarize(r.program)));
  return 0;
}
