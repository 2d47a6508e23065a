// Literals: `12` is an int (and becomes fixed wherever a fixed is needed), `0.5` and `1e-3`
// are fixed, `true`/`false` are bool. All are public scalars.

import type { BoolLit, NumberLit } from "../../../grammar/ast.js";
import { PUBLIC } from "../../../runtime/plan/visibility.js";
import type { Checker } from "../context.js";
import type { TExpr } from "../typed.js";

export function checkNumber(cx: Checker, e: NumberLit): TExpr | undefined {
  // A fixed literal must fit the ring encoding: |v| * 2^precision < 2^63. (Int literals
  // beyond 2^53 are already syntax errors: they are not exact.)
  if (!e.integral && !(Math.abs(e.value) < 2 ** (63 - cx.precision))) {
    cx.error(
      "literalRange",
      e.span,
      `the literal ${e.text} is out of range for fixed point with ${cx.precision} fractional bits`,
      `fixed literals need |value| < 2^${63 - cx.precision}`,
    );
    return undefined;
  }
  return { k: "const", value: e.value, type: { elem: e.integral ? "int" : "fixed", shape: [], vis: PUBLIC }, span: e.span };
}

export function checkBool(e: BoolLit): TExpr {
  return { k: "const", value: e.value, type: { elem: "bool", shape: [], vis: PUBLIC }, span: e.span };
}
