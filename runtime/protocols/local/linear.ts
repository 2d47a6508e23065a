// Local functions that are linear in the shares: addition, subtraction, negation, the shape
// ops, and operations with a clear operand (added by one party; multiplied by every party).
// Exact on the ring; no randomness, no communication. Shape ops follow the attribute rules of
// the clear op of the same name (runtime/clear), so a shared value and its plaintext
// reference have the same shape and element order.

import { evalClearOp, type ClearTensor } from "../../clear/index.js";
import {
  ringAdd,
  ringBroadcastTo,
  ringConcat,
  ringMatmul,
  ringMul,
  ringMulScalar,
  ringNeg,
  ringShiftLeft,
  ringStack,
  ringSub,
  ringSum,
  ringTranspose,
  sameShape,
} from "../../ring/index.js";
import { elemBits, encodeClear, encodeScalar } from "./encode.js";
import { clearArg, type LocalFn, type LocalValue, ringArg } from "./types.js";

const one = (v: LocalValue): LocalValue[] => [v];

export const add: LocalFn = (_ctx, args) => one(ringAdd(ringArg("add", args, 0), ringArg("add", args, 1)));
export const sub: LocalFn = (_ctx, args) => one(ringSub(ringArg("sub", args, 0), ringArg("sub", args, 1)));
export const neg: LocalFn = (_ctx, args) => one(ringNeg(ringArg("neg", args, 0)));

/** x * 2^bits. */
export const lshift: LocalFn = (_ctx, args, attrs) => one(ringShiftLeft(ringArg("lshift", args, 0), intAttr("lshift", attrs, "bits")));

/** x + c (or x - c, c - x) with c clear: only party `by` adds it; the others broadcast their
 *  share to the output shape (attr shape) so every party's share has the same shape. */
export const add_public: LocalFn = (ctx, args, attrs) => {
  const x = ringArg("add_public", args, 0);
  const subtract = attrs["subtract"];
  const by = attrs["by"];
  const holder = by === undefined ? ctx.index === 0 : by === ctx.party;
  const shape = attrs["shape"] as number[] | undefined;
  const xs = subtract === "secret" ? ringNeg(x) : x;
  if (!holder) return one(shape && !sameShape(shape, xs.shape) ? ringBroadcastTo(xs, shape) : xs);
  const c = encodeClear(clearArg("add_public", args, 1), elemBits(attrs["elem"], ctx.precision), "addition of a clear value");
  const z = subtract === "clear" ? ringSub(xs, c) : ringAdd(xs, c);
  return one(shape && !sameShape(shape, z.shape) ? ringBroadcastTo(z, shape) : z);
};

/** x * c, c clear public; with attr reciprocal, x * (1/c) encoded with attr bits. */
export const mul_public: LocalFn = (ctx, args, attrs) => {
  const x = ringArg("mul_public", args, 0);
  const reciprocal = attrs["reciprocal"] === true;
  const bits = reciprocal ? intAttr("mul_public", attrs, "bits") : elemBits(attrs["elem"], ctx.precision);
  const c = encodeClear(clearArg("mul_public", args, 1), bits, reciprocal ? "division by a public value" : "multiplication by a public value", reciprocal);
  return one(c.shape.length === 0 ? ringMulScalar(x, c.data[0]!) : ringMul(x, c));
};

/** x @ c (side right) or c @ x (side left), c clear public. */
export const matmul_public: LocalFn = (ctx, args, attrs) => {
  const x = ringArg("matmul_public", args, 0);
  const c = encodeClear(clearArg("matmul_public", args, 1), elemBits(attrs["elem"], ctx.precision), "matrix product with a public value");
  return one(attrs["side"] === "left" ? ringMatmul(c, x) : ringMatmul(x, c));
};

/** x * value, the constant encoded with attr bits fractional bits. */
export const mul_const: LocalFn = (_ctx, args, attrs) => {
  const x = ringArg("mul_const", args, 0);
  const value = attrs["value"];
  if (typeof value !== "number") throw new Error("internal: local mul_const needs a numeric attribute value");
  return one(ringMulScalar(x, encodeScalar(value, intAttr("mul_const", attrs, "bits"), "multiplication by a constant")));
};

// ---- shape ops ----

export const sum: LocalFn = (_ctx, args, attrs) => {
  const x = ringArg("sum", args, 0);
  const rank = x.shape.length;
  const raw = attrs["axis"];
  const keepdims = attrs["keepdims"] === true;
  const axes =
    raw === undefined || raw === null
      ? x.shape.map((_, i) => i)
      : (Array.isArray(raw) ? (raw as number[]) : [raw as number]).map((a) => normAxis("sum", a, rank));
  if (new Set(axes).size !== axes.length) throw new Error("internal: local sum: an axis is repeated");
  let t = x;
  for (const a of [...axes].sort((p, q) => q - p)) t = ringSum(t, a, true);
  const shape = keepdims ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d)) : x.shape.filter((_, i) => !axes.includes(i));
  if (t === x) return one({ data: x.data.slice(), shape });
  return one({ data: t.data, shape });
};

