// Transfer functions: each op of runtime/plan/ops.ts applied to abstract tensors, element by
// element, so the audit knows for every output element which input elements it depends on
// and, where it is affine with public coefficients, exactly how.
//
// Ops that only move elements (transpose, concat, stack, slice) are evaluated by running the
// clear implementation (runtime/clear) on a tensor of element *indices*: the audit and the
// runtime cannot disagree on where an element goes. Ops with no clear meaning for the
// audit's purposes are never silently approximated: an op the audit does not know makes every
// output element depend on every operand element, and says so.

import { evalClearOp, toElem } from "../../runtime/clear/index.js";
import type { ClearTensor } from "../../runtime/clear/index.js";
import { BINARY, UNARY } from "../../runtime/clear/elementwise.js";
import { elementCount as numel, strides } from "../../runtime/plan/shape.js";
import type { Attr } from "../check/typed.js";
import { type AbsElem, type Affine, constant, isConst, UNKNOWN_PUBLIC } from "./absval.js";
import type { Algebra, ElemFn } from "./algebra.js";
import * as D from "./depset.js";
import { Rat } from "./rational.js";

export interface AbsTensor {
  shape: number[];
  /** Row-major elements. */
  el: AbsElem[];
}

export type Attrs = Record<string, Attr>;

/** Element count and row-major strides: the shared shape arithmetic. */
export { numel, strides };

export function unravel(flat: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let a = shape.length - 1; a >= 0; a--) {
    const d = shape[a]!;
    idx[a] = flat % d;
    flat = Math.floor(flat / d);
  }
  return idx;
}

export function filled(shape: readonly number[], e: AbsElem): AbsTensor {
  return { shape: [...shape], el: new Array<AbsElem>(numel(shape)).fill(e) };
}

export function isConstTensor(t: AbsTensor): boolean {
  return t.el.every(isConst);
}

export function toClear(t: AbsTensor): ClearTensor {
  return { shape: [...t.shape], data: Float64Array.from(t.el, (e) => (e as Affine).c.toNumber()) };
}

export function fromClear(t: ClearTensor, shape: readonly number[]): AbsTensor {
  return { shape: [...shape], el: Array.from(t.data, (x) => (Number.isFinite(x) ? constant(Rat.fromNumber(x)) : UNKNOWN_PUBLIC)) };
}

/** For each element of `out`, the flat index of the `shape` element NumPy broadcasting reads. */
function broadcastMap(shape: readonly number[], out: readonly number[]): Int32Array | null {
  const n = numel(out);
  if (shape.length === out.length && shape.every((d, i) => d === out[i])) return null;
  const map = new Int32Array(n);
  const src = strides(shape);
  const off = out.length - shape.length;
  for (let k = 0; k < n; k++) {
    const idx = unravel(k, out);
    let f = 0;
    for (let a = 0; a < shape.length; a++) if (shape[a] !== 1) f += idx[a + off]! * src[a]!;
    map[k] = f;
  }
  return map;
}

/** Apply `f` elementwise over the broadcast of `args` to `out`. */
export function zip(args: readonly AbsTensor[], out: readonly number[], f: (xs: AbsElem[]) => AbsElem): AbsTensor {
  const maps = args.map((t) => broadcastMap(t.shape, out));
  const n = numel(out);
  const el = new Array<AbsElem>(n);
  const xs = new Array<AbsElem>(args.length);
  for (let k = 0; k < n; k++) {
    for (let a = 0; a < args.length; a++) xs[a] = args[a]!.el[maps[a] === null ? k : maps[a]![k]!]!;
    el[k] = f([...xs]);
  }
  return { shape: [...out], el };
}

