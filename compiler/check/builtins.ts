// The typing rule of every op, in one table keyed by op name (runtime/plan/ops.ts is the
// table of names). An entry says which built-in names call the op, its signature, and how
// the result's element type and shape follow from the arguments; the result's visibility is
// always the join of its tensor arguments' (see expr/call.ts). Operators (`+`, `<`, `@` …)
// reach the same rules through operators.ts. Adding an op: one entry here (plus ops.ts).
//
// Rules report their own errors through `Args` and the checker, and return undefined on
// error. They must never look at visibility: that is the caller's job.

import type { ElemType } from "../../grammar/ast.js";
import type { OpName } from "../../runtime/plan/ops.js";
import type { Args, Param } from "./args.js";
import type { Checker } from "./context.js";
import {
  broadcast,
  broadcastConflict,
  elementCount,
  matmulShape,
  normaliseAxis,
  reduceShape,
  sameShape,
  showShape,
} from "./shapes.js";
import type { Attr, TExpr } from "./typed.js";
import { coerce, isNumeric, promote, showType } from "./types.js";

export interface OpResult {
  /** The operands after coercion (int -> fixed where the op needs it). */
  args: TExpr[];
  attrs?: Record<string, Attr>;
  elem: ElemType;
  shape: number[];
}

export interface OpRule {
  /** Built-in names that call this op ([] for ops reached only through an operator or syntax). */
  names: readonly string[];
  /** Operator symbol, for ops written as operators. */
  symbol?: string;
  /** How messages say "cannot <verb> A and B". */
  verb?: string;
  sig: readonly Param[];
  type(a: Args, cx: Checker, name: string): OpResult | undefined;
}

// ---------------------------------------------------------------- signatures

const T = (name: string): Param => ({ name, kind: "tensor" });
const AXIS: Param = { name: "axis", kind: "int", optional: true };
const KEEPDIMS: Param = { name: "keepdims", kind: "bool", optional: true };
const BIN = [T("a"), T("b")];
const UN = [T("x")];

// ---------------------------------------------------------------- shared rule pieces

const ARITH_HINT = "arithmetic on bool: use select(c, a, b), or to_fixed(c) for 0/1";

/** `cannot add fixed[3, 4] and fixed[5]` with the conflicting dimensions as the hint. */
function broadcastOrReport(a: Args, cx: Checker, verb: string, x: TExpr, y: TExpr): number[] | undefined {
  const s = broadcast(x.type.shape, y.type.shape);
  if (s) {
    const vec = columnMeetsVector(x.type.shape, y.type.shape) ? y : columnMeetsVector(y.type.shape, x.type.shape) ? x : undefined;
    if (vec) {
      const n = vec.type.shape[0]!;
      cx.warning(
        "columnVectorBroadcast",
        a.callSpan,
        `${/^[A-Za-z_]/.test(a.callee) ? `\`${a.callee}\` of ${showType(x.type)} and ${showType(y.type)}` : `${showType(x.type)} ${a.callee} ${showType(y.type)}`} broadcasts to ${showShape(s)}`,
        `a column [${n}, 1] against a vector [${n}] makes every pair; for elementwise, make both columns: reshape(…, ${n}, 1)`,
      );
    }
    return s;
  }
  const c = broadcastConflict(x.type.shape, y.type.shape)!;
  cx.error(
    "broadcastMismatch",
    a.callSpan,
    `cannot ${verb} ${showType(x.type)} and ${showType(y.type)}`,
    `shapes ${showShape(x.type.shape)} and ${showShape(y.type.shape)} do not broadcast: dimension ${c.x} vs ${c.y} (axis ${c.axis}); each pair must be equal or 1`,
  );
  return undefined;
}

/** [.., n, 1] against [n] (n > 1): broadcasting makes an n x n outer table, nearly always a
 *  mistake for "the same n rows" (p - y with p: [569, 1] and y: [569]). */
function columnMeetsVector(col: readonly number[], vec: readonly number[]): boolean {
  const n = vec[0];
  return vec.length === 1 && n !== undefined && n > 1 && col.length >= 2 && col[col.length - 1] === 1 && col[col.length - 2] === n;
}

function numericBinary(verb: string, result: (e: ElemType) => ElemType) {
  return (a: Args, cx: Checker): OpResult | undefined => {
    const x = a.tensor("a");
    const y = a.tensor("b");
    if (a.failed) return undefined;
    if (!isNumeric(x.type.elem) || !isNumeric(y.type.elem)) {
      cx.error("boolArithmetic", a.callSpan, `cannot ${verb} ${showType(x.type)} and ${showType(y.type)}`, ARITH_HINT);
      return undefined;
    }
    const shape = broadcastOrReport(a, cx, verb, x, y);
    if (!shape) return undefined;
    const elem = promote(x.type.elem, y.type.elem);
    return { args: [coerce(x, elem), coerce(y, elem)], elem: result(elem), shape };
  };
}

function ordering(symbol: string) {
  return (a: Args, cx: Checker): OpResult | undefined => {
    const x = a.tensor("a");
    const y = a.tensor("b");
    if (a.failed) return undefined;
    if (!isNumeric(x.type.elem) || !isNumeric(y.type.elem)) {
      cx.error(
        "orderOnBool",
        a.callSpan,
        `cannot compare ${showType(x.type)} and ${showType(y.type)} with \`${symbol}\``,
        "bools can only be compared with == and !=",
      );
      return undefined;
    }
    const shape = broadcastOrReport(a, cx, "compare", x, y);
    if (!shape) return undefined;
    const elem = promote(x.type.elem, y.type.elem);
    return { args: [coerce(x, elem), coerce(y, elem)], elem: "bool", shape };
  };
}

