// `let x = e` binds once; `var x = e` may be reassigned. A var's element type and shape are
// those of its initial value; its visibility is the join of everything ever assigned to it
// (the fixpoint of index.ts), so a var that starts public and is assigned a secret value in a
// loop is secret from its declaration on.

import type { LetStmt } from "../../../grammar/ast.js";
import type { Checker } from "../context.js";
import { declareLocal } from "../declare.js";
import { checkExpr } from "../expr/expression.js";

export function checkLet(cx: Checker, s: LetStmt): void {
  const value = checkExpr(cx, s.value);
  const kind = s.mutable ? "var" : "let";
  if (!value) {
    const b = cx.newBinding(s.name.text, kind, { elem: "fixed", shape: [], vis: { kind: "public" } }, s.name.span);
    declareLocal(cx, s.name, { kind: "binding", binding: b, ok: false });
    return;
  }
  if (!s.mutable) {
    const b = cx.newBinding(s.name.text, "let", value.type, s.name.span);
    declareLocal(cx, s.name, { kind: "binding", binding: b, ok: true });
    cx.out.push({ k: "let", binding: b, value, span: s.span });
    return;
  }
  const varKey = cx.varKey(s.span);
  const vis = cx.varVisibility(varKey, value.type.vis);
  const b = cx.newBinding(s.name.text, "var", { elem: value.type.elem, shape: value.type.shape, vis }, s.name.span);
  declareLocal(cx, s.name, { kind: "binding", binding: b, ok: true, varKey });
  cx.out.push({ k: "let", binding: b, value, span: s.span });
}
