import test from "ava";
import { checkPolicy, parsePolicy, PolicyError, resolvePolicy } from "../../../compiler/audit/policy.js";
import { runAudit } from "../../../compiler/audit/index.js";
import { audit, checked, sumSource } from "./helpers.js";

test("the line format: rules, comments, fail-on, element selections", (t) => {
  const p = parsePolicy(
    `# hospitals
hospital_a must not learn hospital_b.y      # exact
hospital_a  must  not learn anything about hospital_b.xb[0:10, :]
nobody learns model_owner.w1
nobody learns anything about model_owner.b1[3]
fail on error
`,
    "policy.txt",
  );
  t.is(p.failOn, "error");
  t.deepEqual(
    p.rules.map((r) => [r.line, r.observer, r.level, `${r.party}.${r.input}`, r.selectionText ?? ""]),
    [
      [2, "hospital_a", "exact", "hospital_b.y", ""],
      [3, "hospital_a", "anything", "hospital_b.xb", "[0:10, :]"],
      [4, "nobody", "exact", "model_owner.w1", ""],
      [5, "nobody", "anything", "model_owner.b1", "[3]"],
    ],
  );
});

test("the JSON format is the same rules as a list", (t) => {
  const p = parsePolicy(`{"rules": ["nobody learns alice.a"], "failOn": "warning"}`, "p.json");
  t.is(p.failOn, "warning");
  t.deepEqual(p.rules.map((r) => r.text), ["nobody learns alice.a"]);
  t.throws(() => parsePolicy(`{"rules": "nobody learns alice.a"}`, "p.json"), { instanceOf: PolicyError, message: /a JSON policy is \{"rules"/ });
  t.throws(() => parsePolicy(`{"rules": [], "failOn": "info"}`, "p.json"), { instanceOf: PolicyError, message: 'p.json: failOn must be "error" or "warning"' });
});

test("malformed rules are errors that name file, line and column", (t) => {
  t.throws(() => parsePolicy("\n  alice should not learn bob.b\n", "p.txt"), {
    instanceOf: PolicyError,
    message: /^p\.txt:2:3: cannot read `alice should not learn bob\.b`; expected/,
  });
});

test("names and selections are checked against the program", (t) => {
  const prog = checked(sumSource(2));
  const resolve = (text: string): unknown => resolvePolicy(parsePolicy(text, "p.txt"), prog);
  t.throws(() => resolve("carol must not learn bob.b"), { message: "p.txt:1: `carol` is not a party of program sum2 (parties: alice, bob)" });
  t.throws(() => resolve("alice must not learn bob.z"), { message: "p.txt:1: program sum2 has no input bob.z (inputs: alice.a, bob.b)" });
  t.throws(() => resolve("bob must not learn bob.b"), { message: "p.txt:1: bob owns bob.b; a party always knows its own input" });
  t.throws(() => resolve("alice must not learn bob.b[0]"), { message: "p.txt:1: 1 indices for an input of rank 0" });
});

test("a policy broken by an exact disclosure is a violation with the finding's location (exit 1)", (t) => {
  const src = sumSource(2);
  const run = runAudit(checked(src), { source: src, policy: parsePolicy("alice must not learn bob.b\n", "p.txt") });
  t.is(run.exitCode, 1);
  t.is(run.policy!.violations.length, 1);
  const v = run.policy!.violations[0]!;
  t.is(v.code, "P001");
  t.is(v.message, "`alice must not learn bob.b` (p.txt:1) is broken: alice can compute bob.b exactly");
  t.deepEqual(v.details, ["for example: bob.b = total − alice.a"]);
  t.is(v.span.line, 5);
});

test("a satisfied policy exits 0, even with error-level findings elsewhere", (t) => {
  const src = sumSource(4);
  const ok = runAudit(checked(src), { source: src, policy: parsePolicy("nobody learns alice.a\nnobody learns dave.d\n", "p.txt") });
  t.is(ok.exitCode, 0);
  t.deepEqual(ok.policy!.violations, []);
  // Two parties: errors exist, but a policy about something else passes…
  const src2 = `program two
party alice, bob, carol
input alice.a : fixed
input bob.b : fixed
input carol.c : fixed
reveal a + b as s to alice
`;
  const pass = runAudit(checked(src2), { source: src2, policy: parsePolicy("nobody learns carol.c\n", "p.txt") });
  t.is(pass.report.summary.errors, 1);
  t.is(pass.exitCode, 0);
  // …unless the policy says to fail on errors, or --strict is given.
  t.is(runAudit(checked(src2), { source: src2, policy: parsePolicy("nobody learns carol.c\nfail on error\n", "p.txt") }).exitCode, 1);
  t.is(runAudit(checked(src2), { source: src2, strict: true }).exitCode, 1);
  t.is(runAudit(checked(src2), { source: src2 }).exitCode, 0);
});

test("'anything about' is broken by dependence, even when nothing is exact", (t) => {
  const src = sumSource(4);
  const { internals } = audit(src);
  const r = checkPolicy(resolvePolicy(parsePolicy("alice must not learn anything about bob.b\nalice must not learn bob.b\n", "p.txt"), checked(src)), internals);
  t.deepEqual(
    r.violations.map((v) => v.message),
    ["`alice must not learn anything about bob.b` (p.txt:1) is broken: `total`, received by alice, depends on bob.b"],
  );
});

test("selections restrict a rule to some elements; nobody means every party but the owner", (t) => {
  const src = `program sel
party alice, bob, carol
input bob.v : fixed[4]
reveal v[0:2] as head to alice
`;
  const { internals } = audit(src);
  const check = (text: string): string[] => checkPolicy(resolvePolicy(parsePolicy(text, "p.txt"), checked(src)), internals).violations.map((v) => `${v.observer}: ${v.message}`);
  t.deepEqual(check("nobody learns bob.v[2:4]"), []);
  t.deepEqual(check("nobody learns bob.v[1]"), ["alice: `nobody learns bob.v[1]` (p.txt:1) is broken: alice can compute element 1 of bob.v exactly"]);
  t.deepEqual(check("nobody learns bob.v"), ["alice: `nobody learns bob.v` (p.txt:1) is broken: alice can compute elements 0, 1 of bob.v exactly"]);
  t.deepEqual(check("carol must not learn anything about bob.v"), []);
  t.deepEqual(check("fail on warning"), []);
  t.is(runAudit(checked(src), { source: src, policy: parsePolicy("fail on warning\n", "p.txt") }).exitCode, 1);
});