function equality(a: Args, cx: Checker): OpResult | undefined {
  const x = a.tensor("a");
  const y = a.tensor("b");
  if (a.failed) return undefined;
  const bx = x.type.elem === "bool";
  const by = y.type.elem === "bool";
  if (bx !== by) {
    cx.error("mixedBoolNumber", a.callSpan, `cannot compare ${showType(x.type)} and ${showType(y.type)}`, "compare bools with bools and numbers with numbers");
    return undefined;
  }
  const shape = broadcastOrReport(a, cx, "compare", x, y);
  if (!shape) return undefined;
  if (bx) return { args: [x, y], elem: "bool", shape };
  const elem = promote(x.type.elem, y.type.elem);
  return { args: [coerce(x, elem), coerce(y, elem)], elem: "bool", shape };
}

function logical(symbol: string) {
  return (a: Args, cx: Checker): OpResult | undefined => {
    const x = a.tensor("a");
    const y = a.tensor("b");
    if (a.failed) return undefined;
    if (x.type.elem !== "bool" || y.type.elem !== "bool") {
      cx.error(
        "logicNeedsBool",
        a.callSpan,
        `\`${symbol}\` needs bool operands, got ${showType(x.type)} and ${showType(y.type)}`,
        "compare numbers first, e.g. `x > 0`",
      );
      return undefined;
    }
    const shape = broadcastOrReport(a, cx, "combine", x, y);
    if (!shape) return undefined;
    return { args: [x, y], elem: "bool", shape };
  };
}

/** Elementwise function of one number; `fixedResult`: ints are converted first. */
function unaryNumeric(fixedResult: boolean) {
  return (a: Args): OpResult | undefined => {
    const x = a.numeric("x");
    if (a.failed) return undefined;
    const elem = fixedResult ? "fixed" : x.type.elem;
    return { args: [coerce(x, elem)], elem, shape: x.type.shape };
  };
}

function axisOrReport(a: Args, cx: Checker, axis: number, rank: number, argName = "axis"): number | undefined {
  const n = normaliseAxis(axis, rank);
  if (n === undefined) {
    cx.error(
      "axisOutOfRange",
      a.span(argName),
      `axis ${axis} is out of range for a tensor of rank ${rank}`,
      rank === 0 ? "a scalar has no axes" : `axes of a rank-${rank} tensor are ${-rank}..${rank - 1}`,
    );
  }
  return n;
}

