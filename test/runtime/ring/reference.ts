// BigInt reference for ring tests: values, deterministic pseudo-random fills (splitmix64, so a
// failure reproduces), the worst-case fills, and a plain broadcasting/indexing model written
// independently of runtime/ring.

export const M64 = (1n << 64n) - 1n;
export const u64 = (x: bigint): bigint => BigInt.asUintN(64, x);
export const s64 = (x: bigint): bigint => BigInt.asIntN(64, x);

/** Edge values: the worst cases for carries, signs and limb splits. */
export const EDGES: readonly bigint[] = [
  0n,
  1n,
  2n,
  M64, // -1
  1n << 63n,
  (1n << 63n) - 1n,
  (1n << 32n) + 1n,
  (1n << 32n) - 1n,
  1n << 32n,
  1n << 31n,
  0xffffffff00000000n,
  0x7f7f7f7f7f7f7f7fn,
  0x8080808080808080n,
  0x8000000080000000n,
  0x00000000ffffffffn,
  0xfffffffffffffffen,
  0x0123456789abcdefn,
  0xfedcba9876543210n,
  0x00ff00ff00ff00ffn,
  0xff00ff00ff00ff00n,
  (1n << 48n) + 5n,
];

/** The constant fills that break an inexact limb GEMM (research-kernels.md §2). */
export const WORST_FILLS: readonly bigint[] = [
  0x7f7f7f7f7f7f7f7fn,
  0x8080808080808080n,
  M64,
  1n << 63n,
  (1n << 63n) - 1n,
  (1n << 32n) + 1n,
  (1n << 32n) - 1n,
  0xffffffff00000000n,
];

export class Rand {
  private s: bigint;
  constructor(seed: number) {
    this.s = BigInt(seed) * 0x9e3779b97f4a7c15n;
  }
  next(): bigint {
    this.s = u64(this.s + 0x9e3779b97f4a7c15n);
    let z = this.s;
    z = u64((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n);
    z = u64((z ^ (z >> 27n)) * 0x94d049bb133111ebn);
    return z ^ (z >> 31n);
  }
  values(n: number): bigint[] {
    return Array.from({ length: n }, () => this.next());
  }
  int(max: number): number {
    return Number(this.next() % BigInt(max));
  }
}

export const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** Multi-index of a flat row-major index. */
export function unravel(i: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = i % shape[d]!;
    i = Math.floor(i / shape[d]!);
  }
  return idx;
}

export function ravel(idx: readonly number[], shape: readonly number[]): number {
  let f = 0;
  for (let d = 0; d < shape.length; d++) f = f * shape[d]! + idx[d]!;
  return f;
}

/** Element of a tensor (values, shape) at the broadcast index `idx` of `out`. */
export function atBroadcast(values: readonly bigint[], shape: readonly number[], idx: readonly number[]): bigint {
  const off = idx.length - shape.length;
  const own = shape.map((d, i) => (d === 1 ? 0 : idx[off + i]!));
  return values[ravel(own, shape)]!;
}

export function refBroadcastShape(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    out.push(x === 1 ? y : x);
  }
  return out;
}

export function refBinary(
  a: readonly bigint[],
  as: readonly number[],
  b: readonly bigint[],
  bs: readonly number[],
  f: (x: bigint, y: bigint) => bigint,
): { values: bigint[]; shape: number[] } {
  const shape = refBroadcastShape(as, bs);
  const values = Array.from({ length: sizeOf(shape) }, (_, i) => {
    const idx = unravel(i, shape);
    return u64(f(atBroadcast(a, as, idx), atBroadcast(b, bs, idx)));
  });
  return { values, shape };
}

/** [n,k] @ [k,m] mod 2^64 over BigInts. */
export function refMatmul(a: readonly bigint[], b: readonly bigint[], n: number, k: number, m: number): bigint[] {
  const out = new Array<bigint>(n * m).fill(0n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < m; j++) {
      let s = 0n;
      for (let p = 0; p < k; p++) s += a[i * k + p]! * b[p * m + j]!;
      out[i * m + j] = u64(s);
    }
  return out;
}
