// The checker's state during one pass over a program: diagnostics, the current scope and
// output statement list, the function being inlined, reveal names, and the visibilities of
// `var`s carried over from the previous pass (the fixpoint, see index.ts).
// It holds no checking rules: those live in expr/, stmt/, builtins.ts and program.ts.

import type { Expr, FnDecl, Span } from "../../grammar/ast.js";
import type { Diagnostic } from "../../grammar/diagnostic.js";
import { joinVisibility, sameVisibility, type Visibility } from "../../runtime/plan/visibility.js";
import type { CheckCodeName } from "./codes.js";
import { E } from "./codes.js";
import { Scope } from "./scope.js";
import type { Binding, TStmt, ValueType } from "./typed.js";

/** The function being inlined: where it was called from, for diagnostics and var keys. */
export interface FnFrame {
  decl: FnDecl;
  /** The caller's scope (to explain "`w` is declared outside this fn"). */
  callerScope: Scope;
  /** The fn frame of the caller, if it was itself inlined. */
  parent: FnFrame | undefined;
  /** Identifies this inlining: the chain of call offsets. */
  path: string;
  /** The call being inlined (errors in the body point back at it). */
  callSpan: Span;
  /** How many blocks deep inside the fn body we are (0 = its top level). */
  blockDepth: number;
}

export class Checker {
  readonly diagnostics: Diagnostic[] = [];
  readonly global = new Scope(undefined);
  scope: Scope;
  /** Where checked statements of the current block go (inlined fn bodies are appended here). */
  out: TStmt[] = [];
  fn: FnFrame | undefined = undefined;
  /** Loop nesting at the current point (for the reveal summary and loop variables). */
  loopDepth = 0;
  parties: string[] = [];
  /** Fractional bits of fixed point (set from the program header before any expression). */
  precision = 16;
  fns = new Map<string, FnDecl>();
  /** Fns on a recursion cycle (already reported; their calls are silent errors). */
  cyclicFns = new Set<string>();
  revealNames = new Map<string, Span>();
  /** Fns called at least once (the others are reported as unchecked). */
  calledFns = new Set<string>();
  /** Consts not evaluated yet, while consts are evaluated in order. */
  pendingConsts = new Map<string, Span>();
  /** True while evaluating a const's value. */
  inConst = false;
  /** Expressions too deep to check (already reported; see depth.ts). */
  deepExpressions = new Set<Expr>();
  /** Names of top-level let/var bindings (to explain why a const cannot use them). */
  topLevelBindings = new Set<string>();
  /** Visibility each var reached in the previous pass, by var key. */
  readonly varVis: Map<string, Visibility>;
  /** Set when an assignment raised a var's visibility above what this pass assumed. */
  varVisChanged = false;
  private nextId = 1;

  constructor(
    readonly file: string,
    readonly source: string,
    varVis: Map<string, Visibility>,
  ) {
    this.varVis = varVis;
    this.scope = new Scope(this.global);
  }

  error(code: CheckCodeName, span: Span, message: string, hint?: string, related?: { span: Span; message: string }[]): void {
    const d: Diagnostic = { code: E[code], severity: "error", message, span };
    if (hint !== undefined) d.hint = hint;
    const notes = [...(related ?? [])];
    // An error inside an inlined fn body also points at the call that reached it.
    if (this.fn) notes.push({ span: this.fn.callSpan, message: `in this call of \`${this.fn.decl.name.text}\`` });
    if (notes.length > 0) d.related = notes;
    this.diagnostics.push(d);
  }

  warning(code: CheckCodeName, span: Span, message: string, hint?: string): void {
    const d: Diagnostic = { code: E[code], severity: "warning", message, span };
    if (hint !== undefined) d.hint = hint;
    this.diagnostics.push(d);
  }

  get hasErrors(): boolean {
    return this.diagnostics.some((d) => d.severity === "error");
  }

  newBinding(name: string, kind: Binding["kind"], type: ValueType, span: Span): Binding {
    return { id: this.nextId++, name, kind, type, span };
  }

  /** The var's fixpoint key: its declaration offset, within the current inlining. */
  varKey(declSpan: Span): string {
    return `${this.fn?.path ?? ""}@${declSpan.offset}`;
  }

  /** The visibility a var has this pass: its initial value's, joined with the last pass's. */
  varVisibility(key: string, initial: Visibility): Visibility {
    const prev = this.varVis.get(key);
    return prev ? joinVisibility(prev, initial) : initial;
  }

  /** Record that a var was assigned a value of visibility `v`. */
  noteVarAssignment(key: string, current: Visibility, v: Visibility): void {
    const joined = joinVisibility(current, v);
    if (!sameVisibility(joined, current)) {
      this.varVis.set(key, joined);
      this.varVisChanged = true;
    }
  }

  /** Run `body` in a fresh block scope (and output list, if given). */
  inBlock<T>(out: TStmt[] | undefined, body: () => T): T {
    const savedScope = this.scope;
    const savedOut = this.out;
    this.scope = new Scope(savedScope);
    if (out) this.out = out;
    if (this.fn) this.fn.blockDepth++;
    try {
      return body();
    } finally {
      if (this.fn) this.fn.blockDepth--;
      this.scope = savedScope;
      this.out = savedOut;
    }
  }
}
