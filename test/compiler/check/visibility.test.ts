// Visibility inference: inputs are private to their owner, constants public, an op joins its
// operands, a var's visibility is the fixpoint of its assignments (also over loops and for
// uses before the raising assignment), loop variables are public, fns are generic.

import test from "ava";
import { binding, bindings, ok, reveals, typeOf, valueOf } from "./helpers.js";
import { showVisibility } from "../../../runtime/plan/visibility.js";

const P = "program t\nparty a, b\ninput a.x : fixed[3, 4]\ninput b.y : fixed[3, 4]\n";

test("inputs are private to their owner; constants and constructors are public", (t) => {
  const p = ok(P + "let u = x\nlet v = b.y\nlet c = 2 * 3\nlet z = zeros(3, 4)\nlet o = ones(2) + 1");
  t.is(typeOf(p, "u"), "private(a) fixed[3, 4]");
  t.is(typeOf(p, "v"), "private(b) fixed[3, 4]");
  t.is(typeOf(p, "c"), "public int[]");
  t.is(typeOf(p, "z"), "public fixed[3, 4]");
  t.is(typeOf(p, "o"), "public fixed[2]");
});

test("an op joins its operands: one owner stays private, two owners make it secret", (t) => {
  const p = ok(P + "let s = sigmoid(x * 2 + 1)\nlet m = mean(x, axis = 0)\nlet t2 = x + y\nlet u = t2 - t2\nlet k = argmax(x, axis = 1)");
  t.is(typeOf(p, "s"), "private(a) fixed[3, 4]");
  t.is(typeOf(p, "m"), "private(a) fixed[4]");
  t.is(typeOf(p, "t2"), "secret fixed[3, 4]");
  t.is(typeOf(p, "u"), "secret fixed[3, 4]");
  t.is(typeOf(p, "k"), "private(a) int[3]");
});

test("a var that starts public and is assigned a secret value in a loop is secret throughout", (t) => {
  const p = ok(P + "var w = zeros(3, 4)\nlet before = w + 1\nfor i in 0..5 {\n  let step = w * 0.5\n  w = w + x * y\n}\nlet after = w");
  t.is(typeOf(p, "w"), "secret fixed[3, 4]");
  t.is(typeOf(p, "before"), "secret fixed[3, 4]");
  t.is(typeOf(p, "step"), "secret fixed[3, 4]");
  t.is(typeOf(p, "after"), "secret fixed[3, 4]");
  // The initial value itself is still public: it is shared without communication.
  t.is(showVisibility(valueOf(p, "w").type.vis), "public");
});

test("a var assigned only its owner's data stays private to that owner", (t) => {
  const p = ok(P + "var acc = zeros(3, 4)\nfor i in 0..3 { acc = acc + x }");
  t.is(typeOf(p, "acc"), "private(a) fixed[3, 4]");
});

test("the var fixpoint passes through chains of vars", (t) => {
  // v2 depends on v1, which only becomes secret at the end of the loop body.
  const p = ok(P + "var v1 = zeros(3, 4)\nvar v2 = zeros(3, 4)\nfor i in 0..2 {\n  v2 = v1 + 1\n  v1 = x + y\n}");
  t.is(typeOf(p, "v1"), "secret fixed[3, 4]");
  t.is(typeOf(p, "v2"), "secret fixed[3, 4]");
});

test("a var assigned in a branch of a public if", (t) => {
  const p = ok(P + "const debug = true\nvar w = zeros(3, 4)\nif debug { w = x } else { w = w + 1 }");
  t.is(typeOf(p, "w"), "private(a) fixed[3, 4]");
});

test("private(a) joined with private(b) through a var is secret", (t) => {
  const p = ok(P + "var w = x\nw = y");
  t.is(typeOf(p, "w"), "secret fixed[3, 4]");
});

test("the loop variable is a public int; select joins all three operands", (t) => {
  const p = ok(P + "for i in 0..3 { let j = i * 2 }\nlet s = select(x > 0, x, 0)\nlet s2 = select(x > 0, 1, y)");
  t.is(typeOf(p, "i"), "public int[]");
  t.is(typeOf(p, "j"), "public int[]");
  t.is(typeOf(p, "s"), "private(a) fixed[3, 4]");
  t.is(typeOf(p, "s2"), "secret fixed[3, 4]");
});

test("fns are inlined per call and generic over visibility", (t) => {
  const p = ok(P + "fn twice(u) { let d = u + u\n return d }\nlet pa = twice(x)\nlet ps = twice(x + y)\nlet pp = twice(3)");
  t.is(typeOf(p, "pa"), "private(a) fixed[3, 4]");
  t.is(typeOf(p, "ps"), "secret fixed[3, 4]");
  t.is(typeOf(p, "pp"), "public int[]");
  // Each call has its own bindings for the parameter and the local.
  t.is(bindings(p, "u").length, 3);
  t.is(bindings(p, "d").length, 3);
  t.is(new Set(bindings(p, "d").map((b) => b.id)).size, 3);
});

test("grad has the weights' shape and the join of loss and weights' visibility", (t) => {
  const p = ok(P + "var w = zeros(4, 1)\nfor e in 0..2 {\n  let loss = mse(x @ w, y[:, 0:1])\n  let g = grad(loss, w)\n  w = w - 0.1 * g\n}");
  t.is(typeOf(p, "loss"), "secret fixed[]");
  t.is(typeOf(p, "g"), "secret fixed[4, 1]");
  t.is(typeOf(p, "w"), "secret fixed[4, 1]");
  const g = valueOf(p, "g");
  t.is(g.k, "grad");
  if (g.k === "grad") t.is(g.wrt, binding(p, "w"));
});

test("reveals keep the visibility the value had and list receivers in declaration order", (t) => {
  const p = ok(P + "party c\nreveal x to b\nreveal x + y as s to c, a\nreveal 1 + 2 as k to all\nreveal a.x as mine to a");
  const rs = reveals(p).map((r) => [r.name, showVisibility(r.value.type.vis), r.to.join(",")]);
  t.deepEqual(rs, [
    ["x", "private(a)", "b"],
    ["s", "secret", "a,c"],
    ["k", "public", "a,b,c"],
    ["mine", "private(a)", "a"],
  ]);
});

test("a var local to a fn has its own fixpoint at each call", (t) => {
  const p = ok(P + "fn acc(u) {\n  var s = zeros(3, 4)\n  for i in 0..2 { s = s + u }\n  return s\n}\nlet pa = acc(x)\nlet ps = acc(x + y)\nlet pp = acc(1)");
  t.deepEqual(
    bindings(p, "s").map((b) => showVisibility(b.type.vis)),
    ["private(a)", "secret", "public"],
  );
  t.is(typeOf(p, "ps"), "secret fixed[3, 4]");
});

test("a var declared in a loop body is fresh each iteration but has one visibility", (t) => {
  const p = ok(P + "for i in 0..3 {\n  var v = zeros(3, 4)\n  let before = v\n  v = v + y\n}");
  t.is(typeOf(p, "v"), "private(b) fixed[3, 4]");
  t.is(typeOf(p, "before"), "private(b) fixed[3, 4]");
});
