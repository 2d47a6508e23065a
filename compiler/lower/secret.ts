// Secret ops -> protocol steps. Each secret op of the program graph becomes one of the spec
// protocols of runtime/protocols/spec (linear.ts: local work on shares and products with a
// public operand; arithmetic.ts: Beaver mul/square/matmul and truncation), so the plan the
// runtime executes and the cost model counts are the protocols' own steps. Operands arrive as
// plan values: arith shares for secret operands, clear values for the public operands that
// placement kept public. Element types: a secret operand is converted to the result's type
// where the protocol needs equal types (int + fixed); products leave scaling to the protocols
// (fixed*fixed truncates once, int*fixed does not). A product whose operands are both clear
// values private to two different parties (placement kept them private) is mulPrivate /
// matmulPrivate: neither operand is ever shared; a matmul of a private operand and a secret one
// that placement kept private is convPrivate as a 1x1 convolution, and an elementwise product
// of a private operand and a secret one is mulPrivateSecret. Never opens a value itself.

import type { PlanBuilder, ValueSpec } from "../../runtime/protocols/builder.js";
import {
  type MaskedOperand,
  matmulMasked,
  matmulPrivate,
  matmulSecret,
  mulPrivate,
  mulPrivateSecret,
  mulSecret,
  soleHolder,
  squareSecret,
  transposeMasked,
} from "../../runtime/protocols/spec/arithmetic.js";
import {
  addClear,
  castSecret,
  divPublic,
  linearSecret,
  matmulPublic,
  meanSecret,
  mulConst,
  mulPublic,
} from "../../runtime/protocols/spec/linear.js";
import type { ShareLinearOp } from "../../runtime/protocols/spec/linear.js";
import type { ElemType } from "../../runtime/plan/plan.js";
import { broadcastOrThrow } from "../../runtime/plan/shape.js";
import type { IrNode } from "../ir/graph.js";
import { lowerCompareOp } from "./compare.js";
import { lowerConvOp } from "./conv.js";
import { convPrivate } from "../../runtime/protocols/spec/conv.js";
import { lowerNonlinearOp } from "./nonlinear.js";
import { scaleAfterIsFree } from "./shared-masks.js";

/** A masked operand as a product sees it: x, transpose(x), or a scalar-constant multiple of
 *  either (scale: the product is multiplied by it after, c * (x @ y)). */
export type MaskView = MaskedOperand & { scale?: number };

const same = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((d, i) => d === b[i]);

/** `op(args)` on shares. `args` are plan value ids (arith, or clear for public operands);
 *  `consts` has the compile-time value of each operand that is a scalar constant; `masks` the
 *  operands already opened under their own mask (./shared-masks.ts), by plan value: a product
 *  of one opens only its other operand, and a transpose of one stays masked (A^T, E^T). */
