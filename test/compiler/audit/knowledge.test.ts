import test from "ava";
import { audit, findingsOf, sumSource } from "./helpers.js";
import { interpret } from "../../../compiler/audit/interpret.js";
import { analyseObserver } from "../../../compiler/audit/knowledge.js";
import { sumProgram } from "./build.js";

test("the seed's sum, two parties: each can compute the other's input exactly (error)", (t) => {
  const { report } = audit(sumSource(2));
  t.deepEqual(findingsOf(report, "alice"), ["error A001: alice can compute bob.b exactly"]);
  t.deepEqual(findingsOf(report, "bob"), ["error A001: bob can compute alice.a exactly"]);
  const f = report.findings.find((x) => x.observer === "alice")!;
  t.deepEqual(f.details, ["bob.b = total − alice.a"]);
  t.deepEqual(f.span, { file: "test.mpc", line: 5, col: 1, offset: f.span.offset, length: f.span.length });
  t.deepEqual(report.summary, { errors: 2, warnings: 0, infos: 0 });
});

test("the seed's sum, three parties: each learns the sum of the other two, nothing exactly", (t) => {
  const { report } = audit(sumSource(3));
  t.deepEqual(findingsOf(report, "alice"), ["info A004: alice learns the sum bob.b + carol.c, and none of the two individually"]);
  t.deepEqual(findingsOf(report, "bob"), ["info A004: bob learns the sum alice.a + carol.c, and none of the two individually"]);
  t.deepEqual(findingsOf(report, "carol"), ["info A004: carol learns the sum alice.a + bob.b, and none of the two individually"]);
  t.is(report.summary.errors, 0);
});

test("the seed's sum, four parties: each learns only the sum of the other three (info)", (t) => {
  const { report } = audit(sumSource(4));
  t.deepEqual(findingsOf(report, "alice"), ["info A004: alice learns the sum bob.b + carol.c + dave.d, and none of these individually"]);
  t.deepEqual(findingsOf(report, "bob"), ["info A004: bob learns the sum alice.a + carol.c + dave.d, and none of these individually"]);
  t.deepEqual(findingsOf(report, "carol"), ["info A004: carol learns the sum alice.a + bob.b + dave.d, and none of these individually"]);
  t.deepEqual(findingsOf(report, "dave"), ["info A004: dave learns the sum alice.a + bob.b + carol.c, and none of these individually"]);
  t.deepEqual(report.summary, { errors: 0, warnings: 0, infos: 4 });
  t.is(report.reveals[0]!.formula, "total = alice.a + bob.b + carol.c + dave.d");
});

test("the hand-built sum (no parser) agrees with the parsed one", (t) => {
  for (const n of [2, 3, 4]) {
    const it = interpret(sumProgram(n));
    const k = analyseObserver(it, "alice");
    t.is(k.determined.size, n === 2 ? 1 : 0);
    t.is(k.combos.length, n === 2 ? 0 : 1);
  }
});

test("x1 + x2 and x1 - x2 revealed to the same party disclose both, with the combination shown", (t) => {
  const { report } = audit(`program pm
party alice, bob, carol
input alice.x1 : fixed
input bob.x2 : fixed
reveal x1 + x2 as u to carol
reveal x1 - x2 as v to carol
`);
  t.deepEqual(findingsOf(report, "carol"), ["error A001: carol can compute alice.x1 exactly", "error A001: carol can compute bob.x2 exactly"]);
  const [f1, f2] = report.findings.filter((f) => f.observer === "carol");
  t.deepEqual(f1!.details, ["alice.x1 = 1/2·u + 1/2·v"]);
  t.deepEqual(f2!.details, ["bob.x2 = 1/2·u − 1/2·v"]);
  t.deepEqual(f1!.reveals, ["u", "v"]);
  t.is(f1!.related.length, 1);
  t.deepEqual(findingsOf(report, "alice"), []);
  // Either reveal alone gives only a combination.
  const one = audit(`program p1
party alice, bob, carol
input alice.x1 : fixed
input bob.x2 : fixed
reveal x1 + x2 as u to carol
`).report;
  t.deepEqual(findingsOf(one, "carol"), ["info A004: carol learns the sum alice.x1 + bob.x2, and none of the two individually"]);
});

test("an invertible function of another party's input is full disclosure", (t) => {
  const { report } = audit(`program inv
party alice, bob
input alice.a : fixed
input bob.b : fixed
input bob.c : fixed
reveal exp(b) * 3 + 1 as e to alice
reveal sigmoid(a + c) as s to alice
`);
  t.deepEqual(findingsOf(report, "alice"), [
    "error A001: alice can compute bob.b exactly",
    "error A001: alice can compute bob.c exactly",
    "warning A002: `e` is computed from bob's inputs alone and bob sends it to alice in the clear",
  ]);
  const fs = report.findings.filter((f) => f.code === "A001");
  t.true(fs[0]!.details.some((d) => d.startsWith("after inverting `exp`")));
  t.true(fs[1]!.details.some((d) => d.includes("`sigmoid`") && d.includes("not saturated")));
});

