// Linearising what an observer knows half of. `x @ w` with x the observer's own data and w
// another party's is not linear with *public* coefficients, but it is linear in w with
// coefficients the observer knows: 442 predictions x @ w + b give the hospital 442 linear
// equations in the 11 model parameters. To decide what such equations determine, the audit
// substitutes generic values for the observer's own data and solves the system over the
// prime field GF(2^61 - 1):
//
//   - each of the observer's input elements gets a pseudo-random field element (a random bit
//     for a bool input), deterministic so reports are reproducible;
//   - observer-only values are evaluated from those exactly where the op is a rational
//     function (+, ·, /, matmul, select on a known bit), so algebraic identities of the
//     observer's preprocessing survive (centred columns still sum to exactly 0); any other
//     op (sigmoid, sqrt, comparisons, …) gets a fresh pseudo-random value of its own;
//   - products and divisions with one observer-known side become linear forms in the other.
//
// By the Schwartz–Zippel lemma the rank found equals the rank for the observer's data in
// general position, except with probability about degree / 2^61. Findings that rely on it
// say so ("for data in general position"). It never claims anything about another party's
// values.

import { type Affine, type AbsElem, LINEAR, type VarSpace } from "./absval.js";
import * as D from "./depset.js";
import type { DepSet } from "./depset.js";
import { GF_P61, modP, ratToField } from "./linalg.js";

/** Σ terms + c over GF(2^61 - 1). */
export interface FieldForm {
  c: bigint;
  terms: Map<number, bigint>;
}

const PRODUCTS = new Set(["mul", "matmul", "conv2d"]);
const F = GF_P61;

/** A 61-bit pseudo-random field element from an integer seed (splitmix-style mixing). */
function mix(seed: number, salt: number): bigint {
  let h = BigInt.asUintN(64, BigInt(seed) * 0x9e3779b97f4a7c15n + BigInt(salt) * 0xbf58476d1ce4e5b9n);
  h = BigInt.asUintN(64, (h ^ (h >> 30n)) * 0xbf58476d1ce4e5b9n);
  h = BigInt.asUintN(64, (h ^ (h >> 27n)) * 0x94d049bb133111ebn);
  h ^= h >> 31n;
  const v = modP(h);
  return v === 0n ? 1n : v;
}

function evalField(op: string, xs: readonly bigint[]): bigint | undefined {
  const [a, b, c] = xs;
  switch (op) {
    case "mul":
      return F.mul(a!, b!);
    case "div":
      return b === 0n ? undefined : F.mul(a!, F.inv(b!));
    case "matmul":
    case "conv2d": {
      let acc = 0n;
      for (let k = 0; k + 1 < xs.length; k += 2) acc = modP(acc + xs[k]! * xs[k + 1]!);
      return acc;
    }
    case "square":
      return F.mul(a!, a!);
    case "reciprocal":
      return a === 0n ? undefined : F.inv(a!);
    case "select":
      return a === 1n ? b : a === 0n ? c : undefined;
    default:
      return undefined;
  }
}

export class ObserverAlgebra {
  private readonly values = new Map<number, bigint>();
  private readonly forms = new Map<number, FieldForm | null>();
  private budget = 2e6;

  constructor(
    readonly space: VarSpace,
    /** The observer's own input elements. */
    readonly own: DepSet,
  ) {}

  /** True when `v` is a function of the observer's own inputs alone. */
  ownOnly(v: number): boolean {
    return this.space.isAtom(v) ? D.isSubset(this.space.atom(v).deps, this.own) : D.has(this.own, v);
  }

