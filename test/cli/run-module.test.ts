// Generated modules shipped to a party's machine: `mpc compile` writes them into one folder, the
// modules and the plan are COPIED to another folder (a different path; the first is deleted),
// and there they run over loopback TLS with the mpc "installed" there: by `mpc run --party P
// --module P.js` / `--dealer --module dealer.js`, and by `node P.js` resolving the runtime as the
// package `mpc` (node_modules/mpc, its "exports") when the generating mpc's path does not exist.
// The outputs equal the plaintext reference; a module of another plan, another party's module,
// a party module given to the dealer and a module copied without its package.json are refused
// with exact messages; with neither runtime present, `node P.js` says so, naming both.
// Spawning node is slow on a loaded machine: two deployments, generous timeouts.

import test from "ava";
import { execFile } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { main as compileMain } from "../../bin/commands/compile.js";
import { main as keysMain } from "../../bin/commands/keys.js";
import { main as runParty } from "../../bin/commands/run-party.js";
import { compileFile } from "../../compiler/pipeline.js";
import { runPlaintext } from "../../compiler/reference/index.js";
import { UserError } from "../../grammar/diagnostic.js";
import { fixedBound } from "../../runtime/fixed/index.js";
import { loadInputs, resolveInputs } from "../../runtime/io/index.js";

const ROOT = join(import.meta.dirname, "..", "..");
const TSX = pathToFileURL(join(ROOT, "node_modules", "tsx", "dist", "loader.mjs")).href;
const exec = promisify(execFile);
const tmp = (what: string): string => mkdtempSync(join(tmpdir(), `mpc-ship-${what}-`));
const DATA = join(ROOT, "programs", "data", "dot");
const TIMEOUTS = ["--connect-timeout", "120", "--parties-timeout", "120"];

interface Proc {
  code: number;
  stdout: string;
  stderr: string;
}

