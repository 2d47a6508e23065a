import test from "ava";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Ajv } from "ajv";
import { compileChecked } from "../../../compiler/middle.js";
import { canonicalJson, planFromJson, planHash, planToJson } from "../../../compiler/emit/json.js";
import { planToDot } from "../../../compiler/emit/dot.js";
import { dotErrors } from "../../../compiler/emit/svg.js";
import { writePlanFiles } from "../../../compiler/emit/files.js";
import type { Plan } from "../../../runtime/plan/plan.js";
import { ProgramFixture } from "../ir/fixtures.js";

function trainingPlan(parties = ["hospital_a", "hospital_b"]): Plan {
  const f = new ProgramFixture("train", parties);
  const xa = f.input(parties[0]!, "xa", "fixed", [8, 2]);
  const xb = f.input(parties[1]!, "xb", "fixed", [8, 2]);
  const y = f.input(parties[1]!, "y", "fixed", [8, 1]);
  const x = f.op("concat", [xa, xb], { axis: 1 });
  const w = f.var("w", f.op("zeros", [], { shape: [4, 1] }), { kind: "secret" });
  f.for(0, 3, () => {
    const err = f.op("sub", [f.op("matmul", [x, w.ref()]), y]);
    f.assign(w, f.op("sub", [w.ref(), f.op("mul", [f.c(0.05), f.op("matmul", [f.op("transpose", [x]), err])])]));
  });
  f.reveal(w.ref(), "w");
  f.reveal(f.op("mean", [y]), "ybar", [parties[0]!]);
  const r = compileChecked(f.program());
  if (!r.plan) throw new Error(r.diagnostics.map((d) => d.message).join("\n"));
  return r.plan;
}

const schema = JSON.parse(readFileSync(new URL("../../../docs/plan.schema.json", import.meta.url), "utf8")) as object;

test("the plan JSON round-trips: written, read back and deep-equal, hash checked", (t) => {
  const plan = trainingPlan();
  const text = planToJson(plan);
  const back = planFromJson(text);
  t.deepEqual(back, plan);
  t.is(back.hash, planHash(back));
  t.regex(plan.hash, /^[0-9a-f]{64}$/);
});

test("the plan hash is sha256 of the canonical JSON without the hash, and changes with the content", (t) => {
  const plan = trainingPlan();
  const { hash, ...rest } = plan;
  t.is(hash, createHash("sha256").update(canonicalJson(rest)).digest("hex"));
  t.is(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: null } }), '{"a":{"c":null,"d":[2,{"e":0,"f":1}]},"b":1}');
  const edited = JSON.parse(planToJson(plan)) as Plan;
  edited.rounds += 1;
  t.throws(() => planFromJson(JSON.stringify(edited)), { message: /plan hash does not match its content/ });
  t.throws(() => planFromJson(JSON.stringify({ ...plan, version: 2 })), { message: /plan format version 2, this mpc reads version 1/ });
  t.throws(() => planFromJson("{not json"), { message: /not valid JSON/ });
  // Same program, same plan, same hash (deterministic compilation).
  t.is(trainingPlan().hash, hash);
});

test("plans validate against docs/plan.schema.json (two and three parties), and a broken one does not", (t) => {
  const ajv = new Ajv({ allErrors: true, strict: false });
  const validate = ajv.compile(schema);
  for (const plan of [trainingPlan(), trainingPlan(["a", "b", "c"])]) {
    const ok = validate(JSON.parse(planToJson(plan)));
    t.true(ok, JSON.stringify(validate.errors?.slice(0, 3)));
  }
  const broken = JSON.parse(planToJson(trainingPlan())) as { body: { kind: string; round?: number }[] };
  const open = broken.body.find((n) => n.kind === "open")!;
  delete open.round;
  t.false(validate(broken));
});

test("the DOT graph is accepted by Graphviz, collapsed and with loops expanded", async (t) => {
  const plan = trainingPlan(["a", "b", "c"]);
  const collapsed = planToDot(plan);
  const expanded = planToDot(plan, { expandLoops: true });
  t.deepEqual(await dotErrors(collapsed), []);
  t.deepEqual(await dotErrors(expanded), []);
  // Parties are clusters; the loop is one box unless expanded; rounds are labelled.
  t.regex(collapsed, /subgraph "cluster_party_b"/);
  t.regex(collapsed, /label="loop x3\\n\d+ rounds\/iteration/);
  t.notRegex(collapsed, /subgraph "cluster_n\d+"/);
  t.regex(expanded, /subgraph "cluster_n\d+" \{/);
  const firstOpen = plan.body.find((n) => n.kind === "open");
  t.truthy(firstOpen);
  t.true(collapsed.includes(`round ${firstOpen?.kind === "open" ? firstOpen.round : -1}`));
  t.regex(expanded, /open -> a, b, c\\nround 0/);
  t.true(expanded.length > collapsed.length);
});

test("writePlanFiles writes the plan, the DOT and the SVG", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "mpc-emit-"));
  try {
    const plan = trainingPlan();
    const files = await writePlanFiles(plan, join(dir, "out"));
    t.is(files.plan, join(dir, "out", "train.plan.json"));
    t.deepEqual(planFromJson(readFileSync(files.plan, "utf8")), plan);
    t.true(readFileSync(files.dot, "utf8").startsWith('digraph "train" {'));
    t.regex(readFileSync(files.svg!, "utf8"), /<svg[\s\S]*<\/svg>/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