export function lowerSecretOp(
  b: PlanBuilder,
  n: IrNode,
  args: string[],
  consts: (number | boolean | undefined)[],
  masks: Map<string, MaskView> = new Map(),
): string {
  const out: ValueSpec = { elem: n.elem, shape: n.shape };
  const isShares = (v: string): boolean => b.info(v).kind === "arith";
  const as = (v: string, elem: ElemType): string => (isShares(v) ? sharesAs(b, v, elem) : clearAs(b, v, elem));
  const linear = (op: ShareLinearOp, xs: string[], attrs: Record<string, unknown> = {}): string => linearSecret(b, op, xs, attrs, out);
  const [x, y, z] = args as [string, string, string];
  switch (n.op) {
    case "add":
    case "sub": {
      const [xe, ye] = [as(x, n.elem), as(y, n.elem)];
      if (isShares(x) && isShares(y)) return linear(n.op, [xe, ye]);
      if (n.op === "add") return isShares(x) ? addClear(b, xe, ye, out) : addClear(b, ye, xe, out);
      return isShares(x) ? addClear(b, xe, ye, out, "clear") : addClear(b, ye, xe, out, "secret");
    }
    case "neg":
      return linear("neg", [as(x, n.elem)]);
    case "square":
      return squareSecret(b, x, out);
    case "mul": {
      if (isShares(x) && isShares(y)) {
        if (x === y && same(b.info(x).shape, n.shape)) return squareSecret(b, x, out);
        return mulSecret(b, x, y, out);
      }
      if (isPrivatePair(b, x, y)) return mulPrivate(b, x, y, out);
      // one operand private, the other secret (placement kept the private one in the clear)
      if ((isShares(x) && isPrivateClear(b, y)) || (isShares(y) && isPrivateClear(b, x))) return mulPrivateSecret(b, x, y, out);
      const [s, c, k] = isShares(x) ? [x, y, consts[1]] : [y, x, consts[0]];
      // A compile-time constant is encoded with as many fractional bits as it needs (and an
      // integer constant multiplies exactly); a run-time public value with its own type.
      if (typeof k === "number") {
        const r = mulConst(b, sharesAs(b, s, n.elem), k, out);
        // k * x of a masked x stays a view of x: its products are scaled after
        const m = masks.get(s);
        if (m && scaleAfterIsFree(b.ctx.parties.length, k) && same(n.shape, b.info(m.a).shape) && b.info(s).elem === n.elem) masks.set(r, { ...m, scale: (m.scale ?? 1) * k });
        return r;
      }
      return mulPublic(b, s, c, out);
    }
    case "div": {
      // by a secret value: reciprocal and a product (./nonlinear.ts)
      if (isShares(y)) return lowerNonlinearOp(b, n, args)!;
      const k = consts[1];
      if (typeof k === "number") return mulConst(b, sharesAs(b, x, "fixed"), 1 / k, out);
      return divPublic(b, sharesAs(b, x, "fixed"), y, out);
    }
    case "mean":
      return meanSecret(b, sharesAs(b, x, "fixed"), { ...n.attrs }, out);
    case "matmul": {
      const [mx, my] = [masks.get(x), masks.get(y)];
      const out2 = n.shape.length === 2 && isShares(x) && isShares(y) && b.info(x).shape.length === 2 && b.info(y).shape.length === 2;
      // one side masked: open only the other (both masked: a plain triple, A is never reused as B)
      const scaled = (m: MaskView, z: string): string => (m.scale === undefined ? z : mulConst(b, z, m.scale, out));
      if (out2 && mx && !my) return scaled(mx, matmulMasked(b, mx, "left", y, out));
      if (out2 && my && !mx) return scaled(my, matmulMasked(b, my, "right", x, out));
      return lowerMatmul(b, n, x, y);
    }
    case "select": {
      // select(c, a, b) = b + c * (a - b): local when c is public, one Beaver product if not.
      const a = sharesAs(b, y, n.elem);
      const e = sharesAs(b, z, n.elem);
      const d = linearSecret(b, "sub", [a, e], {}, { elem: n.elem, shape: broadcastOrThrow(b.info(a).shape, b.info(e).shape) });
      const m = isShares(x) ? mulSecret(b, d, x, out) : mulPublic(b, d, x, out);
      return linear("add", [e, m]);
    }
    case "transpose": {
      const t = linear(n.op, [x], { ...n.attrs });
      const m = masks.get(x);
      const perm = n.attrs["perm"];
      const plain = perm === undefined || (Array.isArray(perm) && perm[0] === 1 && perm[1] === 0);
      if (m && plain && n.shape.length === 2) masks.set(t, { ...transposeMasked(b, m), ...(m.scale === undefined ? {} : { scale: m.scale }) });
      return t;
    }
    case "sum":
    case "reshape":
    case "flatten":
    case "slice":
    case "broadcast_to":
      return linear(n.op, [x], { ...n.attrs });
    case "concat":
    case "stack":
      return linear(
        n.op,
        args.map((a) => sharesAs(b, a, n.elem)),
        { ...n.attrs },
      );
    case "cast":
      return sharesAs(b, x, n.elem);
    default: {
      // comparisons and the ops built on them (./compare.ts)
      const r = lowerCompareOp(b, n, args, consts);
      if (r !== undefined) return r;
      // inference layers (./conv.ts)
      const c = lowerConvOp(b, n, args);
      if (c !== undefined) return c;
      // non-linear functions (./nonlinear.ts)
      const nl = lowerNonlinearOp(b, n, args);
      if (nl !== undefined) return nl;
      throw new Error(`internal: no secret lowering for ${n.op} (placement should have rejected it)`);
    }
  }
}

/** Are x and y clear values private to two different parties (placement's private products)? */
export function isPrivatePair(b: PlanBuilder, x: string, y: string): boolean {
  const [p, q] = [soleHolder(b, x), soleHolder(b, y)];
  return p !== undefined && q !== undefined && p !== q;
}

