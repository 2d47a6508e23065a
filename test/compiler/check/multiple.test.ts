// Several errors in one run are all reported, in source order, and an expression with an
// error does not cause follow-up errors where it is used.

import test from "ava";
import { diags } from "./helpers.js";

const summary = (src: string): string[] => diags(src).map((d) => `${d.span.line}:${d.span.col} ${d.code}`);

test("independent errors are all reported, in source order", (t) => {
  const src = [
    "program many",
    "party a, b",
    "input a.x : fixed[3, 4]",
    "input c.z : fixed",
    "let u = xq + 1",
    "let v = u * 2",
    "let w = x @ x",
    "if sum(x) > 0 { let k = 1 }",
    "reveal x + 1 to b",
  ].join("\n");
  t.deepEqual(summary(src), ["4:7 E0103", "5:9 E0100", "7:11 E0301", "8:4 E0500", "9:8 E0801"]);
});

test("an error does not cascade into the expressions and statements that use its value", (t) => {
  const src = [
    "program t",
    "party a",
    "input a.x : fixed[3, 4]",
    "let u = sigmoid(x) @ x",      // E0301 here only
    "let v = u + 1",
    "var w = sum(v, axis = 0) * u",
    "w = w @ u",
    "for i in 0..3 { w = w + v[5] }",
    "reveal w to a",
  ].join("\n");
  t.deepEqual(summary(src), ["4:20 E0301"]);
});

test("errors in both operands of one expression are both reported", (t) => {
  const src = "program t\nparty a\ninput a.x : fixed[3]\nlet z = nope1 + sum(x, axis = 4)";
  t.deepEqual(summary(src), ["4:9 E0100", "4:24 E0303"]);
});

test("an error inside a fn called twice is reported once, pointing at the call", (t) => {
  const src = "program t\nparty a\ninput a.x : fixed[3]\nfn f(u) { return u + missing }\nlet p = f(x)\nlet q = f(x * 2)";
  const ds = diags(src);
  t.deepEqual(
    ds.map((d) => `${d.span.line}:${d.span.col} ${d.code} ${d.message}`),
    ["4:22 E0100 unknown name `missing`"],
  );
  t.deepEqual(ds[0]!.related?.map((r) => `${r.span.line}:${r.span.col} ${r.message}`), ["5:9 in this call of `f`"]);
});

test("shape errors that depend on the call are reported per call", (t) => {
  const src = "program t\nparty a\ninput a.x : fixed[3]\nfn f(u) { return u @ zeros(4) }\nlet p = f(x)\nlet q = f(zeros(5))";
  t.deepEqual(
    diags(src).map((d) => d.message),
    ["cannot multiply fixed[3] and fixed[4] with `@`: inner dimensions 3 and 4 differ", "cannot multiply fixed[5] and fixed[4] with `@`: inner dimensions 5 and 4 differ"],
  );
});

test("a fn that is never called gets a warning, and the program is still valid", (t) => {
  const ds = diags("program t\nparty a\nfn unused(u) { return u }");
  t.deepEqual(ds.map((d) => [d.severity, d.code, d.message]), [["warning", "W0600", "fn `unused` is never called, so its body is not checked"]]);
});

test("a column broadcast against a vector is a warning, not an error", (t) => {
  const src = "program t\nparty a\ninput a.p : fixed[5, 1]\ninput a.y : fixed[5]\nlet err = p - y\nlet fine = p - reshape(y, 5, 1)";
  const ds = diags(src);
  t.deepEqual(
    ds.map((d) => [d.severity, d.code, `${d.span.line}:${d.span.col}`, d.message]),
    [["warning", "W0300", "5:13", "fixed[5, 1] - fixed[5] broadcasts to [5, 5]"]],
  );
});
