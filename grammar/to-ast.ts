// CST (parser.ts) -> AST (ast.ts). Resolves operator precedence and associativity, and gives
// every node its source span. It must tolerate the partial trees chevrotain's error recovery
// leaves behind: a construct with a missing required part, or an expression chevrotain had to
// re-synchronise, is dropped, never filled with made-up nodes. The only errors it reports are
// what the grammar accepts on purpose to recover better (a `for` without its `..`) and
// literals that are well-formed numbers but not whole where a whole number is needed (shape
// dimensions, precision); everything else comes from the parser (messages.ts) and index.ts.

import type { CstNode, IToken } from "chevrotain";
import {
  joinSpans,
  type Arg,
  type BinaryOp,
  type ConstDecl,
  type ElemType,
  type Expr,
  type FnDecl,
  type IfStmt,
  type IndexItem,
  type InputDecl,
  type Item,
  type Name,
  type PartyDecl,
  type Program,
  type RevealStmt,
  type Span,
  type Stmt,
  type TypeExpr,
  type UnaryOp,
} from "./ast.js";
import type { Diagnostic } from "./diagnostic.js";
import { SyntaxCode } from "./codes.js";
import { WELL_FORMED_NUMBER } from "./lexer.js";

/** Binding strength of each binary operator; all are left-associative. */
export const PRECEDENCE: Record<BinaryOp, number> = {
  "||": 1,
  "&&": 2,
  "==": 3,
  "!=": 3,
  "<": 4,
  "<=": 4,
  ">": 4,
  ">=": 4,
  "+": 5,
  "-": 5,
  "*": 6,
  "/": 6,
  "@": 6,
};

// ---------------------------------------------------------------- CST access helpers

/** A token the user wrote (not one chevrotain invented while recovering). */
export function isRealToken(t: IToken | undefined): t is IToken {
  return t !== undefined && !t.isInsertedInRecovery && Number.isFinite(t.startOffset);
}

/** The source span of token t in `file`. */
export function tokenSpan(file: string, t: IToken): Span {
  return {
    file,
    line: t.startLine ?? 1,
    col: t.startColumn ?? 1,
    offset: t.startOffset,
    length: (t.endOffset ?? t.startOffset) - t.startOffset + 1,
  };
}

// These run once per CST child, so they avoid allocating: plain indexing, no filtering.
function toks(n: CstNode, key: string): IToken[] {
  const c = n.children[key] as IToken[] | undefined;
  if (!c) return [];
  for (const t of c) if (!isRealToken(t)) return c.filter(isRealToken);
  return c;
}
function tok(n: CstNode, key: string, i = 0): IToken | undefined {
  const c = n.children[key] as IToken[] | undefined;
  if (!c) return undefined;
  if (i === 0) {
    const t = c[0];
    if (isRealToken(t)) return t;
  }
  return toks(n, key)[i];
}
function nodes(n: CstNode, key: string): CstNode[] {
  return (n.children[key] as CstNode[] | undefined) ?? [];
}
function node(n: CstNode, key: string, i = 0): CstNode | undefined {
  return (n.children[key] as CstNode[] | undefined)?.[i];
}

export class AstBuilder {
  readonly diagnostics: Diagnostic[] = [];
  constructor(readonly file: string) {}

  /** Whole-number literal `t` (a shape dimension or the precision), or undefined after
   *  reporting it. Malformed numbers are index.ts's (E0007), not reported twice. */
  wholeNumber(t: IToken, code: string, what: string): number | undefined {
    if (/^[0-9]+$/.test(t.image)) return Number(t.image);
    if (WELL_FORMED_NUMBER.test(t.image)) {
      this.diagnostics.push({ code, severity: "error", message: `${what} must be a whole number, not '${t.image}'`, span: this.span(t) });
    }
    return undefined;
  }

  span(t: IToken): Span {
    return tokenSpan(this.file, t);
  }

  name(t: IToken | undefined): Name | undefined {
    return t ? { text: t.image, span: this.span(t) } : undefined;
  }

  // -------------------------------------------------------------- program and items

