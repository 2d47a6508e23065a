// The tables of the binary-sharing protocols (./binary.ts, ./compare.ts): their dealer items
// (layouts, spread into ./dealer-items.ts), their local-function names (spread into
// ./local-fns.ts), and the pure planning both sides need to agree on — which masked GF(2)
// monomials a one-round polynomial evaluation needs, and the layout of the comparison item.
// The compiler (through the spec), the dealer (runtime/dealer/binary.ts) and the parties
// (runtime/protocols/local/{binary,compare}.ts) all derive these from the same attributes,
// so they cannot disagree. Pure data and arithmetic: no randomness, no kernels.
//
// Binary values are XOR shares of 64-bit words. Two layouts:
//   horizontal — one word per element, bit i of the word is bit i of the element's value
//                (a2b, andBinary, b2aBits);
//   vertical   — bit-sliced across elements: word w holds, in lane l (its bit l), one bit of
//                element 64w + l, so one word op works on 64 elements (the comparison tree).

import type { DealerItemInfo, DealerOutputLayout } from "./dealer-items.js";

// ---------------------------------------------------------------- masked polynomials

/** A polynomial over GF(2) in k input bits: XOR of monomials, each a bitmask of inputs
 *  (the AND of those inputs). */
export type Gf2Poly = number[];

export interface PolyPlan {
  /** Input rows the polynomials read (the others are neither masked nor opened). */
  rows: number[];
  /** The polynomials over the used rows (bit i: the i-th entry of `rows`). */
  polys: Gf2Poly[];
  /** Products of masks the dealer supplies: every subset (>= 2 bits) of some monomial. */
  sets: number[];
}

export const popcount = (m: number): number => {
  let c = 0;
  for (let x = m; x !== 0; x &= x - 1) c++;
  return c;
};

/**
 * Plan the one-round evaluation of `polys` on k shared input rows. Each used input x_i is
 * opened masked, e_i = x_i ^ u_i; then a monomial AND_{i in T} x_i = XOR over S subset of T of
 * (AND_{i in T\S} e_i) & u_S, linear in the dealer's shares of u_S = AND_{i in S} u_i. So the
 * dealer supplies u (random) and u_S for every S of two or more inputs inside a monomial.
 */
export function planPoly(k: number, polys: Gf2Poly[]): PolyPlan {
  let used = 0;
  for (const p of polys) for (const m of p) used |= m;
  const rows: number[] = [];
  for (let i = 0; i < k; i++) if (used & (1 << i)) rows.push(i);
  const remap = (m: number): number => rows.reduce((acc, r, j) => (m & (1 << r) ? acc | (1 << j) : acc), 0);
  const mapped = polys.map((p) => p.map(remap));
  const sets = new Set<number>();
  for (const p of mapped) {
    for (const t of p) {
      // every non-empty subset of t with >= 2 bits
      for (let s = t; s !== 0; s = (s - 1) & t) if (popcount(s) >= 2) sets.add(s);
    }
  }
  return { rows, polys: mapped, sets: [...sets].sort((a, b) => popcount(a) - popcount(b) || a - b) };
}

// ---------------------------------------------------------------- the comparison layout

/** Bits per chunk of the comparison's one-hot leaves, chunks, and chunks per level-1 group. */
export const CHUNK_BITS = 4;
export const CHUNKS = 16;
export const GROUP = 4;
/** Lanes per vertical word. */
export const LANES = 64;

export const wordsFor = (n: number): number => Math.ceil(n / LANES);

/** What one comparison computes (attributes of its dealer item and local nodes). */
export interface CompareSpec {
  /** Elements compared. */
  n: number;
  /** [z < 0] wanted. */
  lt: boolean;
  /** [z == 0] wanted. */
  eq: boolean;
  /** z * [z < 0] wanted (relu, abs, max, min). */
  zprod: boolean;
  /** Number of further secret operands W_k multiplied by [z < 0]. */
  ops: number;
  /** Include the B2A material (false: the bits stay vertical XOR shares, see vbits_b2a). */
  b2a: boolean;
}

