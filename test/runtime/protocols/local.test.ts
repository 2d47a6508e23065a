// Every local function, run at each of n = 2, 3, 4 parties on additive shares, reconstructs to
// the exact BigInt (or, for shape ops, the clear op's) result.

import test from "ava";
import { evalClearOp } from "../../../runtime/clear/index.js";
import { LOCAL_IMPLS } from "../../../runtime/protocols/local/index.js";
import { LOCAL_FNS } from "../../../runtime/protocols/spec/local-fns.js";
import { randomRing } from "../../../runtime/random/index.js";
import type { RingTensor } from "../../../runtime/ring/index.js";
import { mod, randomSigned, reconstruct, ring, runLocal, signed, split, values } from "./helpers.js";

const NS = [2, 3, 4];
const F = 16;

const full = (shape: number[]): RingTensor => ({ data: randomRing(shape.reduce((a, d) => a * d, 1)), shape });
const clear = (data: number[], shape: number[]) => ({ data: Float64Array.from(data), shape });
const enc = (v: number, bits = F): bigint => {
  const s = v * 2 ** bits;
  return mod(BigInt(s < 0 ? -Math.round(-s) : Math.round(s)));
};

/** Row-major index of a broadcast operand element for an output index. */
function bcast(shape: number[], out: number[], flat: number): number {
  const idx: number[] = [];
  let r = flat;
  for (let d = out.length - 1; d >= 0; d--) {
    idx.unshift(r % out[d]!);
    r = Math.floor(r / out[d]!);
  }
  let f = 0;
  const off = out.length - shape.length;
  for (let d = 0; d < shape.length; d++) f = f * shape[d]! + (shape[d] === 1 ? 0 : idx[off + d]!);
  return f;
}

function refMatmul(a: bigint[], b: bigint[], n: number, k: number, m: number): bigint[] {
  const out: bigint[] = [];
  for (let i = 0; i < n; i++)
    for (let j = 0; j < m; j++) {
      let s = 0n;
      for (let p = 0; p < k; p++) s += a[i * k + p]! * b[p * m + j]!;
      out.push(mod(s));
    }
  return out;
}

test("every local function named in the spec has an implementation, and no other", (t) => {
  t.deepEqual(Object.keys(LOCAL_IMPLS).sort(), Object.keys(LOCAL_FNS).sort());
});