/** Elements moved, not computed: evaluate the clear op on element indices. */
function moveElements(alg: Algebra, op: string, args: readonly AbsTensor[], attrs: Attrs, out: readonly number[]): AbsTensor {
  const all: AbsElem[] = [];
  const clear = args.map((t) => {
    const data = new Float64Array(t.el.length);
    for (let k = 0; k < data.length; k++) data[k] = all.length + k;
    for (const e of t.el) all.push(e);
    return { data, shape: [...t.shape] };
  });
  let res: ClearTensor;
  try {
    res = evalClearOp(op, clear, attrs);
  } catch (err) {
    return unknownOp(alg, op, args, out, `its attributes could not be read (${(err as Error).message})`);
  }
  if (res.data.length !== numel(out)) return unknownOp(alg, op, args, out, "its result size does not match the checked shape");
  return { shape: [...out], el: Array.from(res.data, (g) => all[g]!) };
}

/** Sound fallback: every output element may depend on every operand element. */
export function unknownOp(alg: Algebra, op: string, args: readonly AbsTensor[], out: readonly number[], why: string): AbsTensor {
  let deps = D.EMPTY;
  for (const t of args) for (const e of t.el) deps = D.union(deps, alg.deps(e));
  alg.limits.push({ span: alg.span, reason: `\`${op}\`: ${why}; each result element is taken to depend on every operand element` });
  return filled(out, alg.opaque(deps));
}

// ---------------------------------------------------------------- reductions

function axesOf(attrs: Attrs, rank: number): boolean[] {
  const raw = attrs["axis"];
  const reduced = new Array<boolean>(rank).fill(raw === undefined || raw === null);
  const list = typeof raw === "number" ? [raw] : Array.isArray(raw) ? (raw as number[]) : [];
  for (const a of list) reduced[a < 0 ? a + rank : a] = true;
  return reduced;
}

/** Group input elements by the output cell a reduction over `reduced` axes sends them to. */
function reductionGroups(shape: readonly number[], reduced: readonly boolean[]): number[][] {
  const kept = shape.map((d, i) => (reduced[i] ? 1 : d));
  const groups: number[][] = Array.from({ length: numel(kept) }, () => []);
  const ks = strides(kept);
  for (let k = 0; k < numel(shape); k++) {
    const idx = unravel(k, shape);
    let o = 0;
    for (let a = 0; a < shape.length; a++) if (!reduced[a]) o += idx[a]! * ks[a]!;
    groups[o]!.push(k);
  }
  return groups;
}

/** For softmax-like ops: every element's group along one axis. */
function axisGroups(shape: readonly number[], axis: number): number[][] {
  const reduced = shape.map((_, i) => i === axis);
  const groups = reductionGroups(shape, reduced);
  const of = new Array<number[]>(numel(shape));
  for (const g of groups) for (const k of g) of[k] = g;
  return of;
}

// ---------------------------------------------------------------- the op table

const INJECTIVE = new Set(["sigmoid", "tanh", "exp", "log", "sqrt", "inv_sqrt", "reciprocal"]);
const UNARY_NONLINEAR = new Set(["relu", "abs", "sign", "square", ...INJECTIVE]);
const COMPARE = new Set(["lt", "le", "gt", "ge", "eq", "ne", "and", "or"]);

function unaryFn(op: string): ElemFn {
  const f = UNARY[op];
  return { fold: f ? ([x]) => f(x!) : undefined, injective: INJECTIVE.has(op) } as ElemFn;
}

export interface OpCall {
  op: string;
  args: AbsTensor[];
  attrs: Attrs;
  /** Checked result shape and element type. */
  shape: number[];
  elem: "fixed" | "int" | "bool";
  /** Element types of the operands (casts and integer division need them). */
  argElems: ("fixed" | "int" | "bool")[];
}

