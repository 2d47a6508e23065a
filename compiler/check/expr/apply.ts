// Applying an op's typing rule (builtins.ts) to checked arguments: binds the arguments,
// runs the rule, and gives the result the join of its operands' visibilities.

import type { Span } from "../../../grammar/ast.js";
import type { OpName } from "../../../runtime/plan/ops.js";
import { Args, type CheckedArg } from "../args.js";
import { OP_RULES } from "../builtins.js";
import type { Checker } from "../context.js";
import type { TExpr } from "../typed.js";
import { joinAll } from "../types.js";

/** `site` is where shape/type errors point: the operator token, or the whole call. */
export function applyOp(cx: Checker, op: OpName, name: string, site: Span, args: CheckedArg[], span: Span): TExpr | undefined {
  const rule = OP_RULES[op];
  const a = new Args(cx, name, site, rule.sig, args);
  const r = rule.type(a, cx, name);
  if (!r || a.failed) return undefined;
  return { k: "op", op, args: r.args, attrs: r.attrs ?? {}, type: { elem: r.elem, shape: r.shape, vis: joinAll(r.args) }, span };
}
