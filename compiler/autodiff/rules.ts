// The derivative rule of every differentiable op: given the adjoint g of an op's result
// (d loss / d result, same shape), the adjoint contributions to its operands, as typed
// expressions over the op's forward values. Rules see forward values only through `x(i)` and
// `y()`, which name values the forward pass already computes (never recompute them), and
// share a backward intermediate used twice through `bind`.
//
// Broadcasting: an operand that was broadcast gets the sum of g over the broadcast axes
// (`unbroadcast`). Subgradients: relu'(0) = 0, abs'(0) = 0 (sign), clip is 1 on its closed
// range, max/min split g evenly between tied maxima (as JAX does). Fused pairs: bce of a
// sigmoid, cross_entropy (softmax inside), and log of a softmax or a sigmoid (or of 1 - a
// sigmoid) skip the division by a probability: fewer secure reciprocals and logs, and stable.
//
// Must never: differentiate a select's condition, or return a contribution whose shape is
// not its operand's.

import { elementCount, sameShape } from "../check/shapes.js";
import type { TExpr } from "../check/typed.js";
import { BCE_EPS } from "../../runtime/clear/loss.js";
import { type Builder, isConst, type OpExpr } from "./build.js";
import { convInputGrad, convWeightGrad, poolView, poolViewAdjoint } from "./layers.js";

/** Where an adjoint goes: an expression in the context (a let's value, or the loss) it is in. */
export interface Site {
  ctx: number;
  e: TExpr;
}

/** What a rule can ask about its op. */
export interface OpView {
  readonly e: OpExpr;
  readonly ctx: number;
  readonly b: Builder;
  /** Does operand i depend on the current `w`? */
  active(i: number): boolean;
  /** The forward value of operand i / of the result, as an atomic expression. */
  x(i: number): TExpr;
  y(): TExpr;
  /** Bind a backward intermediate to a let so that using it twice computes it once. */
  bind(e: TExpr): TExpr;
  /** Operand i's site. */
  arg(i: number): Site;
  /** A site looked at through let bindings: the expression that computes it. */
  follow(s: Site): Site;
  activeAt(s: Site): boolean;
  fwdAt(s: Site): TExpr;
}

/** The sites a rule sends adjoints to, and the contributions for a given g (same order). */
export interface Plan {
  sites: Site[];
  backward(g: TExpr): TExpr[];
}

export type Rule = (v: OpView) => Plan | NotDifferentiable;

export interface NotDifferentiable {
  kind: "not-differentiable" | "not-yet";
  why: string;
  hint?: string;
}

export const isPlan = (p: Plan | NotDifferentiable): p is Plan => "sites" in p;

// ---------------------------------------------------------------- helpers

/** Sum g over the axes that broadcasting added or stretched, to the operand's shape. */
export function unbroadcast(b: Builder, g: TExpr, target: readonly number[]): TExpr {
  const gs = g.type.shape;
  if (sameShape(gs, target)) return g;
  if (target.length === 0) return b.sum(g, undefined, false);
  const lead = gs.length - target.length;
  let x = g;
  for (let i = 0; i < gs.length; i++) {
    const td = i < lead ? undefined : target[i - lead];
    if (td === undefined || (td === 1 && gs[i] !== 1)) x = b.sum(x, i, true);
  }
  return b.reshape(x, target);
}

/** g of a reduction's result, back in the operand's shape (the reduced axes repeated). */
function expand(b: Builder, g: TExpr, xShape: readonly number[], axis: number | undefined): TExpr {
  const kept = xShape.map((d, i) => (axis === undefined || i === axis ? 1 : d));
  return b.broadcastTo(b.reshape(g, kept), xShape);
}

const axisOf = (e: OpExpr): number | undefined => (typeof e.attrs["axis"] === "number" ? (e.attrs["axis"] as number) : undefined);

/** A plan over the op's own operands: `f(g)` gives one contribution per operand index. */
function each(v: OpView, f: (g: TExpr, i: number) => TExpr, skip: readonly number[] = []): Plan {
  const idx = v.e.args.map((_, i) => i).filter((i) => !skip.includes(i) && v.active(i));
  return {
    sites: idx.map((i) => ({ ctx: v.ctx, e: v.e.args[i]! })),
    backward: (g) => idx.map((i) => f(g, i)),
  };
}

