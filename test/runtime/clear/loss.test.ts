import test from "ava";
import { evalClearOp } from "../../../runtime/clear/index.js";
import { close, T } from "./helpers.js";

test("mse averages squared errors over all elements", (t) => {
  close(t, evalClearOp("mse", [T([[1], [2]]), T([[0], [0]])]), 2.5);
  close(t, evalClearOp("mse", [T([[1, 3]]), T([[2, 1]])]), 2.5);
  t.throws(() => evalClearOp("mse", [T([1, 2]), T([[1], [2]])]), {
    message: "mse: predictions [2] and targets [2, 1] differ in shape",
  });
});

test("bce of probabilities against labels", (t) => {
  close(t, evalClearOp("bce", [T([[0.5], [0.9]]), T([[1], [0]])]), -(Math.log(0.5) + Math.log(0.1)) / 2, 1e-15);
});

test("bce clips probabilities to [1e-7, 1 - 1e-7]", (t) => {
  close(t, evalClearOp("bce", [T([0]), T([1])]), -Math.log(1e-7), 1e-12);
  close(t, evalClearOp("bce", [T([1]), T([0])]), -Math.log(1 - (1 - 1e-7)), 1e-6);
  close(t, evalClearOp("bce", [T([1]), T([1])]), -Math.log(1 - 1e-7), 1e-15);
});

test("cross_entropy: logits vs one-hot, summed over classes, averaged over rows", (t) => {
  const logits = T([[0, Math.log(3)], [Math.log(2), Math.log(2)]]);
  const onehot = T([[0, 1], [1, 0]]);
  close(t, evalClearOp("cross_entropy", [logits, onehot]), -(Math.log(0.75) + Math.log(0.5)) / 2, 1e-15);
  close(t, evalClearOp("cross_entropy", [T([0, Math.log(3)]), T([1, 0])]), -Math.log(0.25), 1e-15);
});
