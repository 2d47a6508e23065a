// The comparison protocols run as plans (every party and the dealer in this thread), against
// exact references: the sign and zero test of 64-bit values (BigInt), fixed-point comparisons
// on adversarial pairs (equal, one ulp apart, near the fixed-point bound, negatives, zero),
// relu / abs / sign exact on the encodings, max / min / argmax along each axis with ties
// (first index, as runtime/clear's argmax), select, clip; 2, 3 and 4 parties. Also the dealer's
// comparison item: its parts are consistent when the parties' shares are combined.

import test from "ava";
import { evalClearOp } from "../../../runtime/clear/index.js";
import { makeCorrections, partyShares } from "../../../runtime/dealer/index.js";
import { runInThread } from "../../../runtime/executor/index.js";
import type { PlanBuilder } from "../../../runtime/protocols/builder.js";
import { compareLayout, compareLevels } from "../../../runtime/protocols/spec/binary-tables.js";
import { revealTo } from "../../../runtime/protocols/spec/arithmetic.js";
import {
  absSecret,
  argmaxReduce,
  clipSecret,
  compareZero,
  isZero,
  lessThan,
  maxPair,
  maxReduce,
  minPair,
  minReduce,
  msbBit,
  reluSecret,
  selectSecret,
  signSecret,
} from "../../../runtime/protocols/spec/compare.js";
import { randomSeed } from "../../../runtime/random/index.js";
import type { Transport } from "../../../runtime/transport/index.js";
import { buildPlan, tensor } from "../executor/plans.js";
import { byteUniformity, chiSquareCritical, homogeneity, topBitsHistogram } from "./stats.js";

const F = 2 ** 16;
const ULP = 1 / F;
/** The largest fixed-point input magnitude at precision 16 (|v| < 2^15). */
const BIG = 2 ** 15 - ULP;

const PARTIES = ["p0", "p1", "p2", "p3"];
const enc = (v: number): number => Math.round(v * F) / F;

/** Run `f` on shared inputs (x owned by p0, y by p1) and reveal its outputs to p0. */
async function run(
  n: number,
  inputs: { name: string; data: number[]; shape: number[]; elem?: "fixed" | "int" | "bool" }[],
  f: (b: PlanBuilder, xs: string[]) => Record<string, string>,
): Promise<Map<string, number[]>> {
  const parties = PARTIES.slice(0, n);
  const owner = (i: number): string => parties[i % n]!;
  const plan = buildPlan(
    parties,
    inputs.map((x, i) => ({ party: owner(i), name: x.name, shape: x.shape, elem: x.elem ?? "fixed" })),
    (b, ins) => {
      const shared = ins.map((v, i) => b.share(v, owner(i)));
      for (const [name, v] of Object.entries(f(b, shared))) b.output(revealTo(b, v, ["p0"]), name, ["p0"]);
    },
  );
  const data = new Map(inputs.map((x, i) => [`${owner(i)}.${x.name}`, tensor(x.data, x.shape)]));
  const r = await runInThread(plan, data);
  return new Map([...r.outputs.get("p0")!].map(([k, v]) => [k, [...v.data]]));
}

/** Adversarial fixed-point pairs. */
function pairs(): [number[], number[]] {
  const xs: number[] = [];
  const ys: number[] = [];
  const add = (x: number, y: number): void => {
    xs.push(x, y);
    ys.push(y, x);
  };
  add(0, 0);
  add(1.5, 1.5);
  add(-3.25, -3.25);
  add(0, ULP);
  add(-ULP, 0);
  add(2.5, 2.5 + ULP);
  add(-7, -7 - ULP);
  add(BIG, BIG - ULP);
  add(-BIG, -BIG + ULP);
  add(BIG, -BIG);
  add(BIG, BIG);
  add(-BIG, 0);
  add(enc(123.456), enc(-0.001));
  // seeded pseudo-random pairs over the whole range and close together
  let s = 12345;
  const rnd = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
  for (let i = 0; i < 60; i++) {
    const x = enc((rnd() * 2 - 1) * BIG);
    add(x, i % 2 ? enc(x + (rnd() - 0.5) * 8 * ULP) : enc((rnd() * 2 - 1) * BIG));
  }
  return [xs, ys];
}

