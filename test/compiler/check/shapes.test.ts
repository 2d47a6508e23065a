// Shape inference: NumPy broadcasting, matmul, reductions, shape ops, slicing, layers,
// losses and element types (int literal -> fixed where needed, `/` gives fixed).

import test from "ava";
import { ok, typeOf, valueOf } from "./helpers.js";
import type { TExpr } from "../../../compiler/check/typed.js";

const P = "program t\nparty a, b\ninput a.m : fixed[569, 15]\ninput a.v : fixed[15]\ninput b.c : fixed[569, 1]\ninput b.n : int[3]\n";

/** The element type and shape of each `let`. */
function shapes(body: string, names: string[]): string[] {
  const p = ok(P + body);
  return names.map((n) => typeOf(p, n).replace(/^\S+ /, ""));
}

test("broadcasting follows NumPy", (t) => {
  t.deepEqual(
    shapes("let r1 = m + v\nlet r2 = m * c\nlet r3 = c + v\nlet r4 = m - 1\nlet r5 = zeros(3, 1) + zeros(1, 4)\nlet r6 = 2 * zeros(2, 1, 3)", ["r1", "r2", "r3", "r4", "r5", "r6"]),
    ["fixed[569, 15]", "fixed[569, 15]", "fixed[569, 15]", "fixed[569, 15]", "fixed[3, 4]", "fixed[2, 1, 3]"],
  );
});

test("matmul: matrices and vectors", (t) => {
  t.deepEqual(
    shapes("let r1 = m @ zeros(15, 2)\nlet r2 = v @ zeros(15, 2)\nlet r3 = m @ v\nlet r4 = v @ v\nlet r5 = transpose(m) @ c", ["r1", "r2", "r3", "r4", "r5"]),
    ["fixed[569, 2]", "fixed[2]", "fixed[569]", "fixed[]", "fixed[15, 1]"],
  );
});

test("reductions with axis and keepdims", (t) => {
  t.deepEqual(
    shapes(
      "let r1 = sum(m)\nlet r2 = sum(m, axis = 0)\nlet r3 = mean(m, axis = -1, keepdims = true)\nlet r4 = max(m, axis = 1)\nlet r5 = sum(m, keepdims = true)\nlet r6 = argmax(m, axis = 1)\nlet r7 = argmax(m)\nlet r8 = mean(n)\nlet r9 = sum(n)",
      ["r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9"],
    ),
    ["fixed[]", "fixed[15]", "fixed[569, 1]", "fixed[569]", "fixed[1, 1]", "int[569]", "int[]", "fixed[]", "int[]"],
  );
  const p = ok(P + "let r = mean(m, axis = -1, keepdims = true)");
  const r = valueOf(p, "r");
  t.deepEqual(r.k === "op" ? [r.op, r.attrs] : [], ["mean", { axis: 1, keepdims: true }]);
});

test("shape ops: transpose, reshape, flatten, concat, stack, arrays, broadcast_to", (t) => {
  t.deepEqual(
    shapes(
      "let r1 = transpose(m)\nlet r2 = reshape(m, 15, 569)\nlet r3 = reshape(m, -1)\nlet r4 = reshape(v, [3, 5])\nlet r5 = flatten(zeros(2, 3, 4))\nlet r6 = concat(m, c, axis = 1)\nlet r7 = concat(m, m)\nlet r8 = stack(v, v, v)\nlet r9 = stack(v, v, axis = 1)\nlet r10 = [1, 2, 3]\nlet r11 = [v, v]\nlet r12 = broadcast_to(c, 569, 4)\nlet r13 = transpose(zeros(2, 3, 4), perm = [1, 0, 2])",
      ["r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9", "r10", "r11", "r12", "r13"],
    ),
    [
      "fixed[15, 569]",
      "fixed[15, 569]",
      "fixed[8535]",
      "fixed[3, 5]",
      "fixed[2, 12]",
      "fixed[569, 16]",
      "fixed[1138, 15]",
      "fixed[3, 15]",
      "fixed[15, 2]",
      "int[3]",
      "fixed[2, 15]",
      "fixed[569, 4]",
      "fixed[3, 2, 4]",
    ],
  );
});

test("indexing drops an axis, slicing keeps it; negative indices count from the end", (t) => {
  t.deepEqual(
    shapes("let r1 = m[0]\nlet r2 = m[:, 0]\nlet r3 = m[0:10, 2:5]\nlet r4 = m[-1, -1]\nlet r5 = m[-10:]\nlet r6 = v[:3]\nlet r7 = m[1:2]", ["r1", "r2", "r3", "r4", "r5", "r6", "r7"]),
    ["fixed[15]", "fixed[569]", "fixed[10, 3]", "fixed[]", "fixed[10, 15]", "fixed[3]", "fixed[1, 15]"],
  );
  const p = ok(P + "const k = 2\nlet r = m[-1, k:k + 3]");
  const r = valueOf(p, "r");
  t.deepEqual(r.k === "op" ? [r.op, r.attrs] : [], ["slice", { ranges: [[568, null], [2, 5]] }]);
});

