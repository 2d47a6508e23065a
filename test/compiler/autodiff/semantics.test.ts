// What grad means in programs: training loops (the current iteration's w, nothing through
// iterations), vars and lets, fns, branches; exact error and warning messages; the shape of
// the expansion (no grad left, only ops of the table, forward work shared, linear size).

import test from "ava";
import { differentiate } from "../../../compiler/autodiff/index.js";
import { check } from "../../../compiler/check/index.js";
import { checkSource } from "../../../compiler/frontend.js";
import { compileSource } from "../../../compiler/pipeline.js";
import { parse } from "../../../grammar/index.js";
import { isOpName, type OpName, OPS } from "../../../runtime/plan/ops.js";
import { type ClearTensor, clearTensor } from "../../../runtime/clear/index.js";
import { compile, expressions, FILE, opCounts, rng, run, statements, uniform } from "./helpers.js";

const close = (a: ClearTensor, b: ClearTensor, tol: number): boolean => a.data.length === b.data.length && a.data.every((v, i) => Math.abs(v - b.data[i]!) <= tol);

/** Logistic-regression data: labels from a known separating direction. */
function logisticData(seed: number, n: number, d: number): Map<string, ClearTensor> {
  const r = rng(seed);
  const x = uniform(r, [n, d], -2, 2);
  const truth = Array.from({ length: d }, (_, j) => (j % 2 === 0 ? 1 : -0.5));
  const y = Array.from({ length: n }, (_, i) => {
    const z = truth.reduce((s, t, j) => s + t * x.data[i * d + j]!, 0.3);
    return r() < 1 / (1 + Math.exp(-2 * z)) ? 1 : 0;
  });
  return new Map([
    ["clinic.x", x],
    ["lab.y", clearTensor(y, [n, 1])],
  ]);
}

const TRAIN = (epochs: number, update: string) => `program train
party clinic, lab
input clinic.x : fixed[24, 3]
input lab.y : fixed[24, 1]
var w = zeros(3, 1)
var b = 0.0
for epoch in 0..${epochs} {
  let p = sigmoid(x @ w + b)
  let loss = bce(p, y)
${update}
}
let final = bce(sigmoid(x @ w + b), y)
reveal final to clinic
reveal w to clinic
reveal b to clinic`;

const BY_GRAD = "  w = w - 0.5 * grad(loss, w)\n  b = b - 0.5 * grad(loss, b)";
const BY_HAND = "  w = w - 0.5 / 24 * transpose(x) @ (p - y)\n  b = b - 0.5 * mean(p - y)";

test("logistic regression: grad gives the hand-written gradient, every epoch", (t) => {
  const data = logisticData(7, 24, 3);
  const a = run(compile(TRAIN(6, BY_GRAD)).program, data);
  const h = run(compile(TRAIN(6, BY_HAND)).program, data);
  for (const name of ["w", "b", "final"]) t.true(close(a.get(name)!, h.get(name)!, 1e-12), name);
  // And it moved: the weights are not the zeros they started from.
  t.true(a.get("w")!.data.some((v) => Math.abs(v) > 0.05));
});

test("logistic regression: the plaintext loss decreases with every epoch", (t) => {
  const data = logisticData(11, 24, 3);
  const losses = [0, 1, 2, 4, 8, 16].map((e) => run(compile(TRAIN(e, BY_GRAD)).program, data).get("final")!.data[0]!);
  t.is(losses[0], Math.log(2)); // w = 0, b = 0: p = 1/2 everywhere
  for (let i = 1; i < losses.length; i++) t.true(losses[i]! < losses[i - 1]!, `epoch ${i}: ${losses[i]} < ${losses[i - 1]}`);
  t.true(losses[losses.length - 1]! < 0.75 * losses[0]!);
});

