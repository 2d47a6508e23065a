import test from "ava";
import type { Plan, PlanNode, ValueInfo } from "../../../runtime/plan/plan.js";
import { partyViews } from "../../../compiler/audit/plan-view.js";
import { compileChecked } from "../../../compiler/middle.js";
import { checked, sumSource } from "./helpers.js";

const P = ["alice", "bob", "carol"];

/** A hand-built plan: a Beaver-style masked opening, a loop with one masked opening per
 *  iteration, a reveal to alice only, and a plain disclosure from bob to carol. */
function plan(): Plan {
  const values: ValueInfo[] = [];
  const v = (id: string, shape: number[], kind: ValueInfo["kind"] = "arith", holders = P): string => {
    values.push({ id, kind, elem: "fixed", shape, holders });
    return id;
  };
  v("x", [4]);
  v("e", [4], "ring");
  v("lp", [4]);
  v("le", [4], "ring");
  v("ln", [4]);
  v("lo", [4]);
  v("r", [4], "ring", ["alice"]);
  v("rc", [4], "clear", ["alice"]);
  v("pv", [3], "clear", ["bob"]);
  v("pvs", [3], "clear", ["bob", "carol"]);
  const loopBody: PlanNode[] = [
    { kind: "dealer", id: "n4", item: "triple", attrs: {}, out: [] },
    { kind: "open", id: "n5", args: ["lp"], to: P, out: ["le"], round: 0, origin: "mul" },
    { kind: "local", id: "n6", fn: "beaver", args: ["le"], attrs: {}, out: ["ln"] },
  ];
  const body: PlanNode[] = [
    { kind: "dealer", id: "n1", item: "triple", attrs: {}, out: [] },
    { kind: "open", id: "n2", args: ["x"], to: P, out: ["e"], round: 0, origin: "mul" },
    { kind: "loop", id: "n3", count: 5, start: 1, carried: [{ init: "x", param: "lp", next: "ln", out: "lo" }], body: loopBody, rounds: 1, src: { line: 7, col: 1, length: 3 } },
    { kind: "open", id: "n7", args: ["lo"], to: ["alice"], out: ["r"], round: 6, origin: "reveal" },
    { kind: "clear", id: "n8", op: "decode", args: ["r"], attrs: {}, parties: ["alice"], out: "rc" },
    { kind: "output", id: "n9", value: "rc", name: "result", to: ["alice"] },
    { kind: "send", id: "n10", from: "bob", value: "pv", to: ["carol"], out: "pvs", round: 0 },
    { kind: "output", id: "n11", value: "pvs", name: "bobs", to: ["bob", "carol"] },
  ];
  return {
    format: "mpc-plan",
    version: 1,
    program: "views",
    hash: "0123456789abcdef0123",
    precision: 16,
    parties: P,
    inputs: [],
    outputs: [],
    values,
    body,
    rounds: 7,
  };
}

test("each party's messages by round: masked openings, loop iterations, reveals and plain disclosures", (t) => {
  const prog = checked("program views\nparty alice, bob, carol\ninput alice.a : fixed\nreveal a as result to alice\n");
  const views = partyViews(prog, plan());
  if (!views.available) return t.fail();
  t.is(views.rounds, 7);
  const [alice, bob, carol] = views.parties;
  // alice: 2 masked messages (4 elements each) in round 0; per loop iteration 2 more; in round 6
  // the other two parties' shares of the 4 revealed elements.
  t.deepEqual(alice!.rounds.map((m) => [m.round, m.kind, m.messages, m.elements, m.from.join(","), m.outputs.join(",")]), [
    [0, "masked", 2, 8, "bob,carol", ""],
    [6, "reveal", 2, 8, "bob,carol", "result"],
  ]);
  t.is(alice!.loops.length, 1);
  t.deepEqual(alice!.loops[0]!.perIteration.map((m) => [m.round, m.kind, m.messages, m.elements]), [[0, "masked", 2, 8]]);
  t.is(alice!.loops[0]!.messages, 10);
  t.is(alice!.loops[0]!.elements, 40);
  t.is(alice!.messages, 14);
  t.is(alice!.nonRandomMessages, 2);
  t.is(alice!.dealerItems, 6);
  // bob gets no reveal; carol also gets bob's plain disclosure.
  t.deepEqual(bob!.rounds.map((m) => [m.round, m.kind]), [[0, "masked"]]);
  t.is(bob!.nonRandomMessages, 0);
  t.deepEqual(carol!.rounds.map((m) => [m.round, m.kind, m.messages, m.elements, m.from.join(","), m.outputs.join(",")]), [
    [0, "masked", 2, 8, "alice,bob", ""],
    [0, "plain", 1, 3, "bob", "bobs"],
  ]);
});

