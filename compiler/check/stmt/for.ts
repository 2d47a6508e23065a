// `for i in a..b { … }`: a and b are compile-time integer constants (every party runs the
// same iterations and the cost is known in advance); i runs a..b-1 and is a public int.
// The body is a block of its own; loops are not unrolled.

import type { Expr, ForStmt } from "../../../grammar/ast.js";
import { PUBLIC } from "../../../runtime/plan/visibility.js";
import type { Checker } from "../context.js";
import { constValue } from "../consteval.js";
import { declareLocal } from "../declare.js";
import { checkExpr } from "../expr/expression.js";
import type { TStmt } from "../typed.js";
import { checkStmt } from "./statement.js";

function loopBound(cx: Checker, e: Expr): number | undefined {
  const t = checkExpr(cx, e);
  if (!t) return undefined;
  const v = constValue(t);
  if (v === undefined) {
    cx.error(
      "loopBoundNotConstant",
      e.span,
      "loop bound must be a compile-time constant",
      "use integer literals or consts (`const n = 10`); a value computed at run time cannot bound a loop",
    );
    return undefined;
  }
  if (typeof v !== "number" || !Number.isInteger(v)) {
    cx.error("loopBoundNotInt", e.span, `loop bound must be an integer, got ${Array.isArray(v) ? `[${v.join(", ")}]` : String(v)}`);
    return undefined;
  }
  return v;
}

export function checkFor(cx: Checker, s: ForStmt): void {
  const from = loopBound(cx, s.from);
  const to = loopBound(cx, s.to);
  let ok = from !== undefined && to !== undefined;
  if (ok && from! > to!) {
    cx.error("loopBackwards", s.to.span, `loop bounds are reversed: ${from}..${to}`, `the loop runs i = a, …, b-1 and needs a <= b`);
    ok = false;
  }
  const binding = cx.newBinding(s.variable.text, "loop", { elem: "int", shape: [], vis: PUBLIC }, s.variable.span);
  const body: TStmt[] = [];
  cx.loopDepth++;
  cx.inBlock(body, () => {
    declareLocal(cx, s.variable, { kind: "binding", binding, ok: true });
    for (const st of s.body) checkStmt(cx, st);
  });
  cx.loopDepth--;
  if (ok) cx.out.push({ k: "for", binding, from: from!, to: to!, body, span: s.span });
}
