// Expressions: precedence and associativity of every operator level, prefix and postfix
// operators, calls with named arguments, index and slice forms, array literals, spans.

import test from "ava";
import fc from "fast-check";
import { parse } from "../../grammar/index.js";
import { PRECEDENCE } from "../../grammar/to-ast.js";
import type { BinaryOp, Expr, LetStmt } from "../../grammar/ast.js";
import { show, textOf } from "./helpers.js";

const PREFIX = "program p\nlet z = ";

function expr(text: string): Expr {
  const r = parse(PREFIX + text, "e.mpc");
  if (r.diagnostics.length > 0) throw new Error(`${text}: ${JSON.stringify(r.diagnostics.map((d) => d.message))}`);
  return (r.program!.items[0] as LetStmt).value;
}
const shown = (text: string): string => show(expr(text));

const cases: [string, string][] = [
  // left associativity at every level
  ["a - b - c", "((a - b) - c)"],
  ["a / b / c", "((a / b) / c)"],
  ["a @ b @ c", "((a @ b) @ c)"],
  ["a || b || c", "((a || b) || c)"],
  ["a == b != c", "((a == b) != c)"],
  ["a < b <= c", "((a < b) <= c)"],
  // levels, loosest first: || && ==/!= </<=/>/>= +/- */ /@
  ["a + b * c @ d", "(a + ((b * c) @ d))"],
  ["a * b + c * d", "((a * b) + (c * d))"],
  ["a @ b - c / d", "((a @ b) - (c / d))"],
  ["!a && b || c", "(((!a) && b) || c)"],
  ["a || b && c", "(a || (b && c))"],
  ["a || b && c || d", "((a || (b && c)) || d)"],
  ["a && b == c", "(a && (b == c))"],
  ["a == b < c", "(a == (b < c))"],
  ["a < b + c", "(a < (b + c))"],
  ["a >= b - 1 && c > 0 || d <= e", "(((a >= (b - 1)) && (c > 0)) || (d <= e))"],
  // unary binds tighter than binary, looser than postfix
  ["-x[0]", "(-x[0])"],
  ["-a * b", "((-a) * b)"],
  ["a - -b", "(a - (-b))"],
  ["--!x", "(-(-(!x)))"],
  ["!f(x)[1]", "(!f(x)[1])"],
  ["-(a + b) * c", "((-(a + b)) * c)"],
  // parentheses
  ["(a - b) - (c - d)", "((a - b) - (c - d))"],
  ["a - (b - c)", "(a - (b - c))"],
  ["((a))", "a"],
  // calls, named arguments, qualified names
  ["f()", "f()"],
  ["sum(x, axis = 1)", "sum(x, axis=1)"],
  ["concat(a, b, c, axis = 0) + 1", "(concat(a, b, c, axis=0) + 1)"],
  ["g(a == b, k = c == d)", "g((a == b), k=(c == d))"],
  ["hospital_a.xa @ w", "(hospital_a.xa @ w)"],
  ["select(a < b, a, b)", "select((a < b), a, b)"],
  // indexing and slices
  ["x[i]", "x[i]"],
  ["x[i, a:b, :]", "x[i, a:b, :]"],
  ["x[1:, :2, i + 1:n - 1]", "x[1:, :2, (i + 1):(n - 1)]"],
  ["x[0][1]", "x[0][1]"],
  ["(a + b)[0]", "(a + b)[0]"],
  ["p.x[0, :]", "p.x[0, :]"],
  // array literals
  ["[1, 2, 3]", "[1, 2, 3]"],
  ["[[1, 2], [3, 4]]", "[[1, 2], [3, 4]]"],
  ["[a + 1, -b][0]", "[(a + 1), (-b)][0]"],
  // literals
  ["true && false", "(true && false)"],
  ["1e-3 * 2.5", "(1e-3 * 2.5)"],
];

for (const [input, expected] of cases) {
  test(`parses ${input}`, (t) => {
    t.is(shown(input), expected);
  });
}

test("operator spans and node spans", (t) => {
  const src = PREFIX + "a - b - c";
  const e = parse(src, "e.mpc").program!.items[0] as LetStmt;
  const outer = e.value;
  if (outer.kind !== "BinaryExpr" || outer.left.kind !== "BinaryExpr") return t.fail();
  t.is(textOf(src, outer.span), "a - b - c");
  t.is(textOf(src, outer.left.span), "a - b");
  t.deepEqual(outer.left.opSpan, { file: "e.mpc", line: 2, col: 11, offset: PREFIX.length + 2, length: 1 });
  t.deepEqual(outer.opSpan, { file: "e.mpc", line: 2, col: 15, offset: PREFIX.length + 6, length: 1 });
  const tail = "-x[0] <= y"; // two-character operator
  const src2 = PREFIX + tail;
  const e2 = (parse(src2, "e.mpc").program!.items[0] as LetStmt).value;
  if (e2.kind !== "BinaryExpr" || e2.left.kind !== "UnaryExpr") return t.fail();
  t.is(textOf(src2, e2.opSpan), "<=");
  t.is(textOf(src2, e2.left.opSpan), "-");
  t.is(textOf(src2, e2.left.span), "-x[0]");
  t.is(textOf(src2, e2.left.operand.span), "x[0]");
});

