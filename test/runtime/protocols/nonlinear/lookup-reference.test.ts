// nl_lookup (typed-array accumulators, truncated at every step so V8 keeps the products in
// native 64-bit words) against a plain BigInt reference, bit for bit, on random full-range
// shares and one-hot words, full-range (safe-integer, both signs) table entries, and table
// sizes from 1 to 128 with 1 to 3 tables: the guard for any faster rewrite of the lookup.

import test from "ava";
import { randomRing } from "../../../../runtime/random/index.js";
import { nl_lookup } from "../../../../runtime/protocols/local/nonlinear.js";
import { ctxOf } from "../helpers.js";

/** The BigInt nl_lookup this module replaced: out[i] = sum_j h[i, (c_i - j) mod size] T[j]. */
function lookupReference(c: BigUint64Array, h: BigUint64Array, size: number, tables: number[][]): BigUint64Array[] {
  const n = c.length;
  const mask = BigInt(size - 1);
  return tables.map((tab) => {
    const T = tab.map((v) => BigInt.asUintN(64, BigInt(v)));
    const out = new BigUint64Array(n);
    for (let i = 0; i < n; i++) {
      let acc = 0n;
      for (let j = 0; j < size; j++) acc += h[i * size + Number((c[i]! - BigInt(j)) & mask)]! * T[j]!;
      out[i] = BigInt.asUintN(64, acc);
    }
    return out;
  });
}

function randomTable(size: number): number[] {
  const extremes = [0, 1, -1, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 2 ** 32 - 1, -(2 ** 32), 2 ** 31];
  const r = randomRing(size);
  return Array.from({ length: size }, (_, j) => {
    if (j < extremes.length && (r[j]! & 1n) === 0n) return extremes[j]!;
    const v = Number(BigInt.asIntN(54, r[j]!));
    return Math.max(-Number.MAX_SAFE_INTEGER, Math.min(Number.MAX_SAFE_INTEGER, v));
  });
}

for (const size of [1, 2, 16, 32, 64, 128]) {
  for (const m of [1, 2, 3]) {
    test(`nl_lookup equals the BigInt reference (size ${size}, ${m} tables)`, (t) => {
      const n = 97;
      const c = randomRing(n);
      const h = randomRing(n * size);
      // all-ones words make every partial sum as large as it can get
      for (let k = 0; k < size; k++) h[k] = (1n << 64n) - 1n;
      const tables = Array.from({ length: m }, () => randomTable(size));
      if (m > 1) tables[1]!.fill(-Number.MAX_SAFE_INTEGER);
      const want = lookupReference(c, h, size, tables);
      for (const idx of [0, 1]) {
        const got = nl_lookup(ctxOf(idx, 2), [{ data: c, shape: [n] }, { data: h, shape: [n, size] }], { size, tables });
        t.is(got.length, m);
        got.forEach((g, k) => {
          t.deepEqual(g!.shape, [n]);
          t.deepEqual([...(g!.data as BigUint64Array)], [...want[k]!], `table ${k}`);
        });
      }
    });
  }
}
