// Reductions and shape ops on ring tensors: sum, transpose, reshape, broadcastTo, slice,
// concat, stack and im2col. All are exact (they only move or add ring elements), so they
// apply to shares locally: sum of shares = shares of the sum. Shape errors are RangeErrors
// naming the shapes; they never print element values.

import { type RingTensor, broadcastStrides, checkShape, forEachRun, sameShape, size, strides } from "./tensor.js";

function normAxis(axis: number, rank: number, what: string): number {
  const a = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(a) || a < 0 || a >= rank) throw new RangeError(`${what}: axis ${axis} is out of range for rank ${rank}`);
  return a;
}

/** Sum over one axis (or every element when axis is undefined: shape [], or [1,…,1] with keepdims). */
export function ringSum(a: RingTensor, axis?: number, keepdims = false): RingTensor {
  const x = a.data;
  if (axis === undefined) {
    let s = 0n;
    for (let i = 0; i < x.length; i++) s = BigInt.asUintN(64, s + x[i]!);
    const data = new BigUint64Array(1);
    data[0] = s;
    return { data, shape: keepdims ? a.shape.map(() => 1) : [] };
  }
  const ax = normAxis(axis, a.shape.length, "ringSum");
  const outer = size(a.shape.slice(0, ax));
  const n = a.shape[ax]!;
  const inner = size(a.shape.slice(ax + 1));
  const out = new BigUint64Array(outer * inner);
  for (let o = 0; o < outer; o++) {
    const base = o * n * inner;
    const ob = o * inner;
    for (let r = 0; r < n; r++) {
      const rb = base + r * inner;
      for (let i = 0; i < inner; i++) out[ob + i] = BigInt.asUintN(64, out[ob + i]! + x[rb + i]!);
    }
  }
  const shape = keepdims ? a.shape.map((d, i) => (i === ax ? 1 : d)) : a.shape.filter((_, i) => i !== ax);
  return { data: out, shape };
}

/** Permute axes (default: reverse them, as NumPy's transpose). */
export function ringTranspose(a: RingTensor, perm?: readonly number[]): RingTensor {
  const r = a.shape.length;
  const p = perm ? perm.map((d) => normAxis(d, r, "ringTranspose")) : a.shape.map((_, i) => r - 1 - i);
  if (p.length !== r || new Set(p).size !== r) throw new RangeError(`ringTranspose: [${perm?.join(", ")}] is not a permutation of ${r} axes`);
  const shape = p.map((d) => a.shape[d]!);
  const x = a.data;
  // 2-D fast path, blocked so both sides stay in cache
  if (r === 2 && p[0] === 1) {
    const [n, m] = a.shape as [number, number];
    const out = new BigUint64Array(n * m);
    const B = 32;
    for (let i0 = 0; i0 < n; i0 += B) {
      const i1 = Math.min(n, i0 + B);
      for (let j0 = 0; j0 < m; j0 += B) {
        const j1 = Math.min(m, j0 + B);
        for (let i = i0; i < i1; i++) for (let j = j0; j < j1; j++) out[j * n + i] = x[i * m + j]!;
      }
    }
    return { data: out, shape };
  }
  const src = strides(a.shape);
  const ps = p.map((d) => src[d]!);
  const out = new BigUint64Array(x.length);
  forEachRun(shape, ps, ps, (ia, ja, _ib, _jb, o, len) => {
    for (let t = 0; t < len; t++, ia += ja) out[o + t] = x[ia]!;
  });
  return { data: out, shape };
}

/** Same data, new shape (one dimension may be -1). Shares `data` with the input. */
export function ringReshape(a: RingTensor, shape: readonly number[]): RingTensor {
  const free = shape.filter((d) => d === -1).length;
  let s = [...shape];
  if (free > 1) throw new RangeError(`ringReshape: at most one -1 in [${shape.join(", ")}]`);
  if (free === 1) {
    const known = size(shape.filter((d) => d !== -1));
    if (known === 0 || a.data.length % known !== 0) {
      throw new RangeError(`ringReshape: cannot reshape [${a.shape.join(", ")}] to [${shape.join(", ")}]`);
    }
    s = shape.map((d) => (d === -1 ? a.data.length / known : d));
  }
  checkShape(s);
  if (size(s) !== a.data.length) {
    throw new RangeError(`ringReshape: cannot reshape [${a.shape.join(", ")}] (${a.data.length} elements) to [${shape.join(", ")}]`);
  }
  return { data: a.data, shape: s };
}

