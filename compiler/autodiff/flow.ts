// What each value depends on, for deciding which parts of a loss depend on the *current*
// value of the variable `w` of `grad(loss, w)`. Every evaluation of a `let` and every value a
// `var` takes gets a token; a value's dependencies are the tokens of the values it was computed
// from, transitively. `loss` depends on the current `w` iff the token `w` has at the `grad`
// is among the loss's dependencies; a dependency on another token of `w` is a dependency on an
// earlier value of `w` (a constant for this gradient).
//
// Loops: a var assigned in a loop body takes, at the top of the body, a fresh token whose
// dependencies are its value before the loop plus what the previous iteration carried in.
// Tokens created inside the body are dropped from what is carried around the back edge: a
// value from an earlier iteration is never the current value of anything, so derivatives never
// flow back through iterations. A loop's iteration count is known at compile time, so a loop
// that runs once needs no fresh tokens and one that runs at least once leaves its vars exactly
// as the body's last statement did.
//
// Must never: look at values, or decide anything about ops (that is reverse.ts's job).

import type { Binding, TExpr, TStmt } from "../check/typed.js";

export type Token = number;

export interface VarState {
  tok: Token;
  /** Tokens of everything the var's current value was computed from (not its own). */
  deps: ReadonlySet<Token>;
}

export type VarStates = ReadonlyMap<number, VarState>;

export interface LetInfo {
  binding: Binding;
  /** The let's value as emitted (grads inside it already expanded). */
  value: TExpr;
  tok: Token;
  deps: ReadonlySet<Token>;
  /** The tokens of the var values its value reads, directly or through other lets (not
   *  what those vars were computed from). */
  reads: ReadonlySet<Token>;
  /** The vars' states when the let was evaluated (for the var refs in its value). */
  at: VarStates;
}

export class Flow {
  /** Only the tokens of bindings some grad differentiates with respect to matter (a loss
   *  depends on w iff it depends on one of w's tokens): tracking only those keeps the sets
   *  small however long the program. */
  constructor(private readonly tracked: ReadonlySet<number>) {}

  private next = 0;
  /** The binding each token belongs to. */
  private readonly owners: Binding[] = [];
  vars = new Map<number, VarState>();
  readonly lets = new Map<number, LetInfo>();

  fresh(b: Binding): Token {
    this.owners[this.next] = b;
    return this.next++;
  }

  /** Tokens created from now on are newer than this mark. */
  mark(): Token {
    return this.next;
  }

  owner(t: Token): Binding {
    return this.owners[t]!;
  }

  /** The tokens `e` depends on, with var refs read in the states `at`. */
  depsOf(e: TExpr, at: VarStates = this.vars): Set<Token> {
    const out = new Set<Token>();
    const walk = (x: TExpr): void => {
      switch (x.k) {
        case "const":
        case "input":
          return;
        case "ref":
          for (const t of this.refDeps(x.binding, at)) out.add(t);
          return;
        case "op":
          for (const a of x.args) walk(a);
          return;
        case "grad":
          // Before expansion: at most what the loss and the variable depend on.
          walk(x.loss);
          for (const t of this.refDeps(x.wrt, at)) out.add(t);
          return;
      }
    };
    walk(e);
    return out;
  }

  /** A var state's own token (if tracked) and its dependencies. */
  stateTokens(b: Binding, s: VarState): Token[] {
    return [...this.own(b, s.tok), ...s.deps];
  }

  private own(b: Binding, t: Token): Token[] {
    return this.tracked.has(b.id) ? [t] : [];
  }

  /** Token and dependencies of a name (nothing for loop counters and consts). */
  refDeps(b: Binding, at: VarStates = this.vars): Token[] {
    if (b.kind === "var") {
      const s = at.get(b.id) ?? this.vars.get(b.id);
      return s ? [...this.own(b, s.tok), ...s.deps] : [];
    }
    if (b.kind === "let" || b.kind === "param") {
      const l = this.lets.get(b.id);
      return l ? [...this.own(b, l.tok), ...l.deps] : [];
    }
    return [];
  }

  /** The current token of a let/param/var `w`. */
  current(b: Binding): Token | undefined {
    return b.kind === "var" ? this.vars.get(b.id)?.tok : this.lets.get(b.id)?.tok;
  }

  /** The tokens of the values `e` reads through lets (see LetInfo.reads). */
  readsOf(e: TExpr, at: VarStates = this.vars): Set<Token> {
    const out = new Set<Token>();
    const walk = (x: TExpr): void => {
      if (x.k === "op") x.args.forEach(walk);
      else if (x.k === "grad") {
        walk(x.loss);
        const t = x.wrt.kind === "var" ? (at.get(x.wrt.id) ?? this.vars.get(x.wrt.id))?.tok : this.lets.get(x.wrt.id)?.tok;
        if (t !== undefined) for (const u of this.own(x.wrt, t)) out.add(u);
      } else if (x.k === "ref") {
        const b = x.binding;
        if (b.kind === "var") {
          const s = at.get(b.id) ?? this.vars.get(b.id);
          if (s) for (const u of this.own(b, s.tok)) out.add(u);
        } else if (b.kind === "let" || b.kind === "param") {
          const l = this.lets.get(b.id);
          if (l) {
            for (const u of this.own(b, l.tok)) out.add(u);
            for (const t of l.reads) out.add(t);
          }
        }
      }
    };
    walk(e);
    return out;
  }

  /** `let b = value` (or `var b = value`) evaluated now. Dependencies come from `source` (the
   *  value as written, grads unexpanded: the same in analysis and emission); `value` is what
   *  is emitted. */
  bind(b: Binding, value: TExpr, at: VarStates = new Map(this.vars), source: TExpr = value): void {
    const deps = this.depsOf(source, at);
    if (b.kind === "var") {
      this.vars.set(b.id, { tok: this.fresh(b), deps });
      return;
    }
    this.lets.set(b.id, { binding: b, value, tok: this.fresh(b), deps, reads: this.readsOf(source, at), at });
  }

  assign(b: Binding, deps: ReadonlySet<Token>): void {
    this.vars.set(b.id, { tok: this.fresh(b), deps });
  }

  snapshot(): Map<number, VarState> {
    return new Map(this.vars);
  }
}

/** The vars a statement list assigns (at any depth). */
export function assignedIn(list: readonly TStmt[], out = new Map<number, Binding>()): Map<number, Binding> {
  for (const s of list) {
    if (s.k === "assign") out.set(s.binding.id, s.binding);
    else if (s.k === "for") assignedIn(s.body, out);
    else if (s.k === "if") {
      assignedIn(s.then, out);
      assignedIn(s.else, out);
    }
  }
  return out;
}
