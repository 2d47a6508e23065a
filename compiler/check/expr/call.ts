// Calls: a user `fn` (inlined, see functions.ts), `grad(loss, w)`, or a built-in (typed by
// its op's rule in builtins.ts). Arguments are checked in every case, so errors inside the
// arguments of a bad call are still reported.

import type { CallExpr } from "../../../grammar/ast.js";
import { joinVisibility } from "../../../runtime/plan/visibility.js";
import type { CheckedArg } from "../args.js";
import { BUILTIN_NAMES, BUILTIN_OPS } from "../builtins.js";
import type { Checker } from "../context.js";
import { inlineCall } from "../functions.js";
import { describeSym } from "../scope.js";
import { didYouMean, suggest } from "../suggest.js";
import type { TExpr } from "../typed.js";
import { coerce, showType } from "../types.js";
import { applyOp } from "./apply.js";
import { checkExpr } from "./expression.js";

export function checkArgs(cx: Checker, e: CallExpr): CheckedArg[] {
  return e.args.map((a) => {
    const c: CheckedArg = { value: checkExpr(cx, a.value), span: a.span };
    if (a.name) c.name = { text: a.name.text, span: a.name.span };
    return c;
  });
}

export function checkCall(cx: Checker, e: CallExpr): TExpr | undefined {
  const name = e.callee.text;
  const fn = cx.fns.get(name);
  if (fn) return inlineCall(cx, fn, e);
  if (name === "grad") return checkGrad(cx, e);
  const op = BUILTIN_OPS.get(name);
  const args = checkArgs(cx, e);
  if (op) return applyOp(cx, op, name, e.span, args, e.span);
  const sym = cx.scope.lookup(name);
  if (sym && sym.kind !== "fn") {
    cx.error("notAFunction", e.callee.span, `\`${name}\` is ${describeSym(sym)}, not a function`, sym.kind === "party" ? undefined : `to pick elements, index it: \`${name}[…]\``);
    return undefined;
  }
  cx.error("unknownFunction", e.callee.span, `unknown function \`${name}\``, didYouMean(suggest(name, [...cx.fns.keys(), ...BUILTIN_NAMES])));
  return undefined;
}

/** `grad(loss, w)`: d loss / d w for a scalar fixed loss and a let/var/param `w`. */
function checkGrad(cx: Checker, e: CallExpr): TExpr | undefined {
  const args = checkArgs(cx, e);
  const named = e.args.find((a) => a.name);
  if (named?.name) {
    cx.error("unknownNamedArgument", named.name.span, "`grad` takes no named arguments", "the form is grad(loss, w)");
    return undefined;
  }
  if (args.length !== 2) {
    cx.error("argumentCount", e.span, `\`grad\` takes 2 arguments, got ${args.length}`, "the form is grad(loss, w)");
    return undefined;
  }
  const [loss, wrt] = args as [CheckedArg, CheckedArg];
  const target = e.args[1]!.value;
  let binding;
  if (wrt.value?.k === "ref" && target.kind === "Ident") {
    const b = wrt.value.binding;
    if (b.kind === "let" || b.kind === "var" || b.kind === "param") binding = b;
  }
  if (wrt.value && !binding) {
    const what = wrt.value.k === "input" ? "an input" : wrt.value.k === "const" ? "a constant" : wrt.value.k === "ref" ? `the ${wrt.value.binding.kind === "loop" ? "loop variable" : wrt.value.binding.kind} \`${wrt.value.binding.name}\`` : "an expression";
    cx.error("gradTarget", wrt.span, `\`grad\` differentiates with respect to a let, var or parameter, not ${what}`, "name the weights: grad(loss, w)");
    return undefined;
  }
  if (!loss.value || !binding) return undefined;
  const lt = loss.value.type;
  if (lt.elem !== "fixed" && lt.elem !== "int") {
    cx.error("wrongElemType", loss.span, `\`grad\` needs a fixed loss, got ${showType(lt)}`);
    return undefined;
  }
  if (lt.shape.length !== 0) {
    cx.error("notScalar", loss.span, `\`grad\` needs a scalar loss, got ${showType(lt)}`, "reduce it first, e.g. mean(…) or a loss such as mse(p, y)");
    return undefined;
  }
  if (binding.type.elem !== "fixed") {
    cx.error("wrongElemType", wrt.span, `\`grad\` differentiates with respect to fixed values, but \`${binding.name}\` is ${showType(binding.type)}`);
    return undefined;
  }
  return {
    k: "grad",
    loss: coerce(loss.value, "fixed"),
    wrt: binding,
    type: { elem: "fixed", shape: binding.type.shape, vis: joinVisibility(lt.vis, binding.type.vis) },
    span: e.span,
  };
}
