// Names used as values: a let/var/loop variable/param (a `ref`), an input (bare `xa` or
// qualified `hospital_a.xa`, private to its owner), or a const (its value, public).
// Parties and fns are not values. Unknown names get a "did you mean" from what is visible.

import type { Ident, MemberExpr, Span } from "../../../grammar/ast.js";
import { PUBLIC, privateTo } from "../../../runtime/plan/visibility.js";
import type { Checker } from "../context.js";
import { describeSym, symSpan, type Sym } from "../scope.js";
import { didYouMean, suggest } from "../suggest.js";
import type { TExpr } from "../typed.js";

export function symbolValue(cx: Checker, sym: Sym, name: string, span: Span): TExpr | undefined {
  switch (sym.kind) {
    case "binding":
      return sym.ok ? { k: "ref", binding: sym.binding, type: sym.binding.type, span } : undefined;
    case "input": {
      const i = sym.input;
      return { k: "input", input: i, type: { elem: i.elem, shape: i.shape, vis: privateTo(i.party) }, span };
    }
    case "const":
      return sym.value === undefined ? undefined : { k: "const", value: sym.value, type: { elem: sym.elem, shape: [], vis: PUBLIC }, span };
    case "party": {
      const inputs = [...cx.global.names.values()].filter((s) => s.kind === "input" && s.input.party === name);
      const first = inputs[0];
      cx.error(
        "partyAsValue",
        span,
        `\`${name}\` is a party, not a value`,
        first && first.kind === "input" ? `use one of its inputs, e.g. \`${name}.${first.input.name}\`` : undefined,
      );
      return undefined;
    }
    case "fn":
      cx.error("fnAsValue", span, `\`${name}\` is a function, not a value`, `call it: \`${name}(…)\``);
      return undefined;
  }
}

/** Report a name that does not resolve, with the most useful explanation available. */
export function reportUnknown(cx: Checker, name: string, span: Span): void {
  // Inside a fn: the name may be a binding of the caller, which fns cannot see.
  for (let f = cx.fn; f; f = f.parent) {
    const outer = f.callerScope.lookup(name);
    if (outer && outer.kind === "binding") {
      cx.error(
        "outerValueInFn",
        span,
        `\`${name}\` is not visible in fn \`${cx.fn!.decl.name.text}\`: it is ${describeSym(outer)} of the calling code`,
        `pass it as a parameter: fn ${cx.fn!.decl.name.text}(${[...cx.fn!.decl.params.map((p) => p.text), name].join(", ")})`,
        [{ span: symSpan(outer), message: `\`${name}\` is declared here` }],
      );
      return;
    }
  }
  const later = cx.pendingConsts.get(name);
  if (later) {
    cx.error("constBeforeDeclaration", span, `const \`${name}\` is used before its declaration`, "consts are evaluated in order: move its declaration up", [
      { span: later, message: `\`${name}\` is declared here` },
    ]);
    return;
  }
  if (cx.inConst && cx.topLevelBindings.has(name)) {
    cx.error("constNotConstant", span, `\`${name}\` is not a compile-time constant`, "a const can only use literals and other consts; use `let` for a computed value");
    return;
  }
  const candidates: string[] = [];
  for (const [n, s] of cx.scope.visible()) if (s.kind !== "party" && s.kind !== "fn") candidates.push(n);
  cx.error("unknownName", span, `unknown name \`${name}\``, didYouMean(suggest(name, candidates)));
}

export function checkIdent(cx: Checker, e: Ident): TExpr | undefined {
  const sym = cx.scope.lookup(e.name);
  if (!sym) {
    reportUnknown(cx, e.name, e.span);
    return undefined;
  }
  return symbolValue(cx, sym, e.name, e.span);
}

/** `party.input`. */
export function checkMember(cx: Checker, e: MemberExpr): TExpr | undefined {
  const partyName = e.object.text;
  const inputName = e.property.text;
  const party = cx.global.names.get(partyName);
  if (!party || party.kind !== "party") {
    const hint = didYouMean(suggest(partyName, cx.parties));
    cx.error(
      "notAParty",
      e.object.span,
      party ? `\`${partyName}\` is not a party, so \`${partyName}.${inputName}\` is not an input` : `unknown party \`${partyName}\``,
      hint ?? "write `party.input`, e.g. `hospital_a.xa`",
    );
    return undefined;
  }
  const sym = cx.global.names.get(inputName);
  if (sym && sym.kind === "input" && sym.input.party === partyName) return symbolValue(cx, sym, inputName, e.span);
  const own = [...cx.global.names.values()].flatMap((s) => (s.kind === "input" && s.input.party === partyName ? [s.input.name] : []));
  const hint =
    sym && sym.kind === "input"
      ? `\`${inputName}\` belongs to ${sym.input.party}: write \`${sym.input.party}.${inputName}\``
      : (didYouMean(suggest(inputName, own)) ?? (own.length ? `its inputs are ${own.map((n) => `\`${n}\``).join(", ")}` : `${partyName} has no inputs`));
  cx.error("noSuchInput", e.property.span, `party \`${partyName}\` has no input \`${inputName}\``, hint);
  return undefined;
}
