// The dealer's side of the binary-sharing items (runtime/protocols/spec/binary-tables.ts):
// bin_triple, bin_poly, a2b_mask, rand_bits and compare. As for every item, each party's share
// of output k is its PRG stream for (label, k); the full value of a random output is the
// combination of all parties' streams — XOR for a binary output, the sum for an additive one —
// and the last party's share of a correlated output is the correction that makes the
// combination equal the correlated value. The dealer sees only seeds and shapes.

import { BINARY_OUTPUTS, CHUNKS, compareLevels, compareSpec, setsAttr, vbitsSpec, wordsFor } from "../protocols/spec/binary-tables.js";
import { type DealerOutputLayout } from "../protocols/spec/dealer-items.js";
import { laneBit, onehotTables } from "../protocols/local/bitslice.js";
import { elementCount } from "../plan/shape.js";

type Stream = (seed: Uint8Array, label: string, k: number, n: number) => BigUint64Array;

const i32 = (d: BigUint64Array): Int32Array => new Int32Array(d.buffer, d.byteOffset, 2 * d.length);

/** Corrections for one of the binary items, or undefined for any other item. */
export function binaryCorrections(
  item: string,
  attrs: Record<string, unknown>,
  layout: DealerOutputLayout[],
  label: string,
  seeds: readonly Uint8Array[],
  stream: Stream,
): BigUint64Array[] | undefined {
  const binOut = BINARY_OUTPUTS[item];
  if (!binOut) return undefined;
  const n = seeds.length;
  const combine = (k: number, parties: number, xor: boolean): BigUint64Array => {
    const len = elementCount(layout[k]!.shape);
    if (parties === 0) return new BigUint64Array(len);
    const acc = stream(seeds[0]!, label, k, len);
    for (let i = 1; i < parties; i++) {
      const s = stream(seeds[i]!, label, k, len);
      if (xor) xorInto(acc, s);
      else for (let j = 0; j < len; j++) acc[j] = BigInt.asUintN(64, acc[j]! + s[j]!);
    }
    return acc;
  };
  const full = new Map<string, BigUint64Array>();
  layout.forEach((o, k) => {
    if (!o.correlated) full.set(o.name, combine(k, n, binOut.has(o.name)));
  });
  const value = correlated(item, attrs, full);
  return layout.flatMap((o, k) => {
    if (!o.correlated) return [];
    const v = value.get(o.name);
    if (!v) throw new Error(`internal: dealer item ${item} has no generator for ${o.name}`);
    const others = combine(k, n - 1, binOut.has(o.name));
    if (binOut.has(o.name)) xorInto(v, others);
    else for (let j = 0; j < v.length; j++) v[j] = BigInt.asUintN(64, v[j]! - others[j]!);
    return [v];
  });
}

/** The full correlated values of an item from its full random ones. */
function correlated(item: string, attrs: Record<string, unknown>, full: Map<string, BigUint64Array>): Map<string, BigUint64Array> {
  const get = (name: string): BigUint64Array => full.get(name)!;
  switch (item) {
    case "bin_triple": {
      const a = i32(get("a"));
      const b = i32(get("b"));
      const c = new BigUint64Array(a.length / 2);
      const ci = i32(c);
      for (let i = 0; i < ci.length; i++) ci[i] = a[i]! & b[i]!;
      return new Map([["c", c]]);
    }
    case "bin_poly": {
      const u = get("u");
      const rows = (attrs["shape"] as number[])[0]!;
      return new Map([["u_sets", maskProducts(u, rows, setsAttr("bin_poly", attrs))]]);
    }
    case "a2b_mask":
      return new Map([["r_bin", get("r").slice()]]);
    case "rand_bits": {
      const s = get("s");
      const bits = attrs["bits"] as number[];
      const out = new BigUint64Array(bits.length * s.length);
      bits.forEach((bit, j) => {
        const b = BigInt(bit);
        for (let k = 0; k < s.length; k++) out[j * s.length + k] = (s[k]! >> b) & 1n;
      });
      return new Map([["s_bits", out]]);
    }
    case "compare":
      return compareValues(attrs, get);
    case "vbits_b2a": {
      const s = vbitsSpec(attrs);
      const out = new Map<string, BigUint64Array>();
      bitValues(out, get, s.n, s.q, s.ops);
      return out;
    }
    default:
      throw new Error(`internal: dealer item ${item} has no generator`);
  }
}

/** Row products: out[j] = AND of the rows of u (rows x len) in the bitmask sets[j]. */
function maskProducts(u: BigUint64Array, rows: number, sets: number[]): BigUint64Array {
  const len = u.length / rows;
  const ui = i32(u);
  const out = new BigUint64Array(sets.length * len);
  const o = i32(out);
  const l2 = 2 * len;
  sets.forEach((s, j) => {
    const idx: number[] = [];
    for (let i = 0; i < rows; i++) if (s & (1 << i)) idx.push(i * l2);
    const oo = j * l2;
    for (let k = 0; k < l2; k++) {
      let t = ui[idx[0]! + k]!;
      for (let q = 1; q < idx.length; q++) t &= ui[idx[q]! + k]!;
      o[oo + k] = t;
    }
  });
  return out;
}

function compareValues(attrs: Record<string, unknown>, get: (name: string) => BigUint64Array): Map<string, BigUint64Array> {
  const spec = compareSpec(attrs);
  const lv = compareLevels(spec);
  const n = spec.n;
  const w = wordsFor(n);
  const r = get("r");
  const out = new Map<string, BigUint64Array>();
  const onehot = onehotTables(r, n);
  if (onehot.length !== w * CHUNKS * 16) throw new Error("internal: one-hot tables of the wrong size");
  out.set("onehot", onehot);
  out.set("u1_sets", maskProducts(get("u1"), lv.level1.rows.length, lv.level1.sets));
  out.set("u2_sets", maskProducts(get("u2"), lv.level2.rows.length, lv.level2.sets));
  if (!spec.b2a) return out;
  bitValues(out, get, n, lv.q, spec.ops);
  if (spec.zprod) out.set("r_s", bitTimes(i32(get("s")), r, n));
  return out;
}

/** The B2A parts: s_arith (the bits of the vertical s, row by row) and a_k * (row 0 of s). */
function bitValues(out: Map<string, BigUint64Array>, get: (name: string) => BigUint64Array, n: number, q: number, ops: number): void {
  const w = wordsFor(n);
  const s = i32(get("s"));
  const sArith = new BigUint64Array(q * n);
  const sa = i32(sArith); // the low halves hold the bits; the high halves stay 0
  for (let row = 0; row < q; row++) for (let k = 0; k < n; k++) sa[2 * (row * n + k)] = laneBit(s, row * 2 * w, k);
  out.set("s_arith", sArith);
  for (let k = 0; k < ops; k++) out.set(`a${k}_s`, bitTimes(s, get(`a${k}`), n));
}

/** x where the row-0 lane bit of s is set, else 0 (on int32 halves). */
function bitTimes(s: Int32Array, x: BigUint64Array, n: number): BigUint64Array {
  const p = new BigUint64Array(n);
  const [pi, xi] = [i32(p), i32(x)];
  for (let k = 0; k < n; k++) {
    if (laneBit(s, 0, k)) {
      pi[2 * k] = xi[2 * k]!;
      pi[2 * k + 1] = xi[2 * k + 1]!;
    }
  }
  return p;
}

function xorInto(acc: BigUint64Array, x: BigUint64Array): void {
  const a = i32(acc);
  const b = i32(x);
  for (let i = 0; i < a.length; i++) a[i] = a[i]! ^ b[i]!;
}
