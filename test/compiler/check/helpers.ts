// Test helpers for the checker: check a program from text (parse + check only, so tests see
// the checker's own output, before compiler/autodiff expands grad), find bindings, reveals.

import { check } from "../../../compiler/check/index.js";
import { parse } from "../../../grammar/index.js";
import type { Diagnostic } from "../../../grammar/diagnostic.js";
import type { Binding, CheckedProgram, TExpr, TStmt } from "../../../compiler/check/typed.js";
import { renderDiagnostics } from "../../../grammar/diagnostic.js";
import { showVisibility } from "../../../runtime/plan/visibility.js";

export const FILE = "t.mpc";

/** Check `src`; throws with the rendered diagnostics if it does not check clean. */
function checkText(src: string): { program?: CheckedProgram; diagnostics: Diagnostic[] } {
  const parsed = parse(src, FILE);
  if (!parsed.program || parsed.diagnostics.length > 0) return { diagnostics: parsed.diagnostics };
  return check(parsed.program, src);
}

export function ok(src: string): CheckedProgram {
  const r = checkText(src);
  if (!r.program || r.diagnostics.length > 0) throw new Error(`expected no diagnostics:\n${renderDiagnostics(r.diagnostics, src)}`);
  return r.program;
}

export function diags(src: string) {
  return checkText(src).diagnostics;
}

export function* statements(stmts: readonly TStmt[]): Generator<TStmt> {
  for (const s of stmts) {
    yield s;
    if (s.k === "for") yield* statements(s.body);
    if (s.k === "if") {
      yield* statements(s.then);
      yield* statements(s.else);
    }
  }
}

/** The bindings declared (by let/var/for/param) under `name`, in program order. */
export function bindings(p: CheckedProgram, name: string): Binding[] {
  const out: Binding[] = [];
  for (const s of statements(p.body)) {
    const b = s.k === "let" || s.k === "for" ? s.binding : undefined;
    if (b && b.name === name && !out.includes(b)) out.push(b);
  }
  return out;
}

/** The single binding named `name`. */
export function binding(p: CheckedProgram, name: string): Binding {
  const bs = bindings(p, name);
  if (bs.length !== 1) throw new Error(`expected one binding \`${name}\`, found ${bs.length}`);
  return bs[0]!;
}

/** `secret fixed[3, 4]`-style description of a binding's type. */
export function typeOf(p: CheckedProgram, name: string): string {
  const t = binding(p, name).type;
  return `${showVisibility(t.vis)} ${t.elem}[${t.shape.join(", ")}]`;
}

/** The value of the let named `name`. */
export function valueOf(p: CheckedProgram, name: string): TExpr {
  for (const s of statements(p.body)) if (s.k === "let" && s.binding.name === name) return s.value;
  throw new Error(`no let \`${name}\``);
}

export function reveals(p: CheckedProgram) {
  return [...statements(p.body)].flatMap((s) => (s.k === "reveal" ? [s] : []));
}
