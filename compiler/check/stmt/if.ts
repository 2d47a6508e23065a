// `if c { … } else { … }`: c is a public bool scalar, so every party takes the same branch.
// A condition on private or secret data is an error: `select(c, a, b)` chooses obliviously.
// Each branch is a block of its own; assigning an outer var in a branch is fine.

import type { IfStmt } from "../../../grammar/ast.js";
import { showVisibility } from "../../../runtime/plan/visibility.js";
import type { Checker } from "../context.js";
import { checkExpr } from "../expr/expression.js";
import { showType } from "../types.js";
import { checkBlock } from "./statement.js";

export function checkIf(cx: Checker, s: IfStmt): void {
  const cond = checkExpr(cx, s.cond);
  let ok = cond !== undefined;
  if (cond) {
    if (cond.type.elem !== "bool" || cond.type.shape.length !== 0) {
      cx.error(
        "conditionNotBool",
        s.cond.span,
        `an \`if\` condition must be a bool scalar, got ${showType(cond.type)}`,
        cond.type.elem === "bool" ? "to choose elementwise between tensors use select(c, a, b)" : "compare it, e.g. `x > 0`",
      );
      ok = false;
    } else if (cond.type.vis.kind !== "public") {
      cx.error(
        "secretCondition",
        s.cond.span,
        `an \`if\` condition must be public, but this one is ${showVisibility(cond.type.vis)}`,
        "every party must take the same branch: compute both values and choose with select(c, a, b)",
      );
      ok = false;
    }
  }
  const then = checkBlock(cx, s.then);
  const els = s.else ? checkBlock(cx, s.else) : [];
  if (ok) cx.out.push({ k: "if", cond: cond!, then, else: els, span: s.span });
}