function reduction(fixedResult: boolean) {
  return (a: Args, cx: Checker): OpResult | undefined => {
    const x = a.numeric("x");
    const axisArg = a.int("axis");
    const keepdims = a.bool("keepdims", false);
    if (a.failed) return undefined;
    let axis: number | undefined;
    if (axisArg !== undefined) {
      axis = axisOrReport(a, cx, axisArg, x.type.shape.length);
      if (axis === undefined) return undefined;
    }
    const elem = fixedResult ? "fixed" : x.type.elem;
    const attrs: Record<string, Attr> = { keepdims };
    if (axis !== undefined) attrs["axis"] = axis;
    return { args: [coerce(x, elem)], attrs, elem, shape: reduceShape(x.type.shape, axis, keepdims) };
  };
}

function softmaxLike(a: Args, cx: Checker): OpResult | undefined {
  const x = a.numeric("x");
  const axisArg = a.int("axis", -1)!;
  if (a.failed) return undefined;
  const axis = axisOrReport(a, cx, axisArg, x.type.shape.length);
  if (axis === undefined) return undefined;
  return { args: [coerce(x, "fixed")], attrs: { axis }, elem: "fixed", shape: x.type.shape };
}

/** Checks a shape given as constants: positive dimensions. */
function dimsOrReport(a: Args, cx: Checker, name: string, dims: number[], allowInfer = false): boolean {
  for (const [i, d] of dims.entries()) {
    if (d > 0 || (allowInfer && d === -1)) continue;
    cx.error("badDimension", a.itemSpan(name, i), `invalid dimension ${d} in ${showShape(dims)}`, allowInfer ? "dimensions are positive (one may be -1, inferred)" : "dimensions are positive integers");
    return false;
  }
  return true;
}

/** The element type of parts that must be all numbers or all bools (concat, stack, select). */
function joinElems(cx: Checker, a: Args, parts: TExpr[], what: string): ElemType | undefined {
  const bools = parts.filter((p) => p.type.elem === "bool").length;
  if (bools === parts.length) return "bool";
  if (bools > 0) {
    cx.error("mixedBoolNumber", a.callSpan, `${what} mixes bool and numbers: ${parts.map((p) => showType(p.type)).join(", ")}`, "use select(c, 1, 0) or to_fixed(c) to turn a bool into a number");
    return undefined;
  }
  return parts.some((p) => p.type.elem === "fixed") ? "fixed" : "int";
}

function concatRule(a: Args, cx: Checker): OpResult | undefined {
  const parts = a.tensors("xs");
  const axisArg = a.int("axis", 0)!;
  if (a.failed) return undefined;
  const elem = joinElems(cx, a, parts, "`concat`");
  if (!elem) return undefined;
  const first = parts[0]!.type.shape;
  const axis = axisOrReport(a, cx, axisArg, first.length);
  if (axis === undefined) return undefined;
  const shape = [...first];
  for (const p of parts.slice(1)) {
    const s = p.type.shape;
    const bad = s.length !== first.length ? -1 : s.findIndex((d, i) => i !== axis && d !== first[i]);
    if (bad !== -1 || s.length !== first.length) {
      cx.error(
        "joinMismatch",
        p.span,
        `cannot concat ${showType(parts[0]!.type)} and ${showType(p.type)} along axis ${axis}`,
        s.length !== first.length ? "the parts must have the same rank" : `dimension ${bad} differs: ${first[bad]} vs ${s[bad]} (only axis ${axis} may differ)`,
      );
      return undefined;
    }
    shape[axis]! += s[axis]!;
  }
  return { args: parts.map((p) => coerce(p, elem)), attrs: { axis }, elem, shape };
}

