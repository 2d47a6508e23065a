// The inference layers on shares (runtime/protocols/spec/conv.ts, local/conv.ts): the ring
// convolution is exact against a BigInt reference; the local Beaver step and the dealer's
// convolution triple reconstruct exactly; pooling gathers and sums exactly; and whole plans
// (secret x secret, secret x public on either side, private operands, stride 1 and 2, padding
// 0 and 1, average pooling) match float64 for 2 and 3 parties.
//
// Tolerance of the end-to-end cases: inputs are drawn on the fixed-point grid (multiples of
// 2^-16), so the ring product is exact and only the final truncation errs: floor or floor + 1
// of the exact result, under 2 * 2^-16. The average over a 3x3 window multiplies by 1/9
// encoded with 20 fractional bits (relative error <= 2^-21) before its truncation.

import test from "ava";
import type { ClearTensor } from "../../../runtime/clear/index.js";
import { evalClearOp } from "../../../runtime/clear/index.js";
import { itemLayout, makeCorrections, partyShares } from "../../../runtime/dealer/index.js";
import { runInThread } from "../../../runtime/executor/index.js";
import { ringConv2d } from "../../../runtime/protocols/local/conv.js";
import { revealTo } from "../../../runtime/protocols/spec/arithmetic.js";
import { avgPool, convPrivate, convPublic, convSecret, poolWindows } from "../../../runtime/protocols/spec/conv.js";
import { dealerItemWireElements } from "../../../runtime/protocols/spec/dealer-items.js";
import { randomSeed } from "../../../runtime/random/index.js";
import type { RingTensor } from "../../../runtime/ring/index.js";
import { buildPlan, maxAbsDiff, tensor, testData } from "../executor/plans.js";
import { mod, randomSigned, reconstruct, ring, runLocal, split, values } from "./helpers.js";

const clear = (op: string, args: ClearTensor[], attrs: Record<string, unknown> = {}): ClearTensor => evalClearOp(op, args, attrs);
const size = (s: readonly number[]): number => s.reduce((a, d) => a * d, 1);

/** conv2d on BigInts mod 2^64, straight from the definition. */
function bigConv(x: bigint[], xs: number[], w: bigint[], ws: number[], stride: number, pad: number): bigint[] {
  const [N, C, H, W] = xs as [number, number, number, number];
  const [O, , KH, KW] = ws as [number, number, number, number];
  const OH = Math.floor((H + 2 * pad - KH) / stride) + 1;
  const OW = Math.floor((W + 2 * pad - KW) / stride) + 1;
  const out: bigint[] = [];
  for (let n = 0; n < N; n++)
    for (let o = 0; o < O; o++)
      for (let y = 0; y < OH; y++)
        for (let z = 0; z < OW; z++) {
          let acc = 0n;
          for (let c = 0; c < C; c++)
            for (let i = 0; i < KH; i++)
              for (let j = 0; j < KW; j++) {
                const h = y * stride - pad + i;
                const v = z * stride - pad + j;
                if (h < 0 || h >= H || v < 0 || v >= W) continue;
                acc += x[((n * C + c) * H + h) * W + v]! * w[((o * C + c) * KH + i) * KW + j]!;
              }
          out.push(mod(acc));
        }
  return out;
}

const GEOMETRIES = [
  { xs: [2, 3, 7, 6], ws: [4, 3, 3, 3], stride: 1, pad: 0 },
  { xs: [2, 3, 7, 6], ws: [4, 3, 3, 3], stride: 1, pad: 1 },
  { xs: [1, 2, 9, 9], ws: [3, 2, 3, 2], stride: 2, pad: 0 },
  { xs: [3, 1, 8, 8], ws: [5, 1, 2, 2], stride: 2, pad: 1 },
  { xs: [1, 1, 3, 3], ws: [1, 1, 3, 3], stride: 1, pad: 0 },
];

test("ringConv2d is conv2d mod 2^64, exactly, on full-width ring values", (t) => {
  for (const g of GEOMETRIES) {
    const x = ring(randomSigned(size(g.xs), 64), g.xs);
    const w = ring(randomSigned(size(g.ws), 64), g.ws);
    const got = ringConv2d(x, w, g.stride, g.pad);
    t.deepEqual(values(got), bigConv(values(x), g.xs, values(w), g.ws, g.stride, g.pad), JSON.stringify(g));
    const clearOut = clear("conv2d", [tensor(new Float64Array(size(g.xs)), g.xs), tensor(new Float64Array(size(g.ws)), g.ws)], { stride: g.stride, padding: g.pad });
    t.deepEqual(got.shape, clearOut.shape);
  }
});

