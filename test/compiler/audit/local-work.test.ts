// The audit's "Local work" section: what each party computes alone in the clear (private(P)
// values that are computed, not bare inputs), and where its inputs and those values leave it
// (secret-shared into MPC, revealed in the clear, or revealed to itself). Exact text lines for
// small programs whose visibilities are worked out by hand in each test.

import test from "ava";
import { localWorkLines, renderText } from "../../../compiler/audit/render-text.js";
import { renderSarif } from "../../../compiler/audit/render-sarif.js";
import { audit } from "./helpers.js";

const section = (src: string): string[] => localWorkLines(audit(src).report.local);

test("a party standardising its input privately: listed as local work, shared where it meets the other party", (t) => {
  t.deepEqual(
    section(`program std
party alice, bob
input alice.x : fixed[4, 2]
input bob.w : fixed[2, 1]
let centred = x - mean(x, axis = 0)
let z = centred / sqrt(mean(centred * centred, axis = 0))
reveal z @ w as pred to alice
`),
    [
      "  alice computes 2 values locally:",
      "    `centred` fixed[4, 2] at 5:5 = x - mean(x, axis = 0); from alice.x",
      "    `z` fixed[4, 2] at 6:5 = centred / sqrt(mean(centred * centred, axis = 0)); from alice.x",
      "  alice's inputs and local values leave it only where they enter MPC (as secret shares or masked operands):",
      "    `z` at 7:8, in `z @ w`",
      "  bob: no local work",
      "  bob's inputs and local values leave it only where they enter MPC (as secret shares or masked operands):",
      "    bob.w at 7:8, in `z @ w`",
    ],
  );
});

test("private values inside a loop are listed once, with the iteration count (and the loop counter as a public value)", (t) => {
  const src = `program loop
party alice, bob
input alice.x : fixed[3]
input bob.y : fixed[3]
var acc = 0.0
for i in 0..5 {
  let t = x * i
  acc = acc + sum(t)
}
reveal acc * sum(y) as s to bob
`;
  t.deepEqual(section(src), [
    "  alice computes 2 values locally:",
    "    `t` fixed[3] at 7:7 (in the loop at line 6, 5 iterations) = x * i; from alice.x and public `i`",
    // acc starts from the constant 0.0: its value depends on it.
    "    `acc` fixed at 8:3 (in the loop at line 6, 5 iterations) = acc + sum(t); from alice.x, public `i` and constants",
    "  alice's inputs and local values leave it only where they enter MPC (as secret shares or masked operands):",
    "    `acc` at 10:8, in `acc * sum(y)`",
    "  bob computes 1 value locally:",
    "    unnamed `sum(y)` fixed at 10:14; from bob.y",
    "  bob's inputs and local values leave it only where they enter MPC (as secret shares or masked operands):",
    "    `sum(y)` at 10:8, in `acc * sum(y)`",
  ]);
  const alice = audit(src).report.local[0]!;
  t.deepEqual(alice.values[0]!.loops, [{ line: 6, iterations: 5 }]);
});

test("a function body called twice by one party is one entry with both calls", (t) => {
  t.deepEqual(
    section(`program twice
party alice, bob
input alice.x : fixed[2]
input alice.u : fixed[2]
input bob.y : fixed[2]
fn sq(v) {
  let s = v * v
  return s + 1.0
}
let a = sq(x)
let c = sq(u)
var w = a
for e in 0..2 {
  for k in 0..3 {
    w = w + c * y
  }
}
reveal w to all
`),
    [
      "  alice computes 3 values locally:",
      "    `s` fixed[2] at 7:7 (in the 2 calls on lines 10 and 11) = v * v; from alice.x and alice.u",
      "    `a` fixed[2] at 10:5 = s + 1.0; from alice.x and constants",
      "    `c` fixed[2] at 11:5 = s + 1.0; from alice.u and constants",
      "  alice's inputs and local values leave it only where they enter MPC (as secret shares or masked operands):",
      // w is a var that becomes secret (it is later mixed with bob's y): `a` is shared into it.
      "    `a` at 12:5, into the secret `var w`",
      "    `c` at 15:13, in `c * y` (inside nested loops at lines 13 and 14)",
      "  bob: no local work",
      "  bob's inputs and local values leave it only where they enter MPC (as secret shares or masked operands):",
      "    bob.y at 15:13, in `c * y` (inside nested loops at lines 13 and 14)",
    ],
  );
});