function stackRule(a: Args, cx: Checker, name: string): OpResult | undefined {
  const parts = a.tensors("xs");
  const axisArg = a.int("axis", 0)!;
  if (a.failed) return undefined;
  const elem = joinElems(cx, a, parts, name === "[…]" ? "the array" : "`stack`");
  if (!elem) return undefined;
  const first = parts[0]!.type.shape;
  for (const p of parts.slice(1)) {
    if (!sameShape(p.type.shape, first)) {
      cx.error(
        "joinMismatch",
        p.span,
        name === "[…]"
          ? `array elements differ in shape: ${showType(parts[0]!.type)} and ${showType(p.type)}`
          : `cannot stack ${showType(parts[0]!.type)} and ${showType(p.type)}`,
        "stacked parts must have the same shape",
      );
      return undefined;
    }
  }
  const axis = axisOrReport(a, cx, axisArg, first.length + 1);
  if (axis === undefined) return undefined;
  const shape = [...first];
  shape.splice(axis, 0, parts.length);
  return { args: parts.map((p) => coerce(p, elem)), attrs: { axis }, elem, shape };
}

function reshapeRule(a: Args, cx: Checker): OpResult | undefined {
  const x = a.tensor("x");
  const dims = a.ints("shape");
  if (a.failed) return undefined;
  if (!dimsOrReport(a, cx, "shape", dims, true)) return undefined;
  const infer = dims.filter((d) => d === -1).length;
  const total = elementCount(x.type.shape);
  const known = elementCount(dims.filter((d) => d !== -1));
  if (infer > 1) {
    cx.error("badDimension", a.span("shape"), `only one dimension of ${showShape(dims)} can be -1`);
    return undefined;
  }
  const shape = infer === 1 && total % known === 0 ? dims.map((d) => (d === -1 ? total / known : d)) : dims;
  if (elementCount(shape) !== total || shape.some((d) => d === -1)) {
    cx.error(
      "reshapeCount",
      a.callSpan,
      `cannot reshape ${showType(x.type)} (${total} element${total === 1 ? "" : "s"}) to ${showShape(dims)}${infer ? "" : ` (${known} elements)`}`,
      "the number of elements must stay the same",
    );
    return undefined;
  }
  return { args: [x], attrs: { shape }, elem: x.type.elem, shape };
}

function constructor(a: Args, cx: Checker): OpResult | undefined {
  const dims = a.ints("shape");
  if (a.failed) return undefined;
  if (!dimsOrReport(a, cx, "shape", dims)) return undefined;
  return { args: [], attrs: { shape: dims }, elem: "fixed", shape: dims };
}

function lossRule(fn: string, rankOk: (r: number) => boolean, rankText: string) {
  return (a: Args, cx: Checker): OpResult | undefined => {
    const p = a.numeric("p");
    const y = a.numeric("y");
    if (a.failed) return undefined;
    if (!sameShape(p.type.shape, y.type.shape)) {
      cx.error("lossShapes", a.callSpan, `\`${fn}\` needs predictions and targets of the same shape, got ${showType(p.type)} and ${showType(y.type)}`, "reshape one of them; losses do not broadcast");
      return undefined;
    }
    if (!rankOk(p.type.shape.length)) {
      cx.error("lossShapes", a.callSpan, `\`${fn}\` needs ${rankText}, got ${showType(p.type)}`);
      return undefined;
    }
    return { args: [coerce(p, "fixed"), coerce(y, "fixed")], elem: "fixed", shape: [] };
  };
}

function poolRule(a: Args, cx: Checker, name: string): OpResult | undefined {
  const x = a.numeric("x");
  const kernel = a.int("kernel", 2, 1)!;
  const stride = a.int("stride", kernel, 1)!;
  if (a.failed) return undefined;
  const s = x.type.shape;
  if (s.length !== 4) {
    cx.error("layerShape", x.span, `\`${name}\` takes [N, C, H, W], got ${showType(x.type)}`);
    return undefined;
  }
  const [n, c, h, w] = s as [number, number, number, number];
  if (kernel > h || kernel > w) {
    cx.error("layerShape", a.callSpan, `kernel ${kernel} does not fit in a ${h}x${w} image`);
    return undefined;
  }
  const shape = [n, c, Math.floor((h - kernel) / stride) + 1, Math.floor((w - kernel) / stride) + 1];
  return { args: [coerce(x, "fixed")], attrs: { kernel, stride }, elem: "fixed", shape };
}