test("a product with a party's own value is linear to that party: a·b + c reveals c to the owner of a and b", (t) => {
  const { report } = audit(`program own
party alice, bob
input alice.a : fixed
input alice.b : fixed
input bob.c : fixed
reveal a * b + c as r to alice, bob
`);
  t.deepEqual(findingsOf(report, "alice"), ["error A001: alice can compute bob.c exactly"]);
  t.deepEqual(findingsOf(report, "bob"), ["info A005: bob learns `r`: 1 non-linear value of other parties' inputs (through products of secret values)"]);
});

test("millionaires: each learns one bit about the other's wealth", (t) => {
  const { report } = audit(`program millionaires
party alice, bob
input alice.a : int
input bob.b : int
reveal a < b as poorer to alice, bob
`);
  t.deepEqual(findingsOf(report, "alice"), ["warning A003: alice learns one bit about bob.b: whether `a < b` holds"]);
  t.deepEqual(findingsOf(report, "bob"), ["warning A003: bob learns one bit about alice.a: whether `a < b` holds"]);
});

test("argmax of a model's output reveals a class index per row, not the scores", (t) => {
  const { report } = audit(`program classify
party model_owner, data_owner
input model_owner.w : fixed[3, 4]
input data_owner.x : fixed[5, 3]
reveal argmax(x @ w, axis = 1) as classes to data_owner
`);
  t.deepEqual(findingsOf(report, "data_owner"), [
    "info A005: data_owner learns `classes`: a class index per row (argmax over 4 scores), not the scores themselves (each of the 5 elements of `classes`)",
  ]);
  const f = report.findings.find((x) => x.observer === "data_owner")!;
  t.is(f.details[0], "at most 2 bits per index");
  t.deepEqual(findingsOf(report, "model_owner"), []);
  t.true(report.knowledge.find((k) => k.party === "model_owner")!.learnsNothing);
  t.is(report.reveals[0]!.dependence, "element i of `classes` depends on all of model_owner.w and row i of data_owner.x");
});

test("element-level dependence: element [i, j] of x @ w depends on row i of x and column j of w", (t) => {
  const { report } = audit(`program rows
party model_owner, data_owner
input model_owner.w1 : fixed[3, 2]
input data_owner.x : fixed[4, 3]
reveal relu(x @ w1) as h to data_owner
reveal sum(x, axis = 0) as colsum to model_owner
reveal x[1:3, :] @ w1 as two_rows to data_owner
`);
  t.is(report.reveals[2]!.dependence, "element [i, j] of `two_rows` depends on column j of model_owner.w1 and row i+1 of data_owner.x");
  t.is(report.reveals[0]!.dependence, "element [i, j] of `h` depends on column j of model_owner.w1 and row i of data_owner.x");
  t.is(report.reveals[1]!.dependence, "element i of `colsum` depends on column i of data_owner.x");
  t.is(
    report.reveals[1]!.formula,
    "colsum[0] = data_owner.x[0, 0] + data_owner.x[1, 0] + data_owner.x[2, 0] + data_owner.x[3, 0]; " +
      "colsum[1] = data_owner.x[0, 1] + data_owner.x[1, 1] + data_owner.x[2, 1] + data_owner.x[3, 1]; " +
      "colsum[2] = data_owner.x[0, 2] + data_owner.x[1, 2] + data_owner.x[2, 2] + data_owner.x[3, 2]",
  );
});

test("a plain disclosure of a private vector is reported, and its exact disclosure is an error", (t) => {
  const { report } = audit(`program plain
party alice, bob
input bob.v : fixed[3]
reveal v * 2 as doubled to alice
`);
  t.deepEqual(findingsOf(report, "alice"), [
    "error A001: alice can compute all of bob.v exactly (3 of 3 elements)",
    "warning A002: `doubled` is computed from bob's inputs alone and bob sends it to alice in the clear",
  ]);
  t.is(report.reveals[0]!.visibility, "private(bob)");
  t.is(report.reveals[0]!.formula, "doubled[i] = 2·bob.v[i]");
});

test("a relu of a single hidden element is a narrow (warning-level) disclosure", (t) => {
  const { report } = audit(`program r
party alice, bob
input alice.a : fixed[2]
input bob.b : fixed[2]
reveal relu(a + b) as r to alice
`);
  t.deepEqual(findingsOf(report, "alice"), [
    "warning A003: alice learns relu (the value itself whenever it is positive), for each of 2 hidden elements (all of bob.b), from `r`",
  ]);
});