for (const n of NS) {
  test(`add, sub, neg, sub_pair are exact (${n} parties, with broadcasting)`, (t) => {
    const x = full([3, 1]);
    const y = full([1, 4]);
    const xs = split(x, n);
    const ys = split(y, n);
    const [sum] = runLocal("add", n, (i) => [xs[i], ys[i]]);
    const [diff] = runLocal("sub", n, (i) => [xs[i], ys[i]]);
    const [negx] = runLocal("neg", n, (i) => [xs[i]]);
    const out = [3, 4];
    t.deepEqual(reconstruct(sum!).shape, out);
    t.deepEqual(
      values(reconstruct(sum!)),
      Array.from({ length: 12 }, (_, k) => mod(x.data[bcast([3, 1], out, k)]! + y.data[bcast([1, 4], out, k)]!)),
    );
    t.deepEqual(
      values(reconstruct(diff!)),
      Array.from({ length: 12 }, (_, k) => mod(x.data[bcast([3, 1], out, k)]! - y.data[bcast([1, 4], out, k)]!)),
    );
    t.deepEqual(values(reconstruct(negx!)), values(x).map((v) => mod(-v)));
    const a = full([3, 1]);
    const b = full([1, 4]);
    const [e, d] = runLocal("sub_pair", n, (i) => [xs[i], split(a, n)[i], ys[i], split(b, n)[i]]);
    t.is(e!.length, n);
    t.deepEqual(reconstruct(d!).shape, [1, 4]);
  });

  test(`sub_pair reconstructs to (x - a, y - b) (${n} parties)`, (t) => {
    const [x, a, y, b] = [full([5]), full([5]), full([2, 2]), full([2, 2])];
    const [xs, as, ys, bs] = [split(x, n), split(a, n), split(y, n), split(b, n)];
    const [e, d] = runLocal("sub_pair", n, (i) => [xs[i], as[i], ys[i], bs[i]]);
    t.deepEqual(values(reconstruct(e!)), values(x).map((v, k) => mod(v - a.data[k]!)));
    t.deepEqual(values(reconstruct(d!)), values(y).map((v, k) => mod(v - b.data[k]!)));
  });

  test(`add_public: only the holder adds; subtract modes; broadcast to attr shape (${n} parties)`, (t) => {
    const x = full([2, 1]);
    const xs = split(x, n);
    const c = clear([1.5, -2.25, 0.125, 3, -7, 0.5], [2, 3]);
    const holder = `p${n - 1}`;
    const out = [2, 3];
    for (const subtract of [undefined, "clear", "secret"] as const) {
      const attrs: Record<string, unknown> = { elem: "fixed", by: holder, shape: out, ...(subtract ? { subtract } : {}) };
      // only the holder is given c: the others must not need it
      const [z] = runLocal("add_public", n, (i) => [xs[i], i === n - 1 ? c : undefined], attrs);
      const want = Array.from({ length: 6 }, (_, k) => {
        const xv = x.data[bcast([2, 1], out, k)]!;
        const cv = enc(c.data[k]!);
        return mod(subtract === "clear" ? xv - cv : subtract === "secret" ? cv - xv : xv + cv);
      });
      t.deepEqual(values(reconstruct(z!)), want, `subtract=${subtract}`);
    }
    // int elements are added as integers; without `by`, party 0 adds
    const [zi] = runLocal("add_public", n, (i) => [xs[i], clear([5, -3], [2, 1])], { elem: "int", shape: [2, 1] });
    t.deepEqual(values(reconstruct(zi!)), [mod(x.data[0]! + 5n), mod(x.data[1]! - 3n)]);
  });

  test(`mul_public, reciprocal, mul_const, lshift are exact (${n} parties)`, (t) => {
    const x = full([4]);
    const xs = split(x, n);
    const c = clear([0.5, -1.75, 3, 1e-3], [4]);
    const [z] = runLocal("mul_public", n, (i) => [xs[i], c], { elem: "fixed" });
    t.deepEqual(values(reconstruct(z!)), values(x).map((v, k) => mod(v * enc(c.data[k]!))));
    const [zi] = runLocal("mul_public", n, (i) => [xs[i], clear([7], [])], { elem: "int" });
    t.deepEqual(values(reconstruct(zi!)), values(x).map((v) => mod(v * 7n)));
    const [zr] = runLocal("mul_public", n, (i) => [xs[i], c], { elem: "fixed", reciprocal: true, bits: 24 });
    t.deepEqual(values(reconstruct(zr!)), values(x).map((v, k) => mod(v * enc(1 / c.data[k]!, 24))));
    const [zc] = runLocal("mul_const", n, (i) => [xs[i]], { value: -0.3, bits: 18 });
    t.deepEqual(values(reconstruct(zc!)), values(x).map((v) => mod(v * enc(-0.3, 18))));
    const [zl] = runLocal("lshift", n, (i) => [xs[i]], { bits: 16 });
    t.deepEqual(values(reconstruct(zl!)), values(x).map((v) => mod(v << 16n)));
  });

  test(`matmul_public on either side is exact (${n} parties)`, (t) => {
    const x = full([3, 4]);
    const xs = split(x, n);
    const cr = clear([1, -2, 0.5, 3, 0.25, -1, 2, 2], [4, 2]);
    const [zr] = runLocal("matmul_public", n, (i) => [xs[i], cr], { elem: "fixed", side: "right" });
    t.deepEqual(values(reconstruct(zr!)), refMatmul(values(x), [...cr.data].map((v) => enc(v)), 3, 4, 2));
    const cl = clear([1, 2, 3, -4, -5, 6], [2, 3]);
    const [zl] = runLocal("matmul_public", n, (i) => [xs[i], cl], { elem: "int", side: "left" });
    t.deepEqual(values(reconstruct(zl!)), refMatmul([...cl.data].map((v) => mod(BigInt(v))), values(x), 2, 3, 4));
  });

  test(`beaver_mul gives shares of x*y, same shape and broadcast (${n} parties)`, (t) => {
    for (const [sx, sy, so] of [
      [[6], [6], [6]],
      [[3, 1], [1, 4], [3, 4]],
    ] as number[][][]) {
      const [x, y, a, b] = [full(sx!), full(sy!), full(sx!), full(sy!)];
      const csize = so!.reduce((p, d) => p * d, 1);
      const cfull = ring(
        Array.from({ length: csize }, (_, k) => a.data[bcast(sx!, so!, k)]! * b.data[bcast(sy!, so!, k)]!),
        so!,
      );
      const [as, bs, cs] = [split(a, n), split(b, n), split(cfull, n)];
      const e = ring(values(x).map((v, k) => v - a.data[k]!), sx!);
      const d = ring(values(y).map((v, k) => v - b.data[k]!), sy!);
      const [z] = runLocal("beaver_mul", n, (i) => [e, d, as[i], bs[i], cs[i]]);
      const want = Array.from({ length: csize }, (_, k) => mod(x.data[bcast(sx!, so!, k)]! * y.data[bcast(sy!, so!, k)]!));
      t.deepEqual(values(reconstruct(z!)), want);
    }
  });

  test(`beaver_square gives shares of x^2 (${n} parties)`, (t) => {
    const [x, a] = [full([7]), full([7])];
    const a2 = ring(values(a).map((v) => v * v), [7]);
    const [as, a2s] = [split(a, n), split(a2, n)];
    const e = ring(values(x).map((v, k) => v - a.data[k]!), [7]);
    const [z] = runLocal("beaver_square", n, (i) => [e, as[i], a2s[i]]);
    t.deepEqual(values(reconstruct(z!)), values(x).map((v) => mod(v * v)));
  });

  test(`beaver_matmul gives shares of x@y, 2-d and batched (${n} parties)`, (t) => {
    for (const [sx, sy, so] of [
      [[3, 4], [4, 2], [3, 2]],
      [[2, 3, 4], [4, 5], [2, 3, 5]],
    ] as number[][][]) {
      const [x, y, A, B] = [full(sx!), full(sy!), full(sx!), full(sy!)];
      const rows = sx!.slice(0, -1).reduce((p, d) => p * d, 1);
      const [k, m] = [sy![0]!, sy![1]!];
      const C = ring(refMatmul(values(A), values(B), rows, k, m), so!);
      const [As, Bs, Cs] = [split(A, n), split(B, n), split(C, n)];
      const E = ring(values(x).map((v, q) => v - A.data[q]!), sx!);
      const D = ring(values(y).map((v, q) => v - B.data[q]!), sy!);
      const [z] = runLocal("beaver_matmul", n, (i) => [E, D, As[i], Bs[i], Cs[i]]);
      const r = reconstruct(z!);
      t.deepEqual(r.shape, so);
      t.deepEqual(values(r), refMatmul(values(x), values(y), rows, k, m));
    }
  });
}

