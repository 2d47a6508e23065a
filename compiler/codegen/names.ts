// Names for the values of a generated party module, taken from the program where the plan says
// where a step comes from (`src`): the statement it belongs to (`let p = …`, `w = …`,
// `reveal … as dot`), then the step's role (`p_matmul`, `dot_triple_a`, `dot_d_open`). Every
// name is a valid, unique TypeScript identifier that is not one of the module's own names, and
// never one of the names a module must not mention (other parties' inputs): those become
// neutral names (`bob_share`, `received`). Pure: reads the program text, writes nothing.

import type { SourceRef } from "../../runtime/plan/plan.js";

const RESERVED = new Set(
  (
    "break case catch class const continue debugger default delete do else enum export extends false finally for function if " +
    "import in instanceof new null return super switch this throw true try typeof var void while with yield let static implements " +
    "interface package private protected public await async of undefined NaN Infinity arguments eval " +
    // the module's own names
    "rt run PROGRAM PARTY PLAN_HASH RUNTIME items process pathToFileURL host"
  ).split(" "),
);

/** A readable identifier from arbitrary text (`hospital_a.xa` -> `hospital_a_xa`). */
export function identifier(text: string): string {
  let id = text.replace(/[^A-Za-z0-9_$]+/g, "_").replace(/^_+|_+$/g, "");
  if (id === "") id = "value";
  if (/^[0-9]/.test(id)) id = `v${id}`;
  return id;
}

/** Program source, split in lines, with what each line's statement names. */
export class SourceLines {
  private readonly lines: string[];

  constructor(source: string | undefined) {
    this.lines = source === undefined ? [] : source.split(/\r?\n/);
  }

  /** The text of line `n` (1-based), trimmed, without a trailing comment. */
  text(n: number): string | undefined {
    const l = this.lines[n - 1];
    if (l === undefined) return undefined;
    return l.replace(/\/\/.*$/, "").trim() || undefined;
  }

  /** The exact text a source reference spans (on its line). */
  span(src: SourceRef): string | undefined {
    const l = this.lines[src.line - 1];
    return l?.slice(src.col - 1, src.col - 1 + src.length);
  }

  /** The name a line's statement binds: `let x =`, `var x =`, `x =`, `reveal … as x`,
   *  `reveal x to`, `input P.x`, `for x in`. */
  statementName(n: number): string | undefined {
    const t = this.text(n);
    if (t === undefined) return undefined;
    const m =
      /^(?:let|var|const)\s+([A-Za-z_]\w*)\s*=/.exec(t) ??
      /^([A-Za-z_]\w*)\s*=(?!=)/.exec(t) ??
      /^reveal\b.*\bas\s+([A-Za-z_]\w*)\s+to\b/.exec(t) ??
      /^reveal\s+([A-Za-z_]\w*)\s+to\b/.exec(t) ??
      /^input\s+[A-Za-z_]\w*\.([A-Za-z_]\w*)/.exec(t) ??
      /^for\s+([A-Za-z_]\w*)\s+in\b/.exec(t);
    return m?.[1];
  }

  /** Whether line `n` declares an input. */
  isInputDeclaration(n: number): boolean {
    return /^input\b/.test(this.text(n) ?? "");
  }

  /** The party whose input line `n` declares, if it declares one. */
  inputOwner(n: number): string | undefined {
    return /^input\s+([A-Za-z_]\w*)\./.exec(this.text(n) ?? "")?.[1];
  }
}

/** Hands out unique identifiers, refusing the forbidden ones. */
export class Namer {
  private readonly used = new Set<string>();

  constructor(private readonly forbidden: ReadonlySet<string>) {}

  /** Whether `name` may appear in the module at all. */
  allowed(name: string): boolean {
    return !this.forbidden.has(name);
  }

  /** A fresh identifier based on `base` (`base`, `base_2`, `base_3`, …). Parts of `base` that
   *  are forbidden words are replaced by `fallback`. */
  fresh(base: string, fallback = "value"): string {
    let b = identifier(base)
      .split("_")
      .map((part) => (this.forbidden.has(part) ? fallback : part))
      .join("_");
    if (this.forbidden.has(b)) b = fallback;
    if (RESERVED.has(b)) b = `${b}_`;
    let name = b;
    for (let k = 2; this.used.has(name) || RESERVED.has(name) || this.forbidden.has(name); k++) name = `${b}_${k}`;
    this.used.add(name);
    return name;
  }
}
