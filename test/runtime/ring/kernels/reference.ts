// BigInt reference and deterministic operands for the WebAssembly kernel tests, written
// independently of runtime/: exact integer sums reduced mod 2^64 only at the end, and a
// splitmix64 generator so a failing case reproduces from its seed.

export const MOD = 1n << 64n;

/** C = A @ B mod 2^64 with exact BigInt sums (no intermediate wraparound). */
export function refMatmul(a: BigUint64Array, b: BigUint64Array, n: number, k: number, m: number): BigUint64Array {
  const c = new BigUint64Array(n * m);
  const av = Array.from(a);
  const bv = Array.from(b);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      let s = 0n;
      for (let p = 0; p < k; p++) s += av[i * k + p]! * bv[p * m + j]!;
      c[i * m + j] = s % MOD;
    }
  }
  return c;
}

/** splitmix64: deterministic full-range 64-bit values. */
export function randomRing(len: number, seed: number): BigUint64Array {
  let state = BigInt(seed) * 0x9e3779b97f4a7c15n;
  const out = new BigUint64Array(len);
  for (let i = 0; i < len; i++) {
    state = (state + 0x9e3779b97f4a7c15n) % MOD;
    let z = state;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) % MOD;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) % MOD;
    out[i] = z ^ (z >> 31n);
  }
  return out;
}

/** Constant fills that maximise carries and sign effects in any limb or lane split. */
export const WORST_FILLS: readonly bigint[] = [
  0x7f7f7f7f7f7f7f7fn,
  0x8080808080808080n,
  0xffffffffffffffffn,
  1n << 63n,
  (1n << 63n) - 1n,
  0xffffffff00000000n,
  0x00000000ffffffffn,
];

export function filled(len: number, v: bigint): BigUint64Array {
  return new BigUint64Array(len).fill(v);
}

/** First index where two results differ, with both values, for a readable failure. */
export function firstDifference(got: BigUint64Array, want: BigUint64Array): string | undefined {
  if (got.length !== want.length) return `length ${got.length}, expected ${want.length}`;
  for (let i = 0; i < got.length; i++) {
    if (got[i] !== want[i]) return `element ${i}: got ${got[i]}, expected ${want[i]}`;
  }
  return undefined;
}