export function compareSpec(attrs: Record<string, unknown>): CompareSpec {
  const n = attrs["n"];
  const ops = attrs["ops"] ?? 0;
  if (typeof n !== "number" || !Number.isInteger(n) || n < 1) throw new Error("internal: comparison needs attribute n (elements)");
  if (typeof ops !== "number" || !Number.isInteger(ops) || ops < 0) throw new Error("internal: comparison attribute ops must be a count");
  const spec = { n, lt: attrs["lt"] === true, eq: attrs["eq"] === true, zprod: attrs["zprod"] === true, ops, b2a: attrs["b2a"] !== false };
  if (!spec.lt && !spec.eq) throw new Error("internal: a comparison must want lt or eq");
  if ((spec.zprod || spec.ops > 0) && !spec.lt) throw new Error("internal: products with the comparison bit need lt");
  if ((spec.zprod || spec.ops > 0) && !spec.b2a) throw new Error("internal: products with the comparison bit need its B2A");
  return spec;
}

// The chain of the comparison, as composition of affine maps over GF(2): per chunk j,
// f_j(x) = l_j ^ e_j x, with l_j = [c_j < r_j], e_j = [c_j == r_j]; [c mod 2^63 < r mod 2^63]
// = f_15(f_14(... f_0(0))). Four maps compose in one round:
//   L = l3 ^ e3 l2 ^ e3 e2 l1 ^ e3 e2 e1 l0,  E = e3 e2 e1 e0.
const L4 = (l: (i: number) => number, e: (i: number) => number): Gf2Poly => [
  1 << l(3),
  (1 << e(3)) | (1 << l(2)),
  (1 << e(3)) | (1 << e(2)) | (1 << l(1)),
  (1 << e(3)) | (1 << e(2)) | (1 << e(1)) | (1 << l(0)),
];
const AND4 = (e: (i: number) => number): Gf2Poly => [(1 << e(3)) | (1 << e(2)) | (1 << e(1)) | (1 << e(0))];

export interface CompareLevels {
  /** Rows of the level-1 input [k1, GROUP, W] the leaves produce. */
  k1: number;
  level1: PolyPlan;
  /** Rows of the level-1 output [p1, GROUP, W]; level 2 reads it as [p1 * GROUP, W]. */
  p1: number;
  level2: PolyPlan;
  /** Bits per element at the end (lt and/or eq), rows of [q, W]. */
  q: number;
}

/**
 * Leaf rows (per group g of chunks 4g..4g+3):
 *   lt only:  l0 l1 l2 l3 e0 e1 e2 e3          (group 3: l3, e3 = the sign chunk's A, B)
 *   eq only:  e0 e1 e2 e3                       (full 4-bit chunk equalities)
 *   both:     l0 l1 l2 l3 e0 e1 e2 e3 q3        (q3: the full equality of the group's top chunk)
 */
export function compareLevels(s: Pick<CompareSpec, "lt" | "eq">): CompareLevels {
  if (s.lt && !s.eq) {
    const l1 = [L4((i) => i, (i) => 4 + i), AND4((i) => 4 + i)];
    const l2 = [L4((g) => g, (g) => 4 + g)];
    return { k1: 8, level1: planPoly(8, l1), p1: 2, level2: planPoly(8, l2), q: 1 };
  }
  if (!s.lt && s.eq) {
    return { k1: 4, level1: planPoly(4, [AND4((i) => i)]), p1: 1, level2: planPoly(4, [AND4((g) => g)]), q: 1 };
  }
  const q4 = (i: number): number => (i === 3 ? 8 : 4 + i);
  const l1 = [L4((i) => i, (i) => 4 + i), AND4((i) => 4 + i), AND4(q4)];
  const l2 = [L4((g) => g, (g) => 4 + g), AND4((g) => 8 + g)];
  return { k1: 9, level1: planPoly(9, l1), p1: 3, level2: planPoly(12, l2), q: 2 };
}

const out = (name: string, shape: number[], correlated: boolean): DealerOutputLayout => ({ name, shape, correlated });

/** The outputs of the `compare` item, in order. */
export function compareLayout(attrs: Record<string, unknown>): DealerOutputLayout[] {
  const s = compareSpec(attrs);
  const w = wordsFor(s.n);
  const lv = compareLevels(s);
  const o = [
    out("r", [s.n], false),
    out("onehot", [w, CHUNKS, 1 << CHUNK_BITS], true),
    out("u1", [lv.level1.rows.length, GROUP, w], false),
    out("u1_sets", [lv.level1.sets.length, GROUP, w], true),
    out("u2", [lv.level2.rows.length, w], false),
    out("u2_sets", [lv.level2.sets.length, w], true),
  ];
  if (!s.b2a) return o;
  o.push(out("s", [lv.q, w], false), out("s_arith", [lv.q, s.n], true));
  if (s.zprod) o.push(out("r_s", [s.n], true));
  for (let k = 0; k < s.ops; k++) o.push(out(`a${k}`, [s.n], false), out(`a${k}_s`, [s.n], true));
  return o;
}