test("the training expansion reuses the forward pass: one sigmoid, no log, no division by a secret", (t) => {
  const { program, warnings } = compile(TRAIN(3, BY_GRAD));
  t.deepEqual(warnings, []);
  const loop = program.body.find((s) => s.k === "for");
  if (loop?.k !== "for") return t.fail("no loop");
  const inLoop = opCounts({ ...program, body: loop.body });
  t.is(inLoop.get("sigmoid"), 1); // the forward p, read by both gradients
  t.is(inLoop.get("bce"), 1); // the user's `loss` let (unused now: dead code for the IR)
  t.is(inLoop.get("log"), undefined); // bce of a sigmoid: (p - y) / n, no log
  // The only divisions are by public constants.
  for (const e of expressions({ ...program, body: loop.body })) {
    if (e.k === "op" && e.op === "div") t.is(e.args[1]!.k, "const");
  }
});

test("a grad w.r.t. a var updated in the loop uses that iteration's value: 3 epochs by hand agree", (t) => {
  // Gradient descent on f(w) = sum((w - t)^2): w <- w - 0.25 * 2 (w - t) halves the distance.
  const src = `program t
party a
input a.target : fixed[3]
var w = zeros(3)
for i in 0..3 {
  let f = sum(square(w - target))
  w = w - 0.25 * grad(f, w)
}
reveal w to a`;
  const out = run(compile(src).program, new Map([["a.target", clearTensor([8, -4, 2], [3])]]));
  t.deepEqual(Array.from(out.get("w")!.data), [7, -3.5, 1.75]);
});

test("a loss computed before the loop is a constant inside it: zero gradient and a warning", (t) => {
  const src = `program t
party a
input a.x : fixed[4, 3]
input a.y : fixed[4, 1]
var w = ones(3, 1)
let p = sigmoid(x @ w)
for e in 0..3 {
  w = w - grad(bce(p, y), w)
}
reveal w to a`;
  const r = checkSource(src, FILE);
  t.deepEqual(
    r.diagnostics.map((d) => [d.code, d.severity, `${d.span.line}:${d.span.col}`, d.message, d.hint, d.related?.map((x) => `${x.span.line}:${x.span.col} ${x.message}`)]),
    [
      [
        "W1100",
        "warning",
        "8:11",
        "the loss depends on `w` only through values computed from an earlier value of `w`: this gradient is zero",
        "compute the loss after the last assignment to `w` (inside the loop that updates it)",
        ["8:20 this value was computed from an earlier `w`"],
      ],
    ],
  );
  const data = new Map([
    ["a.x", uniform(rng(3), [4, 3])],
    ["a.y", clearTensor([1, 0, 1, 1], [4, 1])],
  ]);
  t.deepEqual(Array.from(run(r.program!, data).get("w")!.data), [1, 1, 1]);
});

test("part of a loss from an earlier w: a warning; a plain copy (let w0 = w) is silent", (t) => {
  const stale = checkSource(
    `program t
party a
input a.x : fixed[4, 3]
var w = zeros(3, 1)
let q = x @ w
w = w + 1
let g = grad(mean(q) + mean(x @ w), w)`,
    FILE,
  );
  t.deepEqual(
    stale.diagnostics.map((d) => `${d.code} ${d.span.line}:${d.span.col} ${d.message}`),
    ["W1101 7:9 part of the loss depends on an earlier value of `w`; the gradient does not flow through it"],
  );
  const proximal = compile(`program t
party a
input a.x : fixed[4, 3]
input a.y : fixed[4, 1]
var w = zeros(3, 1)
let w0 = w
for e in 0..2 {
  w = w - 0.1 * grad(mse(x @ w, y) + sum(square(w - w0)), w)
}
reveal w to a`);
  t.deepEqual(proximal.warnings, []);
});

test("a loss that does not depend on w: zero gradient of w's shape and a warning", (t) => {
  const src = `program t
party a
input a.x : fixed[2, 2]
var w = ones(2, 3)
reveal grad(mean(x), w) as g to a`;
  const r = checkSource(src, FILE);
  t.deepEqual(
    r.diagnostics.map((d) => `${d.code} ${d.span.line}:${d.span.col} ${d.message}`),
    ["W1100 5:8 the loss does not depend on `w`: this gradient is zero"],
  );
  const g = run(r.program!, new Map([["a.x", clearTensor([1, 2, 3, 4], [2, 2])]])).get("g")!;
  t.deepEqual(g.shape, [2, 3]);
  t.deepEqual(Array.from(g.data), [0, 0, 0, 0, 0, 0]);
});

