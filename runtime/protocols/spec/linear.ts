// Linear protocols: everything on shares that needs no communication and no dealer item
// except the truncation a fixed-point rescale may need. Addition and subtraction of shares,
// negation, the shape ops (sum, transpose, reshape, flatten, slice, concat, stack,
// broadcast_to), and operations with a clear operand: add/sub (the holder adds it to its own
// share), mul / matmul / div by a public value (each party multiplies its share; fixed*fixed
// is truncated after), multiplication by a compile-time constant, mean, cast.
//
// Each is one `local` node (plus `truncate`, ./arithmetic.ts, where the scale doubles). The
// attributes a local function needs to encode a clear operand (its element type) are put on
// the node here, so the plan says exactly what every party computes.

import type { PlanBuilder, ValueSpec } from "../builder.js";
import { truncate } from "./arithmetic.js";

/** Ops on shares that are linear with no public coefficient: a local node of the same name
 *  with the op's attributes (as in runtime/plan/ops.ts). */
export const SHARE_LINEAR_OPS = [
  "add",
  "sub",
  "neg",
  "sum",
  "transpose",
  "reshape",
  "flatten",
  "slice",
  "concat",
  "stack",
  "broadcast_to",
] as const;
export type ShareLinearOp = (typeof SHARE_LINEAR_OPS)[number];

export function isShareLinearOp(op: string): op is ShareLinearOp {
  return (SHARE_LINEAR_OPS as readonly string[]).includes(op);
}

/** A linear op on secret operands only (all args secret, same element type): free. */
export function linearSecret(
  b: PlanBuilder,
  op: ShareLinearOp,
  args: string[],
  attrs: Record<string, unknown>,
  out: ValueSpec,
): string {
  return b.local(op, args, attrs, [out])[0]!;
}

/** The compute party that adds a clear value into the shares: party 0 for a public value,
 *  else the first compute party holding it (a private value: its owner). */
export function clearHolder(b: PlanBuilder, c: string): string {
  const holders = b.info(c).holders;
  const p = b.ctx.parties.find((q) => holders.includes(q));
  if (p === undefined) throw new Error(`internal: clear value ${c} has no compute-party holder`);
  return p;
}

/** x + c (or x - c with `subtract: "clear"`, c - x with `subtract: "secret"`), x secret and c
 *  clear (public, or private to one party): the holder adds the encoded c to its own share.
 *  Free. NumPy broadcasting: out.shape is the broadcast shape. */
export function addClear(
  b: PlanBuilder,
  x: string,
  c: string,
  out: ValueSpec,
  subtract?: "clear" | "secret",
): string {
  const attrs: Record<string, unknown> = { elem: b.info(c).elem, by: clearHolder(b, c), shape: out.shape };
  if (subtract) attrs["subtract"] = subtract;
  return b.local("add_public", [x, c], attrs, [out])[0]!;
}

/** Is `c` known to every compute party? */
export function isPublic(b: PlanBuilder, c: string): boolean {
  const h = b.info(c).holders;
  return b.ctx.parties.every((p) => h.includes(p));
}

function requirePublic(b: PlanBuilder, c: string, what: string): void {
  if (!isPublic(b, c)) {
    throw new Error(`internal: ${what} needs an operand every party knows; share ${c} and use the secret protocol`);
  }
}

/** x * c, c public clear (encoded as its element type): each party multiplies its share; a
 *  fixed*fixed product is truncated. Broadcasting as NumPy. */
export function mulPublic(b: PlanBuilder, x: string, c: string, out: ValueSpec): string {
  requirePublic(b, c, "mulPublic");
  const ce = b.info(c).elem;
  const [z] = b.local("mul_public", [x, c], { elem: ce }, [out]);
  return b.info(x).elem === "fixed" && ce === "fixed" ? truncate(b, z!, b.ctx.precision, out) : z!;
}

/** x @ c (side "right") or c @ x (side "left"), c public clear: each party multiplies its
 *  share; fixed*fixed is truncated. */
