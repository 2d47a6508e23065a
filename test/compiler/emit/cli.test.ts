// `mpc compile` and `mpc cost` from the command line: files written, exit codes 0 / 1 (a bad
// or unsupported program, rendered diagnostics) / 2 (usage), the cost table and its JSON.

import test from "ava";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { planFromJson } from "../../../compiler/emit/json.js";
import { main as compileMain } from "../../../bin/commands/compile.js";
import { main as costMain } from "../../../bin/commands/cost.js";

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

const dir = mkdtempSync(join(tmpdir(), "mpc-compile-"));
const good = join(dir, "mulsum.mpc");
writeFileSync(
  good,
  [
    "program mulsum",
    "party alice, bob",
    "input alice.x : fixed[10]",
    "input bob.y : fixed[10]",
    "reveal sum(x * y) as s to all",
    "",
  ].join("\n"),
);
const unsupported = join(dir, "cmp.mpc");
// every op runs on secret values now; what is still unsupported is a reveal under a run-time condition
writeFileSync(
  unsupported,
  ["program cmp", "party alice, bob", "input alice.a : fixed[3]", "input bob.b : fixed[3]", "for i in 0..2 {", "  if i == 1 {", "    reveal a - b as r to all", "  }", "}", ""].join("\n"),
);

test("mpc compile writes the plan, the DOT and the SVG and says how many rounds", async (t) => {
  const out = join(dir, "out");
  const r = await mpc("compile", good, "-o", out);
  t.is(r.stderr, "");
  t.is(r.code, 0);
  t.regex(r.stdout, /^compiled mulsum: 2 rounds; wrote /);
  const plan = planFromJson(readFileSync(join(out, "mulsum.plan.json"), "utf8"));
  t.is(plan.rounds, 2);
  t.true(readFileSync(join(out, "mulsum.dot"), "utf8").includes("cluster_party_alice"));
  t.true(existsSync(join(out, "mulsum.svg")));
});

test("mpc compile of an unsupported program: the rendered error, exit 1, nothing written", async (t) => {
  const out = join(dir, "out2");
  const r = await mpc("compile", unsupported, "-o", out);
  t.is(r.code, 1);
  t.is(
    r.stderr,
    [
      `${unsupported}:7:5: error[E1002]: not yet supported: reveal inside a run-time condition (\`r\`)`,
      "  7 |     reveal a - b as r to all",
      "    |     ^^^^^^^^^^^^^^^^^^^^^^^^",
      "  = help: reveal outside the `if` (a reveal inside a loop, not under an `if`, runs at every iteration)",
      "1 error",
      "",
    ].join("\n"),
  );
  t.false(existsSync(join(out, "cmp.plan.json")));
});

test("usage errors exit 2 (in-process: no file is compiled)", async (t) => {
  const errors: string[] = [];
  const saved = console.error;
  console.error = (...a: unknown[]) => void errors.push(a.join(" "));
  try {
    t.is(await compileMain([good]), 2);
    t.is(await compileMain(["-o", dir]), 2);
    t.is(await compileMain([good, "-o", dir, "--frobnicate"]), 2);
    t.is(await costMain([good, "--latency", "fast"]), 2);
    t.is(await costMain([good, "--bandwidth", "0"]), 2);
    t.is(await costMain([good, "--frobnicate"]), 2);
  } finally {
    console.error = saved;
  }
  t.deepEqual(errors, [
    "mpc compile: no output directory (-o DIR)\nusage: mpc compile FILE -o DIR [--expand-loops] [--no-svg] [--print]",
    "mpc compile: no file given\nusage: mpc compile FILE -o DIR [--expand-loops] [--no-svg] [--print]",
    "mpc compile: unknown option '--frobnicate'\nusage: mpc compile FILE -o DIR [--expand-loops] [--no-svg] [--print]",
    "mpc cost: --latency needs a non-negative number, got 'fast'\nusage: mpc cost FILE [--latency MS] [--bandwidth MBIT] [--json]",
    "mpc cost: --bandwidth needs a positive number, got '0'\nusage: mpc cost FILE [--latency MS] [--bandwidth MBIT] [--json]",
    "mpc cost: unknown option '--frobnicate'\nusage: mpc cost FILE [--latency MS] [--bandwidth MBIT] [--json]",
  ]);
});

test("mpc cost prints the table with the wall time; --json the same numbers", async (t) => {
  const r = await mpc("cost", good, "--latency", "50", "--bandwidth", "100");
  t.is(r.code, 0);
  t.regex(r.stdout, /rounds: 2 {3}messages: 4/);
  t.regex(r.stdout, /estimated wall time at 50 ms latency, 100 Mbit\/s per link:/);
  t.regex(r.stdout, /online {2}100\.\d+ ms/);
  const j = await mpc("cost", good, "--json", "--latency=50", "--bandwidth=100");
  t.is(j.code, 0);
  const data = JSON.parse(j.stdout) as { ok: boolean; cost: { total: { rounds: number; bytes: number } }; estimate: { onlineMs: number } };
  t.true(data.ok);
  t.is(data.cost.total.rounds, 2);
  // Round 0: the private matmul's masked operand, 10 elements; round 1: the 1-element reveal;
  // both directions.
  t.is(data.cost.total.bytes, 2 * 8 * (10 + 1));
  t.is(data.estimate.onlineMs, 100 + (8 * 11) / 12500);
});

test("mpc cost of an unsupported program exits 1 with the diagnostics", async (t) => {
  const written: string[] = [];
  const saved = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string) => {
    written.push(String(chunk));
    return true;
  }) as typeof process.stderr.write;
  try {
    t.is(await costMain([unsupported]), 1);
  } finally {
    process.stderr.write = saved;
  }
  t.regex(written.join(""), /error\[E1002\]: not yet supported: reveal inside a run-time condition/);
});
