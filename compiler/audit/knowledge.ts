// What one party can deduce: given its own inputs and everything revealed to it (all reveals
// together), which input elements of other parties it can compute exactly, which linear
// combinations of them it learns, and which non-linear values it learns and about how many
// hidden elements each says something.
//
// Method. Every revealed element that is affine (over input elements and atoms) is one
// equation. The observer's own inputs, and atoms computable from them, are known: they move
// to the constant side. The remaining system is split into connected components (variables
// linked by a shared equation), so an elementwise reveal of a 569x30 tensor is 17070 tiny
// systems, not one dense one. Each component is reduced exactly (linalg.ts); a unit row means
// the variable is determined. Determined atoms of injective functions give their argument as
// a new equation (learning exp(b) is learning b), and atoms whose inputs have all become
// known become known; this repeats until nothing changes. A component too large for the
// budget is reported by dependence only, with the reason.
//
// Soundness: "determined" claims are certain (exact arithmetic, public coefficients), up to
// fixed-point rounding of the revealed values. Non-linear values are never claimed to be
// inverted unless the function is injective; what they reveal is described by dependence.

import { type Affine, depsOf, expandLinear, type VarSpace } from "./absval.js";
import * as D from "./depset.js";
import type { DepSet } from "./depset.js";
import { namedFormula, revealElemName, varName } from "./describe.js";
import type { Interpretation, RevealEvent } from "./interpret.js";
import { type FieldForm, ObserverAlgebra } from "./generic.js";
import { determinedVariables, GF_P61, ratToField, reduceRows, reduceRowsIn, type ReducedRow, type Reduction, type SparseRow } from "./linalg.js";
import { Rat } from "./rational.js";

export interface Determination {
  /** Global id of the determined input element. */
  id: number;
  /** Reveals whose values were combined. */
  events: number[];
  /** Injective functions inverted on the way (e.g. ["exp"]). */
  via: string[];
  /** e.g. "bob.b = s − alice.a", when the combination is small enough to show. */
  derivation?: string;
  /** Some reveal involved happens only on a branch the audit could not decide. */
  conditional: boolean;
  /** The equations' coefficients include the observer's own data (generic.ts): the claim
   *  holds for the observer's data in general position. */
  generic: boolean;
  /** Size of the system it was solved from. */
  equations: number;
  unknowns: number;
}

export interface Combination {
  /** Hidden variables with their exact coefficients (pivot coefficient 1); for a generic
   *  combination the coefficients are the observer's data and only the variables are kept
   *  (each with coefficient 1 here). */
  terms: SparseRow;
  events: number[];
  via: string[];
  /** Involves non-linear values (atoms) rather than input elements only. */
  nonlinear: boolean;
  /** Coefficients come from the observer's own data (shown generically, not as numbers). */
  generic: boolean;
}

export type NonlinearKind = "bit" | "class-index" | "value" | "combination" | "dependence";

export interface NonlinearItem {
  event: number;
  kind: NonlinearKind;
  /** The op of the atom revealed (for bit/class-index/value). */
  op?: string;
  /** An example atom of the group (for its source span). */
  atom?: number;
  /** Revealed element indices (flat) in this group. */
  elems: number[];
  /** Hidden input elements (other parties', not determined) any of them depends on. */
  hidden: DepSet;
  /** True when each element depends on exactly one hidden element. */
  narrow: boolean;
}

export interface Fallback {
  events: number[];
  equations: number;
  unknowns: number;
  reason: string;
}

export interface Knowledge {
  observer: string;
  /** Reveal indices this party receives. */
  events: number[];
  determined: Map<number, Determination>;
  /** Atoms (non-linear values) the observer ends up knowing exactly. */
  learnedAtoms: Set<number>;
  combos: Combination[];
  nonlinear: NonlinearItem[];
  fallbacks: Fallback[];
  /** Per received reveal: the other parties' input elements it depends on. */
  hiddenDepsByEvent: Map<number, DepSet>;
}

export interface KnowledgeOptions {
  /** Coefficient operations per component (default 2e7). */
  componentBudget?: number;
  /** Components with more equations x unknowns than this are not attempted (default 4e8). */
  maxCells?: number;
}

