// The cache of generated modules behind `mpc run --generated`: a second run of the same
// program finds its modules without generating, a change to the program's text (even a
// comment, which the modules quote) makes new ones, and `mpc run --generated` gives the
// plaintext result.

import test from "ava";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main as runMain } from "../../../bin/commands/run.js";
import { cachedModules } from "../../../compiler/codegen/cache.js";
import { runPlaintext } from "../../../compiler/reference/index.js";
import { example, ROOT } from "./helpers.js";

test("cachedModules: a hit the second time, new modules for new program text", async (t) => {
  const ex = await example("millionaires");
  const source = readFileSync(join(ROOT, ex.file), "utf8");
  const cacheDir = mkdtempSync(join(tmpdir(), "mpc-codegen-cache-"));
  const first = await cachedModules(ex.plan, { source, file: ex.file, cacheDir });
  t.false(first.hit);
  const again = await cachedModules(ex.plan, { source, file: ex.file, cacheDir });
  t.true(again.hit);
  t.is(again.dir, first.dir);
  for (const role of [...ex.plan.parties, "dealer"]) t.true(existsSync(join(first.dir, `${role}.js`)));
  t.true(readFileSync(join(first.dir, "alice.js"), "utf8").includes(ex.plan.hash));
  const edited = await cachedModules(ex.plan, { source: `${source}\n// a new comment\n`, file: ex.file, cacheDir });
  t.false(edited.hit);
  t.not(edited.dir, first.dir);
});

test("mpc run --generated: the parties' generated modules give the plaintext result", async (t) => {
  const ex = await example("sum");
  const saved = console.log;
  let stdout = "";
  console.log = (...xs: unknown[]) => void (stdout += xs.join(" ") + "\n");
  let code: number;
  try {
    code = await runMain([join(ROOT, ex.file), "--generated", "--json", "--out", join(ex.dir, "out")]);
  } finally {
    console.log = saved;
  }
  t.is(code, 0);
  const j = JSON.parse(stdout) as { outputs: { name: string; data: number[] }[] };
  t.is(j.outputs[0]!.data[0], runPlaintext(ex.compiled.checked!, ex.inputs).outputs[0]!.value.data[0]);
});
