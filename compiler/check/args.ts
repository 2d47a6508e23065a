// Binding a built-in call's arguments to its signature: positional and named arguments,
// variadic tensors (`concat(a, b, c, axis = 1)`), defaults, and compile-time constant
// arguments (axes, shapes, bounds). Errors are reported here once, and the `Args` object
// remembers that something failed, so a typing rule can read every argument first and give
// up quietly (no cascade) if any was bad.

import type { Span } from "../../grammar/ast.js";
import type { Checker } from "./context.js";
import { constValue, type ConstValue } from "./consteval.js";
import { didYouMean, suggest } from "./suggest.js";
import { isNumeric, showType } from "./types.js";
import type { TExpr } from "./typed.js";
import { PUBLIC } from "../../runtime/plan/visibility.js";

export type ParamKind = "tensor" | "int" | "ints" | "number" | "bool";

export interface Param {
  name: string;
  kind: ParamKind;
  optional?: boolean;
  /** Takes all remaining positional arguments (at least one unless optional). */
  variadic?: boolean;
  /** Only as `name = value`. */
  namedOnly?: boolean;
}

/** A checked argument: `value` undefined when it had an error (already reported). */
export interface CheckedArg {
  name?: { text: string; span: Span };
  value: TExpr | undefined;
  span: Span;
}

const DUMMY: TExpr = {
  k: "const",
  value: 0,
  type: { elem: "fixed", shape: [], vis: PUBLIC },
  span: { file: "", line: 0, col: 0, offset: 0, length: 0 },
};

/** `sum(x, axis = …, keepdims = …)`: the signature as users read it. */
export function usage(name: string, sig: readonly Param[]): string {
  const parts = sig.map((p) => {
    const base = p.variadic ? `${p.name}, …` : p.name;
    return p.optional || p.namedOnly ? `${p.name} = …` : base;
  });
  return `${name}(${parts.join(", ")})`;
}

export class Args {
  failed = false;
  /** For `ints` arguments: the span of each integer (a list literal gives its span to all). */
  private readonly itemSpans = new Map<string, Span[]>();
  private readonly bound = new Map<string, CheckedArg[]>();

  constructor(
    private readonly cx: Checker,
    readonly callee: string,
    readonly callSpan: Span,
    readonly sig: readonly Param[],
    args: readonly CheckedArg[],
  ) {
    this.bind(args);
  }

  private bind(args: readonly CheckedArg[]): void {
    const cx = this.cx;
    const positional = this.sig.filter((p) => !p.namedOnly);
    let pos = 0;
    let sawNamed = false;
    // After a misplaced argument, "missing argument" would only repeat the same mistake.
    let misordered = false;
    for (const a of args) {
      if (a.value === undefined) this.failed = true;
      if (a.name) {
        sawNamed = true;
        const p = this.sig.find((q) => q.name === a.name!.text);
        if (!p) {
          cx.error(
            "unknownNamedArgument",
            a.name.span,
            `\`${this.callee}\` has no argument named \`${a.name.text}\``,
            didYouMean(suggest(a.name.text, this.sig.map((q) => q.name))) ?? `the form is ${usage(this.callee, this.sig)}`,
          );
          this.failed = true;
          continue;
        }
        if (this.bound.has(p.name)) {
          cx.error("unknownNamedArgument", a.name.span, `argument \`${p.name}\` of \`${this.callee}\` is given twice`);
          this.failed = true;
          continue;
        }
        this.bound.set(p.name, [a]);
        continue;
      }
      if (sawNamed) {
        cx.error("positionalAfterNamed", a.span, "positional argument after a named argument", "put named arguments (`axis = …`) last");
        this.failed = true;
        misordered = true;
        continue;
      }
      const p = positional[pos];
      if (!p) {
        const max = positional.length;
        cx.error(
          "argumentCount",
          a.span,
          `\`${this.callee}\` takes ${max === 0 ? "no" : `at most ${max}`} positional argument${max === 1 ? "" : "s"}, got more`,
          `the form is ${usage(this.callee, this.sig)}`,
        );
        this.failed = true;
        break;
      }
      const list = this.bound.get(p.name) ?? [];
      list.push(a);
      this.bound.set(p.name, list);
      if (!p.variadic) pos++;
    }
    if (misordered) return;
    for (const p of this.sig) {
      if (!p.optional && !this.bound.has(p.name)) {
        const given = args.filter((a) => !a.name).length;
        cx.error(
          "argumentCount",
          this.callSpan,
          `\`${this.callee}\` is missing its argument \`${p.name}\` (got ${given} positional argument${given === 1 ? "" : "s"})`,
          `the form is ${usage(this.callee, this.sig)}`,
        );
        this.failed = true;
        return;
      }
    }
  }

