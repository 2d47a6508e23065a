// The checked program: what compiler/check produces and compiler/ir consumes.
// Names are resolved to bindings, every expression carries its element type, static shape and
// visibility, user functions are inlined (so a function body appears once per call, with fresh
// bindings), constants and loop bounds are evaluated, and `reveal … to all` is expanded to the
// party list. Nothing downstream needs the AST or the symbol tables again.

import type { ElemType, Span } from "../../grammar/ast.js";
import type { Visibility } from "../../runtime/plan/visibility.js";

export type { Visibility };

export interface ValueType {
  elem: ElemType;
  /** Static shape; [] is a scalar. */
  shape: number[];
  vis: Visibility;
}

export interface InputInfo {
  /** Owning party. */
  party: string;
  /** Bare name (`xa`); unique in the program. */
  name: string;
  elem: ElemType;
  shape: number[];
  span: Span;
}

/** A named value: a let/var/const/loop variable. Inlined function locals get fresh ids. */
export interface Binding {
  id: number;
  name: string;
  kind: "let" | "var" | "const" | "loop" | "param";
  /** For a `var`: the join over all assignments (fixpoint over loops). */
  type: ValueType;
  span: Span;
}

/** Attribute values of an op: axis, shapes, slice bounds, clip bounds, … */
export type Attr = number | boolean | string | number[] | (number | null)[][];

// How the checker builds expressions (see docs/language.md for the language side):
// - `const`: literals and uses of `const` declarations (consts are inlined as their value;
//   no Binding of kind "const" is emitted). An int literal used where a fixed is needed is
//   retyped to fixed in place (same value).
// - Mixed int/fixed operands of an op: the int one is wrapped in an explicit
//   `cast` op ({ to: "fixed" }), so no arithmetic op sees mixed element types.
// - `slice` attrs.ranges: one entry per axis of the operand, [start, end] for a slice
//   (0 <= start < end <= n, negative bounds already resolved) or [i, null] for an index
//   (the axis is dropped). Reductions have attrs.keepdims always and attrs.axis (0-based)
//   only when reducing one axis; softmax/log_softmax always have attrs.axis (0-based);
//   transpose always has attrs.perm.
// - Inlined fn calls: `let` statements for the parameters (kind "param") and the body's
//   statements come before the statement containing the call, in the same block; the
//   call's value is the returned expression.
export type TExpr =
  | { k: "const"; value: number | boolean; type: ValueType; span: Span }
  | { k: "input"; input: InputInfo; type: ValueType; span: Span }
  | { k: "ref"; binding: Binding; type: ValueType; span: Span }
  /** Every operator and built-in, by its canonical op name (see runtime/plan/ops.ts). */
  | { k: "op"; op: string; args: TExpr[]; attrs: Record<string, Attr>; type: ValueType; span: Span }
  /** `grad(loss, w)`: d loss / d w, expanded by the compiler's autodiff. */
  | { k: "grad"; loss: TExpr; wrt: Binding; type: ValueType; span: Span };

export type TStmt =
  | { k: "let"; binding: Binding; value: TExpr; span: Span }
  | { k: "assign"; binding: Binding; value: TExpr; span: Span }
  /** Bounds are evaluated at compile time: iterations = to - from (may be 0). */
  | { k: "for"; binding: Binding; from: number; to: number; body: TStmt[]; span: Span }
  /** The condition is public (a secret `if` is a compile error; use select). */
  | { k: "if"; cond: TExpr; then: TStmt[]; else: TStmt[]; span: Span }
  /** `to` lists receiving parties in declaration order; `name` names the output file. */
  | { k: "reveal"; value: TExpr; name: string; to: string[]; span: Span };

export interface CheckedProgram {
  name: string;
  file: string;
  /** Fractional bits of fixed point (default 16). */
  precision: number;
  /** Compute parties, in declaration order. */
  parties: string[];
  inputs: InputInfo[];
  body: TStmt[];
}