interface Equation {
  /** Exact coefficients, or (generic) coefficients over GF(2^61 - 1). */
  aff?: Affine;
  field?: FieldForm;
  /** Source reveal element, or undefined for an equation obtained by inverting an atom. */
  src?: { event: number; elem: number };
  events: number[];
  via: string[];
  conditional: boolean;
  /** Its coefficients involve the observer's own data. */
  generic: boolean;
}

const PROVENANCE_ROWS = 64;

export function analyseObserver(interp: Interpretation, observer: string, opts: KnowledgeOptions = {}): Knowledge {
  const { space } = interp;
  const own = space.partyDeps(observer);
  const received = interp.reveals.filter((r) => r.to.includes(observer));
  const obsAlg = new ObserverAlgebra(space, own);
  const eqs: Equation[] = [];
  const atomsSeen = new Set<number>();
  const addEquation = (named: Affine, rest: Omit<Equation, "aff" | "field" | "generic">, generic: boolean): void => {
    const raw = expandLinear(space, named);
    const field = obsAlg.expand(raw) ?? (generic ? obsAlg.toField(raw) : undefined);
    if (field) {
      eqs.push({ ...rest, field, generic: true });
      for (const v of field.terms.keys()) if (space.isAtom(v)) atomsSeen.add(v);
    } else {
      eqs.push({ ...rest, aff: raw, generic: false });
      for (const v of raw.vars) if (space.isAtom(v)) atomsSeen.add(v);
    }
  };
  for (const ev of received) {
    ev.value.el.forEach((e, k) => {
      if (e.k !== "aff" || e.vars.length === 0) return;
      addEquation(e, { src: { event: ev.index, elem: k }, events: [ev.index], via: [], conditional: ev.conditional }, false);
    });
  }
  const determined = new Map<number, Determination>();
  const knownAtoms = new Set<number>();
  const learnedAtoms = new Set<number>();
  const inverted = new Set<number>();
  let detSet: DepSet = D.EMPTY;
  const derivationsShown = new Map<number, number>();
  const isKnown = (v: number): boolean => (space.isAtom(v) ? knownAtoms.has(v) : D.has(own, v) || determined.has(v));
  let last: { rows: ReducedRow<Rat | bigint>[]; events: number[]; via: string[]; generic: boolean; exact: { row: SparseRow<Rat>; eq: Equation }[] }[] = [];
  let fallbacks: Fallback[] = [];

  for (let pass = 0; pass < 32; pass++) {
    // Only new determinations or inversions call for another pass; atoms that became
    // computable are picked up here, before reducing.
    let changed = false;
    const knownInputs = D.union(own, detSet);
    for (const a of atomsSeen) {
      if (!knownAtoms.has(a) && D.isSubset(space.atom(a).deps, knownInputs)) knownAtoms.add(a);
    }
    const rows: { row: SparseRow<Rat | bigint>; eq: Equation }[] = [];
    for (const eq of eqs) {
      const row: SparseRow<Rat | bigint> = new Map();
      if (eq.aff) {
        const aff = eq.aff;
        aff.vars.forEach((v, t) => {
          if (!isKnown(v)) row.set(v, aff.coefs[t]!);
        });
      } else for (const [v, k] of eq.field!.terms) if (!isKnown(v)) row.set(v, k);
      if (row.size > 0) rows.push({ row, eq });
    }
    last = [];
    fallbacks = [];
    for (const comp of components(rows.map((r) => r.row))) {
      const crow = comp.map((i) => rows[i]!);
      const events = uniq(crow.flatMap((r) => r.eq.events));
      const via = uniq(crow.flatMap((r) => r.eq.via));
      const conditional = crow.some((r) => r.eq.conditional);
      const generic = crow.some((r) => r.eq.generic);
      const unknowns = new Set(crow.flatMap((r) => [...r.row.keys()])).size;
      if (crow.length * unknowns > (opts.maxCells ?? 4e8)) {
        fallbacks.push({ events, equations: crow.length, unknowns, reason: "the system is too large to solve exactly" });
        continue;
      }
      const tracked = crow.length <= PROVENANCE_ROWS && !generic;
      const budget = opts.componentBudget ?? 2e7;
      // Exact rationals when every coefficient is public; else GF(2^61 - 1) (generic.ts).
      // Atoms are pivoted on first, so the combinations left over that mention no atom are
      // exactly what the reveals say about input elements alone.
      const preferred = (v: number): boolean => space.isAtom(v);
      const red: Reduction<Rat | bigint> = generic
        ? reduceRowsIn(GF_P61, crow.map((r) => toFieldRow(r.row)), { budget, preferred })
        : reduceRows(crow.map((r) => r.row as SparseRow<Rat>), { provenance: tracked, budget, preferred });
      if (!red.complete) {
        fallbacks.push({ events, equations: crow.length, unknowns, reason: `solving it exactly needs more than ${(opts.componentBudget ?? 2e7).toExponential(0)} operations` });
        continue;
      }
      const exact = generic ? crow.filter((r) => !r.eq.generic).map((r) => ({ row: r.row as SparseRow<Rat>, eq: r.eq })) : [];
      last.push({ rows: red.rows, events, via, generic, exact });
      for (const [v, row] of determinedVariables(red)) {
        if (space.isAtom(v)) {
          learnedAtoms.add(v);
          const a = space.atom(v);
          if (a.inv && !inverted.has(v)) {
            inverted.add(v);
            addEquation(a.inv, { events, via: uniq([...via, a.op]), conditional }, generic);
            changed = true;
          }
        } else if (!determined.has(v)) {
          const det: Determination = { id: v, events, via, conditional, generic, equations: crow.length, unknowns };
          // Derivations are examples for the report: a few per input are enough.
          const inp = space.inputOf(v).index;
          const shown = derivationsShown.get(inp) ?? 0;
          const derivation =
            shown < 3 && tracked && row.provenance ? derive(space, v, row.provenance as SparseRow<Rat>, crow.map((r) => r.eq), interp.reveals, isKnown) : undefined;
          if (derivation) {
            det.derivation = derivation;
            derivationsShown.set(inp, shown + 1);
          }
          determined.set(v, det);
          changed = true;
        }
      }
    }
    detSet = D.fromIds(determined.keys());
    if (!changed) break;
  }

  const combos: Combination[] = [];
  for (const comp of last) {
    const inputOnly = comp.rows.filter((row) => row.terms.size > 1 && ![...row.terms.keys()].some((v) => space.isAtom(v)));
    if (comp.generic && inputOnly.length > 0) {
      // Where the public-coefficient equations of the component alone already give as many
      // combinations of input elements, show those exactly (e.g. "the sum of y") instead of
      // combinations with the observer's data as coefficients.
      const pure = comp.exact.filter((r) => [...r.row.keys()].every((v) => !space.isAtom(v)));
      const red = reduceRows(pure.map((r) => r.row));
      if (red.complete && red.rows.length === inputOnly.length && red.rows.every((r) => r.terms.size > 1)) {
        const events = uniq(pure.flatMap((r) => r.eq.events));
        for (const row of red.rows) combos.push({ terms: row.terms, events, via: comp.via, nonlinear: false, generic: false });
        for (const row of comp.rows) {
          if (row.terms.size <= 1 || inputOnly.includes(row)) continue;
          combos.push({ terms: new Map([...row.terms.keys()].map((v) => [v, Rat.ONE])), events: comp.events, via: comp.via, nonlinear: true, generic: true });
        }
        continue;
      }
    }
    for (const row of comp.rows) {
      if (row.terms.size <= 1) continue;
      const nonlinear = [...row.terms.keys()].some((v) => space.isAtom(v));
      const terms: SparseRow = comp.generic ? new Map([...row.terms.keys()].map((v) => [v, Rat.ONE])) : (row.terms as SparseRow<Rat>);
      combos.push({ terms, events: comp.events, via: comp.via, nonlinear, generic: comp.generic });
    }
  }

  const hiddenDepsByEvent = new Map<number, DepSet>();
  const nonlinear: NonlinearItem[] = [];
  for (const ev of received) {
    let evDeps = D.EMPTY;
    const groups = new Map<string, NonlinearItem>();
    ev.value.el.forEach((e, k) => {
      const hidden = D.minus(depsOf(space, e), own);
      evDeps = D.union(evDeps, hidden);
      const left = D.minus(hidden, detSet);
      if (left.length === 0) return;
      const x = e.k === "aff" ? expandLinear(space, e) : undefined;
      const vars = x ? [...(obsAlg.expand(x)?.terms.keys() ?? x.vars)] : undefined;
      if (vars && vars.every((v) => !space.isAtom(v))) return;
      const { kind, op, atom } = classify(space, vars, isKnown);
      const narrow = D.size(left) === 1;
      const key = `${kind}|${op ?? ""}|${narrow}`;
      const g = groups.get(key);
      if (g) {
        g.elems.push(k);
        g.hidden = D.union(g.hidden, left);
      } else {
        const item: NonlinearItem = { event: ev.index, kind, elems: [k], hidden: left, narrow };
        if (op !== undefined) item.op = op;
        if (atom !== undefined) item.atom = atom;
        groups.set(key, item);
      }
    });
    hiddenDepsByEvent.set(ev.index, evDeps);
    nonlinear.push(...groups.values());
  }
  return {
    observer,
    events: received.map((r) => r.index),
    determined,
    learnedAtoms,
    combos,
    nonlinear,
    fallbacks,
    hiddenDepsByEvent,
  };
}