test("ringConv2d matches the float64 conv2d on small integers (same layout)", (t) => {
  const g = GEOMETRIES[3]!;
  const xv = [...testData(size(g.xs), 50, 3)].map(Math.round);
  const wv = [...testData(size(g.ws), 50, 4)].map(Math.round);
  const got = ringConv2d(ring(xv.map(BigInt), g.xs), ring(wv.map(BigInt), g.ws), g.stride, g.pad);
  const want = clear("conv2d", [tensor(xv, g.xs), tensor(wv, g.ws)], { stride: g.stride, padding: g.pad });
  t.deepEqual(values(got).map((v) => Number(BigInt.asIntN(64, v))), [...want.data]);
});

for (const n of [2, 3]) {
  test(`beaver_conv: the parties' outputs sum to conv(x, w) exactly (${n} parties)`, (t) => {
    for (const g of GEOMETRIES.slice(1, 4)) {
      const cs = [g.xs[0]!, g.ws[0]!, Math.floor((g.xs[2]! + 2 * g.pad - g.ws[2]!) / g.stride) + 1, Math.floor((g.xs[3]! + 2 * g.pad - g.ws[3]!) / g.stride) + 1];
      const x = ring(randomSigned(size(g.xs), 64), g.xs);
      const w = ring(randomSigned(size(g.ws), 64), g.ws);
      const A = ring(randomSigned(size(g.xs), 64), g.xs);
      const B = ring(randomSigned(size(g.ws), 64), g.ws);
      const C = ringConv2d(A, B, g.stride, g.pad);
      t.deepEqual(C.shape, cs);
      const [As, Bs, Cs] = [split(A, n), split(B, n), split(C, n)];
      const sub = (p: RingTensor, q: RingTensor): RingTensor => ({ data: p.data.map((v, i) => mod(v - q.data[i]!)), shape: p.shape });
      const E = sub(x, A);
      const D = sub(w, B);
      const [z] = runLocal("beaver_conv", n, (i) => [E, D, As[i]!, Bs[i]!, Cs[i]!], { stride: g.stride, padding: g.pad });
      t.deepEqual(values(reconstruct(z!)), values(ringConv2d(x, w, g.stride, g.pad)));
    }
  });

  test(`dealer triple_conv: C = conv(A, B); owned masks stay with their owner (${n} parties)`, (t) => {
    const attrs = { a: [2, 3, 6, 5], b: [4, 3, 3, 3], c: [2, 4, 3, 3], stride: 2, padding: 1 };
    for (const owners of [{}, { a_owner: 0 }, { b_owner: n - 1 }, { a_owner: 1, b_owner: 0 }] as Record<string, number>[]) {
      const full = { ...attrs, ...owners };
      const seeds = Array.from({ length: n }, () => randomSeed());
      const corrections = makeCorrections("triple_conv", full, "dealer/n7", seeds);
      t.is(corrections.length, 1);
      const shares = seeds.map((s, i) => partyShares("triple_conv", full, "dealer/n7", s, i === n - 1 ? corrections : undefined, i));
      const whole = (k: number, owner: number | undefined): RingTensor => {
        if (owner === undefined) return reconstruct(shares.map((p) => p[k] as RingTensor));
        shares.forEach((p, i) => t.is(p[k] === undefined, i !== owner, `output ${k} at party ${i}`));
        return shares[owner]![k] as RingTensor;
      };
      const A = whole(0, owners["a_owner"]);
      const B = whole(1, owners["b_owner"]);
      const C = reconstruct(shares.map((p) => p[2] as RingTensor));
      t.deepEqual(values(C), values(ringConv2d(A, B, 2, 1)));
    }
    // the cost model's count: one correction share the size of C, the output
    t.is(dealerItemWireElements("triple_conv", attrs), 2 * 4 * 3 * 3);
    t.deepEqual(itemLayout("triple_conv", attrs).map((o) => o.correlated), [false, false, true]);
    t.throws(() => itemLayout("triple_conv", { ...attrs, c: [2, 4, 4, 4] }), { message: /conv2d gives \[2, 4, 3, 3\]/ });
  });
}

