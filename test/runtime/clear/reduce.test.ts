import test from "ava";
import { evalClearOp } from "../../../runtime/clear/index.js";
import { close, T } from "./helpers.js";

const M = T([
  [1, 5, 3],
  [4, 2, 6],
]);

test("sum over all elements, each axis, negative axis, keepdims", (t) => {
  close(t, evalClearOp("sum", [M]), 21);
  close(t, evalClearOp("sum", [M], { axis: 0 }), [5, 7, 9]);
  close(t, evalClearOp("sum", [M], { axis: 1 }), [9, 12]);
  close(t, evalClearOp("sum", [M], { axis: -1 }), [9, 12]);
  close(t, evalClearOp("sum", [M], { axis: 0, keepdims: true }), [[5, 7, 9]]);
  close(t, evalClearOp("sum", [M], { keepdims: true }), [[21]]);
});

test("sum over a list of axes of a rank-3 tensor", (t) => {
  const x = T([
    [[1, 2], [3, 4]],
    [[5, 6], [7, 8]],
  ]);
  close(t, evalClearOp("sum", [x], { axis: [0, 2] }), [14, 22]);
  close(t, evalClearOp("sum", [x], { axis: 1 }), [[4, 6], [12, 14]]);
  t.throws(() => evalClearOp("sum", [x], { axis: [0, -3] }), { message: "sum: axis -3 is repeated" });
  t.throws(() => evalClearOp("sum", [x], { axis: 3 }), { message: "sum: axis 3 is out of range for rank 3" });
});

test("mean, max, min", (t) => {
  close(t, evalClearOp("mean", [M]), 3.5);
  close(t, evalClearOp("mean", [M], { axis: 0 }), [2.5, 3.5, 4.5]);
  close(t, evalClearOp("max", [M]), 6);
  close(t, evalClearOp("max", [M], { axis: 1 }), [5, 6]);
  close(t, evalClearOp("min", [M], { axis: 0, keepdims: true }), [[1, 2, 3]]);
  close(t, evalClearOp("min", [T([-1, -7, 2])]), -7);
});

test("argmax: along an axis, flattened without one, first index on ties", (t) => {
  close(t, evalClearOp("argmax", [M], { axis: 1 }), [1, 2]);
  close(t, evalClearOp("argmax", [M], { axis: 0 }), [1, 0, 1]);
  close(t, evalClearOp("argmax", [M]), 5);
  close(t, evalClearOp("argmax", [T([[3, 3, 1], [0, 2, 2]])], { axis: -1 }), [0, 1]);
});

test("softmax along the last axis by default, and along axis 0", (t) => {
  const x = T([
    [0, Math.log(3)],
    [Math.log(2), Math.log(2)],
  ]);
  close(t, evalClearOp("softmax", [x]), [[0.25, 0.75], [0.5, 0.5]], 1e-15);
  close(t, evalClearOp("softmax", [T([[0, 0], [Math.log(3), 0]])], { axis: 0 }), [[0.25, 0.5], [0.75, 0.5]], 1e-15);
});

test("softmax and log_softmax stay finite for huge logits", (t) => {
  close(t, evalClearOp("softmax", [T([1000, 1000 + Math.log(3)])]), [0.25, 0.75], 1e-12);
  close(t, evalClearOp("log_softmax", [T([1000, 1000])]), [-Math.LN2, -Math.LN2], 1e-15);
  close(t, evalClearOp("log_softmax", [T([0, Math.log(3)])]), [Math.log(0.25), Math.log(0.75)], 1e-15);
});