test("grad with respect to a fn parameter, a let in a loop, and inside a branch", (t) => {
  const src = `program t
party a
input a.x : fixed[3]
fn descend(v) {
  return v - 0.5 * grad(sum(square(v - x)), v)
}
reveal descend(x * 3) as d to a
var acc = 0.0
for i in 0..2 {
  let v = x * (i + 1)
  acc = acc + sum(grad(sum(v * v * v), v))
}
reveal acc to a
const flag = 1
var u = x
if flag > 0 {
  u = grad(sum(exp(u)), u)
} else {
  u = x
}
reveal u to a`;
  const out = run(compile(src).program, new Map([["a.x", clearTensor([1, -2, 0.5], [3])]]));
  // d/dv sum((v - x)^2) = 2 (v - x); v - 0.5 * that = x.
  t.deepEqual(Array.from(out.get("d")!.data), [1, -2, 0.5]);
  // d/dv sum(v^3) = 3 v^2 with v = x, then v = 2x: 3 (1 + 4) sum(x^2).
  t.is(out.get("acc")!.data[0], 15 * (1 + 4 + 0.25));
  t.deepEqual(Array.from(out.get("u")!.data), [Math.exp(1), Math.exp(-2), Math.exp(0.5)]);
});

test("subgradients: max splits g between ties; relu'(0) = abs'(0) = 0; clip is 1 on its closed range", (t) => {
  const src = `program t
party a
input a.x : fixed[2, 3]
let v = x
reveal grad(sum(max(v, axis = 1)) + max(v), v) as gmax to a
reveal grad(sum(relu(v)) + sum(abs(v)), v) as gkink to a
reveal grad(sum(clip(v, 0, 2)), v) as gclip to a`;
  const out = run(compile(src).program, new Map([["a.x", clearTensor([2, 0, 2, -1, 0, -3], [2, 3])]]));
  // Row maxima: 2 (twice) and 0; the overall maximum 2 is tied too.
  t.deepEqual(Array.from(out.get("gmax")!.data), [1, 0, 1, 0, 1, 0]);
  t.deepEqual(Array.from(out.get("gkink")!.data), [2, 0, 2, -1, 0, -1]);
  t.deepEqual(Array.from(out.get("gclip")!.data), [1, 1, 1, 0, 1, 0]);
});

// ---------------------------------------------------------------- errors

function errors(src: string): string[] {
  return checkSource(src, FILE).diagnostics.map((d) => `${d.code} ${d.span.line}:${d.span.col} ${d.message}${d.hint ? ` | ${d.hint}` : ""}`);
}

const P = "program t\nparty a\ninput a.x : fixed[4, 3]\nvar w = zeros(3, 1)\n";

test("grad of a non-scalar loss, of an int w, and w.r.t. something that is not a binding: exact errors", (t) => {
  t.deepEqual(errors(P + "let g = grad(x @ w, w)"), ["E0310 5:14 `grad` needs a scalar loss, got fixed[4, 1] | reduce it first, e.g. mean(…) or a loss such as mse(p, y)"]);
  t.deepEqual(errors(P + "let g = grad(mean(x), x)"), ["E0405 5:23 `grad` differentiates with respect to a let, var or parameter, not an input | name the weights: grad(loss, w)"]);
  t.deepEqual(errors(P + "let g = grad(mean(x @ w), w * 2)"), ["E0405 5:27 `grad` differentiates with respect to a let, var or parameter, not an expression | name the weights: grad(loss, w)"]);
  t.deepEqual(errors(P + "for i in 0..2 { let g = grad(mean(x), i) }"), ["E0405 5:39 `grad` differentiates with respect to a let, var or parameter, not the loop variable `i` | name the weights: grad(loss, w)"]);
  t.deepEqual(errors(P + "let k = to_int(w)\nlet g = grad(mean(x @ k), k)"), ["E0205 6:27 `grad` differentiates with respect to fixed values, but `k` is int[3, 1]"]);
});

