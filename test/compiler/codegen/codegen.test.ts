// Generated party and dealer modules (compiler/codegen): for the small example programs they
// type-check, carry the plan hash, mention no other party's input, and run: with the same
// seeds they send byte-identical frames and reveal bit-identical outputs to the plan
// interpreter (alone, or mixed with interpreting parties), the outputs match the plaintext
// reference, and the messages per pair equal `mpc cost`. Also: the type check catches a bad
// module, a module from another plan is refused, and worker threads run the compiled modules.

import test from "ava";
import { Project, SyntaxKind } from "ts-morph";
import { planCost } from "../../../compiler/cost/cost.js";
import { typeErrors } from "../../../compiler/codegen/project.js";
import { runPlaintext } from "../../../compiler/reference/index.js";
import { UserError } from "../../../grammar/diagnostic.js";
import { runInProcess, runInThread } from "../../../runtime/executor/index.js";
import { computePlanHash } from "../../../runtime/executor/modules.js";
import { example, exampleFromSource, runSeeded } from "./helpers.js";

const PROGRAMS = ["sum", "average", "dot", "millionaires", "linear_regression_inference"] as const;

// against the float64 reference: sums of inputs on the 2^-16 grid are exact; products and the
// division by 3 of average are off by a few units of 2^-16 (relative to the value)
const TOLERANCE: Record<(typeof PROGRAMS)[number], (want: number) => number> = {
  sum: () => 0,
  average: (w) => 1e-3 + 1e-5 * Math.abs(w),
  dot: (w) => 1e-3 + 1e-5 * Math.abs(w),
  millionaires: () => 0,
  linear_regression_inference: (w) => 1e-3 + 1e-5 * Math.abs(w),
};

/** Identifiers and string literals of a module's code (comments and property keys excluded). */
function codeNames(text: string): { identifiers: string[]; strings: string[] } {
  const sf = new Project({ useInMemoryFileSystem: true }).createSourceFile("/m.ts", text);
  const identifiers = sf
    .getDescendantsOfKind(SyntaxKind.Identifier)
    .filter((id) => {
      const parent = id.getParent();
      return !(parent?.isKind(SyntaxKind.PropertyAssignment) && parent.getNameNode() === id);
    })
    .map((id) => id.getText());
  const strings = sf.getDescendantsOfKind(SyntaxKind.StringLiteral).map((s) => s.getLiteralValue());
  return { identifiers, strings };
}