test("linear with coefficients the observer knows: predictions x @ w + b disclose the model", (t) => {
  const { report } = audit(`program lr
party hospital, modeller
input hospital.x : fixed[20, 3]
input modeller.w : fixed[3, 1]
input modeller.b : fixed
reveal x @ w + b as prediction to hospital
`);
  t.deepEqual(findingsOf(report, "hospital"), [
    "error A001: hospital can compute all of modeller.w exactly (3 of 3 elements), solving 20 equations in 4 unknowns whose coefficients are hospital's own data",
    "error A001: hospital can compute modeller.b exactly, solving 20 equations in 4 unknowns whose coefficients are hospital's own data",
  ]);
  // Fewer predictions than unknowns: combinations only.
  const few = audit(`program lr2
party hospital, modeller
input hospital.x : fixed[2, 3]
input modeller.w : fixed[3, 1]
reveal x @ w as prediction to hospital
`).report;
  t.deepEqual(findingsOf(few, "hospital"), [
    "info A004: hospital learns 2 independent linear combinations of all of modeller.w with coefficients from its own data, and none of these elements individually",
  ]);
});

test("the observer's own preprocessing keeps its identities: centred columns sum to exactly zero", (t) => {
  // sum(centred @ w) = Σ_k (Σ_i centred[i,k]) w[k] = 0: the reveal is public, nothing learned.
  const { report } = audit(`program centred
party alice, bob
input alice.x : fixed[6, 2]
input bob.w : fixed[2, 1]
let centred = x - mean(x, axis = 0)
reveal sum(centred @ w) as s to alice
`);
  t.deepEqual(findingsOf(report, "alice"), []);
});

test("loops are unrolled exactly: three additions of b reveal b to the owner of a", (t) => {
  const { report, internals } = audit(`program loop
party alice, bob
input alice.a : fixed
input bob.b : fixed
var acc = 0.0
for i in 0..3 {
  acc = acc + b
}
reveal acc + a as r to alice
`);
  t.deepEqual(findingsOf(report, "alice"), ["error A001: alice can compute bob.b exactly"]);
  t.is(report.reveals[0]!.formula, "r = alice.a + 3·bob.b");
  t.deepEqual(internals.interp.loops.map((l) => [l.exactIterations, l.rest]), [[3, "none"]]);
});

test("past the affine budget a loop runs on dependence sets and stops at their fixpoint, and says so", (t) => {
  const src = `program long
party alice, bob
input alice.a : fixed[4]
input bob.b : fixed[4]
var acc = zeros(4)
for i in 0..1000 {
  acc = acc * 0.5 + b
}
reveal acc + a as r to alice
`;
  const { report, internals } = audit(src, { limits: { maxWork: 200 } });
  const loop = internals.interp.loops[0]!;
  t.true(loop.exactIterations < 1000);
  t.is(loop.rest, "stopped-at-fixpoint");
  t.is(report.reveals[0]!.kind, "dependence-only");
  t.is(report.reveals[0]!.dependence, "element i of `r` depends on alice.a[i] and bob.b[i]");
  t.true(findingsOf(report, null).some((f) => f.startsWith("warning A006: analysing all 1000 iterations exactly would exceed the affine budget")));
});

test("an elementwise reveal of 569x30 inputs is solved element by element, not as one dense system", (t) => {
  const { report, internals } = audit(`program big
party alice, bob
input alice.xa : fixed[569, 30]
input bob.xb : fixed[569, 30]
reveal xa + xb as z to alice, bob
`);
  t.deepEqual(findingsOf(report, "alice"), ["error A001: alice can compute all of bob.xb exactly (17070 of 17070 elements)"]);
  t.is(internals.knowledge.get("bob")!.determined.size, 17070);
  t.deepEqual(internals.knowledge.get("bob")!.fallbacks, []);
  t.is(report.reveals[0]!.formula, "z[i, j] = alice.xa[i, j] + bob.xb[i, j]");
  t.is(report.reveals[0]!.dependence, "element [i, j] of `z` depends on alice.xa[i, j] and bob.xb[i, j]");
});

test("a system too large for the budget falls back to dependence, with the reason", (t) => {
  const { report } = audit(
    `program dense
party alice, bob, carol
input bob.x : fixed[8]
input carol.y : fixed[8]
reveal sum(x) + sum(y) as s to alice
`,
    { knowledge: { maxCells: 4 } },
  );
  t.deepEqual(findingsOf(report, "alice"), [
    "warning A006: what alice can solve from `s` was not computed exactly: the system is too large to solve exactly (1 equation in 16 unknowns)",
  ]);
});

test("disclosures compound: once two columns are known, a row maximum narrows to the third", (t) => {
  const { report } = audit(`program compound
party a, b
input a.x : fixed[4, 3]
input b.y : fixed[4, 3]
reveal transpose(x + y)[0:2, :] as head to a
reveal max(x - y, axis = 1) as mx to a
`);
  t.is(report.reveals[0]!.dependence, "element [i, j] of `head` depends on a.x[j, i] and b.y[j, i]");
  t.deepEqual(findingsOf(report, "a"), [
    "error A001: a can compute columns 0, 1 of b.y exactly (8 of 12 elements)",
    "warning A003: a learns a maximum involving the value, for each of 4 hidden elements (column 2 of b.y), from `mx`",
  ]);
});
