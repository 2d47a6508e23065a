// A secret matrix that several Beaver products take (x @ w and transpose(x) @ err in every
// epoch of a logistic-regression-like loop, x loop-invariant) is masked and opened ONCE,
// before the loop (compiler/lower/shared-masks.ts): each product then opens only its other
// operand. Compiled with and without the reuse, both plans run securely and equal the
// plaintext reference within fixed-point tolerance; the reuse opens exactly (2 * epochs - 1)
// fewer copies of x and costs fewer bytes, as the cost model counts.

import test from "ava";
import { planCost } from "../../compiler/cost/cost.js";
import { checkSource } from "../../compiler/frontend.js";
import { compileSource } from "../../compiler/pipeline.js";
import { runPlaintext } from "../../compiler/reference/index.js";
import { clearTensor, type ClearTensor } from "../../runtime/clear/index.js";
import { runInProcess } from "../../runtime/executor/index.js";
import type { Plan, PlanNode } from "../../runtime/plan/plan.js";

const ROWS = 40;
const EPOCHS = 3;
const SOURCE = `
program shared_mask
party a, b

input a.xa : fixed[${ROWS}, 3]
input b.xb : fixed[${ROWS}, 2]
input b.y  : fixed[${ROWS}, 1]

let x = concat(xa, xb, axis = 1)
var w = zeros(5, 1)
for epoch in 0..${EPOCHS} {
  let err = x @ w - y
  w = w - 0.05 * transpose(x) @ err
}
reveal w to a, b
`;

/** Deterministic small inputs (a fixed sequence, not a secret). */
function inputs(): Map<string, ClearTensor> {
  const val = (i: number, k: number): number => Math.sin(i * 1.3 + k * 0.7) * 0.8;
  const mat = (cols: number, off: number): ClearTensor =>
    clearTensor(
      Array.from({ length: ROWS * cols }, (_, j) => val(Math.floor(j / cols), (j % cols) + off)),
      [ROWS, cols],
    );
  return new Map([
    ["a.xa", mat(3, 0)],
    ["b.xb", mat(2, 3)],
    ["b.y", mat(1, 5)],
  ]);
}

function nodes(body: PlanNode[], out: PlanNode[] = []): PlanNode[] {
  for (const n of body) {
    out.push(n);
    if (n.kind === "loop") nodes(n.body, out);
  }
  return out;
}

const items = (plan: Plan, item: string): PlanNode[] => nodes(plan.body).filter((n) => n.kind === "dealer" && n.item === item);

// x masked on the right of one product (transpose(w) @ transpose(x)) and on the left of the other
const RIGHT_SOURCE = SOURCE.replace("let err = x @ w - y", "let err = transpose(transpose(w) @ transpose(x)) - y");

for (const [what, source] of [
  ["x @ w and transpose(x) @ err", SOURCE],
  ["transpose(w) @ transpose(x) and transpose(x) @ err", RIGHT_SOURCE],
] as const) {
  test(`a loop-invariant operand of two products per epoch is opened once (${what}): fewer bytes, same result`, async (t) => {
    const shared = compileSource(source, "shared_mask.mpc").plan!;
    const plain = compileSource(source, "shared_mask.mpc", { sharedMasks: false }).plan!;
    // the decision is in the plan: one mask at top level, both products reference it
    const masks = items(shared, "mask");
    t.is(masks.length, 1);
    t.true(shared.body.includes(masks[0]!), "the mask is hoisted before the loop");
    const masked = items(shared, "triple_matmul_masked");
    t.is(masked.length, 2);
    for (const m of masked) t.is(m.kind === "dealer" && m.attrs["mask"], masks[0]!.id);
    t.is(items(shared, "triple_matmul").length, 0);
    t.is(items(plain, "mask").length, 0);
    t.is(items(plain, "triple_matmul").length, 2);

    const [cs, cp] = [planCost(shared), planCost(plain)];
    const xSize = ROWS * 5;
    t.is(cp.total.openedElements - cs.total.openedElements, (2 * EPOCHS - 1) * xSize);
    t.true(cs.total.bytes < cp.total.bytes);
    t.is(cp.total.bytes - cs.total.bytes, (2 * EPOCHS - 1) * xSize * 8 * 2);

    const program = checkSource(source, "shared_mask.mpc").program!;
    const data = inputs();
    const ref = runPlaintext(program, data).outputs.find((o) => o.name === "w")!.value;
    for (const plan of [shared, plain]) {
      const run = await runInProcess(plan, data, { timeoutMs: 60_000 });
      t.is(run.stats.rounds, plan.rounds);
      for (const party of ["a", "b"]) {
        const got = run.outputs.get(party)!.get("w")!;
        t.deepEqual(got.shape, [5, 1]);
        // fixed point with 16 fractional bits over 3 epochs: well within 1e-3
        [...got.data].forEach((v, i) => t.true(Math.abs(Number(v) - Number(ref.data[i])) < 1e-3, `w[${i}] at ${party}: ${v} vs ${ref.data[i]}`));
      }
    }
  });
}