/** An elementwise unary op whose derivative is `d(x, y)`: contribution g * d. */
const chain = (d: (v: OpView) => TExpr): Rule => (v) => each(v, (g) => v.b.mul(g, d(v)));

const isOp = (e: TExpr, op: string): e is OpExpr => e.k === "op" && e.op === op;

// ---------------------------------------------------------------- rules

function matmulRule(v: OpView): Plan {
  const { b } = v;
  const [sa, sb] = [v.e.args[0]!.type.shape, v.e.args[1]!.type.shape];
  return each(v, (g, i) => {
    const A = v.x(0);
    const B = v.x(1);
    if (sa.length === 2 && sb.length === 2) return i === 0 ? b.matmul(g, b.transpose(B, [1, 0])) : b.matmul(b.transpose(A, [1, 0]), g);
    if (sa.length === 1 && sb.length === 2) {
      // [k] @ [k, m] -> [m]
      return i === 0 ? b.matmul(B, g) : b.matmul(b.reshape(A, [sa[0]!, 1]), b.reshape(g, [1, sb[1]!]));
    }
    if (sa.length === 2 && sb.length === 1) {
      // [n, k] @ [k] -> [n]
      return i === 0 ? b.matmul(b.reshape(g, [sa[0]!, 1]), b.reshape(B, [1, sb[0]!])) : b.matmul(b.transpose(A, [1, 0]), g);
    }
    // [k] @ [k] -> []
    return i === 0 ? b.mul(B, g) : b.mul(A, g);
  });
}

function reduceMaxRule(v: OpView): Plan {
  const { b, e } = v;
  const xs = e.args[0]!.type.shape;
  const axis = axisOf(e);
  const kept = xs.map((d, i) => (axis === undefined || i === axis ? 1 : d));
  return each(v, (g) => {
    // Every element equal to the extremum shares g equally (a valid subgradient at ties).
    const hit = v.bind(b.cmp("eq", v.x(0), b.reshape(v.y(), kept)));
    const ones = b.select(hit, b.num(1), b.num(0));
    let count = ones;
    if (axis === undefined) for (let a = 0; a < xs.length; a++) count = b.sum(count, a, true);
    else count = b.sum(count, axis, true);
    const share = b.div(b.reshape(g, kept), count);
    return b.select(hit, share, b.num(0));
  });
}

function sliceRule(v: OpView): Plan {
  const { b, e } = v;
  const xs = e.args[0]!.type.shape;
  const ranges = e.attrs["ranges"] as (number | null)[][];
  return each(v, (g) => {
    // Put the indexed axes back (length 1), then pad every axis with zeros to full length.
    const withAxes = xs.map((d, a) => (ranges[a] && ranges[a]![1] === null ? 1 : ranges[a] ? ranges[a]![1]! - ranges[a]![0]! : d));
    let x = b.reshape(g, withAxes);
    xs.forEach((d, a) => {
      const r = ranges[a];
      if (!r) return;
      const start = r[0]!;
      const end = r[1] === null ? start + 1 : r[1]!;
      x = b.padAxis(x, a, start, d - end);
    });
    return x;
  });
}

function concatRule(v: OpView): Plan {
  const { b, e } = v;
  const axis = e.attrs["axis"] as number;
  const offsets: number[] = [];
  let at = 0;
  for (const a of e.args) {
    offsets.push(at);
    at += a.type.shape[axis]!;
  }
  return each(v, (g, i) => {
    const ranges = e.type.shape.map((d): (number | null)[] => [0, d]);
    ranges[axis] = [offsets[i]!, offsets[i]! + e.args[i]!.type.shape[axis]!];
    return b.slice(g, ranges);
  });
}

function stackRule(v: OpView): Plan {
  const { b, e } = v;
  const axis = e.attrs["axis"] as number;
  return each(v, (g, i) => {
    const ranges = e.type.shape.map((d): (number | null)[] => [0, d]);
    ranges[axis] = [i, null];
    return b.slice(g, ranges);
  });
}

/** select(c, a, b): the condition is not differentiated. */
function selectRule(v: OpView): Plan {
  const { b, e } = v;
  const c = v.x(0);
  return each(
    v,
    (g, i) => unbroadcast(b, i === 1 ? b.select(c, g, b.num(0)) : b.select(c, b.num(0), g), e.args[i]!.type.shape),
    [0],
  );
}

