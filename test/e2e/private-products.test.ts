// Products of private operands, compiled and run: `*`, `@` and conv2d with operands held in the
// clear by two different parties (and `*`, conv2d or `@` with one private, one secret operand; `@`
// as a 1x1 convolution) run the private protocols (spec mulPrivate, matmulPrivate, convPrivate,
// mulPrivateSecret): no `share` of those
// operands, one dealer item with the owners' masks, each owner sending its masked operand.
// Outputs match the plaintext reference (compiler/reference); the rounds, per-pair messages
// and bytes, and dealer items a run counts are the ones `mpc cost` (planCost) predicts.
// The example programs model_hiding and model_hiding_cnn run end to end on their real data.

import test from "ava";
import type { ExecutionContext } from "ava";
import { join } from "node:path";
import { planCost } from "../../compiler/cost/cost.js";
import { checkFile, checkSource } from "../../compiler/frontend.js";
import { compileFile, compileSource } from "../../compiler/pipeline.js";
import { runPlaintext } from "../../compiler/reference/index.js";
import { clearTensor, type ClearTensor } from "../../runtime/clear/index.js";
import { runInProcess, runInThread, type RunResult } from "../../runtime/executor/index.js";
import { fixedBound } from "../../runtime/fixed/index.js";
import { loadInputs, resolveInputs } from "../../runtime/io/index.js";
import type { Plan, PlanNode } from "../../runtime/plan/plan.js";

const ROOT = join(import.meta.dirname, "..", "..");

function flat(nodes: readonly PlanNode[]): PlanNode[] {
  return nodes.flatMap((n) => (n.kind === "loop" ? [n, ...flat(n.body)] : [n]));
}
const ofKind = <K extends PlanNode["kind"]>(plan: Plan, kind: K): Extract<PlanNode, { kind: K }>[] =>
  flat(plan.body).filter((n): n is Extract<PlanNode, { kind: K }> => n.kind === kind);
const inputValue = (plan: Plan, name: string): string => ofKind(plan, "input").find((n) => n.input === name)!.out;

/** Executed == predicted: rounds, dealer items, and per ordered pair the messages and the
 *  payload bytes (a run's frames add a small JSON header per message, under 512 bytes). */
function runsAsCosted(t: ExecutionContext, plan: Plan, run: RunResult): void {
  const cost = planCost(plan);
  t.is(run.stats.rounds, plan.rounds);
  t.is(cost.total.rounds, plan.rounds);
  t.is(run.stats.dealerItems, cost.total.dealer.items);
  const key = (p: { from: string; to: string }): string => `${p.from}->${p.to}`;
  t.deepEqual(run.stats.perPair.map(key).sort(), cost.total.pairs.map(key).sort());
  for (const want of cost.total.pairs) {
    const got = run.stats.perPair.find((p) => key(p) === key(want))!;
    t.is(got.messages, want.messages, key(want));
    t.true(got.bytes >= want.bytes && got.bytes < want.bytes + 512 * want.messages, `${key(want)}: ran ${got.bytes} B, cost says ${want.bytes} B payload`);
  }
}

/** Every output of a run against the plaintext reference, within `tol` (absolute). */
function matchesReference(t: ExecutionContext, source: string, inputs: Map<string, ClearTensor>, run: RunResult, tol: number): void {
  const program = checkSource(source, "p.mpc").program!;
  for (const o of runPlaintext(program, inputs).outputs) {
    for (const party of o.to) {
      const got = run.outputs.get(party)!.get(o.name)!;
      t.deepEqual(got.shape, o.value.shape, o.name);
      const d = Math.max(0, ...Array.from(got.data, (v, i) => Math.abs(v - o.value.data[i]!)));
      t.true(d <= tol, `${o.name} at ${party}: off by ${d} > ${tol}`);
    }
  }
}

/** n values on a grid of 1/16 (exact in fixed point) in [-2, 2). */
const grid = (n: number, seed: number): number[] => Array.from({ length: n }, (_, i) => (((i * 37 + seed * 11) % 64) - 32) / 16);