  program(cst: CstNode): Program {
    const header = node(cst, "header");
    const items: Item[] = [];
    // Items and `;` share one MANY: order them by offset, `;` are dropped.
    for (const it of nodes(cst, "item")) {
      const item = this.item(it);
      if (item) items.push(item);
    }
    const progTok = header && tok(header, "Program");
    const nameTok = header && tok(header, "Identifier");
    const precTok = header && tok(header, "NumberLiteral");
    const start = progTok ? this.span(progTok) : items[0]?.span ?? { file: this.file, line: 1, col: 1, offset: 0, length: 0 };
    const nameNode = this.name(nameTok) ?? { text: "", span: { ...start, length: 0 } };
    let span = start;
    const last = items.at(-1);
    if (last) span = joinSpans(span, last.span);
    else if (precTok) span = joinSpans(span, this.span(precTok));
    else if (nameTok) span = joinSpans(span, this.span(nameTok));
    const program: Program = { kind: "Program", name: nameNode, items, span };
    const precision = precTok && this.wholeNumber(precTok, SyntaxCode.BadPrecision, "the precision (fractional bits)");
    if (precision !== undefined) program.precision = precision;
    return program;
  }

  item(n: CstNode): Item | undefined {
    const c = n.children;
    if (c["partyDecl"]) return this.partyDecl(node(n, "partyDecl"));
    if (c["inputDecl"]) return this.inputDecl(node(n, "inputDecl"));
    if (c["constDecl"]) return this.constDecl(node(n, "constDecl"));
    if (c["fnDecl"]) return this.fnDecl(node(n, "fnDecl"));
    if (c["statement"]) return this.statement(node(n, "statement"));
    return undefined;
  }

  partyDecl(n: CstNode | undefined): PartyDecl | undefined {
    if (!n) return undefined;
    const kw = tok(n, "Party");
    const names = toks(n, "Identifier").map((t) => this.name(t)!);
    if (!kw || names.length === 0) return undefined;
    return { kind: "PartyDecl", names, span: joinSpans(this.span(kw), names.at(-1)!.span) };
  }

  inputDecl(n: CstNode | undefined): InputDecl | undefined {
    if (!n) return undefined;
    const kw = tok(n, "Input");
    const owner = this.name(tok(n, "owner"));
    const name = this.name(tok(n, "name"));
    const type = this.typeExpr(node(n, "typeExpr"));
    if (!kw || !owner || !name || !type) return undefined;
    return { kind: "InputDecl", owner, name, type, span: joinSpans(this.span(kw), type.span) };
  }

  typeExpr(n: CstNode | undefined): TypeExpr | undefined {
    if (!n) return undefined;
    const elemTok = tok(n, "elem");
    if (!elemTok) return undefined;
    const dims = toks(n, "NumberLiteral");
    // A bad dimension is reported and kept as 0 so the shape keeps its rank.
    const shape = dims.map((d) => this.wholeNumber(d, SyntaxCode.BadDimension, "a shape dimension") ?? 0);
    let span = this.span(elemTok);
    const close = tok(n, "RBracket") ?? dims.at(-1);
    if (close) span = joinSpans(span, this.span(close));
    return { elem: elemTok.image as ElemType, shape, span };
  }

  constDecl(n: CstNode | undefined): ConstDecl | undefined {
    if (!n) return undefined;
    const kw = tok(n, "Const");
    const name = this.name(tok(n, "Identifier"));
    const value = this.expression(node(n, "expression"));
    if (!kw || !name || !value || !tok(n, "Assign")) return undefined;
    return { kind: "ConstDecl", name, value, span: joinSpans(this.span(kw), value.span) };
  }

  fnDecl(n: CstNode | undefined): FnDecl | undefined {
    if (!n) return undefined;
    const kw = tok(n, "Fn");
    const name = this.name(tok(n, "name"));
    const params = toks(n, "param").map((t) => this.name(t)!);
    const body = this.block(node(n, "block"));
    if (!kw || !name || !body) return undefined;
    return { kind: "FnDecl", name, params, body: body.stmts, span: joinSpans(this.span(kw), body.span) };
  }

  // -------------------------------------------------------------- statements