/** Apply one op. */
export function applyOp(alg: Algebra, call: OpCall): AbsTensor {
  const { op, args, attrs, shape } = call;
  const [a, b] = args;
  switch (op) {
    case "add":
      return zip(args, shape, ([x, y]) => alg.add(x!, y!));
    case "sub":
      return zip(args, shape, ([x, y]) => alg.sub(x!, y!));
    case "neg":
      return zip(args, shape, ([x]) => alg.neg(x!));
    case "mul":
      return zip(args, shape, ([x, y]) => alg.mul(x!, y!));
    case "div":
      if (call.elem === "int") {
        // Integer division floors: not linear.
        return zip(args, shape, ([x, y]) => alg.nonlinear("div", [x!, y!], { fold: ([p, q]) => Math.floor(p! / q!) }));
      }
      return zip(args, shape, ([x, y]) => alg.div(x!, y!));
    case "not":
      // For a bit b, !b = 1 - b: affine, and injective.
      return zip(args, shape, ([x]) => alg.lin([[x!, Rat.MINUS_ONE]], Rat.ONE));
    case "select":
      return zip(args, shape, ([c, x, y]) =>
        isConst(c!) ? (c.c.isZero() ? y! : x!) : alg.nonlinear("select", [c!, x!, y!], {}),
      );
    case "clip": {
      const lo = typeof attrs["min"] === "number" ? attrs["min"] : -Infinity;
      const hi = typeof attrs["max"] === "number" ? attrs["max"] : Infinity;
      return zip(args, shape, ([x]) => alg.nonlinear("clip", [x!], { fold: ([v]) => Math.min(Math.max(v!, lo), hi) }));
    }
    case "cast": {
      const to = attrs["to"];
      const from = call.argElems[0];
      if (to === "fixed" || to === from || (to === "int" && from === "bool")) return { shape: [...shape], el: [...a!.el] };
      const label = to === "int" ? "floor" : "nonzero";
      const fold = to === "int" ? ([v]: number[]) => Math.floor(v!) : ([v]: number[]) => (v !== 0 ? 1 : 0);
      return zip(args, shape, ([x]) => alg.nonlinear(label, [x!], { fold }));
    }
    case "sum":
    case "mean": {
      const groups = reductionGroups(a!.shape, axesOf(attrs, a!.shape.length));
      return {
        shape: [...shape],
        el: groups.map((g) => {
          const r = op === "mean" ? Rat.of(1n, BigInt(g.length)) : Rat.ONE;
          return alg.name(alg.lin(g.map((k) => [a!.el[k]!, r] as [AbsElem, Rat])));
        }),
      };
    }
    case "max":
    case "min": {
      const groups = reductionGroups(a!.shape, axesOf(attrs, a!.shape.length));
      const f = op === "max" ? Math.max : Math.min;
      return { shape: [...shape], el: groups.map((g) => alg.nonlinear(op, g.map((k) => a!.el[k]!), { fold: (xs) => f(...xs) })) };
    }
    case "argmax": {
      const groups = reductionGroups(a!.shape, axesOf(attrs, a!.shape.length));
      const fold = (xs: number[]): number => xs.indexOf(Math.max(...xs));
      return { shape: [...shape], el: groups.map((g) => alg.nonlinear("argmax", g.map((k) => a!.el[k]!), { fold })) };
    }
    case "softmax":
    case "log_softmax": {
      const rank = a!.shape.length;
      const raw = typeof attrs["axis"] === "number" ? attrs["axis"] : -1;
      const groups = axisGroups(a!.shape, raw < 0 ? raw + rank : raw);
      if (isConstTensor(a!)) return fromClear(evalClearOp(op, [toClear(a!)], attrs), shape);
      return { shape: [...shape], el: groups.map((g) => alg.nonlinear(op, g.map((k) => a!.el[k]!), {})) };
    }
    case "matmul":
      return matmul(alg, a!, b!, shape);
    case "conv2d":
      return conv2d(alg, a!, b!, attrs, shape);
    case "avg_pool2d":
    case "max_pool2d":
      return pool(alg, op, a!, attrs, shape);
    case "batchnorm":
      return batchnorm(alg, args, attrs, shape);
    case "mse":
    case "bce":
    case "cross_entropy": {
      if (args.every(isConstTensor)) return fromClear(evalClearOp(op, args.map(toClear), attrs), shape);
      const half = a!.el.length;
      const fold = (xs: number[]): number =>
        evalClearOp(op, [{ data: Float64Array.from(xs.slice(0, half)), shape: a!.shape }, { data: Float64Array.from(xs.slice(half)), shape: b!.shape }], attrs).data[0]!;
      return { shape: [...shape], el: [alg.nonlinear(op, [...a!.el, ...b!.el], { fold })] };
    }
    case "reshape":
    case "flatten":
      return { shape: [...shape], el: [...a!.el] };
    case "broadcast_to":
      return zip([a!], shape, ([x]) => x!);
    case "transpose":
    case "concat":
    case "stack":
    case "slice":
      return moveElements(alg, op, args, attrs, shape);
    case "zeros":
    case "ones":
      return filled(shape, constant(op === "ones" ? Rat.ONE : Rat.ZERO));
  }
  if (UNARY_NONLINEAR.has(op)) return zip(args, shape, ([x]) => alg.nonlinear(op, [x!], unaryFn(op)));
  if (COMPARE.has(op)) {
    const f = BINARY[op]!;
    return zip(args, shape, ([x, y]) => alg.nonlinear(op, [x!, y!], { fold: ([p, q]) => f(p!, q!) }));
  }
  if (args.length > 0 && args.every(isConstTensor)) {
    try {
      return fromClear(toElem(evalClearOp(op, args.map(toClear), attrs), call.elem), shape);
    } catch {
      /* fall through to the sound fallback */
    }
  }
  return unknownOp(alg, op, args, shape, "the audit has no model of this op");
}

