// Parsing valid programs: the AST's shape and its spans, statement forms, comments, `;`.

import test from "ava";
import { parse } from "../../grammar/index.js";
import type { ForStmt, IfStmt, InputDecl, LetStmt, Program, RevealStmt, Stmt } from "../../grammar/ast.js";
import { allSpans, FEATURE_AGGREGATION, lineStarts, show, spanProblem, textOf, VALID_PROGRAMS } from "./helpers.js";

function ok(source: string): Program {
  const r = parse(source, "t.mpc");
  if (r.diagnostics.length > 0 || !r.program) throw new Error(`unexpected diagnostics: ${JSON.stringify(r.diagnostics)}`);
  return r.program;
}

test("feature_aggregation: items, declarations and the training loop", (t) => {
  const p = ok(FEATURE_AGGREGATION);
  t.is(p.kind, "Program");
  t.is(p.name.text, "feature_aggregation");
  t.is(p.precision, undefined);
  t.deepEqual(
    p.items.map((i) => i.kind),
    ["PartyDecl", "InputDecl", "InputDecl", "InputDecl", "LetStmt", "LetStmt", "ForStmt", "RevealStmt"],
  );
  const party = p.items[0]!;
  t.is(party.kind, "PartyDecl");
  if (party.kind === "PartyDecl") t.deepEqual(party.names.map((n) => n.text), ["hospital_a", "hospital_b"]);

  const xb = p.items[2] as InputDecl;
  t.is(xb.owner.text, "hospital_b");
  t.is(xb.name.text, "xb");
  t.deepEqual({ elem: xb.type.elem, shape: xb.type.shape }, { elem: "fixed", shape: [569, 15] });

  const x = p.items[4] as LetStmt;
  t.false(x.mutable);
  t.is(show(x.value), "concat(xa, xb, axis=1)");
  const w = p.items[5] as LetStmt;
  t.true(w.mutable);
  t.is(show(w.value), "zeros(30, 1)");

  const loop = p.items[6] as ForStmt;
  t.is(loop.variable.text, "epoch");
  t.is(show(loop.from), "0");
  t.is(show(loop.to), "10");
  t.deepEqual(loop.body.map((s) => s.kind), ["LetStmt", "AssignStmt"]);
  const update = loop.body[1]!;
  if (update.kind !== "AssignStmt") return t.fail();
  t.is(update.target.text, "w");
  t.is(show(update.value), "(w - (((0.5 / 569) * transpose(x)) @ (p - y)))");

  const reveal = p.items[7] as RevealStmt;
  t.is(show(reveal.value), "w");
  t.is(reveal.as, undefined);
  t.deepEqual(reveal.to !== "all" && reveal.to.map((n) => n.text), ["hospital_a", "hospital_b"]);
});

test("feature_aggregation: exact spans of names, operators, statements and receivers", (t) => {
  const src = FEATURE_AGGREGATION;
  const p = ok(src);
  t.deepEqual(p.name.span, { file: "t.mpc", line: 1, col: 9, offset: 8, length: 19 });
  const xa = p.items[1] as InputDecl;
  t.deepEqual(xa.owner.span, { file: "t.mpc", line: 4, col: 7, offset: src.indexOf("hospital_a.xa"), length: 10 });
  t.is(textOf(src, xa.span), "input hospital_a.xa : fixed[569, 15]");
  t.is(textOf(src, xa.type.span), "fixed[569, 15]");

  const loop = p.items[6] as ForStmt;
  t.is(loop.span.line, 10);
  t.is(loop.span.col, 1);
  t.is(textOf(src, loop.span).split("\n").at(-1), "}");
  const sig = loop.body[0] as LetStmt;
  t.is(textOf(src, sig.span), "let p = sigmoid(x @ w)");
  t.deepEqual([sig.span.line, sig.span.col], [11, 3]);
  if (sig.value.kind !== "CallExpr") return t.fail();
  const matmul = sig.value.args[0]!.value;
  if (matmul.kind !== "BinaryExpr") return t.fail();
  t.deepEqual(matmul.opSpan, { file: "t.mpc", line: 11, col: 21, offset: src.indexOf("@ w)"), length: 1 });
  t.is(textOf(src, matmul.span), "x @ w");

  const update = loop.body[1]!;
  if (update.kind !== "AssignStmt" || update.value.kind !== "BinaryExpr") return t.fail();
  t.is(textOf(src, update.span), "w = w - 0.5 / 569 * transpose(x) @ (p - y)");
  const rhs = update.value.right;
  if (rhs.kind !== "BinaryExpr") return t.fail();
  t.is(rhs.op, "@");
  t.is(textOf(src, rhs.span), "0.5 / 569 * transpose(x) @ (p - y)");
  // A parenthesised expression's span includes its parentheses.
  t.is(textOf(src, rhs.right.span), "(p - y)");
  t.deepEqual([update.value.opSpan.line, update.value.opSpan.col], [12, 9]);

  const reveal = p.items[7] as RevealStmt;
  t.is(textOf(src, reveal.toSpan), "hospital_a, hospital_b");
  t.deepEqual([reveal.toSpan.line, reveal.toSpan.col], [14, 13]);
  t.is(textOf(src, reveal.span), "reveal w to hospital_a, hospital_b");
});

