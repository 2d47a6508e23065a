import test from "ava";
import { readFileSync } from "node:fs";
import { ALL_RULES } from "../../../compiler/audit/rules.js";

const doc = readFileSync("docs/audit.md", "utf8");

test("docs/audit.md documents every finding code with its name and severity", (t) => {
  for (const r of ALL_RULES) {
    t.true(doc.includes(`| ${r.code} | ${r.name} | ${r.severity} |`), `${r.code} ${r.name} ${r.severity} missing from the table`);
  }
});

test("docs/audit.md's Local work example is the golden report's section for feature_aggregation, line for line", (t) => {
  const start = doc.indexOf("`programs/feature_aggregation.mpc`, where each hospital standardises");
  t.true(start > 0, "the Local work example is missing from docs/audit.md");
  const open = doc.indexOf("```\n", start) + 4;
  const example = doc.slice(open, doc.indexOf("```", open));
  const golden = readFileSync("test/compiler/audit/golden/feature_aggregation.txt", "utf8");
  t.true(example.startsWith("Local work ("), example);
  t.true(golden.includes(example), "the documented section differs from the reviewed golden report");
});