test("non-differentiable ops on the path to w are errors at the op, with a hint", (t) => {
  const SELECT_HINT = "its derivative is zero wherever it is defined; to choose between values use select(c, a, b), whose condition is not differentiated";
  const INT_HINT = "keep the computation on the path to the loss in fixed point";
  t.deepEqual(errors(P + "let g = grad(mean(to_fixed(x @ w > 0)), w)"), [`E1100 5:28 \`>\` is not differentiable: it turns numbers into a bool | ${SELECT_HINT}`]);
  t.deepEqual(errors(P + "let c = x @ w == 1\nlet g = grad(mean(to_fixed(c && true)), w)"), [`E1100 5:9 \`==\` is not differentiable: it turns numbers into a bool | ${SELECT_HINT}`]);
  t.deepEqual(errors(P + "let g = grad(mean(sign(x @ w)), w)"), [
    "E1100 5:19 `sign` is not differentiable | its derivative is zero wherever it is defined; drop it from the loss, or use a smooth surrogate such as tanh",
  ]);
  t.deepEqual(errors(P + "let g = grad(mean(to_fixed(to_int(x @ w))), w)"), [`E1100 5:28 \`to_int\` is not differentiable: its result is an integer | ${INT_HINT}`]);
  t.deepEqual(errors(P + "let g = grad(to_fixed(argmax(x @ w)), w)"), [`E1100 5:23 \`argmax\` is not differentiable: its result is an integer | ${INT_HINT}`]);
  // select's condition is not differentiated: no error.
  t.deepEqual(errors(P + "let g = grad(mean(select(x @ w > 0, x @ w, 0)), w)"), []);
});

test("a var between w and the loss is an error at its use", (t) => {
  t.deepEqual(errors(P + "var h = x @ w\nh = relu(h)\nlet g = grad(mean(h), w)"), [
    "E1101 7:19 `grad` cannot differentiate through the var `h`: its value depends on `w` | bind the computation from `w` to the loss with `let` (a var keeps only its latest value)",
  ]);
  t.deepEqual(errors(P + "var loss = 0.0\nfor i in 0..2 { loss = loss + mean(x @ w) }\nlet g = grad(loss, w)"), [
    "E1101 7:14 `grad` cannot differentiate through the var `loss`: its value depends on `w` | bind the computation from `w` to the loss with `let` (a var keeps only its latest value)",
  ]);
  // A var that does not depend on w is a constant; one that depended on an earlier w too.
  t.deepEqual(errors(P + "var h = x * 2\nh = h + 1\nlet g = grad(mean(h @ w), w)"), []);
  t.deepEqual(errors(P + "var h = x @ w\nw = w + 1\nlet g = grad(mean(h * (x @ w)), w)"), []);
});

// ---------------------------------------------------------------- the expansion

test("the expanded program has no grad and only ops of the op table, with fresh binding ids", (t) => {
  const src = `program t
party a
input a.x : fixed[2, 1, 4, 4]
input a.y : fixed[2, 3]
var k = ones(2, 1, 3, 3)
var m = ones(8, 3)
for e in 0..2 {
  let h = max_pool2d(relu(conv2d(x, k, padding = 1)), 2)
  let z = flatten(h) @ m
  let loss = cross_entropy(z, y) + mse(softmax(z), y)
  k = k - 0.1 * grad(loss, k)
  m = m - 0.1 * grad(loss, m)
}
reveal k to a
reveal m to a`;
  const { program } = compile(src);
  let ops = 0;
  for (const e of expressions(program)) {
    t.not(e.k, "grad");
    if (e.k === "op") {
      ops++;
      t.true(isOpName(e.op), e.op);
      const info = OPS[e.op as OpName];
      if (info.arity >= 0) t.is(e.args.length, info.arity, e.op);
      for (const a of Object.keys(e.attrs)) t.true(info.attrs.includes(a), `${e.op} has no attribute ${a}`);
    }
  }
  t.true(ops > 50);
  const ids = [...statements(program.body)].flatMap((s) => (s.k === "let" || s.k === "for" ? [s.binding.id] : []));
  t.is(new Set(ids).size, ids.length);
  // It runs, and every node's shape agrees with its kernel's (the reference checks that).
  const out = run(program, new Map([["a.x", uniform(rng(5), [2, 1, 4, 4])], ["a.y", clearTensor([1, 0, 0, 0, 0, 1], [2, 3])]]));
  t.deepEqual(out.get("k")!.shape, [2, 1, 3, 3]);
});