  /** A `{ … }` block: its statements and its span (to the `}` or, if that is missing, to the
   *  last statement). */
  block(n: CstNode | undefined): { stmts: Stmt[]; span: Span } | undefined {
    if (!n) return undefined;
    const open = tok(n, "LCurly");
    if (!open) return undefined;
    const stmts: Stmt[] = [];
    for (const s of nodes(n, "statement")) {
      const st = this.statement(s);
      if (st) stmts.push(st);
    }
    const close = tok(n, "RCurly");
    let span = this.span(open);
    if (close) span = joinSpans(span, this.span(close));
    else if (stmts.length > 0) span = joinSpans(span, stmts.at(-1)!.span);
    return { stmts, span };
  }

  statement(n: CstNode | undefined): Stmt | undefined {
    if (!n) return undefined;
    const c = n.children;
    if (c["letStmt"]) return this.letStmt(node(n, "letStmt"));
    if (c["assignStmt"]) return this.assignStmt(node(n, "assignStmt"));
    if (c["forStmt"]) return this.forStmt(node(n, "forStmt"));
    if (c["ifStmt"]) return this.ifStmt(node(n, "ifStmt"));
    if (c["revealStmt"]) return this.revealStmt(node(n, "revealStmt"));
    if (c["returnStmt"]) return this.returnStmt(node(n, "returnStmt"));
    return undefined;
  }

  letStmt(n: CstNode | undefined): Stmt | undefined {
    if (!n) return undefined;
    const kw = tok(n, "kw");
    const name = this.name(tok(n, "Identifier"));
    const value = this.expression(node(n, "expression"));
    if (!kw || !name || !value || !tok(n, "Assign")) return undefined;
    return { kind: "LetStmt", mutable: kw.image === "var", name, value, span: joinSpans(this.span(kw), value.span) };
  }

  assignStmt(n: CstNode | undefined): Stmt | undefined {
    if (!n) return undefined;
    const target = this.name(tok(n, "Identifier"));
    const value = this.expression(node(n, "expression"));
    if (!target || !value || !tok(n, "Assign")) return undefined;
    return { kind: "AssignStmt", target, value, span: joinSpans(target.span, value.span) };
  }

  forStmt(n: CstNode | undefined): Stmt | undefined {
    if (!n) return undefined;
    const kw = tok(n, "For");
    const variable = this.name(tok(n, "Identifier"));
    const from = this.expression(node(n, "from"));
    const to = this.expression(node(n, "to"));
    const body = this.block(node(n, "block"));
    if (from && !n.children["DotDot"] && body) {
      this.diagnostics.push({
        code: SyntaxCode.ExpectedToken,
        severity: "error",
        message: "expected a range `a..b` after 'in'",
        span: from.span,
        hint: "a loop range is written `a..b`, e.g. `for i in 0..10`",
      });
    }
    if (!kw || !variable || !from || !to || !body || !tok(n, "In") || !tok(n, "DotDot")) return undefined;
    return { kind: "ForStmt", variable, from, to, body: body.stmts, span: joinSpans(this.span(kw), body.span) };
  }

  /** The flat `if … else if … else …` chain, folded from the end into nested IfStmts
   *  (iteratively: a long chain must not recurse). */
  ifStmt(n: CstNode | undefined): Stmt | undefined {
    if (!n) return undefined;
    const ifs = toks(n, "If");
    const conds = nodes(n, "cond");
    const thens = nodes(n, "then");
    const count = Math.min(ifs.length, conds.length, thens.length);
    if (count === 0) return undefined;
    let elseStmts: Stmt[] | undefined;
    let elseEnd: Span | undefined;
    const elseBlockNode = node(n, "elseBlock");
    if (elseBlockNode) {
      const b = this.block(elseBlockNode);
      if (b) {
        elseStmts = b.stmts;
        elseEnd = b.span;
      }
    }
    let result: IfStmt | undefined;
    for (let i = count - 1; i >= 0; i--) {
      const cond = this.expression(conds[i]);
      const then = this.block(thens[i]);
      if (!cond || !then) {
        // A broken link: keep only the part of the chain before it.
        result = undefined;
        elseStmts = undefined;
        elseEnd = undefined;
        continue;
      }
      const end = elseEnd ?? then.span;
      const stmt: IfStmt = { kind: "IfStmt", cond, then: then.stmts, span: joinSpans(this.span(ifs[i]!), end) };
      if (elseStmts) stmt.else = elseStmts;
      result = stmt;
      elseStmts = [stmt];
      elseEnd = stmt.span;
    }
    return result;
  }