const SMALL = (parties: string[]): string => `
program private_products
party ${parties.join(", ")}

input alice.a   : fixed[4, 3]
input bob.b     : fixed[4, 3]
input bob.w     : fixed[3, 2]
input alice.img : fixed[2, 1, 5, 5]
input bob.k     : fixed[2, 1, 3, 3]

reveal a * b as prod to ${parties.join(", ")}
reveal a @ w as mm to alice
reveal conv2d(img, k) as cv to ${parties[parties.length - 1]}
`;

const smallInputs = (): Map<string, ClearTensor> =>
  new Map([
    ["alice.a", clearTensor(grid(12, 1), [4, 3])],
    ["bob.b", clearTensor(grid(12, 2), [4, 3])],
    ["bob.w", clearTensor(grid(6, 3), [3, 2])],
    ["alice.img", clearTensor(grid(50, 4), [2, 1, 5, 5])],
    ["bob.k", clearTensor(grid(18, 5), [2, 1, 3, 3])],
  ]);

for (const parties of [
  ["alice", "bob"],
  ["alice", "bob", "carol"],
]) {
  test(`${parties.length} parties: private(a) * private(b), @ and conv2d run the private protocols (no share, the owners' dealer items, masked sends) and match the reference; run == mpc cost`, async (t) => {
    const source = SMALL(parties);
    const r = compileSource(source, "p.mpc");
    t.deepEqual(r.diagnostics, []);
    const plan = r.plan!;
    // nothing is secret-shared: each product takes its operands in the clear at their owners
    t.deepEqual(ofKind(plan, "share"), []);
    const [alice, bob] = [parties.indexOf("alice"), parties.indexOf("bob")];
    t.deepEqual(
      ofKind(plan, "dealer")
        .filter((d) => d.item !== "trunc_pair")
        .map((d) => [d.item, d.attrs])
        .sort((p, q) => String(p[0]).localeCompare(String(q[0]))),
      [
        ["triple_conv", { a: [2, 1, 5, 5], b: [2, 1, 3, 3], c: [2, 2, 3, 3], stride: 1, padding: 0, a_owner: alice, b_owner: bob }],
        ["triple_matmul", { a: [4, 3], b: [3, 2], c: [4, 2], a_owner: alice, b_owner: bob }],
        ["triple_mul", { shape: [4, 3], a_owner: alice, b_owner: bob }],
      ],
    );
    const locals = ofKind(plan, "local").map((n) => n.fn);
    // (the scheduler may interleave the three products' steps: compare as multisets)
    t.deepEqual(
      locals.filter((f) => f.includes("private")).sort(),
      ["beaver_conv_private", "beaver_matmul_private", "beaver_mul_private", ...Array<string>(6).fill("mask_private")],
    );
    t.false(locals.some((f) => f === "beaver_mul" || f === "beaver_matmul" || f === "beaver_conv"));
    // the only sends: each owner's masked operand, to the other owner only
    const sends = ofKind(plan, "send");
    t.deepEqual(
      sends.map((s) => [s.from, s.to]),
      [0, 1, 2].flatMap(() => [
        ["alice", ["bob"]],
        ["bob", ["alice"]],
      ]),
    );
    // the raw inputs are read only by their owners' mask_private (and nothing opens them)
    for (const name of ["a", "b", "w", "img", "k"]) {
      const v = inputValue(plan, name);
      const readers = flat(plan.body).filter((n) => (n.kind === "local" || n.kind === "clear" ? n.args.includes(v) : n.kind === "send" ? n.value === v : false));
      t.true(readers.length > 0 && readers.every((n) => (n.kind === "local" && n.fn === "mask_private") || (n.kind === "clear" && n.op === "reshape")), name);
    }
    const inputs = smallInputs();
    const run = await runInThread(plan, inputs);
    // grid inputs are exact; each output is one truncated product: within 2^-15 (1 ulp of 2^-16, doubled)
    matchesReference(t, source, inputs, run, 2 ** -15);
    runsAsCosted(t, plan, run);
  });
}

