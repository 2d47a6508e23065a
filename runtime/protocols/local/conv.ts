// The local halves of the inference-layer protocols (../spec/conv.ts): convolution on the
// ring as an im2col matmul (ringConv2d, also the dealer's kernel for the convolution triple),
// the Beaver convolution step, convolution with a public operand, and the window sums and
// window gathers of pooling. Exact mod 2^64; no randomness, no communication.

import {
  type RingTensor,
  ringAdd,
  ringAddInPlace,
  ringIm2col,
  ringMatmul,
  ringTranspose,
} from "../../ring/index.js";
import { elemBits, encodeClear } from "./encode.js";
import { clearArg, type LocalFn, ringArg } from "./types.js";

/**
 * conv2d(x[N,C,H,W], w[O,C,KH,KW]) mod 2^64 (cross-correlation, zero padding, as PyTorch):
 * im2col gives cols [N, OH*OW, C*KH*KW] in the order of w reshaped to [O, C*KH*KW], so one
 * ring matmul cols @ w^T [N*OH*OW, O] does the work; its result is put back to [N, O, OH, OW].
 */
export function ringConv2d(x: RingTensor, w: RingTensor, stride: number, padding: number): RingTensor {
  if (x.shape.length !== 4 || w.shape.length !== 4) throw new RangeError("ringConv2d: expected x [N, C, H, W] and w [O, C, KH, KW]");
  const [N, C] = x.shape as [number, number];
  const [O, C2, KH, KW] = w.shape as [number, number, number, number];
  if (C !== C2) throw new RangeError(`ringConv2d: input has ${C} channels, weights ${C2}`);
  const cols = ringIm2col(x, KH, KW, stride, padding);
  const P = cols.shape[1]!;
  const K = C * KH * KW;
  const wT = ringTranspose({ data: w.data, shape: [O, K] }); // [K, O]
  const y = ringMatmul(cols, wT); // [N, P, O]
  const out = new BigUint64Array(N * O * P);
  const src = y.data;
  // [N, P, O] -> [N, O, P]
  for (let n = 0; n < N; n++) {
    const base = n * P * O;
    for (let p = 0; p < P; p++) {
      const row = base + p * O;
      for (let o = 0; o < O; o++) out[base + o * P + p] = src[row + o]!;
    }
  }
  const [H, W] = [x.shape[2]!, x.shape[3]!];
  const OH = Math.floor((H + 2 * padding - KH) / stride) + 1;
  const OW = Math.floor((W + 2 * padding - KW) / stride) + 1;
  return { data: out, shape: [N, O, OH, OW] };
}

function intAttr(fn: string, attrs: Record<string, unknown>, name: string, dflt?: number): number {
  const v = attrs[name] ?? dflt;
  if (typeof v !== "number" || !Number.isInteger(v)) throw new Error(`internal: local ${fn} needs an integer attribute ${name}`);
  return v;
}

const windowOf = (fn: string, attrs: Record<string, unknown>): [number, number] => [intAttr(fn, attrs, "stride", 1), intAttr(fn, attrs, "padding", 0)];

/** C + conv(E, B) + conv(A, D) + party0(conv(E, D)): party 0 C0 + conv(E, B0 + D) + conv(A0, D),
 *  the others C_i + conv(E, B_i) + conv(A_i, D). Args: E, D (opened), A, B, C (shares). */
export const beaver_conv: LocalFn = (ctx, args, attrs) => {
  const e = ringArg("beaver_conv", args, 0);
  const d = ringArg("beaver_conv", args, 1);
  const a = ringArg("beaver_conv", args, 2);
  const b = ringArg("beaver_conv", args, 3);
  const c = ringArg("beaver_conv", args, 4);
  const [stride, padding] = windowOf("beaver_conv", attrs);
  const z = ringConv2d(e, ctx.index === 0 ? ringAdd(b, d) : b, stride, padding);
  ringAddInPlace(z, ringConv2d(a, d, stride, padding));
  ringAddInPlace(z, c);
  return [z];
};

/** convPrivate's step (see ../spec/conv.ts). Args: A, B, C, E, D, encode(x), encode(w), where
 *  this party holds them; attrs x_owner / w_owner name the owner of a private operand (absent:
 *  that operand is secret). */
