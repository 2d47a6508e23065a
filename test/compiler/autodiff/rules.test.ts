// Every derivative rule against central finite differences of the loss, both computed with the
// plaintext reference (float64) on small random inputs: |analytic - numeric| <= 1e-6 + 1e-5 *
// |numeric| (helpers.ts). Each case binds the inputs it differentiates to `let`s and checks
// d loss / d each of them.

import test from "ava";
import { checkGradient, compile, rng, uniform } from "./helpers.js";
import type { ClearTensor } from "../../../runtime/clear/index.js";

interface Case {
  title: string;
  /** Input name -> [shape, low, high] of its random values. */
  inputs: Record<string, [number[], number?, number?]>;
  /** Inputs to differentiate with respect to (each bound to a let of the same name). */
  wrt: string[];
  /** Statements that define `loss` (a scalar). */
  body: string;
  /** Fixed values for some inputs (e.g. one-hot labels). */
  fixed?: Record<string, number[]>;
}

const type = (shape: number[]): string => (shape.length === 0 ? "fixed" : `fixed[${shape.join(", ")}]`);

function program(c: Case): string {
  const lines = ["program t", "party owner"];
  for (const [name, [shape]] of Object.entries(c.inputs)) lines.push(`input owner.${c.wrt.includes(name) ? `${name}_in` : name} : ${type(shape)}`);
  for (const w of c.wrt) lines.push(`let ${w} = ${w}_in`);
  lines.push(c.body, "reveal loss to owner");
  for (const w of c.wrt) lines.push(`reveal grad(loss, ${w}) as g_${w} to owner`);
  return lines.join("\n");
}

function gradTest(c: Case, seed = 1): void {
  test(c.title, (t) => {
    const { program: p } = compile(program(c));
    const r = rng(seed);
    const inputs = new Map<string, ClearTensor>();
    for (const [name, [shape, lo, hi]] of Object.entries(c.inputs)) {
      const key = `owner.${c.wrt.includes(name) ? `${name}_in` : name}`;
      const f = c.fixed?.[name];
      inputs.set(key, f ? { data: Float64Array.from(f), shape } : uniform(r, shape, lo ?? -1, hi ?? 1));
    }
    for (const w of c.wrt) checkGradient(t, p, inputs, `owner.${w}_in`, `g_${w}`);
  });
}

const POS: [number, number] = [0.5, 2];

// ---------------------------------------------------------------- arithmetic and broadcasting

gradTest({ title: "add with a broadcast row: [3, 4] + [4]", inputs: { a: [[3, 4]], b: [[4]], c: [[3, 4]] }, wrt: ["a", "b"], body: "let loss = sum((a + b) * c)" });
gradTest({ title: "add of a column and a row: [3, 1] + [1, 4]", inputs: { a: [[3, 1]], b: [[1, 4]], c: [[3, 4]] }, wrt: ["a", "b"], body: "let loss = sum(square(a + b) * c)" });
gradTest({ title: "sub with a new leading axis: [2, 1, 3] - [4, 1]", inputs: { a: [[2, 1, 3]], b: [[4, 1]], c: [[2, 4, 3]] }, wrt: ["a", "b"], body: "let loss = sum((a - b) * c)" });
gradTest({ title: "scalar times tensor, both differentiated", inputs: { s: [[]], a: [[3, 4]] }, wrt: ["s", "a"], body: "let loss = mean(square(s * a - 1))" });
gradTest({ title: "mul with broadcasting on both sides", inputs: { a: [[3, 1]], b: [[4]] }, wrt: ["a", "b"], body: "let loss = sum(exp(a * b))" });
gradTest({ title: "div by a secret (differentiated) denominator, broadcast", inputs: { a: [[3, 4]], b: [[4], ...POS] }, wrt: ["a", "b"], body: "let loss = sum(square(a / b))" });
gradTest({ title: "div by a public constant and by an input", inputs: { a: [[3, 4]], d: [[3, 1], ...POS] }, wrt: ["a"], body: "let loss = sum(a / 4 + a / d)" });
gradTest({ title: "neg and square", inputs: { a: [[5]] }, wrt: ["a"], body: "let loss = sum(-square(a) * a)" });
gradTest({ title: "int literals are coerced (a * 2 + 1)", inputs: { a: [[2, 2]] }, wrt: ["a"], body: "let loss = sum(square(a * 2 + 1))" });
gradTest({ title: "a value used many times (shared subexpressions)", inputs: { a: [[3]] }, wrt: ["a"], body: "let u = a * a\nlet v = u * a + u\nlet loss = sum(v * u + exp(u) * v)" });

