// The tables of the non-linear protocols (./*.ts): their dealer item (spread into
// ../dealer-items.ts) and their local-function names (spread into ../local-fns.ts). The
// compiler (through the spec), the dealer (runtime/dealer/items.ts) and the parties
// (runtime/protocols/local/nonlinear.ts) all read these. Pure data: no randomness, no kernels.
//
// Integer attributes (weights, constants, table entries) are raw ring integers: the spec has
// already scaled each real constant by the power of two it is encoded with, so every party
// computes exactly the same thing from the plan alone. They stay below 2^53 (exact in JSON).

import type { DealerItemInfo, DealerOutputLayout } from "../dealer-items.js";

const shapeAttr = (item: string, attrs: Record<string, unknown>, name: string): number[] => {
  const v = attrs[name];
  if (!Array.isArray(v) || !v.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new Error(`internal: dealer item ${item} needs attribute ${name} (a shape)`);
  }
  return [...(v as number[])];
};

/** The table size of a one-hot item: a power of two from 2 to 2^12. */
export function oneHotSize(attrs: Record<string, unknown>): number {
  const n = attrs["size"];
  if (typeof n !== "number" || !Number.isInteger(n) || n < 2 || n > 4096 || (n & (n - 1)) !== 0) {
    throw new Error("internal: nl_onehot needs attribute size, a power of two from 2 to 4096");
  }
  return n;
}

const out = (name: string, shape: number[], correlated: boolean): DealerOutputLayout => ({ name, shape, correlated });

export const NONLINEAR_DEALER_ITEMS = {
  nl_onehot: {
    doc:
      "masked one-hot for a table lookup: r uniform in Z_2^64 (additive shares, attr shape) and the " +
      "one-hot vector of (r mod size) as additive shares ([...shape, size]): attrs {shape, size}",
    layout(attrs) {
      const s = shapeAttr("nl_onehot", attrs, "shape");
      return [out("r", s, false), out("onehot", [...s, oneHotSize(attrs)], true)];
    },
  },
} as const satisfies Record<string, DealerItemInfo>;

export const NONLINEAR_LOCAL_FNS = {
  nl_lincomb: "sum_k weights[k] * x_k + party0(constant): integer weights and constant (attrs), args of one shape",
  nl_rows: "sum_k weights[k] * x[k] + party0(constant) over the rows of a stacked x [K, ...]: out [...]",
  nl_affine_rows: "out[k] = weights[k] * x + party0(constants[k]): x [...] -> [K, ...] (attrs weights, constants)",
  nl_public_thresholds:
    "c[i] - thresholds[k] at index k * width + i (i < c's size; 0 in the padding up to width), at EVERY party: " +
    "for an opened (public) ring value c, one block per threshold",
  nl_lookup:
    "table lookup from an opened c = s + r and the dealer's one-hot h of r mod size: for each attr table T, " +
    "sum_j h[(c - j) mod size] * T[j] = shares of T[s mod size]; one output per table",
} as const;

export type NonlinearLocalFnName = keyof typeof NONLINEAR_LOCAL_FNS;
