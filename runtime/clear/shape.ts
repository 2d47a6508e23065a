// Shape ops in the clear: transpose, reshape, flatten, concat, stack, slice, broadcast_to, the
// zeros/ones constructors and cast. They move or copy values and never compute with them
// (except cast, which rounds to the target element type).

import { intListAttr, numberAttr } from "./attrs.js";
import { broadcastTo, type ClearTensor, ClearOpError, checkShape, filled, normAxis, showShape, size, strides } from "./tensor.js";

type Attrs = Record<string, unknown>;

/** Permute axes (`perm`; default: reverse them, as NumPy's transpose). */
export function transpose(t: ClearTensor, attrs: Attrs): ClearTensor {
  const rank = t.shape.length;
  const perm = intListAttr("transpose", attrs, "perm") ?? t.shape.map((_, i) => rank - 1 - i);
  if (perm.length !== rank) throw new ClearOpError("transpose", `perm has ${perm.length} axes but the operand has rank ${rank}`);
  const p = perm.map((a) => normAxis("transpose", a, rank));
  if (new Set(p).size !== rank) throw new ClearOpError("transpose", `perm [${perm.join(", ")}] is not a permutation`);
  const shape = p.map((a) => t.shape[a]!);
  const src = strides(t.shape);
  const step = p.map((a) => src[a]!);
  const n = t.data.length;
  const out = new Float64Array(n);
  // Fast path: 2-d transpose.
  if (rank === 2 && p[0] === 1) {
    const [r, c] = t.shape as [number, number];
    for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[j * r + i] = t.data[i * c + j]!;
    return { data: out, shape };
  }
  const counter = new Array<number>(rank).fill(0);
  let pos = 0;
  for (let k = 0; k < n; k++) {
    out[k] = t.data[pos]!;
    for (let a = rank - 1; a >= 0; a--) {
      counter[a]!++;
      pos += step[a]!;
      if (counter[a]! < shape[a]!) break;
      pos -= step[a]! * counter[a]!;
      counter[a] = 0;
    }
  }
  return { data: out, shape };
}

/** Same elements in row-major order, new shape (one dimension may be -1: inferred). */
export function reshape(t: ClearTensor, attrs: Attrs): ClearTensor {
  const want = intListAttr("reshape", attrs, "shape");
  if (want === undefined) throw new ClearOpError("reshape", "attribute shape is required");
  const unknown = want.filter((d) => d === -1).length;
  if (unknown > 1) throw new ClearOpError("reshape", "at most one dimension may be -1");
  let shape = want;
  if (unknown === 1) {
    const known = size(want.filter((d) => d !== -1));
    if (known === 0 || t.data.length % known !== 0) {
      throw new ClearOpError("reshape", `cannot reshape ${showShape(t.shape)} to ${showShape(want)}`);
    }
    shape = want.map((d) => (d === -1 ? t.data.length / known : d));
  }
  checkShape("reshape", shape);
  if (size(shape) !== t.data.length) throw new ClearOpError("reshape", `cannot reshape ${showShape(t.shape)} to ${showShape(want)}`);
  return { data: t.data.slice(), shape };
}

/** [n, ...] -> [n, prod(...)] (a [n] vector becomes [n, 1]). */
export function flatten(t: ClearTensor): ClearTensor {
  if (t.shape.length === 0) throw new ClearOpError("flatten", "needs at least one axis");
  return { data: t.data.slice(), shape: [t.shape[0]!, size(t.shape.slice(1))] };
}

/** Join along an existing axis. */
export function concat(ts: ClearTensor[], attrs: Attrs): ClearTensor {
  if (ts.length === 0) throw new ClearOpError("concat", "needs at least one operand");
  const rank = ts[0]!.shape.length;
  if (rank === 0) throw new ClearOpError("concat", "cannot concatenate scalars (use stack)");
  const axis = normAxis("concat", numberAttr("concat", attrs, "axis", 0), rank);
  for (const t of ts) {
    if (t.shape.length !== rank || t.shape.some((d, i) => i !== axis && d !== ts[0]!.shape[i])) {
      throw new ClearOpError("concat", `shapes ${ts.map((x) => showShape(x.shape)).join(", ")} do not match outside axis ${axis}`);
    }
  }
  const shape = [...ts[0]!.shape];
  shape[axis] = ts.reduce((acc, t) => acc + t.shape[axis]!, 0);
  const outer = size(shape.slice(0, axis));
  const out = new Float64Array(size(shape));
  let pos = 0;
  for (let o = 0; o < outer; o++) {
    for (const t of ts) {
      const chunk = size(t.shape.slice(axis));
      out.set(t.data.subarray(o * chunk, (o + 1) * chunk), pos);
      pos += chunk;
    }
  }
  return { data: out, shape };
}

