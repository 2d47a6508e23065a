import test from "ava";
import { evalClearOp } from "../../../runtime/clear/index.js";
import { close, T } from "./helpers.js";

test("add broadcasts a row against a column (NumPy rules)", (t) => {
  close(t, evalClearOp("add", [T([[1], [2]]), T([10, 20, 30])]), [[11, 21, 31], [12, 22, 32]]);
});

test("sub, mul, div with a scalar on either side", (t) => {
  close(t, evalClearOp("sub", [T(10), T([1, 2])]), [9, 8]);
  close(t, evalClearOp("mul", [T([1.5, -2]), T(4)]), [6, -8]);
  close(t, evalClearOp("div", [T([1, 3]), T(4)]), [0.25, 0.75]);
});

test("broadcasting over a middle axis of rank-3 operands", (t) => {
  const a = T([[[1, 2]], [[3, 4]]]); // [2,1,2]
  const b = T([[10, 20], [30, 40], [50, 60]]); // [3,2]
  close(t, evalClearOp("add", [a, b]), [
    [[11, 22], [31, 42], [51, 62]],
    [[13, 24], [33, 44], [53, 64]],
  ]);
});

test("incompatible shapes are rejected with both shapes named", (t) => {
  t.throws(() => evalClearOp("add", [T([1, 2, 3]), T([1, 2])]), { message: "add: cannot broadcast shapes [3] and [2]" });
});

test("comparisons and logic give 0/1", (t) => {
  const a = T([1, 2, 3]);
  const b = T([2, 2, 2]);
  close(t, evalClearOp("lt", [a, b]), [1, 0, 0]);
  close(t, evalClearOp("le", [a, b]), [1, 1, 0]);
  close(t, evalClearOp("gt", [a, b]), [0, 0, 1]);
  close(t, evalClearOp("ge", [a, b]), [0, 1, 1]);
  close(t, evalClearOp("eq", [a, b]), [0, 1, 0]);
  close(t, evalClearOp("ne", [a, b]), [1, 0, 1]);
  close(t, evalClearOp("and", [T([1, 1, 0, 0]), T([1, 0, 1, 0])]), [1, 0, 0, 0]);
  close(t, evalClearOp("or", [T([1, 1, 0, 0]), T([1, 0, 1, 0])]), [1, 1, 1, 0]);
  close(t, evalClearOp("not", [T([1, 0])]), [0, 1]);
});

test("select picks a where c, else b, broadcasting all three", (t) => {
  close(t, evalClearOp("select", [T([[1], [0]]), T([1, 2]), T(-1)]), [[1, 2], [-1, -1]]);
});

test("neg, square, relu, abs, sign", (t) => {
  const x = T([-2, 0, 3]);
  close(t, evalClearOp("neg", [x]), [2, -0, -3]);
  close(t, evalClearOp("square", [x]), [4, 0, 9]);
  close(t, evalClearOp("relu", [x]), [0, 0, 3]);
  close(t, evalClearOp("abs", [x]), [2, 0, 3]);
  close(t, evalClearOp("sign", [x]), [-1, 0, 1]);
});

test("sigmoid and tanh at known points, sigmoid stable for large |x|", (t) => {
  close(t, evalClearOp("sigmoid", [T([0, Math.log(3), -Math.log(3), -1000, 1000])]), [0.5, 0.75, 0.25, 0, 1]);
  close(t, evalClearOp("tanh", [T([0, Math.log(2)])]), [0, 0.6]);
});

test("exp, log, sqrt, inv_sqrt, reciprocal", (t) => {
  close(t, evalClearOp("exp", [T([0, 1])]), [1, Math.E]);
  close(t, evalClearOp("log", [T([1, Math.E * Math.E])]), [0, 2]);
  close(t, evalClearOp("sqrt", [T([4, 2.25])]), [2, 1.5]);
  close(t, evalClearOp("inv_sqrt", [T([4, 0.25])]), [0.5, 2]);
  close(t, evalClearOp("reciprocal", [T([4, -0.5])]), [0.25, -2]);
});

test("clip with both bounds and with one", (t) => {
  close(t, evalClearOp("clip", [T([-5, 0.5, 5])], { min: -1, max: 1 }), [-1, 0.5, 1]);
  close(t, evalClearOp("clip", [T([-5, 0.5, 5])], { min: 0 }), [0, 0.5, 5]);
  t.throws(() => evalClearOp("clip", [T([1])], { min: 2, max: 1 }), { message: "clip: min 2 is greater than max 1" });
});

test("wrong operand count and unknown ops are errors", (t) => {
  t.throws(() => evalClearOp("add", [T(1)]), { message: "add: takes 2 operands, got 1" });
  t.throws(() => evalClearOp("frobnicate", []), { message: "frobnicate: unknown op" });
});

test("operands are never mutated", (t) => {
  const a = T([1, 2]);
  evalClearOp("neg", [a]);
  evalClearOp("add", [a, a]);
  t.deepEqual(Array.from(a.data), [1, 2]);
});

test("the plan-level const op materialises a constant (bool as 0/1, optional shape)", (t) => {
  close(t, evalClearOp("const", [], { value: 2.5 }), 2.5);
  close(t, evalClearOp("const", [], { value: true }), 1);
  close(t, evalClearOp("const", [], { value: -1, shape: [2] }), [-1, -1]);
  t.throws(() => evalClearOp("const", [], {}), { message: "const: attribute value must be a number or a bool" });
});
