// Abstract values of the audit's interpreter: what a program value *is* as a function of the
// parties' inputs, element by element.
//
//   Affine  c + Σ coef_v · v   exact rationals; v is an input element or an atom
//   Opaque  "some function of these input elements" (dependence only)
//
// An atom is a fresh variable standing for one non-linear value (sigmoid(z), a·b, a < b, the
// argmax of a row): it records its op, its dependence set, and, for an injective function of
// one affine argument (exp, sigmoid, x^-1, …), that argument, so a party that learns the
// atom learns the argument too. Affine forms over atoms let the linear analysis see through
// e.g. `exp(b) * 3 + 1` or `a·b + c`. Opaque values appear only where tracking atoms would
// exceed the analysis budget, or in a loop analysed to a dependence fixpoint.
//
// Public values are affine constants. A public value that is not a compile-time constant
// (the loop counter of a loop analysed by fixpoint) is Opaque with no dependence.
// Nothing here knows about tensors or ops by name beyond the atom's label.

import type { InputInfo } from "../check/typed.js";
import type { Span } from "../../grammar/ast.js";
import * as D from "./depset.js";
import type { DepSet } from "./depset.js";
import { Rat } from "./rational.js";
import { elementCount } from "../../runtime/plan/shape.js";

export interface Affine {
  readonly k: "aff";
  readonly c: Rat;
  /** Sorted variable ids. */
  readonly vars: readonly number[];
  readonly coefs: readonly Rat[];
}

export interface Opaque {
  readonly k: "opq";
  readonly deps: DepSet;
}

export type AbsElem = Affine | Opaque;

/** What the audit knows about the function an atom applies. */
export interface Atom {
  id: number;
  /** Program op (`sigmoid`, `mul`, `lt`, `argmax`, `matmul`, …). */
  op: string;
  deps: DepSet;
  /** The affine argument of an injective unary function: knowing the atom gives it. */
  inv?: Affine;
  /** Number of operand elements (argmax: the number of classes). */
  arity: number;
  /** The operand elements (product-sums: x0, y0, x1, y1, …), so a party that knows some of
   *  them can evaluate or linearise the atom. */
  args: readonly AbsElem[];
  /** Float evaluation on public numbers, when the op has one. */
  fold?: (xs: number[]) => number;
  span: Span;
}

export interface InputVars {
  info: InputInfo;
  /** Position in the program's input list. */
  index: number;
  /** First global id of its elements (row-major). */
  base: number;
  size: number;
}

/** The variable space: input elements first (contiguous per input), then atoms. */
export class VarSpace {
  readonly inputs: InputVars[] = [];
  readonly atoms: Atom[] = [];
  readonly inputVarCount: number;
  private readonly byParty = new Map<string, DepSet>();

  constructor(inputs: readonly InputInfo[]) {
    let base = 0;
    inputs.forEach((info, index) => {
      const n = elementCount(info.shape);
      this.inputs.push({ info, index, base, size: n });
      this.byParty.set(info.party, D.union(this.byParty.get(info.party) ?? D.EMPTY, D.range(base, base + n)));
      base += n;
    });
    this.inputVarCount = base;
  }

  isAtom(id: number): boolean {
    return id >= this.inputVarCount;
  }

  atom(id: number): Atom {
    return this.atoms[id - this.inputVarCount]!;
  }

  newAtom(op: string, deps: DepSet, span: Span, args: readonly AbsElem[], inv?: Affine, fold?: (xs: number[]) => number): number {
    const id = this.inputVarCount + this.atoms.length;
    const atom: Atom = { id, op, deps, arity: args.length, args, span };
    if (inv) atom.inv = inv;
    if (fold) atom.fold = fold;
    this.atoms.push(atom);
    return id;
  }

  /** The input an element id belongs to. */
  inputOf(id: number): InputVars {
    let lo = 0;
    let hi = this.inputs.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.inputs[mid]!.base <= id) lo = mid;
      else hi = mid - 1;
    }
    return this.inputs[lo]!;
  }

  inputByName(party: string, name: string): InputVars | undefined {
    return this.inputs.find((i) => i.info.party === party && i.info.name === name);
  }

  /** All input elements owned by `party`. */
  partyDeps(party: string): DepSet {
    return this.byParty.get(party) ?? D.EMPTY;
  }

  /** Parties whose inputs occur in `deps`, in declaration order of the inputs. */
  partiesOf(deps: DepSet): string[] {
    const out: string[] = [];
    for (const inp of this.inputs) {
      if (D.clip(deps, inp.base, inp.base + inp.size).length > 0 && !out.includes(inp.info.party)) out.push(inp.info.party);
    }
    return out;
  }
}

// ---------------------------------------------------------------- affine forms

const EMPTY_VARS: readonly number[] = Object.freeze([]);
const EMPTY_COEFS: readonly Rat[] = Object.freeze([]);

export function constant(c: Rat): Affine {
  return { k: "aff", c, vars: EMPTY_VARS, coefs: EMPTY_COEFS };
}

export const ZERO: Affine = constant(Rat.ZERO);
export const ONE: Affine = constant(Rat.ONE);
/** A public value that is not known at compile time. */
export const UNKNOWN_PUBLIC: Opaque = { k: "opq", deps: D.EMPTY };