test("no local work: each party says none, and where its input is secret-shared", (t) => {
  t.deepEqual(
    section(`program sum2
party alice, bob
input alice.a : fixed
input bob.b : fixed
reveal a + b as total to all
`),
    [
      "  alice: no local work",
      "  alice's inputs and local values leave it only where they enter MPC (as secret shares or masked operands):",
      "    alice.a at 5:8, in `a + b`",
      "  bob: no local work",
      "  bob's inputs and local values leave it only where they enter MPC (as secret shares or masked operands):",
      "    bob.b at 5:8, in `a + b`",
    ],
  );
});

test("a value private to one party computed from a public constant and its own input", (t) => {
  const src = `program scaled
party alice, bob
input alice.x : fixed[2]
input bob.y : fixed[2]
let s = x * 2.0 + 1.0
reveal s + y as total to all
`;
  t.deepEqual(section(src), [
    "  alice computes 1 value locally:",
    "    `s` fixed[2] at 5:5 = x * 2.0 + 1.0; from alice.x and constants",
    "  alice's inputs and local values leave it only where they enter MPC (as secret shares or masked operands):",
    "    `s` at 6:8, in `s + y`",
    "  bob: no local work",
    "  bob's inputs and local values leave it only where they enter MPC (as secret shares or masked operands):",
    "    bob.y at 6:8, in `s + y`",
  ]);
  const v = audit(src).report.local[0]!.values[0]!;
  t.deepEqual({ name: v.name, inputs: v.inputs, publicValues: v.publicValues, type: v.type }, { name: "s", inputs: ["alice.x"], publicValues: ["constants"], type: "fixed[2]" });
});

test("a private value revealed to another party is listed as leaving in the clear (with the A002 finding); to itself it stays", (t) => {
  const src = `program leaky
party alice, bob
input alice.x : fixed[2]
input bob.y : fixed
reveal x * 3.0 as tripled to alice, bob
reveal x to alice
reveal sum(x) + y as t to bob
`;
  t.deepEqual(section(src), [
    "  alice computes 2 values locally:",
    "    unnamed `x * 3.0` fixed[2] at 5:8; from alice.x and constants",
    "    unnamed `sum(x)` fixed at 7:8; from alice.x",
    "  alice's inputs and local values leave it where they enter MPC (as secret shares or masked operands):",
    "    `sum(x)` at 7:8, in `sum(x) + y`",
    "  alice's values sent to other parties in the clear (plain disclosure, A002):",
    "    `x * 3.0` at 5:1, revealed as `tripled` to alice and bob",
    "  revealed to alice only (outputs that stay with it):",
    "    alice.x at 6:1, revealed as `x`",
    "  bob: no local work",
    "  bob's inputs and local values leave it only where they enter MPC (as secret shares or masked operands):",
    "    bob.y at 7:8, in `sum(x) + y`",
  ]);
  // The clear send is the same fact the findings report.
  t.true(audit(src).report.findings.some((f) => f.code === "A002" && f.observer === "bob" && f.reveals.includes("tripled")));
});

test("an unused input never leaves its party; a value the compiler generates (autodiff) is printed, with its source", (t) => {
  t.deepEqual(
    section(`program unused
party alice, bob, carol
input alice.a : fixed
input bob.b : fixed
input carol.c : fixed
reveal a * b as p to all
`).slice(6),
    ["  carol: no local work", "  nothing of carol's leaves it"],
  );
  const lines = section(`program gd
party owner, labeller
input owner.x : fixed[4, 2]
input labeller.y : fixed[4, 1]
var w = zeros(2, 1)
for epoch in 0..3 {
  let loss = mse(x @ w, y)
  w = w - 0.1 * grad(loss, w)
}
reveal w to all
`);
  t.true(lines.includes("    unnamed `transpose(x)` fixed[2, 4] at 8:17 (generated for `grad(loss, w)`, in the loop at line 6, 3 iterations); from owner.x"), lines.join("\n"));
});

test("the text report places the section between what is public and each party's view", (t) => {
  const { report, source } = audit(`program sum2
party alice, bob
input alice.a : fixed
input bob.b : fixed
reveal a + b as total to all
`);
  const text = renderText(report, source);
  const pub = text.indexOf("\nPublic by construction");
  const local = text.indexOf(
    "\nLocal work (what one party computes alone, in the clear, from its own inputs and public values: no messages; it leaves the party only where listed)\n  alice: no local work\n",
  );
  const view = text.indexOf("\nEach party's view during the run");
  t.true(pub > 0 && local > pub && view > local, text);
});

