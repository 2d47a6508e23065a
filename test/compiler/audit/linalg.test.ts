import test from "ava";
import fc from "fast-check";
import { determinedVariables, rank, reduceRows, type SparseRow } from "../../../compiler/audit/linalg.js";
import { Rat } from "../../../compiler/audit/rational.js";

const row = (entries: [number, number][]): SparseRow => new Map(entries.map(([c, v]) => [c, Rat.int(v)]));

/** Rank by fraction-free (Bareiss) elimination over BigInt: an independent reference. */
function bareissRank(m: bigint[][]): number {
  const a = m.map((r) => [...r]);
  const rows = a.length;
  const cols = rows > 0 ? a[0]!.length : 0;
  let r = 0;
  let prev = 1n;
  for (let c = 0; c < cols && r < rows; c++) {
    let p = r;
    while (p < rows && a[p]![c] === 0n) p++;
    if (p === rows) continue;
    [a[r], a[p]] = [a[p]!, a[r]!];
    for (let i = r + 1; i < rows; i++) {
      for (let j = c + 1; j < cols; j++) a[i]![j] = (a[i]![j]! * a[r]![c]! - a[i]![c]! * a[r]![j]!) / prev;
      a[i]![c] = 0n;
    }
    prev = a[r]![c]!;
    r++;
  }
  return r;
}

test("x1 + x2 and x1 - x2 determine both unknowns; x1 + x2 alone determines neither", (t) => {
  const both = reduceRows([row([[0, 1], [1, 1]]), row([[0, 1], [1, -1]])], { provenance: true });
  const det = determinedVariables(both);
  t.deepEqual([...det.keys()].sort(), [0, 1]);
  // x1 = 1/2 (r0 + r1), x2 = 1/2 (r0 - r1): the provenance says how.
  t.deepEqual([...det.get(0)!.provenance!].map(([r, c]) => [r, c.toString()]), [[0, "1/2"], [1, "1/2"]]);
  t.deepEqual([...det.get(1)!.provenance!].map(([r, c]) => [r, c.toString()]).sort(), [[0, "1/2"], [1, "-1/2"]]);
  const one = reduceRows([row([[0, 1], [1, 1]])]);
  t.is(determinedVariables(one).size, 0);
  t.is(one.rows.length, 1);
});

test("a dependent equation adds nothing; the sum of three with two differences pins all three", (t) => {
  t.is(rank([row([[0, 1], [1, 1]]), row([[0, 2], [1, 2]])]), 1);
  const eqs = [row([[0, 1], [1, 1], [2, 1]]), row([[0, 1], [1, -1]]), row([[1, 1], [2, -1]])];
  t.is(determinedVariables(reduceRows(eqs)).size, 3);
});

test("exact arithmetic sees a cancellation that float64 would blur", (t) => {
  // (1/3)·a + (1/3)·b and a + b are the same equation up to scale: rank 1.
  const third = Rat.of(1n, 3n);
  const eqs: SparseRow[] = [
    new Map([
      [0, third],
      [1, third],
    ]),
    row([[0, 1], [1, 1]]),
  ];
  t.is(rank(eqs), 1);
});

test("the budget stops the reduction and says so", (t) => {
  const eqs = Array.from({ length: 30 }, (_, i) => row(Array.from({ length: 30 }, (_, j): [number, number] => [j, ((i + 1) * (j + 2)) % 7 + 1])));
  const r = reduceRows(eqs, { budget: 50 });
  t.false(r.complete);
  t.true(reduceRows(eqs).complete);
});

test("property: rank matches Bareiss, the basis is fully reduced, and provenance reproduces each row", (t) => {
  const matrix = fc.array(fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 5, maxLength: 5 }), { minLength: 1, maxLength: 7 });
  fc.assert(
    fc.property(matrix, (m) => {
      const eqs = m.map((r) => row(r.map((v, c): [number, number] => [c, v]).filter(([, v]) => v !== 0)));
      const red = reduceRows(eqs, { provenance: true });
      if (red.rows.length !== bareissRank(m.map((r) => r.map(BigInt)))) throw new Error("rank differs from Bareiss");
      const pivots = new Set(red.rows.map((r) => r.pivot));
      for (const r of red.rows) {
        if (!r.terms.get(r.pivot)?.isOne()) throw new Error("pivot is not 1");
        for (const p of pivots) if (p !== r.pivot && r.terms.has(p)) throw new Error("not fully reduced");
        // Σ provenance_k · eq_k == row.
        const acc = new Map<number, Rat>();
        for (const [k, c] of r.provenance!) for (const [col, v] of eqs[k]!) acc.set(col, (acc.get(col) ?? Rat.ZERO).add(c.mul(v)));
        for (const col of new Set([...acc.keys(), ...r.terms.keys()])) {
          if (!(acc.get(col) ?? Rat.ZERO).equals(r.terms.get(col) ?? Rat.ZERO)) throw new Error("provenance does not reproduce the row");
        }
      }
    }),
    { numRuns: 300 },
  );
  t.pass();
});