const BIT_OPS = new Set(["lt", "le", "gt", "ge", "eq", "ne", "and", "or", "nonzero"]);

/** What a non-linear revealed element is, from its variables (undefined: opaque). */
function classify(space: VarSpace, vars: readonly number[] | undefined, isKnown: (v: number) => boolean): { kind: NonlinearKind; op?: string; atom?: number } {
  if (vars === undefined) return { kind: "dependence" };
  const unknown = vars.filter((v) => !isKnown(v));
  if (unknown.length === 1 && space.isAtom(unknown[0]!)) {
    const atom = unknown[0]!;
    const op = space.atom(atom).op;
    if (BIT_OPS.has(op)) return { kind: "bit", op, atom };
    if (op === "argmax") return { kind: "class-index", op, atom };
    return { kind: "value", op, atom };
  }
  return { kind: "combination" };
}

/** `bob.b = s − alice.a`: the determined variable as revealed values minus what the observer
 *  knows, from the provenance of its unit row. Undefined when too long to be useful. */
function derive(
  space: VarSpace,
  v: number,
  provenance: SparseRow,
  eqs: readonly Equation[],
  reveals: readonly RevealEvent[],
  isKnown: (v: number) => boolean,
): string | undefined {
  if (provenance.size > 6) return undefined;
  const revealed: [Rat, string][] = [];
  const known = new Map<number, Rat>();
  let c = Rat.ZERO;
  for (const [r, alpha] of [...provenance].sort((x, y) => x[0] - y[0])) {
    const eq = eqs[r]!;
    const aff = eq.aff;
    if (!eq.src || !aff) return undefined;
    revealed.push([alpha, revealElemName(reveals[eq.src.event]!, eq.src.elem)]);
    c = c.sub(alpha.mul(aff.c));
    aff.vars.forEach((w, t) => {
      if (!isKnown(w)) return;
      known.set(w, (known.get(w) ?? Rat.ZERO).sub(alpha.mul(aff.coefs[t]!)));
    });
  }
  const knownTerms = [...known].filter(([, r]) => !r.isZero());
  if (knownTerms.length > 6) return undefined;
  const rhs: [Rat, string][] = [...revealed, ...knownTerms.map(([w, r]): [Rat, string] => [r, varName(space, w)])];
  return `${varName(space, v)} = ${namedFormula(rhs, c)}`;
}