test("every span of every valid program lies in the file at its line:col", (t) => {
  for (const src of VALID_PROGRAMS) {
    const p = ok(src);
    const starts = lineStarts(src);
    const spans = allSpans(p);
    t.true(spans.length > 30);
    for (const s of spans) t.is(spanProblem(src, starts, s), undefined);
  }
});

test("precision, const, fn, `;` between items and statements, comments anywhere", (t) => {
  const src = VALID_PROGRAMS[1]!;
  const p = ok(src);
  t.is(p.name.text, "augment");
  t.is(p.precision, 20);
  const consts = p.items.filter((i) => i.kind === "ConstDecl");
  t.deepEqual(consts.map((c) => (c.kind === "ConstDecl" ? `${c.name.text}=${show(c.value)}` : "")), ["rows=569", "lr=0.5"]);
  const fn = p.items.find((i) => i.kind === "FnDecl");
  if (!fn || fn.kind !== "FnDecl") return t.fail();
  t.is(fn.name.text, "standardise");
  t.deepEqual(fn.params.map((n) => n.text), ["x"]);
  t.deepEqual(fn.body.map((s) => s.kind), ["LetStmt", "ReturnStmt"]);
  const ret = fn.body[1]!;
  if (ret.kind !== "ReturnStmt") return t.fail();
  t.is(show(ret.value), "(centred / sqrt(mean((centred * centred), axis=0)))");
  const bools = p.items.filter((i): i is InputDecl => i.kind === "InputDecl").map((i) => `${i.type.elem}[${i.type.shape}]`);
  t.deepEqual(bools, ["fixed[190,30]", "fixed[190,30]", "bool[3]", "int[]"]);
});

test("else-if chains nest as one-element else blocks", (t) => {
  const src = VALID_PROGRAMS[1]!;
  const p = ok(src);
  const loop = p.items.find((i) => i.kind === "ForStmt") as ForStmt;
  t.is(show(loop.to), "(rows / 100)");
  const chain = loop.body[0] as IfStmt;
  t.is(chain.kind, "IfStmt");
  t.is(show(chain.cond), "(((epoch < 2) && (!flags[0])) || (n >= 3))");
  t.deepEqual(chain.then.map((s) => s.kind), ["AssignStmt"]);
  t.is(chain.else?.length, 1);
  const second = chain.else![0] as IfStmt;
  t.is(second.kind, "IfStmt");
  t.is(show(second.cond), "(epoch == 4)");
  t.is(textOf(src, second.span).slice(0, 16), "if epoch == 4 { ");
  t.true(textOf(src, chain.span).endsWith("x[0, 1:3, :][0, 0] }"));
  const last = second.else!;
  t.is(last.length, 1);
  const assign = last[0]!;
  if (assign.kind !== "AssignStmt") return t.fail();
  t.is(show(assign.value), "(b - x[0, 1:3, :][0, 0])");
});

test("an else-if chain of 2000 links parses without deep recursion", (t) => {
  const src = "program p\nif a == 0 { x = 0 }" + Array.from({ length: 2000 }, (_, i) => ` else if a == ${i + 1} { x = ${i} }`).join("") + " else { x = 1 }";
  const p = ok(src);
  let depth = 0;
  let s: Stmt | undefined = p.items[0] as Stmt;
  while (s && s.kind === "IfStmt") {
    depth++;
    s = s.else?.[0];
  }
  t.is(depth, 2001);
  t.is(s?.kind, "AssignStmt");
});

