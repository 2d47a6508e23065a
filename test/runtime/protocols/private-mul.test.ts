// Elementwise x * y with x a clear value private to one party P and y secret (spec
// mulPrivateSecret; local beaver_mul_private without b_owner). The local step reconstructs to
// x*y mod 2^64 exactly for full-range ring values, with broadcasting, at 2, 3 and 4 parties;
// whole plans (fixed * fixed truncated, int * int and int * fixed not) match a float64 /
// BigInt reference at 2 and 3 parties in one round, with fewer bytes than Beaver on shares.
//
// Tolerance of the fixed-point plans: inputs on the grid of 2^-16, so the ring product is exact
// and only the one truncation errs (floor or floor + 1 of the exact result): under 2 * 2^-16.

import test from "ava";
import type { ExecutionContext } from "ava";
import { runInThread } from "../../../runtime/executor/index.js";
import type { Plan, PlanNode } from "../../../runtime/plan/plan.js";
import { mulPrivateSecret, mulSecret, revealTo } from "../../../runtime/protocols/spec/arithmetic.js";
import { randomRing } from "../../../runtime/random/index.js";
import type { RingTensor } from "../../../runtime/ring/index.js";
import { buildPlan, maxAbsDiff, tensor, testData } from "../executor/plans.js";
import { mod, reconstruct, runLocal, split, values } from "./helpers.js";

const size = (s: readonly number[]): number => s.reduce((a, d) => a * d, 1);
const full = (shape: number[]): RingTensor => ({ data: randomRing(size(shape)), shape });

/** The broadcast shape of a and b (NumPy rules). */
function broadcast(a: number[], b: number[]): number[] {
  const n = Math.max(a.length, b.length);
  return Array.from({ length: n }, (_, i) => {
    const x = a[i - (n - a.length)] ?? 1;
    const y = b[i - (n - b.length)] ?? 1;
    return x === 1 ? y : x;
  });
}

/** Row-major index into operand `shape` of output element `flat` (broadcasting). */
function at(shape: number[], out: number[], flat: number): number {
  const idx: number[] = [];
  let r = flat;
  for (let d = out.length - 1; d >= 0; d--) {
    idx.unshift(r % out[d]!);
    r = Math.floor(r / out[d]!);
  }
  const off = out.length - shape.length;
  let f = 0;
  for (let d = 0; d < shape.length; d++) f = f * shape[d]! + (shape[d] === 1 ? 0 : idx[off + d]!);
  return f;
}

/** u * v mod 2^64 elementwise with broadcasting, on BigInts. */
function bigMul(u: RingTensor, v: RingTensor): bigint[] {
  const out = broadcast(u.shape, v.shape);
  return Array.from({ length: size(out) }, (_, k) => mod(u.data[at(u.shape, out, k)]! * v.data[at(v.shape, out, k)]!));
}

const SHAPES: [number[], number[]][] = [
  [[2, 3], [2, 3]],
  [[4, 1], [1, 3]], // both broadcast
  [[], [2, 3]], // a private scalar
  [[2, 3], [3]], // a secret row
  [[5], [2, 1, 5]],
];

for (const n of [2, 3, 4]) {
  test(`beaver_mul_private without b_owner gives shares of x*y for x at one party and y secret, full-range ring values, broadcasting (${n} parties)`, (t) => {
    for (const P of [0, n - 1]) {
      for (const [sx, sy] of SHAPES) {
        const so = broadcast(sx, sy);
        const X = full(sx); // x as its owner encodes it: any ring value
        const Y = full(sy);
        const a = full(sx); // known to P alone
        const b = full(sy);
        const c = { data: BigUint64Array.from(bigMul(a, b)), shape: so };
        const [bs, cs] = [split(b, n), split(c, n)];
        // what goes on the wire: E = x - a from P to everyone, D = y - b opened to P
        const E: RingTensor = { data: X.data.map((v, k) => mod(v - a.data[k]!)), shape: sx };
        const D: RingTensor = { data: Y.data.map((v, k) => mod(v - b.data[k]!)), shape: sy };
        const [z] = runLocal(
          "beaver_mul_private",
          n,
          (i) => [i === P ? X : undefined, i === P ? D : undefined, E, bs[i], cs[i]],
          { x_owner: `p${P}` },
        );
        t.deepEqual(z!.map((s) => s.shape), Array<number[]>(n).fill(so));
        t.deepEqual(values(reconstruct(z!)), bigMul(X, Y), `P=${P} ${JSON.stringify([sx, sy])}`);
      }
    }
  });
}