/** Join along a new axis (all operands have the same shape). */
export function stack(ts: ClearTensor[], attrs: Attrs): ClearTensor {
  if (ts.length === 0) throw new ClearOpError("stack", "needs at least one operand");
  const base = ts[0]!.shape;
  for (const t of ts) {
    if (t.shape.length !== base.length || t.shape.some((d, i) => d !== base[i])) {
      throw new ClearOpError("stack", `shapes ${ts.map((x) => showShape(x.shape)).join(", ")} differ`);
    }
  }
  const axis = normAxis("stack", numberAttr("stack", attrs, "axis", 0), base.length + 1);
  const expanded = ts.map((t) => ({ data: t.data, shape: [...base.slice(0, axis), 1, ...base.slice(axis)] }));
  return concat(expanded, { axis });
}

/** One axis of a slice: a single index (drops the axis) or a half-open range. */
type AxisSel = { index: number } | { start: number; end: number };

/** Decode `ranges` as compiler/check/expr/subscript.ts writes it: one entry per axis, either
 *  [start, end] (a half-open range) or [i, null] (an index: the axis is dropped). A bare number
 *  is also an index. Negative values count from the end (Python); ranges clamp to the axis
 *  like Python slices, indices must be in range. Axes past the list are taken whole. */
function decodeRanges(t: ClearTensor, attrs: Attrs): AxisSel[] {
  const raw = attrs["ranges"];
  if (!Array.isArray(raw)) throw new ClearOpError("slice", "attribute ranges must be a list");
  if (raw.length > t.shape.length) {
    throw new ClearOpError("slice", `${raw.length} indices for a tensor of rank ${t.shape.length}`);
  }
  const bad = (): never => {
    throw new ClearOpError("slice", "each entry of ranges must be [start, end] or [index, null]");
  };
  const isIdx = (x: unknown): x is number => typeof x === "number" && Number.isInteger(x);
  return t.shape.map((dim, axis): AxisSel => {
    if (axis >= raw.length) return { start: 0, end: dim };
    const r: unknown = raw[axis];
    const idx = isIdx(r) ? r : Array.isArray(r) && r.length === 2 && isIdx(r[0]) && r[1] === null ? r[0] : undefined;
    if (idx !== undefined) {
      const i = idx < 0 ? idx + dim : idx;
      if (i < 0 || i >= dim) throw new ClearOpError("slice", `index ${idx} is out of range for axis ${axis} of size ${dim}`);
      return { index: i };
    }
    if (!Array.isArray(r) || r.length !== 2 || !isIdx(r[0]) || !isIdx(r[1])) return bad();
    const clamp = (v: number): number => Math.min(Math.max(v < 0 ? v + dim : v, 0), dim);
    const start = clamp(r[0]);
    return { start, end: Math.max(start, clamp(r[1])) };
  });
}

export function slice(t: ClearTensor, attrs: Attrs): ClearTensor {
  const sel = decodeRanges(t, attrs);
  const starts = sel.map((s) => ("index" in s ? s.index : s.start));
  const lens = sel.map((s) => ("index" in s ? 1 : s.end - s.start));
  const src = strides(t.shape);
  const n = size(lens);
  const out = new Float64Array(n);
  const rank = t.shape.length;
  let base = 0;
  for (let a = 0; a < rank; a++) base += starts[a]! * src[a]!;
  const counter = new Array<number>(rank).fill(0);
  let pos = base;
  for (let k = 0; k < n; k++) {
    out[k] = t.data[pos]!;
    for (let a = rank - 1; a >= 0; a--) {
      counter[a]!++;
      pos += src[a]!;
      if (counter[a]! < lens[a]!) break;
      pos -= src[a]! * counter[a]!;
      counter[a] = 0;
    }
  }
  return { data: out, shape: lens.filter((_, a) => !("index" in sel[a]!)) };
}

export function broadcastToOp(t: ClearTensor, attrs: Attrs): ClearTensor {
  const shape = intListAttr("broadcast_to", attrs, "shape");
  if (shape === undefined) throw new ClearOpError("broadcast_to", "attribute shape is required");
  checkShape("broadcast_to", shape);
  return broadcastTo("broadcast_to", t, shape);
}

export function constant(op: "zeros" | "ones", attrs: Attrs): ClearTensor {
  const shape = intListAttr(op, attrs, "shape");
  if (shape === undefined) throw new ClearOpError(op, "attribute shape is required");
  checkShape(op, shape);
  return filled(shape, op === "ones" ? 1 : 0);
}

/** Change element type. -> fixed: unchanged. -> int: floor, the same as the secure runtime's
 *  arithmetic shift of a fixed-point value (so cast(-0.5) is -1). -> bool: 1 where non-zero. */
export function cast(t: ClearTensor, attrs: Attrs): ClearTensor {
  const to = attrs["to"];
  const out = new Float64Array(t.data.length);
  if (to === "fixed") out.set(t.data);
  else if (to === "int") for (let k = 0; k < out.length; k++) out[k] = Math.floor(t.data[k]!);
  else if (to === "bool") for (let k = 0; k < out.length; k++) out[k] = t.data[k] !== 0 ? 1 : 0;
  else throw new ClearOpError("cast", "attribute to must be fixed, int or bool");
  return { data: out, shape: [...t.shape] };
}