for (const n of NS) {
  test(`mask_private and beaver_mul/matmul_private give shares of x*y and x@y for private x, y (${n} parties)`, (t) => {
    // x private to the last party, y to party 0: b is known to party 0 only, a to the last
    const [P, Q] = [n - 1, 0];
    const owner = { x_owner: `p${P}`, b_owner: `p${Q}` };
    for (const [sx, sy, so, fn] of [
      [[2, 3], [2, 3], [2, 3], "beaver_mul_private"],
      [[4, 1], [1, 3], [4, 3], "beaver_mul_private"],
      [[2, 3], [3, 4], [2, 4], "beaver_matmul_private"],
    ] as [number[], number[], number[], string][]) {
      const xv = clear(Array.from({ length: sx.reduce((a, d) => a * d, 1) }, (_, i) => i / 4 - 1), sx);
      const yv = clear(Array.from({ length: sy.reduce((a, d) => a * d, 1) }, (_, i) => 0.5 - i / 8), sy);
      const a = full(sx);
      const b = full(sy);
      const X = ring([...xv.data].map((v) => enc(v)), sx);
      const Y = ring([...yv.data].map((v) => enc(v)), sy);
      const prod = (u: RingTensor, v: RingTensor): bigint[] =>
        fn === "beaver_matmul_private"
          ? refMatmul(values(u), values(v), sx[0]!, sx[1]!, sy[1]!)
          : Array.from({ length: so.reduce((q, d) => q * d, 1) }, (_, k) => mod(u.data[bcast(sx, so, k)]! * v.data[bcast(sy, so, k)]!));
      const c = ring(prod(a, b), so);
      const cs = split(c, n);
      // the masks: only the owner computes E (resp. D); everyone else gets nothing
      const [E, Xenc] = runLocal("mask_private", n, (i) => [i === P ? xv : undefined, i === P ? a : undefined], { elem: "fixed", owner: `p${P}` });
      const [D] = runLocal("mask_private", n, (i) => [i === Q ? yv : undefined, i === Q ? b : undefined], { elem: "fixed", owner: `p${Q}` });
      t.deepEqual(E!.map((v, i) => (i === P ? "E" : v)), E!.map((_, i) => (i === P ? "E" : undefined)));
      t.deepEqual(values(E![P]!), values(X).map((v, k) => mod(v - a.data[k]!)));
      t.deepEqual(values(Xenc![P]!), values(X));
      const [z] = runLocal(fn, n, (i) => [i === P ? Xenc![P] : undefined, i === P ? D![Q] : undefined, i === Q ? E![P] : undefined, i === Q ? b : undefined, cs[i]], owner);
      t.deepEqual(values(reconstruct(z!)), prod(X, Y), `${fn} ${JSON.stringify([sx, sy])}`);
    }
  });
}

test("trunc_local (2 parties) gives floor(x / 2^f) or one more for |x| < 2^40", (t) => {
  const xs = randomSigned(20000, 40);
  xs.push(0n, -1n, 1n, (1n << 39n) - 1n, -(1n << 39n));
  for (const bits of [1, 16, 30]) {
    const x = ring(xs, [xs.length]);
    const sh = split(x, 2);
    const [z] = runLocal("trunc_local", 2, (i) => [sh[i]], { bits });
    const got = values(reconstruct(z!)).map(signed);
    let bad = 0;
    got.forEach((g, k) => {
      const d = g - (xs[k]! >> BigInt(bits));
      if (d !== 0n && d !== 1n) bad++;
    });
    t.is(bad, 0, `bits=${bits}`);
  }
});

