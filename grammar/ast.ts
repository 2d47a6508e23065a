// The abstract syntax tree of a .mpc program: what the parser produces and the checker reads.
// Every node carries the source span it came from, so any later phase can point at the text.
// Nothing here knows about types, shapes or visibility: that is compiler/check's job.

/** A location in a source file. `line` and `col` are 1-based; `offset` is 0-based (UTF-16 units). */
export interface Span {
  file: string;
  line: number;
  col: number;
  offset: number;
  length: number;
}

export interface Node {
  span: Span;
}

/** A name as written, with its own span (for "unknown name" carets). */
export interface Name extends Node {
  text: string;
}

export type ElemType = "fixed" | "int" | "bool";

export interface TypeExpr extends Node {
  elem: ElemType;
  /** Static shape; [] is a scalar. */
  shape: number[];
}

// ---------------------------------------------------------------- program and items

export interface Program extends Node {
  kind: "Program";
  name: Name;
  /** `program p precision 20`: fractional bits of fixed point; undefined = default (16). */
  precision?: number;
  items: Item[];
}

export type Item = PartyDecl | InputDecl | ConstDecl | FnDecl | Stmt;

export interface PartyDecl extends Node {
  kind: "PartyDecl";
  names: Name[];
}

export interface InputDecl extends Node {
  kind: "InputDecl";
  owner: Name;
  name: Name;
  type: TypeExpr;
}

export interface ConstDecl extends Node {
  kind: "ConstDecl";
  name: Name;
  value: Expr;
}

export interface FnDecl extends Node {
  kind: "FnDecl";
  name: Name;
  params: Name[];
  body: Stmt[];
}

// ---------------------------------------------------------------- statements

export type Stmt = LetStmt | AssignStmt | ForStmt | IfStmt | RevealStmt | ReturnStmt;

export interface LetStmt extends Node {
  kind: "LetStmt";
  /** `let` binds once; `var` may be reassigned. */
  mutable: boolean;
  name: Name;
  value: Expr;
}

export interface AssignStmt extends Node {
  kind: "AssignStmt";
  target: Name;
  value: Expr;
}

export interface ForStmt extends Node {
  kind: "ForStmt";
  variable: Name;
  /** Inclusive start, exclusive end: `for i in 0..10` runs i = 0..9. */
  from: Expr;
  to: Expr;
  body: Stmt[];
}

export interface IfStmt extends Node {
  kind: "IfStmt";
  cond: Expr;
  then: Stmt[];
  /** `else { … }` gives a block; `else if …` gives a one-element block holding the IfStmt. */
  else?: Stmt[];
}

export interface RevealStmt extends Node {
  kind: "RevealStmt";
  value: Expr;
  /** `reveal e as name to …`; undefined when e is a plain name (the result is named after it). */
  as?: Name;
  /** "all", or the receiving parties as written. */
  to: "all" | Name[];
  /** Span of the `all` keyword or of the receiver list, for diagnostics. */
  toSpan: Span;
}

export interface ReturnStmt extends Node {
  kind: "ReturnStmt";
  value: Expr;
}

// ---------------------------------------------------------------- expressions

export type Expr =
  | NumberLit
  | BoolLit
  | Ident
  | MemberExpr
  | UnaryExpr
  | BinaryExpr
  | CallExpr
  | IndexExpr
  | ArrayLit;

export interface NumberLit extends Node {
  kind: "NumberLit";
  value: number;
  /** The literal as written (`1`, `0.5`, `1e-3`). */
  text: string;
  /** True when written without `.` or exponent: usable as `int` (and as `fixed`). */
  integral: boolean;
}

export interface BoolLit extends Node {
  kind: "BoolLit";
  value: boolean;
}

export interface Ident extends Node {
  kind: "Ident";
  name: string;
}

/** `hospital_a.xa`: a qualified input name. */
export interface MemberExpr extends Node {
  kind: "MemberExpr";
  object: Name;
  property: Name;
}

export type UnaryOp = "-" | "!";

export interface UnaryExpr extends Node {
  kind: "UnaryExpr";
  op: UnaryOp;
  /** Span of the operator token. */
  opSpan: Span;
  operand: Expr;
}

export type BinaryOp =
  | "||"
  | "&&"
  | "=="
  | "!="
  | "<"
  | "<="
  | ">"
  | ">="
  | "+"
  | "-"
  | "*"
  | "/"
  | "@";

export interface BinaryExpr extends Node {
  kind: "BinaryExpr";
  op: BinaryOp;
  /** Span of the operator token (carets for "cannot add [3] and [4]" go here). */
  opSpan: Span;
  left: Expr;
  right: Expr;
}

export interface Arg extends Node {
  /** `axis = 1` has name "axis"; a positional argument has none. */
  name?: Name;
  value: Expr;
}

/** A call of a built-in (`sigmoid(x)`, `sum(x, axis = 0)`) or of a user `fn`. */
export interface CallExpr extends Node {
  kind: "CallExpr";
  callee: Name;
  args: Arg[];
}

/** One position of `x[i, a:b, :]`. */
export type IndexItem =
  | { kind: "Index"; span: Span; value: Expr }
  | { kind: "Slice"; span: Span; start?: Expr; end?: Expr };

export interface IndexExpr extends Node {
  kind: "IndexExpr";
  object: Expr;
  indices: IndexItem[];
}

/** `[a, b, c]`: stacks its elements along a new leading axis. */
export interface ArrayLit extends Node {
  kind: "ArrayLit";
  elements: Expr[];
}

/** Spans covering from the start of `a` to the end of `b`. */
export function joinSpans(a: Span, b: Span): Span {
  const end = Math.max(a.offset + a.length, b.offset + b.length);
  return { file: a.file, line: a.line, col: a.col, offset: a.offset, length: end - a.offset };
}
