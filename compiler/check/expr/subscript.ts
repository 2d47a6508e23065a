// `x[i, a:b, :]`: indexing and slicing with compile-time constant bounds (op `slice`).
// Negative indices and bounds count from the end, as in Python (x[-1] is the last element);
// out-of-range values are errors rather than being clamped, and a slice must not be empty.
// attrs.ranges has one entry per axis of x: [start, end] for a slice (0 <= start < end <= n),
// [i, null] for an index (the axis is dropped). Omitted trailing axes are kept whole.

import type { Expr, IndexExpr, Span } from "../../../grammar/ast.js";
import type { Checker } from "../context.js";
import { constValue } from "../consteval.js";
import type { TExpr } from "../typed.js";
import { showType } from "../types.js";
import { checkExpr } from "./expression.js";

export function checkSubscript(cx: Checker, e: IndexExpr): TExpr | undefined {
  const x = checkExpr(cx, e.object);
  // Evaluate every bound (reporting their own errors) before looking at x.
  let ok = true;
  const bound = (b: Expr | undefined): number | undefined | null => {
    if (!b) return null;
    const t = checkExpr(cx, b);
    if (!t) {
      ok = false;
      return undefined;
    }
    const v = constValue(t);
    if (v === undefined) {
      cx.error("notConstant", b.span, "an index must be a compile-time constant", "use a literal or a `const`; loops are not unrolled, so a loop variable is not a compile-time constant");
      ok = false;
      return undefined;
    }
    if (typeof v !== "number" || !Number.isInteger(v)) {
      cx.error("constantType", b.span, `an index must be an integer, got ${Array.isArray(v) ? `[${v.join(", ")}]` : String(v)}`);
      ok = false;
      return undefined;
    }
    return v;
  };
  const items = e.indices.map((it) =>
    it.kind === "Index"
      ? { kind: "index" as const, span: it.span, i: bound(it.value) }
      : { kind: "slice" as const, span: it.span, start: bound(it.start), end: bound(it.end) },
  );
  if (!x || !ok) return undefined;
  const shape = x.type.shape;
  if (items.length > shape.length) {
    cx.error(
      "tooManyIndices",
      items[shape.length]!.span,
      shape.length === 0 ? `cannot index a scalar (${showType(x.type)})` : `too many indices: ${showType(x.type)} has ${shape.length} ax${shape.length === 1 ? "is" : "es"}, got ${items.length} indices`,
    );
    return undefined;
  }
  const ranges: (number | null)[][] = [];
  const out: number[] = [];
  for (const [axis, n] of shape.entries()) {
    const it = items[axis];
    if (!it) {
      ranges.push([0, n]);
      out.push(n);
      continue;
    }
    if (it.kind === "index") {
      const i = normaliseIndex(cx, it.i!, n, it.span, axis);
      if (i === undefined) return undefined;
      ranges.push([i, null]);
      continue;
    }
    const start = it.start === null ? 0 : normaliseBound(cx, it.start!, n, it.span, axis);
    const end = it.end === null ? n : normaliseBound(cx, it.end!, n, it.span, axis);
    if (start === undefined || end === undefined) return undefined;
    if (start >= end) {
      cx.error("emptySlice", it.span, `the slice selects no elements: ${start}..${end} of axis ${axis} (length ${n})`, "slices need start < end");
      return undefined;
    }
    ranges.push([start, end]);
    out.push(end - start);
  }
  return { k: "op", op: "slice", args: [x], attrs: { ranges }, type: { elem: x.type.elem, shape: out, vis: x.type.vis }, span: e.span };
}

function normaliseIndex(cx: Checker, i: number, n: number, span: Span, axis: number): number | undefined {
  if (i < -n || i >= n) {
    cx.error("indexOutOfRange", span, `index ${i} is out of range for axis ${axis} of length ${n}`, `valid indices are ${-n}..${n - 1}`);
    return undefined;
  }
  return i < 0 ? i + n : i;
}

function normaliseBound(cx: Checker, b: number, n: number, span: Span, axis: number): number | undefined {
  if (b < -n || b > n) {
    cx.error("indexOutOfRange", span, `slice bound ${b} is out of range for axis ${axis} of length ${n}`, `valid bounds are ${-n}..${n}`);
    return undefined;
  }
  return b < 0 ? b + n : b;
}
