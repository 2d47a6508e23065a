// Bit-slicing helpers for the vertical layout of the comparison protocol (see
// ../spec/binary-tables.ts): element k lives in lane k % 64 (bit k % 64) of word k / 64.
// Everything runs on the Int32Array view of BigUint64Array words (little-endian: int32 2w
// holds lanes 0-31 of word w, 2w + 1 lanes 32-63), where V8 keeps bit operations native.
// Shared by the parties (on the public opened value) and the dealer (on its random masks).
// Pure functions of their arguments; no randomness.

/** In-place transpose of a 32x32 bit matrix: row i is a[off + i], column j is bit j (LSB 0);
 *  afterwards bit j of row i is the former bit i of row j. */
export function transpose32(a: Int32Array, off: number): void {
  let m = 0x0000ffff;
  for (let j = 16; j !== 0; j >>>= 1, m ^= m << j) {
    for (let k = 0; k < 32; k = ((k | j) + 1) & ~j) {
      const x = a[off + k]!;
      const y = a[off + (k | j)]!;
      const t = ((x >>> j) ^ y) & m;
      a[off + k] = x ^ (t << j);
      a[off + (k | j)] = y ^ t;
    }
  }
}

const scratch = new Int32Array(32);

/**
 * The 64 words of elements base..base+63 (horizontal, int32 view `src`; elements at or after
 * `n` read as 0) as 64 vertical words: dst[2b + h] holds bit b of the elements in lanes
 * 32h..32h+31. dst must have 128 entries.
 */
export function transposeBlock(src: Int32Array, base: number, n: number, dst: Int32Array): void {
  for (let hb = 0; hb < 2; hb++) {
    // hb: which half of each element's bits (0: bits 0-31, 1: bits 32-63)
    for (let hl = 0; hl < 2; hl++) {
      // hl: which half of the lanes (0: elements base..base+31, 1: base+32..base+63)
      for (let l = 0; l < 32; l++) {
        const k = base + 32 * hl + l;
        scratch[l] = k < n ? src[2 * k + hb]! : 0;
      }
      transpose32(scratch, 0);
      for (let b = 0; b < 32; b++) dst[2 * (32 * hb + b) + hl] = scratch[b]!;
    }
  }
}

/** Bit of element k in a vertical array (int32 view) starting at int32 offset `off`. */
export function laneBit(v: Int32Array, off: number, k: number): number {
  return (v[off + 2 * (k >>> 6) + ((k >>> 5) & 1)]! >>> (k & 31)) & 1;
}

/** The lane masks of a 4-bit (or 3-bit) field: out[v] = lanes whose field equals v, from the
 *  field's bit words b0..b3 (one int32 half). */
export function fieldMasks4(b0: number, b1: number, b2: number, b3: number, out: Int32Array): void {
  const n0 = ~b0;
  const n1 = ~b1;
  const n2 = ~b2;
  const n3 = ~b3;
  const lo0 = n0 & n1;
  const lo1 = b0 & n1;
  const lo2 = n0 & b1;
  const lo3 = b0 & b1;
  // no temporary arrays: this runs per chunk per word
  let x = n2 & n3;
  out[0] = lo0 & x;
  out[1] = lo1 & x;
  out[2] = lo2 & x;
  out[3] = lo3 & x;
  x = b2 & n3;
  out[4] = lo0 & x;
  out[5] = lo1 & x;
  out[6] = lo2 & x;
  out[7] = lo3 & x;
  x = n2 & b3;
  out[8] = lo0 & x;
  out[9] = lo1 & x;
  out[10] = lo2 & x;
  out[11] = lo3 & x;
  x = b2 & b3;
  out[12] = lo0 & x;
  out[13] = lo1 & x;
  out[14] = lo2 & x;
  out[15] = lo3 & x;
}

export function fieldMasks3(b0: number, b1: number, b2: number, out: Int32Array): void {
  const n0 = ~b0;
  const n1 = ~b1;
  const n2 = ~b2;
  const lo0 = n0 & n1;
  const lo1 = b0 & n1;
  const lo2 = n0 & b1;
  const lo3 = b0 & b1;
  out[0] = lo0 & n2;
  out[1] = lo1 & n2;
  out[2] = lo2 & n2;
  out[3] = lo3 & n2;
  out[4] = lo0 & b2;
  out[5] = lo1 & b2;
  out[6] = lo2 & b2;
  out[7] = lo3 & b2;
}

/**
 * One-hot tables of the 4-bit chunks of r (n elements): word ((w * 16 + j) * 16 + v) has lane
 * l set iff chunk j (bits 4j..4j+3) of element 64w + l equals v. Returned as words [W, 16, 16].
 */
export function onehotTables(r: BigUint64Array, n: number): BigUint64Array {
  const w = Math.ceil(n / 64);
  const out = new BigUint64Array(w * 256);
  const o32 = new Int32Array(out.buffer);
  const src = new Int32Array(r.buffer, r.byteOffset, 2 * r.length);
  const vert = new Int32Array(128);
  const masks = new Int32Array(16);
  for (let blk = 0; blk < w; blk++) {
    transposeBlock(src, 64 * blk, n, vert);
    for (let h = 0; h < 2; h++) {
      for (let j = 0; j < 16; j++) {
        const b = 8 * j + h; // int32 index of bit 4j, half h
        fieldMasks4(vert[b]!, vert[b + 2]!, vert[b + 4]!, vert[b + 6]!, masks);
        const base = ((blk * 16 + j) * 16) * 2 + h;
        for (let v = 0; v < 16; v++) o32[base + 2 * v] = masks[v]!;
      }
    }
  }
  return out;
}