test("call, argument, index item and array spans", (t) => {
  const src = PREFIX + "sum(x[1:, 0], axis = 1) + [a, b]";
  const e = (parse(src, "e.mpc").program!.items[0] as LetStmt).value;
  if (e.kind !== "BinaryExpr" || e.left.kind !== "CallExpr" || e.right.kind !== "ArrayLit") return t.fail();
  const call = e.left;
  t.is(textOf(src, call.span), "sum(x[1:, 0], axis = 1)");
  t.is(textOf(src, call.callee.span), "sum");
  t.is(textOf(src, call.args[0]!.span), "x[1:, 0]");
  t.is(textOf(src, call.args[1]!.span), "axis = 1");
  t.is(textOf(src, call.args[1]!.name!.span), "axis");
  const idx = call.args[0]!.value;
  if (idx.kind !== "IndexExpr") return t.fail();
  t.deepEqual(idx.indices.map((i) => textOf(src, i.span)), ["1:", "0"]);
  t.is(textOf(src, e.right.span), "[a, b]");
});

test("a 20,000-term sum and a 20,000-deep unary chain parse without recursion", (t) => {
  const terms = Array.from({ length: 20_000 }, (_, i) => `a${i}`).join(" + ");
  const r = parse(`program p\nlet x = ${terms}\nlet y = ${"-".repeat(20_000)}1`, "long.mpc");
  t.deepEqual(r.diagnostics, []);
  let sum = (r.program!.items[0] as LetStmt).value;
  let n = 1;
  while (sum.kind === "BinaryExpr") {
    t.is(sum.right.kind, "Ident"); // left-associative: the chain grows to the left
    sum = sum.left;
    n++;
  }
  t.is(n, 20_000);
  let neg = (r.program!.items[1] as LetStmt).value;
  let m = 0;
  while (neg.kind === "UnaryExpr") {
    neg = neg.operand;
    m++;
  }
  t.is(m, 20_000);
});

// ---------------------------------------------------------------- property: precedence

type Tree =
  | { k: "id"; name: string }
  | { k: "num"; text: string }
  | { k: "un"; op: "-" | "!"; e: Tree }
  | { k: "bin"; op: BinaryOp; l: Tree; r: Tree }
  | { k: "idx"; obj: Tree; i: Tree }
  | { k: "call"; f: string; args: Tree[] };

const tree: fc.Arbitrary<Tree> = fc.letrec<{ t: Tree }>((tie) => ({
  t: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.record({ k: fc.constant("id" as const), name: fc.constantFrom("a", "b", "x1", "w_2") }),
    fc.record({ k: fc.constant("num" as const), text: fc.constantFrom("0", "1", "2.5", "1e-3") }),
    fc.record({ k: fc.constant("un" as const), op: fc.constantFrom("-" as const, "!" as const), e: tie("t") }),
    fc.record({ k: fc.constant("bin" as const), op: fc.constantFrom(...(Object.keys(PRECEDENCE) as BinaryOp[])), l: tie("t"), r: tie("t") }),
    fc.record({ k: fc.constant("idx" as const), obj: tie("t"), i: tie("t") }),
    fc.record({ k: fc.constant("call" as const), f: fc.constantFrom("f", "sum"), args: fc.array(tie("t"), { maxLength: 3 }) }),
  ),
})).t;

/** The tree in `show`'s fully parenthesised form: what parsing its minimal form must give. */
function full(t: Tree): string {
  switch (t.k) {
    case "id":
      return t.name;
    case "num":
      return t.text;
    case "un":
      return `(${t.op}${full(t.e)})`;
    case "bin":
      return `(${full(t.l)} ${t.op} ${full(t.r)})`;
    case "idx":
      return `${full(t.obj)}[${full(t.i)}]`;
    case "call":
      return `${t.f}(${t.args.map(full).join(", ")})`;
  }
}

/** The tree with only the parentheses precedence and left associativity require. */
function minimal(t: Tree): string {
  const prec = (u: Tree): number => (u.k === "bin" ? PRECEDENCE[u.op] : u.k === "un" ? 7 : 8);
  const wrap = (u: Tree, needed: boolean): string => (needed ? `(${minimal(u)})` : minimal(u));
  switch (t.k) {
    case "id":
    case "num":
      return full(t);
    case "un":
      return `${t.op}${wrap(t.e, prec(t.e) < 7)}`;
    case "bin": {
      const p = PRECEDENCE[t.op];
      return `${wrap(t.l, prec(t.l) < p)} ${t.op} ${wrap(t.r, prec(t.r) <= p)}`;
    }
    case "idx":
      return `${wrap(t.obj, prec(t.obj) < 8)}[${minimal(t.i)}]`;
    case "call":
      return `${t.f}(${t.args.map(minimal).join(", ")})`;
  }
}

test("property: any expression printed with minimal parentheses parses back to the same tree", (t) => {
  fc.assert(
    fc.property(tree, (tr) => {
      const text = minimal(tr);
      const r = parse(PREFIX + text, "prop.mpc");
      if (r.diagnostics.length > 0) throw new Error(`${text}: ${r.diagnostics[0]!.message}`);
      const got = show((r.program!.items[0] as LetStmt).value);
      if (got !== full(tr)) throw new Error(`${text}\n parsed as ${got}\n expected  ${full(tr)}`);
    }),
    { numRuns: 500 },
  );
  t.pass();
});