test("without a plan the view says why", (t) => {
  const prog = checked("program views\nparty alice, bob\ninput alice.a : fixed\nreveal a as result to alice\n");
  t.deepEqual(partyViews(prog, { unavailable: "the lowering does not support relu yet" }), {
    available: false,
    unavailable: "the lowering does not support relu yet",
  });
});

test("on the compiled seed sum every party receives the other three shares of the total", (t) => {
  const prog = checked(sumSource(4));
  const compiled = compileChecked(prog);
  if (!compiled.plan) return t.fail(JSON.stringify(compiled.diagnostics));
  const views = partyViews(prog, compiled.plan);
  if (!views.available) return t.fail();
  for (const v of views.parties) {
    const reveals = v.rounds.filter((m) => m.kind === "reveal");
    t.deepEqual(reveals.map((m) => [m.messages, m.elements, m.outputs.join(",")]), [[3, 3, "total"]], v.party);
    t.is(v.nonRandomMessages, 3);
  }
});

test("a private product's sends (x - A, A the sender's own dealer mask) are masked; a private value sent in the clear is still a plain disclosure", (t) => {
  const prog = checked(
    "program pv\nparty alice, bob\ninput alice.a : fixed[4, 3]\ninput bob.w : fixed[3, 2]\nreveal a @ w as mm to alice\nreveal a as a_plain to bob\n",
  );
  const compiled = compileChecked(prog);
  if (!compiled.plan) return t.fail(JSON.stringify(compiled.diagnostics));
  const sends = compiled.plan.body.filter((n) => n.kind === "send");
  t.is(sends.length, 3, "alice's E, bob's D, and alice's plain a");
  const views = partyViews(prog, compiled.plan);
  if (!views.available) return t.fail();
  const [alice, bob] = views.parties;
  const kinds = (v: typeof alice): [string, number, string, string][] => v!.rounds.map((m) => [m.kind, m.elements, m.from.join(","), m.outputs.join(",")]);
  // alice: bob's masked D = w - B (6 elements), then bob's share of the 8 revealed products
  t.deepEqual(kinds(alice).sort(), [
    ["masked", 6, "bob", ""],
    ["reveal", 8, "bob", "mm"],
  ]);
  // bob: alice's masked E = a - A (12 elements) and alice's plain a (12 elements)
  t.deepEqual(kinds(bob).sort(), [
    ["masked", 12, "alice", ""],
    ["plain", 12, "alice", "a_plain"],
  ]);
  t.is(alice!.nonRandomMessages, 1);
  t.is(bob!.nonRandomMessages, 1);
  t.is(alice!.dealerItems, 1);
});

