// `mpc audit FILE [--format text|json|sarif] [--policy FILE] [--strict] [--no-plan]`: the
// static leakage audit (compiler/audit). Prints the report on stdout. Exit codes: 0 when no
// policy rule is broken (and, with --strict or a policy's `fail on`, no finding at that
// severity); 1 on a violation, such a finding, or errors in the program; 2 on usage errors
// (bad options, unreadable files, a malformed or mismatched policy). Thin: the work is
// compiler/frontend.ts, compiler/middle.ts (for the plan) and compiler/audit.

import { readFileSync } from "node:fs";
import { renderDiagnostics } from "../../grammar/diagnostic.js";
import { checkFile, errorCount } from "../../compiler/frontend.js";
import type { CheckedProgram } from "../../compiler/check/typed.js";
import type { Plan } from "../../runtime/plan/plan.js";
import { type AuditFormat, parsePolicy, type Policy, PolicyError, renderAudit, runAudit } from "../../compiler/audit/index.js";

const USAGE = "usage: mpc audit FILE [--format text|json|sarif] [--policy FILE] [--strict] [--no-plan]";

const HELP = `${USAGE}

Report, before anything runs, what each party will learn from the program: for every
reveal, which inputs of which parties it depends on; what each party can compute exactly
from everything revealed to it (exact linear algebra); recognised non-linear disclosures;
what is public by construction; each party's local work (what it computes alone, in the clear,
from its own data, and where that enters MPC); and each party's view of the run (from the
compiled plan).

  --format F     text (default), json, or sarif (SARIF 2.1.0 for CI code scanning)
  --policy FILE  check rules such as \`hospital_a must not learn hospital_b.y\` (docs/audit.md);
                 a broken rule exits 1
  --strict       exit 1 on any error-level finding (e.g. a party can compute another's input)
  --no-plan      do not compile the plan (skips the per-round view of each party)

Exit: 0 ok, 1 policy violation / strict failure / program errors, 2 usage or policy errors.`;

export async function main(argv: string[]): Promise<number> {
  let format: AuditFormat = "text";
  let policyPath: string | undefined;
  let strict = false;
  let withPlan = true;
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = (): string | undefined => {
      const eq = a.indexOf("=");
      if (eq > 0) return a.slice(eq + 1);
      return argv[++i];
    };
    if (a === "--help" || a === "-h") {
      console.log(HELP);
      return 0;
    } else if (a === "--format" || a.startsWith("--format=")) {
      const f = value();
      if (f !== "text" && f !== "json" && f !== "sarif") {
        console.error(`mpc audit: --format takes text, json or sarif${f === undefined ? "" : ` (got '${f}')`}\n${USAGE}`);
        return 2;
      }
      format = f;
    } else if (a === "--policy" || a.startsWith("--policy=")) {
      policyPath = value();
      if (policyPath === undefined) {
        console.error(`mpc audit: --policy needs a file\n${USAGE}`);
        return 2;
      }
    } else if (a === "--strict") strict = true;
    else if (a === "--no-plan") withPlan = false;
    else if (a.startsWith("-")) {
      console.error(`mpc audit: unknown option '${a}'\n${USAGE}`);
      return 2;
    } else files.push(a);
  }
  if (files.length !== 1) {
    console.error(`mpc audit: ${files.length === 0 ? "no file given" : "give exactly one file"}\n${USAGE}`);
    return 2;
  }

  let policy: Policy | undefined;
  if (policyPath !== undefined) {
    let text: string;
    try {
      text = readFileSync(policyPath, "utf8");
    } catch (err) {
      console.error(`mpc audit: cannot read policy ${policyPath}: ${(err as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (err as Error).message}`);
      return 2;
    }
    try {
      policy = parsePolicy(text, policyPath);
    } catch (err) {
      if (err instanceof PolicyError) {
        console.error(`mpc audit: bad policy: ${err.message}`);
        return 2;
      }
      throw err;
    }
  }

  const front = checkFile(files[0]!);
  if (!front.program) {
    process.stderr.write(renderDiagnostics(front.diagnostics, front.source, process.stderr.isTTY === true) + "\n");
    const n = errorCount(front.diagnostics);
    process.stderr.write(`mpc audit: ${n} error${n === 1 ? "" : "s"} in ${files[0]}; nothing audited\n`);
    return 1;
  }
  const plan = withPlan ? await buildPlan(front.program) : { unavailable: "not requested (--no-plan)" };
  try {
    const run = runAudit(front.program, { source: front.source, plan, ...(policy ? { policy } : {}), strict });
    process.stdout.write(renderAudit(run, format, front.source, format === "text" && process.stdout.isTTY === true));
    return run.exitCode;
  } catch (err) {
    if (err instanceof PolicyError) {
      console.error(`mpc audit: bad policy: ${err.message}`);
      return 2;
    }
    throw err;
  }
}

/** The compiled plan, or why there is none; never fails the audit. */
async function buildPlan(program: CheckedProgram): Promise<Plan | { unavailable: string }> {
  try {
    const { compileChecked } = await import("../../compiler/middle.js");
    const r = compileChecked(program);
    if (r.plan) return r.plan;
    const first = r.diagnostics.find((d) => d.severity === "error");
    return { unavailable: `the plan could not be built${first ? ` (${first.message})` : ""}` };
  } catch (err) {
    return { unavailable: `the plan could not be built (${(err as Error).message.split("\n")[0]})` };
  }
}