function conv2dRule(v: OpView): Plan | NotDifferentiable {
  const { b, e } = v;
  const s = e.attrs["stride"];
  const p = e.attrs["padding"];
  if (typeof s !== "number" || typeof p !== "number") return { kind: "not-yet", why: "conv2d with a different stride or padding per axis" };
  return each(v, (g, i) =>
    i === 0 ? convInputGrad(b, g, v.x(1), e.args[0]!.type.shape, s, p) : convWeightGrad(b, g, v.x(0), e.args[1]!.type.shape, s, p),
  );
}

function poolRule(v: OpView): Plan | NotDifferentiable {
  const { b, e } = v;
  const k = e.attrs["kernel"];
  const s = e.attrs["stride"];
  if (typeof k !== "number" || typeof s !== "number") return { kind: "not-yet", why: `${e.op} with a different kernel or stride per axis` };
  const xs = e.args[0]!.type.shape;
  const windows: [number, number][] = [];
  for (let ky = 0; ky < k; ky++) for (let kx = 0; kx < k; kx++) windows.push([ky, kx]);
  const scatter = (parts: TExpr[]): TExpr => parts.map((p, j) => poolViewAdjoint(b, p, windows[j]![0], windows[j]![1], s, xs)).reduce((acc, p) => b.add(acc, p));
  if (e.op === "avg_pool2d") {
    return each(v, (g) => {
      const share = v.bind(b.div(g, b.num(k * k)));
      return scatter(windows.map(() => share));
    });
  }
  // max_pool2d: the window elements equal to the maximum share g equally.
  return each(v, (g) => {
    const y = v.y();
    const hits = windows.map(([ky, kx]) => v.bind(b.cmp("eq", poolView(b, v.x(0), ky, kx, s, e.type.shape), y)));
    const count = hits.map((h) => b.select(h, b.num(1), b.num(0))).reduce((acc, m) => b.add(acc, m));
    const share = v.bind(b.div(g, count));
    return scatter(hits.map((h) => b.select(h, share, b.num(0))));
  });
}

function batchnormRule(v: OpView): Plan {
  const { b, e } = v;
  const xs = e.args[0]!.type.shape;
  const C = xs[1]!;
  const chan = [C, ...xs.slice(2).map(() => 1)];
  const eps = (e.attrs["eps"] as number | undefined) ?? 1e-5;
  const toChan = (p: TExpr): TExpr => b.reshape(p, chan);
  const fromChan = (t: TExpr): TExpr => b.reshape(unbroadcast(b, t, chan), [C]);
  let invMemo: TExpr | undefined;
  const inv = (): TExpr => (invMemo ??= v.bind(b.unary("inv_sqrt", b.add(v.x(4), b.num(eps)))));
  const centred = (): TExpr => b.sub(v.x(0), toChan(v.x(3)));
  return each(v, (g, i) => {
    switch (i) {
      case 0:
        return b.mul(g, toChan(b.mul(v.x(1), inv())));
      case 1:
        return b.mul(fromChan(b.mul(g, centred())), inv());
      case 2:
        return fromChan(g);
      case 3:
        return b.neg(b.mul(fromChan(g), b.mul(v.x(1), inv())));
      default: {
        const i3 = b.mul(inv(), b.square(inv()));
        return b.mul(fromChan(b.mul(g, centred())), b.mul(b.mul(v.x(1), i3), b.num(-0.5)));
      }
    }
  });
}