// ---------------------------------------------------------------- matmul (every rank case)

gradTest({ title: "matmul [3, 4] @ [4, 2]", inputs: { a: [[3, 4]], b: [[4, 2]], c: [[3, 2]] }, wrt: ["a", "b"], body: "let loss = sum(square(a @ b) * c)" });
gradTest({ title: "matmul [4] @ [4, 2]", inputs: { a: [[4]], b: [[4, 2]] }, wrt: ["a", "b"], body: "let loss = sum(square(a @ b))" });
gradTest({ title: "matmul [3, 4] @ [4]", inputs: { a: [[3, 4]], b: [[4]] }, wrt: ["a", "b"], body: "let loss = sum(square(a @ b))" });
gradTest({ title: "matmul [4] @ [4] (a scalar)", inputs: { a: [[4]], b: [[4]] }, wrt: ["a", "b"], body: "let loss = square(a @ b)" });

// ---------------------------------------------------------------- non-linear functions

gradTest({ title: "relu", inputs: { a: [[3, 4]], c: [[3, 4]] }, wrt: ["a"], body: "let loss = sum(relu(a) * c)" });
gradTest({ title: "sigmoid", inputs: { a: [[3, 4], -3, 3] }, wrt: ["a"], body: "let loss = sum(square(sigmoid(a)))" });
gradTest({ title: "tanh", inputs: { a: [[3, 4], -2, 2] }, wrt: ["a"], body: "let loss = sum(tanh(a) * a)" });
gradTest({ title: "exp", inputs: { a: [[6]] }, wrt: ["a"], body: "let loss = mean(exp(a) * a)" });
gradTest({ title: "log", inputs: { a: [[6], ...POS] }, wrt: ["a"], body: "let loss = sum(log(a) * a)" });
gradTest({ title: "sqrt", inputs: { a: [[6], ...POS] }, wrt: ["a"], body: "let loss = sum(sqrt(a) * a)" });
gradTest({ title: "reciprocal", inputs: { a: [[6], ...POS] }, wrt: ["a"], body: "let loss = sum(reciprocal(a) * a * a * a)" });
gradTest({ title: "inv_sqrt", inputs: { a: [[6], ...POS] }, wrt: ["a"], body: "let loss = sum(inv_sqrt(a) * a * a)" });
gradTest({ title: "abs", inputs: { a: [[3, 4]], c: [[3, 4]] }, wrt: ["a"], body: "let loss = sum(abs(a) * c)" });
gradTest({ title: "clip (some elements inside, some outside the bounds)", inputs: { a: [[3, 4], -2, 2] }, wrt: ["a"], body: "let loss = sum(square(clip(a, -0.7, 0.9)))" });
gradTest({ title: "softmax along the last axis", inputs: { a: [[3, 4], -2, 2], c: [[3, 4]] }, wrt: ["a"], body: "let loss = sum(softmax(a) * c)" });
gradTest({ title: "softmax along axis 0", inputs: { a: [[3, 4], -2, 2], c: [[3, 4]] }, wrt: ["a"], body: "let loss = sum(softmax(a, axis = 0) * c)" });
gradTest({ title: "log_softmax", inputs: { a: [[2, 5], -2, 2], c: [[2, 5]] }, wrt: ["a"], body: "let loss = sum(log_softmax(a, axis = 1) * c)" });
gradTest({ title: "select with a broadcast condition: a and b differentiated, c not", inputs: { a: [[3, 4]], b: [[4]], c: [[3, 1]] }, wrt: ["a", "b", "c"], body: "let loss = sum(square(select(c > 0, a * c, b)))" });

// ---------------------------------------------------------------- reductions

