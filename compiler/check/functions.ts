// User functions: `fn f(a, b) { …; return e }` is pure and inlined at each call. The body is
// checked at every call with the argument types (so fns are generic over shapes and
// visibility), in a scope that sees only the parameters, the body's own locals and the
// global names (consts, inputs, fns). Each call appends `let` statements for the parameters
// and the body's statements, with fresh bindings, to the caller's block; the call's value
// is the returned expression. Recursion (direct or mutual) is found once, up front, from the
// call graph.

import type { CallExpr, Expr, FnDecl, Stmt } from "../../grammar/ast.js";
import type { Checker } from "./context.js";
import { declareLocal } from "./declare.js";
import { checkExpr } from "./expr/expression.js";
import { Scope } from "./scope.js";
import { checkStmt } from "./stmt/statement.js";
import type { TExpr } from "./typed.js";

// ---------------------------------------------------------------- recursion

function callsIn(stmts: readonly Stmt[], out: CallExpr[]): void {
  const expr = (e: Expr | undefined): void => {
    if (!e) return;
    switch (e.kind) {
      case "CallExpr":
        out.push(e);
        for (const a of e.args) expr(a.value);
        return;
      case "UnaryExpr":
        return expr(e.operand);
      case "BinaryExpr":
        expr(e.left);
        return expr(e.right);
      case "IndexExpr":
        expr(e.object);
        for (const i of e.indices) {
          if (i.kind === "Index") expr(i.value);
          else {
            expr(i.start);
            expr(i.end);
          }
        }
        return;
      case "ArrayLit":
        for (const el of e.elements) expr(el);
        return;
      default:
        return;
    }
  };
  for (const s of stmts) {
    switch (s.kind) {
      case "LetStmt":
      case "AssignStmt":
      case "ReturnStmt":
        expr(s.value);
        break;
      case "RevealStmt":
        expr(s.value);
        break;
      case "ForStmt":
        expr(s.from);
        expr(s.to);
        callsIn(s.body, out);
        break;
      case "IfStmt":
        expr(s.cond);
        callsIn(s.then, out);
        if (s.else) callsIn(s.else, out);
        break;
    }
  }
}

/** Report each recursion cycle once (at the call that closes it) and remember its fns. */
export function findRecursion(cx: Checker): void {
  const edges = new Map<string, CallExpr[]>();
  for (const [name, decl] of cx.fns) {
    const calls: CallExpr[] = [];
    callsIn(decl.body, calls);
    edges.set(
      name,
      calls.filter((c) => cx.fns.has(c.callee.text)),
    );
  }
  const state = new Map<string, "active" | "done">();
  const stack: string[] = [];
  const visit = (f: string): void => {
    state.set(f, "active");
    stack.push(f);
    for (const call of edges.get(f) ?? []) {
      const g = call.callee.text;
      const st = state.get(g);
      if (st === "active") {
        const cycle = [...stack.slice(stack.indexOf(g)), g];
        for (const h of cycle) cx.cyclicFns.add(h);
        cx.error(
          "recursion",
          call.callee.span,
          g === f ? `fn \`${f}\` calls itself` : `recursive functions: ${cycle.join(" -> ")}`,
          "fns are inlined, so they cannot recurse: write the repetition as a for loop",
        );
      } else if (st === undefined) {
        visit(g);
      }
    }
    stack.pop();
    state.set(f, "done");
  };
  for (const f of cx.fns.keys()) if (!state.has(f)) visit(f);
}

// ---------------------------------------------------------------- inlining

export function inlineCall(cx: Checker, decl: FnDecl, call: CallExpr): TExpr | undefined {
  const name = decl.name.text;
  cx.calledFns.add(name);
  let ok = true;
  const args: (TExpr | undefined)[] = [];
  for (const a of call.args) {
    const v = checkExpr(cx, a.value);
    if (a.name) {
      cx.error("unknownNamedArgument", a.name.span, `fn \`${name}\` takes positional arguments only`, `the form is ${name}(${decl.params.map((p) => p.text).join(", ")})`);
      ok = false;
    }
    if (!v) ok = false;
    args.push(v);
  }
  if (cx.cyclicFns.has(name)) return undefined;
  if (args.length !== decl.params.length) {
    const n = decl.params.length;
    cx.error(
      "argumentCount",
      call.span,
      `fn \`${name}\` takes ${n} argument${n === 1 ? "" : "s"}, got ${args.length}`,
      `the form is ${name}(${decl.params.map((p) => p.text).join(", ")})`,
      [{ span: decl.name.span, message: `\`${name}\` is declared here` }],
    );
    return undefined;
  }
  if (!ok) return undefined;

  const saved = { scope: cx.scope, fn: cx.fn, loopDepth: cx.loopDepth };
  cx.fn = { decl, callerScope: cx.scope, parent: cx.fn, path: `${cx.fn?.path ?? ""}/${call.span.offset}`, callSpan: call.span, blockDepth: 0 };
  cx.scope = new Scope(cx.global);
  try {
    decl.params.forEach((p, i) => {
      const arg = args[i]!;
      const binding = cx.newBinding(p.text, "param", arg.type, p.span);
      declareLocal(cx, p, { kind: "binding", binding, ok: true });
      cx.out.push({ k: "let", binding, value: arg, span: arg.span });
    });
    return checkFnBody(cx, decl);
  } finally {
    cx.scope = saved.scope;
    cx.fn = saved.fn;
    cx.loopDepth = saved.loopDepth;
  }
}

/** The body's statements go to the caller's block; its final `return` is the value. */
function checkFnBody(cx: Checker, decl: FnDecl): TExpr | undefined {
  const body = decl.body;
  for (const [i, s] of body.entries()) {
    if (s.kind !== "ReturnStmt") {
      checkStmt(cx, s);
      continue;
    }
    const value = checkExpr(cx, s.value);
    const next = body[i + 1];
    if (next) {
      cx.error("unreachableAfterReturn", next.span, `statement after \`return\` in fn \`${decl.name.text}\``, "`return` must be the last statement of the body");
      return undefined;
    }
    return value;
  }
  cx.error("missingReturn", decl.name.span, `fn \`${decl.name.text}\` has no \`return\``, "end the body with `return expr`");
  return undefined;
}
