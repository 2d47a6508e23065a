// The non-linear protocols' local functions and dealer item against a BigInt reference: the
// integer linear combinations (party 0 adds the constant), the table lookup from a masked
// index with the dealer's one-hot, and the one-hot itself (reconstructed from every party's
// shares and the last party's correction), for 2 and 3 parties.

import test from "ava";
import { makeCorrections, partyShares } from "../../../../runtime/dealer/index.js";
import { randomRing, randomSeed } from "../../../../runtime/random/index.js";
import { mod, randomSigned, reconstruct, ring, runLocal, signed, split } from "../helpers.js";

for (const n of [2, 3]) {
  test(`nl_lincomb, nl_rows, nl_affine_rows: exact integer combinations (${n} parties)`, (t) => {
    const len = 37;
    const xs = [randomSigned(len, 40), randomSigned(len, 40), randomSigned(len, 40)];
    const shares = xs.map((x) => split(ring(x, [len]), n));
    const weights = [3, -(2 ** 20), 1];
    const constant = -(2 ** 33) + 5;
    const lc = reconstruct(runLocal("nl_lincomb", n, (i) => shares.map((s) => s[i]!), { weights, constant })[0]!);
    t.deepEqual(
      [...lc.data],
      xs[0]!.map((_, j) => mod(xs.reduce((a, x, k) => a + BigInt(weights[k]!) * x[j]!, BigInt(constant)))),
    );

    const stacked = split(ring(xs.flat(), [3, len]), n);
    const rows = reconstruct(runLocal("nl_rows", n, (i) => [stacked[i]!], { weights, constant })[0]!);
    t.deepEqual([...rows.data], [...lc.data]);
    t.deepEqual(rows.shape, [len]);

    const consts = [7, -(2 ** 30), 0];
    const aff = reconstruct(runLocal("nl_affine_rows", n, (i) => [shares[0]![i]!], { weights, constants: consts })[0]!);
    t.deepEqual(aff.shape, [3, len]);
    t.deepEqual(
      [...aff.data],
      weights.flatMap((w, k) => xs[0]!.map((x) => mod(BigInt(w) * x + BigInt(consts[k]!)))),
    );
  });

  test(`nl_onehot and nl_lookup: the one-hot of r mod size, and T[s mod size] for any s (${n} parties)`, (t) => {
    const len = 50;
    const size = 16;
    const attrs = { shape: [len], size };
    const seeds = Array.from({ length: n }, () => randomSeed());
    const corr = makeCorrections("nl_onehot", attrs, "dealer/t", seeds);
    const per = seeds.map((s, i) => partyShares("nl_onehot", attrs, "dealer/t", s, i === n - 1 ? corr : undefined, i).map((x) => x!));
    const r = reconstruct(per.map((p) => p[0]!)).data;
    const h = reconstruct(per.map((p) => p[1]!)).data;
    for (let i = 0; i < len; i++) {
      for (let j = 0; j < size; j++) t.is(h[i * size + j], BigInt(j) === (r[i]! & BigInt(size - 1)) ? 1n : 0n);
    }
    // any secret index, including negative ones and ones beyond the table, picks entry s mod size
    const s = [...randomSigned(len - 4, 50), 0n, -1n, 15n, 16n];
    const c = new BigUint64Array(len);
    for (let i = 0; i < len; i++) c[i] = mod(s[i]! + r[i]!);
    const tables = [
      Array.from({ length: size }, (_, j) => j * 1000 - 7),
      Array.from({ length: size }, (_, j) => -(2 ** 40) + j),
    ];
    const outs = runLocal("nl_lookup", n, (i) => [{ data: c, shape: [len] }, per[i]![1]!], { size, tables });
    tables.forEach((T, k) => {
      const got = reconstruct(outs[k]!).data;
      s.forEach((v, i) => t.is(signed(got[i]!), BigInt(T[Number(BigInt.asUintN(4, v))]!), `table ${k} at ${v}`));
    });
  });
}

test("nl_lookup rejects a table of the wrong size", (t) => {
  const c = { data: randomRing(2), shape: [2] };
  const h = { data: randomRing(8), shape: [2, 4] };
  t.throws(() => runLocal("nl_lookup", 2, () => [c, h], { size: 4, tables: [[1, 2, 3]] }), { message: /table 0 has 3 entries, not 4/ });
});