test("pool_sum and pool_windows gather exactly what the clear pools read", (t) => {
  for (const [shape, kernel, stride] of [
    [[2, 3, 6, 6], 2, 2],
    [[1, 2, 7, 5], 3, 2],
    [[1, 1, 4, 4], 3, 1],
  ] as [number[], number, number][]) {
    const xv = [...testData(size(shape), 1000, 9)].map(Math.round);
    const x = ring(xv.map(BigInt), shape);
    const [[sum]] = runLocal("pool_sum", 1, () => [x], { kernel, stride });
    const avg = clear("avg_pool2d", [tensor(xv, shape)], { kernel, stride });
    t.deepEqual(sum!.shape, avg.shape);
    t.deepEqual(values(sum!).map((v) => Number(BigInt.asIntN(64, v))), [...avg.data].map((v) => Math.round(v * kernel * kernel)));
    const [[win]] = runLocal("pool_windows", 1, () => [x], { kernel, stride });
    const mx = clear("max_pool2d", [tensor(xv, shape)], { kernel, stride });
    t.deepEqual(win!.shape, [...mx.shape, kernel * kernel]);
    const signedWin = values(win!).map((v) => Number(BigInt.asIntN(64, v)));
    const maxes = mx.data.map((_, i) => Math.max(...signedWin.slice(i * kernel * kernel, (i + 1) * kernel * kernel)));
    t.deepEqual([...maxes], [...mx.data]);
  }
});

/** Test data on the fixed-point grid: uniform in [-range, range), multiples of 2^-16. */
const gridData = (n: number, range: number, seed: number): Float64Array => testData(n, range, seed).map((v) => Math.round(v * 65536) / 65536);

const ULP = 2 ** -16;

