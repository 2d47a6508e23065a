// `mpc keys`, `mpc launch` and `mpc run --party/--dealer` as real, separate OS processes over
// loopback TLS: the outputs equal the in-process run and the plaintext reference, traffic per
// pair equals the compiler's cost, a party killed mid-run stops every other party (and fails
// the dealer) quickly with an error naming the peer and the round (and no outputs are
// written), and a peer running a different plan is refused with both hashes. Spawning node is slow on a loaded machine, so
// the file starts only a handful of deployments.

import test from "ava";
import { execFile, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { planCost } from "../../compiler/cost/cost.js";
import { compileFile } from "../../compiler/pipeline.js";
import { runPlaintext } from "../../compiler/reference/index.js";
import { main as keysMain } from "../../bin/commands/keys.js";
import { main as runParty } from "../../bin/commands/run-party.js";
import { UserError } from "../../grammar/diagnostic.js";
import { runInProcess } from "../../runtime/executor/index.js";
import { fixedBound } from "../../runtime/fixed/index.js";
import { loadInputs, resolveInputs } from "../../runtime/io/index.js";

const ROOT = join(import.meta.dirname, "..", "..");
const MPC = [process.execPath, "--import", "tsx", join(ROOT, "bin", "mpc.ts")];
const run = promisify(execFile);
const tmp = (): string => mkdtempSync(join(tmpdir(), "mpc-launch-test-"));

async function mpc(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(MPC[0]!, [...MPC.slice(1), ...args], { cwd: ROOT, maxBuffer: 1 << 26 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

interface LaunchJson {
  program: string;
  outputs: { name: string; to: string[]; shape: number[]; data: number[]; files: Record<string, { json: string; csv: string }> }[];
  stats: { rounds: number; perPair: { from: string; to: string; messages: number; bytes: number; payloadBytes: number }[] };
}

// tolerance against the float64 reference: sum adds multiples of 2^-16 exactly; average and dot
// multiply by fixed-point encodings (1/3, products truncated), off by a few units in 2^-16
// relative to the value
for (const [file, tolerance] of [
  ["programs/sum.mpc", (_: number) => 0],
  ["programs/average.mpc", (want: number) => 1e-3 + 1e-5 * Math.abs(want)],
  ["programs/dot.mpc", (want: number) => 1e-3 + 1e-5 * Math.abs(want)],
] as const) {
  test(`mpc launch ${file}: separate processes over TLS give the in-process and plaintext results; traffic equals mpc cost`, async (t) => {
    const out = tmp();
    const compiled = compileFile(join(ROOT, file));
    const plan = compiled.plan!;
    const inputs = loadInputs(resolveInputs(join(ROOT, file), plan.program, plan.inputs, []), { fixedBound: fixedBound(plan.precision) });
    // generous timeouts: on a loaded machine a node process can take many seconds to start
    const [r, local] = await Promise.all([mpc("launch", file, "--json", "--out", out, "--connect-timeout", "120"), runInProcess(plan, inputs)]);
    t.is(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout) as LaunchJson;
    const clear = runPlaintext(compiled.checked!, inputs);
    t.is(j.outputs.length, plan.outputs.length);
    for (const o of j.outputs) {
      const want = clear.outputs.find((c) => c.name === o.name)!.value;
      for (const p of o.to) {
        // every receiver's file holds the value; it matches the in-process run and the reference
        const written = JSON.parse(readFileSync(join(out, p, `${o.name}.json`), "utf8")) as { shape: number[]; data: number[] };
        t.deepEqual(written.shape, o.shape);
        const inProc = local.outputs.get(p)!.get(o.name)!.data;
        written.data.forEach((v, i) => {
          // the same protocol: at most a truncation's last bit apart (exact for sum)
          t.true(Math.abs(v - inProc[i]!) <= (tolerance(1) === 0 ? 0 : 2 ** -14), `${p} ${o.name}[${i}]: ${v} vs in-process ${inProc[i]}`);
          t.true(Math.abs(v - want.data[i]!) <= tolerance(want.data[i]!), `${p} ${o.name}[${i}]: ${v} vs plaintext ${want.data[i]}`);
        });
      }
    }
    t.is(j.stats.rounds, plan.rounds);
    const cost = planCost(plan);
    const measured = j.stats.perPair.map((p) => [p.from, p.to, p.messages, p.payloadBytes]).sort();
    t.deepEqual(measured, cost.total.pairs.map((p) => [p.from, p.to, p.messages, p.bytes]).sort());
    // header bytes are counted as in process: the same totals per ordered pair
    t.deepEqual(j.stats.perPair.map((p) => [p.from, p.to, p.messages, p.bytes]).sort(), local.stats.perPair.map((p) => [p.from, p.to, p.messages, p.bytes]).sort());
  });
}

test("mpc keys: a deployment from a program's parties; usage errors exit 2", async (t) => {
  const out = join(tmp(), "keys");
  const saved = console.log;
  let stdout = "";
  console.log = (...xs: unknown[]) => void (stdout += xs.join(" ") + "\n");
  let code: number;
  try {
    code = await keysMain(["--out", out, join(ROOT, "programs", "average.mpc"), "--base-port", "7700"]);
  } finally {
    console.log = saved;
  }
  t.is(code, 0);
  t.regex(stdout, /^deployment keys for north, south, east and the dealer in /);
  const cfg = JSON.parse(readFileSync(join(out, "parties.json"), "utf8"));
  t.is(cfg.program, "average");
  t.deepEqual(Object.entries(cfg.parties).map(([n, e]) => [n, (e as { port: number }).port]), [["north", 7700], ["south", 7701], ["east", 7702]]);
  t.is(cfg.dealer.port, 7703);
  for (const n of ["north", "south", "east", "dealer"]) t.true(existsSync(join(out, `${n}.key`)) && existsSync(join(out, `${n}.crt`)));
  const savedErr = console.error;
  let stderr = "";
  console.error = (...xs: unknown[]) => void (stderr += xs.join(" ") + "\n");
  try {
    t.is(await keysMain(["--parties", "a,b"]), 2);
    t.is(await keysMain(["--out", out, "--parties", "a,b", "--base-port", "70000"]), 2);
  } finally {
    console.error = savedErr;
  }
  t.true(stderr.startsWith("mpc keys: --out DIR is required\n"));
  t.true(stderr.includes("mpc keys: --base-port takes an integer from 1 to 65535, got '70000'\n"));
});

const SLOW = `program slow
party alice, bob, carol

input alice.x : fixed[4]
input bob.y : fixed[4]

var z = x
for i in 0..300 {
  z = z * y
}
reveal z to all
`;

test("a party killed mid-run: every other process stops with an error naming it and the round; nothing is written", async (t) => {
  const dir = tmp();
  writeFileSync(join(dir, "slow.mpc"), SLOW);
  writeFileSync(join(dir, "x.csv"), "1\n2\n3\n4\n");
  writeFileSync(join(dir, "y.csv"), "1\n1\n1\n1\n");
  const keys = await mpc("keys", "--out", join(dir, "keys"), join(dir, "slow.mpc"), "--base-port", String(20000 + Math.floor(Math.random() * 20000)));
  t.is(keys.code, 0, keys.stderr);
  const config = join(dir, "keys", "parties.json");
  const out = join(dir, "out");
  const common = ["--config", config, "--latency", "20", "--parties-timeout", "60", "--connect-timeout", "120", "--out", out];
  const start = (...args: string[]) => {
    const child = spawn(MPC[0]!, [...MPC.slice(1), "run", join(dir, "slow.mpc"), ...args, ...common], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    const p = { child, stderr: "", code: undefined as number | null | undefined, exitedAt: 0 };
    child.stderr.setEncoding("utf8").on("data", (s: string) => (p.stderr += s));
    const exited = new Promise<void>((res) => child.on("exit", (code) => ((p.code = code), (p.exitedAt = performance.now()), res())));
    return { p, exited };
  };
  const dealer = start("--dealer");
  const alice = start("--party", "alice", "--input", `x=${join(dir, "x.csv")}`, "--progress");
  const bob = start("--party", "bob", "--input", `y=${join(dir, "y.csv")}`);
  const carol = start("--party", "carol");
  // wait until the online phase is under way (alice reports loop progress), then kill bob
  const deadline = performance.now() + 120_000;
  while (!/loop at line 8: 3\/300/.test(alice.p.stderr) && performance.now() < deadline && alice.p.code === undefined) await new Promise((r) => setTimeout(r, 50));
  t.regex(alice.p.stderr, /loop at line 8: 3\/300/);
  bob.p.child.kill("SIGKILL");
  const killedAt = performance.now();
  await Promise.all([alice.exited, carol.exited, bob.exited, dealer.exited]);
  // the dealer, idle since its items went out, fails with the run: its exit status is the run's
  t.is(dealer.p.code, 1, dealer.p.stderr);
  t.regex(dealer.p.stderr, /^mpc: error: the dealer (lost the connection to bob while waiting for the end of its run|stopped because \w+ failed: (party \w+ stopped because \w+ failed: )?party \w+ lost the connection to bob .*)$/m);
  for (const [name, p] of [["alice", alice.p], ["carol", carol.p]] as const) {
    t.is(p.code, 1, p.stderr);
    // well within the 60 s receive timeout: the loss was noticed, not waited out
    t.true(p.exitedAt - killedAt < 20_000, `${name} took ${p.exitedAt - killedAt} ms`);
    const err = p.stderr.split("\n").find((l) => l.startsWith("mpc: error: "));
    t.truthy(err, p.stderr);
    t.regex(err!, new RegExp(`^mpc: error: party ${name} (lost the connection to bob (while waiting for round \\d+ \\(plan round \\d+, loop iteration \\d+; nodes [^)]+\\)|after round \\d+)|stopped because \\w+ failed: party \\w+ lost the connection to bob .*)$`));
  }
  t.false(existsSync(out), "no outputs are written by a failed run");
});

test("mpc launch: a party that fails before connecting stops the others at once (not after --connect-timeout), naming it", async (t) => {
  const dir = tmp();
  const bad = join(dir, "v.csv");
  writeFileSync(bad, "abc\n");
  const t0 = performance.now();
  const r = await mpc("launch", "programs/dot.mpc", "--input", `bob.v=${bad}`, "--connect-timeout", "120", "--out", join(dir, "out"));
  t.is(r.code, 1);
  t.is(
    r.stderr,
    "mpc: error: the run failed in 3 of 3 processes; no outputs were written:\n" +
      `  party bob: input bob.v (${bad}): no data rows (only a header line); expected shape [100]\n` +
      "  dealer: stopped by mpc launch 3 s after party bob failed\n" +
      "  party alice: stopped by mpc launch 3 s after party bob failed\n",
  );
  t.true(performance.now() - t0 < 60_000, "well before the 120 s connect timeout");
  t.false(existsSync(join(dir, "out")));
});

test("a party running a different plan is refused by its peer, naming both plan hashes", async (t) => {
  const dir = tmp();
  mkdirSync(join(dir, "other"));
  writeFileSync(join(dir, "other", "dot.mpc"), readFileSync(join(ROOT, "programs", "dot.mpc"), "utf8").replace("reveal u @ v as dot", "reveal 2 * (u @ v) as dot"));
  const keys = await mpc("keys", "--out", join(dir, "keys"), "--parties", "alice,bob", "--base-port", String(20000 + Math.floor(Math.random() * 20000)));
  t.is(keys.code, 0, keys.stderr);
  const config = join(dir, "keys", "parties.json");
  const [a, b] = await Promise.all([
    mpc("run", "programs/dot.mpc", "--party", "alice", "--config", config, "--connect-timeout", "120", "--out", join(dir, "out")),
    mpc("run", join(dir, "other", "dot.mpc"), "--party", "bob", "--config", config, "--input", `v=${join(ROOT, "programs", "data", "dot", "bob.v.csv")}`, "--connect-timeout", "120", "--out", join(dir, "out")),
  ]);
  const ha = compileFile(join(ROOT, "programs", "dot.mpc")).plan!.hash;
  const hb = compileFile(join(dir, "other", "dot.mpc")).plan!.hash;
  t.not(ha, hb);
  const tail = "every party must compile the same program with the same mpc version";
  t.is(a.code, 1);
  t.is(a.stderr, `mpc: error: alice refused the connection with bob: plan mismatch: alice runs program dot with plan ${ha}, bob runs program dot with plan ${hb}; ${tail}\n`);
  t.is(b.code, 1);
  t.is(b.stderr, `mpc: error: bob refused the connection with alice: plan mismatch: bob runs program dot with plan ${hb}, alice runs program dot with plan ${ha}; ${tail}\n`);
  t.false(existsSync(join(dir, "out")));
});

test("a party reads only its own inputs: binding another party's input is refused before anything else", async (t) => {
  await t.throwsAsync(runParty(["programs/dot.mpc", "--party", "alice", "--config", join(tmp(), "missing.json"), "--input", "bob.v=/etc/passwd"]), {
    instanceOf: UserError,
    message: "--input bob.v=/etc/passwd: bob.v is bob's input; party alice reads only its own inputs (alice.u)",
  });
});

test("mpc launch --modules DIR runs the generated modules: the plaintext result; modules of another plan are refused by every process", async (t) => {
  const dir = tmp();
  const file = join(ROOT, "programs", "dot.mpc");
  t.is((await mpc("compile", file, "-o", join(dir, "mods"), "--no-svg")).code, 0);
  const r = await mpc("launch", file, "--modules", join(dir, "mods"), "--json", "--out", join(dir, "out"), "--connect-timeout", "120");
  t.is(r.code, 0, r.stderr);
  const compiled = compileFile(file);
  const inputs = loadInputs(resolveInputs(file, "dot", compiled.plan!.inputs, []), { fixedBound: fixedBound(16) });
  const want = runPlaintext(compiled.checked!, inputs).outputs.find((o) => o.name === "dot")!.value.data[0]!;
  const j = JSON.parse(r.stdout) as LaunchJson;
  const got = j.outputs.find((o) => o.name === "dot")!.data[0]!;
  t.true(Math.abs(got - want) <= 1e-3 + 1e-5 * Math.abs(want), `${got} vs plaintext ${want}`);

  // the same parties, another plan (the result goes to alice only)
  const other = join(dir, "dot.mpc");
  writeFileSync(other, readFileSync(file, "utf8").replace(/reveal u @ v as dot to all/, "reveal u @ v as dot to alice"));
  t.is((await mpc("compile", other, "-o", join(dir, "other"), "--no-svg")).code, 0);
  const refused = await mpc("launch", file, "--modules", join(dir, "other"), "--connect-timeout", "120");
  t.is(refused.code, 1);
  for (const who of ["alice", "bob"]) t.regex(refused.stderr, new RegExp(`the party module of ${who} was generated from plan [0-9a-f]{16}…, but this run's plan is [0-9a-f]{16}…: recompile the program \\(mpc compile\\)`));
  t.regex(refused.stderr, /the dealer module was generated from plan [0-9a-f]{16}…, but this run's plan is/);
});
