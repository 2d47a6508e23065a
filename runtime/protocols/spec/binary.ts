// Binary (XOR) sharing of Z_2^64 words and the conversions between additive and binary
// shares, written once as builder steps (the runtime executes them, the cost model counts
// them). Values are "binary" plan values: each party holds a word per element, and the
// value is the XOR of the parties' words (bit-sliced: one word op works on 64 bits at once).
//
// API for other protocol authors (each returns plan value ids; shapes follow the operand):
//   xorBinary(b, x, y)        x ^ y, free. A clear/opened operand is XORed in by party 0.
//   notBinary(b, x)           ~x, free (party 0 flips its share).
//   andBinary(b, x, y)        x & y: dealer bin_triple (a, b, c = a & b); open e = x ^ a and
//                             d = y ^ b (1 round); z = c ^ (e & b) ^ (d & a) ^ party0(e & d).
//   polyBinary(b, x, polys)   any GF(2) polynomials of the rows of a stacked binary x [k, ...]
//                             in ONE round (masked monomials, see binary-tables.ts planPoly);
//                             returns [polys.length, ...]. andBinary of many pairs, 3- and
//                             4-input ANDs, a prefix-adder level: all one round.
//   a2b(b, x, {radix})        additive -> binary (horizontal): open c = x + r (r from the dealer
//                             as additive AND XOR shares), then x = c + ~r + 1 by a Kogge-Stone
//                             adder with one public operand (so the generate/propagate words are
//                             local). Radix 2: 6 levels, 1 + 6 = 7 rounds, per element 2 words
//                             opened per level and 4-5 dealer words per level. Radix 4: 3 levels
//                             (7 inputs, 4-input monomials), 1 + 3 = 4 rounds, ~29 dealer words
//                             per element per level. Exact for every x in Z_2^64.
//   b2aBits(b, xb, bits)      binary -> additive bits: dealer rand_bits (random words s as XOR
//                             shares, additive shares of the chosen bits of s); open e = x ^ s
//                             (1 round; s is uniform in all 64 bits, so e reveals nothing);
//                             [x_i] = party0(e_i) + (1 - 2 e_i)[s_i]. Returns one int value
//                             (0/1) per requested bit.
//   bitDecompose(b, x, nBits) additive shares of bits 0..nBits-1 of x (int 0/1 each):
//                             a2b then b2aBits, 7 + 1 rounds (radix 2) or 4 + 1 (radix 4).
// Never opens anything but uniformly masked values.

import { broadcastOrThrow } from "../../plan/shape.js";
import type { PlanBuilder, OutSpec } from "../builder.js";
import { planPoly, type Gf2Poly, type PolyPlan } from "./binary-tables.js";

const binarySpec = (shape: number[]): OutSpec => ({ elem: "int", shape: [...shape], kind: "binary" });

function shapeOf(b: PlanBuilder, x: string): number[] {
  return b.info(x).shape;
}

/** x ^ y; if either is clear or opened (a public ring value), party 0 XORs it in. */
export function xorBinary(b: PlanBuilder, x: string, y: string): string {
  const shape = broadcastOrThrow(shapeOf(b, x), shapeOf(b, y));
  return b.local("bin_xor", [x, y], {}, [binarySpec(shape)])[0]!;
}

export function notBinary(b: PlanBuilder, x: string): string {
  return b.local("bin_not", [x], {}, [binarySpec(shapeOf(b, x))])[0]!;
}

/** x & y for binary x, y of the same shape: one round, one binary Beaver triple. */
export function andBinary(b: PlanBuilder, x: string, y: string): string {
  const shape = shapeOf(b, x);
  const s = binarySpec(shape);
  const [ta, tb, tc] = b.dealer("bin_triple", { shape }, [s, s, s]);
  const [e, d] = b.local("bin_and_mask", [x, ta!, y, tb!], {}, [s, s]);
  const [eo, dO] = b.open([e!, d!]);
  return b.local("bin_and", [eo!, dO!, ta!, tb!, tc!], {}, [s])[0]!;
}

/** The steps of a planned polynomial evaluation with given dealer masks (u, u_sets). */
export function applyPoly(b: PlanBuilder, x: string, plan: PolyPlan, u: string, uSets: string): string {
  const rest = shapeOf(b, x).slice(1);
  const [m] = b.local("bin_mask", [x, u], { rows: plan.rows }, [binarySpec([plan.rows.length, ...rest])]);
  const [e] = b.open([m!]);
  return b.local("bin_poly", [e!, u, uSets], { polys: plan.polys, sets: plan.sets }, [binarySpec([plan.polys.length, ...rest])])[0]!;
}