const MIXED = (parties: string[]): string => `
program mixed_private
party ${parties.join(", ")}

input alice.u  : fixed[6]
input bob.v    : fixed[6]
input alice.x  : fixed[2, 2, 5, 5]
input bob.x2   : fixed[2, 2, 5, 5]
input bob.k    : fixed[3, 2, 3, 3]
input alice.k2 : fixed[3, 2, 3, 3]

reveal u * v as uv to alice                 // private product
reveal u + v as upv to alice                // u and v are also needed as shares
reveal (u + v) * v as sv to bob             // secret * private: mulPrivateSecret (v in the clear)
reveal conv2d(x + x2, k) as c1 to alice     // secret input, private kernel: convPrivate
reveal conv2d(x, k + k2) as c2 to bob       // private input, secret kernel: convPrivate
reveal conv2d(x, k) as c3 to alice, bob     // both private: convPrivate
input alice.m  : fixed[4, 6]
input bob.n    : fixed[6, 3]
reveal (m + m) @ (v - u) as m1 to bob       // private (alice) @ secret: a 1x1 convPrivate
reveal (u * 2.0 + v) @ n as m2 to alice     // secret (1-D) @ private (bob): a 1x1 convPrivate
`;

for (const parties of [
  ["alice", "bob"],
  ["carol", "alice", "bob"],
]) {
  test(`${parties.length} parties: a private operand also needed as a secret elsewhere is shared once for those uses; its private products stay private; conv2d with one private and one secret operand is convPrivate; all match the reference; run == mpc cost`, async (t) => {
    const source = MIXED(parties);
    const r = compileSource(source, "p.mpc");
    t.deepEqual(r.diagnostics, []);
    const plan = r.plan!;
    const [alice, bob] = [parties.indexOf("alice"), parties.indexOf("bob")];
    const shares = ofKind(plan, "share");
    const sharedFrom = (name: string): number => shares.filter((s) => s.from === inputValue(plan, name)).length;
    // u and v once each (for u + v and (u + v) * v); x, x2, k, k2 once each for the sums
    t.deepEqual(["u", "v", "x", "x2", "k", "k2"].map(sharedFrom), [1, 1, 1, 1, 1, 1]);
    const dealers = ofKind(plan, "dealer").filter((d) => d.item !== "trunc_pair").map((d) => `${d.item} ${String(d.attrs["a_owner"] ?? "-")} ${String(d.attrs["b_owner"] ?? "-")}`);
    t.deepEqual(dealers.sort(), [
      `triple_conv - ${bob}`,
      `triple_conv - ${bob}`, // m2
      `triple_conv ${alice} -`,
      `triple_conv ${alice} -`, // m1
      `triple_conv ${alice} ${bob}`,
      `triple_mul ${alice} ${bob}`,
      `triple_mul ${bob} -`, // (u + v) * v: v's mask known to bob alone
    ].sort());
    t.false(shares.some((s) => s.from === inputValue(plan, "n")));
    // u * v reads u and v in the clear (mask_private), not their shares; so does (u + v) * v
    const masks = ofKind(plan, "local").filter((n) => n.fn === "mask_private");
    t.true(masks.some((m) => m.args[0] === inputValue(plan, "u")));
    t.is(masks.filter((m) => m.args[0] === inputValue(plan, "v")).length, 2);
    t.false(ofKind(plan, "local").some((n) => n.fn === "beaver_mul"));
    const x = grid(100, 7);
    const inputs = new Map<string, ClearTensor>([
      ["alice.u", clearTensor(grid(6, 1), [6])],
      ["bob.v", clearTensor(grid(6, 2), [6])],
      ["alice.x", clearTensor(x, [2, 2, 5, 5])],
      ["bob.x2", clearTensor(grid(100, 8), [2, 2, 5, 5])],
      ["bob.k", clearTensor(grid(54, 9), [3, 2, 3, 3])],
      ["alice.k2", clearTensor(grid(54, 10), [3, 2, 3, 3])],
      ["alice.m", clearTensor(grid(24, 11), [4, 6])],
      ["bob.n", clearTensor(grid(18, 12), [6, 3])],
    ]);
    const run = await runInThread(plan, inputs);
    matchesReference(t, source, inputs, run, 2 ** -15);
    runsAsCosted(t, plan, run);
  });
}

