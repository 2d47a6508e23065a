// Comparisons of ONE secret value with MANY public thresholds, sharing the mask: [x < t_k] for
// k = 1..K, in the 4 rounds of one comparison (../compare.ts), but with x opened masked once
// and one set of the dealer's chunk tables for all K. For z_k = x - t_k the comparison opens
// z_k + r; with one r for every k that is c - t_k for the single opened c = x + r, which every
// party computes locally, and the chunk tables of r serve every k. Per element and threshold
// only the tree masks and the B2A bits remain (about 2.5 words from the dealer instead of 6.6,
// and no opening in round 1 instead of one word each way). Each k's bits come from the same
// chunk comparisons of c - t_k against r's tables, so they reveal no more than K separate
// comparisons would: every opened value is masked by fresh dealer randomness.
//
// Layout: thresholds are stacked along the vertical words, one block of ceil(n/64) words per
// threshold (padded to whole words; the padding lanes are computed and dropped), so the
// chunk tables simply repeat K times.

import type { OutSpec, PlanBuilder } from "../../builder.js";
import { applyPoly } from "../binary.js";
import { BINARY_OUTPUTS, compareLayout, compareLevels, GROUP, wordsFor } from "../binary-tables.js";
import { b2aVertical } from "../compare.js";

const binary = (shape: number[]): OutSpec => ({ elem: "int", shape, kind: "binary" });

/** int 0/1 shares [K, n] of [x < t_k] for flat secret x [n] and raw ring thresholds t. */
export function thresholdBits(b: PlanBuilder, x: string, t: number[]): string {
  const xi = b.info(x);
  const n = xi.shape[0]!;
  const K = t.length;
  const w = wordsFor(n);
  const padded = 64 * w;
  const attrs = { n, lt: true, eq: false, zprod: false, ops: 0, b2a: false };
  const layout = compareLayout(attrs);
  const binOut = BINARY_OUTPUTS["compare"]!;
  const outs = b.dealer(
    "compare",
    attrs,
    layout.map((o) => (binOut.has(o.name) ? binary(o.shape) : { elem: xi.elem, shape: o.shape })),
  );
  const get = (name: string): string => outs[layout.findIndex((o) => o.name === name)]!;
  // round 1: c = x + r, once
  const [masked] = b.local("add", [x, get("r")], {}, [{ elem: xi.elem, shape: [n] }]);
  const [c] = b.open([masked!]);
  const cs = b.local("nl_public_thresholds", [c!], { thresholds: t, width: padded }, [
    { elem: xi.elem, shape: [K * padded], kind: "ring", holders: [...b.ctx.parties] },
  ])[0]!;
  const tables = K === 1 ? get("onehot") : b.local("concat", Array(K).fill(get("onehot")), { axis: 0 }, [binary([K * w, 16, 16])])[0]!;
  // rounds 2 and 3: the chunk tree over all K blocks
  const lv = compareLevels({ lt: true, eq: false });
  const W = K * w;
  const [x1] = b.local("cmp_leaves", [cs, tables], { lt: true, eq: false }, [binary([lv.k1, GROUP, W])]);
  const [u1, u1s] = b.dealer("bin_poly", { shape: [lv.level1.rows.length, GROUP, W], sets: lv.level1.sets }, [
    binary([lv.level1.rows.length, GROUP, W]),
    binary([lv.level1.sets.length, GROUP, W]),
  ]);
  const y1 = applyPoly(b, x1!, lv.level1, u1!, u1s!);
  const [x2] = b.local("reshape", [y1], { shape: [lv.p1 * GROUP, W] }, [binary([lv.p1 * GROUP, W])]);
  const [u2, u2s] = b.dealer("bin_poly", { shape: [lv.level2.rows.length, W], sets: lv.level2.sets }, [
    binary([lv.level2.rows.length, W]),
    binary([lv.level2.sets.length, W]),
  ]);
  const bits = applyPoly(b, x2!, lv.level2, u2!, u2s!);
  // round 4: to additive shares, then drop the padding lanes
  const [flatBits] = b2aVertical(b, bits, K * padded, [K * padded], [], "int").bits;
  const grid = b.local("reshape", [flatBits!], { shape: [K, padded] }, [{ elem: "int", shape: [K, padded] }])[0]!;
  if (padded === n) return grid;
  return b.local("slice", [grid], { ranges: [[0, K], [0, n]] }, [{ elem: "int", shape: [K, n] }])[0]!;
}