for (const n of [2, 3, 4]) {
  test(`lt le gt ge eq ne on adversarial fixed-point pairs, ${n} parties: exact`, async (t) => {
    const [xs, ys] = pairs();
    const len = xs.length;
    const out = await run(
      n,
      [
        { name: "x", data: xs, shape: [len] },
        { name: "y", data: ys, shape: [len] },
      ],
      (b, [x, y]) => {
        const lt = lessThan(b, x!, y!);
        const gt = lessThan(b, y!, x!);
        const d = b.local("sub", [x!, y!], {}, [{ elem: "fixed", shape: [len] }])[0]!;
        const r = compareZero(b, d, { lt: true, eq: true });
        return { lt, gt, lt2: r.lt!, eq: r.eq!, eq2: isZero(b, d) };
      },
    );
    for (const [name, op] of [
      ["lt", "lt"],
      ["gt", "gt"],
      ["lt2", "lt"],
      ["eq", "eq"],
      ["eq2", "eq"],
    ] as const) {
      const want = evalClearOp(op, [tensor(xs, [len]), tensor(ys, [len])]).data;
      t.deepEqual(out.get(name), [...want], name);
    }
  });
}

test("the sign and zero test of any 64-bit value, 2 parties: the msb as BigInt", async (t) => {
  // int inputs times 2^11 reach every top-bit pattern, including wrap-around past 2^63
  const vals = [0, 1, -1, 2 ** 52 - 1, -(2 ** 52), 2 ** 52 - 2 ** 40, 2 ** 51, -(2 ** 51) - 1, 42, -42, 2 ** 32, -(2 ** 32)];
  const len = vals.length;
  const out = await run(2, [{ name: "x", data: vals, shape: [len], elem: "int" }], (b, [x]) => {
    const big = b.local("mul_const", [x!], { value: 2048, bits: 0 }, [{ elem: "int", shape: [len] }])[0]!;
    return { msb: msbBit(b, big), zero: isZero(b, big) };
  });
  const msb = vals.map((v) => (BigInt.asIntN(64, BigInt(v) * 2048n) < 0n ? 1 : 0));
  t.deepEqual(out.get("msb"), msb);
  t.deepEqual(
    out.get("zero"),
    vals.map((v) => (v === 0 ? 1 : 0)),
  );
});

for (const n of [2, 3]) {
  test(`relu, abs, sign, max, min, clip on adversarial values, ${n} parties: exact on the encodings`, async (t) => {
    const [xs, ys] = pairs();
    const len = xs.length;
    const out = await run(
      n,
      [
        { name: "x", data: xs, shape: [len] },
        { name: "y", data: ys, shape: [len] },
      ],
      (b, [x, y]) => {
        const lo = b.clear("const", [], { value: -2.5 }, PARTIES.slice(0, n), { elem: "fixed", shape: [] });
        const hi = b.clear("const", [], { value: 100 }, PARTIES.slice(0, n), { elem: "fixed", shape: [] });
        return {
          relu: reluSecret(b, x!),
          abs: absSecret(b, x!),
          sign: signSecret(b, x!, "fixed"),
          isign: signSecret(b, x!, "int"),
          max: maxPair(b, x!, y!),
          min: minPair(b, x!, y!),
          clip: clipSecret(b, x!, lo, hi),
        };
      },
    );
    const X = tensor(xs, [len]);
    t.deepEqual(out.get("relu"), [...evalClearOp("relu", [X]).data]);
    t.deepEqual(out.get("abs"), [...evalClearOp("abs", [X]).data]);
    t.deepEqual(out.get("sign"), [...evalClearOp("sign", [X]).data]);
    t.deepEqual(out.get("isign"), [...evalClearOp("sign", [X]).data]);
    t.deepEqual(
      out.get("max"),
      xs.map((v, i) => Math.max(v, ys[i]!)),
    );
    t.deepEqual(
      out.get("min"),
      xs.map((v, i) => Math.min(v, ys[i]!)),
    );
    t.deepEqual(out.get("clip"), [...evalClearOp("clip", [X], { min: -2.5, max: 100 }).data]);
  });
}

