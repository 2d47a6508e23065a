// Generated modules as programs: `mpc compile programs/dot.mpc -o DIR`, then `node DIR/alice.js`,
// `node DIR/bob.js` and `node DIR/dealer.js` as separate processes over loopback TLS give the
// plaintext result and the message counts of `mpc cost`; a plan file that is not the module's
// is refused, and so is a binding for another party's input (without reading it).
// Spawning node is slow on a loaded machine: one deployment, generous timeouts.

import test from "ava";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main as compileMain } from "../../../bin/commands/compile.js";
import { main as keysMain } from "../../../bin/commands/keys.js";
import { planCost } from "../../../compiler/cost/cost.js";
import { runPlaintext } from "../../../compiler/reference/index.js";
import { example, ROOT } from "./helpers.js";
import { nodeWithTsx, type Proc, quietly } from "../../helpers/processes.js";

const node = (cwd: string, ...args: string[]): Promise<Proc> => nodeWithTsx(cwd, args);

test("node DIR/<party>.js and DIR/dealer.js over TLS: plaintext result, mpc cost's messages; wrong plan and other parties' inputs refused", async (t) => {
  const ex = await example("dot");
  const dir = mkdtempSync(join(tmpdir(), "mpc-codegen-tls-"));
  const out = join(dir, "out");
  const port = 20000 + Math.floor(Math.random() * 30000);
  t.is(await quietly(() => compileMain([join(ROOT, "programs", "dot.mpc"), "-o", dir, "--no-svg"])), 0);
  t.is(await quietly(() => keysMain(["--out", join(dir, "keys"), "--parties", "alice,bob", "--base-port", String(port)])), 0);
  const config = join(dir, "keys", "parties.json");
  const data = join(ROOT, "programs", "data", "dot");
  const timeouts = ["--connect-timeout", "120", "--parties-timeout", "120"];
  const [alice, bob, dealer] = await Promise.all([
    node(dir, "alice.js", "--config", config, "--input", `u=${join(data, "alice.u.csv")}`, "--out", out, "--json", ...timeouts),
    node(dir, "bob.js", "--config", config, "--input", `v=${join(data, "bob.v.csv")}`, "--out", out, "--json", ...timeouts),
    node(dir, "dealer.js", "--config", config, "--json", ...timeouts),
  ]);
  t.is(alice.code, 0, alice.stderr);
  t.is(bob.code, 0, bob.stderr);
  t.is(dealer.code, 0, dealer.stderr);
  const want = runPlaintext(ex.compiled.checked!, ex.inputs).outputs[0]!.value.data[0]!;
  const cost = planCost(ex.plan);
  for (const [party, r] of [["alice", alice], ["bob", bob]] as const) {
    const j = JSON.parse(r.stdout) as { planHash: string; outputs: { name: string; data: number[] }[]; stats: { rounds: number; sent: { to: string; messages: number }[] } };
    t.is(j.planHash, ex.plan.hash);
    const got = j.outputs.find((o) => o.name === "dot")!.data[0]!;
    t.true(Math.abs(got - want) <= 1e-3 + 1e-5 * Math.abs(want), `${party}: ${got} vs plaintext ${want}`);
    const written = JSON.parse(readFileSync(join(out, party, "dot.json"), "utf8")) as { data: number[] };
    t.is(written.data[0], got);
    t.is(j.stats.rounds, ex.plan.rounds);
    const pairs = cost.total.pairs.filter((p) => p.from === party).map((p) => [p.to, p.messages]);
    t.deepEqual(j.stats.sent.map((s) => [s.to, s.messages]), pairs);
  }

  // a plan file that is not the module's: refused before connecting
  const other = JSON.parse(readFileSync(join(dir, "dot.plan.json"), "utf8")) as { rounds: number };
  other.rounds += 1;
  writeFileSync(join(dir, "edited.plan.json"), JSON.stringify(other));
  const edited = await node(dir, "alice.js", "--config", config, "--input", `u=${join(data, "alice.u.csv")}`, "--plan", join(dir, "edited.plan.json"));
  t.is(edited.code, 1);
  t.regex(edited.stderr, /^alice: .*edited\.plan\.json: the plan's hash does not match its content \(the file was edited or damaged\): recompile the program\n$/);
  // another party's input: refused by name, the file is never opened
  const nosy = await node(dir, "alice.js", "--config", config, "--input", "v=/nonexistent/bob.v.csv");
  t.is(nosy.code, 1);
  t.is(nosy.stderr, "alice: --input v=…: that is bob's input; party alice reads only its own inputs (u)\n");
});
