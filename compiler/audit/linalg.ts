// Sparse exact linear algebra for the audit: reduce a set of linear equations (rows over
// unknown variables, exact rational coefficients) to a fully reduced echelon basis of their
// row space, remembering how each basis row was combined from the original equations.
//
// Why fully reduced: every basis row has a 1 at its pivot and 0 at every other pivot, so a
// unit vector e_v lies in the row space exactly when some basis row *is* e_v. That is the
// audit's test for "the observer can compute variable v exactly".
//
// Work is bounded by a budget of coefficient operations; past it the reduction stops and
// says so, and the caller falls back to dependence-only reporting. Never approximates.

import { Rat } from "./rational.js";

/** The arithmetic a reduction runs in: exact rationals, or a prime field for generic
 *  (randomised) systems. */
export interface Field<T> {
  readonly zero: T;
  readonly one: T;
  isZero(a: T): boolean;
  isOne(a: T): boolean;
  sub(a: T, b: T): T;
  mul(a: T, b: T): T;
  inv(a: T): T;
}

export const RATIONALS: Field<Rat> = {
  zero: Rat.ZERO,
  one: Rat.ONE,
  isZero: (a) => a.isZero(),
  isOne: (a) => a.isOne(),
  sub: (a, b) => a.sub(b),
  mul: (a, b) => a.mul(b),
  inv: (a) => a.inv(),
};

/** 2^61 - 1, a Mersenne prime: random substitutions over GF(p) keep the generic rank with
 *  probability at least 1 - degree/p. */
export const P61 = (1n << 61n) - 1n;

export const modP = (x: bigint): bigint => {
  const r = x % P61;
  return r < 0n ? r + P61 : r;
};

function powMod(b: bigint, e: bigint): bigint {
  let r = 1n;
  b = modP(b);
  while (e > 0n) {
    if (e & 1n) r = (r * b) % P61;
    b = (b * b) % P61;
    e >>= 1n;
  }
  return r;
}

export const GF_P61: Field<bigint> = {
  zero: 0n,
  one: 1n,
  isZero: (a) => a === 0n,
  isOne: (a) => a === 1n,
  sub: (a, b) => modP(a - b),
  mul: (a, b) => (a * b) % P61,
  inv: (a) => {
    if (a === 0n) throw new RangeError("inverse of zero");
    return powMod(a, P61 - 2n);
  },
};

const fieldCache = new WeakMap<Rat, bigint>();

/** A rational as an element of GF(2^61 - 1) (cached: the same coefficients recur). */
export function ratToField(r: Rat): bigint {
  if (r.d === 1n) return modP(r.n);
  let x = fieldCache.get(r);
  if (x === undefined) {
    x = modP(modP(r.n) * GF_P61.inv(modP(r.d)));
    fieldCache.set(r, x);
  }
  return x;
}

export type SparseRow<T = Rat> = Map<number, T>;

export interface ReducedRow<T = Rat> {
  pivot: number;
  terms: SparseRow<T>;
  /** The combination of original equations (by index) that gives this row, when tracked. */
  provenance?: SparseRow<T>;
}

export interface Reduction<T = Rat> {
  rows: ReducedRow<T>[];
  /** False when the budget ran out: `rows` is then incomplete and must not be used. */
  complete: boolean;
  /** Coefficient operations spent. */
  work: number;
}

export interface ReduceOptions {
  /** Maximum coefficient operations (default 5e6). */
  budget?: number;
  /** Track which original equations each row combines (costs one extra sparse row each). */
  provenance?: boolean;
  /** Columns to pivot on first when a row has any (e.g. non-linear atoms): the rows pivoted
   *  on the other columns then span exactly the part of the row space free of them. */
  preferred?: (col: number) => boolean;
}

/** r -= c * p, in place. Returns the number of coefficient operations. */
function axpy<T>(F: Field<T>, r: SparseRow<T>, c: T, p: SparseRow<T>): number {
  for (const [col, v] of p) {
    const prev = r.get(col);
    const cv = F.mul(c, v);
    const next = prev === undefined ? F.sub(F.zero, cv) : F.sub(prev, cv);
    if (F.isZero(next)) r.delete(col);
    else r.set(col, next);
  }
  return p.size;
}

function scale<T>(F: Field<T>, r: SparseRow<T>, c: T): void {
  for (const [col, v] of r) r.set(col, F.mul(v, c));
}

/** Reduce `equations` to a fully reduced echelon basis of their span (see header). The
 *  pivot of each new row is its smallest preferred variable id, else its smallest id. Rows
 *  pivoted on non-preferred columns never contain a preferred column: they are a basis of the
 *  row space's intersection with the span of the non-preferred columns. */
export function reduceRows(equations: readonly SparseRow[], opts: ReduceOptions = {}): Reduction {
  return reduceRowsIn(RATIONALS, equations, opts);
}

/** reduceRows in any field (GF_P61 for generic systems). */
export function reduceRowsIn<T>(F: Field<T>, equations: readonly SparseRow<T>[], opts: ReduceOptions = {}): Reduction<T> {
  const budget = opts.budget ?? 5e6;
  const rows: ReducedRow<T>[] = [];
  const byPivot = new Map<number, ReducedRow<T>>();
  let work = 0;
  for (let i = 0; i < equations.length; i++) {
    const r: SparseRow<T> = new Map(equations[i]!);
    for (const [col, v] of r) if (F.isZero(v)) r.delete(col);
    const prov: SparseRow<T> | undefined = opts.provenance ? new Map([[i, F.one]]) : undefined;
    // Eliminate existing pivots. The basis is fully reduced, so subtracting a pivot row never
    // brings in another pivot column: one pass over r's original columns is enough.
    for (const col of [...r.keys()]) {
      const p = byPivot.get(col);
      const c = r.get(col);
      if (!p || c === undefined) continue;
      work += axpy(F, r, c, p.terms);
      if (prov && p.provenance) work += axpy(F, prov, c, p.provenance);
    }
    if (work > budget) return { rows, complete: false, work };
    if (r.size === 0) continue;
    let pivot = Infinity;
    let preferredPivot = Infinity;
    for (const col of r.keys()) {
      if (col < pivot) pivot = col;
      if (opts.preferred && col < preferredPivot && opts.preferred(col)) preferredPivot = col;
    }
    if (preferredPivot !== Infinity) pivot = preferredPivot;
    const inv = F.inv(r.get(pivot)!);
    scale(F, r, inv);
    if (prov) scale(F, prov, inv);
    const row: ReducedRow<T> = prov ? { pivot, terms: r, provenance: prov } : { pivot, terms: r };
    // Keep the basis fully reduced: clear the new pivot from every other row.
    for (const q of rows) {
      const c = q.terms.get(pivot);
      if (c === undefined) continue;
      work += axpy(F, q.terms, c, r);
      if (q.provenance && prov) work += axpy(F, q.provenance, c, prov);
    }
    rows.push(row);
    byPivot.set(pivot, row);
    if (work > budget) return { rows, complete: false, work };
  }
  return { rows, complete: true, work };
}

/** The variables whose unit vector lies in the row space: exactly determined. */
export function determinedVariables<T>(red: Reduction<T>): Map<number, ReducedRow<T>> {
  const out = new Map<number, ReducedRow<T>>();
  for (const row of red.rows) if (row.terms.size === 1) out.set(row.pivot, row);
  return out;
}

/** Rank of a set of equations (exact). */
export function rank(equations: readonly SparseRow[]): number {
  return reduceRows(equations, { budget: Infinity }).rows.length;
}