/** One output element of a product-sum: Σ_k x_k·y_k. Terms with a public factor are affine;
 *  the rest form one atom (a bilinear form of secret operands). */
function productSum(alg: Algebra, pairs: readonly [AbsElem, AbsElem][], op: string): AbsElem {
  const terms: [AbsElem, Rat][] = [];
  const secret: AbsElem[] = [];
  for (const [x, y] of pairs) {
    if (isConst(x)) terms.push([y, x.c]);
    else if (isConst(y)) terms.push([x, y.c]);
    else secret.push(x, y);
  }
  const linear = alg.name(alg.lin(terms));
  if (secret.length === 0) return linear;
  const fold = (xs: number[]): number => {
    let acc = 0;
    for (let k = 0; k < xs.length; k += 2) acc += xs[k]! * xs[k + 1]!;
    return acc;
  };
  return alg.add(linear, alg.nonlinear(op, secret, { fold }));
}

function matmul(alg: Algebra, a: AbsTensor, b: AbsTensor, shape: readonly number[]): AbsTensor {
  const [n, k] = a.shape.length === 2 ? [a.shape[0]!, a.shape[1]!] : [1, a.shape[0]!];
  const m = b.shape.length === 2 ? b.shape[1]! : 1;
  const el = new Array<AbsElem>(n * m);
  if (alg.coarse && !(a.el.every(isConst) && b.el.every(isConst))) {
    // Dependence only: row i of a and column j of b, each unioned once.
    const rows = Array.from({ length: n }, (_, i) => D.unionAll(a.el.slice(i * k, (i + 1) * k).map((e) => alg.deps(e))));
    const cols = Array.from({ length: m }, (_, j) => D.unionAll(Array.from({ length: k }, (_, t) => alg.deps(b.el[t * m + j]!))));
    for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) el[i * m + j] = alg.opaque(D.union(rows[i]!, cols[j]!));
    return { shape: [...shape], el };
  }
  const pairs: [AbsElem, AbsElem][] = new Array(k);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      for (let t = 0; t < k; t++) pairs[t] = [a.el[i * k + t]!, b.el[t * m + j]!];
      el[i * m + j] = productSum(alg, pairs, "matmul");
    }
  }
  return { shape: [...shape], el };
}

function pairOf(v: Attr | undefined, dflt: [number, number]): [number, number] {
  if (typeof v === "number") return [v, v];
  if (Array.isArray(v) && v.length === 2 && typeof v[0] === "number" && typeof v[1] === "number") return [v[0], v[1]];
  return dflt;
}

