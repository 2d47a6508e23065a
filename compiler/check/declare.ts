// Declaring names. Parties, inputs, consts and fns live in the global scope and are unique in
// the program; let/var/loop variables/params are unique within their block and may shadow an
// outer let/var, but never an input (that would silently hide a party's data) nor another
// global name.

import type { Name } from "../../grammar/ast.js";
import type { Checker } from "./context.js";
import { describeSym, symSpan, type Sym } from "./scope.js";

/** Declare a global name; returns false (after reporting) on a clash. */
export function declareGlobal(cx: Checker, name: Name, sym: Sym): boolean {
  const prev = cx.global.names.get(name.text);
  if (prev) {
    cx.error("duplicateDeclaration", name.span, `\`${name.text}\` is declared twice: it is already ${describeSym(prev)}`, undefined, [
      { span: symSpan(prev), message: "first declared here" },
    ]);
    return false;
  }
  cx.global.names.set(name.text, sym);
  return true;
}

/** Declare a local binding in the current block; reports clashes but declares anyway
 *  (unless it would hide a global), so later uses do not cascade. */
export function declareLocal(cx: Checker, name: Name, sym: Sym): void {
  const global = cx.global.names.get(name.text);
  if (global) {
    if (global.kind === "input") {
      cx.error(
        "shadowsInput",
        name.span,
        `\`${name.text}\` would hide the input \`${global.input.party}.${name.text}\``,
        "choose another name: inputs cannot be shadowed",
        [{ span: global.input.span, message: "the input is declared here" }],
      );
    } else {
      cx.error("duplicateDeclaration", name.span, `\`${name.text}\` is declared twice: it is already ${describeSym(global)}`, undefined, [
        { span: symSpan(global), message: "first declared here" },
      ]);
    }
    return;
  }
  const prev = cx.scope.names.get(name.text);
  if (prev) {
    cx.error("duplicateDeclaration", name.span, `\`${name.text}\` is declared twice in the same block`, "rename one, or declare it once with `var` and assign it", [
      { span: symSpan(prev), message: "first declared here" },
    ]);
  }
  cx.scope.names.set(name.text, sym);
}