const BROADCAST = `
program broadcast_private
party alice, bob
input alice.k : fixed
input bob.v   : fixed[2, 3]
input alice.r : fixed[3]
input alice.n : int[2, 3]
reveal k * v as kv to alice     // scalar times matrix
reveal v * r as vr to bob       // a row broadcast over the rows
reveal n * v as nv to bob       // int * fixed: alice casts n to fixed in the clear
`;

test("private products broadcast (a scalar, a row) and take int operands; exact on grid values; run == mpc cost", async (t) => {
  const r = compileSource(BROADCAST, "p.mpc");
  t.deepEqual(r.diagnostics, []);
  const plan = r.plan!;
  t.deepEqual(ofKind(plan, "share"), []);
  t.deepEqual(
    ofKind(plan, "dealer")
      .map((d) => JSON.stringify(d.attrs))
      .sort(),
    ['{"a":[2,3],"b":[3],"c":[2,3],"a_owner":1,"b_owner":0}', '{"a":[],"b":[2,3],"c":[2,3],"a_owner":0,"b_owner":1}', '{"shape":[2,3],"a_owner":0,"b_owner":1}'],
  );
  // the checker makes n * v fixed * fixed: alice casts her n in the clear (still private, never
  // shared), and each of the three products is truncated once
  t.deepEqual(
    ofKind(plan, "clear")
      .filter((n) => n.op === "cast")
      .map((n) => [n.args[0], n.parties]),
    [[inputValue(plan, "n"), ["alice"]]],
  );
  t.is(ofKind(plan, "local").filter((n) => n.fn === "trunc_local").length, 3);
  const inputs = new Map<string, ClearTensor>([
    ["alice.k", clearTensor([1.5], [])],
    ["bob.v", clearTensor([1, -2, 0.5, 3, 0.25, -1], [2, 3])],
    ["alice.r", clearTensor([2, -1, 0.5], [3])],
    ["alice.n", clearTensor([1, 2, 3, -4, 5, 6], [2, 3])],
  ]);
  const run = await runInThread(plan, inputs);
  // products of these values need at most 3 fractional bits: the truncation is exact
  matchesReference(t, BROADCAST, inputs, run, 0);
  runsAsCosted(t, plan, run);
});

const PRIVATE_SECRET = (parties: string[]): string => `
program private_secret
party ${parties.join(", ")}

input alice.x : fixed[2, 3]
input alice.r : fixed[3]
input alice.n : int[2, 3]
input bob.y   : fixed[2, 3]
input alice.j : int[3]
input bob.m   : int[3]
input ${parties[parties.length - 1]}.z : fixed[2, 3]

let s = y + z + x                      // secret (x is shared for this sum, not for the products)
reveal x * s as xs to alice, bob       // private * secret
reveal s * r as sr to bob              // secret * private row, broadcast
reveal n * (m + j) as nm to alice      // int * int: no truncation
var acc = s
for i in 0..3 {
  acc = x * acc                        // x (outside the loop) times a secret carried value
}
reveal acc as cube to ${parties.join(", ")}
`;

