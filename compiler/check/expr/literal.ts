// Literals: `12` is an int (and becomes fixed wherever a fixed is needed), `0.5` and `1e-3`
// are fixed, `true`/`false` are bool. All are public scalars.

import type { BoolLit, NumberLit } from "../../../grammar/ast.js";
import { PUBLIC } from "../../../runtime/plan/visibility.js";
import type { TExpr } from "../typed.js";

export function checkNumber(e: NumberLit): TExpr {
  return { k: "const", value: e.value, type: { elem: e.integral ? "int" : "fixed", shape: [], vis: PUBLIC }, span: e.span };
}

export function checkBool(e: BoolLit): TExpr {
  return { k: "const", value: e.value, type: { elem: "bool", shape: [], vis: PUBLIC }, span: e.span };
}