// ---------------------------------------------------------------- the table

export const OP_RULES: Record<OpName, OpRule> = {
  add: { names: [], symbol: "+", verb: "add", sig: BIN, type: numericBinary("add", (e) => e) },
  sub: { names: [], symbol: "-", verb: "subtract", sig: BIN, type: numericBinary("subtract", (e) => e) },
  mul: { names: [], symbol: "*", verb: "multiply", sig: BIN, type: numericBinary("multiply", (e) => e) },
  // `/` is true division: the result is fixed even for two ints (1 / 569 is not 0).
  div: { names: [], symbol: "/", verb: "divide", sig: BIN, type: numericBinary("divide", () => "fixed") },
  neg: {
    names: [],
    symbol: "-",
    sig: UN,
    type: (a, cx) => {
      const x = a.tensor("x");
      if (a.failed) return undefined;
      if (!isNumeric(x.type.elem)) {
        cx.error("boolArithmetic", a.callSpan, `cannot negate ${showType(x.type)}`, "use `!` to negate a bool");
        return undefined;
      }
      return { args: [x], elem: x.type.elem, shape: x.type.shape };
    },
  },
  square: { names: ["square"], sig: UN, type: unaryNumeric(false) },
  matmul: {
    names: [],
    symbol: "@",
    sig: BIN,
    type: (a, cx) => {
      const x = a.tensor("a");
      const y = a.tensor("b");
      if (a.failed) return undefined;
      if (!isNumeric(x.type.elem) || !isNumeric(y.type.elem)) {
        cx.error("boolArithmetic", a.callSpan, `cannot multiply ${showType(x.type)} and ${showType(y.type)} with \`@\``, ARITH_HINT);
        return undefined;
      }
      const r = matmulShape(x.type.shape, y.type.shape);
      if ("rank" in r) {
        cx.error(
          "matmulRank",
          a.callSpan,
          `\`@\` takes vectors and matrices, got ${showType(x.type)} and ${showType(y.type)}`,
          x.type.shape.length === 0 || y.type.shape.length === 0 ? "multiply by a scalar with `*`" : "reshape to a matrix first",
        );
        return undefined;
      }
      if ("inner" in r) {
        cx.error(
          "matmulMismatch",
          a.callSpan,
          `cannot multiply ${showType(x.type)} and ${showType(y.type)} with \`@\`: inner dimensions ${r.inner[0]} and ${r.inner[1]} differ`,
          "[n, k] @ [k, m] -> [n, m]; transpose one side?",
        );
        return undefined;
      }
      const elem = promote(x.type.elem, y.type.elem);
      return { args: [coerce(x, elem), coerce(y, elem)], elem, shape: r.shape };
    },
  },
  lt: { names: [], symbol: "<", verb: "compare", sig: BIN, type: ordering("<") },
  le: { names: [], symbol: "<=", verb: "compare", sig: BIN, type: ordering("<=") },
  gt: { names: [], symbol: ">", verb: "compare", sig: BIN, type: ordering(">") },
  ge: { names: [], symbol: ">=", verb: "compare", sig: BIN, type: ordering(">=") },
  eq: { names: [], symbol: "==", verb: "compare", sig: BIN, type: equality },
  ne: { names: [], symbol: "!=", verb: "compare", sig: BIN, type: equality },
  and: { names: [], symbol: "&&", sig: BIN, type: logical("&&") },
  or: { names: [], symbol: "||", sig: BIN, type: logical("||") },
  not: {
    names: [],
    symbol: "!",
    sig: UN,
    type: (a, cx) => {
      const x = a.tensor("x");
      if (a.failed) return undefined;
      if (x.type.elem !== "bool") {
        cx.error("logicNeedsBool", a.callSpan, `\`!\` needs a bool operand, got ${showType(x.type)}`, "use unary `-` to negate a number");
        return undefined;
      }
      return { args: [x], elem: "bool", shape: x.type.shape };
    },
  },
  select: {
    names: ["select"],
    sig: [T("c"), T("a"), T("b")],
    type: (a, cx) => {
      const c = a.tensor("c");
      const x = a.tensor("a");
      const y = a.tensor("b");
      if (a.failed) return undefined;
      if (c.type.elem !== "bool") {
        cx.error("wrongElemType", c.span, `\`select\` needs a bool condition, got ${showType(c.type)}`, "compare first, e.g. select(x > 0, a, b)");
        return undefined;
      }
      const elem = joinElems(cx, a, [x, y], "`select`");
      if (!elem) return undefined;
      const s1 = broadcastOrReport(a, cx, "select between", x, y);
      if (!s1) return undefined;
      const shape = broadcast(s1, c.type.shape);
      if (!shape) {
        cx.error("broadcastMismatch", c.span, `the condition ${showType(c.type)} does not broadcast with the values ${showShape(s1)}`);
        return undefined;
      }
      return { args: [c, coerce(x, elem), coerce(y, elem)], elem, shape };
    },
  },
  relu: { names: ["relu"], sig: UN, type: unaryNumeric(false) },
  sigmoid: { names: ["sigmoid"], sig: UN, type: unaryNumeric(true) },
  tanh: { names: ["tanh"], sig: UN, type: unaryNumeric(true) },
  exp: { names: ["exp"], sig: UN, type: unaryNumeric(true) },
  log: { names: ["log"], sig: UN, type: unaryNumeric(true) },
  sqrt: { names: ["sqrt"], sig: UN, type: unaryNumeric(true) },
  inv_sqrt: { names: ["inv_sqrt"], sig: UN, type: unaryNumeric(true) },
  reciprocal: { names: ["reciprocal"], sig: UN, type: unaryNumeric(true) },
  abs: { names: ["abs"], sig: UN, type: unaryNumeric(false) },
  sign: { names: ["sign"], sig: UN, type: unaryNumeric(false) },
  clip: {
    names: ["clip"],
    sig: [T("x"), { name: "lo", kind: "number" }, { name: "hi", kind: "number" }],
    type: (a, cx) => {
      const x = a.numeric("x");
      const lo = a.number("lo")!;
      const hi = a.number("hi")!;
      if (a.failed) return undefined;
      if (lo > hi) {
        cx.error("clipBounds", a.span("lo"), `clip bounds are reversed: ${lo} > ${hi}`);
        return undefined;
      }
      const elem = x.type.elem === "int" && Number.isInteger(lo) && Number.isInteger(hi) ? "int" : "fixed";
      return { args: [coerce(x, elem)], attrs: { min: lo, max: hi }, elem, shape: x.type.shape };
    },
  },
  softmax: { names: ["softmax"], sig: [T("x"), AXIS], type: softmaxLike },
  log_softmax: { names: ["log_softmax"], sig: [T("x"), AXIS], type: softmaxLike },
  sum: { names: ["sum"], sig: [T("x"), AXIS, KEEPDIMS], type: reduction(false) },
  mean: { names: ["mean"], sig: [T("x"), AXIS, KEEPDIMS], type: reduction(true) },
  max: { names: ["max"], sig: [T("x"), AXIS, KEEPDIMS], type: reduction(false) },
  min: { names: ["min"], sig: [T("x"), AXIS, KEEPDIMS], type: reduction(false) },
  argmax: {
    names: ["argmax"],
    sig: [T("x"), AXIS],
    type: (a, cx) => {
      const x = a.numeric("x");
      const axisArg = a.int("axis");
      if (a.failed) return undefined;
      if (axisArg === undefined) return { args: [x], elem: "int", shape: [] };
      const axis = axisOrReport(a, cx, axisArg, x.type.shape.length);
      if (axis === undefined) return undefined;
      return { args: [x], attrs: { axis }, elem: "int", shape: reduceShape(x.type.shape, axis, false) };
    },
  },
  transpose: {
    names: ["transpose"],
    sig: [T("x"), { name: "perm", kind: "ints", optional: true }],
    type: (a, cx) => {
      const x = a.tensor("x");
      const given = a.has("perm") ? a.ints("perm") : undefined;
      if (a.failed) return undefined;
      const rank = x.type.shape.length;
      const perm = given ?? x.type.shape.map((_, i) => rank - 1 - i);
      const ok = perm.length === rank && [...perm].sort((p, q) => p - q).every((p, i) => p === i);
      if (!ok) {
        cx.error("axisOutOfRange", a.span("perm"), `perm ${showShape(perm)} is not a permutation of the ${rank} axes of ${showType(x.type)}`);
        return undefined;
      }
      return { args: [x], attrs: { perm }, elem: x.type.elem, shape: perm.map((p) => x.type.shape[p]!) };
    },
  },
  reshape: { names: ["reshape"], sig: [T("x"), { name: "shape", kind: "ints", variadic: true }], type: reshapeRule },
  flatten: {
    names: ["flatten"],
    sig: UN,
    type: (a, cx) => {
      const x = a.tensor("x");
      if (a.failed) return undefined;
      const s = x.type.shape;
      if (s.length === 0) {
        cx.error("axisOutOfRange", x.span, "cannot flatten a scalar", "flatten takes [n, …] to [n, product of the rest]");
        return undefined;
      }
      return { args: [x], elem: x.type.elem, shape: [s[0]!, elementCount(s.slice(1))] };
    },
  },
  concat: { names: ["concat"], sig: [{ name: "xs", kind: "tensor", variadic: true }, { ...AXIS, namedOnly: true }], type: concatRule },
  stack: { names: ["stack"], sig: [{ name: "xs", kind: "tensor", variadic: true }, { ...AXIS, namedOnly: true }], type: stackRule },
  // Typed by expr/subscript.ts: `x[i, a:b]`'s indices are syntax, not arguments.
  slice: { names: [], sig: UN, type: () => undefined },
  broadcast_to: {
    names: ["broadcast_to"],
    sig: [T("x"), { name: "shape", kind: "ints", variadic: true }],
    type: (a, cx) => {
      const x = a.tensor("x");
      const dims = a.ints("shape");
      if (a.failed) return undefined;
      if (!dimsOrReport(a, cx, "shape", dims)) return undefined;
      const s = broadcast(x.type.shape, dims);
      if (!s || !sameShape(s, dims)) {
        cx.error("broadcastMismatch", a.callSpan, `cannot broadcast ${showType(x.type)} to ${showShape(dims)}`);
        return undefined;
      }
      return { args: [x], attrs: { shape: dims }, elem: x.type.elem, shape: dims };
    },
  },
  zeros: { names: ["zeros"], sig: [{ name: "shape", kind: "ints", variadic: true, optional: true }], type: constructor },
  ones: { names: ["ones"], sig: [{ name: "shape", kind: "ints", variadic: true, optional: true }], type: constructor },
  cast: {
    names: ["to_fixed", "to_int"],
    sig: UN,
    type: (a, cx, name) => {
      const x = a.tensor("x");
      if (a.failed) return undefined;
      const to: ElemType = name === "to_int" ? "int" : "fixed";
      if (to === "int" && x.type.elem === "bool") {
        cx.error("wrongElemType", x.span, "`to_int` takes a number, got a bool", "use to_fixed(c) or select(c, 1, 0)");
        return undefined;
      }
      return { args: [x], attrs: { to }, elem: to, shape: x.type.shape };
    },
  },
  conv2d: {
    names: ["conv2d"],
    sig: [T("x"), T("w"), { name: "stride", kind: "int", optional: true }, { name: "padding", kind: "int", optional: true }],
    type: (a, cx) => {
      const x = a.numeric("x");
      const w = a.numeric("w");
      const stride = a.int("stride", 1, 1)!;
      const padding = a.int("padding", 0, 0)!;
      if (a.failed) return undefined;
      if (x.type.shape.length !== 4) {
        cx.error("layerShape", x.span, `\`conv2d\` takes an input [N, C, H, W], got ${showType(x.type)}`);
        return undefined;
      }
      if (w.type.shape.length !== 4) {
        cx.error("layerShape", w.span, `\`conv2d\` takes weights [O, C, KH, KW], got ${showType(w.type)}`);
        return undefined;
      }
      const [n, c, h, wd] = x.type.shape as [number, number, number, number];
      const [o, c2, kh, kw] = w.type.shape as [number, number, number, number];
      if (c !== c2) {
        cx.error("layerShape", a.callSpan, `\`conv2d\` channels differ: input ${showType(x.type)} has ${c}, weights ${showType(w.type)} have ${c2}`);
        return undefined;
      }
      if (kh > h + 2 * padding || kw > wd + 2 * padding) {
        cx.error("layerShape", a.callSpan, `a ${kh}x${kw} kernel does not fit in a ${h}x${wd} image with padding ${padding}`);
        return undefined;
      }
      const shape = [n, o, Math.floor((h + 2 * padding - kh) / stride) + 1, Math.floor((wd + 2 * padding - kw) / stride) + 1];
      return { args: [coerce(x, "fixed"), coerce(w, "fixed")], attrs: { stride, padding }, elem: "fixed", shape };
    },
  },
  avg_pool2d: { names: ["avg_pool2d"], sig: [T("x"), { name: "kernel", kind: "int", optional: true }, { name: "stride", kind: "int", optional: true }], type: poolRule },
  max_pool2d: { names: ["max_pool2d"], sig: [T("x"), { name: "kernel", kind: "int", optional: true }, { name: "stride", kind: "int", optional: true }], type: poolRule },
  batchnorm: {
    names: ["batchnorm"],
    sig: [T("x"), T("gamma"), T("beta"), T("mean"), T("var"), { name: "eps", kind: "number", optional: true }],
    type: (a, cx) => {
      const x = a.numeric("x");
      const params = ["gamma", "beta", "mean", "var"].map((p) => a.numeric(p));
      const eps = a.number("eps", 1e-5)!;
      if (a.failed) return undefined;
      if (x.type.shape.length < 2) {
        cx.error("layerShape", x.span, `\`batchnorm\` takes an input [N, C, …], got ${showType(x.type)}`);
        return undefined;
      }
      const c = x.type.shape[1]!;
      for (const p of params) {
        if (!sameShape(p.type.shape, [c])) {
          cx.error("layerShape", p.span, `\`batchnorm\` parameters must be [${c}] (the channels of ${showType(x.type)}), got ${showType(p.type)}`);
          return undefined;
        }
      }
      if (!(eps > 0)) {
        cx.error("constantType", a.span("eps"), `\`eps\` of \`batchnorm\` must be positive, got ${eps}`);
        return undefined;
      }
      return { args: [x, ...params].map((p) => coerce(p, "fixed")), attrs: { eps }, elem: "fixed", shape: x.type.shape };
    },
  },
  mse: { names: ["mse"], sig: [T("p"), T("y")], type: lossRule("mse", (r) => r >= 1, "tensors") },
  bce: { names: ["bce"], sig: [T("p"), T("y")], type: lossRule("bce", (r) => r >= 1, "tensors") },
  cross_entropy: {
    names: ["cross_entropy"],
    sig: [T("p"), T("y")],
    type: lossRule("cross_entropy", (r) => r === 1 || r === 2, "logits [k] or [n, k]"),
  },
};

/** Built-in name -> op name (`to_fixed` -> cast). `grad` is not an op (see expr/call.ts). */
export const BUILTIN_OPS: ReadonlyMap<string, OpName> = new Map(
  (Object.entries(OP_RULES) as [OpName, OpRule][]).flatMap(([op, r]) => r.names.map((n) => [n, op] as const)),
);

export const BUILTIN_NAMES: readonly string[] = [...BUILTIN_OPS.keys(), "grad"];