gradTest({ title: "sum over everything, over an axis, with keepdims", inputs: { a: [[3, 4]], c: [[3, 1]], d: [[4]] }, wrt: ["a"], body: "let loss = square(sum(a)) + sum(sum(a, axis = 1, keepdims = true) * c) + sum(sum(a, axis = 0) * d)" });
gradTest({ title: "mean over everything, over an axis, with keepdims", inputs: { a: [[2, 3, 2]], c: [[2, 1, 2]] }, wrt: ["a"], body: "let loss = square(mean(a)) + sum(square(mean(a, axis = 1, keepdims = true)) * c) + sum(square(mean(a, axis = -1)))" });
gradTest({ title: "max along an axis and min with keepdims", inputs: { a: [[3, 4]], c: [[3]], d: [[1, 4]] }, wrt: ["a"], body: "let loss = sum(max(a, axis = 1) * c) + sum(min(a, axis = 0, keepdims = true) * d)" });
gradTest({ title: "max over everything", inputs: { a: [[3, 4]] }, wrt: ["a"], body: "let loss = square(max(a)) - min(a)" });

// ---------------------------------------------------------------- shape ops

gradTest({ title: "transpose (2-d and a 3-d permutation)", inputs: { a: [[2, 3]], b: [[2, 3, 4]], c: [[3, 2]], d: [[4, 2, 3]] }, wrt: ["a", "b"], body: "let loss = sum(transpose(a) * c) + sum(square(transpose(b, [2, 0, 1]) * d))" });
gradTest({ title: "reshape and flatten", inputs: { a: [[2, 3, 2]], c: [[3, 4]], d: [[2, 6]] }, wrt: ["a"], body: "let loss = sum(reshape(a, 3, 4) * c) + sum(square(flatten(a)) * d)" });
gradTest({ title: "concat along axis 1 (three parts)", inputs: { a: [[2, 1]], b: [[2, 3]], c: [[2, 4]] }, wrt: ["a", "b"], body: "let loss = sum(square(concat(a, b, a * b, axis = 1)) * concat(c, c, axis = 1)[:, 0:7])" });
gradTest({ title: "stack along a new axis 1", inputs: { a: [[2, 3]], b: [[2, 3]], c: [[2, 2, 3]] }, wrt: ["a", "b"], body: "let loss = sum(stack(a, b * b, axis = 1) * c)" });
gradTest({ title: "slices and indices (scatter back into zeros)", inputs: { a: [[3, 4]], c: [[2]], d: [[3, 2]] }, wrt: ["a"], body: "let loss = sum(a[1, 0:2] * c) + sum(square(a[:, 1:3]) * d) + square(a[-1, -1]) + sum(a[0])" });
gradTest({ title: "broadcast_to", inputs: { a: [[3, 1]], c: [[2, 3, 4]] }, wrt: ["a"], body: "let loss = sum(broadcast_to(a, 2, 3, 4) * c)" });

// ---------------------------------------------------------------- layers