function flat(nodes: readonly PlanNode[]): PlanNode[] {
  return nodes.flatMap((m) => (m.kind === "loop" ? [m, ...flat(m.body)] : [m]));
}

/** Bytes on the wire of a plan's run, in total. */
const bytesOf = (perPair: readonly { bytes: number }[]): number => perPair.reduce((s, p) => s + p.bytes, 0);

/** The plan of one product of alice's private x (shape sx) and a secret y (bob's input, shared),
 *  in either operand order; `beaver` shares x too and runs mulSecret instead. */
function productPlan(parties: string[], sx: number[], sy: number[], ex: "fixed" | "int", ey: "fixed" | "int", order: "xy" | "yx", beaver = false): Plan {
  const out = { elem: ex === "fixed" || ey === "fixed" ? ("fixed" as const) : ("int" as const), shape: broadcast(sx, sy) };
  return buildPlan(
    parties,
    [
      { party: "alice", name: "x", shape: sx, elem: ex },
      { party: "bob", name: "y", shape: sy, elem: ey },
    ],
    (b, [x, y]) => {
      const ys = b.share(y!, "bob");
      const xo = beaver ? b.share(x!, "alice") : x!;
      const [l, r] = order === "xy" ? [xo, ys] : [ys, xo];
      const z = beaver ? mulSecret(b, l, r, out) : mulPrivateSecret(b, l, r, out);
      b.output(revealTo(b, z, parties), "z", parties);
    },
  );
}

function checkStructure(t: ExecutionContext, plan: Plan, parties: string[]): void {
  const nodes = flat(plan.body);
  // x is never shared: only bob's y; alice sends her masked x to every other party
  t.deepEqual(
    nodes.filter((m) => m.kind === "share").map((m) => (m.kind === "share" ? m.owner : "")),
    ["bob"],
  );
  const sends = nodes.filter((m): m is Extract<PlanNode, { kind: "send" }> => m.kind === "send");
  t.deepEqual(
    sends.map((s) => [s.from, s.to]),
    [["alice", parties.filter((p) => p !== "alice")]],
  );
  const masked = nodes.find((m) => m.kind === "local" && m.fn === "mask_private");
  t.true(masked !== undefined && masked.kind === "local" && sends[0]!.value === masked.out[0]);
  // the secret operand's masked value is opened to alice only (the reveal opens to everyone)
  const opens = nodes.filter((m): m is Extract<PlanNode, { kind: "open" }> => m.kind === "open");
  t.deepEqual(opens[0]!.to, ["alice"]);
  const dealer = nodes.find((m) => m.kind === "dealer" && m.item === "triple_mul");
  t.true(dealer !== undefined && dealer.kind === "dealer" && dealer.attrs["a_owner"] === parties.indexOf("alice") && dealer.attrs["b_owner"] === undefined);
  t.is(
    nodes.filter((m) => m.kind === "dealer").length,
    1 + nodes.filter((m) => m.kind === "dealer" && m.item === "trunc_pair").length,
  );
}