/** A clear value private to one compute party (not public). */
function isPrivateClear(b: PlanBuilder, v: string): boolean {
  return soleHolder(b, v) !== undefined;
}

/**
 * x @ y, x [n, k] and y [k, m], one operand a clear value private to one party and the other
 * secret (placement's mixedMatmulKeepsPrivate): the spec has no matrix protocol for that pair,
 * but x @ y is the 1x1 convolution of x as [n, k, 1, 1] (n images of k channels) with y^T as
 * [m, k, 1, 1] (m kernels), whose output [n, m, 1, 1] is x @ y in row-major order. So it is
 * convPrivate: the owner reshapes (and transposes) its operand in the clear and sends it
 * masked, the secret side is reshaped (and transposed) on shares, locally. 1 round, 1 dealer
 * item (C shaped like the product), no share of the private operand.
 */
function matmulAsConvPrivate(b: PlanBuilder, x: string, y: string, out: ValueSpec): string {
  const [n, k] = b.info(x).shape as [number, number];
  const m = b.info(y).shape[1]!;
  const view = (v: string, op: "reshape" | "transpose", attrs: Record<string, unknown>, shape: number[]): string => {
    const i = b.info(v);
    return i.kind === "arith"
      ? linearSecret(b, op, [v], attrs, { elem: i.elem, shape })
      : b.clear(op, [v], attrs, i.holders, { elem: i.elem, shape });
  };
  const images = view(x, "reshape", { shape: [n, k, 1, 1] }, [n, k, 1, 1]);
  const kernels = view(view(y, "transpose", {}, [m, k]), "reshape", { shape: [m, k, 1, 1] }, [m, k, 1, 1]);
  const z = convPrivate(b, images, kernels, { stride: 1, padding: 0 }, { elem: out.elem, shape: [n, m, 1, 1] });
  return linearSecret(b, "reshape", [z], { shape: out.shape }, out);
}

/** Shares converted to `elem` (int/bool -> fixed scales by 2^f; fixed -> int truncates). */
export function sharesAs(b: PlanBuilder, x: string, elem: ElemType): string {
  const i = b.info(x);
  if (i.elem === elem || (i.elem === "bool" && elem === "int")) return x;
  return castSecret(b, x, elem, { elem, shape: i.shape });
}

/** A clear value as `elem`, so a protocol encodes it at the scale of the shares it meets. */
function clearAs(b: PlanBuilder, c: string, elem: ElemType): string {
  const i = b.info(c);
  if (i.elem === elem || elem !== "fixed") return c;
  return b.clear("cast", [c], { to: elem }, i.holders, { elem, shape: i.shape });
}

/** x @ y with at least one secret side. 1-D operands are made 2-D first ([k] -> [1, k] on the
 *  left, [k, 1] on the right) and the product reshaped back, so every protocol sees matrices. */
function lowerMatmul(b: PlanBuilder, n: IrNode, x: string, y: string): string {
  const out: ValueSpec = { elem: n.elem, shape: n.shape };
  const as2d = (v: string, left: boolean): string => {
    const i = b.info(v);
    if (i.shape.length === 2) return v;
    const shape = left ? [1, i.shape[0]!] : [i.shape[0]!, 1];
    return i.kind === "arith"
      ? linearSecret(b, "reshape", [v], { shape }, { elem: i.elem, shape })
      : b.clear("reshape", [v], { shape }, i.holders, { elem: i.elem, shape });
  };
  const x2 = as2d(x, true);
  const y2 = as2d(y, false);
  const spec2: ValueSpec = { elem: n.elem, shape: [b.info(x2).shape[0]!, b.info(y2).shape[1]!] };
  let prod: string;
  if (b.info(x2).kind === "arith" && b.info(y2).kind === "arith") prod = matmulSecret(b, x2, y2, spec2);
  else if (isPrivatePair(b, x2, y2)) prod = matmulPrivate(b, x2, y2, spec2);
  else if (isPrivateClear(b, x2) || isPrivateClear(b, y2)) prod = matmulAsConvPrivate(b, x2, y2, spec2);
  else if (b.info(x2).kind === "arith") prod = matmulPublic(b, x2, y2, spec2, "right");
  else prod = matmulPublic(b, y2, x2, spec2, "left");
  if (same(spec2.shape, out.shape)) return prod;
  return linearSecret(b, "reshape", [prod], { shape: out.shape }, out);
}
