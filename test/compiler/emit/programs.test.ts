// Every example program compiles to a valid plan, or — when it needs a protocol that is not
// there yet — fails with the clear "not yet supported" errors (E10xx), never anything else.

import test from "ava";
import { readdirSync, readFileSync } from "node:fs";
import { Ajv } from "ajv";
import { compileFile } from "../../../compiler/pipeline.js";
import { planToJson } from "../../../compiler/emit/json.js";
import { planCost } from "../../../compiler/cost/cost.js";
import { orderingViolations } from "../schedule/contract.js";

const dir = new URL("../../../programs/", import.meta.url);
const programs = readdirSync(dir)
  .filter((f) => f.endsWith(".mpc"))
  .sort();
const schema = JSON.parse(readFileSync(new URL("../../../docs/plan.schema.json", import.meta.url), "utf8")) as object;
const validate = new Ajv({ strict: false }).compile(schema);

test("there are example programs to compile", (t) => {
  t.true(programs.length >= 5);
});

for (const file of programs) {
  test(`programs/${file}: compiles to a valid plan or reports only 'not yet supported'`, (t) => {
    const r = compileFile(new URL(file, dir).pathname);
    if (r.plan) {
      t.deepEqual(r.diagnostics.filter((d) => d.severity === "error"), []);
      t.deepEqual(orderingViolations(r.plan), []);
      t.true(validate(JSON.parse(planToJson(r.plan))), JSON.stringify(validate.errors?.slice(0, 3)));
      return;
    }
    t.true(r.diagnostics.length > 0);
    for (const d of r.diagnostics) {
      t.regex(d.code, /^E10\d\d$/, `${file}: ${d.code} ${d.message}`);
      t.regex(d.message, /^not yet supported/);
    }
  });
}

test("the smallest programs cost what their protocols say", (t) => {
  const plan = (name: string) => {
    const r = compileFile(new URL(name, dir).pathname);
    if (!r.plan) throw new Error(r.diagnostics.map((d) => d.message).join("\n"));
    return r.plan;
  };
  // dot: one Beaver matmul round and the reveal.
  t.is(plan("dot.mpc").rounds, 2);
  // sum of four parties' values: additions are local, the reveal is the only round.
  const sum = plan("sum.mpc");
  t.is(sum.rounds, 1);
  t.is(planCost(sum).total.dealer.items, 0);
});

test("a program using a secret sigmoid compiles to the sigmoid protocol (a one-hot lookup per iteration)", (t) => {
  const r = compileFile(new URL("feature_aggregation.mpc", dir).pathname);
  t.deepEqual(r.diagnostics, []);
  const loops = r.plan!.body.filter((n) => n.kind === "loop");
  t.true(loops.length > 0);
  t.true(loops.some((l) => l.kind === "loop" && l.body.some((n) => n.kind === "dealer" && n.item === "nl_onehot" && n.origin === "sigmoid")));
});
