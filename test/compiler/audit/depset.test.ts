import test from "ava";
import fc from "fast-check";
import * as D from "../../../compiler/audit/depset.js";

test("runs merge: a row of a row-major input is one run", (t) => {
  t.deepEqual([...D.fromIds([3, 4, 5, 9])], [3, 6, 9, 10]);
  t.deepEqual([...D.union(D.range(0, 5), D.range(5, 8))], [0, 8]);
  t.deepEqual([...D.minus(D.range(0, 10), D.range(3, 5))], [0, 3, 5, 10]);
  t.deepEqual([...D.clip(D.range(0, 10), 4, 20)], [4, 10]);
  t.is(D.size(D.fromIds([1, 2, 3, 7])), 4);
});

test("property: dependence-set operations agree with plain sets", (t) => {
  const ids = fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 30 });
  fc.assert(
    fc.property(ids, ids, (xs, ys) => {
      const a = D.fromIds(xs);
      const b = D.fromIds(ys);
      const sa = new Set(xs);
      const sb = new Set(ys);
      const same = (s: D.DepSet, ref: Set<number>): boolean => {
        const got = [...D.ids(s)];
        return got.length === ref.size && got.every((x) => ref.has(x)) && D.size(s) === ref.size;
      };
      if (!same(D.union(a, b), new Set([...sa, ...sb]))) throw new Error("union");
      if (!same(D.minus(a, b), new Set([...sa].filter((x) => !sb.has(x))))) throw new Error("minus");
      if (!same(D.intersect(a, b), new Set([...sa].filter((x) => sb.has(x))))) throw new Error("intersect");
      for (let x = 0; x <= 61; x++) if (D.has(a, x) !== sa.has(x)) throw new Error("has");
      if (D.isSubset(a, D.union(a, b)) !== true) throw new Error("subset");
    }),
    { numRuns: 300 },
  );
  t.pass();
});