test("reveal forms: as-name, receiver lists, all", (t) => {
  const src = VALID_PROGRAMS[1]!;
  const p = ok(src);
  const reveals = p.items.filter((i): i is RevealStmt => i.kind === "RevealStmt");
  t.is(reveals.length, 3);
  const [pair, head, b] = reveals as [RevealStmt, RevealStmt, RevealStmt];
  t.is(show(pair.value), "[b, b]");
  t.is(pair.as?.text, "pair");
  t.deepEqual(pair.to !== "all" && pair.to.map((n) => n.text), ["c0", "c1"]);
  t.is(show(head.value), "c0.x0[:2, 5:]");
  t.is(head.as?.text, "head");
  t.is(head.to, "all");
  t.is(textOf(src, head.toSpan), "all");
  t.is(b.as, undefined);
  t.is(b.to, "all");
  t.is(textOf(src, head.as!.span), "head");
});

test("keywords do not swallow identifiers that start with them", (t) => {
  const p = ok("program format\nlet input_x = allx + format + fixedpoint + int8 + tot + asdf + iffy + returned + truely\n");
  t.is(p.name.text, "format");
  const s = p.items[0] as LetStmt;
  t.is(s.name.text, "input_x");
  t.is(show(s.value), "((((((((allx + format) + fixedpoint) + int8) + tot) + asdf) + iffy) + returned) + truely)");
});

test("numbers: integers, fractions, exponents; `0..10` is a range", (t) => {
  const p = ok("program p\nfor i in 0..10 { x = [12, 0.5, 1e-3, 2.5E+4, 7e2] }\n");
  const loop = p.items[0] as ForStmt;
  t.is(show(loop.from), "0");
  t.is(show(loop.to), "10");
  const assign = loop.body[0]!;
  if (assign.kind !== "AssignStmt" || assign.value.kind !== "ArrayLit") return t.fail();
  const lits = assign.value.elements.map((e) => (e.kind === "NumberLit" ? [e.text, e.value, e.integral] : []));
  t.deepEqual(lits, [
    ["12", 12, true],
    ["0.5", 0.5, false],
    ["1e-3", 0.001, false],
    ["2.5E+4", 25000, false],
    ["7e2", 700, false],
  ]);
});

test("comments: line and block, between tokens and spanning lines; CRLF line endings", (t) => {
  const src = "// header\r\nprogram /* inline */ p\r\n/* a\r\n   b */ let x = 1 // tail\r\nlet y = x /*mid*/ + 2\r\n";
  const p = ok(src);
  t.deepEqual(p.items.map((i) => i.kind), ["LetStmt", "LetStmt"]);
  const y = p.items[1] as LetStmt;
  t.deepEqual([y.span.line, y.span.col], [5, 1]);
  t.is(textOf(src, y.span), "let y = x /*mid*/ + 2");
  const starts = lineStarts(src);
  for (const s of allSpans(p)) t.is(spanProblem(src, starts, s), undefined);
});

test("a byte-order mark at the start of the file is ignored", (t) => {
  const p = ok("\uFEFFprogram bom\nlet x = 1\n");
  t.is(p.name.text, "bom");
  t.deepEqual([p.name.span.line, p.name.span.col], [1, 10]);
});

test("an empty program and a program of only `;`", (t) => {
  t.deepEqual(ok("program empty").items, []);
  t.deepEqual(ok("program semis ;;; ;").items, []);
});

test("a 10,000-line generated program parses completely", (t) => {
  const lines = ["program big", "party a, b", "input a.x : fixed[100, 10]", "input b.y : fixed[100, 10]"];
  for (let i = 0; lines.length < 10_000; i++) {
    lines.push(`let v${i} = sigmoid(x @ transpose(y[0:10, :])) * ${i}.5 + sum(x, axis = 1)   // ${i}`);
    lines.push(`for k${i} in 0..3 { w = w - 0.1 * f(k${i}, [1, 2, 3]) }`);
    lines.push(`if a > b && !c { reveal v${i} as out${i} to a, b } else { z = 2 }`);
  }
  const src = lines.join("\n");
  const r = parse(src, "big.mpc");
  t.deepEqual(r.diagnostics, []);
  t.is(r.program?.items.length, 9_999);
  const last = r.program!.items.at(-1)!;
  t.is(last.span.line, 10_000);
});
