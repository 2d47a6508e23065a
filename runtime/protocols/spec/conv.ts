// The inference layers on secret values, written once as builder steps: conv2d (NCHW input,
// OIHW weights, square stride, zero padding), average pooling, max pooling and the windows it
// compares. Every convolution runs on the ring as an im2col matmul (runtime/protocols/local/
// conv.ts); the dealer's convolution triple is counted in ./conv-tables.ts, so `mpc cost`
// counts exactly what a run consumes. Batchnorm has no protocol of its own: the compiler
// rewrites it (compiler/passes/canonicalize.ts) into a per-channel scale and shift that the
// statistics' owner computes in the clear, then one product and one addition on shares.
//
// Cost (n compute parties; |x|, |w| elements of the operands):
//   convPublic (one operand public):   local, then a truncation (fixed*fixed).
//   convSecret (both secret):          1 round: every party opens E = x - A and D = w - B to
//                                      every other party; 1 dealer item (|out| on the wire).
//   convPrivate (an operand held in the clear by one party, the other secret or held by
//                another party):       1 round, and only the owners send what the others
//                                      need (see convPrivate); 1 dealer item.
//   avgPool (kernel k):                local window sums, then a division by k^2: a truncation
//                                      by log2(k^2) bits when k^2 is a power of two, else a
//                                      multiply by the constant 1/k^2 and a truncation.
//   poolWindows:                       local (a gather of shares).

import type { PlanBuilder, ValueSpec } from "../builder.js";
import { rescale, soleHolder, truncate } from "./arithmetic.js";
import { convOutShape } from "./conv-tables.js";
import { isPublic, mulConst } from "./linear.js";

export interface ConvWindow {
  stride: number;
  padding: number;
}

function windowOf(attrs: Record<string, unknown>): ConvWindow {
  const stride = attrs["stride"] ?? 1;
  const padding = attrs["padding"] ?? 0;
  if (typeof stride !== "number" || !Number.isInteger(stride) || stride < 1) throw new Error("internal: conv2d stride must be an integer >= 1");
  if (typeof padding !== "number" || !Number.isInteger(padding) || padding < 0) throw new Error("internal: conv2d padding must be an integer >= 0");
  return { stride, padding };
}

function checkOut(b: PlanBuilder, x: string, w: string, win: ConvWindow, out: ValueSpec): void {
  const want = convOutShape(b.info(x).shape, b.info(w).shape, win.stride, win.padding);
  if (want.some((d, i) => d !== out.shape[i]) || want.length !== out.shape.length) {
    throw new Error(`internal: conv2d output is [${want.join(", ")}], the plan says [${out.shape.join(", ")}]`);
  }
}

/**
 * conv2d(x, w), both secret (Beaver's protocol with a convolution triple, as CrypTen's
 * beaver.conv2d). Dealer: A shaped like x, B like w, C = conv2d(A, B). Open E = x - A and
 * D = w - B together (1 round). conv is bilinear, so conv(x, w) = C + conv(E, B) + conv(A, D)
 * + conv(E, D): party 0 computes C0 + conv(E, B0 + D) + conv(A0, D), the others
 * C_i + conv(E, B_i) + conv(A_i, D), two im2col matmuls each. Fixed*fixed is then truncated.
 */
export function convSecret(b: PlanBuilder, x: string, w: string, attrs: Record<string, unknown>, out: ValueSpec): string {
  const win = windowOf(attrs);
  checkOut(b, x, w, win, out);
  const xi = b.info(x);
  const wi = b.info(w);
  const [ta, tb, tc] = b.dealer("triple_conv", { a: xi.shape, b: wi.shape, c: out.shape, ...win }, [
    { elem: xi.elem, shape: xi.shape },
    { elem: wi.elem, shape: wi.shape },
    { elem: out.elem, shape: out.shape },
  ]);
  const [e, d] = b.local("sub_pair", [x, ta!, w, tb!], {}, [
    { elem: xi.elem, shape: xi.shape },
    { elem: wi.elem, shape: wi.shape },
  ]);
  const [eo, dO] = b.open([e!, d!]);
  const [z] = b.local("beaver_conv", [eo!, dO!, ta!, tb!, tc!], { ...win }, [out]);
  return rescale(b, z!, out, xi.elem, wi.elem);
}

