import test from "ava";
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sumSource } from "./helpers.js";

const dir = mkdtempSync(join(tmpdir(), "mpc-audit-"));
const file = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const sum2 = file("sum2.mpc", sumSource(2));
const sum4 = file("sum4.mpc", sumSource(4));

function mpc(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ["--import", "tsx", "bin/mpc.ts", ...args], { cwd: process.cwd(), timeout: 120_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === "number" ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

test("a policy violation exits 1 and prints the violation with its location", async (t) => {
  const policy = file("strict.policy", "# the seed's two-party sum must not disclose bob's number\nalice must not learn bob.b\n");
  const r = await mpc("audit", "--no-plan", "--policy", policy, sum2);
  t.is(r.code, 1, r.stderr);
  t.true(r.stdout.includes(`${sum2}:5:1: error[P001]: \`alice must not learn bob.b\` (${policy}:2) is broken: alice can compute bob.b exactly`));
  t.true(r.stdout.includes("1 policy violation"));
});

test("a satisfied policy exits 0", async (t) => {
  const policy = file("ok.policy", "nobody learns alice.a\nnobody learns bob.b\n");
  const r = await mpc("audit", "--no-plan", `--policy=${policy}`, sum4);
  t.is(r.code, 0, r.stderr);
  t.true(r.stdout.includes("all satisfied"));
});

test("error-level findings exit 0 by default and 1 with --strict", async (t) => {
  t.is((await mpc("audit", "--no-plan", sum2)).code, 0);
  t.is((await mpc("audit", "--no-plan", "--strict", sum2)).code, 1);
});

test("--format json is the report object", async (t) => {
  const r = await mpc("audit", "--no-plan", "--format", "json", sum2);
  t.is(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout) as { format: string; program: string; summary: { errors: number }; findings: { code: string; observer: string }[]; exitCode: number };
  t.is(report.format, "mpc-audit");
  t.is(report.program, "sum2");
  t.is(report.summary.errors, 2);
  t.deepEqual(report.findings.map((f) => `${f.observer}:${f.code}`), ["alice:A001", "bob:A001"]);
  t.is(report.exitCode, 0);
});

test("--format sarif prints a SARIF 2.1.0 log", async (t) => {
  const r = await mpc("audit", "--no-plan", "--format", "sarif", sum2);
  t.is(r.code, 0, r.stderr);
  const log = JSON.parse(r.stdout) as { version: string; runs: { results: { ruleId: string; level: string }[] }[] };
  t.is(log.version, "2.1.0");
  t.deepEqual(log.runs[0]!.results.map((x) => `${x.ruleId}:${x.level}`), ["A001:error", "A001:error"]);
});

test("usage and policy errors exit 2 with a message, never a stack trace", async (t) => {
  const bad = file("bad.policy", "alice may learn bob.b\n");
  const r1 = await mpc("audit", "--no-plan", "--policy", bad, sum2);
  t.is(r1.code, 2);
  t.true(r1.stderr.startsWith(`mpc audit: bad policy: ${bad}:1:1: cannot read \`alice may learn bob.b\``), r1.stderr);
  const wrong = file("wrong.policy", "alice must not learn carol.c\n");
  const r2 = await mpc("audit", "--no-plan", "--policy", wrong, sum2);
  t.is(r2.code, 2);
  t.is(r2.stderr.trim(), `mpc audit: bad policy: ${wrong}:1: program sum2 has no input carol.c (inputs: alice.a, bob.b)`);
  const r3 = await mpc("audit", "--format", "xml", sum2);
  t.is(r3.code, 2);
  t.true(r3.stderr.includes("--format takes text, json or sarif (got 'xml')"));
  const r4 = await mpc("audit");
  t.is(r4.code, 2);
  t.true(r4.stderr.includes("no file given"));
  for (const r of [r1, r2, r3, r4]) t.false(r.stderr.includes("    at "), "no stack trace");
});

test("a program with errors is not audited: diagnostics and exit 1", async (t) => {
  const broken = file("broken.mpc", "program broken\nparty alice, bob\ninput alice.a : fixed\nreveal a + q as s to bob\n");
  const r = await mpc("audit", broken);
  t.is(r.code, 1);
  t.true(r.stderr.includes(`${broken}:4:`), r.stderr);
  t.true(r.stderr.includes("nothing audited"));
  t.is(r.stdout, "");
});

test("mpc lists the audit command", async (t) => {
  const r = await mpc("--help");
  t.true(/^ {2}audit {6}what each party learns/m.test(r.stdout), r.stdout);
});
