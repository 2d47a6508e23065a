// The shared-mask items: `mask` (A, random, nothing on the wire) and triple_matmul_masked
// (B, C) whose C is A' @ B (or B @ A') for the SAME A the mask node gave the parties, A' = A
// or A^T, also when the product runs inside loops the mask is outside of (mask_depth). The
// parties' shares are reconstructed and C is checked against a BigInt matrix product.

import test from "ava";
import { dealerLabel, makeCorrections, maskLabel, partyShares } from "../../../runtime/dealer/items.js";
import { dealerItemWireElements } from "../../../runtime/protocols/spec/dealer-items.js";
import { randomSeed } from "../../../runtime/random/index.js";
import type { RingTensor } from "../../../runtime/ring/index.js";
import { reconstruct } from "../protocols/helpers.js";

const M64 = (1n << 64n) - 1n;

/** BigInt reference: [n, k] @ [k, m] mod 2^64, and a 2-D transpose. */
function refMatmul(a: RingTensor, b: RingTensor): bigint[] {
  const [n, k] = a.shape as [number, number];
  const m = b.shape[1]!;
  const out: bigint[] = [];
  for (let i = 0; i < n; i++)
    for (let j = 0; j < m; j++) {
      let s = 0n;
      for (let l = 0; l < k; l++) s += BigInt(a.data[i * k + l]!) * BigInt(b.data[l * m + j]!);
      out.push(s & M64);
    }
  return out;
}
function refTranspose(a: RingTensor): RingTensor {
  const [n, k] = a.shape as [number, number];
  const data = new BigUint64Array(n * k);
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) data[j * n + i] = a.data[i * k + j]!;
  return { data, shape: [k, n] };
}

/** Every party's shares of one item from the given seeds. */
function deal(seeds: Uint8Array[], item: string, attrs: Record<string, unknown>, label: string): RingTensor[][] {
  const corrections = makeCorrections(item, attrs, label, seeds);
  return seeds.map((s, i) => partyShares(item, attrs, label, s, i === seeds.length - 1 ? corrections : undefined, i) as RingTensor[]);
}
const opened = (shares: RingTensor[][], k: number): RingTensor => reconstruct(shares.map((p) => p[k]!));

const CASES = [
  { side: "left", transpose: false, x: [4, 3], y: [3, 2], c: [4, 2] },
  { side: "left", transpose: true, x: [3, 4], y: [4, 2], c: [3, 2] },
  { side: "right", transpose: false, x: [4, 3], y: [5, 4], c: [5, 3] },
  { side: "right", transpose: true, x: [3, 4], y: [2, 3], c: [2, 4] },
] as const;

for (const n of [2, 3]) {
  for (const cse of CASES) {
    test(`triple_matmul_masked side=${cse.side} transpose=${cse.transpose}: C = A' op B with the mask's A (${n} parties)`, (t) => {
      const seeds = Array.from({ length: n }, () => randomSeed());
      const maskShape = [4, 3];
      // the mask runs at loop depth 1 (iteration 2), the product two loops deeper
      const mLabel = dealerLabel("n7", [2]);
      const mask = deal(seeds, "mask", { shape: maskShape }, mLabel);
      t.is(mask[0]!.length, 1);
      const a = opened(mask, 0);
      const attrs = { x: cse.x, y: cse.y, c: cse.c, side: cse.side, transpose: cse.transpose, mask: "n7", mask_depth: 1, mask_shape: maskShape };
      const label = dealerLabel("n20", [2, 0, 5]);
      t.is(maskLabel(attrs, label), mLabel);
      const prod = deal(seeds, "triple_matmul_masked", attrs, label);
      const [b, c] = [opened(prod, 0), opened(prod, 1)];
      t.deepEqual(b.shape, [...cse.y]);
      t.deepEqual(c.shape, [...cse.c]);
      const ap = cse.transpose ? refTranspose(a) : a;
      t.deepEqual([...c.data], cse.side === "left" ? refMatmul(ap, b) : refMatmul(b, ap));
      // and a mask of another iteration is another A: the product no longer matches it
      const other = opened(deal(seeds, "mask", { shape: maskShape }, dealerLabel("n7", [3])), 0);
      const op = cse.transpose ? refTranspose(other) : other;
      t.notDeepEqual([...c.data], cse.side === "left" ? refMatmul(op, b) : refMatmul(b, op));
    });
  }
}

test("two products of one mask share A but get fresh B and C", (t) => {
  const seeds = [randomSeed(), randomSeed()];
  const mask = deal(seeds, "mask", { shape: [3, 3] }, dealerLabel("n1", []));
  const a = opened(mask, 0);
  const attrs = { x: [3, 3], y: [3, 1], c: [3, 1], side: "left", transpose: false, mask: "n1", mask_depth: 0, mask_shape: [3, 3] };
  const p1 = deal(seeds, "triple_matmul_masked", attrs, dealerLabel("n5", [0]));
  const p2 = deal(seeds, "triple_matmul_masked", attrs, dealerLabel("n5", [1]));
  const [b1, b2] = [opened(p1, 0), opened(p2, 0)];
  t.notDeepEqual([...b1.data], [...b2.data]);
  t.deepEqual([...opened(p1, 1).data], refMatmul(a, b1));
  t.deepEqual([...opened(p2, 1).data], refMatmul(a, b2));
});

test("wire cost: a mask costs nothing, a masked triple only its C", (t) => {
  t.is(dealerItemWireElements("mask", { shape: [569, 30] }), 0);
  t.is(dealerItemWireElements("triple_matmul_masked", { x: [569, 30], y: [30, 1], c: [569, 1] }), 569);
});

test("maskLabel rejects a mask deeper than the product", (t) => {
  t.throws(() => maskLabel({ mask: "n1", mask_depth: 2 }, dealerLabel("n5", [0])), { message: /mask_depth 2 is deeper/ });
  t.throws(() => maskLabel({ mask_depth: 0 }, "dealer/n5"), { message: /needs attributes mask and mask_depth/ });
});