async function node(cwd: string, args: string[]): Promise<Proc> {
  try {
    const r = await exec(process.execPath, ["--import", TSX, ...args], { cwd, timeout: 180_000 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as Proc;
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

/** `mpc …` from the source tree (this machine's mpc), run from `cwd`. */
const mpc = (cwd: string, ...args: string[]): Promise<Proc> => node(cwd, [join(ROOT, "bin", "mpc.ts"), ...args]);

async function quietly<T>(f: () => Promise<T>): Promise<T> {
  const saved = console.log;
  console.log = () => undefined;
  try {
    return await f();
  } finally {
    console.log = saved;
  }
}

/** Compile programs/dot.mpc into a folder, copy what a deployment ships (the three modules,
 *  the plan and the package.json saying they are ES modules) to a fresh folder, delete the
 *  first. `runtime` rewrites the generating mpc's RUNTIME in the copies (another machine). */
async function shipped(runtime?: string): Promise<string> {
  const gen = tmp("gen");
  t0(await quietly(() => compileMain([join(ROOT, "programs", "dot.mpc"), "-o", gen, "--no-svg"])));
  const ship = tmp("ship");
  for (const f of ["alice.js", "bob.js", "dealer.js", "dot.plan.json", "package.json"]) {
    const text = readFileSync(join(gen, f), "utf8");
    writeFileSync(join(ship, f), runtime === undefined ? text : text.replace(/^const RUNTIME = ".*";$/m, `const RUNTIME = ${JSON.stringify(runtime)};`));
  }
  rmSync(gen, { recursive: true });
  return ship;
}

function t0(code: number): void {
  if (code !== 0) throw new Error(`mpc exited ${code}`);
}

async function keys(dir: string): Promise<string> {
  const port = 20000 + Math.floor(Math.random() * 30000);
  t0(await quietly(() => keysMain(["--out", join(dir, "keys"), "--parties", "alice,bob", "--base-port", String(port)])));
  return join(dir, "keys", "parties.json");
}

/** dot's plaintext result (float64) and the tolerance of a fixed-point product of 100 terms. */
function reference(): { want: number; tolerance: number } {
  const compiled = compileFile(join(ROOT, "programs", "dot.mpc"));
  const plan = compiled.plan!;
  const inputs = loadInputs(resolveInputs(join(ROOT, "programs", "dot.mpc"), plan.program, plan.inputs, []), { fixedBound: fixedBound(plan.precision) });
  const want = runPlaintext(compiled.checked!, inputs).outputs[0]!.value.data[0]!;
  return { want, tolerance: 1e-3 + 1e-5 * Math.abs(want) };
}

const planHash = (dir: string): string => (JSON.parse(readFileSync(join(dir, "dot.plan.json"), "utf8")) as { hash: string }).hash;

test("modules copied to another folder run with `mpc run --party/--dealer --module` over TLS: the plaintext result", async (t) => {
  const ship = await shipped();
  const config = await keys(ship);
  const out = join(ship, "out");
  const [alice, bob, dealer] = await Promise.all([
    mpc(ship, "run", "--party", "alice", "--module", join(ship, "alice.js"), "--config", config, "--input", `u=${join(DATA, "alice.u.csv")}`, "--out", out, "--json", ...TIMEOUTS),
    mpc(ship, "run", "--party", "bob", "--module", "bob.js", "--config", config, "--input", `v=${join(DATA, "bob.v.csv")}`, "--out", out, "--json", ...TIMEOUTS),
    mpc(ship, "run", "--dealer", "--module", "dealer.js", "--config", config, "--json", ...TIMEOUTS),
  ]);
  t.is(alice.code, 0, alice.stderr);
  t.is(bob.code, 0, bob.stderr);
  t.is(dealer.code, 0, dealer.stderr);
  const { want, tolerance } = reference();
  for (const [party, r, module] of [["alice", alice, join(ship, "alice.js")], ["bob", bob, "bob.js"]] as const) {
    const j = JSON.parse(r.stdout) as { planHash: string; party: string; module: string; outputs: { name: string; data: number[] }[] };
    t.is(j.planHash, planHash(ship));
    t.is(j.party, party);
    t.is(j.module, module);
    const got = j.outputs.find((o) => o.name === "dot")!.data[0]!;
    t.true(Math.abs(got - want) <= tolerance, `${party}: ${got} vs plaintext ${want}`);
    t.is((JSON.parse(readFileSync(join(out, party, "dot.json"), "utf8")) as { data: number[] }).data[0], got);
  }
  t.is((JSON.parse(dealer.stdout) as { planHash: string }).planHash, planHash(ship));
});

test("node <party>.js on a machine without the generating mpc: the runtime comes from the mpc package installed there", async (t) => {
  // the generating mpc's path does not exist here; the mpc package does (node_modules/mpc, its
  // source through the "mpc-source" condition of its exports, as no dist/ is built in tests)
  const gone = "file:///nonexistent/mpc/runtime/executor/module-main.js";
  const ship = await shipped(gone);
  const config = await keys(ship);
  const out = join(ship, "out");
  // without the package: neither runtime resolves, and the module says so, naming both
  const missing = await node(ship, ["alice.js", "--config", config]);
  t.is(missing.code, 1);
  t.is(
    missing.stderr,
    `alice: cannot find the mpc runtime: mpc/runtime/executor/module-main.js does not resolve from this folder (install mpc: npm install mpc) and ${gone} ` +
      "(the mpc that generated this module) does not exist; or run it with mpc installed anywhere: mpc run --party alice --module alice.js --config parties.json …\n",
  );
  mkdirSync(join(ship, "node_modules"));
  symlinkSync(ROOT, join(ship, "node_modules", "mpc"), "dir");
  const run = (file: string, ...args: string[]): Promise<Proc> => node(ship, ["--conditions=mpc-source", file, "--config", config, "--json", ...TIMEOUTS, ...args]);
  const [alice, bob, dealer] = await Promise.all([
    run("alice.js", "--input", `u=${join(DATA, "alice.u.csv")}`, "--out", out),
    run("bob.js", "--input", `v=${join(DATA, "bob.v.csv")}`, "--out", out),
    run("dealer.js"),
  ]);
  t.is(alice.code, 0, alice.stderr);
  t.is(bob.code, 0, bob.stderr);
  t.is(dealer.code, 0, dealer.stderr);
  const { want, tolerance } = reference();
  for (const [party, r] of [["alice", alice], ["bob", bob]] as const) {
    const j = JSON.parse(r.stdout) as { planHash: string; outputs: { name: string; data: number[] }[] };
    t.is(j.planHash, planHash(ship));
    const got = j.outputs.find((o) => o.name === "dot")!.data[0]!;
    t.true(Math.abs(got - want) <= tolerance, `${party}: ${got} vs plaintext ${want}`);
  }
});

test("--module refuses a module of another plan, another party's module, the wrong role, and a module without its package.json", async (t) => {
  const ship = await shipped();
  const config = await keys(ship);
  // another plan: the same parties, the product revealed to alice only
  const other = tmp("other");
  writeFileSync(join(other, "dot.mpc"), readFileSync(join(ROOT, "programs", "dot.mpc"), "utf8").replace("as dot to all", "as dot to alice"));
  t0(await quietly(() => compileMain([join(other, "dot.mpc"), "-o", other, "--no-svg", "--no-modules"])));
  const mine = planHash(ship).slice(0, 16);
  const theirs = planHash(other).slice(0, 16);
  t.not(mine, theirs);
  const alice = join(ship, "alice.js");
  const refused = (argv: string[], message: string, exitCode = 1) =>
    t.throwsAsync(
      () => runParty(argv),
      { instanceOf: UserError, message },
    ).then((e) => t.is(e?.exitCode, exitCode));

  // the plan given as a file
  await refused(
    ["--party", "alice", "--module", alice, "--plan", join(other, "dot.plan.json"), "--config", config],
    `${join(other, "dot.plan.json")} is plan ${theirs}…, but the module was generated from plan ${mine}…: recompile the program (mpc compile)`,
  );
  // the plan compiled here from the program
  await refused(
    [join(other, "dot.mpc"), "--party", "alice", "--module", alice, "--config", config],
    `the party module of alice was generated from plan ${mine}…, but this run's plan is ${theirs}…: recompile the program (mpc compile)`,
  );
  await refused(
    ["--dealer", "--module", join(ship, "dealer.js"), "--plan", join(other, "dot.plan.json"), "--config", config],
    `${join(other, "dot.plan.json")} is plan ${theirs}…, but the module was generated from plan ${mine}…: recompile the program (mpc compile)`,
  );
  // another party's module, and the wrong role
  await refused(
    ["--party", "bob", "--module", alice, "--config", config],
    `--module ${alice} is the module of party alice, not party bob's: each party runs its own module (bob.js)`,
    2,
  );
  await refused(["--dealer", "--module", alice, "--config", config], `--module ${alice} is the module of party alice, not the dealer's (run it with --party alice)`, 2);
  await refused(
    ["--party", "alice", "--module", join(ship, "dealer.js"), "--config", config],
    `--module ${join(ship, "dealer.js")} is the dealer's module, not party alice's: each party runs its own module (alice.js)`,
    2,
  );
  // copied without the package.json that makes node load it as an ES module
  const bare = tmp("bare");
  copyFileSync(alice, join(bare, "alice.js"));
  await refused(
    ["--party", "alice", "--module", join(bare, "alice.js"), "--config", config],
    `${join(bare, "alice.js")}: node loads this file as CommonJS: put the package.json that mpc compile writes next to the modules ({"type": "module"}) in its folder`,
  );
  await refused(["--party", "alice", "--module", join(bare, "nope.js"), "--config", config], `cannot read the module ${join(bare, "nope.js")}: file not found`);
  // usage: --plan only goes with --module
  const saved = console.error;
  let stderr = "";
  console.error = (...xs: unknown[]) => void (stderr += xs.join(" ") + "\n");
  try {
    t.is(await runParty([join(ROOT, "programs", "dot.mpc"), "--party", "alice", "--plan", join(ship, "dot.plan.json"), "--config", config]), 2);
    t.is(await runParty(["--party", "alice", "--config", config]), 2);
  } finally {
    console.error = saved;
  }
  t.true(stderr.startsWith("mpc run: --plan goes with --module (without it, the plan is the program FILE's)\n"), stderr);
  t.true(stderr.includes("mpc run: no program file given\n"), stderr);
});
