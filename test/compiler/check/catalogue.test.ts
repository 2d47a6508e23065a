// The op table and the diagnostics catalogue stay in step with the checker: every op of
// runtime/plan/ops.ts has a typing rule; every op node the checker emits has that op's arity
// and only its attributes; codes are unique and documented; docs/language.md carries the
// generated error reference.

import test from "ava";
import { readFileSync } from "node:fs";
import { OPS, type OpName } from "../../../runtime/plan/ops.js";
import { OP_RULES, BUILTIN_OPS } from "../../../compiler/check/builtins.js";
import { CHECK_CATALOGUE } from "../../../compiler/check/codes.js";
import { CATALOGUE, catalogueMarkdown, findEntry } from "../../../compiler/diagnostics.js";
import type { TExpr } from "../../../compiler/check/typed.js";
import { ok, statements } from "./helpers.js";

test("every op of the op table has a typing rule, and every built-in name calls an op", (t) => {
  t.deepEqual(Object.keys(OP_RULES).sort(), Object.keys(OPS).sort());
  for (const [name, op] of BUILTIN_OPS) t.true(op in OPS, name);
});

const EVERY_OP = `program every_op
party a, b
input a.x : fixed[4, 3]
input b.y : fixed[4, 3]
input a.img : fixed[2, 3, 8, 8]
let r1 = x + y - x * y / 2 @ zeros(3, 3)
let r2 = -x
let r3 = square(x) + relu(x) + sigmoid(x) + tanh(x) + exp(x) + log(x) + sqrt(x) + inv_sqrt(x) + reciprocal(x) + abs(x) + sign(x)
let r4 = clip(x, -1, 1)
let r5 = softmax(x) + log_softmax(x, axis = 0)
let r6 = sum(x) + mean(x) + max(x, axis = 0, keepdims = true) + min(x)
let r7 = argmax(x, axis = 1)
let r8 = transpose(x) @ reshape(y, 4, 3)
let r9 = flatten(img)
let r10 = concat(x, y, axis = 1) + 0
let r11 = stack(x, y)
let r12 = x[1:3, 0]
let r13 = broadcast_to(x[0], 4, 3)
let r14 = ones(2) + to_fixed(x[0, 0:2] > 0) + to_int(x[0, 0:2])
let r15 = select(x < y && x <= y || x > y && !(x >= y) || x == y || x != y, x, y)
let r16 = conv2d(img, zeros(4, 3, 3, 3), stride = 1, padding = 1)
let r17 = avg_pool2d(img, 2) + max_pool2d(img, 2)
let r18 = batchnorm(img, ones(3), zeros(3), zeros(3), ones(3))
let r19 = mse(x, y) + bce(sigmoid(x), y) + cross_entropy(x, y)
`;

test("the op nodes the checker emits have their op's arity and only its attributes", (t) => {
  const p = ok(EVERY_OP);
  const seen = new Set<string>();
  const visit = (e: TExpr): void => {
    if (e.k === "op") {
      seen.add(e.op);
      const info = OPS[e.op as OpName];
      t.truthy(info, e.op);
      if (info.arity >= 0) t.is(e.args.length, info.arity, e.op);
      for (const k of Object.keys(e.attrs)) t.true((info.attrs as readonly string[]).includes(k), `${e.op}.${k}`);
      e.args.forEach(visit);
    } else if (e.k === "grad") visit(e.loss);
  };
  for (const s of statements(p.body)) if (s.k === "let" || s.k === "assign" || s.k === "reveal") visit(s.value);
  t.deepEqual([...seen].sort(), Object.keys(OPS).sort());
});

test("diagnostic codes are unique, checker codes start at E0100, every entry is explained", (t) => {
  const codes = CATALOGUE.map((e) => e.code);
  t.is(new Set(codes).size, codes.length);
  for (const e of CHECK_CATALOGUE) {
    t.regex(e.code, /^[EW]0[1-9]\d\d$/);
    t.true(e.title.length > 0 && e.explanation.length > 40, e.code);
  }
  t.is(findEntry("e0300")?.title, "shapes do not broadcast");
  t.is(findEntry("300")?.code, "E0300");
  t.is(findEntry("E9999"), undefined);
});

test("docs/language.md contains the generated error reference", (t) => {
  const doc = readFileSync(new URL("../../../docs/language.md", import.meta.url), "utf8");
  t.true(doc.includes(catalogueMarkdown()), "regenerate with: node --import tsx scripts/gen-error-docs.ts --write");
});
