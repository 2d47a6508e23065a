// Typed expression builders for the derivative: each helper makes one op node of
// runtime/plan/ops.ts with the element type, static shape and visibility the checker would
// give it (visibility is the join of the operands', constants are public), so the expanded
// program is indistinguishable from one the user could have written. A few algebraic
// simplifications (x * 1, x / 1, -(-x), constant folding of scalar literals, no-op reshapes)
// keep the output readable; they never change a value.
//
// Must never: invent an op outside the op table, or build a node whose shape the checker's
// rules would reject (downstream phases trust these types).

import type { ElemType, Span } from "../../grammar/ast.js";
import type { OpName } from "../../runtime/plan/ops.js";
import { joinVisibility, PUBLIC } from "../../runtime/plan/visibility.js";
import { broadcast, elementCount, matmulShape, reduceShape, sameShape } from "../check/shapes.js";
import type { Attr, TExpr } from "../check/typed.js";

export type OpExpr = Extract<TExpr, { k: "op" }>;

const visOf = (args: readonly TExpr[]) => args.reduce((v, a) => joinVisibility(v, a.type.vis), PUBLIC);

export const isConst = (e: TExpr, v?: number): e is Extract<TExpr, { k: "const" }> =>
  e.k === "const" && typeof e.value === "number" && e.type.shape.length === 0 && (v === undefined || e.value === v);

/** Expressions cheap and side-effect free to repeat: a literal, an input, a name. */
export const isAtomic = (e: TExpr): boolean => e.k === "const" || e.k === "input" || e.k === "ref";

export class Builder {
  constructor(readonly span: Span) {}

  op(op: OpName, args: TExpr[], attrs: Record<string, Attr>, shape: number[], elem: ElemType = "fixed"): OpExpr {
    return { k: "op", op, args, attrs, type: { elem, shape, vis: visOf(args) }, span: this.span };
  }

  num(v: number): TExpr {
    return { k: "const", value: v, type: { elem: "fixed", shape: [], vis: PUBLIC }, span: this.span };
  }

  zeros(shape: number[]): TExpr {
    return this.op("zeros", [], { shape: [...shape] }, [...shape]);
  }

  // ---------------------------------------------------------------- elementwise

  private bin(op: "add" | "sub" | "mul" | "div", a: TExpr, b: TExpr): TExpr {
    const shape = broadcast(a.type.shape, b.type.shape);
    if (!shape) throw new Error(`internal: autodiff built ${op} of [${a.type.shape}] and [${b.type.shape}]`);
    if (isConst(a) && isConst(b)) {
      const x = a.value as number;
      const y = b.value as number;
      return this.num(op === "add" ? x + y : op === "sub" ? x - y : op === "mul" ? x * y : x / y);
    }
    return this.op(op, [a, b], {}, shape);
  }

  add(a: TExpr, b: TExpr): TExpr {
    if (isConst(a, 0) && sameShape(b.type.shape, broadcast(a.type.shape, b.type.shape)!)) return b;
    if (isConst(b, 0) && sameShape(a.type.shape, broadcast(a.type.shape, b.type.shape)!)) return a;
    return this.bin("add", a, b);
  }

  sub(a: TExpr, b: TExpr): TExpr {
    if (isConst(b, 0) && sameShape(a.type.shape, broadcast(a.type.shape, b.type.shape)!)) return a;
    return this.bin("sub", a, b);
  }

  mul(a: TExpr, b: TExpr): TExpr {
    const shape = broadcast(a.type.shape, b.type.shape);
    if (shape && isConst(a, 1) && sameShape(b.type.shape, shape)) return b;
    if (shape && isConst(b, 1) && sameShape(a.type.shape, shape)) return a;
    if (shape && isConst(a, -1) && sameShape(b.type.shape, shape)) return this.neg(b);
    if (shape && isConst(b, -1) && sameShape(a.type.shape, shape)) return this.neg(a);
    return this.bin("mul", a, b);
  }

  div(a: TExpr, b: TExpr): TExpr {
    if (isConst(b, 1) && sameShape(a.type.shape, broadcast(a.type.shape, b.type.shape)!)) return a;
    return this.bin("div", a, b);
  }

  neg(a: TExpr): TExpr {
    if (isConst(a)) return this.num(-(a.value as number));
    if (a.k === "op" && a.op === "neg") return a.args[0]!;
    return this.op("neg", [a], {}, [...a.type.shape]);
  }

  unary(op: "square" | "exp" | "log" | "sign" | "reciprocal" | "inv_sqrt", a: TExpr): TExpr {
    return this.op(op, [a], {}, [...a.type.shape]);
  }

  square(a: TExpr): TExpr {
    return this.unary("square", a);
  }

  softmax(a: TExpr, axis: number): TExpr {
    return this.op("softmax", [a], { axis }, [...a.type.shape]);
  }

  logSoftmax(a: TExpr, axis: number): TExpr {
    return this.op("log_softmax", [a], { axis }, [...a.type.shape]);
  }