for (const parties of [
  ["alice", "bob"],
  ["alice", "bob", "carol"],
]) {
  test(`private * secret (mulPrivateSecret): the owner's E = x - A to every other party and the secret operand's D opened to the owner are masked; the owner's plain x is still a disclosure (${parties.length} parties)`, (t) => {
    const prog = checked(
      `program pv\nparty ${parties.join(", ")}\ninput alice.a : fixed[4, 3]\ninput alice.k : fixed[4, 3]\ninput bob.y : fixed[4, 3]\n` +
        "let s = y + k\nreveal a * s as p to alice\nreveal a as a_plain to bob\n",
    );
    const compiled = compileChecked(prog);
    if (!compiled.plan) return t.fail(JSON.stringify(compiled.diagnostics));
    const body = compiled.plan.body;
    // the product's send reads mask_private's x - A, A the dealer's a_owner output
    const sends = body.filter((n): n is Extract<PlanNode, { kind: "send" }> => n.kind === "send");
    t.deepEqual(sends.map((n) => JSON.stringify([n.from, n.to])).sort(), [JSON.stringify(["alice", parties.slice(1)]), JSON.stringify(["alice", ["bob"]])].sort());
    const product = sends.find((n) => n.to.length === parties.length - 1 && body.some((m) => m.kind === "local" && m.fn === "mask_private" && m.out[0] === n.value));
    t.truthy(product);
    const views = partyViews(prog, compiled.plan);
    if (!views.available) return t.fail();
    const view = (p: string) => views.parties.find((v) => v.party === p)!;
    const kinds = (p: string): [string, number, string, string][] =>
      view(p)
        .rounds.map((m): [string, number, string, string] => [m.kind, m.elements, m.from.join(","), m.outputs.join(",")])
        .sort();
    const others = parties.filter((p) => p !== "alice");
    // alice: D = s - B from every other party's share (masked), with three parties the
    // truncation's masked opening, then their shares of the 12 products
    const masked: [string, number, string, string] = ["masked", 12 * others.length, others.join(","), ""];
    t.deepEqual(kinds("alice"), [masked, ...(parties.length === 3 ? [masked] : []), ["reveal", 12 * others.length, others.join(","), "p"]]);
    // bob: alice's masked E (12 elements) and alice's plain a (12 elements); with three parties
    // also the truncation's masked opening (12 from each other party)
    t.deepEqual(
      kinds("bob"),
      [
        ["masked", 12, "alice", ""],
        ["plain", 12, "alice", "a_plain"],
        ...(parties.length === 3 ? [["masked", 24, "alice,carol", ""] as [string, number, string, string]] : []),
      ].sort(),
    );
    if (parties.length === 3) {
      // carol owns nothing: she sees E masked and the truncation's masked opening, nothing plain
      t.deepEqual(kinds("carol"), [
        ["masked", 12, "alice", ""],
        ["masked", 24, "alice,bob", ""],
      ]);
      t.is(view("carol").nonRandomMessages, 0);
    }
    t.is(view("bob").nonRandomMessages, 1);
    t.is(view("alice").dealerItems, parties.length === 2 ? 1 : 2);
  });
}

test("a send of mask_private's output is masked only when its mask is a dealer output known to the sender alone", (t) => {
  const prog = checked("program views\nparty alice, bob, carol\ninput alice.a : fixed\nreveal a as result to alice\n");
  const values: ValueInfo[] = [
    { id: "x", kind: "clear", elem: "fixed", shape: [4], holders: ["alice"] },
    { id: "ma", kind: "ring", elem: "fixed", shape: [4], holders: ["alice"] },
    { id: "mb", kind: "ring", elem: "fixed", shape: [4], holders: ["bob"] },
    { id: "c", kind: "arith", elem: "fixed", shape: [4], holders: P },
    { id: "e1", kind: "ring", elem: "fixed", shape: [4], holders: ["alice"] },
    { id: "x1", kind: "ring", elem: "fixed", shape: [4], holders: ["alice"] },
    { id: "e2", kind: "ring", elem: "fixed", shape: [4], holders: ["alice"] },
    { id: "x2", kind: "ring", elem: "fixed", shape: [4], holders: ["alice"] },
    { id: "s1", kind: "ring", elem: "fixed", shape: [4], holders: ["alice", "bob"] },
    { id: "s2", kind: "ring", elem: "fixed", shape: [4], holders: ["alice", "carol"] },
    { id: "s3", kind: "clear", elem: "fixed", shape: [4], holders: ["alice", "carol"] },
  ];
  const body: PlanNode[] = [
    { kind: "dealer", id: "n1", item: "triple_mul", attrs: { shape: [4], a_owner: 0, b_owner: 1 }, out: ["ma", "mb", "c"] },
    // x - A with A alice's own mask: uniformly random to bob
    { kind: "local", id: "n2", fn: "mask_private", args: ["x", "ma"], attrs: { elem: "fixed", owner: "alice" }, out: ["e1", "x1"] },
    { kind: "send", id: "n3", from: "alice", value: "e1", to: ["bob"], out: "s1", round: 0 },
    // x - B with B bob's mask (not alice's): nothing says carol cannot know it -> plain
    { kind: "local", id: "n4", fn: "mask_private", args: ["x", "mb"], attrs: { elem: "fixed", owner: "alice" }, out: ["e2", "x2"] },
    { kind: "send", id: "n5", from: "alice", value: "e2", to: ["carol"], out: "s2", round: 0 },
    // the encoded x itself (mask_private's second output): a disclosure
    { kind: "send", id: "n6", from: "alice", value: "x1", to: ["carol"], out: "s3", round: 1 },
  ];
  const plan: Plan = { format: "mpc-plan", version: 1, program: "views", hash: "h", precision: 16, parties: P, inputs: [], outputs: [], values, body, rounds: 2 };
  const views = partyViews(prog, plan);
  if (!views.available) return t.fail();
  const [, bob, carol] = views.parties;
  t.deepEqual(bob!.rounds.map((m) => [m.round, m.kind, m.elements]), [[0, "masked", 4]]);
  t.is(bob!.nonRandomMessages, 0);
  t.deepEqual(carol!.rounds.map((m) => [m.round, m.kind, m.elements]), [
    [0, "plain", 4],
    [1, "plain", 4],
  ]);
  t.is(carol!.nonRandomMessages, 2);
});