export const transpose: LocalFn = (_ctx, args, attrs) => {
  const x = ringArg("transpose", args, 0);
  const perm = attrs["perm"] as number[] | undefined;
  return one(ringTranspose(x, perm?.map((a) => normAxis("transpose", a, x.shape.length))));
};

export const reshape: LocalFn = (_ctx, args, attrs) => {
  const x = ringArg("reshape", args, 0);
  const want = attrs["shape"];
  if (!Array.isArray(want)) throw new Error("internal: local reshape needs attribute shape");
  const known = (want as number[]).filter((d) => d !== -1).reduce((a, d) => a * d, 1);
  const shape = (want as number[]).map((d) => (d === -1 ? x.data.length / known : d));
  if (shape.reduce((a, d) => a * d, 1) !== x.data.length) {
    throw new Error(`internal: local reshape: cannot reshape [${x.shape.join(", ")}] to [${want.join(", ")}]`);
  }
  // shares are never mutated in place, so the new shape may share the data
  return one({ data: x.data, shape });
};

export const flatten: LocalFn = (_ctx, args) => {
  const x = ringArg("flatten", args, 0);
  if (x.shape.length === 0) throw new Error("internal: local flatten needs at least one axis");
  return one({ data: x.data, shape: [x.shape[0]!, x.shape.slice(1).reduce((a, d) => a * d, 1)] });
};

export const concat: LocalFn = (_ctx, args, attrs) => {
  const xs = args.map((_, k) => ringArg("concat", args, k));
  return one(ringConcat(xs, normAxis("concat", axisAttr(attrs), xs[0]!.shape.length)));
};

export const stack: LocalFn = (_ctx, args, attrs) => {
  const xs = args.map((_, k) => ringArg("stack", args, k));
  return one(ringStack(xs, normAxis("stack", axisAttr(attrs), xs[0]!.shape.length + 1)));
};

export const broadcast_to: LocalFn = (_ctx, args, attrs) => {
  const x = ringArg("broadcast_to", args, 0);
  const shape = attrs["shape"];
  if (!Array.isArray(shape)) throw new Error("internal: local broadcast_to needs attribute shape");
  return one(ringBroadcastTo(x, shape as number[]));
};

/** Slice by gathering: the clear op, applied to the element indices, says which elements
 *  land where, so the semantics (negative bounds, clamping, index axes) are exactly the
 *  clear op's. The index map is cached per shape and attributes. */
export const slice: LocalFn = (_ctx, args, attrs) => {
  const x = ringArg("slice", args, 0);
  const map = indexMap("slice", x.shape, attrs);
  const out = new BigUint64Array(map.index.length);
  const src = x.data;
  const idx = map.index;
  for (let k = 0; k < idx.length; k++) out[k] = src[idx[k]!]!;
  return one({ data: out, shape: [...map.shape] });
};

// ---- helpers ----

function intAttr(fn: string, attrs: Record<string, unknown>, name: string): number {
  const v = attrs[name];
  if (typeof v !== "number" || !Number.isInteger(v)) throw new Error(`internal: local ${fn} needs an integer attribute ${name}`);
  return v;
}

function axisAttr(attrs: Record<string, unknown>): number {
  const a = attrs["axis"];
  return typeof a === "number" ? a : 0;
}

function normAxis(fn: string, axis: number, rank: number): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) throw new Error(`internal: local ${fn}: axis ${axis} out of range for rank ${rank}`);
  return axis < 0 ? axis + rank : axis;
}

interface IndexMap {
  index: Float64Array;
  shape: number[];
}

const INDEX_CACHE_MAX = 64;
const indexCache = new Map<string, IndexMap>();

function indexMap(op: string, shape: readonly number[], attrs: Record<string, unknown>): IndexMap {
  const key = `${op}|${shape.join(",")}|${JSON.stringify(attrs)}`;
  const hit = indexCache.get(key);
  if (hit) return hit;
  const n = shape.reduce((a, d) => a * d, 1);
  const ids: ClearTensor = { data: new Float64Array(n), shape: [...shape] };
  for (let k = 0; k < n; k++) ids.data[k] = k;
  const r = evalClearOp(op, [ids], attrs);
  const map = { index: r.data, shape: r.shape };
  if (indexCache.size >= INDEX_CACHE_MAX) indexCache.delete(indexCache.keys().next().value!);
  indexCache.set(key, map);
  return map;
}