export function matmulPublic(b: PlanBuilder, x: string, c: string, out: ValueSpec, side: "left" | "right"): string {
  requirePublic(b, c, "matmulPublic");
  const ce = b.info(c).elem;
  const [z] = b.local("matmul_public", [x, c], { elem: ce, side }, [out]);
  return b.info(x).elem === "fixed" && ce === "fixed" ? truncate(b, z!, b.ctx.precision, out) : z!;
}

/** Extra fractional bits with which divPublic encodes 1/c (so 1/569 keeps ~5 significant
 *  digits instead of CrypTen's ~2): the product then has scale 2^(2f + 8) before truncation. */
export const DIV_EXTRA_BITS = 8;

/** x / c, x secret fixed, c public clear (a run-time value): multiply by 1/c encoded with
 *  f + DIV_EXTRA_BITS fractional bits, then truncate by as many. Relative error of the
 *  encoded reciprocal: at most 2^-(f+9) * |c|; 1/c below 2^-(f+9) encodes as 0. A divisor
 *  known at compile time should use `mulConst(b, x, 1 / c, out)`, which adapts the bits. */
export function divPublic(b: PlanBuilder, x: string, c: string, out: ValueSpec): string {
  requirePublic(b, c, "divPublic");
  const bits = b.ctx.precision + DIV_EXTRA_BITS;
  const [z] = b.local("mul_public", [x, c], { elem: "fixed", reciprocal: true, bits }, [out]);
  return truncate(b, z!, bits, out);
}

/** Fractional bits to encode a constant with: enough that it keeps >= f + 1 significant
 *  bits (f = precision), so the rescale costs no more range than multiplying by a value near 1. */
export function constBits(value: number, precision: number): number {
  if (value === 0 || !Number.isFinite(value)) return precision;
  const e = Math.floor(Math.log2(Math.abs(value)));
  return Math.min(62 - 16, Math.max(precision, precision - e));
}

/** x * value for a compile-time constant. An integer constant multiplies exactly (no
 *  truncation); any other is encoded with `constBits` fractional bits and truncated after. */
export function mulConst(b: PlanBuilder, x: string, value: number, out: ValueSpec): string {
  if (Number.isInteger(value) && Math.abs(value) <= Number.MAX_SAFE_INTEGER) {
    return b.local("mul_const", [x], { value, bits: 0 }, [out])[0]!;
  }
  const bits = constBits(value, b.ctx.precision);
  const [z] = b.local("mul_const", [x], { value, bits }, [out]);
  return truncate(b, z!, bits, out);
}

/** mean over `axis` (absent: all elements), keepdims as NumPy: a sum, then a multiply by the
 *  constant 1/count. */
export function meanSecret(b: PlanBuilder, x: string, attrs: Record<string, unknown>, out: ValueSpec): string {
  const shape = b.info(x).shape;
  const axis = attrs["axis"];
  const axes = axis === undefined || axis === null ? shape.map((_, i) => i) : Array.isArray(axis) ? (axis as number[]) : [axis as number];
  const count = axes.reduce((n, a) => n * shape[a < 0 ? a + shape.length : a]!, 1);
  const [s] = b.local("sum", [x], attrs, [out]);
  return count === 1 ? s! : mulConst(b, s!, 1 / count, out);
}

/** cast of a secret value: int/bool -> fixed multiplies by 2^f (free); fixed -> int divides
 *  by 2^f (truncate: floor, or one more); bool -> int and same-type casts are free. */
export function castSecret(b: PlanBuilder, x: string, to: "fixed" | "int" | "bool", out: ValueSpec): string {
  const from = b.info(x).elem;
  if (from === to || (from === "bool" && to === "int")) return b.local("reshape", [x], { shape: out.shape }, [out])[0]!;
  if (to === "fixed") return b.local("lshift", [x], { bits: b.ctx.precision }, [out])[0]!;
  if (from === "fixed" && to === "int") return truncate(b, x, b.ctx.precision, out);
  throw new Error(`internal: cast of a secret ${from} to ${to} needs a comparison protocol`);
}