/** conv2d with one operand public clear (x or w, `side` "right" when w is the clear one): each
 *  party convolves its share with the encoded public operand; fixed*fixed is truncated. */
export function convPublic(b: PlanBuilder, shares: string, c: string, attrs: Record<string, unknown>, out: ValueSpec, side: "left" | "right"): string {
  if (!isPublic(b, c)) throw new Error(`internal: convPublic needs an operand every party knows; share ${c} and use convSecret`);
  const win = windowOf(attrs);
  if (side === "right") checkOut(b, shares, c, win, out);
  else checkOut(b, c, shares, win, out);
  const ce = b.info(c).elem;
  const [z] = b.local("conv_public", [shares, c], { elem: ce, side, ...win }, [out]);
  return b.info(shares).elem === "fixed" && ce === "fixed" ? truncate(b, z!, b.ctx.precision, out) : z!;
}

/** The one compute party that holds clear value `v`, or undefined for shares. */
function clearOwner(b: PlanBuilder, v: string): string | undefined {
  if (b.info(v).kind === "arith") return undefined;
  const p = soleHolder(b, v);
  if (p === undefined) throw new Error(`internal: convPrivate: ${v} must be shares or a clear value private to one party`);
  return p;
}

/**
 * conv2d(x, w) where at least one operand is a clear value private to one party (P holds x,
 * or Q holds w) and the other is secret or private to another party; neither private operand
 * is ever secret-shared. Dealer: (A, B, C = conv(A, B)) with A known in full to P when x is
 * private (B to Q when w is). With E = x - A and D = w - B, conv(x, w) = C + conv(E, B) +
 * conv(A, D) + conv(E, D), regrouped by who can compute what:
 *   x secret, w at Q:  Q sends D to every other party, the parties open E to Q only;
 *                      z_i = C_i + conv(A_i, D), and Q adds conv(E, w).
 *   x at P, w secret:  P sends E to every other party, the parties open D to P only;
 *                      z_i = C_i + conv(E, B_i), and P adds conv(x, D).
 *   x at P, w at Q:    P sends E to Q and Q sends D to P (as matmulPrivate);
 *                      z_P = C_P + conv(x, D), z_Q = C_Q + conv(E, B), others C_i.
 * One round; every value a party receives is masked by a uniform mask it does not know.
 * Fixed*fixed is then truncated.
 */