  revealStmt(n: CstNode | undefined): RevealStmt | undefined {
    if (!n) return undefined;
    const kw = tok(n, "Reveal");
    const value = this.expression(node(n, "expression"));
    if (!kw || !value || !tok(n, "To")) return undefined;
    if (tok(n, "As") && !tok(n, "asName")) return undefined;
    const as = this.name(tok(n, "asName"));
    const all = tok(n, "All");
    let to: "all" | Name[];
    let toSpan: Span;
    if (all) {
      to = "all";
      toSpan = this.span(all);
    } else {
      const receivers = toks(n, "receiver").map((t) => this.name(t)!);
      if (receivers.length === 0) return undefined;
      to = receivers;
      toSpan = joinSpans(receivers[0]!.span, receivers.at(-1)!.span);
    }
    const stmt: RevealStmt = { kind: "RevealStmt", value, to, toSpan, span: joinSpans(this.span(kw), toSpan) };
    if (as) stmt.as = as;
    return stmt;
  }

  returnStmt(n: CstNode | undefined): Stmt | undefined {
    if (!n) return undefined;
    const kw = tok(n, "Return");
    const value = this.expression(node(n, "expression"));
    if (!kw || !value) return undefined;
    return { kind: "ReturnStmt", value, span: joinSpans(this.span(kw), value.span) };
  }

  // -------------------------------------------------------------- expressions

  /** `u0 op1 u1 op2 u2 …` -> a tree, by operator precedence (shunting-yard, iterative). */
  expression(n: CstNode | undefined): Expr | undefined {
    // A recovered expression lost tokens: better no node than a plausible wrong one.
    if (!n || n.recoveredNode) return undefined;
    const unaries = nodes(n, "operand");
    const ops = toks(n, "BinaryOperator");
    const operands: Expr[] = [];
    const operators: IToken[] = [];
    for (let i = 0; i < unaries.length; i++) {
      const operand = this.operand(unaries[i]);
      if (!operand) return undefined;
      if (i > 0) {
        const opTok = ops[i - 1];
        if (!opTok) break;
        const prec = PRECEDENCE[opTok.image as BinaryOp];
        while (operators.length > 0 && PRECEDENCE[operators.at(-1)!.image as BinaryOp] >= prec) this.reduce(operands, operators);
        operators.push(opTok);
      }
      operands.push(operand);
    }
    if (operands.length === 0) return undefined;
    while (operators.length > 0) this.reduce(operands, operators);
    return operands[0];
  }

  /** Pop one operator and two operands, push their BinaryExpr. */
  private reduce(operands: Expr[], operators: IToken[]): void {
    const right = operands.pop()!;
    const left = operands.pop()!;
    const opTok = operators.pop()!;
    operands.push({
      kind: "BinaryExpr",
      op: opTok.image as BinaryOp,
      opSpan: this.span(opTok),
      left,
      right,
      span: joinSpans(left.span, right.span),
    });
  }

  /** Prefix operators, a primary, index suffixes: `-x[0]` is `-(x[0])`. */
  operand(n: CstNode | undefined): Expr | undefined {
    if (!n || n.recoveredNode) return undefined;
    let expr = this.primary(n);
    if (!expr) return undefined;
    const suffixes = n.children["indexSuffix"] as CstNode[] | undefined;
    if (suffixes) {
      for (const suffix of suffixes) {
        const indices: IndexItem[] = [];
        for (const itemNode of nodes(suffix, "indexItem")) {
          const item = this.indexItem(itemNode);
          if (!item) return undefined;
          indices.push(item);
        }
        const close = tok(suffix, "RBracket");
        if (!close || indices.length === 0) return undefined;
        expr = { kind: "IndexExpr", object: expr, indices, span: joinSpans(expr.span, this.span(close)) };
      }
    }
    const ops = n.children["UnaryOperator"] as IToken[] | undefined;
    if (ops) {
      for (let i = ops.length - 1; i >= 0; i--) {
        const opTok = ops[i]!;
        if (!isRealToken(opTok)) continue;
        const opSpan = this.span(opTok);
        expr = { kind: "UnaryExpr", op: opTok.image as UnaryOp, opSpan, operand: expr, span: joinSpans(opSpan, expr.span) };
      }
    }
    return expr;
  }