/** Rows with ties in every position pattern. */
const M = [
  [3, 1, 3, 2, -5],
  [0, 0, 0, 0, 0],
  [-1, -2, -3, -4, -0.5],
  [ULP, 2 * ULP, 2 * ULP, -1, -1],
  [-BIG, -BIG, BIG, BIG, -BIG],
  [7, 7, 7, 7, 8],
];

for (const n of [2, 3, 4]) {
  test(`max, min and argmax along each axis and over everything, ties to the first index, ${n} parties: as the plaintext reference`, async (t) => {
    const rows = M.length;
    const cols = M[0]!.length;
    const flat = M.flat();
    const out = await run(n, [{ name: "x", data: flat, shape: [rows, cols] }], (b, [x]) => ({
      max1: maxReduce(b, x!, 1),
      max0k: maxReduce(b, x!, 0, true),
      min1: minReduce(b, x!, -1),
      minAll: minReduce(b, x!, undefined),
      am1: argmaxReduce(b, x!, 1),
      am0: argmaxReduce(b, x!, 0),
      amAll: argmaxReduce(b, x!, undefined),
    }));
    const X = tensor(flat, [rows, cols]);
    const ref = (op: string, attrs: Record<string, unknown>): number[] => [...evalClearOp(op, [X], attrs).data];
    t.deepEqual(out.get("max1"), ref("max", { axis: 1 }));
    t.deepEqual(out.get("max0k"), ref("max", { axis: 0, keepdims: true }));
    t.deepEqual(out.get("min1"), ref("min", { axis: -1 }));
    t.deepEqual(out.get("minAll"), ref("min", {}));
    t.deepEqual(out.get("am1"), ref("argmax", { axis: 1 }));
    t.deepEqual(out.get("am0"), ref("argmax", { axis: 0 }));
    t.deepEqual(out.get("amAll"), ref("argmax", {}));
  });
}

test("select with a secret condition from a comparison, 2 and 3 parties", async (t) => {
  const xs = [1.5, -2, 0, 3.25, -0.5];
  const ys = [-1, -2, 0.5, 10, -0.25];
  for (const n of [2, 3]) {
    const out = await run(
      n,
      [
        { name: "x", data: xs, shape: [5] },
        { name: "y", data: ys, shape: [5] },
      ],
      (b, [x, y]) => ({ sel: selectSecret(b, lessThan(b, x!, y!), x!, y!) }),
    );
    t.deepEqual(
      out.get("sel"),
      xs.map((v, i) => (v < ys[i]! ? v : ys[i]!)),
    );
  }
});

for (const n of [2, 3]) {
  test(`dealer, ${n} parties: the comparison item's parts are consistent`, (t) => {
    const attrs = { n: 130, lt: true, eq: true, zprod: true, ops: 1 };
    const seeds = Array.from({ length: n }, () => randomSeed());
    const corr = makeCorrections("compare", attrs, "dealer/c", seeds);
    const layout = compareLayout(attrs);
    const binaryNames = new Set(["onehot", "u1", "u1_sets", "u2", "u2_sets", "s"]);
    const per = seeds.map((s, i) => partyShares("compare", attrs, "dealer/c", s, i === n - 1 ? corr : undefined, i).map((x) => x!.data));
    const full = new Map(
      layout.map((o, k) => {
        const out = new BigUint64Array(per[0]![k]!.length);
        for (const p of per) for (let i = 0; i < out.length; i++) out[i] = binaryNames.has(o.name) ? out[i]! ^ p[k]![i]! : BigInt.asUintN(64, out[i]! + p[k]![i]!);
        return [o.name, out];
      }),
    );
    const get = (name: string): BigUint64Array => full.get(name)!;
    const r = get("r");
    // bit of element k in vertical words starting at word `off`
    const lane = (v: BigUint64Array, off: number, k: number): bigint => (v[off + Math.floor(k / 64)]! >> BigInt(k % 64)) & 1n;
    const wordBit = (v: BigUint64Array, word: number, l: number): bigint => (v[word]! >> BigInt(l)) & 1n;
    const w = Math.ceil(130 / 64);
    for (let k = 0; k < 130; k++) {
      for (let j = 0; j < 16; j++) {
        const chunk = Number((r[k]! >> BigInt(4 * j)) & 15n);
        for (let v = 0; v < 16; v++) {
          if (wordBit(get("onehot"), (Math.floor(k / 64) * 16 + j) * 16 + v, k % 64) !== (v === chunk ? 1n : 0n)) return t.fail(`one-hot ${k} ${j} ${v}`);
        }
      }
      const s0 = lane(get("s"), 0, k);
      t.is(get("s_arith")[k], s0);
      t.is(get("s_arith")[130 + k], lane(get("s"), w, k));
      t.is(get("r_s")[k], s0 ? r[k] : 0n);
      t.is(get("a0_s")[k], s0 ? get("a0")[k] : 0n);
    }
    const lv = compareLevels(attrs);
    const u1 = get("u1");
    const len1 = 4 * w;
    lv.level1.sets.forEach((set, j) => {
      for (let q = 0; q < len1; q++) {
        let want = (1n << 64n) - 1n;
        for (let i = 0; i < lv.level1.rows.length; i++) if (set & (1 << i)) want &= u1[i * len1 + q]!;
        if (get("u1_sets")[j * len1 + q] !== want) return t.fail(`u1 set ${set}`);
      }
    });
    t.pass();
  });
}

