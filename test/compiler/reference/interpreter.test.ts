import test from "ava";
import { checkSource } from "../../../compiler/frontend.js";
import type { CheckedProgram } from "../../../compiler/check/typed.js";
import { runPlaintext } from "../../../compiler/reference/index.js";
import { type ClearTensor, clearTensor } from "../../../runtime/clear/index.js";

/** Check `source` (it must have no errors) and run it on `inputs`. */
function run(source: string, inputs: Record<string, ClearTensor>) {
  const r = checkSource(source, "t.mpc");
  const errors = r.diagnostics.filter((d) => d.severity === "error");
  if (!r.program) throw new Error(`program does not check: ${errors.map((d) => d.message).join("; ")}`);
  return runPlaintext(r.program, new Map(Object.entries(inputs)));
}

const show = (o: { name: string; to: string[]; value: ClearTensor }) => ({ name: o.name, to: o.to, shape: o.value.shape, data: Array.from(o.value.data) });

test("broadcasting, reductions and reveals in program order", (t) => {
  const out = run(
    `program t
     party alice, bob
     input alice.a : fixed[2, 3]
     input bob.b : fixed[3]
     let s = a * b + 1
     reveal sum(s, axis = 1) as rows to alice
     reveal mean(a) as m to bob
     reveal s[1, 0:2] as part to all`,
    { "alice.a": clearTensor([1, 2, 3, 4, 5, 6], [2, 3]), "bob.b": clearTensor([10, 20, 30], [3]) },
  );
  t.deepEqual(out.outputs.map(show), [
    // s = [[11, 41, 91], [41, 101, 181]]
    { name: "rows", to: ["alice"], shape: [2], data: [143, 323] },
    { name: "m", to: ["bob"], shape: [], data: [3.5] },
    { name: "part", to: ["alice", "bob"], shape: [2], data: [41, 101] },
  ]);
});

test("a var updated in a loop sees the loop counter", (t) => {
  const out = run(
    `program t
     party alice
     input alice.x : fixed
     var acc = 0.0
     for i in 0..4 { acc = acc + i * x }
     reveal acc to alice`,
    { "alice.x": clearTensor([2], []) },
  );
  t.deepEqual(out.outputs.map(show), [{ name: "acc", to: ["alice"], shape: [], data: [(0 + 1 + 2 + 3) * 2] }]);
});

test("public ifs take one branch; fns are inlined", (t) => {
  const out = run(
    `program t
     party alice
     input alice.x : fixed[2, 1]
     const n = 3
     fn standardise(v) {
       let c = v - mean(v, axis = 0)
       return c / sqrt(mean(c * c, axis = 0))
     }
     var y = x
     if n > 2 { y = standardise(x) } else { y = x * 0.0 }
     reveal y to alice`,
    { "alice.x": clearTensor([1, 3], [2, 1]) },
  );
  t.deepEqual(out.outputs.map(show), [{ name: "y", to: ["alice"], shape: [2, 1], data: [-1, 1] }]);
});

test("one step of logistic regression matches the hand computation", (t) => {
  const out = run(
    `program t
     party a, b
     input a.x : fixed[2, 2]
     input b.y : fixed[2, 1]
     var w = zeros(2, 1)
     for epoch in 0..1 {
       let err = sigmoid(x @ w) - y
       w = w - 0.5 / 2 * transpose(x) @ err
     }
     reveal w to a, b`,
    { "a.x": clearTensor([1, 2, 3, 4], [2, 2]), "b.y": clearTensor([1, 0], [2, 1]) },
  );
  // p = 0.5 everywhere, err = [-0.5, 0.5], x^T err = [1, 1], w = -0.25 * [1, 1].
  t.deepEqual(out.outputs.map(show), [{ name: "w", to: ["a", "b"], shape: [2, 1], data: [-0.25, -0.25] }]);
});

test("comparisons give 0/1 and argmax gives indices", (t) => {
  const out = run(
    `program t
     party alice, bob
     input alice.a : int
     input bob.m : fixed[2, 3]
     reveal a < 5 as small to alice
     reveal argmax(m, axis = 1) as best to bob
     reveal to_int(m) as whole to bob`,
    { "alice.a": clearTensor([3], []), "bob.m": clearTensor([0.5, 2.5, -1, 7, 7, -1.5], [2, 3]) },
  );
  t.deepEqual(out.outputs.map(show), [
    { name: "small", to: ["alice"], shape: [], data: [1] },
    { name: "best", to: ["bob"], shape: [2], data: [1, 0] },
    { name: "whole", to: ["bob"], shape: [2, 3], data: [0, 2, -1, 7, 7, -2] },
  ]);
});

test("missing inputs and inputs of the wrong shape are user errors", (t) => {
  const src = `program t
    party alice, bob
    input alice.a : fixed[2]
    input bob.b : fixed
    reveal a + b as s to all`;
  t.throws(() => run(src, { "alice.a": clearTensor([1, 2], [2]) }), { name: "UserError", message: "no data for input bob.b" });
  t.throws(() => run(src, { "alice.a": clearTensor([1, 2, 3], [3]), "bob.b": clearTensor([1], []) }), {
    name: "UserError",
    message: "input alice.a has shape [3], but the program declares [2]",
  });
});

test("grad (expanded by the front end's autodiff) evaluates to the hand-computed gradient", (t) => {
  const out = run(
    `program t
     party a, b
     input a.x : fixed[2, 1]
     input b.y : fixed[2, 1]
     var w = zeros(1, 1)
     let loss = mse(x @ w, y)
     reveal grad(loss, w) as g to a`,
    { "a.x": clearTensor([1, 2], [2, 1]), "b.y": clearTensor([1, 2], [2, 1]) },
  );
  // d/dw mean((x w - y)^2) = 2/n x^T (x w - y) = (1 * -1 + 2 * -2) = -5 at w = 0.
  t.deepEqual(out.outputs.map(show), [{ name: "g", to: ["a"], shape: [1, 1], data: [-5] }]);
});

test("a grad node left in a checked program is a clear user error at its position", (t) => {
  const span = { file: "t.mpc", line: 7, col: 8, offset: 0, length: 4 };
  const type = { elem: "fixed" as const, shape: [], vis: { kind: "public" as const } };
  const w = { id: 1, name: "w", kind: "var" as const, type, span };
  const program: CheckedProgram = {
    name: "t",
    file: "t.mpc",
    precision: 16,
    parties: ["a"],
    inputs: [],
    body: [
      { k: "let", binding: w, value: { k: "const", value: 0, type, span }, span },
      { k: "reveal", name: "g", to: ["a"], value: { k: "grad", loss: { k: "ref", binding: w, type, span }, wrt: w, type, span }, span },
    ],
  };
  const e = t.throws(() => runPlaintext(program, new Map()));
  t.is(e?.name, "UserError");
  t.is(e?.message, "t.mpc:7:8: grad(…) is not yet supported by the plaintext reference (--plaintext); write the gradient out by hand for now");
});
