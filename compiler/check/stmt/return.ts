// `return e` is only the last statement of a fn body (functions.ts handles that one). Any
// other `return` is an error: outside a fn, or nested in a for/if inside one.

import type { ReturnStmt } from "../../../grammar/ast.js";
import type { Checker } from "../context.js";
import { checkExpr } from "../expr/expression.js";

export function checkReturn(cx: Checker, s: ReturnStmt): void {
  checkExpr(cx, s.value);
  if (!cx.fn) {
    cx.error("returnOutsideFn", s.span, "`return` outside a function", "results leave the program through `reveal`");
  } else {
    cx.error("nestedReturn", s.span, `\`return\` inside a block of fn \`${cx.fn.decl.name.text}\``, "a fn has one `return`, as the last statement of its body; choose values with select or a var");
  }
}