test("a program without grad is returned as it is", (t) => {
  const src = "program t\nparty a\ninput a.x : fixed[2]\nreveal x * 2 as y to a";
  const parsed = parse(src, FILE);
  const checked = check(parsed.program!, src);
  const r = differentiate(checked.program!);
  t.is(r.program, checked.program);
  t.deepEqual(r.diagnostics, []);
});

test("the expansion grows linearly with the depth of the loss (shared adjoints, no blow-up)", (t) => {
  const size = (depth: number): number => {
    const lines = ["program t", "party a", "input a.x : fixed[3]", "let w = x", "let h0 = w"];
    for (let i = 1; i <= depth; i++) lines.push(`let h${i} = tanh(h${i - 1} * h${i - 1} + h${i - 1} * w)`);
    lines.push(`reveal grad(sum(h${depth}), w) as g to a`);
    const { program } = compile(lines.join("\n"));
    let n = 0;
    for (const e of expressions(program)) if (e.k === "op") n++;
    return n;
  };
  const [a, b] = [size(20), size(40)];
  t.true(b < 2.2 * a, `${a} ops for depth 20, ${b} for depth 40`);
  t.true(a < 20 * 25);
});

test("a linear training program with grad compiles through the IR, lowering and scheduling", (t) => {
  const src = `program lr
party a, b
input a.x : fixed[8, 3]
input b.y : fixed[8, 1]
var w = zeros(3, 1)
var c = 0.0
for e in 0..5 {
  let loss = mse(x @ w + c, y)
  w = w - 0.1 * grad(loss, w)
  c = c - 0.1 * grad(loss, c)
}
reveal w to a, b
reveal c to a, b`;
  const r = compileSource(src, FILE);
  t.deepEqual(r.diagnostics.map((d) => d.message), []);
  t.truthy(r.plan);
});

test("a var read by a let keeps the value it had then, even when reassigned before the grad", (t) => {
  const src = `program t
party a
input a.x : fixed[2, 3]
let w = ones(3, 1)
var s = 2.0
let p = (x @ w) * s
s = 3.0
reveal grad(sum(p) * s, w) as g to a`;
  const out = run(compile(src).program, new Map([["a.x", clearTensor([1, 2, 3, 4, 5, 6], [2, 3])]]));
  // d/dw sum((x @ w) * 2) * 3 = 6 * column sums of x.
  t.deepEqual(Array.from(out.get("g")!.data), [30, 42, 54]);
});

test("nested loops and grads in both branches of an if agree with the hand-written updates", (t) => {
  const body = (update: (loss: string) => string) => `program t
party a
input a.x : fixed[6, 2]
input a.y : fixed[6, 1]
var w = zeros(2, 1)
for e in 0..3 {
  for k in 0..2 {
    let r = x @ w - y
${update("r")}
  }
}
reveal w to a`;
  const byGrad = body(() => "    if e > 0 {\n      w = w - 0.1 * grad(mean(square(r)), w)\n    } else {\n      w = w - 0.05 * grad(sum(square(r)) / 6, w)\n    }");
  const byHand = body(() => "    if e > 0 {\n      w = w - 0.1 * 2 / 6 * transpose(x) @ r\n    } else {\n      w = w - 0.05 * 2 / 6 * transpose(x) @ r\n    }");
  const data = new Map([
    ["a.x", uniform(rng(9), [6, 2])],
    ["a.y", uniform(rng(10), [6, 1])],
  ]);
  const a = run(compile(byGrad).program, data).get("w")!;
  const h = run(compile(byHand).program, data).get("w")!;
  t.true(close(a, h, 1e-12), `${Array.from(a.data)} vs ${Array.from(h.data)}`);
  t.true(a.data.some((v) => Math.abs(v) > 0.01));
});
