// Table lookup at a secret index, one round: the dealer's masked one-hot. For a secret integer
// s (additive shares, any value; the table is indexed by s mod size, size a power of two) the
// dealer gives shares of a uniform r in Z_2^64 and of the one-hot vector h of (r mod size).
// The parties open c = s + r (uniform: reveals nothing about s) and, since
// [j == s mod size] = h[(c - j) mod size], each party's share of T[s mod size] is
// sum_j h[(c - j) mod size] T[j] for any public table T: every table over the same index
// costs nothing more. Cost: 1 round (n elements each way), n * size correlated elements from
// the dealer.
//
// The protocols use it on indices obtained by truncation (floor(x / 2^k) or one more, see
// arithmetic.ts truncate), with tables built so that either neighbour gives the right answer:
// that is what makes a segment lookup one round instead of a comparison per segment boundary.

import type { PlanBuilder } from "../../builder.js";
import type { ElemType } from "../../../plan/plan.js";
import { spec } from "./common.js";

export interface LookupTable {
  /** Raw ring integers (already scaled), one per index 0..size-1. */
  values: number[];
  elem: ElemType;
}

/** Shares of T[s mod size] for each table T (s: flat [n] integer shares). */
export function lookup(b: PlanBuilder, s: string, size: number, tables: LookupTable[]): string[] {
  const shape = [...b.info(s).shape];
  for (const t of tables) {
    if (t.values.length !== size) throw new Error(`internal: lookup table of ${t.values.length} entries for size ${size}`);
  }
  const [r, h] = b.dealer("nl_onehot", { shape, size }, [spec("int", shape), spec("int", [...shape, size])]);
  const [m] = b.local("add", [s, r!], {}, [spec("int", shape)]);
  const [c] = b.open([m!]);
  return b.local(
    "nl_lookup",
    [c!, h!],
    { size, tables: tables.map((t) => t.values) },
    tables.map((t) => spec(t.elem, shape)),
  );
}
