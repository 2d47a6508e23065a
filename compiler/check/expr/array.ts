// `[a, b, c]`: stacks equal-shaped elements along a new leading axis (op `stack`, axis 0).

import type { ArrayLit } from "../../../grammar/ast.js";
import type { Checker } from "../context.js";
import type { TExpr } from "../typed.js";
import { applyOp } from "./apply.js";
import { checkExpr } from "./expression.js";

export function checkArray(cx: Checker, e: ArrayLit): TExpr | undefined {
  const args = e.elements.map((el) => ({ value: checkExpr(cx, el), span: el.span }));
  return applyOp(cx, "stack", "[…]", e.span, args, e.span);
}