/** log of a probability computed by softmax / sigmoid: differentiate the pair. */
function logRule(v: OpView): Plan {
  const { b } = v;
  const inner = v.follow(v.arg(0));
  if (isOp(inner.e, "softmax")) {
    // d log(softmax(z)) = g - softmax(z) * sum(g) along the axis
    const z: Site = { ctx: inner.ctx, e: inner.e.args[0]! };
    const axis = inner.e.attrs["axis"] as number;
    if (v.activeAt(z)) return { sites: [z], backward: (g) => [b.sub(g, b.mul(v.fwdAt(inner), b.sum(g, axis, true)))] };
  }
  if (isOp(inner.e, "sigmoid")) {
    // d log(sigmoid(z)) = g * (1 - sigmoid(z))
    const z: Site = { ctx: inner.ctx, e: inner.e.args[0]! };
    if (v.activeAt(z)) return { sites: [z], backward: (g) => [b.mul(g, b.sub(b.num(1), v.fwdAt(inner)))] };
  }
  if (isOp(inner.e, "sub") && isConst(inner.e.args[0]!, 1)) {
    // d log(1 - sigmoid(z)) = -g * sigmoid(z)
    const s: Site = { ctx: inner.ctx, e: inner.e.args[1]! };
    const sig = v.follow(s);
    if (isOp(sig.e, "sigmoid") && sameShape(sig.e.type.shape, inner.e.type.shape)) {
      const z: Site = { ctx: sig.ctx, e: sig.e.args[0]! };
      if (v.activeAt(z)) return { sites: [z], backward: (g) => [b.neg(b.mul(g, v.fwdAt(sig)))] };
    }
  }
  return each(v, (g) => b.div(g, v.x(0)));
}

function bceRule(v: OpView): Plan {
  const { b, e } = v;
  const n = elementCount(e.args[0]!.type.shape);
  const inner = v.follow(v.arg(0));
  const yv = (): TExpr => v.x(1);
  if (isOp(inner.e, "sigmoid")) {
    // bce(sigmoid(z), y): d/dz = (sigmoid(z) - y) / n, d/dy = -z / n. No log, no division by
    // a probability. (Exact for the unclipped loss; bce clips p to [1e-7, 1 - 1e-7], which
    // only matters for |z| > 16.)
    const z: Site = { ctx: inner.ctx, e: inner.e.args[0]! };
    const sites: Site[] = [];
    const fz = v.activeAt(z);
    if (fz) sites.push(z);
    if (v.active(1)) sites.push({ ctx: v.ctx, e: e.args[1]! });
    return {
      sites,
      backward: (g) => {
        const k = v.bind(b.div(g, b.num(n)));
        const out: TExpr[] = [];
        if (fz) out.push(b.mul(k, b.sub(v.fwdAt(inner), yv())));
        if (v.active(1)) out.push(b.neg(b.mul(k, v.fwdAt(z))));
        return out;
      },
    };
  }
  return each(v, (g, i) => {
    const p = v.x(0);
    const c = v.bind(b.clip(p, BCE_EPS, 1 - BCE_EPS));
    const k = b.div(g, b.num(n));
    if (i === 1) return b.mul(k, b.sub(b.unary("log", b.sub(b.num(1), c)), b.unary("log", c)));
    const inside = b.and(b.cmp("ge", p, b.num(BCE_EPS)), b.cmp("le", p, b.num(1 - BCE_EPS)));
    const d = b.div(b.sub(c, yv()), b.mul(c, b.sub(b.num(1), c)));
    return b.select(inside, b.mul(k, d), b.num(0));
  });
}

function crossEntropyRule(v: OpView): Plan {
  const { b, e } = v;
  const shape = e.args[0]!.type.shape;
  const rows = shape.length === 1 ? 1 : shape[0]!;
  const last = shape.length - 1;
  return each(v, (g, i) => {
    const k = b.div(g, b.num(rows));
    const t = v.x(1);
    // softmax(l) * sum(t) - t: with one-hot labels sum(t) = 1; kept so soft labels are exact.
    if (i === 0) return b.mul(k, b.sub(b.mul(b.softmax(v.x(0), last), b.sum(t, last, true)), t));
    return b.neg(b.mul(k, b.logSoftmax(v.x(0), last)));
  });
}

