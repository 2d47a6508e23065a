// Unary and binary operators: each maps to an op of runtime/plan/ops.ts and is typed by that
// op's rule in builtins.ts, with errors pointing at the operator token.

import type { BinaryExpr, BinaryOp, UnaryExpr } from "../../../grammar/ast.js";
import type { OpName } from "../../../runtime/plan/ops.js";
import type { Checker } from "../context.js";
import type { TExpr } from "../typed.js";
import { applyOp } from "./apply.js";
import { checkExpr } from "./expression.js";

export const BINARY_OPS: Record<BinaryOp, OpName> = {
  "||": "or",
  "&&": "and",
  "==": "eq",
  "!=": "ne",
  "<": "lt",
  "<=": "le",
  ">": "gt",
  ">=": "ge",
  "+": "add",
  "-": "sub",
  "*": "mul",
  "/": "div",
  "@": "matmul",
};

export function checkUnary(cx: Checker, e: UnaryExpr): TExpr | undefined {
  const x = checkExpr(cx, e.operand);
  // `-3` is a literal, not an op: constants stay constants (axis = -1).
  if (e.op === "-" && x?.k === "const" && typeof x.value === "number") {
    return { ...x, value: -x.value, span: e.span };
  }
  const op: OpName = e.op === "-" ? "neg" : "not";
  return applyOp(cx, op, e.op, e.opSpan, [{ value: x, span: e.operand.span }], e.span);
}

export function checkBinary(cx: Checker, e: BinaryExpr): TExpr | undefined {
  const l = checkExpr(cx, e.left);
  const r = checkExpr(cx, e.right);
  return applyOp(
    cx,
    BINARY_OPS[e.op],
    e.op,
    e.opSpan,
    [
      { value: l, span: e.left.span },
      { value: r, span: e.right.span },
    ],
    e.span,
  );
}