/** B2A of q rows of vertical bits over n elements, with products of row 0 by `ops` operands
 *  (opened masked: W_k - a_k). */
export interface VbitsSpec {
  n: number;
  q: number;
  ops: number;
}

export function vbitsSpec(attrs: Record<string, unknown>): VbitsSpec {
  const { n, q, ops } = attrs as { n: unknown; q: unknown; ops: unknown };
  const ok = (v: unknown, min: number): v is number => typeof v === "number" && Number.isInteger(v) && v >= min;
  if (!ok(n, 1) || !ok(q, 1) || !ok(ops, 0)) throw new Error("internal: vbits_b2a needs attributes n, q, ops");
  return { n, q, ops };
}

export function vbitsLayout(attrs: Record<string, unknown>): DealerOutputLayout[] {
  const s = vbitsSpec(attrs);
  const o = [out("s", [s.q, wordsFor(s.n)], false), out("s_arith", [s.q, s.n], true)];
  for (let k = 0; k < s.ops; k++) o.push(out(`a${k}`, [s.n], false), out(`a${k}_s`, [s.n], true));
  return o;
}

// ---------------------------------------------------------------- dealer items

const shapeAttr = (item: string, attrs: Record<string, unknown>, name: string): number[] => {
  const v = attrs[name];
  if (!Array.isArray(v) || !v.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new Error(`internal: dealer item ${item} needs attribute ${name} (a shape)`);
  }
  return [...(v as number[])];
};

export function bitsAttr(item: string, attrs: Record<string, unknown>): number[] {
  const v = attrs["bits"];
  if (!Array.isArray(v) || !v.every((d) => Number.isInteger(d) && d >= 0 && d < 64)) {
    throw new Error(`internal: ${item} needs attribute bits (bit indices 0..63)`);
  }
  return [...(v as number[])];
}

export function setsAttr(item: string, attrs: Record<string, unknown>): number[] {
  const v = attrs["sets"];
  if (!Array.isArray(v) || !v.every((d) => Number.isInteger(d) && d > 0)) throw new Error(`internal: ${item} needs attribute sets (bitmasks)`);
  return [...(v as number[])];
}

/** Binary outputs (XOR shares) of each item, by output name; every other output is additive. */
export const BINARY_OUTPUTS: Record<string, ReadonlySet<string>> = {
  bin_triple: new Set(["a", "b", "c"]),
  bin_poly: new Set(["u", "u_sets"]),
  a2b_mask: new Set(["r_bin"]),
  rand_bits: new Set(["s"]),
  compare: new Set(["onehot", "u1", "u1_sets", "u2", "u2_sets", "s"]),
  vbits_b2a: new Set(["s"]),
};

export const BINARY_DEALER_ITEMS = {
  bin_triple: {
    doc: "binary Beaver triple (a, b, c = a AND b) as XOR shares of words: attrs {shape}",
    layout(attrs) {
      const s = shapeAttr("bin_triple", attrs, "shape");
      return [out("a", s, false), out("b", s, false), out("c", s, true)];
    },
  },
  bin_poly: {
    doc:
      "masks for a one-round GF(2) polynomial: u (random XOR shares, shape [k, ...]) and u_sets " +
      "(the AND of the rows in each attr sets bitmask, [sets, ...]): attrs {shape, sets}",
    layout(attrs) {
      const s = shapeAttr("bin_poly", attrs, "shape");
      const sets = setsAttr("bin_poly", attrs);
      return [out("u", s, false), out("u_sets", [sets.length, ...s.slice(1)], true)];
    },
  },
  a2b_mask: {
    doc: "a uniform r as additive shares and as XOR shares (horizontal words): attrs {shape}",
    layout(attrs) {
      const s = shapeAttr("a2b_mask", attrs, "shape");
      return [out("r", s, false), out("r_bin", s, true)];
    },
  },
  rand_bits: {
    doc:
      "random words s as XOR shares, and additive shares of the bits of s at attr bits " +
      "(one [shape] tensor per bit, stacked): attrs {shape, bits}",
    layout(attrs) {
      const s = shapeAttr("rand_bits", attrs, "shape");
      return [out("s", s, false), out("s_bits", [bitsAttr("rand_bits", attrs).length, ...s], true)];
    },
  },
  compare: {
    doc:
      "everything one comparison of n secret values with zero consumes: the mask r (additive), " +
      "one-hot tables of its 4-bit chunks (vertical XOR shares), masks and mask products for the " +
      "two rounds of the chunk tree, random bits s (vertical XOR shares and additive), and the " +
      "products r*s and a_k*s for results multiplied by the bit: attrs {n, lt, eq, zprod, ops, b2a} " +
      "(b2a false: no bits or products, the result stays vertical XOR shares)",
    layout: compareLayout,
  },
  vbits_b2a: {
    doc:
      "B2A of q rows of vertical bits over n elements: random bits s (vertical XOR shares) and their " +
      "additive shares, and a_k (random) with a_k*s (row 0) per operand: attrs {n, q, ops}",
    layout: vbitsLayout,
  },
} as const satisfies Record<string, DealerItemInfo>;

