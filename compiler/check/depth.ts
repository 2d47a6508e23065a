// A limit on expression depth. The parser accepts arbitrarily long operator chains
// (`x + x + … + x`, parsed without recursion), which become left-deep trees; the checker and
// every later phase walk expression trees recursively, so an absurdly deep one would
// overflow the stack. Before checking, this pass measures every top-level expression without
// recursion and reports those deeper than MAX_EXPR_DEPTH; the checker then skips them.

import type { Expr, Program, Stmt } from "../../grammar/ast.js";
import type { Checker } from "./context.js";

export const MAX_EXPR_DEPTH = 1000;

function depthOf(root: Expr): number {
  let max = 0;
  // Two parallel stacks (node, depth): no allocation per node beyond the pushes.
  const nodes: Expr[] = [root];
  const depths: number[] = [1];
  while (nodes.length > 0) {
    const e = nodes.pop()!;
    const d = depths.pop()!;
    if (d > max) {
      max = d;
      if (max > MAX_EXPR_DEPTH) return max;
    }
    switch (e.kind) {
      case "UnaryExpr":
        nodes.push(e.operand);
        depths.push(d + 1);
        break;
      case "BinaryExpr":
        nodes.push(e.left, e.right);
        depths.push(d + 1, d + 1);
        break;
      case "CallExpr":
        for (const a of e.args) {
          nodes.push(a.value);
          depths.push(d + 1);
        }
        break;
      case "IndexExpr":
        nodes.push(e.object);
        depths.push(d + 1);
        for (const i of e.indices) {
          for (const c of i.kind === "Index" ? [i.value] : [i.start, i.end]) {
            if (c) {
              nodes.push(c);
              depths.push(d + 1);
            }
          }
        }
        break;
      case "ArrayLit":
        for (const el of e.elements) {
          nodes.push(el);
          depths.push(d + 1);
        }
        break;
      default:
        break;
    }
  }
  return max;
}

/** Report every top-level expression deeper than the limit; returns them. */
export function findDeepExpressions(cx: Checker, p: Program): Set<Expr> {
  const deep = new Set<Expr>();
  const expr = (e: Expr): void => {
    if (depthOf(e) > MAX_EXPR_DEPTH) {
      deep.add(e);
      cx.error("tooDeep", e.span, `this expression is nested more than ${MAX_EXPR_DEPTH} levels deep`, "split it into several `let`s");
    }
  };
  const stmts = (ss: readonly Stmt[]): void => {
    for (const s of ss) {
      switch (s.kind) {
        case "LetStmt":
        case "AssignStmt":
        case "RevealStmt":
        case "ReturnStmt":
          expr(s.value);
          break;
        case "ForStmt":
          expr(s.from);
          expr(s.to);
          stmts(s.body);
          break;
        case "IfStmt":
          expr(s.cond);
          stmts(s.then);
          if (s.else) stmts(s.else);
          break;
      }
    }
  };
  for (const item of p.items) {
    if (item.kind === "ConstDecl") expr(item.value);
    else if (item.kind === "FnDecl") stmts(item.body);
    else if (item.kind !== "PartyDecl" && item.kind !== "InputDecl") stmts([item]);
  }
  return deep;
}