for (const [parties, run] of [
  [["bob", "alice"], runInThread],
  [["bob", "alice", "carol"], runInProcess],
] as const) {
  test(`${parties.length} parties: private * secret is mulPrivateSecret (no share of the private operand, its owner sends it masked to every other party, the secret one is opened to the owner only), broadcasting, int, in a loop; matches the reference; run == mpc cost`, async (t) => {
    const source = PRIVATE_SECRET([...parties]);
    const r = compileSource(source, "p.mpc");
    t.deepEqual(r.diagnostics, []);
    const plan = r.plan!;
    // only the sums' operands are shared (x once, for y + z + x): r and n never, and every
    // product reads its private operand in the clear
    t.deepEqual(
      ofKind(plan, "share")
        .map((n) => n.from)
        .sort(),
      ["x", "y", "z", "j", "m"].map((name) => inputValue(plan, name)).sort(),
    );
    const maskedInputs = ofKind(plan, "local")
      .filter((n) => n.fn === "mask_private")
      .map((n) => n.args[0]);
    t.deepEqual(maskedInputs.sort(), ["x", "r", "n", "x"].map((name) => inputValue(plan, name)).sort());
    const alice = parties.indexOf("alice");
    const others = parties.filter((p) => p !== "alice");
    const muls = flat(plan.body).filter((n): n is Extract<PlanNode, { kind: "dealer" }> => n.kind === "dealer" && n.item === "triple_mul");
    t.is(muls.length, 4); // x * s, s * r, n * (m + j), and x * acc once in the loop's body
    t.true(muls.every((d) => d.attrs["a_owner"] === alice && d.attrs["b_owner"] === undefined));
    t.false(ofKind(plan, "local").some((n) => n.fn === "beaver_mul"));
    // every send is alice's masked operand to every other party (x, r, n; x in the loop)
    const sends = ofKind(plan, "send");
    t.is(sends.length, 4);
    t.true(sends.every((s) => s.from === "alice" && s.to.join() === others.join()));
    // the secret operand's D = y - b of each product is opened to alice alone, in the send's round
    const products = ofKind(plan, "local").filter((n) => n.fn === "beaver_mul_private");
    t.is(products.length, 4);
    for (const m of products) {
      const d = ofKind(plan, "open").find((o) => o.out.includes(m.args[1]!))!;
      t.deepEqual(d.to, ["alice"]);
      t.is(d.round, sends.find((s) => s.out === m.args[2])!.round);
    }
    const loop = ofKind(plan, "loop")[0]!;
    t.is(loop.body.filter((n) => n.kind === "send").length, 1);
    t.is(loop.body.filter((n) => n.kind === "dealer" && n.item === "triple_mul").length, 1);
    const inputs = new Map<string, ClearTensor>([
      ["alice.x", clearTensor(grid(6, 1), [2, 3])],
      ["alice.r", clearTensor(grid(3, 2), [3])],
      ["alice.n", clearTensor([3, -2, 7, 0, 11, -5], [2, 3])],
      ["bob.y", clearTensor(grid(6, 3), [2, 3])],
      ["bob.m", clearTensor([4, -6, 9], [3])],
      ["alice.j", clearTensor([4, -6, 9], [3])],
      [`${parties[parties.length - 1]}.z`, clearTensor(grid(6, 4), [2, 3])],
    ]);
    const result = await run(plan, inputs);
    // grid inputs: x * s and s * r are one truncation off (2^-16, doubled); nm exact; the cube
    // three truncations, each error multiplied by |x| <= 2 afterwards: under 7 * 2^-16
    matchesReference(t, source, inputs, result, 7 * 2 ** -16);
    const nm = result.outputs.get("alice")!.get("nm")!;
    t.deepEqual([...nm.data], [24, 24, 126, 0, -132, -90]);
    runsAsCosted(t, plan, result);
  });
}

/** A program of programs/ with its bundled data. */
function example(name: string): { file: string; plan: Plan; inputs: Map<string, ClearTensor>; checked: ReturnType<typeof checkFile> } {
  const file = join(ROOT, "programs", `${name}.mpc`);
  const checked = checkFile(file);
  const compiled = compileFile(file);
  if (!checked.program || !compiled.plan) throw new Error(compiled.diagnostics.map((d) => d.message).join("; "));
  const inputs = loadInputs(resolveInputs(file, checked.program.name, checked.program.inputs, []), { fixedBound: fixedBound(checked.program.precision) });
  return { file, plan: compiled.plan, inputs, checked };
}