/** Repeat along broadcast dimensions (NumPy broadcast_to); a fresh tensor unless shapes match. */
export function ringBroadcastTo(a: RingTensor, shape: readonly number[]): RingTensor {
  checkShape(shape);
  if (sameShape(a.shape, shape)) return { data: a.data, shape: [...shape] };
  const sa = broadcastStrides(a.shape, shape);
  const out = new BigUint64Array(size(shape));
  const x = a.data;
  forEachRun(shape, sa, sa, (ia, ja, _ib, _jb, o, len) => {
    if (ja === 0) out.fill(x[ia]!, o, o + len);
    else for (let t = 0; t < len; t++, ia += ja) out[o + t] = x[ia]!;
  });
  return { data: out, shape: [...shape] };
}

/**
 * Slice per axis: `[start, end)` keeps the axis, a single index drops it. Axes beyond
 * `ranges.length` are kept whole. Negative starts/ends/indices count from the end.
 */
export function ringSlice(a: RingTensor, ranges: readonly ([number, number] | number)[]): RingTensor {
  const r = a.shape.length;
  if (ranges.length > r) throw new RangeError(`ringSlice: ${ranges.length} ranges for rank ${r}`);
  const starts: number[] = [];
  const lens: number[] = [];
  const keep: boolean[] = [];
  for (let d = 0; d < r; d++) {
    const dim = a.shape[d]!;
    const g = ranges[d];
    if (g === undefined) {
      starts.push(0), lens.push(dim), keep.push(true);
    } else if (typeof g === "number") {
      const i = g < 0 ? g + dim : g;
      if (!Number.isInteger(i) || i < 0 || i >= dim) throw new RangeError(`ringSlice: index ${g} is out of range for axis ${d} of size ${dim}`);
      starts.push(i), lens.push(1), keep.push(false);
    } else {
      const s = g[0] < 0 ? g[0] + dim : g[0];
      const e = g[1] < 0 ? g[1] + dim : g[1];
      if (!Number.isInteger(s) || !Number.isInteger(e) || s < 0 || e > dim || s > e) {
        throw new RangeError(`ringSlice: range [${g[0]}, ${g[1]}) is out of range for axis ${d} of size ${dim}`);
      }
      starts.push(s), lens.push(e - s), keep.push(true);
    }
  }
  const src = strides(a.shape);
  let base = 0;
  for (let d = 0; d < r; d++) base += starts[d]! * src[d]!;
  const out = new BigUint64Array(size(lens));
  const x = a.data;
  forEachRun(lens, src, src, (ia, ja, _ib, _jb, o, len) => {
    const from = base + ia;
    if (ja === 1) out.set(x.subarray(from, from + len), o);
    else for (let t = 0; t < len; t++) out[o + t] = x[from + t * ja]!;
  });
  return { data: out, shape: lens.filter((_, d) => keep[d]) };
}

/** Join along an existing axis; all other dimensions must match. */
export function ringConcat(list: readonly RingTensor[], axis: number): RingTensor {
  if (list.length === 0) throw new RangeError("ringConcat: no tensors");
  const first = list[0]!;
  const r = first.shape.length;
  const ax = normAxis(axis, r, "ringConcat");
  for (const t of list) {
    if (t.shape.length !== r || t.shape.some((d, i) => i !== ax && d !== first.shape[i])) {
      throw new RangeError(`ringConcat: shapes [${first.shape.join(", ")}] and [${t.shape.join(", ")}] differ outside axis ${axis}`);
    }
  }
  const outer = size(first.shape.slice(0, ax));
  const inner = size(first.shape.slice(ax + 1));
  const total = list.reduce((s, t) => s + t.shape[ax]!, 0);
  const shape = first.shape.map((d, i) => (i === ax ? total : d));
  const out = new BigUint64Array(size(shape));
  const row = total * inner;
  let col = 0;
  for (const t of list) {
    const w = t.shape[ax]! * inner;
    for (let o = 0; o < outer; o++) out.set(t.data.subarray(o * w, (o + 1) * w), o * row + col);
    col += w;
  }
  return { data: out, shape };
}

