// Syntax errors: the exact message, code and line:col of each kind of mistake, several errors
// per file, cascades suppressed, partial ASTs still returned, and the rendered form.

import test from "ava";
import { parse, MAX_DIAGNOSTICS, MAX_NESTING } from "../../grammar/index.js";
import { SYNTAX_CATALOGUE } from "../../grammar/codes.js";
import { renderDiagnostics } from "../../grammar/diagnostic.js";
import { brief } from "./helpers.js";

/** [description, source, expected `line:col code message` of each diagnostic, in order]. */
const catalogue: [string, string, string[]][] = [
  ["a missing operand at the end of the file", "program p\nlet x = 1 +", ["2:12 E0008 expected an expression after '+'"]],
  [
    "a missing operand before the next statement is reported on the operator's line",
    "program p\nlet x = 1 +\nlet y = 2",
    ["2:12 E0008 expected an expression after '+'"],
  ],
  ["an operator where an operand should be", "program p\nlet x = 2 * / 3", ["2:13 E0008 expected an expression after '*'"]],
  ["a missing `=` in let", "program p\nlet x 5", ["2:7 E0010 expected '=' after 'x'"]],
  ["a missing name after let", "program p\nlet = 3", ["2:5 E0010 expected a name after 'let'"]],
  ["a single `&`", "program p\nlet x = a & b", ["2:11 E0001 unexpected character '&'"]],
  ["a control character", "program p\nlet x = 1\u0000", ["2:10 E0001 unexpected character '\\u0000'"]],
  ["a non-breaking space", "program p\nlet x =\u00a01", ["2:8 E0001 unexpected character '\\u00a0'"]],
  ["an unterminated block comment", "program p\n/* never closed\nlet x = 1", ["2:1 E0002 unterminated block comment"]],
  ["no program header", "party a, b\nlet x = 1", ["1:1 E0004 missing program header: a program starts with `program <name>`"]],
  ["no program name", "program\nlet x = 1", ["1:8 E0010 expected the program name after 'program'"]],
  [
    "an integer literal beyond 2^53",
    "program p\nlet x = 99999999999999999999",
    ["2:9 E0005 integer '99999999999999999999' is too large to be represented exactly (the limit is 2^53 - 1)"],
  ],
  ["a float literal that overflows", "program p\nlet x = 1e999", ["2:9 E0005 number '1e999' is too large"]],
  ["a number glued to a name", "program p\nlet x = 2x", ["2:9 E0007 malformed number '2x'"]],
  ["an exponent without digits", "program p\nlet x = 1e+", ["2:9 E0007 malformed number '1e'"]],
  ["an input without its owner's dot", "program p\ninput a x : fixed[3]", ["2:9 E0010 expected '.' after 'a'"]],
  ["an input without a type", "program p\ninput a.x fixed[3]", ["2:11 E0010 expected ':' after 'x'"]],
  ["an unknown element type", "program p\ninput a.x : float[3]", ["2:13 E0010 expected a type (fixed, int or bool) after ':'"]],
  ["a shape missing a comma", "program p\ninput a.x : fixed[3 4]", ["2:21 E0010 expected ',' or ']' in the shape, found '4'"]],
  [
    "fractional precision and dimension",
    "program p precision 1.5\ninput a.x : fixed[2.5]",
    [
      "1:21 E0012 the precision (fractional bits) must be a whole number, not '1.5'",
      "2:19 E0011 a shape dimension must be a whole number, not '2.5'",
    ],
  ],
  ["arguments missing a comma", "program p\nlet y = f(a b)", ["2:13 E0010 expected ',' or ')' after the argument, found 'b'"]],
  ["a named argument without a value", "program p\nlet y = sum(x, axis = )", ["2:23 E0008 expected an expression after '='"]],
  ["an unclosed parenthesis", "program p\nlet y = (a + b", ["2:15 E0009 expected ')' to close the '(' opened at 2:9"]],
  ["an unclosed call", "program p\nlet y = f(a, b\nlet z = 1", ["2:15 E0009 expected ')' to close the '(' opened at 2:10"]],
  ["an unclosed array literal", "program p\nlet z = [1, 2", ["2:14 E0009 expected ']' to close the '[' opened at 2:9"]],
  ["an empty index position", "program p\nlet x = a[1, ]", ["2:14 E0008 expected an index or a slice after ','"]],
  [
    "an unclosed block",
    "program p\nfor i in 0..3 {\n  let x = 1",
    ["3:12 E0009 expected '}' to close the block opened at 2:15"],
  ],
  ["a range without `..`", "program p\nfor i in 0 10 { }", ["2:12 E0010 expected '..' after '0'"]],
  ["an if without braces", "program p\nif x > 0 y = 1", ["2:10 E0010 expected '{' after the condition of 'if'"]],
  ["an else without a block", "program p\nif a { } else", ["2:14 E0010 expected '{' after 'else'"]],
  ["a stray else", "program p\nelse { }", ["2:1 E0003 unexpected token 'else'"]],
  ["a stray closing brace", "program p\nlet a = 1\n}", ["3:1 E0003 unexpected token '}'"]],
  ["two expressions in a row", "program p\nlet d = 4 4", ["2:11 E0003 unexpected token '4'"]],
  ["a reveal without `to`", "program p\nreveal w hospital_a", ["2:10 E0010 expected 'to' after 'w'"]],
  ["a reveal without receivers", "program p\nreveal w to", ["2:12 E0010 expected 'all' or a party name after 'to'"]],
  ["a reveal with `as` but no name", "program p\nreveal a + b as to all", ["2:17 E0010 expected a name for the revealed value after 'as'"]],
  ["a receiver list ending in a comma", "program p\nreveal x to a,", ["2:15 E0010 expected a party name after ','"]],
  ["a function without a name", "program p\nfn (a) { return a }", ["2:4 E0010 expected the function name after 'fn'"]],
  ["a function without a body", "program p\nfn h(a) return a", ["2:9 E0010 expected '{' to start the function body"]],
  ["a qualified name without its input", "program p\nlet x = a.\nlet y = 2", ["2:11 E0010 expected an input name after '.'"]],
  ["a second program header", "program p\nprogram q", ["2:1 E0003 unexpected token 'program'"]],
];

