// `reveal e [as name] to P, Q | all`: the only way a value leaves secret computation. The
// receivers are declared parties (`all` expands to every party, in declaration order); the
// output is named by `as name`, or after the revealed name. Reveals happen at top level or in
// a top-level for/if, never inside a fn (fns are pure). Revealing a value a receiver already
// holds in the clear is allowed (it costs nothing; the summary says so).

import type { RevealStmt } from "../../../grammar/ast.js";
import type { Checker } from "../context.js";
import { checkExpr } from "../expr/expression.js";
import { didYouMean, suggest } from "../suggest.js";

export function checkReveal(cx: Checker, s: RevealStmt): void {
  const value = checkExpr(cx, s.value);
  let ok = value !== undefined;
  if (cx.fn) {
    cx.error("revealInFn", s.span, `\`reveal\` inside fn \`${cx.fn.decl.name.text}\``, "functions are pure: return the value and reveal it where the fn is called");
    ok = false;
  }
  let name = s.as?.text;
  if (name === undefined) {
    if (s.value.kind === "Ident") name = s.value.name;
    else if (s.value.kind === "MemberExpr") name = s.value.property.text;
    else {
      cx.error("revealNeedsName", s.value.span, "a revealed expression needs a name", "add `as name`: reveal … as result to …");
      ok = false;
    }
  }
  if (name !== undefined) {
    const prev = cx.revealNames.get(name);
    const nameSpan = s.as?.span ?? s.value.span;
    if (prev) {
      cx.error("duplicateReveal", nameSpan, `two reveals are named \`${name}\``, "rename one with `as`", [{ span: prev, message: "first reveal of that name" }]);
      ok = false;
    } else {
      cx.revealNames.set(name, nameSpan);
    }
  }
  let to: string[] = [];
  if (s.to === "all") {
    to = [...cx.parties];
  } else {
    const seen = new Set<string>();
    for (const r of s.to) {
      if (!cx.parties.includes(r.text)) {
        cx.error("unknownReceiver", r.span, `unknown party \`${r.text}\``, didYouMean(suggest(r.text, cx.parties)) ?? `the parties are ${cx.parties.join(", ")}`);
        ok = false;
      } else if (seen.has(r.text)) {
        cx.error("duplicateReceiver", r.span, `\`${r.text}\` is listed twice`);
        ok = false;
      }
      seen.add(r.text);
    }
    to = cx.parties.filter((p) => seen.has(p));
  }
  if (ok) cx.out.push({ k: "reveal", value: value!, name: name!, to, span: s.span });
}
