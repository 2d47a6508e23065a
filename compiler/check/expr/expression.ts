// Dispatch on the expression kind: one visitor per AST node kind, each in its own file.
// Every visitor returns the typed expression, or undefined when it reported an error (or met
// an operand that already had one): that is the checker's "error type", and it never causes
// a second report.

import type { Expr } from "../../../grammar/ast.js";
import type { Checker } from "../context.js";
import type { TExpr } from "../typed.js";
import { checkArray } from "./array.js";
import { checkBinary, checkUnary } from "./operator.js";
import { checkCall } from "./call.js";
import { checkIdent, checkMember } from "./name.js";
import { checkBool, checkNumber } from "./literal.js";
import { checkSubscript } from "./subscript.js";

export function checkExpr(cx: Checker, e: Expr): TExpr | undefined {
  if (cx.deepExpressions.has(e)) return undefined;
  switch (e.kind) {
    case "NumberLit":
      return checkNumber(cx, e);
    case "BoolLit":
      return checkBool(e);
    case "Ident":
      return checkIdent(cx, e);
    case "MemberExpr":
      return checkMember(cx, e);
    case "UnaryExpr":
      return checkUnary(cx, e);
    case "BinaryExpr":
      return checkBinary(cx, e);
    case "CallExpr":
      return checkCall(cx, e);
    case "IndexExpr":
      return checkSubscript(cx, e);
    case "ArrayLit":
      return checkArray(cx, e);
  }
}
