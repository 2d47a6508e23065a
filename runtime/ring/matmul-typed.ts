// The typed-array ring matmul kernel: exact Z_2^64 GEMM as a plain JS loop over
// BigUint64Array, which V8 compiles to native 64-bit multiply-adds. No BigInt is allocated in
// the inner loop. Never uses floats.

/** A 2-D kernel: row-major a [n, k] times b [k, m] -> fresh [n, m], all mod 2^64. */
export type Matmul2d = (a: BigUint64Array, b: BigUint64Array, n: number, k: number, m: number) => BigUint64Array;

/**
 * i-k-j order, 8 inner-dimension steps per pass: eight a[i, p..p+7] are held in registers and
 * the inner loop streams eight rows of b into one row of c, so each c element is loaded and
 * stored once per 8 multiply-adds. V8 keeps every value of the inner loop as a raw int64
 * (typed-array loads, wrapping `BigInt.asUintN(64, …)` arithmetic, a typed-array store).
 * Measured (Node 20, one core, shared 2-core machine, 128^3..1024^3): ~1.8-1.9 G ring MAC/s
 * for this form, against ~0.7 G for one step per pass, ~0.27 G for transposed-b dot products
 * (V8 boxes a BigInt accumulator that lives across iterations), and 1.0-1.6 G for 4 steps or
 * 2 rows x 4 steps. Column or row blocking did not help (b stays in the 32 MiB L3 up to
 * 1024^2) and 16 steps per pass was slower at 512^3, so the loop is unblocked.
 */
export function typedMatmul(a: BigUint64Array, b: BigUint64Array, n: number, k: number, m: number): BigUint64Array {
  const c = new BigUint64Array(n * m);
  for (let i = 0; i < n; i++) {
    const ci = i * m;
    const ai = i * k;
    let p = 0;
    for (; p + 7 < k; p += 8) {
      const x0 = a[ai + p]!;
      const x1 = a[ai + p + 1]!;
      const x2 = a[ai + p + 2]!;
      const x3 = a[ai + p + 3]!;
      const x4 = a[ai + p + 4]!;
      const x5 = a[ai + p + 5]!;
      const x6 = a[ai + p + 6]!;
      const x7 = a[ai + p + 7]!;
      const b0 = p * m;
      const b1 = b0 + m;
      const b2 = b1 + m;
      const b3 = b2 + m;
      const b4 = b3 + m;
      const b5 = b4 + m;
      const b6 = b5 + m;
      const b7 = b6 + m;
      for (let j = 0; j < m; j++) {
        c[ci + j] = BigInt.asUintN(
          64,
          c[ci + j]! +
            x0 * b[b0 + j]! +
            x1 * b[b1 + j]! +
            x2 * b[b2 + j]! +
            x3 * b[b3 + j]! +
            x4 * b[b4 + j]! +
            x5 * b[b5 + j]! +
            x6 * b[b6 + j]! +
            x7 * b[b7 + j]!,
        );
      }
    }
    for (; p < k; p++) {
      const x = a[ai + p]!;
      const bp = p * m;
      for (let j = 0; j < m; j++) c[ci + j] = BigInt.asUintN(64, c[ci + j]! + x * b[bp + j]!);
    }
  }
  return c;
}