function conv2d(alg: Algebra, x: AbsTensor, w: AbsTensor, attrs: Attrs, shape: readonly number[]): AbsTensor {
  const [N, C, H, W] = x.shape as [number, number, number, number];
  const [O, , KH, KW] = w.shape as [number, number, number, number];
  const [sh, sw] = pairOf(attrs["stride"], [1, 1]);
  const [ph, pw] = pairOf(attrs["padding"], [0, 0]);
  const [, , OH, OW] = shape as [number, number, number, number];
  const el = new Array<AbsElem>(N * O * OH * OW);
  for (let n = 0; n < N; n++) {
    for (let o = 0; o < O; o++) {
      for (let oy = 0; oy < OH; oy++) {
        for (let ox = 0; ox < OW; ox++) {
          const pairs: [AbsElem, AbsElem][] = [];
          for (let c = 0; c < C; c++) {
            for (let ky = 0; ky < KH; ky++) {
              const iy = oy * sh - ph + ky;
              if (iy < 0 || iy >= H) continue;
              for (let kx = 0; kx < KW; kx++) {
                const ix = ox * sw - pw + kx;
                if (ix < 0 || ix >= W) continue;
                pairs.push([x.el[((n * C + c) * H + iy) * W + ix]!, w.el[((o * C + c) * KH + ky) * KW + kx]!]);
              }
            }
          }
          el[((n * O + o) * OH + oy) * OW + ox] = productSum(alg, pairs, "conv2d");
        }
      }
    }
  }
  return { shape: [...shape], el };
}

function pool(alg: Algebra, op: "avg_pool2d" | "max_pool2d", x: AbsTensor, attrs: Attrs, shape: readonly number[]): AbsTensor {
  const [N, C, H, W] = x.shape as [number, number, number, number];
  const [kh, kw] = pairOf(attrs["kernel"], [1, 1]);
  const [sh, sw] = pairOf(attrs["stride"], [kh, kw]);
  const [, , OH, OW] = shape as [number, number, number, number];
  const el = new Array<AbsElem>(N * C * OH * OW);
  const r = Rat.of(1n, BigInt(kh * kw));
  for (let nc = 0; nc < N * C; nc++) {
    for (let oy = 0; oy < OH; oy++) {
      for (let ox = 0; ox < OW; ox++) {
        const win: AbsElem[] = [];
        for (let ky = 0; ky < kh; ky++) for (let kx = 0; kx < kw; kx++) win.push(x.el[(nc * H + oy * sh + ky) * W + ox * sw + kx]!);
        el[(nc * OH + oy) * OW + ox] =
          op === "avg_pool2d" ? alg.lin(win.map((e) => [e, r] as [AbsElem, Rat])) : alg.nonlinear("max_pool2d", win, { fold: (xs) => Math.max(...xs) });
      }
    }
  }
  return { shape: [...shape], el };
}

function batchnorm(alg: Algebra, args: readonly AbsTensor[], attrs: Attrs, shape: readonly number[]): AbsTensor {
  const [x, gamma, beta, mean, variance] = args as [AbsTensor, AbsTensor, AbsTensor, AbsTensor, AbsTensor];
  const C = x.shape[1]!;
  const inner = numel(x.shape) / (x.shape[0]! * C) || 1;
  const eps = typeof attrs["eps"] === "number" ? attrs["eps"] : 1e-5;
  const params = [gamma, beta, mean, variance];
  const pub = params.every(isConstTensor);
  const el = x.el.map((e, k) => {
    const c = Math.floor(k / inner) % C;
    if (pub) {
      // (x - mean) * s + beta with s = gamma / sqrt(var + eps): affine in x.
      const [g, bt, m, v] = params.map((p) => (p.el[c] as Affine).c.toNumber()) as [number, number, number, number];
      const s = Rat.fromNumber(g / Math.sqrt(v + eps));
      return alg.lin([[e, s]], Rat.fromNumber(bt).sub(Rat.fromNumber(m).mul(s)));
    }
    return alg.nonlinear("batchnorm", [e, ...params.map((p) => p.el[c]!)], {});
  });
  return { shape: [...shape], el };
}