test("programs/model_hiding.mpc: z @ w1 is the private matmul (z and w1 never shared); every one of the 569 classes equals the plaintext run's; run == mpc cost", async (t) => {
  const ex = example("model_hiding");
  const plan = ex.plan;
  const first = ofKind(plan, "dealer").find((d) => d.item === "triple_matmul")!;
  const [model, data] = [plan.parties.indexOf("model_owner"), plan.parties.indexOf("data_owner")];
  t.deepEqual(first.attrs, { a: [569, 30], b: [30, 64], c: [569, 64], a_owner: data, b_owner: model });
  t.is(ofKind(plan, "local").filter((n) => n.fn === "beaver_matmul_private").length, 1);
  t.false(ofKind(plan, "share").some((s) => s.from === inputValue(plan, "w1")));
  // z (the data owner's standardised records) is never shared either, nor w2: hidden @ w2 is the
  // private protocol as a 1x1 convolution (w2 at the model owner, hidden secret); only the
  // biases b1 and b2 are shared (added to shares)
  t.deepEqual(ofKind(plan, "share").map((s) => s.owner), ["model_owner", "model_owner"]);
  const dense = ofKind(plan, "dealer").find((d) => d.item === "triple_conv")!;
  t.deepEqual(dense.attrs, { a: [569, 64, 1, 1], b: [2, 64, 1, 1], c: [569, 2, 1, 1], stride: 1, padding: 0, b_owner: model });
  const run = await runInThread(plan, ex.inputs);
  const want = runPlaintext(ex.checked.program!, ex.inputs).outputs.find((o) => o.name === "classes")!.value;
  const got = run.outputs.get("data_owner")!.get("classes")!;
  t.deepEqual(got.shape, [569]);
  t.deepEqual(
    [...got.data].flatMap((c, i) => (c === want.data[i] ? [] : [i])),
    [],
    "rows whose secure class differs from the plaintext one",
  );
  t.false(run.outputs.get("model_owner")?.has("classes") ?? false);
  runsAsCosted(t, plan, run);
});

test("programs/model_hiding_cnn.mpc: conv2d(img, w1) is the private convolution (neither operand shared); every one of the 360 classes equals the plaintext run's; run == mpc cost", async (t) => {
  const ex = example("model_hiding_cnn");
  const plan = ex.plan;
  const [model, data] = [plan.parties.indexOf("model_owner"), plan.parties.indexOf("data_owner")];
  const conv = ofKind(plan, "dealer").filter((d) => d.item === "triple_conv");
  // the convolution (both operands private) and the dense layer flatten(pooled) @ w2 (secret @
  // the model owner's w2, as a 1x1 convolution)
  t.deepEqual(
    conv.map((d) => [d.attrs["a"], d.attrs["a_owner"], d.attrs["b_owner"]]),
    [
      [[360, 1, 8, 8], data, model],
      [[360, 72, 1, 1], undefined, model],
    ],
  );
  t.is(ofKind(plan, "local").filter((n) => n.fn === "beaver_conv_private").length, 2);
  t.false(ofKind(plan, "share").some((s) => s.owner === "data_owner"));
  t.false(ofKind(plan, "share").some((s) => s.from === inputValue(plan, "w2")));
  const run = await runInThread(plan, ex.inputs);
  const want = runPlaintext(ex.checked.program!, ex.inputs).outputs.find((o) => o.name === "classes")!.value;
  const got = run.outputs.get("data_owner")!.get("classes")!;
  t.deepEqual(got.shape, [360]);
  t.deepEqual(
    [...got.data].flatMap((c, i) => (c === want.data[i] ? [] : [i])),
    [],
    "images whose secure class differs from the plaintext one",
  );
  runsAsCosted(t, plan, run);
});