  /** The span of the i-th integer of an `ints` argument. */
  itemSpan(name: string, i: number): Span {
    return this.itemSpans.get(name)?.[i] ?? this.span(name);
  }

  has(name: string): boolean {
    return this.bound.has(name);
  }

  span(name: string): Span {
    return this.bound.get(name)?.[0]?.span ?? this.callSpan;
  }

  private first(name: string): CheckedArg | undefined {
    return this.bound.get(name)?.[0];
  }

  tensor(name: string): TExpr {
    const a = this.first(name);
    if (!a || !a.value) {
      this.failed = true;
      return DUMMY;
    }
    return a.value;
  }

  /** A tensor that must be a number (fixed or int). */
  numeric(name: string, what = `\`${this.callee}\``): TExpr {
    const t = this.tensor(name);
    if (!this.failed && t !== DUMMY && !isNumeric(t.type.elem)) {
      this.cx.error(
        "boolArithmetic",
        t.span,
        `${what} needs a number, got ${showType(t.type)}`,
        "a bool is not a number: use select(c, a, b), or to_fixed(c) for 0/1",
      );
      this.failed = true;
    }
    return t;
  }

  tensors(name: string): TExpr[] {
    const list = this.bound.get(name) ?? [];
    return list.map((a) => {
      if (!a.value) {
        this.failed = true;
        return DUMMY;
      }
      return a.value;
    });
  }

  /** The compile-time value of a constant argument, or undefined (reported) / absent. */
  private constant(a: CheckedArg, what: string): ConstValue | undefined {
    if (!a.value) {
      this.failed = true;
      return undefined;
    }
    const v = constValue(a.value);
    if (v === undefined) {
      this.cx.error(
        "notConstant",
        a.span,
        `${what} must be a compile-time constant`,
        "use a literal or a `const` (a loop variable is not a compile-time constant)",
      );
      this.failed = true;
    }
    return v;
  }

  private wrongKind(a: CheckedArg, what: string, expected: string, got: ConstValue): void {
    this.cx.error("constantType", a.span, `${what} must be ${expected}, got ${Array.isArray(got) ? `[${got.join(", ")}]` : String(got)}`);
    this.failed = true;
  }

  /** An int constant argument; `dflt` when absent (undefined = absent and no default). */
  int(name: string, dflt?: number, min?: number): number | undefined {
    const a = this.first(name);
    if (!a) return dflt;
    const what = `\`${name}\` of \`${this.callee}\``;
    const v = this.constant(a, what);
    if (v === undefined) return dflt;
    if (typeof v !== "number" || !Number.isInteger(v)) {
      this.wrongKind(a, what, "an integer", v);
      return dflt;
    }
    if (min !== undefined && v < min) {
      this.wrongKind(a, what, `at least ${min}`, v);
      return dflt;
    }
    return v;
  }

  number(name: string, dflt?: number): number | undefined {
    const a = this.first(name);
    if (!a) return dflt;
    const what = `\`${name}\` of \`${this.callee}\``;
    const v = this.constant(a, what);
    if (v === undefined) return dflt;
    if (typeof v !== "number" || !Number.isFinite(v)) {
      this.wrongKind(a, what, "a number", v);
      return dflt;
    }
    return v;
  }

  bool(name: string, dflt: boolean): boolean {
    const a = this.first(name);
    if (!a) return dflt;
    const what = `\`${name}\` of \`${this.callee}\``;
    const v = this.constant(a, what);
    if (v === undefined) return dflt;
    if (typeof v !== "boolean") {
      this.wrongKind(a, what, "true or false", v);
      return dflt;
    }
    return v;
  }

  /** Integers given one per argument (`reshape(x, 3, 4)`) or as one list (`reshape(x, [3, 4])`). */
  ints(name: string): number[] {
    const list = this.bound.get(name) ?? [];
    const what = `\`${name}\` of \`${this.callee}\``;
    const out: number[] = [];
    const spans: Span[] = [];
    this.itemSpans.set(name, spans);
    for (const a of list) {
      const v = this.constant(a, what);
      if (v === undefined) continue;
      const items = Array.isArray(v) ? v : [v];
      for (const item of items) {
        if (typeof item !== "number" || !Number.isInteger(item)) {
          this.wrongKind(a, what, "integers", v);
          break;
        }
        out.push(item);
        spans.push(a.span);
      }
    }
    return out;
  }
}
