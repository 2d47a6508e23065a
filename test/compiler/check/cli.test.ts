// `mpc check` from the command line: exit codes 0 (clean), 1 (errors), 2 (usage, unreadable
// file), the exact rendered output of a bad program, the summary, and `mpc explain`.

import test from "ava";
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = new URL("../../../", import.meta.url).pathname;

function mpc(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ["--import", "tsx", "bin/mpc.ts", ...args], { cwd: root, env: { ...process.env, NO_COLOR: "1" } });
    let stdout = "";
    let stderr = "";
    p.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    p.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    p.on("error", reject);
    p.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

const dir = mkdtempSync(join(tmpdir(), "mpc-check-"));
const bad = join(dir, "bad.mpc");
writeFileSync(bad, "program bad\nparty a, b\ninput a.x : fixed[3, 4]\nlet z = x + zeros(5)\nreveal z to c\n");

test("a bad program: rendered diagnostics on stderr, an error count, exit 1", async (t) => {
  const r = await mpc("check", bad);
  t.is(r.code, 1);
  t.is(r.stdout, "");
  t.is(
    r.stderr,
    [
      `${bad}:4:11: error[E0300]: cannot add fixed[3, 4] and fixed[5]`,
      "  4 | let z = x + zeros(5)",
      "    |           ^",
      "  = help: shapes [3, 4] and [5] do not broadcast: dimension 4 vs 5 (axis -1); each pair must be equal or 1",
      `${bad}:5:13: error[E0800]: unknown party \`c\``,
      "  5 | reveal z to c",
      "    |             ^",
      "  = help: the parties are a, b",
      "2 errors",
      "",
    ].join("\n"),
  );
});

test("a good program: a summary of parties, inputs and reveals, exit 0", async (t) => {
  const r = await mpc("check", "programs/feature_aggregation.mpc");
  t.is(r.code, 0, r.stderr);
  t.is(
    r.stdout,
    [
      "programs/feature_aggregation.mpc: program `feature_aggregation` is well-formed (fixed point with 16 fractional bits)",
      "  parties: hospital_a, hospital_b",
      "  inputs:",
      "    hospital_a.xa  fixed[569, 15]  private(hospital_a)",
      "    hospital_b.xb  fixed[569, 15]  private(hospital_b)",
      "    hospital_b.y   fixed[569, 1]   private(hospital_b)",
      "  reveals:",
      "    w: fixed[30, 1], secret -> hospital_a, hospital_b",
      "    b: fixed, secret -> hospital_a, hospital_b",
      "",
    ].join("\n"),
  );
});

test("--json prints the summary as JSON", async (t) => {
  const r = await mpc("check", "programs/millionaires.mpc", "--json");
  t.is(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { ok: boolean; summary: { parties: string[]; reveals: { name: string; visibility: string; to: string[] }[] } };
  t.true(out.ok);
  t.deepEqual(out.summary.parties, ["alice", "bob"]);
  t.deepEqual(
    out.summary.reveals.map((x) => [x.name, x.visibility, x.to]),
    [["alice_is_poorer", "secret", ["alice", "bob"]]],
  );
});

test("--json on a bad program prints the diagnostics as JSON and exits 1", async (t) => {
  const r = await mpc("check", bad, "--json");
  t.is(r.code, 1);
  const out = JSON.parse(r.stdout) as { ok: boolean; diagnostics: { code: string; span: { line: number; col: number } }[] };
  t.false(out.ok);
  t.deepEqual(
    out.diagnostics.map((d) => `${d.span.line}:${d.span.col} ${d.code}`),
    ["4:11 E0300", "5:13 E0800"],
  );
});

test("usage errors and unreadable files exit 2 without a stack trace", async (t) => {
  const none = await mpc("check");
  t.is(none.code, 2);
  t.is(none.stderr, "mpc check: no file given\nusage: mpc check FILE [--json]\n");
  const flag = await mpc("check", "--fast", "programs/sum.mpc");
  t.is(flag.code, 2);
  t.is(flag.stderr, "mpc check: unknown option '--fast'\nusage: mpc check FILE [--json]\n");
  const missing = await mpc("check", join(dir, "nope.mpc"));
  t.is(missing.code, 2);
  t.is(missing.stderr, `mpc: error: cannot read ${join(dir, "nope.mpc")}: no such file\n`);
});

test("mpc explain prints a catalogue entry; unknown codes exit 2", async (t) => {
  const r = await mpc("explain", "e0300");
  t.is(r.code, 0);
  t.true(r.stdout.startsWith("E0300: shapes do not broadcast\n\nElementwise operators broadcast as in NumPy"));
  const u = await mpc("explain", "E0399");
  t.is(u.code, 2);
  t.regex(u.stderr, /^mpc explain: unknown code 'E0399' \(did you mean E03\d\d\?\)/);
});
