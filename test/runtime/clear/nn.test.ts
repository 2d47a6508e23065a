import test from "ava";
import { evalClearOp } from "../../../runtime/clear/index.js";
import { close, T } from "./helpers.js";

const X = T([[[
  [1, 2, 3],
  [4, 5, 6],
  [7, 8, 9],
]]]); // [1,1,3,3]
const DIAG = T([[[[1, 0], [0, -1]]]]); // [1,1,2,2]: x[i][j] - x[i+1][j+1]

test("conv2d without padding is a cross-correlation", (t) => {
  close(t, evalClearOp("conv2d", [X, DIAG], {}), [[[[-4, -4], [-4, -4]]]]);
});

test("conv2d with zero padding and stride 2", (t) => {
  close(t, evalClearOp("conv2d", [X, DIAG], { stride: 2, padding: 1 }), [[[[-1, -3], [-7, -4]]]]);
  close(t, evalClearOp("conv2d", [X, DIAG], { stride: [1, 2], padding: [0, 1] }), [[[[0 - 4, 2 - 6], [0 - 7, 5 - 9]]]]);
});

test("conv2d sums over input channels, one map per output channel", (t) => {
  const x = T([[
    [[1, 2], [3, 4]],
    [[10, 20], [30, 40]],
  ]]); // [1,2,2,2]
  const w = T([
    [[[1, 1], [1, 1]], [[0, 0], [0, 0]]],
    [[[1, 0], [0, 0]], [[0, 0], [0, 1]]],
  ]); // [2,2,2,2]
  close(t, evalClearOp("conv2d", [x, w], {}), [[[[10]], [[41]]]]);
  t.throws(() => evalClearOp("conv2d", [x, DIAG], {}), { message: "conv2d: input has 2 channels but weights expect 1" });
});

test("avg_pool2d and max_pool2d with stride = kernel by default, and stride 1", (t) => {
  const x = T([[[
    [1, 2, 3, 4],
    [5, 6, 7, 8],
    [9, 10, 11, 12],
    [13, 14, 15, 16],
  ]]]);
  close(t, evalClearOp("avg_pool2d", [x], { kernel: 2 }), [[[[3.5, 5.5], [11.5, 13.5]]]]);
  close(t, evalClearOp("max_pool2d", [x], { kernel: 2 }), [[[[6, 8], [14, 16]]]]);
  close(t, evalClearOp("max_pool2d", [X], { kernel: 2, stride: 1 }), [[[[5, 6], [8, 9]]]]);
  close(t, evalClearOp("avg_pool2d", [X], { kernel: [1, 3] }), [[[[2], [5], [8]]]]);
});

test("batchnorm normalises per channel on axis 1", (t) => {
  const g = T([2, 0.5]);
  const b = T([0, 1]);
  const m = T([1, 2]);
  const v = T([4, 1]);
  close(t, evalClearOp("batchnorm", [T([[1, 2], [3, 4]]), g, b, m, v], { eps: 0 }), [[0, 1], [2, 2]]);
  // NCHW: channel 0 holds [1, 3], channel 1 holds [2, 4].
  close(t, evalClearOp("batchnorm", [T([[[[1, 3]], [[2, 4]]]]), g, b, m, v], { eps: 0 }), [[[[0, 2]], [[1, 2]]]]);
  // Default eps = 1e-5.
  close(t, evalClearOp("batchnorm", [T([[3, 2]]), T([1, 1]), T([0, 0]), T([1, 2]), T([4, 1])]), [[2 / Math.sqrt(4 + 1e-5), 0]], 1e-15);
});
