import test from "ava";
import { readFileSync } from "node:fs";
import { Ajv } from "ajv";
import { renderSarif } from "../../../compiler/audit/render-sarif.js";
import { ALL_RULES } from "../../../compiler/audit/rules.js";
import { checkPolicy, parsePolicy, resolvePolicy } from "../../../compiler/audit/policy.js";
import { audit, checked, sumSource } from "./helpers.js";

// The subset of the OASIS SARIF 2.1.0 schema we rely on (origin cited in the file's $comment).
const schema = JSON.parse(readFileSync(new URL("./sarif-2.1.0-subset.schema.json", import.meta.url), "utf8")) as object;
const ajv = new Ajv({
  allErrors: true,
  strict: false,
  formats: {
    uri: /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$/,
    "uri-reference": /^[^\s]*$/,
  },
});
const validate = ajv.compile(schema);

interface SarifLog {
  version: string;
  runs: {
    tool: { driver: { name: string; rules: { id: string; name: string; defaultConfiguration: { level: string } }[] } };
    results: {
      ruleId: string;
      ruleIndex: number;
      level: string;
      message: { text: string };
      locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number; endLine: number; endColumn: number; snippet?: { text: string } } } }[];
      relatedLocations?: unknown[];
      properties: { observer: string | null };
    }[];
  }[];
}

test("SARIF output validates against the SARIF 2.1.0 schema subset", (t) => {
  for (const src of [sumSource(2), sumSource(4)]) {
    const { report, source } = audit(src);
    const out = JSON.parse(renderSarif(report, source)) as unknown;
    const ok = validate(out);
    t.true(ok, JSON.stringify(validate.errors, null, 2));
  }
});

test("the schema subset really rejects malformed logs (the validator is not vacuous)", (t) => {
  t.false(validate({ version: "2.1.0" }));
  t.false(validate({ version: "2.0.0", runs: [] }));
  t.false(validate({ version: "2.1.0", runs: [{ tool: { driver: { name: "x" } }, results: [{ message: { text: "m" }, level: "info" }] }] }));
  t.false(validate({ version: "2.1.0", runs: [{ tool: { driver: { name: "x" } }, results: [{ message: { text: "m" }, locations: [{ physicalLocation: { region: { startLine: 0 } } }] }] }] }));
  t.true(validate({ version: "2.1.0", runs: [{ tool: { driver: { name: "x" } }, results: [] }] }));
});

test("SARIF results carry rule, level, location and region of each finding", (t) => {
  const { report, source } = audit(sumSource(2));
  const log = JSON.parse(renderSarif(report, source)) as SarifLog;
  const run = log.runs[0]!;
  t.is(log.version, "2.1.0");
  t.is(run.tool.driver.name, "mpc-audit");
  t.deepEqual(
    run.tool.driver.rules.map((r) => [r.id, r.name, r.defaultConfiguration.level]),
    ALL_RULES.map((r) => [r.code, r.name, r.severity === "info" ? "note" : r.severity]),
  );
  t.is(run.results.length, 2);
  const r = run.results[0]!;
  t.is(r.ruleId, "A001");
  t.is(run.tool.driver.rules[r.ruleIndex]!.id, "A001");
  t.is(r.level, "error");
  t.is(r.message.text, "alice can compute bob.b exactly (bob.b = total − alice.a)");
  t.is(r.properties.observer, "alice");
  const loc = r.locations[0]!.physicalLocation;
  t.is(loc.artifactLocation.uri, "test.mpc");
  // `reveal a + b as total to all` (28 characters) is line 5, columns 1..28; endColumn is exclusive.
  t.deepEqual({ ...loc.region, snippet: undefined }, { startLine: 5, startColumn: 1, endLine: 5, endColumn: 29, snippet: undefined });
  t.is(loc.region.snippet?.text, "reveal a + b as total to all");
});

test("info findings are SARIF notes; policy violations are results of rule P001", (t) => {
  const src = sumSource(4);
  const { report, internals, source } = audit(src);
  const policy = checkPolicy(resolvePolicy(parsePolicy("alice must not learn anything about bob.b\n", "p.txt"), checked(src)), internals);
  const out = JSON.parse(renderSarif(report, source, policy)) as SarifLog;
  t.true(validate(out), JSON.stringify(validate.errors));
  const levels = out.runs[0]!.results.map((r) => `${r.ruleId}:${r.level}`);
  t.deepEqual(levels, ["A004:note", "A004:note", "A004:note", "A004:note", "P001:error"]);
});