function toFieldRow(row: SparseRow<Rat | bigint>): SparseRow<bigint> {
  const out = new Map<number, bigint>();
  for (const [v, k] of row) out.set(v, typeof k === "bigint" ? k : ratToField(k));
  return out;
}

/** Connected components of equations linked by shared variables (union-find). */
function components(rows: readonly SparseRow<unknown>[]): number[][] {
  const parent = new Map<number, number>();
  const find = (x: number): number => {
    let r = x;
    while (parent.get(r)! !== r) r = parent.get(r)!;
    while (parent.get(x)! !== r) {
      const nx = parent.get(x)!;
      parent.set(x, r);
      x = nx;
    }
    return r;
  };
  for (const row of rows) {
    let first: number | undefined;
    for (const v of row.keys()) {
      if (!parent.has(v)) parent.set(v, v);
      if (first === undefined) first = find(v);
      else {
        const r = find(v);
        if (r !== first) parent.set(r, first);
      }
    }
  }
  const byRoot = new Map<number, number[]>();
  rows.forEach((row, i) => {
    const root = find(row.keys().next().value as number);
    const list = byRoot.get(root);
    if (list) list.push(i);
    else byRoot.set(root, [i]);
  });
  return [...byRoot.values()];
}

function uniq<T>(xs: readonly T[]): T[] {
  return [...new Set(xs)];
}
