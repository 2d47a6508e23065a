// Names: what a name can mean (party, input, const, fn, or a let/var/loop/param binding) and
// the chain of block scopes that resolves it. The global scope holds parties, inputs, consts
// and fns (unique in the program); each block (top level, loop body, if branch, fn body) has
// its own scope for let/var/loop variables/params. A fn body's scope hangs off the global
// scope, not off the caller's, so a function cannot see its caller's bindings.

import type { FnDecl, Span } from "../../grammar/ast.js";
import type { Binding, InputInfo } from "./typed.js";

export type Sym =
  | { kind: "party"; name: string; span: Span }
  | { kind: "input"; input: InputInfo }
  /** value undefined: the const's initializer had an error (uses stay silent). */
  | { kind: "const"; name: string; span: Span; value: number | boolean | undefined; elem: "fixed" | "int" | "bool" }
  | { kind: "fn"; decl: FnDecl }
  /** ok false: the initializer had an error (uses stay silent). varKey: the var's fixpoint key. */
  | { kind: "binding"; binding: Binding; ok: boolean; varKey?: string };

export function symSpan(s: Sym): Span {
  switch (s.kind) {
    case "party":
    case "const":
      return s.span;
    case "input":
      return s.input.span;
    case "fn":
      return s.decl.name.span;
    case "binding":
      return s.binding.span;
  }
}

/** How a symbol is described in messages: "the input `xa` of hospital_a", "the let `p`". */
export function describeSym(s: Sym): string {
  switch (s.kind) {
    case "party":
      return `the party \`${s.name}\``;
    case "input":
      return `the input \`${s.input.name}\` of ${s.input.party}`;
    case "const":
      return `the const \`${s.name}\``;
    case "fn":
      return `the fn \`${s.decl.name.text}\``;
    case "binding": {
      const k = s.binding.kind;
      const what = k === "loop" ? "loop variable" : k === "param" ? "parameter" : k;
      return `the ${what} \`${s.binding.name}\``;
    }
  }
}

export class Scope {
  readonly names = new Map<string, Sym>();
  constructor(readonly parent: Scope | undefined) {}

  lookup(name: string): Sym | undefined {
    for (let s: Scope | undefined = this; s; s = s.parent) {
      const hit = s.names.get(name);
      if (hit) return hit;
    }
    return undefined;
  }

  /** Every name visible from here (for suggestions), innermost first. */
  *visible(): Generator<[string, Sym]> {
    const seen = new Set<string>();
    for (let s: Scope | undefined = this; s; s = s.parent) {
      for (const [n, sym] of s.names) {
        if (!seen.has(n)) {
          seen.add(n);
          yield [n, sym];
        }
      }
    }
  }
}
