// Arithmetic on abstract elements: affine where the program is affine with public
// coefficients, a fresh atom per non-linear value, dependence only past the budget.
//
// Budgets keep the audit linear-ish in program size: `work` counts affine term operations
// and `atoms` the non-linear values tracked; past either, values become dependence-only
// (Opaque) and a limit is recorded with the reason, so the report says what was not analysed
// exactly. Never guesses: an Opaque value claims nothing beyond "may depend on these inputs".

import type { Span } from "../../grammar/ast.js";
import {
  type AbsElem,
  type Affine,
  combine,
  constant,
  depsOf,
  isConst,
  LINEAR,
  linearCombination,
  type Opaque,
  UNKNOWN_PUBLIC,
  variable,
  type VarSpace,
} from "./absval.js";
import * as D from "./depset.js";
import { Rat } from "./rational.js";

/** Affine forms longer than this, made by a reduction, get a name. */
const NAME_ABOVE = 32;

export interface Limits {
  /** Affine term operations before switching to dependence only (default 3e7). */
  maxWork?: number;
  /** Atoms before switching to dependence only (default 1e6). */
  maxAtoms?: number;
}

export interface LimitNote {
  span: Span;
  reason: string;
}

export interface ElemFn {
  /** Evaluate on public numbers (constant folding); non-finite results are unknown public. */
  fold?: (xs: number[]) => number;
  /** Injective in its single argument (exp, sigmoid, …): the atom reveals its argument. */
  injective?: boolean;
}

export class Algebra {
  work = 0;
  /** True once a budget ran out, or inside a loop analysed by dependence only. */
  depOnly = false;
  private exhausted = false;
  readonly limits: LimitNote[] = [];
  /** Span of the op being interpreted (atoms and limits point here). */
  span: Span;
  private readonly maxWork: number;
  private readonly maxAtoms: number;

  constructor(
    readonly space: VarSpace,
    initialSpan: Span,
    limits: Limits = {},
  ) {
    this.span = initialSpan;
    this.maxWork = limits.maxWork ?? 3e7;
    this.maxAtoms = limits.maxAtoms ?? 1e6;
  }

  private charge(n: number): void {
    this.work += n;
    if (!this.exhausted && this.work > this.maxWork) {
      this.exhaust(`the affine analysis budget (${this.maxWork.toExponential(0)} term operations) ran out`);
    }
  }

  private exhaust(reason: string): void {
    this.exhausted = true;
    this.limits.push({ span: this.span, reason: `${reason}; from here on values are tracked by dependence only` });
  }

  /** Affine term operations left before the budget runs out. */
  get remainingWork(): number {
    return Math.max(0, this.maxWork - this.work);
  }

  /** Dependence-only mode is in force (budget exhausted or a dependence-fixpoint loop). */
  get coarse(): boolean {
    return this.depOnly || this.exhausted;
  }

  opaque(deps: D.DepSet): Opaque {
    return deps.length === 0 ? UNKNOWN_PUBLIC : { k: "opq", deps };
  }

  deps(e: AbsElem): D.DepSet {
    return depsOf(this.space, e);
  }

  private depsUnion(es: readonly AbsElem[]): D.DepSet {
    return D.unionAll(es.map((e) => this.deps(e)));
  }

  /** Σ r_k · e_k + c. */
  lin(terms: readonly [AbsElem, Rat][], c: Rat = Rat.ZERO): AbsElem {
    let opaque = false;
    let n = 0;
    for (const [e, r] of terms) {
      if (r.isZero()) continue;
      if (e.k === "opq") opaque = true;
      else n += e.vars.length;
    }
    const live = terms.filter(([, r]) => !r.isZero());
    if (opaque || (this.coarse && live.some(([e]) => !isConst(e)))) {
      return this.opaque(this.depsUnion(live.map(([e]) => e)));
    }
    this.charge(n + 1);
    return linearCombination(live as [Affine, Rat][], c);
  }

  add(a: AbsElem, b: AbsElem): AbsElem {
    if (a.k === "aff" && b.k === "aff" && !this.coarse) {
      this.charge(a.vars.length + b.vars.length + 1);
      return combine(a, Rat.ONE, b, Rat.ONE);
    }
    return this.lin([[a, Rat.ONE], [b, Rat.ONE]]);
  }

  sub(a: AbsElem, b: AbsElem): AbsElem {
    if (a.k === "aff" && b.k === "aff" && !this.coarse) {
      this.charge(a.vars.length + b.vars.length + 1);
      return combine(a, Rat.ONE, b, Rat.MINUS_ONE);
    }
    return this.lin([[a, Rat.ONE], [b, Rat.MINUS_ONE]]);
  }

  scale(a: AbsElem, r: Rat): AbsElem {
    return this.lin([[a, r]]);
  }

  neg(a: AbsElem): AbsElem {
    return this.scale(a, Rat.MINUS_ONE);
  }

  /** a·b: linear when either side is public. */
  mul(a: AbsElem, b: AbsElem): AbsElem {
    if (isConst(a)) return this.scale(b, a.c);
    if (isConst(b)) return this.scale(a, b.c);
    return this.nonlinear("mul", [a, b], {});
  }

  /** a / b: linear when b is a public non-zero value. */
  div(a: AbsElem, b: AbsElem): AbsElem {
    if (isConst(b) && !b.c.isZero()) return this.scale(a, b.c.inv());
    return this.nonlinear("div", [a, b], { fold: ([x, y]) => x! / y! });
  }

  /** Name a long affine form (see absval LINEAR) so the elements that use it stay short. */
  name(e: AbsElem): AbsElem {
    if (e.k !== "aff" || e.vars.length <= NAME_ABOVE || this.coarse) return e;
    return variable(this.space.newAtom(LINEAR, depsOf(this.space, e), this.span, [e]));
  }

  /** A non-linear function of `args`: folded when all are public, else a fresh atom. */
  nonlinear(op: string, args: readonly AbsElem[], fn: ElemFn): AbsElem {
    if (args.every(isConst)) {
      if (!fn.fold) return UNKNOWN_PUBLIC;
      const x = fn.fold(args.map((a) => (a as Affine).c.toNumber()));
      return Number.isFinite(x) ? constant(Rat.fromNumber(x)) : UNKNOWN_PUBLIC;
    }
    const deps = this.depsUnion(args);
    if (deps.length === 0) return UNKNOWN_PUBLIC;
    if (this.coarse || args.some((a) => a.k === "opq")) return this.opaque(deps);
    if (this.space.atoms.length >= this.maxAtoms) {
      this.exhaust(`more than ${this.maxAtoms} non-linear values`);
      return this.opaque(deps);
    }
    this.charge(args.length);
    const arg = args[0]!;
    const inv = fn.injective && args.length === 1 && arg.k === "aff" ? arg : undefined;
    return variable(this.space.newAtom(op, deps, this.span, args, inv, fn.fold));
  }
}