for (const parties of [["alice", "bob"], ["alice", "bob", "carol"]]) {
  test(`bob's received frames during a relu are uniform and do not depend on alice's secret (${parties.length} parties)`, async (t) => {
    const N = 40_000; // 625 full vertical words: no padding lanes
    const viewOf = async (x: Float64Array): Promise<BigUint64Array[]> => {
      const plan = buildPlan(parties, [{ party: "alice", name: "x", shape: [N] }], (b, [xi]) => {
        reluSecret(b, b.share(xi!, "alice"));
      });
      const frames: BigUint64Array[] = [];
      const wrap = (party: string, tr: Transport): Transport => {
        if (party !== "bob") return tr;
        return {
          self: tr.self,
          send: (peer, tag, payload) => tr.send(peer, tag, payload),
          receive: async (peer, tag) => {
            const payload = await tr.receive(peer, tag);
            for (const b of payload) frames.push(new BigUint64Array(b.slice(0)));
            return payload;
          },
          receiveNext: (peer, what) => tr.receiveNext(peer, what),
          stats: () => tr.stats(),
          close: () => tr.close(),
        };
      };
      await runInThread(plan, new Map([["alice.x", tensor(x, [N])]]), { wrapTransport: wrap });
      return frames;
    };
    const zeros = await viewOf(new Float64Array(N));
    const large = await viewOf(new Float64Array(N).fill(-12345.678));
    // 4 rounds, one frame from each other party per round
    t.is(zeros.length, 4 * (parties.length - 1));
    t.is(large.length, zeros.length);
    const crit255 = chiSquareCritical(255);
    const crit63 = chiSquareCritical(63);
    zeros.forEach((f, k) => {
      t.true(byteUniformity(f) < crit255, `frame ${k} (x = 0) uniform`);
      t.true(byteUniformity(large[k]!) < crit255, `frame ${k} (x large) uniform`);
      const h = homogeneity(topBitsHistogram(f, 6), topBitsHistogram(large[k]!, 6));
      t.true(h < crit63, `frame ${k}: distribution differs with the secret (chi2 ${h.toFixed(1)} >= ${crit63.toFixed(1)})`);
    });
  });
}

test("max, min and argmax over long axes with many ties (tree levels, then all pairs): as the plaintext reference", async (t) => {
  // lengths that take 0, 1 and 2 tree levels before the all-pairs stage, small ints: many ties
  for (const len of [7, 12, 23]) {
    const rows = 3;
    const data = Array.from({ length: rows * len }, (_, i) => ((i * 7919) % 5) - 2 + (i % 3 === 0 ? 0.5 : 0));
    const out = await run(2, [{ name: "x", data, shape: [rows, len] }], (b, [x]) => ({
      max: maxReduce(b, x!, 1),
      min: minReduce(b, x!, 1),
      am: argmaxReduce(b, x!, 1),
    }));
    const X = tensor(data, [rows, len]);
    for (const [name, op] of [
      ["max", "max"],
      ["min", "min"],
      ["am", "argmax"],
    ] as const) {
      t.deepEqual(out.get(name), [...evalClearOp(op, [X], { axis: 1 }).data], `${name} over ${len}`);
    }
  }
});
