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

export type SparseRow = Map<number, Rat>;

export interface ReducedRow {
  pivot: number;
  terms: SparseRow;
  /** The combination of original equations (by index) that gives this row, when tracked. */
  provenance?: SparseRow;
}

export interface Reduction {
  rows: ReducedRow[];
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
}

/** r -= c * p, in place. Returns the number of coefficient operations. */
function axpy(r: SparseRow, c: Rat, p: SparseRow): number {
  for (const [col, v] of p) {
    const next = (r.get(col) ?? Rat.ZERO).sub(c.mul(v));
    if (next.isZero()) r.delete(col);
    else r.set(col, next);
  }
  return p.size;
}

function scale(r: SparseRow, c: Rat): void {
  for (const [col, v] of r) r.set(col, v.mul(c));
}

/** Reduce `equations` to a fully reduced echelon basis of their span (see header). The
 *  pivot of each new row is its smallest variable id, so callers that number the variables
 *  they most want to see solved first get them as pivots. */
export function reduceRows(equations: readonly SparseRow[], opts: ReduceOptions = {}): Reduction {
  const budget = opts.budget ?? 5e6;
  const rows: ReducedRow[] = [];
  const byPivot = new Map<number, ReducedRow>();
  let work = 0;
  for (let i = 0; i < equations.length; i++) {
    const r: SparseRow = new Map(equations[i]!);
    for (const [col, v] of r) if (v.isZero()) r.delete(col);
    const prov: SparseRow | undefined = opts.provenance ? new Map([[i, Rat.ONE]]) : undefined;
    // Eliminate existing pivots. The basis is fully reduced, so subtracting a pivot row never
    // brings in another pivot column: one pass over r's original columns is enough.
    for (const col of [...r.keys()]) {
      const p = byPivot.get(col);
      const c = r.get(col);
      if (!p || c === undefined) continue;
      work += axpy(r, c, p.terms);
      if (prov && p.provenance) work += axpy(prov, c, p.provenance);
    }
    if (work > budget) return { rows, complete: false, work };
    if (r.size === 0) continue;
    let pivot = Infinity;
    for (const col of r.keys()) if (col < pivot) pivot = col;
    const inv = r.get(pivot)!.inv();
    scale(r, inv);
    if (prov) scale(prov, inv);
    const row: ReducedRow = prov ? { pivot, terms: r, provenance: prov } : { pivot, terms: r };
    // Keep the basis fully reduced: clear the new pivot from every other row.
    for (const q of rows) {
      const c = q.terms.get(pivot);
      if (c === undefined) continue;
      work += axpy(q.terms, c, r);
      if (q.provenance && prov) work += axpy(q.provenance, c, prov);
    }
    rows.push(row);
    byPivot.set(pivot, row);
    if (work > budget) return { rows, complete: false, work };
  }
  return { rows, complete: true, work };
}

/** The variables whose unit vector lies in the row space: exactly determined. */
export function determinedVariables(red: Reduction): Map<number, ReducedRow> {
  const out = new Map<number, ReducedRow>();
  for (const row of red.rows) if (row.terms.size === 1) out.set(row.pivot, row);
  return out;
}

/** Rank of a set of equations (exact). */
export function rank(equations: readonly SparseRow[]): number {
  return reduceRows(equations, { budget: Infinity }).rows.length;
}