export function variable(id: number): Affine {
  return { k: "aff", c: Rat.ZERO, vars: [id], coefs: [Rat.ONE] };
}

export function isConst(e: AbsElem): e is Affine {
  return e.k === "aff" && e.vars.length === 0;
}

/** a·x + b·y for affine x, y (merge of sorted term lists). */
export function combine(x: Affine, a: Rat, y: Affine, b: Rat): Affine {
  const vars: number[] = [];
  const coefs: Rat[] = [];
  let i = 0;
  let j = 0;
  while (i < x.vars.length || j < y.vars.length) {
    const vx = i < x.vars.length ? x.vars[i]! : Infinity;
    const vy = j < y.vars.length ? y.vars[j]! : Infinity;
    let c: Rat;
    let v: number;
    if (vx === vy) {
      v = vx;
      c = x.coefs[i++]!.mul(a).add(y.coefs[j++]!.mul(b));
    } else if (vx < vy) {
      v = vx;
      c = x.coefs[i++]!.mul(a);
    } else {
      v = vy;
      c = y.coefs[j++]!.mul(b);
    }
    if (!c.isZero()) {
      vars.push(v);
      coefs.push(c);
    }
  }
  return { k: "aff", c: x.c.mul(a).add(y.c.mul(b)), vars, coefs };
}

export function scaleAffine(x: Affine, r: Rat): Affine {
  if (r.isOne()) return x;
  if (r.isZero()) return ZERO;
  return { k: "aff", c: x.c.mul(r), vars: x.vars, coefs: x.coefs.map((c) => c.mul(r)) };
}

/** Σ coef_k · x_k + c, accumulated in a map (linear in the total number of terms). */
export function linearCombination(terms: readonly [Affine, Rat][], c: Rat = Rat.ZERO): Affine {
  if (terms.length === 1) {
    const [x, r] = terms[0]!;
    const s = scaleAffine(x, r);
    return c.isZero() ? s : { ...s, c: s.c.add(c) };
  }
  const acc = new Map<number, Rat>();
  let k = c;
  for (const [x, r] of terms) {
    if (r.isZero()) continue;
    k = k.add(x.c.mul(r));
    for (let t = 0; t < x.vars.length; t++) {
      const v = x.vars[t]!;
      const add = x.coefs[t]!.mul(r);
      const prev = acc.get(v);
      acc.set(v, prev ? prev.add(add) : add);
    }
  }
  const vars = [...acc.keys()].sort((a, b) => a - b);
  const outVars: number[] = [];
  const outCoefs: Rat[] = [];
  for (const v of vars) {
    const r = acc.get(v)!;
    if (r.isZero()) continue;
    outVars.push(v);
    outCoefs.push(r);
  }
  return { k: "aff", c: k, vars: outVars, coefs: outCoefs };
}

/** Input elements an abstract element may depend on (through atoms too). Memoised. */
export function depsOf(space: VarSpace, e: AbsElem): DepSet {
  if (e.k === "opq") return e.deps;
  if (e.vars.length === 0) return D.EMPTY;
  const hit = depCache.get(e);
  if (hit) return hit;
  const inputIds: number[] = [];
  const sets: DepSet[] = [];
  for (const v of e.vars) {
    if (space.isAtom(v)) sets.push(space.atom(v).deps);
    else inputIds.push(v);
  }
  if (inputIds.length > 0) sets.push(inputIds.length === 1 ? D.single(inputIds[0]!) : D.fromIds(inputIds));
  const out = D.unionAll(sets);
  depCache.set(e, out);
  return out;
}

const depCache = new WeakMap<Affine, DepSet>();

// ---------------------------------------------------------------- named linear forms

/** A "linear" atom names a long affine form (a sum over an axis): elements that use it hold
 *  one term instead of hundreds. It is transparent: expandLinear substitutes it back. */
export const LINEAR = "linear";

export function isNonlinearAtom(space: VarSpace, v: number): boolean {
  return space.isAtom(v) && space.atom(v).op !== LINEAR;
}

const expandedDefs = new WeakMap<Atom, Affine>();

/** `e` with every named linear form substituted by its definition (recursively). */
export function expandLinear(space: VarSpace, e: Affine): Affine {
  if (!e.vars.some((v) => space.isAtom(v) && space.atom(v).op === LINEAR)) return e;
  const terms: [Affine, Rat][] = e.vars.map((v, t) => {
    if (!space.isAtom(v) || space.atom(v).op !== LINEAR) return [variable(v), e.coefs[t]!];
    const atom = space.atom(v);
    let def = expandedDefs.get(atom);
    if (!def) {
      def = expandLinear(space, atom.args[0] as Affine);
      expandedDefs.set(atom, def);
    }
    return [def, e.coefs[t]!];
  });
  return linearCombination(terms, e.c);
}

/** True when the form is a linear function of input elements (named sums expanded). */
export function isLinearInInputs(space: VarSpace, e: Affine): boolean {
  return e.vars.every((v) => !isNonlinearAtom(space, v));
}