export function convPrivate(b: PlanBuilder, x: string, w: string, attrs: Record<string, unknown>, out: ValueSpec): string {
  const win = windowOf(attrs);
  checkOut(b, x, w, win, out);
  const xi = b.info(x);
  const wi = b.info(w);
  const p = clearOwner(b, x);
  const q = clearOwner(b, w);
  if (p === undefined && q === undefined) throw new Error("internal: convPrivate needs a private operand (use convSecret)");
  if (p !== undefined && p === q) throw new Error("internal: convPrivate: both operands are private to one party (a clear conv2d)");
  const parties = b.ctx.parties;
  const others = (owner: string): string[] => parties.filter((r) => r !== owner);
  const itemAttrs: Record<string, unknown> = { a: xi.shape, b: wi.shape, c: out.shape, ...win };
  if (p !== undefined) itemAttrs["a_owner"] = parties.indexOf(p);
  if (q !== undefined) itemAttrs["b_owner"] = parties.indexOf(q);
  const [ta, tb, tc] = b.dealer("triple_conv", itemAttrs, [
    p !== undefined ? { elem: xi.elem, shape: xi.shape, kind: "ring", holders: [p] } : { elem: xi.elem, shape: xi.shape },
    q !== undefined ? { elem: wi.elem, shape: wi.shape, kind: "ring", holders: [q] } : { elem: wi.elem, shape: wi.shape },
    { elem: out.elem, shape: out.shape },
  ]);
  // E = x - A, where the party computing with it needs it
  let eAt: string;
  let xEnc: string | undefined;
  if (p === undefined) {
    const [e] = b.local("sub", [x, ta!], {}, [{ elem: xi.elem, shape: xi.shape }]);
    eAt = b.open([e!], [q!])[0]!;
  } else {
    const atP = { elem: xi.elem, shape: xi.shape, kind: "ring" as const, holders: [p] };
    const [e, enc] = b.local("mask_private", [x, ta!], { elem: xi.elem, owner: p }, [atP, atP]);
    xEnc = enc;
    eAt = b.send(p, e!, q === undefined ? others(p) : [q]);
  }
  let dAt: string;
  let wEnc: string | undefined;
  if (q === undefined) {
    const [d] = b.local("sub", [w, tb!], {}, [{ elem: wi.elem, shape: wi.shape }]);
    dAt = b.open([d!], [p!])[0]!;
  } else {
    const atQ = { elem: wi.elem, shape: wi.shape, kind: "ring" as const, holders: [q] };
    const [d, enc] = b.local("mask_private", [w, tb!], { elem: wi.elem, owner: q }, [atQ, atQ]);
    wEnc = enc;
    dAt = b.send(q, d!, p === undefined ? others(q) : [p]);
  }
  const fnAttrs: Record<string, unknown> = { ...win };
  if (p !== undefined) fnAttrs["x_owner"] = p;
  if (q !== undefined) fnAttrs["w_owner"] = q;
  // args: A, B, C, E, D, encode(x) (at P), encode(w) (at Q); an absent one is a placeholder
  const args = [ta!, tb!, tc!, eAt, dAt, xEnc ?? tc!, wEnc ?? tc!];
  const [z] = b.local("beaver_conv_private", args, fnAttrs, [{ elem: out.elem, shape: out.shape }]);
  return rescale(b, z!, out, xi.elem, wi.elem);
}

/** Is `k` a power of two (1, 2, 4, …)? Its log2, or -1. */
function log2Exact(k: number): number {
  const l = Math.round(Math.log2(k));
  return 2 ** l === k ? l : -1;
}

/**
 * avg_pool2d(x) on shares (linear): each party sums its share over every window, then the
 * sums are divided by k^2 (k the kernel): for a power of two, a truncation by log2(k^2) bits
 * (exact up to one unit in the last place, and nothing at all when k = 1); otherwise a
 * multiply by the constant 1/k^2 encoded with enough bits, then a truncation (mulConst).
 * An int input is averaged as fixed (the checker types the result fixed).
 */
export function avgPool(b: PlanBuilder, x: string, attrs: Record<string, unknown>, out: ValueSpec): string {
  const kernel = attrs["kernel"] ?? 2;
  const stride = attrs["stride"] ?? kernel;
  if (typeof kernel !== "number" || typeof stride !== "number") throw new Error("internal: avg_pool2d needs integer kernel and stride");
  const [s] = b.local("pool_sum", [x], { kernel, stride }, [out]);
  const count = kernel * kernel;
  const bits = log2Exact(count);
  if (bits === 0) return s!;
  if (bits > 0) return truncate(b, s!, bits, out);
  return mulConst(b, s!, 1 / count, out);
}

/** The pooling windows of x [N, C, H, W] as a last axis [N, C, OH, OW, k*k] (a gather of
 *  shares, free): a reduction over that axis (max, for max_pool2d) gives the pooled value. */
export function poolWindows(b: PlanBuilder, x: string, attrs: Record<string, unknown>): string {
  const kernel = attrs["kernel"] ?? 2;
  const stride = attrs["stride"] ?? kernel;
  if (typeof kernel !== "number" || typeof stride !== "number") throw new Error("internal: pooling needs integer kernel and stride");
  const xi = b.info(x);
  const [n, c, h, w] = xi.shape as [number, number, number, number];
  const shape = [n, c, Math.floor((h - kernel) / stride) + 1, Math.floor((w - kernel) / stride) + 1, kernel * kernel];
  return b.local("pool_windows", [x], { kernel, stride }, [{ elem: xi.elem, shape }])[0]!;
}