test("a mask used for two values, or made outside the loop that uses it, does not make a send masked", (t) => {
  const prog = checked("program views\nparty alice, bob, carol\ninput alice.a : fixed\nreveal a as result to alice\n");
  const ring = (id: string, holders: string[]): ValueInfo => ({ id, kind: "ring", elem: "fixed", shape: [4], holders });
  const values: ValueInfo[] = [
    { id: "x", kind: "clear", elem: "fixed", shape: [4], holders: ["alice"] },
    { id: "y", kind: "clear", elem: "fixed", shape: [4], holders: ["alice"] },
    ring("ma", ["alice"]),
    ring("mb", ["bob"]),
    { id: "c", kind: "arith", elem: "fixed", shape: [4], holders: P },
    ...["e1", "x1", "e2", "x2", "e3", "x3"].map((id) => ring(id, ["alice"])),
    ring("na", ["alice"]),
    ring("nb", ["bob"]),
    { id: "nc", kind: "arith", elem: "fixed", shape: [4], holders: P },
    ...["s1", "s2", "s3"].map((id) => ring(id, ["alice", "bob"])),
  ];
  const body: PlanNode[] = [
    { kind: "dealer", id: "n1", item: "triple_mul", attrs: { shape: [4], a_owner: 0, b_owner: 1 }, out: ["ma", "mb", "c"] },
    // the same A masks x and y: bob would learn x - y from the two sends
    { kind: "local", id: "n2", fn: "mask_private", args: ["x", "ma"], attrs: { elem: "fixed", owner: "alice" }, out: ["e1", "x1"] },
    { kind: "local", id: "n3", fn: "mask_private", args: ["y", "ma"], attrs: { elem: "fixed", owner: "alice" }, out: ["e2", "x2"] },
    { kind: "send", id: "n4", from: "alice", value: "e1", to: ["bob"], out: "s1", round: 0 },
    { kind: "send", id: "n5", from: "alice", value: "e2", to: ["bob"], out: "s2", round: 0 },
    // a mask made once, used in every iteration of a loop: the same A each time
    { kind: "dealer", id: "n6", item: "triple_mul", attrs: { shape: [4], a_owner: 0, b_owner: 1 }, out: ["na", "nb", "nc"] },
    {
      kind: "loop",
      id: "n7",
      count: 3,
      start: 0,
      carried: [],
      rounds: 1,
      body: [
        { kind: "local", id: "n8", fn: "mask_private", args: ["x", "na"], attrs: { elem: "fixed", owner: "alice" }, out: ["e3", "x3"] },
        { kind: "send", id: "n9", from: "alice", value: "e3", to: ["bob"], out: "s3", round: 0 },
      ],
    },
  ];
  const plan: Plan = { format: "mpc-plan", version: 1, program: "views", hash: "h", precision: 16, parties: P, inputs: [], outputs: [], values, body, rounds: 4 };
  const views = partyViews(prog, plan);
  if (!views.available) return t.fail();
  const bob = views.parties[1]!;
  t.true(bob.rounds.length > 0);
  t.true(bob.rounds.every((m) => m.kind === "plain"), JSON.stringify(bob.rounds.map((m) => m.kind)));
  t.true(bob.nonRandomMessages >= 2);
});
