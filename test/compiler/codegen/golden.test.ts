// The generated module of one small program, as a reviewed golden file: alice's part of
// programs/dot.mpc (test/compiler/codegen/golden/dot.alice.ts.golden). Reviewed by hand for
// what a security reviewer at alice needs: alice's own input only; bob's input appears only as
// alice's seeded share of it; every step under the program line it implements; the Beaver
// matmul's masked operands are the only shares alice sends (one round), then the result is
// opened to both; names from the program (dot_*); the plan hash; the command line.
// The runtime's path differs between machines and the mpc version between releases: both are
// replaced by placeholders.
// After a deliberate change: UPDATE_CODEGEN_GOLDEN=1 npx ava test/compiler/codegen/golden.test.ts,
// then review the diff of the golden file.

import test from "ava";
import { readFileSync, writeFileSync } from "node:fs";
import { example } from "./helpers.js";

const file = new URL("./golden/dot.alice.ts.golden", import.meta.url);

test("alice's generated module for programs/dot.mpc matches its reviewed golden", async (t) => {
  const ex = await example("dot");
  const text = ex.generated.modules.find((m) => m.role === "alice")!.ts
    .replace(/^const RUNTIME = ".*";$/m, 'const RUNTIME = "<mpc runtime>";')
    .replace(/^export const MPC_VERSION = ".*";$/m, 'export const MPC_VERSION = "<mpc version>";');
  if (process.env["UPDATE_CODEGEN_GOLDEN"] === "1") writeFileSync(file, text);
  t.is(text, readFileSync(file, "utf8"));
});
