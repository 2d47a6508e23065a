// `x = e`: only a `var` can be assigned, with a value of its element type (an int value is
// converted for a fixed var) and exactly its shape. Functions are pure: inside a fn, only the
// fn's own vars can be assigned. Each assignment feeds the var's visibility fixpoint.

import type { AssignStmt } from "../../../grammar/ast.js";
import type { Checker } from "../context.js";
import { checkExpr } from "../expr/expression.js";
import { reportUnknown } from "../expr/name.js";
import { describeSym, symSpan } from "../scope.js";
import { sameShape } from "../shapes.js";
import { coerce, showType } from "../types.js";

export function checkAssign(cx: Checker, s: AssignStmt): void {
  const name = s.target.text;
  const sym = cx.scope.lookup(name);
  const value = checkExpr(cx, s.value);
  if (!sym) {
    for (let f = cx.fn; f; f = f.parent) {
      const outer = f.callerScope.lookup(name);
      if (outer?.kind === "binding") {
        cx.error(
          "assignOuterInFn",
          s.target.span,
          `fn \`${cx.fn!.decl.name.text}\` cannot assign to \`${name}\`, which is declared outside it`,
          `functions are pure: return the new value and assign it where the fn is called (\`${name} = ${cx.fn!.decl.name.text}(…)\`)`,
          [{ span: symSpan(outer), message: `\`${name}\` is declared here` }],
        );
        return;
      }
    }
    reportUnknown(cx, name, s.target.span);
    return;
  }
  if (sym.kind !== "binding" || sym.binding.kind !== "var") {
    const hint =
      sym.kind === "binding" && sym.binding.kind === "let"
        ? `declare it with \`var ${name} = …\` to make it assignable`
        : sym.kind === "input"
          ? "inputs are read-only: copy it into a var (`var v = x`) to change it"
          : sym.kind === "binding" && sym.binding.kind === "loop"
            ? "the loop variable is set by the loop"
            : undefined;
    cx.error("assignNotVar", s.target.span, `cannot assign to \`${name}\`: it is ${describeSym(sym)}, not a var`, hint, [
      { span: symSpan(sym), message: "declared here" },
    ]);
    return;
  }
  if (!value || !sym.ok) return;
  const b = sym.binding;
  let v = value;
  if (v.type.elem !== b.type.elem) {
    if (v.type.elem === "int" && b.type.elem === "fixed") v = coerce(v, "fixed");
    else {
      cx.error(
        "assignElemType",
        s.value.span,
        `cannot assign ${showType(v.type)} to \`${name}\`, a var of type ${showType(b.type)}`,
        b.type.elem === "int" && v.type.elem === "fixed"
          ? `a var keeps its element type: declare it as fixed (\`var ${name} = 0.0\` or zeros(…))`
          : "a var keeps its element type",
        [{ span: b.span, message: "declared here" }],
      );
      return;
    }
  }
  if (!sameShape(v.type.shape, b.type.shape)) {
    cx.error("assignShape", s.value.span, `cannot assign ${showType(v.type)} to \`${name}\`, a var of type ${showType(b.type)}`, "a var keeps its shape (assignments do not broadcast)", [
      { span: b.span, message: "declared here" },
    ]);
    return;
  }
  cx.noteVarAssignment(sym.varKey!, b.type.vis, v.type.vis);
  cx.out.push({ k: "assign", binding: b, value: v, span: s.span });
}
