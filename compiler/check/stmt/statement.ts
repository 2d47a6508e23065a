// Statements: one visitor per kind (let/var, assignment, for, if, reveal, return), and the
// block runner. Each visitor appends its typed statement to `cx.out`, after any statements
// that inlined fn calls in its expressions produced. A statement with an error is dropped
// (the program is not returned when there are errors).

import type { Stmt } from "../../../grammar/ast.js";
import type { Checker } from "../context.js";
import type { TStmt } from "../typed.js";
import { checkAssign } from "./assign.js";
import { checkFor } from "./for.js";
import { checkIf } from "./if.js";
import { checkLet } from "./let.js";
import { checkReturn } from "./return.js";
import { checkReveal } from "./reveal.js";

export function checkStmt(cx: Checker, s: Stmt): void {
  switch (s.kind) {
    case "LetStmt":
      return checkLet(cx, s);
    case "AssignStmt":
      return checkAssign(cx, s);
    case "ForStmt":
      return checkFor(cx, s);
    case "IfStmt":
      return checkIf(cx, s);
    case "RevealStmt":
      return checkReveal(cx, s);
    case "ReturnStmt":
      return checkReturn(cx, s);
  }
}

/** Check `stmts` in a new block scope; returns the block's typed statements. */
export function checkBlock(cx: Checker, stmts: readonly Stmt[]): TStmt[] {
  const out: TStmt[] = [];
  cx.inBlock(out, () => {
    for (const s of stmts) checkStmt(cx, s);
  });
  return out;
}