  indexItem(n: CstNode): IndexItem | undefined {
    const colon = tok(n, "Colon");
    const startNode = node(n, "start");
    const endNode = node(n, "end");
    const start = this.expression(startNode);
    const end = this.expression(endNode);
    if (startNode && !start) return undefined;
    if (endNode && !end) return undefined;
    if (!colon) return start ? { kind: "Index", value: start, span: start.span } : undefined;
    let span = start ? start.span : this.span(colon);
    if (end) span = joinSpans(span, end.span);
    else span = joinSpans(span, this.span(colon));
    const item: IndexItem = { kind: "Slice", span };
    if (start) item.start = start;
    if (end) item.end = end;
    return item;
  }

  /** The primary of an operand node: a literal, a name, a call, `party.input`, `( e )`
   *  or `[ … ]`. */
  primary(n: CstNode): Expr | undefined {
    const c = n.children;
    const num = tok(n, "NumberLiteral");
    if (num) {
      const text = num.image;
      const integral = /^[0-9]+$/.test(text);
      // Malformed or out-of-range literals are reported by index.ts; keep a number here.
      const value = Number.isNaN(Number(text)) ? Number.parseFloat(text) : Number(text);
      return { kind: "NumberLit", value, text, integral, span: this.span(num) };
    }
    const t = tok(n, "True") ?? tok(n, "False");
    if (t) return { kind: "BoolLit", value: t.image === "true", span: this.span(t) };
    if (c["parenExpr"]) return this.parenExpr(node(n, "parenExpr"));
    if (c["arrayLit"]) return this.arrayLit(node(n, "arrayLit"));
    const id = this.name(tok(n, "Identifier"));
    if (!id) return undefined;
    const argsNode = node(n, "callArgs");
    if (argsNode) {
      const close = tok(argsNode, "RParen");
      const args: Arg[] = [];
      for (const a of nodes(argsNode, "argument")) {
        const arg = this.argument(a);
        if (!arg) return undefined;
        args.push(arg);
      }
      if (!close) return undefined;
      return { kind: "CallExpr", callee: id, args, span: joinSpans(id.span, this.span(close)) };
    }
    if (c["Dot"]) {
      const property = this.name(tok(n, "property"));
      if (!property) return undefined;
      return { kind: "MemberExpr", object: id, property, span: joinSpans(id.span, property.span) };
    }
    return { kind: "Ident", name: id.text, span: id.span };
  }

  argument(n: CstNode): Arg | undefined {
    const value = this.expression(node(n, "expression"));
    if (!value) return undefined;
    const nameTok = tok(n, "argName");
    if (nameTok) {
      const name = this.name(nameTok)!;
      return { name, value, span: joinSpans(name.span, value.span) };
    }
    return { value, span: value.span };
  }

  /** `( e )` is e itself, with its span widened to the parentheses (so a caret under
   *  `(a + b) * c` covers the parentheses too). */
  parenExpr(n: CstNode | undefined): Expr | undefined {
    if (!n) return undefined;
    const open = tok(n, "LParen");
    const close = tok(n, "RParen");
    const inner = this.expression(node(n, "expression"));
    if (!open || !close || !inner) return undefined;
    inner.span = joinSpans(this.span(open), this.span(close));
    return inner;
  }

  arrayLit(n: CstNode | undefined): Expr | undefined {
    if (!n) return undefined;
    const open = tok(n, "LBracket");
    const close = tok(n, "RBracket");
    const elements: Expr[] = [];
    for (const e of nodes(n, "expression")) {
      const el = this.expression(e);
      if (!el) return undefined;
      elements.push(el);
    }
    if (!open || !close || elements.length === 0) return undefined;
    return { kind: "ArrayLit", elements, span: joinSpans(this.span(open), this.span(close)) };
  }
}