for (const n of [3, 4]) {
  test(`trunc_mask/trunc_unmask give floor(x / 2^f) or one more for every |x| < 2^62 (${n} parties)`, (t) => {
    const xs = randomSigned(20000, 62);
    xs.push(0n, -1n, 1n, (1n << 62n) - 1n, -((1n << 62n) - 1n), 1n << 61n, -(1n << 61n));
    for (const bits of [0, 1, 16, 40]) {
      const len = xs.length;
      const r = full([len]);
      const rMsb = ring(values(r).map((v) => v >> 63n), [len]);
      const rLow = ring(values(r).map((v) => (v & ((1n << 63n) - 1n)) >> BigInt(bits)), [len]);
      const [xsh, rs, msbs, lows] = [split(ring(xs, [len]), n), split(r, n), split(rMsb, n), split(rLow, n)];
      const [masked] = runLocal("trunc_mask", n, (i) => [xsh[i], rs[i]]);
      const m = reconstruct(masked!);
      t.deepEqual(values(m), xs.map((v, k) => mod(v + (1n << 62n) + r.data[k]!)));
      const [z] = runLocal("trunc_unmask", n, (i) => [m, msbs[i], lows[i]], { bits });
      const got = values(reconstruct(z!)).map(signed);
      let bad = 0;
      got.forEach((g, k) => {
        const d = g - (xs[k]! >> BigInt(bits));
        if (d !== 0n && d !== 1n) bad++;
      });
      t.is(bad, 0, `bits=${bits}`);
    }
  });
}

// ---- shape ops against the clear op on the same (integer) values ----

const SHAPE_CASES: { fn: string; shapes: number[][]; attrs: Record<string, unknown> }[] = [
  { fn: "sum", shapes: [[2, 3, 4]], attrs: {} },
  { fn: "sum", shapes: [[2, 3, 4]], attrs: { axis: 1 } },
  { fn: "sum", shapes: [[2, 3, 4]], attrs: { axis: -1, keepdims: true } },
  { fn: "sum", shapes: [[2, 3, 4]], attrs: { axis: [0, 2] } },
  { fn: "sum", shapes: [[2, 3, 4]], attrs: { axis: [0, 2], keepdims: true } },
  { fn: "transpose", shapes: [[2, 3]], attrs: {} },
  { fn: "transpose", shapes: [[2, 3, 4]], attrs: { perm: [1, 2, 0] } },
  { fn: "transpose", shapes: [[2, 3, 4]], attrs: { perm: [-1, 0, 1] } },
  { fn: "reshape", shapes: [[2, 3, 4]], attrs: { shape: [4, -1] } },
  { fn: "flatten", shapes: [[2, 3, 4]], attrs: {} },
  { fn: "slice", shapes: [[4, 5]], attrs: { ranges: [[1, 3], [0, -1]] } },
  { fn: "slice", shapes: [[4, 5, 2]], attrs: { ranges: [2, [-3, 10]] } },
  { fn: "slice", shapes: [[4, 5]], attrs: { ranges: [[0, 4], [1, null]] } },
  { fn: "concat", shapes: [[2, 3], [2, 1], [2, 2]], attrs: { axis: 1 } },
  { fn: "concat", shapes: [[2, 3], [1, 3]], attrs: {} },
  { fn: "stack", shapes: [[2, 3], [2, 3]], attrs: { axis: -1 } },
  { fn: "stack", shapes: [[2, 3], [2, 3], [2, 3]], attrs: { axis: 1 } },
  { fn: "broadcast_to", shapes: [[3, 1]], attrs: { shape: [2, 3, 4] } },
];

for (const n of [2, 3]) {
  for (const c of SHAPE_CASES) {
    test(`${c.fn} ${JSON.stringify(c.attrs)} on shares matches the clear op (${n} parties)`, (t) => {
      const secrets = c.shapes.map((s) => {
        const vals = randomSigned(s.reduce((a, d) => a * d, 1), 30);
        return { ring: ring(vals, s), clear: { data: Float64Array.from(vals.map(Number)), shape: s } };
      });
      const shares = secrets.map((s) => split(s.ring, n));
      const [z] = runLocal(c.fn, n, (i) => shares.map((sh) => sh[i]), c.attrs);
      const r = reconstruct(z!);
      const want = evalClearOp(c.fn, secrets.map((s) => s.clear), c.attrs);
      t.deepEqual(r.shape, want.shape);
      t.deepEqual(values(r).map((v) => Number(signed(v))), [...want.data]);
    });
  }
}