export const beaver_conv_private: LocalFn = (ctx, args, attrs) => {
  const fn = "beaver_conv_private";
  const [stride, padding] = windowOf(fn, attrs);
  const conv = (x: RingTensor, w: RingTensor): RingTensor => ringConv2d(x, w, stride, padding);
  const z = ringArg(fn, args, 2).data.slice();
  const out: RingTensor = { data: z, shape: [...ringArg(fn, args, 2).shape] };
  const p = attrs["x_owner"] as string | undefined;
  const q = attrs["w_owner"] as string | undefined;
  const me = ctx.party;
  if (p === undefined) {
    // x secret, w at q: conv(A_i, D) everywhere, conv(E, w) at q
    ringAddInPlace(out, conv(ringArg(fn, args, 0), ringArg(fn, args, 4)));
    if (me === q) ringAddInPlace(out, conv(ringArg(fn, args, 3), ringArg(fn, args, 6)));
  } else if (q === undefined) {
    // x at p, w secret: conv(E, B_i) everywhere, conv(x, D) at p
    ringAddInPlace(out, conv(ringArg(fn, args, 3), ringArg(fn, args, 1)));
    if (me === p) ringAddInPlace(out, conv(ringArg(fn, args, 5), ringArg(fn, args, 4)));
  } else if (me === p) {
    ringAddInPlace(out, conv(ringArg(fn, args, 5), ringArg(fn, args, 4)));
  } else if (me === q) {
    ringAddInPlace(out, conv(ringArg(fn, args, 3), ringArg(fn, args, 1)));
  }
  return [out];
};

/** conv(x, c) (side right: c the weights) or conv(c, x) (side left: c the input), c clear. */
export const conv_public: LocalFn = (ctx, args, attrs) => {
  const x = ringArg("conv_public", args, 0);
  const c = encodeClear(clearArg("conv_public", args, 1), elemBits(attrs["elem"], ctx.precision), "convolution with a public value");
  const [stride, padding] = windowOf("conv_public", attrs);
  return [attrs["side"] === "left" ? ringConv2d(c, x, stride, padding) : ringConv2d(x, c, stride, padding)];
};

function poolGeometry(fn: string, x: RingTensor, attrs: Record<string, unknown>): { k: number; s: number; oh: number; ow: number } {
  if (x.shape.length !== 4) throw new Error(`internal: local ${fn} needs an [N, C, H, W] input`);
  const k = intAttr(fn, attrs, "kernel", 2);
  const s = intAttr(fn, attrs, "stride", k);
  const oh = Math.floor((x.shape[2]! - k) / s) + 1;
  const ow = Math.floor((x.shape[3]! - k) / s) + 1;
  if (k < 1 || s < 1 || oh < 1 || ow < 1) throw new Error(`internal: local ${fn}: window ${k} (stride ${s}) does not fit [${x.shape.join(", ")}]`);
  return { k, s, oh, ow };
}

/** The sum of each k x k window (stride s) of [N, C, H, W]: [N, C, OH, OW]. */
export const pool_sum: LocalFn = (_ctx, args, attrs) => {
  const x = ringArg("pool_sum", args, 0);
  const { k, s, oh, ow } = poolGeometry("pool_sum", x, attrs);
  const [N, C, H, W] = x.shape as [number, number, number, number];
  const out = new BigUint64Array(N * C * oh * ow);
  const src = x.data;
  for (let nc = 0; nc < N * C; nc++) {
    const plane = nc * H * W;
    for (let y = 0; y < oh; y++) {
      for (let xo = 0; xo < ow; xo++) {
        let acc = 0n;
        for (let i = 0; i < k; i++) {
          const row = plane + (y * s + i) * W + xo * s;
          for (let j = 0; j < k; j++) acc += src[row + j]!;
        }
        out[(nc * oh + y) * ow + xo] = BigInt.asUintN(64, acc);
      }
    }
  }
  return [{ data: out, shape: [N, C, oh, ow] }];
};

/** The k x k windows (stride s) of [N, C, H, W] as a last axis: [N, C, OH, OW, k*k], each
 *  window in row-major order. */
export const pool_windows: LocalFn = (_ctx, args, attrs) => {
  const x = ringArg("pool_windows", args, 0);
  const { k, s, oh, ow } = poolGeometry("pool_windows", x, attrs);
  const [N, C, H, W] = x.shape as [number, number, number, number];
  const kk = k * k;
  const out = new BigUint64Array(N * C * oh * ow * kk);
  const src = x.data;
  let o = 0;
  for (let nc = 0; nc < N * C; nc++) {
    const plane = nc * H * W;
    for (let y = 0; y < oh; y++) {
      for (let xo = 0; xo < ow; xo++) {
        for (let i = 0; i < k; i++) {
          const row = plane + (y * s + i) * W + xo * s;
          for (let j = 0; j < k; j++) out[o++] = src[row + j]!;
        }
      }
    }
  }
  return [{ data: out, shape: [N, C, oh, ow, kk] }];
};