for (const parties of [
  ["alice", "bob"],
  ["bob", "alice", "carol"],
]) {
  const n = parties.length;
  const ULP = 2 ** -16;
  const grid = (k: number, range: number, seed: number): Float64Array => testData(k, range, seed).map((v) => Math.round(v * 65536) / 65536);
  test(`mulPrivateSecret plans: fixed * fixed (truncated), broadcasting, either operand order, match float64; one round, no share of x, fewer bytes than Beaver (${n} parties)`, async (t) => {
    for (const [[sx, sy], order] of [
      [SHAPES[0]!, "xy"],
      [SHAPES[1]!, "yx"],
      [SHAPES[2]!, "xy"],
      [SHAPES[3]!, "yx"],
      [SHAPES[4]!, "xy"],
    ] as [[number[], number[]], "xy" | "yx"][]) {
      const plan = productPlan(parties, sx, sy, "fixed", "fixed", order);
      checkStructure(t, plan, parties);
      const x = tensor(grid(size(sx), 8, 3 + sx.length), sx);
      const y = tensor(grid(size(sy), 8, 7 + sy.length), sy);
      const inputs = new Map([
        ["alice.x", x],
        ["bob.y", y],
      ]);
      const r = await runInThread(plan, inputs);
      const so = broadcast(sx, sy);
      const want = Array.from({ length: size(so) }, (_, k) => x.data[at(sx, so, k)]! * y.data[at(sy, so, k)]!);
      for (const p of parties) {
        const got = r.outputs.get(p)!.get("z")!;
        t.deepEqual(got.shape, so);
        t.true(maxAbsDiff(got.data, want) < 2 * ULP, `${JSON.stringify([sx, sy])} at ${p}: ${maxAbsDiff(got.data, want)}`);
      }
      // product 1 round, truncation (n > 2) 1 round, reveal 1 round: as Beaver
      const beaver = productPlan(parties, sx, sy, "fixed", "fixed", order, true);
      t.is(plan.rounds, beaver.rounds);
      t.is(r.stats.rounds, n === 2 ? 2 : 3);
      const rb = await runInThread(beaver, inputs);
      t.true(bytesOf(r.stats.perPair) < bytesOf(rb.stats.perPair), `${bytesOf(r.stats.perPair)} B vs Beaver ${bytesOf(rb.stats.perPair)} B`);
      t.is(r.stats.dealerItems, rb.stats.dealerItems);
    }
  });

  test(`mulPrivateSecret plans: int * int exact (no truncation) and int * fixed, match the BigInt / float64 reference (${n} parties)`, async (t) => {
    // int: values up to 2^20 in magnitude, products up to 2^40: exact in float64 and on the ring
    const ints = (k: number, seed: number): Float64Array => testData(k, 2 ** 20, seed).map(Math.round);
    const plan = productPlan(parties, [3, 4], [4], "int", "int", "xy");
    checkStructure(t, plan, parties);
    t.false(flat(plan.body).some((m) => m.kind === "local" && (m.fn === "trunc_local" || m.fn === "trunc_mask")));
    const x = tensor(ints(12, 5), [3, 4]);
    const y = tensor(ints(4, 6), [4]);
    const r = await runInThread(
      plan,
      new Map([
        ["alice.x", x],
        ["bob.y", y],
      ]),
    );
    const want = Array.from({ length: 12 }, (_, k) => BigInt(x.data[k]!) * BigInt(y.data[k % 4]!));
    t.deepEqual(
      [...r.outputs.get("alice")!.get("z")!.data].map((v) => BigInt(v)),
      want,
    );
    // int x (private) * fixed y: no truncation, exact on the grid
    const mixed = productPlan(parties, [2, 2], [2, 2], "int", "fixed", "yx");
    t.false(flat(mixed.body).some((m) => m.kind === "local" && (m.fn === "trunc_local" || m.fn === "trunc_mask")));
    const xi = tensor([3, -7, 100, 1], [2, 2]);
    const yf = tensor(grid(4, 4, 9), [2, 2]);
    const rm = await runInThread(
      mixed,
      new Map([
        ["alice.x", xi],
        ["bob.y", yf],
      ]),
    );
    t.deepEqual([...rm.outputs.get("bob")!.get("z")!.data], [...xi.data].map((v, k) => v * yf.data[k]!));
  });
}
