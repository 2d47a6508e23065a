import test from "ava";
import { evalClearOp } from "../../../runtime/clear/index.js";
import { close, T } from "./helpers.js";

const M = T([
  [1, 2, 3],
  [4, 5, 6],
]);

test("transpose reverses axes by default and permutes with perm", (t) => {
  close(t, evalClearOp("transpose", [M]), [[1, 4], [2, 5], [3, 6]]);
  const x = T([
    [[1, 2], [3, 4], [5, 6]],
    [[7, 8], [9, 10], [11, 12]],
  ]); // [2,3,2]
  close(t, evalClearOp("transpose", [x], { perm: [1, 0, 2] }), [
    [[1, 2], [7, 8]],
    [[3, 4], [9, 10]],
    [[5, 6], [11, 12]],
  ]);
  close(t, evalClearOp("transpose", [x]), [
    [[1, 7], [3, 9], [5, 11]],
    [[2, 8], [4, 10], [6, 12]],
  ]);
  close(t, evalClearOp("transpose", [T([1, 2])]), [1, 2]);
  t.throws(() => evalClearOp("transpose", [x], { perm: [0, 0, 1] }), { message: "transpose: perm [0, 0, 1] is not a permutation" });
});

test("reshape keeps row-major order, infers -1, rejects a size change", (t) => {
  close(t, evalClearOp("reshape", [M], { shape: [3, 2] }), [[1, 2], [3, 4], [5, 6]]);
  close(t, evalClearOp("reshape", [M], { shape: [-1] }), [1, 2, 3, 4, 5, 6]);
  close(t, evalClearOp("reshape", [T([7])], { shape: [] }), 7);
  t.throws(() => evalClearOp("reshape", [M], { shape: [4] }), { message: "reshape: cannot reshape [2, 3] to [4]" });
});

test("flatten keeps the first axis", (t) => {
  const x = T([[[1, 2], [3, 4]], [[5, 6], [7, 8]]]);
  close(t, evalClearOp("flatten", [x]), [[1, 2, 3, 4], [5, 6, 7, 8]]);
  close(t, evalClearOp("flatten", [T([1, 2])]), [[1], [2]]);
});

test("concat along axis 0, axis 1 and a negative axis", (t) => {
  close(t, evalClearOp("concat", [M, T([[7, 8, 9]])], { axis: 0 }), [[1, 2, 3], [4, 5, 6], [7, 8, 9]]);
  close(t, evalClearOp("concat", [M, T([[0], [-1]]), M], { axis: 1 }), [[1, 2, 3, 0, 1, 2, 3], [4, 5, 6, -1, 4, 5, 6]]);
  close(t, evalClearOp("concat", [M, T([[0], [-1]])], { axis: -1 }), [[1, 2, 3, 0], [4, 5, 6, -1]]);
  t.throws(() => evalClearOp("concat", [M, T([[0], [-1]])], { axis: 0 }), {
    message: "concat: shapes [2, 3], [2, 1] do not match outside axis 0",
  });
});

test("stack along a new first and last axis", (t) => {
  close(t, evalClearOp("stack", [T([1, 2]), T([3, 4]), T([5, 6])], { axis: 0 }), [[1, 2], [3, 4], [5, 6]]);
  close(t, evalClearOp("stack", [T([1, 2]), T([3, 4])], { axis: -1 }), [[1, 3], [2, 4]]);
  close(t, evalClearOp("stack", [T(1), T(2)], {}), [1, 2]);
});

test("slice with ranges and index axes encoded as the checker writes them", (t) => {
  close(t, evalClearOp("slice", [M], { ranges: [[0, 1], [1, 3]] }), [[2, 3]]);
  close(t, evalClearOp("slice", [M], { ranges: [[0, 2], [0, 2]] }), [[1, 2], [4, 5]]);
  close(t, evalClearOp("slice", [M], { ranges: [[1, null]] }), [4, 5, 6]);
  close(t, evalClearOp("slice", [M], { ranges: [[0, 2], [2, null]] }), [3, 6]);
  close(t, evalClearOp("slice", [M], { ranges: [[1, null], [2, null]] }), 6);
  const x = T([[[1, 2], [3, 4]], [[5, 6], [7, 8]]]);
  close(t, evalClearOp("slice", [x], { ranges: [[0, 2], [1, null], [0, 1]] }), [[3], [7]]);
});

test("slice also takes bare and negative indices and clamps ranges like Python", (t) => {
  close(t, evalClearOp("slice", [M], { ranges: [1, 2] }), 6);
  close(t, evalClearOp("slice", [M], { ranges: [[0, 2], [-1, null]] }), [3, 6]);
  close(t, evalClearOp("slice", [M], { ranges: [[-1, 2], [0, 10]] }), [[4, 5, 6]]);
  t.throws(() => evalClearOp("slice", [M], { ranges: [[2, null]] }), { message: "slice: index 2 is out of range for axis 0 of size 2" });
  t.throws(() => evalClearOp("slice", [M], { ranges: [[null, 1]] }), { message: "slice: each entry of ranges must be [start, end] or [index, null]" });
});

test("broadcast_to, zeros, ones", (t) => {
  close(t, evalClearOp("broadcast_to", [T([1, 2])], { shape: [2, 2] }), [[1, 2], [1, 2]]);
  close(t, evalClearOp("zeros", [], { shape: [2, 1] }), [[0], [0]]);
  close(t, evalClearOp("ones", [], { shape: [3] }), [1, 1, 1]);
  close(t, evalClearOp("ones", [], { shape: [] }), 1);
  t.throws(() => evalClearOp("broadcast_to", [T([1, 2])], { shape: [3] }), { message: "broadcast_to: cannot broadcast shapes [2] and [3]" });
});

test("cast: to int floors (like the ring's shift), to bool is non-zero, to fixed unchanged", (t) => {
  close(t, evalClearOp("cast", [T([1.7, -0.5, -2, 3])], { to: "int" }), [1, -1, -2, 3]);
  close(t, evalClearOp("cast", [T([0, 2, -0.1])], { to: "bool" }), [0, 1, 1]);
  close(t, evalClearOp("cast", [T([1, 0])], { to: "fixed" }), [1, 0]);
});

test("matmul: matrix-matrix, vector on either side, batched with broadcasting", (t) => {
  const A = T([[1, 2], [3, 4]]);
  const B = T([[5, 6, 7], [8, 9, 10]]);
  close(t, evalClearOp("matmul", [A, B]), [[21, 24, 27], [47, 54, 61]]);
  close(t, evalClearOp("matmul", [T([1, 1]), B]), [13, 15, 17]);
  close(t, evalClearOp("matmul", [A, T([1, -1])]), [-1, -1]);
  close(t, evalClearOp("matmul", [T([1, 2, 3]), T([4, 5, 6])]), 32);
  const batch = T([[[1, 0], [0, 1]], [[2, 0], [0, 2]]]); // [2,2,2]
  close(t, evalClearOp("matmul", [batch, A]), [[[1, 2], [3, 4]], [[2, 4], [6, 8]]]);
  t.throws(() => evalClearOp("matmul", [A, T([[1, 2, 3]])]), { message: "matmul: cannot multiply [2, 2] by [1, 3]" });
});