for (const parties of [
  ["alice", "bob"],
  ["alice", "bob", "carol"],
]) {
  const n = parties.length;
  test(`conv2d and pooling plans match float64 (${n} parties)`, async (t) => {
    const last = parties[n - 1]!;
    const XS = [2, 2, 6, 6];
    const WS = [3, 2, 3, 3];
    const plan = buildPlan(
      parties,
      [
        { party: "alice", name: "x", shape: XS },
        { party: last, name: "w", shape: WS },
        { party: "bob", name: "wp", shape: WS },
        { party: "bob", name: "xp", shape: XS },
      ],
      (b, [x, w, wp, xp]) => {
        const spec = (shape: number[]) => ({ elem: "fixed" as const, shape });
        const xs = b.share(x!, "alice");
        const ws = b.share(w!, last);
        // public operands: bob discloses them to everyone
        const wPub = b.send("bob", wp!, parties.filter((p) => p !== "bob"));
        const xPub = b.send("bob", xp!, parties.filter((p) => p !== "bob"));
        const outs: [string, string][] = [
          ["ss_s1p1", convSecret(b, xs, ws, { stride: 1, padding: 1 }, spec([2, 3, 6, 6]))],
          ["ss_s2p0", convSecret(b, xs, ws, { stride: 2, padding: 0 }, spec([2, 3, 2, 2]))],
          ["sp_s1p0", convPublic(b, xs, wPub, { stride: 1, padding: 0 }, spec([2, 3, 4, 4]), "right")],
          ["ps_s2p1", convPublic(b, ws, xPub, { stride: 2, padding: 1 }, spec([2, 3, 3, 3]), "left")],
          // private operands: x at alice with shared w; shared x with w at bob; both private
          ["pv_x", convPrivate(b, x!, ws, { stride: 1, padding: 1 }, spec([2, 3, 6, 6]))],
          ["pv_w", convPrivate(b, xs, wp!, { stride: 2, padding: 1 }, spec([2, 3, 3, 3]))],
          ["pv_xw", convPrivate(b, x!, wp!, { stride: 1, padding: 0 }, spec([2, 3, 4, 4]))],
          ["avg2", avgPool(b, xs, { kernel: 2, stride: 2 }, spec([2, 2, 3, 3]))],
          ["avg3", avgPool(b, xs, { kernel: 3, stride: 1 }, spec([2, 2, 4, 4]))],
          ["avg1", avgPool(b, xs, { kernel: 1, stride: 2 }, spec([2, 2, 3, 3]))],
          ["windows", poolWindows(b, xs, { kernel: 2, stride: 2 })],
        ];
        for (const [name, v] of outs) b.output(revealTo(b, v, ["alice"]), name, ["alice"]);
      },
    );
    const x = tensor(gridData(size(XS), 4, 31), XS);
    const w = tensor(gridData(size(WS), 1, 32), WS);
    const wp = tensor(gridData(size(WS), 1, 33), WS);
    const xp = tensor(gridData(size(XS), 4, 34), XS);
    const r = await runInThread(plan, new Map([["alice.x", x], [`${last}.w`, w], ["bob.wp", wp], ["bob.xp", xp]]));
    const got = r.outputs.get("alice")!;
    const conv = (a: ClearTensor, k: ClearTensor, stride: number, padding: number): ClearTensor => clear("conv2d", [a, k], { stride, padding });
    const want: Record<string, [ClearTensor, number]> = {
      ss_s1p1: [conv(x, w, 1, 1), 2 * ULP],
      ss_s2p0: [conv(x, w, 2, 0), 2 * ULP],
      sp_s1p0: [conv(x, wp, 1, 0), 2 * ULP],
      ps_s2p1: [conv(xp, w, 2, 1), 2 * ULP],
      pv_x: [conv(x, w, 1, 1), 2 * ULP],
      pv_w: [conv(x, wp, 2, 1), 2 * ULP],
      pv_xw: [conv(x, wp, 1, 0), 2 * ULP],
      avg2: [clear("avg_pool2d", [x], { kernel: 2, stride: 2 }), 2 * ULP],
      avg3: [clear("avg_pool2d", [x], { kernel: 3, stride: 1 }), 4 * 2 ** -21 + 2 * ULP],
      avg1: [clear("avg_pool2d", [x], { kernel: 1, stride: 2 }), 0],
    };
    for (const [name, [wt, tol]] of Object.entries(want)) {
      const g = got.get(name)!;
      t.deepEqual(g.shape, wt.shape, name);
      t.true(maxAbsDiff(g.data, wt.data) <= tol, `${name}: ${maxAbsDiff(g.data, wt.data)} > ${tol}`);
    }
    const win = got.get("windows")!;
    t.deepEqual(win.shape, [2, 2, 3, 3, 4]);
    t.is(win.data[0], x.data[0]);
    t.is(win.data[3], x.data[7]); // window (0, 0): rows 0-1, columns 0-1 of a 6-wide plane
    // one round for all products and sends, then the truncations (n > 2) and the reveal
    t.is(r.stats.rounds, plan.rounds);
    // 5 conv triples, plus a truncation pair per truncation with more than two parties
    // (7 convolutions, avg2, avg3's multiply by 1/9)
    t.is(r.stats.dealerItems, 5 + (n > 2 ? 9 : 0));
  });
}

test("the private-operand convolution sends the masked operands between their owners only", async (t) => {
  const parties = ["alice", "bob", "carol"];
  const plan = buildPlan(
    parties,
    [
      { party: "alice", name: "x", shape: [1, 1, 5, 5] },
      { party: "bob", name: "w", shape: [2, 1, 3, 3] },
    ],
    (b, [x, w]) => {
      const z = convPrivate(b, x!, w!, { stride: 1, padding: 0 }, { elem: "fixed", shape: [1, 2, 3, 3] });
      b.output(revealTo(b, z, ["alice"]), "z", ["alice"]);
    },
  );
  const x = tensor(gridData(25, 4, 41), [1, 1, 5, 5]);
  const w = tensor(gridData(18, 1, 42), [2, 1, 3, 3]);
  const r = await runInThread(plan, new Map([["alice.x", x], ["bob.w", w]]));
  const want = clear("conv2d", [x, w], { stride: 1, padding: 0 });
  t.true(maxAbsDiff(r.outputs.get("alice")!.get("z")!.data, want.data) <= 2 * ULP);
  // carol owns neither operand: she sends only in the truncation and the reveal
  const carol = r.stats.perPair.filter((p) => p.from === "carol");
  t.true(carol.every((p) => p.messages === (p.to === "alice" ? 2 : 1)), JSON.stringify(carol));
});
