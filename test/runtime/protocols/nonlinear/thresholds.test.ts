// The shared-mask threshold comparisons (runtime/protocols/spec/nonlinear/thresholds.ts): one
// secret value against many public thresholds, [x < t_k] exactly, including values equal to a
// threshold and one unit either side, negative values and the fixed-point extremes, for sizes
// that do and do not fill whole 64-lane words, with 2 and 3 parties; 4 rounds plus the reveal.

import test from "ava";
import { runInThread } from "../../../../runtime/executor/index.js";
import { revealTo } from "../../../../runtime/protocols/spec/arithmetic.js";
import { thresholdBits } from "../../../../runtime/protocols/spec/nonlinear/thresholds.js";
import { buildPlan } from "../../executor/plans.js";
import { mod, runLocal } from "../helpers.js";

const U = 2 ** -16;

for (const parties of [["a", "b"], ["a", "b", "c"]]) {
  for (const n of [64, 77]) {
    test(`[x < t_k] for ${n} values and 6 thresholds, ${parties.length} parties`, async (t) => {
      const ts = [-3, 0, U, 1, 1000.5, 32767];
      const xs = Array.from({ length: n }, (_, i) => {
        const k = ts[i % ts.length]!;
        return [k - U, k, k + U, -32767.5, 32767.5, 0.5][Math.floor(i / ts.length) % 6]!;
      });
      const plan = buildPlan(parties, [{ party: "b", name: "x", shape: [n] }], (b, [x]) => {
        const bits = thresholdBits(b, b.share(x!, "b"), ts.map((v) => v * 2 ** 16));
        b.output(revealTo(b, bits, parties), "lt", parties);
      });
      const run = await runInThread(plan, new Map([["b.x", { data: Float64Array.from(xs), shape: [n] }]]));
      t.is(run.stats.rounds, 5);
      const got = run.outputs.get("a")!.get("lt")!;
      t.deepEqual(got.shape, [ts.length, n]);
      t.deepEqual(
        [...got.data],
        ts.flatMap((th) => xs.map((x) => (x < th ? 1 : 0))),
      );
    });
  }
}

test("nl_public_thresholds: every party computes c - t_k per block, zero padding", (t) => {
  const c = { data: BigUint64Array.from([5n, mod(-2n), 1n << 40n]), shape: [3] };
  for (const n of [2, 3]) {
    const outs = runLocal("nl_public_thresholds", n, () => [c], { thresholds: [1, -(2 ** 20)], width: 4 });
    for (const o of outs[0]!) {
      t.deepEqual([...o.data], [4n, mod(-3n), (1n << 40n) - 1n, 0n, 5n + (1n << 20n), mod(-2n + (1n << 20n)), (1n << 40n) + (1n << 20n), 0n]);
    }
  }
});