gradTest({ title: "conv2d, stride 1, no padding (input and weights)", inputs: { x: [[2, 2, 5, 5]], k: [[3, 2, 3, 3]], c: [[2, 3, 3, 3]] }, wrt: ["x", "k"], body: "let loss = sum(conv2d(x, k) * c)" });
gradTest({ title: "conv2d, stride 2, padding 1 (the stride does not fit exactly)", inputs: { x: [[1, 2, 6, 6]], k: [[2, 2, 3, 3]], c: [[1, 2, 3, 3]] }, wrt: ["x", "k"], body: "let loss = sum(square(conv2d(x, k, stride = 2, padding = 1)) * c)" });
gradTest({ title: "conv2d, a 2x3 kernel, padding 2 (more than the kernel)", inputs: { x: [[1, 1, 4, 5]], k: [[2, 1, 2, 3]], c: [[1, 2, 7, 7]] }, wrt: ["x", "k"], body: "let loss = sum(conv2d(x, k, padding = 2) * c)" });
gradTest({ title: "conv2d, stride 3", inputs: { x: [[1, 2, 7, 7]], k: [[1, 2, 2, 2]], c: [[1, 1, 2, 2]] }, wrt: ["x", "k"], body: "let loss = sum(conv2d(x, k, stride = 3) * c)" });
gradTest({ title: "avg_pool2d, kernel 2 (stride 2) on 5x5", inputs: { x: [[1, 2, 5, 5]], c: [[1, 2, 2, 2]] }, wrt: ["x"], body: "let loss = sum(square(avg_pool2d(x, 2)) * c)" });
gradTest({ title: "avg_pool2d, kernel 3, stride 1 (overlapping windows)", inputs: { x: [[2, 1, 4, 4]], c: [[2, 1, 2, 2]] }, wrt: ["x"], body: "let loss = sum(avg_pool2d(x, 3, 1) * c)" });
gradTest({ title: "max_pool2d, kernel 2", inputs: { x: [[1, 2, 4, 5]], c: [[1, 2, 2, 2]] }, wrt: ["x"], body: "let loss = sum(max_pool2d(x, 2) * c)" });
gradTest({ title: "max_pool2d, kernel 3, stride 2 (overlapping windows)", inputs: { x: [[1, 1, 5, 5]], c: [[1, 1, 2, 2]] }, wrt: ["x"], body: "let loss = sum(max_pool2d(x, 3, 2) * c)" });
gradTest({
  title: "batchnorm on [N, C] and [N, C, H, W] (every operand)",
  inputs: { x: [[4, 3]], y: [[2, 3, 2, 2]], g: [[3]], b: [[3]], m: [[3]], v: [[3], ...POS], c: [[4, 3]], d: [[2, 3, 2, 2]] },
  wrt: ["x", "y", "g", "b", "m", "v"],
  body: "let loss = sum(batchnorm(x, g, b, m, v) * c) + sum(square(batchnorm(y, g, b, m, v, eps = 0.1)) * d)",
});

// ---------------------------------------------------------------- losses

gradTest({ title: "mse (predictions and targets)", inputs: { p: [[4, 1]], y: [[4, 1]] }, wrt: ["p", "y"], body: "let loss = mse(p, y)" });
gradTest({ title: "bce of probabilities (predictions and targets)", inputs: { p: [[3, 2], 0.05, 0.95], y: [[3, 2], 0, 1] }, wrt: ["p", "y"], body: "let loss = bce(p, y)" });
gradTest({ title: "bce of a sigmoid (fused form) through a let", inputs: { z: [[5, 1], -3, 3], y: [[5, 1], 0, 1] }, wrt: ["z", "y"], body: "let p = sigmoid(z * 2)\nlet loss = bce(p, y)" });
gradTest({
  title: "cross_entropy with one-hot labels",
  inputs: { l: [[3, 4], -2, 2], t: [[3, 4]] },
  fixed: { t: [0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1] },
  wrt: ["l"],
  body: "let loss = cross_entropy(l, t)",
});
gradTest({ title: "cross_entropy with soft labels (logits and labels)", inputs: { l: [[2, 3], -2, 2], t: [[2, 3], 0, 1] }, wrt: ["l", "t"], body: "let loss = cross_entropy(l, t)" });
gradTest({ title: "cross_entropy of one row of logits", inputs: { l: [[5], -2, 2], t: [[5], 0, 1] }, wrt: ["l"], body: "let loss = cross_entropy(l, t)" });
gradTest({ title: "log of softmax, of sigmoid and of 1 - sigmoid (fused forms)", inputs: { z: [[2, 3], -2, 2], y: [[2, 3], 0, 1] }, wrt: ["z"], body: "let s = sigmoid(z)\nlet loss = -mean(y * log(s) + (1 - y) * log(1 - s)) - sum(y * log(softmax(z)))" });

// ---------------------------------------------------------------- composition

gradTest({
  title: "a two-layer network through an inlined fn (params are differentiated through)",
  inputs: { x: [[4, 3]], w1: [[3, 5]], w2: [[5, 2]], y: [[4, 2]] },
  wrt: ["w1", "w2"],
  body: "fn layer(v, m) {\n  let h = v @ m\n  return tanh(h)\n}\nlet loss = mse(layer(layer(x, w1), w2), y)",
});
gradTest({ title: "second derivative: grad of an expression holding a grad", inputs: { s: [[], 0.5, 1.5], a: [[3]] }, wrt: ["s", "a"], body: "let g1 = grad(s * s * s + sum(a * a) * s, s)\nlet loss = square(g1)" });
