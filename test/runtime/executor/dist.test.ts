// The compiled (dist/) runtime runs plans too: worker threads start from worker.js with no
// TypeScript loader. The test compiles the project with the build config into a temporary
// directory (the native tsc takes about a second) and runs a plan there in a plain node
// child process.

import test from "ava";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { mulSecret, revealTo } from "../../../runtime/protocols/spec/arithmetic.js";
import { buildPlan } from "./plans.js";

const root = fileURLToPath(new URL("../../../", import.meta.url));

test("runInProcess from the compiled JavaScript (worker.js, no tsx)", (t) => {
  const out = mkdtempSync(join(tmpdir(), "mpc-dist-"));
  try {
    // type errors elsewhere in the tree do not stop tsc from emitting; only our output matters
    try {
      execFileSync(join(root, "node_modules/.bin/tsc"), ["-p", join(root, "tsconfig.build.json"), "--outDir", out], { cwd: root, stdio: "pipe" });
    } catch {
      // tsc exits non-zero on any type error in the tree; the emitted files are checked below
    }
    symlinkSync(join(root, "node_modules"), join(out, "node_modules"));
    writeFileSync(join(out, "package.json"), JSON.stringify({ type: "module" }));
    const parties = ["alice", "bob", "carol"];
    const plan = buildPlan(parties, [{ party: "alice", name: "x", shape: [3] }, { party: "bob", name: "y", shape: [3] }], (b, [x, y]) => {
      const z = mulSecret(b, b.share(x!, "alice"), b.share(y!, "bob"), { elem: "fixed", shape: [3] });
      b.output(revealTo(b, z, ["carol"]), "z", ["carol"]);
    });
    writeFileSync(join(out, "plan.json"), JSON.stringify(plan));
    const script = `
      import { readFileSync } from "node:fs";
      import { runInProcess } from "./runtime/executor/index.js";
      const plan = JSON.parse(readFileSync(new URL("./plan.json", import.meta.url), "utf8"));
      const t = (d) => ({ data: Float64Array.from(d), shape: [3] });
      const r = await runInProcess(plan, new Map([["alice.x", t([1.5, -2, 3])], ["bob.y", t([2, 0.25, -1])]]));
      console.log(JSON.stringify([...r.outputs.get("carol").get("z").data]));
    `;
    writeFileSync(join(out, "run.mjs"), script);
    const stdout = execFileSync(process.execPath, [join(out, "run.mjs")], { cwd: out, encoding: "utf8", timeout: 60_000 });
    const z = JSON.parse(stdout.trim()) as number[];
    [3, -0.5, -3].forEach((w, i) => t.true(Math.abs(z[i]! - w) < 1e-4, `z[${i}] = ${z[i]}`));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