for (const [what, source, expected] of catalogue) {
  test(`syntax error: ${what}`, (t) => {
    const r = parse(source, "bad.mpc");
    t.deepEqual(r.diagnostics.map(brief), expected);
    for (const d of r.diagnostics) {
      t.is(d.severity, "error");
      t.is(d.span.file, "bad.mpc");
    }
  });
}

test("every code used is in the catalogue, with a title and an explanation", (t) => {
  const codes = new Set(SYNTAX_CATALOGUE.map((e) => e.code));
  t.is(codes.size, SYNTAX_CATALOGUE.length);
  for (const e of SYNTAX_CATALOGUE) {
    t.regex(e.code, /^E00[0-9][0-9]$/);
    t.true(e.title.length > 5);
    t.true(e.explanation.length > 40);
  }
  for (const [, source] of catalogue) for (const d of parse(source, "bad.mpc").diagnostics) t.true(codes.has(d.code), d.code);
});

test("an unclosed delimiter points back at the opening one", (t) => {
  const r = parse("program p\nfor i in 0..3 {\n  if x {\n    y = 1\n  }\n", "f.mpc");
  t.is(r.diagnostics.length, 1);
  const d = r.diagnostics[0]!;
  t.is(d.message, "expected '}' to close the block opened at 2:15");
  t.deepEqual(d.related?.map((x) => [x.span.line, x.span.col, x.message]), [[2, 15, "the block opened here"]]);
  const call = parse("program p\nlet y = f(\n  a,\n  b\n", "f.mpc").diagnostics;
  t.deepEqual(call.map((x) => [x.message, x.related?.[0]?.span.col]), [["expected ')' to close the '(' opened at 2:10", 10]]);
});

