import test from "ava";
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { main as runMain } from "../../bin/commands/run.js";
import { UserError } from "../../grammar/diagnostic.js";

const ROOT = join(import.meta.dirname, "..", "..");
const run = promisify(execFile);

/** Run `mpc ARGS` from the repository root; never rejects. */
async function mpc(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, ["--import", "tsx", join(ROOT, "bin", "mpc.ts"), ...args], { cwd: ROOT });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

/** Run `mpc run ARGS` in this process (as bin/mpc.ts would: a UserError prints
 *  `mpc: error: …` and exits with its code), capturing stdout and stderr. Tests that use it
 *  run serially, since it swaps the console. */
async function mpcRunHere(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const saved = { log: console.log, error: console.error, write: process.stderr.write };
  console.log = (...xs: unknown[]) => void (stdout += xs.join(" ") + "\n");
  console.error = (...xs: unknown[]) => void (stderr += xs.join(" ") + "\n");
  process.stderr.write = ((chunk: string) => ((stderr += chunk), true)) as typeof process.stderr.write;
  try {
    const code = await runMain(args);
    return { code, stdout, stderr };
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    return { code: e.exitCode, stdout, stderr: stderr + `mpc: error: ${e.message}\n` };
  } finally {
    console.log = saved.log;
    console.error = saved.error;
    process.stderr.write = saved.write;
  }
}

const tmp = (): string => mkdtempSync(join(tmpdir(), "mpc-run-"));

/** The one number in a data file (after its header line), read without runtime/io. */
function cell(path: string): number {
  const lines = readFileSync(path, "utf8").trim().split("\n");
  return Number(lines[lines.length - 1]);
}

const SUM_PARTIES = [
  ["alice", "a"],
  ["bob", "b"],
  ["carol", "c"],
  ["dave", "d"],
] as const;

test("mpc run --plaintext programs/sum.mpc writes the total for every party", async (t) => {
  const out = tmp();
  const r = await mpc("run", "--plaintext", "programs/sum.mpc", "--out", out);
  t.is(r.stderr, "");
  t.is(r.code, 0);
  const expected = SUM_PARTIES.reduce((s, [p, i]) => s + cell(join(ROOT, "programs", "data", "sum", `${p}.${i}.csv`)), 0);
  for (const [p] of SUM_PARTIES) {
    t.deepEqual(JSON.parse(readFileSync(join(out, p, "total.json"), "utf8")), { shape: [], data: [expected] }, p);
    t.is(readFileSync(join(out, p, "total.csv"), "utf8"), `${expected}\n`, p);
  }
  t.true(r.stdout.includes(`total: fixed -> alice, bob, carol, dave\n  ${expected}\n`), r.stdout);
  t.true(r.stdout.includes(`outputs written to ${out}/<party>/<name>.json and .csv`));
});

test("mpc run programs/sum.mpc (secure, in process) gives the same total and reports traffic", async (t) => {
  const out = tmp();
  const r = await mpc("run", "programs/sum.mpc", "--out", out);
  t.is(r.code, 0, r.stderr);
  const expected = SUM_PARTIES.reduce((s, [p, i]) => s + cell(join(ROOT, "programs", "data", "sum", `${p}.${i}.csv`)), 0);
  for (const [p] of SUM_PARTIES) {
    const got = JSON.parse(readFileSync(join(out, p, "total.json"), "utf8")) as { shape: number[]; data: number[] };
    t.deepEqual(got.shape, []);
    // The inputs are multiples of 2^-16, so fixed point adds them exactly.
    t.is(got.data[0], expected, p);
  }
  t.true(r.stdout.includes("program sum: ran securely, 4 parties and a dealer in this process"), r.stdout);
  t.regex(r.stdout, /\ntraffic per party pair:\n  alice -> bob {4}\d+ messages?, \d+ B\n/);
});

test("secure and plaintext runs of linear_regression_inference agree within fixed-point error", async (t) => {
  const dir = tmp();
  type Out = { outputs: { name: string; to: string[]; shape: number[]; data: number[] }[] };
  const [secure, clear] = await Promise.all([
    mpc("run", "--json", "programs/linear_regression_inference.mpc", "--out", join(dir, "s")),
    mpc("run", "--json", "--plaintext", "programs/linear_regression_inference.mpc", "--out", join(dir, "p")),
  ]);
  t.is(secure.code, 0, secure.stderr);
  t.is(clear.code, 0, clear.stderr);
  const s = (JSON.parse(secure.stdout) as Out).outputs[0]!;
  const p = (JSON.parse(clear.stdout) as Out).outputs[0]!;
  t.deepEqual([s.name, s.to, s.shape], ["prediction", ["hospital"], [442, 1]]);
  t.deepEqual([p.name, p.to, p.shape], ["prediction", ["hospital"], [442, 1]]);
  // Inputs are rounded to 2^-16 and the products truncated: 10 terms of |x w| <= ~2000.
  const worst = Math.max(...s.data.map((v, i) => Math.abs(v - p.data[i]!)));
  t.true(worst < 0.01, `largest difference ${worst}`);
});