test("JSON carries the list as `local`; SARIF keeps it out of the results, in the run's property bag", (t) => {
  const { report, source } = audit(`program scaled
party alice, bob
input alice.x : fixed[2]
input bob.y : fixed[2]
let s = x * 2.0 + 1.0
reveal s + y as total to all
`);
  const json = JSON.parse(JSON.stringify(report)) as { local: { party: string; values: { name: string; span: { line: number; col: number } }[]; exits: { kind: string; value: string; at: string }[] }[] };
  t.deepEqual(
    json.local.map((w) => ({ party: w.party, values: w.values.map((v) => `${v.name}@${v.span.line}:${v.span.col}`), exits: w.exits.map((e) => `${e.kind} ${e.value} ${e.at}`) })),
    [
      { party: "alice", values: ["s@5:5"], exits: ["shared `s` s + y"] },
      { party: "bob", values: [], exits: ["shared bob.y s + y"] },
    ],
  );
  const sarif = JSON.parse(renderSarif(report, source)) as { runs: { results: { ruleId: string }[]; properties: { localWork: unknown } }[] };
  t.deepEqual(sarif.runs[0]!.properties.localWork, json.local);
  t.deepEqual(
    sarif.runs[0]!.results.map((r) => r.ruleId),
    report.findings.map((f) => f.code),
  );
});

test("a value used in several secret ops enters MPC once (later uses listed on its line); values shared into one op share a line", (t) => {
  t.deepEqual(
    section(`program multi
party alice, bob
input alice.x : fixed[2]
input bob.y : fixed[2]
input bob.z : fixed[2]
for e in 0..2 {
  for k in 0..3 {
    let t = y * k
    reveal x * t as p to alice
    reveal x + t as q to alice
  }
}
reveal select(x > 0.0, y, z) as r to alice
`),
    [
      "  alice computes 1 value locally:",
      "    unnamed `x > 0.0` bool[2] at 13:15; from alice.x and constants",
      "  alice's inputs and local values leave it only where they enter MPC (as secret shares or masked operands):",
      "    alice.x at 9:12, in `x * t` (inside nested loops at lines 6 and 7); also used in secret computation at 10:12",
      "    `x > 0.0` at 13:8, in `select(x > 0.0, y, z)`",
      "  bob computes 1 value locally:",
      "    `t` fixed[2] at 8:9 (in nested loops at lines 6 and 7, 6 iterations in all) = y * k; from bob.y and public `k`",
      "  bob's inputs and local values leave it only where they enter MPC (as secret shares or masked operands):",
      "    `t` at 9:12, in `x * t` (inside nested loops at lines 6 and 7); also used in secret computation at 10:12",
      "    bob.y and bob.z at 13:8, in `select(x > 0.0, y, z)`",
    ],
  );
});

test("a computed argument of a call is local work at the call; a long list is cut in the text (all of it in the report)", (t) => {
  t.deepEqual(
    section(`program argcall
party alice, bob
input alice.x : fixed[2]
input bob.y : fixed[2]
fn twice(v) {
  return v * 2.0
}
let a = twice(x + 1.0)
reveal a + y as s to all
`).slice(0, 3),
    ["  alice computes 2 values locally:", "    `v` fixed[2] at 8:15 (in the call on line 8) = x + 1.0; from alice.x and constants", "    `a` fixed[2] at 8:5 = v * 2.0; from alice.x and constants"],
  );
  const src = ["program many", "party alice, bob", "input alice.x : fixed", "input bob.y : fixed", "let v0 = x + 1.0"];
  for (let i = 1; i < 45; i++) src.push(`let v${i} = v${i - 1} + 1.0`);
  src.push("reveal v44 + y as s to all", "");
  const { report } = audit(src.join("\n"));
  t.is(report.local[0]!.values.length, 45);
  const lines = localWorkLines(report.local);
  t.is(lines[0], "  alice computes 45 values locally:");
  t.is(lines[40], "    `v39` fixed at 44:5 = v38 + 1.0; from alice.x and constants");
  t.is(lines[41], "    … and 5 more values (all listed by --format json)");
  t.is(lines[43], "    `v44` at 50:8, in `v44 + y`");
});

test("each private value assigned to a var that becomes secret enters MPC at its own assignment", (t) => {
  t.deepEqual(
    section(`program vars
party alice, bob
input alice.x : fixed
input bob.y : fixed
var acc = x * 2.0
acc = x + 1.0
acc = acc * y
reveal acc to all
`),
    [
      "  alice computes 2 values locally:",
      "    `acc` fixed at 5:5 = x * 2.0; from alice.x and constants",
      "    `acc` fixed at 6:1 = x + 1.0; from alice.x and constants",
      "  alice's inputs and local values leave it only where they enter MPC (as secret shares or masked operands):",
      "    `acc` at 5:5, into the secret `var acc`",
      "    `acc` at 6:1, into the secret `var acc`",
      "  bob: no local work",
      "  bob's inputs and local values leave it only where they enter MPC (as secret shares or masked operands):",
      "    bob.y at 7:7, in `acc * y`",
    ],
  );
});
