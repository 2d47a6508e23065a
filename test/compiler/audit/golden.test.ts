// Golden audit reports for the example programs. Each file under golden/ starts with a header
// (lines beginning with `#`, ending with `# ---`) that records what was checked by hand, then
// the exact text report of `mpc audit --no-plan programs/<name>.mpc`. The plan-independent form
// keeps these goldens about the audit, not about the scheduler (plan views are tested in
// plan-view.test.ts).
//
// After a deliberate change: UPDATE_AUDIT_GOLDEN=1 npx ava test/compiler/audit/golden.test.ts
// rewrites the report bodies (headers are kept) — then re-review every changed finding and
// update the header.

import test from "ava";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { checkFile } from "../../../compiler/frontend.js";
import { renderAudit, runAudit } from "../../../compiler/audit/index.js";

const dir = new URL("./golden/", import.meta.url);
const update = process.env["UPDATE_AUDIT_GOLDEN"] === "1";
const SEPARATOR = "# ---\n";

for (const name of readdirSync(dir).filter((f) => f.endsWith(".txt")).sort()) {
  const program = `programs/${name.replace(/\.txt$/, ".mpc")}`;
  test(`audit report of ${program} matches its reviewed golden`, (t) => {
    const file = new URL(name, dir);
    const golden = readFileSync(file, "utf8");
    const cut = golden.indexOf(SEPARATOR);
    t.true(cut > 0, `${name} has no reviewed header ending in "${SEPARATOR.trim()}"`);
    const header = golden.slice(0, cut + SEPARATOR.length);
    const front = checkFile(program);
    if (!front.program) return t.fail(`${program} does not check`);
    const run = runAudit(front.program, { source: front.source, plan: { unavailable: "not requested (--no-plan)" } });
    const text = renderAudit(run, "text", front.source);
    if (update) writeFileSync(file, header + text);
    t.is(text, golden.slice(cut + SEPARATOR.length));
  });
}