/** Join along a new axis; all shapes must be equal. */
export function ringStack(list: readonly RingTensor[], axis: number): RingTensor {
  if (list.length === 0) throw new RangeError("ringStack: no tensors");
  const s0 = list[0]!.shape;
  const ax = normAxis(axis, s0.length + 1, "ringStack");
  for (const t of list) {
    if (!sameShape(t.shape, s0)) throw new RangeError(`ringStack: shapes [${s0.join(", ")}] and [${t.shape.join(", ")}] differ`);
  }
  const expanded = [...s0.slice(0, ax), 1, ...s0.slice(ax)];
  return ringConcat(
    list.map((t) => ({ data: t.data, shape: expanded })),
    ax,
  );
}

export type Pair = number | readonly [number, number];
const pair = (p: Pair): [number, number] => (typeof p === "number" ? [p, p] : [p[0], p[1]]);

/** Output spatial size of a convolution / pooling window. */
export function convOutSize(h: number, w: number, kh: number, kw: number, stride: Pair, padding: Pair): [number, number] {
  const [sh, sw] = pair(stride);
  const [ph, pw] = pair(padding);
  return [Math.floor((h + 2 * ph - kh) / sh) + 1, Math.floor((w + 2 * pw - kw) / sw) + 1];
}

/**
 * im2col for conv2d as a ring matmul. x: [N, C, H, W] (NCHW, as PyTorch/CrypTen), zero padding.
 * Returns cols: [N, OH*OW, C*kh*kw], where row (oh*OW + ow) holds the receptive field of output
 * position (oh, ow) in the order c*kh*kw + i*kw + j, i.e. the order of a weight tensor
 * [OC, C, kh, kw] reshaped to [OC, C*kh*kw]. Then
 *   y = ringMatmul(cols, transpose(Wflat))   // [N, OH*OW, OC]
 *   y -> reshape [N, OH, OW, OC] -> transpose [0, 3, 1, 2] -> [N, OC, OH, OW].
 */
export function ringIm2col(x: RingTensor, kh: number, kw: number, stride: Pair = 1, padding: Pair = 0): RingTensor {
  if (x.shape.length !== 4) throw new RangeError(`ringIm2col: expected [N, C, H, W], got [${x.shape.join(", ")}]`);
  const [N, C, H, W] = x.shape as [number, number, number, number];
  const [sh, sw] = pair(stride);
  const [ph, pw] = pair(padding);
  if (!(sh >= 1 && sw >= 1 && ph >= 0 && pw >= 0 && kh >= 1 && kw >= 1)) {
    throw new RangeError(`ringIm2col: invalid kernel ${kh}x${kw}, stride ${sh}x${sw} or padding ${ph}x${pw}`);
  }
  const [OH, OW] = convOutSize(H, W, kh, kw, stride, padding);
  if (OH < 1 || OW < 1) throw new RangeError(`ringIm2col: kernel ${kh}x${kw} does not fit input ${H}x${W} with padding ${ph}x${pw}`);
  const K = C * kh * kw;
  const out = new BigUint64Array(N * OH * OW * K);
  const src = x.data;
  for (let n = 0; n < N; n++) {
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++) {
        let o = ((n * OH + oh) * OW + ow) * K;
        for (let c = 0; c < C; c++) {
          const plane = (n * C + c) * H * W;
          for (let i = 0; i < kh; i++) {
            const h = oh * sh - ph + i;
            for (let j = 0; j < kw; j++, o++) {
              const w = ow * sw - pw + j;
              if (h >= 0 && h < H && w >= 0 && w < W) out[o] = src[plane + h * W + w]!;
            }
          }
        }
      }
    }
  }
  return { data: out, shape: [N, OH * OW, K] };
}