test.serial("--input binds a file, --json reports the outputs", async (t) => {
  const dir = tmp();
  writeFileSync(join(dir, "d.json"), "1000");
  const r = await mpcRunHere("--plaintext", "--json", "programs/sum.mpc", "--out", join(dir, "out"), "--input", `dave.d=${join(dir, "d.json")}`);
  t.is(r.code, 0, r.stderr);
  const others = SUM_PARTIES.slice(0, 3).reduce((s, [p, i]) => s + cell(join(ROOT, "programs", "data", "sum", `${p}.${i}.csv`)), 0);
  const j = JSON.parse(r.stdout) as { program: string; mode: string; outputs: { name: string; to: string[]; shape: number[]; data: number[] }[] };
  t.is(j.program, "sum");
  t.is(j.mode, "plaintext");
  t.deepEqual(
    j.outputs.map((o) => [o.name, o.to, o.shape, o.data]),
    [["total", ["alice", "bob", "carol", "dave"], [], [others + 1000]]],
  );
});

test("bad data is a clear error with its position, exit 1, no stack trace", async (t) => {
  const dir = tmp();
  writeFileSync(join(dir, "a.csv"), "a\n12x\n");
  const r = await mpc("run", "--plaintext", "programs/sum.mpc", "--out", join(dir, "out"), "--input", `alice.a=${join(dir, "a.csv")}`);
  t.is(r.code, 1);
  t.is(r.stderr, `mpc: error: input alice.a (${join(dir, "a.csv")}): line 2, column 1: '12x' is not a number\n`);
});

test.serial("inputs with no data are listed with the flag to pass", async (t) => {
  const dir = tmp();
  writeFileSync(join(dir, "p.mpc"), "program p\nparty alice, bob\ninput alice.a : fixed\ninput bob.b : fixed[2]\nreveal a + b as s to all\n");
  mkdirSync(join(dir, "data", "p"), { recursive: true });
  writeFileSync(join(dir, "data", "p", "bob.b.csv"), "1,2\n");
  const r = await mpcRunHere("--plaintext", join(dir, "p.mpc"));
  t.is(r.code, 1);
  t.is(
    r.stderr,
    `mpc: error: no data for 1 input of program p:\n  alice.a: pass --input alice.a=PATH, or create ${join(dir, "data", "p", "alice.a.csv")}\n(files may be .csv, .json or .npy)\n`,
  );
});

test.serial("a program with errors prints its diagnostics and exits 1", async (t) => {
  const dir = tmp();
  writeFileSync(join(dir, "bad.mpc"), "program bad\nparty alice\ninput alice.a : fixed\nreveal a + q as s to alice\n");
  const r = await mpcRunHere("--plaintext", join(dir, "bad.mpc"));
  t.is(r.code, 1);
  t.true(r.stderr.startsWith(`${join(dir, "bad.mpc")}:4:12: error[`), r.stderr);
  t.true(r.stderr.endsWith("1 error\n"), r.stderr);
});

test.serial("--progress reports each iteration of a top-level loop on stderr", async (t) => {
  const dir = tmp();
  writeFileSync(join(dir, "loopy.mpc"), "program loopy\nparty alice\ninput alice.a : fixed\nvar acc = 0.0\nfor i in 0..3 {\n  acc = acc + a\n}\nreveal acc to alice\n");
  mkdirSync(join(dir, "data", "loopy"), { recursive: true });
  writeFileSync(join(dir, "data", "loopy", "alice.a.csv"), "2.5\n");
  const r = await mpcRunHere("--plaintext", "--progress", join(dir, "loopy.mpc"), "--out", join(dir, "out"));
  t.is(r.code, 0, r.stderr);
  // the loop variable and line, the count, the elapsed time and the time left (times vary)
  const time = String.raw`\d+(\.\d+)? m?s`;
  t.regex(
    r.stderr,
    new RegExp(
      `^\\[loopy\\] i \\(line 5\\) 1/3: ${time} elapsed, estimating time left\n` +
        `\\[loopy\\] i \\(line 5\\) 2/3: ${time} elapsed, about ${time} left\n` +
        `\\[loopy\\] i \\(line 5\\) 3/3: ${time} elapsed, done\n$`,
    ),
  );
  t.deepEqual(JSON.parse(readFileSync(join(dir, "out", "alice", "acc.json"), "utf8")), { shape: [], data: [7.5] });
  // Without --progress (stderr is not a terminal here) nothing is printed.
  const quiet = await mpcRunHere("--plaintext", join(dir, "loopy.mpc"), "--out", join(dir, "out"));
  t.is(quiet.stderr, "");
});

test.serial("usage errors exit 2", async (t) => {
  const none = await mpcRunHere();
  t.is(none.code, 2);
  t.true(none.stderr.startsWith("mpc run: no program file given\nusage: mpc run FILE"), none.stderr);
  const unknown = await mpcRunHere("programs/sum.mpc", "--fast");
  t.is(unknown.code, 2);
  t.true(unknown.stderr.startsWith("mpc run: unknown option '--fast'"), unknown.stderr);
  const badInput = await mpcRunHere("--plaintext", "programs/sum.mpc", "--input", "zed=1.csv");
  t.is(badInput.code, 2);
  t.is(badInput.stderr, "mpc: error: --input 'zed=1.csv': program sum has no input zed (its inputs: alice.a, bob.b, carol.c, dave.d)\n");
});