test("hints for common mistakes", (t) => {
  const hint = (src: string): string | undefined => parse(src, "h.mpc").diagnostics[0]?.hint;
  t.is(hint("program p\nlet x = a & b"), "logical and is written '&&'");
  t.is(hint("program p\nlet x = a | b"), "logical or is written '||'");
  t.is(hint("program p\n/* x"), "close the comment with '*/'");
  t.is(hint("program p\ninput a x : fixed"), "inputs are declared as `input party.name : type`, e.g. `input hospital_a.xa : fixed[569, 15]`");
  t.is(hint("program p\nfor i in 0 10 {}"), "a loop range is written `a..b`, e.g. `for i in 0..10`");
  t.is(hint("program p\nreveal w a"), "write `reveal e to P, Q` or `reveal e to all`");
  t.is(hint("program p\nlet x = 2x"), "put an operator between a number and a name, e.g. `2 * x`");
  t.is(hint("program p\n}"), "this '}' has no matching '{'");
  t.is(hint("let x = 1"), "add a first line such as `program my_program`");
  t.is(hint("program p\nlet x = .5"), "write fractions with a leading digit: 0.5");
  t.is(hint("program p\nlet in = 3"), "'in' is a keyword and cannot be used as a name");
  t.is(hint("program p\nlet x = all + 1"), "'all' is a keyword and cannot be used as a name");
  t.is(hint("program p\nreveal x to all, b"), "'all' already means every party");
  t.is(hint("program p\nlet x = []"), "an array literal needs at least one element; for a zero tensor use zeros(…)");
  t.is(hint("program p\ninput a.x : fixed[]"), "a scalar has no brackets: write `fixed`, not `fixed[]`");
  t.is(hint("program p\nlet x = a.b.c"), "only inputs are qualified, as `party.input`");
  t.is(hint("program p\nlet x = a.b(1)"), "`party.input` is a value, not a function");
  t.is(hint("program p\nlet \u{1F600} = 1"), "names use ASCII letters, digits and '_'");
  t.is(hint("program p\nlet x =\u00a01"), "a non-breaking space: replace it with a plain space");
  t.is(hint("program p\n centre_2.x2 : fixed"), "is 'input' missing? inputs are declared as `input party.name : type`");
});

test("three independent mistakes on different lines are all reported", (t) => {
  const src = [
    "program p", //                   1
    "party a, b", //                  2
    "input a.x : fixed[3]", //        3
    "fn f(u) {", //                   4
    "  let t = u *", //               5  missing operand
    "  return t", //                  6
    "}", //                           7
    "for i in 0..3 {", //             8
    "  w = w + )", //                 9  `)` instead of an operand
    "  let q = 1", //                 10
    "}", //                           11
    "reveal w to", //                 12 no receivers
  ].join("\n");
  const r = parse(src, "three.mpc");
  t.deepEqual(r.diagnostics.map(brief), [
    "5:14 E0008 expected an expression after '*'",
    "9:11 E0008 expected an expression after '+'",
    "12:12 E0010 expected 'all' or a party name after 'to'",
  ]);
  // The partial AST keeps everything that parsed.
  t.truthy(r.program);
  t.deepEqual(r.program!.items.map((i) => i.kind), ["PartyDecl", "InputDecl", "FnDecl", "ForStmt"]);
});

test("errors inside a loop body and after it are all reported", (t) => {
  const src = "program p\nfor i in 0..3 {\n  let a = 1 +\n  let b = 2\n  c = * 3\n}\nlet d = 4 4\n";
  t.deepEqual(parse(src, "m.mpc").diagnostics.map(brief), [
    "3:14 E0008 expected an expression after '+'",
    "5:7 E0008 expected an expression after '='",
    "7:11 E0003 unexpected token '4'",
  ]);
});

test("three mistakes of different kinds: lexical, missing token, unclosed delimiter", (t) => {
  const src = "program p\nlet a = b # c\nlet w = zeros(3 1)\nvar v = [w, w\n";
  t.deepEqual(parse(src, "k.mpc").diagnostics.map(brief), [
    "2:11 E0001 unexpected character '#'",
    "3:17 E0010 expected ',' or ')' after the argument, found '1'",
    "4:14 E0009 expected ']' to close the '[' opened at 4:9",
  ]);
});

test("two mistakes in one if/else statement are both reported", (t) => {
  const src = "program p\nif a > {\n  x = 1\n} else {\n  y =\n}\nreveal q to all";
  const r = parse(src, "i.mpc");
  t.deepEqual(r.diagnostics.map(brief), ["2:8 E0008 expected an expression after '>'", "5:6 E0008 expected an expression after '='"]);
  // The broken if is left out of the partial AST; what follows it is kept.
  t.deepEqual(r.program!.items.map((i) => i.kind), ["RevealStmt"]);
});

test("a forgotten loop range is one error and the body still parses", (t) => {
  const src = "program p\nfor i in n {\n  x = 1\n}\nfor j in range(10) { y = 2 }\nlet z = 1 +";
  t.deepEqual(parse(src, "r.mpc").diagnostics.map(brief), [
    "2:10 E0010 expected a range `a..b` after 'in'",
    "5:10 E0010 expected a range `a..b` after 'in'",
    "6:12 E0008 expected an expression after '+'",
  ]);
});

