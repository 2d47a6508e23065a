import test from "ava";
import { readFileSync } from "node:fs";
import { ALL_RULES } from "../../../compiler/audit/rules.js";

const doc = readFileSync("docs/audit.md", "utf8");

test("docs/audit.md documents every finding code with its name and severity", (t) => {
  for (const r of ALL_RULES) {
    t.true(doc.includes(`| ${r.code} | ${r.name} | ${r.severity} |`), `${r.code} ${r.name} ${r.severity} missing from the table`);
  }
});