for (const name of PROGRAMS) {
  test(`${name}: every module type-checks, carries the plan hash, and names no other party's input`, async (t) => {
    const ex = await example(name);
    const { plan } = ex;
    t.deepEqual(ex.generated.modules.map((m) => m.role), [...plan.parties, "dealer"]);
    for (const m of ex.generated.modules) {
      // the TypeScript a reviewer reads and the JavaScript that runs both hold the hash
      for (const text of [m.ts, m.js]) t.true(text.includes(`export const PLAN_HASH = "${plan.hash}";`), `${m.role} lacks the plan hash`);
      t.is(typeErrors(new Map([[m.role, m.ts]])).length, 0, `${m.role} does not type-check on its own`);
      const others = plan.inputs.filter((i) => i.party !== m.role);
      const { identifiers, strings } = codeNames(m.ts);
      const parts = new Set(identifiers.flatMap((id) => id.split("_")));
      for (const i of others) {
        t.false(parts.has(i.name), `${m.role}'s code names ${i.party}'s input ${i.name}`);
        t.false(strings.includes(i.name), `${m.role}'s code has the string "${i.name}" (${i.party}'s input)`);
        // nowhere, comments included: the qualified name, the declaration, the data file
        t.false(m.ts.includes(`${i.party}.${i.name}`), `${m.role} mentions ${i.party}.${i.name}`);
        t.false(m.ts.includes(`data/${plan.program}`), `${m.role} mentions a data path`);
      }
      // its own inputs are read by name, and nothing else is
      const own = plan.inputs.filter((i) => i.party === m.role).map((i) => i.name);
      const read = [...m.ts.matchAll(/rt\.input\("(\w+)"/g)].map((x) => x[1]);
      t.deepEqual(read, own);
    }
  });

  test(`${name}: generated modules and the interpreter send identical frames and reveal identical outputs; plaintext agrees; messages equal mpc cost`, async (t) => {
    const ex = await example(name);
    const { plan, inputs } = ex;
    const interpreted = await runSeeded(plan, inputs);
    const generated = await runSeeded(plan, inputs, ex.modules);
    t.deepEqual(generated.frames, interpreted.frames);
    t.is(generated.rounds, plan.rounds);
    const clear = runPlaintext(ex.compiled.checked!, inputs);
    for (const o of plan.outputs) {
      const want = clear.outputs.find((c) => c.name === o.name)!.value;
      for (const p of o.to) {
        const got = generated.outputs.get(p)!.get(o.name)!;
        t.deepEqual(Array.from(got.data), Array.from(interpreted.outputs.get(p)!.get(o.name)!.data));
        got.data.forEach((v, i) => t.true(Math.abs(v - want.data[i]!) <= TOLERANCE[name](want.data[i]!), `${p} ${o.name}[${i}]: ${v} vs plaintext ${want.data[i]}`));
      }
      // nobody else got it
      for (const p of plan.parties.filter((q) => !o.to.includes(q))) t.false(generated.outputs.get(p)!.has(o.name));
    }
    const cost = planCost(plan);
    t.deepEqual(
      [...generated.messages].filter(([, n]) => n > 0).sort(),
      cost.total.pairs.filter((p) => p.messages > 0).map((p) => [`${p.from}->${p.to}`, p.messages] as [string, number]).sort(),
    );
  });
}

test("a generated party talks to interpreting peers: one module for alice, the plan for bob and the dealer (dot, millionaires)", async (t) => {
  for (const name of ["dot", "millionaires"]) {
    const ex = await example(name);
    const alice = new Map([[ex.plan.parties[0]!, ex.modules.parties.get(ex.plan.parties[0]!)!]]);
    const mixed = await runSeeded(ex.plan, ex.inputs, { parties: alice });
    const interpreted = await runSeeded(ex.plan, ex.inputs);
    t.deepEqual(mixed.frames, interpreted.frames);
    t.deepEqual(mixed.outputs, interpreted.outputs);
  }
});

test("the type check is real: a module calling the runtime wrongly is refused", (t) => {
  const bad = [
    `import type { PartyApi } from "mpc/runtime/executor/party-api.js";`,
    `export async function run(rt: PartyApi): Promise<void> {`,
    `  const x = rt.input("x", [2]);`,
    `  await rt.round(0, [{ open: "n1", shares: [x], sendTo: ["bob"] }]);`, // no receiveFrom
    `  rt.output("y", x);`, // no elem
    `  const unused = rt.constant(1);`,
    `}`,
  ].join("\n");
  const errors = typeErrors(new Map([["bad", bad]]));
  t.true(errors.some((e) => e.includes("is not assignable to type 'Step'")), errors.join("\n"));
  t.true(errors.some((e) => e.includes("Expected 3 arguments, but got 2")), errors.join("\n"));
  t.true(errors.some((e) => e.includes("'unused' is declared but its value is never read")), errors.join("\n"));
});

test("a module generated from another plan is refused before anything runs", async (t) => {
  const dot = await example("dot");
  const sum = await example("sum");
  const wrong = new Map([["alice", sum.modules.parties.get("alice")!]]);
  const e = await t.throwsAsync(runInThread(dot.plan, dot.inputs, { modules: { parties: wrong } }));
  t.true(e instanceof UserError);
  t.regex(e!.message, /^the party module of alice was generated from plan [0-9a-f]{16}…, but this run's plan is [0-9a-f]{16}…: recompile the program \(mpc compile\)$/);
  const d = await t.throwsAsync(runInThread(dot.plan, dot.inputs, { modules: { dealer: sum.modules.dealer } }));
  t.regex(d!.message, /^the dealer module was generated from plan /);
  // bob's module given as alice's
  const swapped = new Map([["alice", dot.modules.parties.get("bob")!]]);
  const s = await t.throwsAsync(runInThread(dot.plan, dot.inputs, { modules: { parties: swapped } }));
  t.is(s!.message, "the party module given for alice is bob's");
  // the runtime's hash of a plan file is the compiler's
  t.is(computePlanHash(dot.plan), dot.plan.hash);
});

test("runInProcess runs the compiled modules in worker threads (sum, 4 parties)", async (t) => {
  const ex = await example("sum");
  const r = await runInProcess(ex.plan, ex.inputs, { modules: ex.dir });
  const want = runPlaintext(ex.compiled.checked!, ex.inputs).outputs[0]!.value.data[0]!;
  for (const p of ex.plan.parties) t.is(r.outputs.get(p)!.get("total")!.data[0], want);
  t.is(r.stats.rounds, ex.plan.rounds);
});

// what the example programs do not have: private disclosures (send/receive), nested loops, a
// loop index starting at 2, three parties
const MIX = `program mix
party alice, bob, carol
input alice.x : fixed[3]
input bob.secret_y : fixed[3]
input carol.z : fixed
var acc = zeros(3)
for i in 2..5 {
  for j in 0..2 {
    acc = acc + x * secret_y * i + j
  }
}
let q = secret_y * 2
reveal q as doubled to alice
reveal acc + z as total to carol
reveal x * 3 as x3 to bob
`;

test("disclosures, nested loops and a loop index from 2: the generated modules agree with the interpreter and the reference", async (t) => {
  const tensor = (data: number[]) => ({ data: Float64Array.from(data), shape: data.length === 1 ? [] : [data.length] });
  const inputs = new Map([
    ["alice.x", tensor([1.5, -2, 0.25])],
    ["bob.secret_y", tensor([2, 0.5, -4])],
    ["carol.z", tensor([10])],
  ]);
  const ex = await exampleFromSource("mix", MIX, inputs);
  const alice = ex.generated.modules.find((m) => m.role === "alice")!.ts;
  // loops stay loops, with the program's counters; the disclosure is a send and a receive
  t.regex(alice, /for \(let i = 2; i < 5; i\+\+\) \{\n {4}rt\.iteration\(i - 2\);\n {4}const i_value = rt\.constant\(i\);/);
  t.regex(alice, /for \(let j = 0; j < 2; j\+\+\) \{/);
  t.regex(alice, /\{ receive: "n\d+", from: "bob", shape: \[3\] \}/);
  t.regex(alice, /\{ send: "n\d+", value: x3_mul, to: \["bob"\] \}/);
  t.false(/\bsecret_y\b/.test(alice.replace(/\/\/.*$/gm, "")), "alice's code names bob's input");
  const carol = ex.generated.modules.find((m) => m.role === "carol")!.ts;
  t.false(carol.includes("receive:") || carol.includes("send:"), "carol takes no part in the others' disclosures");
  const interpreted = await runSeeded(ex.plan, inputs);
  const generated = await runSeeded(ex.plan, inputs, ex.modules);
  t.deepEqual(generated.frames, interpreted.frames);
  t.deepEqual(generated.outputs, interpreted.outputs);
  const clear = runPlaintext(ex.compiled.checked!, inputs);
  for (const o of clear.outputs) {
    for (const p of o.to) {
      const got = generated.outputs.get(p)!.get(o.name)!;
      got.data.forEach((v, i) => t.true(Math.abs(v - o.value.data[i]!) <= 1e-3 * (1 + Math.abs(o.value.data[i]!)), `${p} ${o.name}[${i}]: ${v} vs ${o.value.data[i]}`));
    }
  }
});