test("a name where an operator or comma belongs is reported as that name", (t) => {
  const src = "program p\nparty a b\nlet x = f(a) g(b)\nlet s = x - mean mean(x, axis = 0)\n";
  const r = parse(src, "n.mpc");
  t.deepEqual(r.diagnostics.map(brief), [
    "2:9 E0003 unexpected token 'b'",
    "3:14 E0003 unexpected token 'g'",
    "4:18 E0003 unexpected token 'mean'",
  ]);
  t.true(r.diagnostics.every((d) => d.hint === "is an operator or ',' missing before it?"));
});

test("an error's consequences are not reported again", (t) => {
  // Each of these has one real mistake; recovery must not add echoes of it.
  for (const src of [
    "program p\nlet x = a & b", //           the parser would see `a b`
    "program p\ninput a.x : float[3]", //   `float[3]` would look like a statement
    "program p\nlet y = f(a b)", //         `b)` would look like an assignment
    "program p\nif x > 0 y = 1", //         the inserted `{` would never be closed
    "program p\nlet x = 1 2 3 4 5 6 7 8",
    "program p\nlet y y = concat(y0, y1, y2, axis = 0)", // one mistake, not four
    "program p\nlet e = sigmoid(x @ w w + b) - y",
    "program p\nfor i in 0 10 {\n  x = 1\n}",
  ]) {
    t.is(parse(src, "c.mpc").diagnostics.length, 1, src);
  }
});

test("nesting deeper than the limit is an error, not a stack overflow", (t) => {
  const ok = parse(`program p\nlet x = ${"(".repeat(MAX_NESTING)}1${")".repeat(MAX_NESTING)}`, "n.mpc");
  t.deepEqual(ok.diagnostics, []);
  // The costliest shape per bracket (call, argument, index in turn), at the limit, with and
  // without an error to recover from at the bottom.
  const half = MAX_NESTING / 2;
  t.deepEqual(parse(`program p\nlet x = ${"f(x[".repeat(half)}1${"])".repeat(half)}`, "n.mpc").diagnostics, []);
  t.deepEqual(parse(`program p\nlet x = ${"f(x[".repeat(half)}1 +`, "n.mpc").diagnostics.map((d) => d.code), ["E0008"]);
  const deep = parse(`program p\nlet x = ${"(".repeat(50_000)}1${")".repeat(50_000)}`, "n.mpc");
  t.deepEqual(deep.diagnostics.map(brief), [`2:${9 + MAX_NESTING} E0006 brackets nested more than ${MAX_NESTING} deep`]);
  t.is(deep.program, undefined);
  const blocks = parse(`program p\n${"if a {".repeat(5_000)}`, "n.mpc");
  t.is(blocks.diagnostics[0]?.code, "E0006");
});

test("the number of reported errors is capped", (t) => {
  const src = "program p\n" + "let = 1\n".repeat(200);
  const d = parse(src, "many.mpc").diagnostics;
  t.is(d.length, MAX_DIAGNOSTICS + 1);
  t.is(d.at(-1)!.code, "E0013");
  t.is(d.at(-1)!.message, `too many syntax errors; ${200 - MAX_DIAGNOSTICS} more not shown`);
  t.is(d[0]!.message, "expected a name after 'let'");
  t.is(d[MAX_DIAGNOSTICS - 1]!.span.line, MAX_DIAGNOSTICS + 1);
});

test("a file of thousands of errors stops parsing early and says so", (t) => {
  const src = "program p\n" + "reveal\n".repeat(5_000);
  const d = parse(src, "many.mpc").diagnostics;
  t.is(d.length, MAX_DIAGNOSTICS + 1);
  t.deepEqual(d.slice(0, 2).map(brief), ["2:7 E0008 expected an expression after 'reveal'", "3:7 E0008 expected an expression after 'reveal'"]);
  t.is(d.at(-1)!.code, "E0013");
});

test("rendered: location, caret under the offending text, note at the opener", (t) => {
  const src = "program p\nfor i in 0..3 {\n  w = w +\n";
  const r = parse(src, "r.mpc");
  t.is(
    renderDiagnostics(r.diagnostics, src),
    [
      "r.mpc:3:10: error[E0008]: expected an expression after '+'",
      "  3 |   w = w +",
      "    |          ^",
    ].join("\n"),
  );
  const src2 = "program p\nlet y = (a +\n  b\n";
  t.is(
    renderDiagnostics(parse(src2, "r.mpc").diagnostics, src2),
    [
      "r.mpc:3:4: error[E0009]: expected ')' to close the '(' opened at 2:9",
      "  3 |   b",
      "    |    ^",
      "  note: the '(' opened here at r.mpc:2:9",
      "  2 | let y = (a +",
      "    |         ^",
    ].join("\n"),
  );
});
