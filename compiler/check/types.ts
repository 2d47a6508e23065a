// Element types and value types as the checker reasons about them: display (`fixed[3, 4]`),
// numeric promotion (int meets fixed -> fixed) and coercion of an expression to an element type.
// Integral literals (and int consts) are typed `int` and retyped in place when a `fixed` is
// needed; any other int expression gets an explicit `cast` op, so downstream phases never see
// an arithmetic op with mixed element types.

import type { ElemType } from "../../grammar/ast.js";
import { joinVisibility, PUBLIC, type Visibility } from "../../runtime/plan/visibility.js";
import type { TExpr, ValueType } from "./typed.js";
import { showShape } from "./shapes.js";

export const isNumeric = (e: ElemType): boolean => e === "fixed" || e === "int";

/** `fixed[3, 4]`, or `fixed` for a scalar. */
export function showType(t: { elem: ElemType; shape: readonly number[] }): string {
  return t.shape.length === 0 ? t.elem : `${t.elem}${showShape(t.shape)}`;
}

/** Numeric promotion: fixed if either is fixed, else int. Both must be numeric. */
export function promote(a: ElemType, b: ElemType): ElemType {
  return a === "fixed" || b === "fixed" ? "fixed" : "int";
}

export function valueType(elem: ElemType, shape: number[], vis: Visibility = PUBLIC): ValueType {
  return { elem, shape, vis };
}

/** The join of the operands' visibilities (public when there are none). */
export function joinAll(args: readonly TExpr[]): Visibility {
  let v: Visibility = PUBLIC;
  for (const a of args) v = joinVisibility(v, a.type.vis);
  return v;
}

/** Convert an int expression to fixed (literals are retyped; others get a `cast`). */
export function coerce(e: TExpr, elem: ElemType): TExpr {
  if (e.type.elem === elem) return e;
  if (e.k === "const" && typeof e.value === "number") {
    return { ...e, type: { ...e.type, elem } };
  }
  return { k: "op", op: "cast", args: [e], attrs: { to: elem }, type: { ...e.type, elem }, span: e.span };
}