  /** The generic value of an observer-only variable; undefined for anything else. */
  valueOfVar(v: number): bigint | undefined {
    const hit = this.values.get(v);
    if (hit !== undefined) return hit;
    if (!this.ownOnly(v)) return undefined;
    let out: bigint | undefined;
    if (!this.space.isAtom(v)) {
      out = this.space.inputOf(v).info.elem === "bool" ? mix(v, 1) & 1n : mix(v, 1);
    } else {
      const atom = this.space.atom(v);
      if (atom.op === LINEAR) {
        out = this.valueOf(atom.args[0]!);
        this.values.set(v, out!);
        return out;
      }
      const xs: bigint[] = [];
      for (const arg of atom.args) {
        const x = this.valueOf(arg);
        if (x === undefined) break;
        xs.push(x);
      }
      if (xs.length === atom.args.length) out = evalField(atom.op, xs);
      // Not a rational function of its operands: a value of its own.
      out ??= mix(v, 2);
    }
    this.values.set(v, out);
    return out;
  }

  valueOf(e: AbsElem): bigint | undefined {
    if (e.k !== "aff") return undefined;
    let acc = ratToField(e.c);
    for (let t = 0; t < e.vars.length; t++) {
      const x = this.valueOfVar(e.vars[t]!);
      if (x === undefined) return undefined;
      acc = modP(acc + x * ratToField(e.coefs[t]!));
    }
    return acc;
  }

  /** The atom as a linear form (observer-known coefficients), if it is a product or a
   *  division with one side known to the observer. */
  linearise(v: number): FieldForm | undefined {
    const hit = this.forms.get(v);
    if (hit !== undefined) return hit ?? undefined;
    this.forms.set(v, null);
    const atom = this.space.atom(v);
    if (this.ownOnly(v) || this.budget <= 0) return undefined;
    if (atom.op === LINEAR) {
      const def = this.toField(atom.args[0] as Affine);
      this.forms.set(v, def);
      return def;
    }
    const parts: [Affine, bigint][] = [];
    if (PRODUCTS.has(atom.op)) {
      for (let k = 0; k + 1 < atom.args.length; k += 2) {
        const x = atom.args[k]!;
        const y = atom.args[k + 1]!;
        const vx = this.valueOf(x);
        const vy = vx === undefined ? this.valueOf(y) : undefined;
        if (vx !== undefined && y.k === "aff") parts.push([y, vx]);
        else if (vy !== undefined && x.k === "aff") parts.push([x, vy]);
        else return undefined;
      }
    } else if (atom.op === "div") {
      const vb = this.valueOf(atom.args[1]!);
      const a = atom.args[0]!;
      if (vb === undefined || vb === 0n || a.k !== "aff") return undefined;
      parts.push([a, F.inv(vb)]);
    } else return undefined;
    const out: FieldForm = { c: 0n, terms: new Map() };
    for (const [y, k] of parts) {
      const f = this.toField(y);
      this.budget -= f.terms.size + 1;
      addScaled(out, f, k);
    }
    this.forms.set(v, out);
    return out;
  }

  /** `aff` with every linearisable atom replaced; undefined when there is none (the
   *  equation then keeps its exact rational coefficients). */
  expand(aff: Affine): FieldForm | undefined {
    let any = false;
    for (const v of aff.vars) if (this.space.isAtom(v) && this.linearise(v)) any = true;
    return any ? this.toField(aff) : undefined;
  }

  /** `aff` over GF(p), linearisable atoms expanded. */
  toField(aff: Affine): FieldForm {
    const out: FieldForm = { c: ratToField(aff.c), terms: new Map() };
    for (let t = 0; t < aff.vars.length; t++) {
      const v = aff.vars[t]!;
      const k = ratToField(aff.coefs[t]!);
      const lin = this.space.isAtom(v) ? this.linearise(v) : undefined;
      if (lin) addScaled(out, lin, k);
      else out.terms.set(v, modP((out.terms.get(v) ?? 0n) + k));
    }
    for (const [v, k] of out.terms) if (k === 0n) out.terms.delete(v);
    return out;
  }
}

function addScaled(into: FieldForm, f: FieldForm, k: bigint): void {
  into.c = modP(into.c + f.c * k);
  for (const [v, x] of f.terms) {
    const next = modP((into.terms.get(v) ?? 0n) + x * k);
    if (next === 0n) into.terms.delete(v);
    else into.terms.set(v, next);
  }
}