// ---------------------------------------------------------------- local functions

export const BINARY_LOCAL_FNS = {
  bin_xor: "x ^ y (XOR shares; a clear or opened operand is XORed in by party 0 only)",
  bin_not: "~x (party 0 flips its share)",
  bin_and_mask: "(x ^ a, y ^ b): the two masked values a binary Beaver AND opens",
  bin_and: "c ^ (e & b) ^ (d & a) ^ party0(e & d), from opened e, d and binary triple (a, b, c)",
  bin_mask: "x[rows] ^ u: the masked inputs of a one-round GF(2) polynomial (attr rows)",
  bin_poly:
    "XOR over monomials T of attr polys, over subsets S of T, of (AND of opened e_i, i in T\\S) & u_S; " +
    "u_S from u (one row), u_sets (attr sets) or party0(all ones) for the empty set",
  a2b_init:
    "from opened c = x + r and r's XOR shares: P = c ^ ~r and G = c & ~r (with the carry-in 1 folded " +
    "into bit 0), the generate/propagate words of x = c + ~r + 1",
  ks_inputs: "the inputs of one Kogge-Stone level of span attr s, radix attr radix: [P, P<<s, ..., G<<s, ...]",
  ks_update: "G' = G ^ Y[0] and P' = Y[1] (if present) from one Kogge-Stone level's products Y",
  a2b_finish: "x = P ^ (G << 1) ^ party0(1): the sum bits from the initial propagate word and the carries",
  b2a_bits: "additive shares of bits attr bits of x from opened e = x ^ s: party0(e_i) + (1 - 2 e_i) s_i",
  one_minus: "1 - x (party 0 adds 1; arithmetic shares of an int or bool)",
  cmp_leaves:
    "from opened c = z + r and the one-hot tables of r's 4-bit chunks: the level-1 input rows " +
    "[k1, 4, W] (vertical) of the comparison tree, attrs {lt, eq}",
  cmp_b2a:
    "from opened e = bits ^ s (vertical): additive bits party0(e) + (1 - 2e) s, and attr zprod z * [z<0] = " +
    "e z + (1 - 2e)(c s - r_s), attr ops W_k * [z<0] = e W_k + (1 - 2e)(d_k s + a_k_s); attr shape",
  vbits_b2a:
    "from opened e = bits ^ s (vertical, [q, W]): additive bits party0(e) + (1 - 2e) s per row, and " +
    "W_k * bit0 = e W_k + (1 - 2e)(d_k s + a_k_s) per attr ops; args e, s_arith, (W_k, d_k, a_k_s)...; attr shape",
  pair_diffs:
    "x [n, m] -> x_i - x_j for every pair i < j, as [pairs, m'] with m' = m rounded up to 64 (zeros after m), " +
    "and x padded to [n, m']",
  pair_sel_inputs:
    "vertical bits [x_i < x_j] of the pairs [1, pairs * W'] -> the AND inputs [n-1, n, W'] of 'x_i is the first " +
    "maximum': [x_j < x_i] for j < i, NOT [x_i < x_j] for j > i (party 0 flips)",
  pairs_reduce: "from selections [n * m'] (and products [n * m']): attr mode max: sum_i prod[i]; argmax: sum_i i sel[i]; first attr m columns",
  iota: "party 0 holds 0, 1, ..., n-1 along axis 0 of attr shape, the others 0: shares of a public index",
  tree_split: "[n, m] -> (rows 0, 2, 4, ..., rows 1, 3, 5, ..., the last row when n is odd): one level of a tree reduction",
} as const;

export type BinaryLocalFnName = keyof typeof BINARY_LOCAL_FNS;
