// The dealer's items: what each kind of correlated randomness consists of, as data. The
// dealer (runtime/dealer) generates them, the parties derive their shares of them, and the
// cost model counts them, all from this one table. Pure data and shape arithmetic: no
// randomness, no kernels.
//
// Every output of an item is either `random` (each party's share comes from the PRG stream
// it shares with the dealer; the dealer never sends it) or `correlated` (a function of the
// random outputs: every party but the last derives its share from its PRG stream, and the
// dealer sends the last party ONE correction share). So an item costs the dealer exactly the
// elements of its correlated outputs on the wire, all to one party.

import { BINARY_DEALER_ITEMS } from "./binary-tables.js";
import { CONV_DEALER_ITEMS } from "./conv-tables.js";
import { NONLINEAR_DEALER_ITEMS } from "./nonlinear/tables.js";

export interface DealerOutputLayout {
  /** Name of the output, for messages and docs (a, b, c, r, …). */
  name: string;
  shape: number[];
  correlated: boolean;
  /** A random output known in full to ONE party (its index), e.g. the mask of that party's
   *  private operand: the value is that party's PRG stream, and no other party gets it. */
  owner?: number;
}

export interface DealerItemInfo {
  doc: string;
  /** The outputs in plan order, from the dealer node's attrs. */
  layout(attrs: Record<string, unknown>): DealerOutputLayout[];
}

const shapeAttr = (item: string, attrs: Record<string, unknown>, name: string): number[] => {
  const v = attrs[name];
  if (!Array.isArray(v) || !v.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new Error(`internal: dealer item ${item} needs attribute ${name} (a shape)`);
  }
  return [...(v as number[])];
};

const out = (name: string, shape: number[], correlated: boolean): DealerOutputLayout => ({ name, shape, correlated });

/** Attach the optional owners of the first two (random) outputs: attrs a_owner / b_owner. */
function owned(item: string, attrs: Record<string, unknown>, outs: DealerOutputLayout[]): DealerOutputLayout[] {
  (["a_owner", "b_owner"] as const).forEach((key, k) => {
    const v = attrs[key];
    if (v === undefined) return;
    if (typeof v !== "number" || !Number.isInteger(v) || v < 0) throw new Error(`internal: dealer item ${item}: ${key} must be a party index`);
    outs[k]!.owner = v;
  });
  return outs;
}

export const DEALER_ITEMS = {
  triple_mul: {
    doc:
      "Beaver triple (a, b, c = a * b), elementwise with NumPy broadcasting: attrs {shape} or {a, b, c}; " +
      "optional a_owner / b_owner: a (b) known in full to that party only, for a private operand",
    layout(attrs) {
      if (attrs["shape"] !== undefined) {
        const s = shapeAttr("triple_mul", attrs, "shape");
        return owned("triple_mul", attrs, [out("a", s, false), out("b", s, false), out("c", s, true)]);
      }
      return owned("triple_mul", attrs, [
        out("a", shapeAttr("triple_mul", attrs, "a"), false),
        out("b", shapeAttr("triple_mul", attrs, "b"), false),
        out("c", shapeAttr("triple_mul", attrs, "c"), true),
      ]);
    },
  },
  square_pair: {
    doc: "square pair (a, a2 = a * a): attrs {shape}",
    layout(attrs) {
      const s = shapeAttr("square_pair", attrs, "shape");
      return [out("a", s, false), out("a2", s, true)];
    },
  },
  triple_matmul: {
    doc: "matrix Beaver triple (A, B, C = A @ B): attrs {a, b, c} shapes; optional a_owner / b_owner as triple_mul",
    layout(attrs) {
      return owned("triple_matmul", attrs, [
        out("A", shapeAttr("triple_matmul", attrs, "a"), false),
        out("B", shapeAttr("triple_matmul", attrs, "b"), false),
        out("C", shapeAttr("triple_matmul", attrs, "c"), true),
      ]);
    },
  },
  mask: {
    doc:
      "the mask A of one secret operand used by several Beaver products (x - A is opened once and " +
      "reused): attrs {shape}; random only, so nothing on the wire. Products reference it by node id",
    layout(attrs) {
      return [out("A", shapeAttr("mask", attrs, "shape"), false)];
    },
  },
  triple_matmul_masked: {
    doc:
      "matrix Beaver triple whose masked operand's mask is a `mask` item: (B, C = A' @ B) for side " +
      "left, (B, C = B @ A') for side right, A' = A or A^T (transpose). attrs {x, y, c} shapes (x: A' " +
      "as used, y: B), side, transpose, mask (the mask's dealer node id), mask_depth (its loop depth), " +
      "mask_shape. The dealer derives A from the mask's own streams: the same A for every product",
    layout(attrs) {
      return [out("B", shapeAttr("triple_matmul_masked", attrs, "y"), false), out("C", shapeAttr("triple_matmul_masked", attrs, "c"), true)];
    },
  },
  trunc_pair: {
    doc:
      "truncation pair for dividing by 2^bits: r uniform in Z_2^64, r_msb (its top bit, as an " +
      "arithmetic share of 0 or 1) and r_low_shift = (r mod 2^63) >> bits: attrs {shape, bits}",
    layout(attrs) {
      const s = shapeAttr("trunc_pair", attrs, "shape");
      return [out("r", s, false), out("r_msb", s, true), out("r_low_shift", s, true)];
    },
  },
  // binary sharing and comparisons (./binary-tables.ts)
  ...BINARY_DEALER_ITEMS,
  // inference layers (./conv-tables.ts)
  ...CONV_DEALER_ITEMS,
  // non-linear functions (./nonlinear/tables.ts)
  ...NONLINEAR_DEALER_ITEMS,
} as const satisfies Record<string, DealerItemInfo>;

export type DealerItemName = keyof typeof DEALER_ITEMS;

export function isDealerItem(name: string): name is DealerItemName {
  return Object.prototype.hasOwnProperty.call(DEALER_ITEMS, name);
}

/** Ring elements one item puts on the dealer's wire (its correlated outputs). */
export function dealerItemWireElements(item: string, attrs: Record<string, unknown>): number {
  if (!isDealerItem(item)) throw new Error(`internal: unknown dealer item ${item}`);
  let n = 0;
  for (const o of DEALER_ITEMS[item].layout(attrs)) if (o.correlated) n += o.shape.reduce((a, d) => a * d, 1);
  return n;
}