/** GF(2) polynomials of the rows of x [k, ...] (each a list of monomial bitmasks over rows), in
 *  one round: returns [polys.length, ...]. */
export function polyBinary(b: PlanBuilder, x: string, polys: Gf2Poly[]): string {
  const shape = shapeOf(b, x);
  const plan = planPoly(shape[0]!, polys);
  const rest = shape.slice(1);
  const [u, us] = b.dealer("bin_poly", { shape: [plan.rows.length, ...rest], sets: plan.sets }, [
    binarySpec([plan.rows.length, ...rest]),
    binarySpec([plan.sets.length, ...rest]),
  ]);
  return applyPoly(b, x, plan, u!, us!);
}

export interface A2bOptions {
  /** Prefix-adder radix: 2 (7 rounds, least dealer material) or 4 (4 rounds). Default 2. */
  radix?: 2 | 4;
}

/** Binary (horizontal) shares of the additive x: see the header. */
export function a2b(b: PlanBuilder, x: string, opts: A2bOptions = {}): string {
  const radix = opts.radix ?? 2;
  const xi = b.info(x);
  const shape = xi.shape;
  const [r, rb] = b.dealer("a2b_mask", { shape }, [{ elem: xi.elem, shape }, binarySpec(shape)]);
  const [m] = b.local("add", [x, r!], {}, [{ elem: xi.elem, shape }]);
  const [c] = b.open([m!]);
  const [p0, g0] = b.local("a2b_init", [c!, rb!], {}, [binarySpec(shape), binarySpec(shape)]);
  let p = p0!;
  let g = g0!;
  const spans = radix === 4 ? [1, 4, 16] : [1, 2, 4, 8, 16, 32];
  spans.forEach((s, level) => {
    const last = level === spans.length - 1;
    const k = radix === 4 ? 7 : 3;
    const [xs] = b.local("ks_inputs", [p, g], { s, radix }, [binarySpec([k, ...shape])]);
    const polys = ksPolys(radix, last);
    const y = polyBinary(b, xs!, polys);
    const outs = b.local("ks_update", [g, y], {}, last ? [binarySpec(shape)] : [binarySpec(shape), binarySpec(shape)]);
    g = outs[0]!;
    if (!last) p = outs[1]!;
  });
  return b.local("a2b_finish", [p0!, g], {}, [binarySpec(shape)])[0]!;
}

/** One Kogge-Stone level's products. Radix 2 rows [P, G<<s, P<<s]: G ^= P G_s; P' = P P_s.
 *  Radix 4 rows [P, P<<s, P<<2s, P<<3s, G<<s, G<<2s, G<<3s]:
 *  G ^= P G_s ^ P P_s G_2s ^ P P_s P_2s G_3s; P' = P P_s P_2s P_3s. */
export function ksPolys(radix: 2 | 4, last: boolean): Gf2Poly[] {
  if (radix === 2) return last ? [[0b011]] : [[0b011], [0b101]];
  const g: Gf2Poly = [0b0010001, 0b0100011, 0b1000111];
  return last ? [g] : [g, [0b0001111]];
}

/** Additive shares (int 0/1) of the chosen bits of binary (horizontal) xb: one round. */
export function b2aBits(b: PlanBuilder, xb: string, bits: number[]): string[] {
  const shape = shapeOf(b, xb);
  const [s, sBits] = b.dealer("rand_bits", { shape, bits }, [binarySpec(shape), { elem: "int", shape: [bits.length, ...shape] }]);
  const [m] = b.local("bin_xor", [xb, s!], {}, [binarySpec(shape)]);
  const [e] = b.open([m!]);
  return b.local(
    "b2a_bits",
    [e!, sBits!],
    { bits },
    bits.map(() => ({ elem: "int" as const, shape: [...shape] })),
  );
}

/** Additive shares (int 0/1) of bits 0..nBits-1 of the additive x. */
export function bitDecompose(b: PlanBuilder, x: string, nBits: number, opts: A2bOptions = {}): string[] {
  if (!Number.isInteger(nBits) || nBits < 1 || nBits > 64) throw new Error("internal: bitDecompose needs 1..64 bits");
  return b2aBits(
    b,
    a2b(b, x, opts),
    Array.from({ length: nBits }, (_, i) => i),
  );
}