export const RULES: Partial<Record<string, Rule>> = {
  add: (v) => each(v, (g, i) => unbroadcast(v.b, g, v.e.args[i]!.type.shape)),
  sub: (v) => each(v, (g, i) => (i === 0 ? unbroadcast(v.b, g, v.e.args[0]!.type.shape) : v.b.neg(unbroadcast(v.b, g, v.e.args[1]!.type.shape)))),
  neg: (v) => each(v, (g) => v.b.neg(g)),
  mul: (v) => each(v, (g, i) => unbroadcast(v.b, v.b.mul(g, v.x(1 - i)), v.e.args[i]!.type.shape)),
  div: (v) =>
    each(v, (g, i) =>
      i === 0
        ? unbroadcast(v.b, v.b.div(g, v.x(1)), v.e.args[0]!.type.shape)
        : unbroadcast(v.b, v.b.neg(v.b.div(v.b.mul(g, v.y()), v.x(1))), v.e.args[1]!.type.shape),
    ),
  square: chain((v) => v.b.mul(v.x(0), v.b.num(2))),
  matmul: matmulRule,
  relu: (v) => each(v, (g) => v.b.select(v.b.cmp("gt", v.x(0), v.b.num(0)), g, v.b.num(0))),
  sigmoid: chain((v) => v.b.mul(v.y(), v.b.sub(v.b.num(1), v.y()))),
  tanh: chain((v) => v.b.sub(v.b.num(1), v.b.square(v.y()))),
  exp: chain((v) => v.y()),
  log: logRule,
  sqrt: (v) => each(v, (g) => v.b.div(g, v.b.mul(v.y(), v.b.num(2)))),
  reciprocal: (v) => each(v, (g) => v.b.neg(v.b.mul(g, v.b.square(v.y())))),
  inv_sqrt: chain((v) => v.b.mul(v.b.mul(v.y(), v.b.square(v.y())), v.b.num(-0.5))),
  abs: chain((v) => v.b.unary("sign", v.x(0))),
  clip: (v) =>
    each(v, (g) => {
      const { b, e } = v;
      const inside = b.and(b.cmp("ge", v.x(0), b.num(e.attrs["min"] as number)), b.cmp("le", v.x(0), b.num(e.attrs["max"] as number)));
      return b.select(inside, g, b.num(0));
    }),
  softmax: (v) =>
    each(v, (g) => {
      const { b } = v;
      const y = v.y();
      return b.mul(y, b.sub(g, b.sum(b.mul(g, y), axisOf(v.e), true)));
    }),
  log_softmax: (v) => each(v, (g) => v.b.sub(g, v.b.mul(v.b.unary("exp", v.y()), v.b.sum(g, axisOf(v.e), true)))),
  sum: (v) => each(v, (g) => expand(v.b, g, v.e.args[0]!.type.shape, axisOf(v.e))),
  mean: (v) =>
    each(v, (g) => {
      const xs = v.e.args[0]!.type.shape;
      const axis = axisOf(v.e);
      const count = axis === undefined ? elementCount(xs) : xs[axis]!;
      return expand(v.b, v.b.div(g, v.b.num(count)), xs, axis);
    }),
  max: reduceMaxRule,
  min: reduceMaxRule,
  transpose: (v) =>
    each(v, (g) => {
      const perm = v.e.attrs["perm"] as number[];
      const inv = perm.map((_, i) => perm.indexOf(i));
      return v.b.transpose(g, inv);
    }),
  reshape: (v) => each(v, (g) => v.b.reshape(g, v.e.args[0]!.type.shape)),
  flatten: (v) => each(v, (g) => v.b.reshape(g, v.e.args[0]!.type.shape)),
  concat: concatRule,
  stack: stackRule,
  slice: sliceRule,
  broadcast_to: (v) => each(v, (g) => unbroadcast(v.b, g, v.e.args[0]!.type.shape)),
  select: selectRule,
  cast: (v) => each(v, (g) => g),
  conv2d: conv2dRule,
  avg_pool2d: poolRule,
  max_pool2d: poolRule,
  batchnorm: batchnormRule,
  mse: (v) =>
    each(v, (g, i) => {
      const { b, e } = v;
      const n = elementCount(e.args[0]!.type.shape);
      const d = b.mul(b.mul(g, b.num(2 / n)), b.sub(v.x(0), v.x(1)));
      return i === 0 ? d : b.neg(d);
    }),
  bce: bceRule,
  cross_entropy: crossEntropyRule,
};

/** Why an op with no rule stops the derivative. */
export function noRule(e: OpExpr): NotDifferentiable {
  if (e.op === "sign") return { kind: "not-differentiable", why: "`sign` is not differentiable", hint: "its derivative is zero wherever it is defined; drop it from the loss, or use a smooth surrogate such as tanh" };
  return { kind: "not-differentiable", why: `\`${e.op}\` is not differentiable` };
}
