// One invalid program per diagnostic: each must report exactly one error, with this code,
// message, line and column (and hint, where the hint is the point of the diagnostic).

import test from "ava";
import { diags } from "./helpers.js";

// Lines 1-4 of most cases; their own code starts on line 5.
const P = "program t\nparty a, b\ninput a.x : fixed[3, 4]\ninput b.y : fixed[3, 4]\n";

interface Case {
  src: string;
  code: string;
  message: string;
  line: number;
  col: number;
  hint?: string;
}

const cases: Record<string, Case> = {
  "unknown name, with a suggestion": { src: P + "let z = xx + 1", code: "E0100", message: "unknown name `xx`", line: 5, col: 9, hint: "did you mean `x`?" },
  "duplicate let in one block": { src: P + "let z = x\nlet z = y", code: "E0101", message: "`z` is declared twice in the same block", line: 6, col: 5 },
  "duplicate input": { src: P + "input b.x : fixed", code: "E0101", message: "`x` is declared twice: it is already the input `x` of a", line: 5, col: 9 },
  "duplicate party": { src: "program t\nparty a, b, a", code: "E0102", message: "party `a` is declared twice", line: 2, col: 13 },
  "input owned by an undeclared party": {
    src: P + "input c.z : fixed",
    code: "E0103",
    message: "input `z` is owned by `c`, which is not a declared party",
    line: 5,
    col: 7,
  },
  "party used as a value": { src: P + "let z = a + 1", code: "E0104", message: "`a` is a party, not a value", line: 5, col: 9, hint: "use one of its inputs, e.g. `a.x`" },
  "let hides an input": { src: P + "let x = 1", code: "E0105", message: "`x` would hide the input `a.x`", line: 5, col: 5 },
  "loop variable hides an input": { src: P + "for y in 0..3 { }", code: "E0105", message: "`y` would hide the input `b.y`", line: 5, col: 5 },
  "qualified name of an unknown party": { src: P + "let z = c.x", code: "E0106", message: "unknown party `c`", line: 5, col: 9 },
  "party without that input": { src: P + "let z = a.y", code: "E0107", message: "party `a` has no input `y`", line: 5, col: 11, hint: "`y` belongs to b: write `b.y`" },
  "fn used as a value": { src: P + "fn f(u) { return u }\nlet z = f", code: "E0108", message: "`f` is a function, not a value", line: 6, col: 9 },
  "unknown function, with a suggestion": { src: P + "let z = sigmod(x)", code: "E0109", message: "unknown function `sigmod`", line: 5, col: 9, hint: "did you mean `sigmoid`?" },
  "calling a value": { src: P + "let z = x(0)", code: "E0110", message: "`x` is the input `x` of a, not a function", line: 5, col: 9 },
  "fn reads the caller's let": {
    src: P + "let k = x\nfn f(u) { return u + k }\nlet z = f(y)",
    code: "E0111",
    message: "`k` is not visible in fn `f`: it is the let `k` of the calling code",
    line: 6,
    col: 22,
  },
  "const used before its declaration": { src: P + "const c1 = c2 * 2\nconst c2 = 3", code: "E0112", message: "const `c2` is used before its declaration", line: 5, col: 12 },
  "fn named like a built-in": { src: P + "fn sigmoid(u) { return u }", code: "E0113", message: "`sigmoid` is a built-in function", line: 5, col: 4 },
  "arithmetic on bool": {
    src: P + "let z = (x > 0) * x",
    code: "E0200",
    message: "cannot multiply bool[3, 4] and fixed[3, 4]",
    line: 5,
    col: 17,
    hint: "arithmetic on bool: use select(c, a, b), or to_fixed(c) for 0/1",
  },
  "&& on numbers": { src: P + "let z = x && y", code: "E0201", message: "`&&` needs bool operands, got fixed[3, 4] and fixed[3, 4]", line: 5, col: 11 },
  "< on bools": { src: P + "let z = (x > 0) < (y > 0)", code: "E0202", message: "cannot compare bool[3, 4] and bool[3, 4] with `<`", line: 5, col: 17 },
  "if on a number": { src: P + "const k = 1\nif k { let z = x }", code: "E0203", message: "an `if` condition must be a bool scalar, got int", line: 6, col: 4 },
  "select between a number and a bool": { src: P + "let z = select(x > 0, x, true)", code: "E0204", message: "`select` mixes bool and numbers: fixed[3, 4], bool", line: 5, col: 9 },
  "select on a number": { src: P + "let z = select(x, x, y)", code: "E0205", message: "`select` needs a bool condition, got fixed[3, 4]", line: 5, col: 16 },
  "shapes that do not broadcast": {
    src: P + "let v = zeros(5)\nlet z = x + v",
    code: "E0300",
    message: "cannot add fixed[3, 4] and fixed[5]",
    line: 6,
    col: 11,
    hint: "shapes [3, 4] and [5] do not broadcast: dimension 4 vs 5 (axis -1); each pair must be equal or 1",
  },
  "matmul inner dimensions": { src: P + "let z = x @ y", code: "E0301", message: "cannot multiply fixed[3, 4] and fixed[3, 4] with `@`: inner dimensions 4 and 3 differ", line: 5, col: 11 },
  "matmul by a scalar": { src: P + "let z = x @ 2", code: "E0302", message: "`@` takes vectors and matrices, got fixed[3, 4] and int", line: 5, col: 11, hint: "multiply by a scalar with `*`" },
  "axis out of range": { src: P + "let z = sum(x, axis = 2)", code: "E0303", message: "axis 2 is out of range for a tensor of rank 2", line: 5, col: 16 },
  "reshape to another element count": { src: P + "let z = reshape(x, 5, 2)", code: "E0304", message: "cannot reshape fixed[3, 4] (12 elements) to [5, 2] (10 elements)", line: 5, col: 9 },
  "concat of misfitting parts": {
    src: P + "let z = concat(x, zeros(2, 5), axis = 0)",
    code: "E0305",
    message: "cannot concat fixed[3, 4] and fixed[2, 5] along axis 0",
    line: 5,
    col: 19,
    hint: "dimension 1 differs: 4 vs 5 (only axis 0 may differ)",
  },
  "index out of range": { src: P + "let z = x[3]", code: "E0306", message: "index 3 is out of range for axis 0 of length 3", line: 5, col: 11 },
  "too many indices": { src: P + "let z = x[0, 1, 2]", code: "E0307", message: "too many indices: fixed[3, 4] has 2 axes, got 3 indices", line: 5, col: 17 },
  "loss of different shapes": { src: P + "let z = mse(x, sum(y, axis = 1))", code: "E0308", message: "`mse` needs predictions and targets of the same shape, got fixed[3, 4] and fixed[3]", line: 5, col: 9 },
  "conv2d of a matrix": { src: P + "let z = conv2d(x, x)", code: "E0309", message: "`conv2d` takes an input [N, C, H, W], got fixed[3, 4]", line: 5, col: 16 },
  "grad of a tensor": { src: P + "var w = zeros(4, 1)\nlet g = grad(x @ w, w)", code: "E0310", message: "`grad` needs a scalar loss, got fixed[3, 1]", line: 6, col: 14 },
  "zero dimension": { src: P + "let z = zeros(3, 0)", code: "E0311", message: "invalid dimension 0 in [3, 0]", line: 5, col: 18 },
  "empty slice": { src: P + "let z = x[2:1]", code: "E0312", message: "the slice selects no elements: 2..1 of axis 0 (length 3)", line: 5, col: 11 },
  "missing argument": { src: P + "let z = select(x > 0, x)", code: "E0400", message: "`select` is missing its argument `b` (got 2 positional arguments)", line: 5, col: 9, hint: "the form is select(c, a, b)" },
  "fn called with too many arguments": { src: P + "fn f(u) { return u }\nlet z = f(x, y)", code: "E0400", message: "fn `f` takes 1 argument, got 2", line: 6, col: 9 },
  "misspelt named argument": { src: P + "let z = sum(x, axes = 1)", code: "E0401", message: "`sum` has no argument named `axes`", line: 5, col: 16, hint: "did you mean `axis`?" },
  "positional after named": { src: P + "let z = sum(axis = 0, x)", code: "E0402", message: "positional argument after a named argument", line: 5, col: 23 },
  "axis from a let": { src: P + "let k = 1\nlet z = sum(x, axis = k)", code: "E0403", message: "`axis` of `sum` must be a compile-time constant", line: 6, col: 16 },
  "fractional axis": { src: P + "let z = sum(x, axis = 0.5)", code: "E0404", message: "`axis` of `sum` must be an integer, got 0.5", line: 5, col: 16 },
  "grad with respect to an input": {
    src: P + "let g = grad(sum(x), x)",
    code: "E0405",
    message: "`grad` differentiates with respect to a let, var or parameter, not an input",
    line: 5,
    col: 22,
  },
  "clip bounds reversed": { src: P + "let z = clip(x, 1, 0)", code: "E0406", message: "clip bounds are reversed: 1 > 0", line: 5, col: 17 },
  "if on private data": {
    src: P + "if sum(x) > 0 { let z = x }",
    code: "E0500",
    message: "an `if` condition must be public, but this one is private(a)",
    line: 5,
    col: 4,
    hint: "every party must take the same branch: compute both values and choose with select(c, a, b)",
  },
  "if on secret data": { src: P + "if sum(x + y) > 0 { let z = x }", code: "E0500", message: "an `if` condition must be public, but this one is secret", line: 5, col: 4 },
  "loop bound from a let": { src: P + "let n = 3\nfor i in 0..n { }", code: "E0501", message: "loop bound must be a compile-time constant", line: 6, col: 13 },
  "fractional loop bound": { src: P + "for i in 0..2.5 { }", code: "E0502", message: "loop bound must be an integer, got 2.5", line: 5, col: 13 },
  "reversed loop bounds": { src: P + "for i in 3..1 { }", code: "E0503", message: "loop bounds are reversed: 3..1", line: 5, col: 13 },
  "const from data": { src: P + "const m = sum(x)", code: "E0504", message: "the value of const `m` is not a compile-time constant scalar", line: 5, col: 11 },
  "directly recursive fn": { src: P + "fn f(u) { return f(u) }\nlet z = f(x)", code: "E0600", message: "fn `f` calls itself", line: 5, col: 18 },
  "mutually recursive fns": {
    src: P + "fn f(u) { return g(u) }\nfn g(u) { return f(u) }\nlet z = f(x)",
    code: "E0600",
    message: "recursive functions: f -> g -> f",
    line: 6,
    col: 18,
  },
  "fn without return": { src: P + "fn f(u) { let v = u }\nlet z = f(x)", code: "E0601", message: "fn `f` has no `return`", line: 5, col: 4 },
  "return at top level": { src: P + "return x", code: "E0602", message: "`return` outside a function", line: 5, col: 1 },
  "statement after return": { src: P + "fn f(u) {\n  return u\n  let v = u\n}\nlet z = f(x)", code: "E0603", message: "statement after `return` in fn `f`", line: 7, col: 3 },
  "reveal in a fn": { src: P + "fn f(u) {\n  reveal u to a\n  return u\n}\nlet z = f(x)", code: "E0604", message: "`reveal` inside fn `f`", line: 6, col: 3 },
  "fn assigns an outer var": {
    src: P + "var w = zeros(3, 4)\nfn f(u) {\n  w = u\n  return u\n}\nlet z = f(x)",
    code: "E0605",
    message: "fn `f` cannot assign to `w`, which is declared outside it",
    line: 7,
    col: 3,
  },
  "return inside an if of a fn": { src: P + "fn f(u) {\n  if true { return u }\n  return u\n}\nlet z = f(x)", code: "E0606", message: "`return` inside a block of fn `f`", line: 6, col: 13 },
  "assigning a let": { src: P + "let z = x\nz = y", code: "E0700", message: "cannot assign to `z`: it is the let `z`, not a var", line: 6, col: 1, hint: "declare it with `var z = …` to make it assignable" },
  "assigning an input": { src: P + "x = y", code: "E0700", message: "cannot assign to `x`: it is the input `x` of a, not a var", line: 5, col: 1 },
  "assigning the loop variable": { src: P + "for i in 0..3 { i = 1 }", code: "E0700", message: "cannot assign to `i`: it is the loop variable `i`, not a var", line: 5, col: 17 },
  "var changes shape": { src: P + "var w = zeros(3, 4)\nw = sum(x)", code: "E0701", message: "cannot assign fixed to `w`, a var of type fixed[3, 4]", line: 6, col: 5 },
  "var changes element type": {
    src: P + "var acc = 0\nacc = acc + 0.5",
    code: "E0702",
    message: "cannot assign fixed to `acc`, a var of type int",
    line: 6,
    col: 7,
    hint: "a var keeps its element type: declare it as fixed (`var acc = 0.0` or zeros(…))",
  },
  "reveal to an unknown party": { src: P + "reveal x to c", code: "E0800", message: "unknown party `c`", line: 5, col: 13 },
  "reveal of an unnamed expression": { src: P + "reveal x + y to a", code: "E0801", message: "a revealed expression needs a name", line: 5, col: 8, hint: "add `as name`: reveal … as result to …" },
  "two reveals of one name": { src: P + "reveal x to a\nreveal y as x to b", code: "E0802", message: "two reveals are named `x`", line: 6, col: 13 },
  "receiver listed twice": { src: P + "reveal x to a, a", code: "E0803", message: "`a` is listed twice", line: 5, col: 16 },
  "expression nested too deeply": {
    src: P + "let z = " + Array.from({ length: 1001 }, () => "x").join(" + "),
    code: "E0901",
    message: "this expression is nested more than 1000 levels deep",
    line: 5,
    col: 9,
  },
  "fixed literal beyond the fixed-point range": {
    src: "program t precision 20\nparty a\ninput a.x : fixed\nlet z = x * 1e13",
    code: "E0902",
    message: "the literal 1e13 is out of range for fixed point with 20 fractional bits",
    line: 4,
    col: 13,
  },
  "precision out of range": { src: "program t precision 50\nparty a", code: "E0900", message: "precision 50 is out of range", line: 1, col: 21 },
};

for (const [name, c] of Object.entries(cases)) {
  test(`${c.code} ${name}`, (t) => {
    const ds = diags(c.src).filter((d) => d.severity === "error");
    t.is(ds.length, 1, ds.map((d) => `${d.code} ${d.span.line}:${d.span.col} ${d.message}`).join("\n"));
    const d = ds[0]!;
    t.deepEqual(
      { code: d.code, message: d.message, line: d.span.line, col: d.span.col },
      { code: c.code, message: c.message, line: c.line, col: c.col },
    );
    if (c.hint !== undefined) t.is(d.hint, c.hint);
  });
}

test("the error cases cover at least 30 distinct codes", (t) => {
  t.true(new Set(Object.values(cases).map((c) => c.code)).size >= 30);
});
