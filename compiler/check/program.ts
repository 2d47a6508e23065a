// The program level: `program name [precision N]`, then the declarations, which are
// collected first (parties, inputs and fns may be used anywhere; consts are evaluated in
// order), then the top-level statements in order.

import type { ConstDecl, FnDecl, InputDecl, PartyDecl, Program, Span, Stmt } from "../../grammar/ast.js";
import { BUILTIN_NAMES } from "./builtins.js";
import type { Checker } from "./context.js";
import { constValue } from "./consteval.js";
import { declareGlobal } from "./declare.js";
import { checkExpr } from "./expr/expression.js";
import { findDeepExpressions } from "./depth.js";
import { findRecursion } from "./functions.js";
import { symSpan } from "./scope.js";
import { showShape } from "./shapes.js";
import { didYouMean, suggest } from "./suggest.js";
import { checkStmt } from "./stmt/statement.js";
import type { CheckedProgram, InputInfo, TStmt } from "./typed.js";
import { showType } from "./types.js";

export const DEFAULT_PRECISION = 16;
export const MAX_PRECISION = 40;

/** Where `precision N` is written (the AST keeps only the number). */
function precisionSpan(cx: Checker, p: Program): Span {
  const from = p.name.span.offset + p.name.span.length;
  const m = /\s*precision\s+/y;
  m.lastIndex = from;
  const hit = m.exec(cx.source);
  if (!hit) return p.name.span;
  const offset = from + hit[0].length;
  const before = cx.source.slice(0, offset);
  const line = before.split("\n").length;
  const col = offset - (before.lastIndexOf("\n") + 1) + 1;
  const len = /^[0-9A-Za-z_.]+/.exec(cx.source.slice(offset))?.[0].length ?? 1;
  return { file: p.span.file, line, col, offset, length: len };
}

function declareParties(cx: Checker, decls: PartyDecl[]): void {
  for (const d of decls) {
    for (const n of d.names) {
      const prev = cx.global.names.get(n.text);
      if (prev?.kind === "party") {
        cx.error("duplicateParty", n.span, `party \`${n.text}\` is declared twice`, undefined, [{ span: symSpan(prev), message: "first declared here" }]);
        continue;
      }
      if (declareGlobal(cx, n, { kind: "party", name: n.text, span: n.span })) cx.parties.push(n.text);
    }
  }
}

function declareInputs(cx: Checker, decls: InputDecl[]): InputInfo[] {
  const inputs: InputInfo[] = [];
  for (const d of decls) {
    const owner = cx.global.names.get(d.owner.text);
    let ok = true;
    if (owner?.kind !== "party") {
      cx.error(
        "undeclaredOwner",
        d.owner.span,
        `input \`${d.name.text}\` is owned by \`${d.owner.text}\`, which is not a declared party`,
        didYouMean(suggest(d.owner.text, cx.parties)) ?? `declare it: party ${[...cx.parties, d.owner.text].join(", ")}`,
      );
      ok = false;
    }
    const bad = d.type.shape.find((n) => !(Number.isInteger(n) && n > 0));
    if (bad !== undefined) {
      cx.error("badDimension", d.type.span, `invalid dimension ${bad} in ${d.type.elem}${showShape(d.type.shape)}`, "dimensions are positive integers");
      ok = false;
    }
    const info: InputInfo = { party: d.owner.text, name: d.name.text, elem: d.type.elem, shape: d.type.shape, span: d.name.span };
    if (declareGlobal(cx, d.name, { kind: "input", input: info }) && ok) inputs.push(info);
  }
  return inputs;
}

function declareFns(cx: Checker, decls: FnDecl[]): void {
  for (const d of decls) {
    if (BUILTIN_NAMES.includes(d.name.text)) {
      cx.error("builtinRedefined", d.name.span, `\`${d.name.text}\` is a built-in function`, `rename it, e.g. \`my_${d.name.text}\``);
      continue;
    }
    if (declareGlobal(cx, d.name, { kind: "fn", decl: d })) cx.fns.set(d.name.text, d);
  }
  findRecursion(cx);
}

function evaluateConsts(cx: Checker, decls: ConstDecl[]): void {
  for (const d of decls) if (!cx.pendingConsts.has(d.name.text)) cx.pendingConsts.set(d.name.text, d.name.span);
  const savedScope = cx.scope;
  cx.scope = cx.global;
  cx.inConst = true;
  for (const d of decls) {
    cx.pendingConsts.delete(d.name.text);
    const t = checkExpr(cx, d.value);
    let value: number | boolean | undefined;
    let elem: "fixed" | "int" | "bool" = "fixed";
    if (t) {
      const v = constValue(t);
      if (v === undefined || Array.isArray(v) || t.type.shape.length !== 0) {
        cx.error(
          "constNotConstant",
          d.value.span,
          `the value of const \`${d.name.text}\` is not a compile-time constant scalar${t.type.shape.length ? ` (it is ${showType(t.type)})` : ""}`,
          "a const is built from literals and other consts; use `let` for a computed value",
        );
      } else if (typeof v === "number" && !Number.isFinite(v)) {
        cx.error("constNotConstant", d.value.span, `the value of const \`${d.name.text}\` is not a finite number`);
      } else {
        value = v;
        elem = t.type.elem;
      }
    }
    declareGlobal(cx, d.name, { kind: "const", name: d.name.text, span: d.name.span, value, elem });
  }
  cx.inConst = false;
  cx.scope = savedScope;
}

export function checkProgram(cx: Checker, p: Program): CheckedProgram {
  let precision = DEFAULT_PRECISION;
  if (p.precision !== undefined) {
    if (!Number.isInteger(p.precision) || p.precision < 1 || p.precision > MAX_PRECISION) {
      cx.error("precisionRange", precisionSpan(cx, p), `precision ${p.precision} is out of range`, `fixed point needs 1..${MAX_PRECISION} fractional bits (default ${DEFAULT_PRECISION})`);
    } else {
      precision = p.precision;
    }
  }
  cx.precision = precision;
  cx.deepExpressions = findDeepExpressions(cx, p);
  const of = <K extends string>(kind: K) => p.items.filter((i) => i.kind === kind);
  declareParties(cx, of("PartyDecl") as PartyDecl[]);
  const inputs = declareInputs(cx, of("InputDecl") as InputDecl[]);
  declareFns(cx, of("FnDecl") as FnDecl[]);
  const stmts = p.items.filter((i): i is Stmt => i.kind !== "PartyDecl" && i.kind !== "InputDecl" && i.kind !== "FnDecl" && i.kind !== "ConstDecl");
  for (const s of stmts) if (s.kind === "LetStmt") cx.topLevelBindings.add(s.name.text);
  evaluateConsts(cx, of("ConstDecl") as ConstDecl[]);

  const body: TStmt[] = [];
  cx.out = body;
  for (const s of stmts) checkStmt(cx, s);

  for (const [name, d] of cx.fns) {
    if (!cx.calledFns.has(name) && !cx.cyclicFns.has(name)) {
      cx.warning("unusedFn", d.name.span, `fn \`${name}\` is never called, so its body is not checked`, "fns are checked at each call, with the argument types");
    }
  }
  return { name: p.name.text, file: p.span.file, precision, parties: cx.parties, inputs, body };
}