test("layers: conv2d, pooling, batchnorm, softmax", (t) => {
  t.deepEqual(
    shapes(
      "let img = zeros(8, 1, 28, 28)\nlet k = zeros(6, 1, 5, 5)\nlet r1 = conv2d(img, k)\nlet r2 = conv2d(img, k, stride = 2, padding = 2)\nlet r3 = avg_pool2d(r1, 2)\nlet r4 = max_pool2d(r1, kernel = 3, stride = 1)\nlet r5 = batchnorm(r1, ones(6), zeros(6), zeros(6), ones(6))\nlet r6 = softmax(m)\nlet r7 = log_softmax(m, axis = 0)\nlet r8 = flatten(r3)",
      ["r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8"],
    ),
    ["fixed[8, 6, 24, 24]", "fixed[8, 6, 14, 14]", "fixed[8, 6, 12, 12]", "fixed[8, 6, 22, 22]", "fixed[8, 6, 24, 24]", "fixed[569, 15]", "fixed[569, 15]", "fixed[8, 864]"],
  );
});

test("losses are fixed scalars; comparisons are bool; select broadcasts", (t) => {
  t.deepEqual(
    shapes(
      "let r1 = mse(m, m)\nlet r2 = bce(sigmoid(c), c)\nlet r3 = cross_entropy(m, m)\nlet r4 = m > v\nlet r5 = select(c > 0, m, 0)\nlet r6 = n == 1\nlet r7 = !(n < 2) && true",
      ["r1", "r2", "r3", "r4", "r5", "r6", "r7"],
    ),
    ["fixed[]", "fixed[]", "fixed[]", "bool[569, 15]", "fixed[569, 15]", "bool[3]", "bool[3]"],
  );
});

test("element types: int literals become fixed where needed, / is true division, int tensors are cast", (t) => {
  t.deepEqual(
    shapes("let r1 = 1 + 2\nlet r2 = 1 / 2\nlet r3 = n * 2\nlet r4 = n * 0.5\nlet r5 = n + v[0:3]\nlet r6 = to_fixed(n > 0)\nlet r7 = to_int(v)\nlet r8 = clip(n, 0, 5)\nlet r9 = clip(n, 0, 0.5)", ["r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9"]),
    ["int[]", "fixed[]", "int[3]", "fixed[3]", "fixed[3]", "fixed[3]", "int[15]", "int[3]", "fixed[3]"],
  );
  const p = ok(P + "let r = n * 0.5\nlet s = m * 2");
  const r = valueOf(p, "r");
  // An int tensor gets an explicit cast; an int literal is simply retyped.
  t.deepEqual(r.k === "op" ? r.args.map((a: TExpr) => (a.k === "op" ? `${a.op}:${a.type.elem}` : `${a.k}:${a.type.elem}`)) : [], ["cast:fixed", "const:fixed"]);
  const s = valueOf(p, "s");
  t.deepEqual(s.k === "op" ? s.args.map((a: TExpr) => `${a.k}:${a.type.elem}`) : [], ["input:fixed", "const:fixed"]);
});

test("fns are generic over shapes: one body, checked at each call", (t) => {
  t.deepEqual(shapes("fn norm(x) { return x - mean(x, axis = 0) }\nlet r1 = norm(m)\nlet r2 = norm(v)\nlet r3 = norm(n)", ["r1", "r2", "r3"]), ["fixed[569, 15]", "fixed[15]", "fixed[3]"]);
});

test("consts are evaluated at compile time and usable as shapes, axes and loop bounds", (t) => {
  const p = ok(P + "const k = 3\nconst half = k / 2\nconst neg = -k\nlet z = zeros(k, k + 1)\nfor i in 1..k * 2 { let j = i }\nlet h = half * m");
  t.is(typeOf(p, "z"), "public fixed[3, 4]");
  const loop = p.body.find((s) => s.k === "for");
  t.deepEqual(loop && loop.k === "for" ? [loop.from, loop.to] : [], [1, 6]);
  const h = valueOf(p, "h");
  t.deepEqual(h.k === "op" && h.args[0]!.k === "const" ? [h.args[0]!.value, h.args[0]!.type.elem] : [], [1.5, "fixed"]);
});