  clip(a: TExpr, min: number, max: number): TExpr {
    return this.op("clip", [a], { min, max }, [...a.type.shape]);
  }

  // ---------------------------------------------------------------- comparisons and select

  cmp(op: "lt" | "le" | "gt" | "ge" | "eq", a: TExpr, b: TExpr): TExpr {
    return this.op(op, [a, b], {}, broadcast(a.type.shape, b.type.shape)!, "bool");
  }

  and(a: TExpr, b: TExpr): TExpr {
    return this.op("and", [a, b], {}, broadcast(a.type.shape, b.type.shape)!, "bool");
  }

  select(c: TExpr, a: TExpr, b: TExpr): TExpr {
    const shape = broadcast(broadcast(a.type.shape, b.type.shape)!, c.type.shape)!;
    return this.op("select", [c, a, b], {}, shape);
  }

  // ---------------------------------------------------------------- linear algebra, reductions

  matmul(a: TExpr, b: TExpr): TExpr {
    const r = matmulShape(a.type.shape, b.type.shape);
    if (!("shape" in r)) throw new Error(`internal: autodiff built matmul of [${a.type.shape}] and [${b.type.shape}]`);
    return this.op("matmul", [a, b], {}, r.shape);
  }

  /** sum over one axis (or all when undefined). */
  sum(a: TExpr, axis: number | undefined, keepdims: boolean): TExpr {
    const attrs: Record<string, Attr> = { keepdims };
    if (axis !== undefined) attrs["axis"] = axis;
    return this.op("sum", [a], attrs, reduceShape(a.type.shape, axis, keepdims));
  }

  // ---------------------------------------------------------------- shape ops

  reshape(a: TExpr, shape: readonly number[]): TExpr {
    if (sameShape(a.type.shape, shape)) return a;
    if (a.k === "op" && a.op === "reshape") a = a.args[0]!;
    if (sameShape(a.type.shape, shape)) return a;
    if (isConst(a)) return this.op("broadcast_to", [a], { shape: [...shape] }, [...shape]);
    return this.op("reshape", [a], { shape: [...shape] }, [...shape]);
  }

  broadcastTo(a: TExpr, shape: readonly number[]): TExpr {
    if (sameShape(a.type.shape, shape)) return a;
    return this.op("broadcast_to", [a], { shape: [...shape] }, [...shape]);
  }

  transpose(a: TExpr, perm: readonly number[]): TExpr {
    if (perm.every((p, i) => p === i)) return a;
    return this.op("transpose", [a], { perm: [...perm] }, perm.map((p) => a.type.shape[p]!));
  }

  concat(parts: TExpr[], axis: number): TExpr {
    if (parts.length === 1) return parts[0]!;
    const shape = [...parts[0]!.type.shape];
    shape[axis] = parts.reduce((n, p) => n + p.type.shape[axis]!, 0);
    return this.op("concat", parts, { axis }, shape);
  }

  stack(parts: TExpr[], axis: number): TExpr {
    const shape = [...parts[0]!.type.shape];
    shape.splice(axis, 0, parts.length);
    return this.op("stack", parts, { axis }, shape);
  }

  /** `ranges` as the checker writes it: one entry per axis, [start, end] or [index, null]. */
  slice(a: TExpr, ranges: (number | null)[][]): TExpr {
    const s = a.type.shape;
    if (ranges.every((r, i) => r[1] !== null && r[0] === 0 && r[1] === s[i])) return a;
    const shape: number[] = [];
    ranges.forEach((r, i) => {
      if (r[1] !== null) shape.push(r[1]! - r[0]!);
      else if (i >= s.length) throw new Error("internal: autodiff slice past rank");
    });
    return this.op("slice", [a], { ranges: ranges.map((r) => [...r]) }, shape);
  }

  /** Zeros before and after along `axis` (negative amounts crop instead). */
  padAxis(a: TExpr, axis: number, before: number, after: number): TExpr {
    const s = a.type.shape;
    let x = a;
    if (before < 0 || after < 0) {
      const ranges = s.map((d): (number | null)[] => [0, d]);
      ranges[axis] = [Math.max(0, -before), s[axis]! - Math.max(0, -after)];
      x = this.slice(x, ranges);
    }
    const parts: TExpr[] = [];
    const zeros = (n: number): TExpr => {
      const zs = [...x.type.shape];
      zs[axis] = n;
      return this.zeros(zs);
    };
    if (before > 0) parts.push(zeros(before));
    parts.push(x);
    if (after > 0) parts.push(zeros(after));
    return this.concat(parts, axis);
  }

  conv2d(x: TExpr, w: TExpr, stride: number, padding: number): TExpr {
    const [n, , h, wd] = x.type.shape as [number, number, number, number];
    const [o, , kh, kw] = w.type.shape as [number, number, number, number];
    const shape = [n, o, Math.floor((h + 2 * padding - kh) / stride) + 1, Math.floor((wd + 2 * padding - kw) / stride) + 1];
    return this.op("conv2d", [x, w], { stride, padding }, shape);
  }
}

export { elementCount, sameShape };
