// The tables of the inference-layer protocols (./conv.ts): the convolution triple's layout
// (spread into ./dealer-items.ts) and the local-function names (spread into ./local-fns.ts),
// plus the shape arithmetic of conv2d and pooling that the compiler, the dealer and the
// parties must agree on. Pure data and arithmetic: no randomness, no kernels.

import type { DealerItemInfo, DealerOutputLayout } from "./dealer-items.js";

/** Output shape of conv2d(x[N,C,H,W], w[O,C,KH,KW]) with a square stride and zero padding. */
export function convOutShape(x: readonly number[], w: readonly number[], stride: number, padding: number): number[] {
  if (x.length !== 4 || w.length !== 4) throw new Error("internal: conv2d needs [N, C, H, W] input and [O, C, KH, KW] weights");
  const [n, c, h, wd] = x as [number, number, number, number];
  const [o, c2, kh, kw] = w as [number, number, number, number];
  if (c !== c2) throw new Error(`internal: conv2d channels differ (${c} and ${c2})`);
  const oh = Math.floor((h + 2 * padding - kh) / stride) + 1;
  const ow = Math.floor((wd + 2 * padding - kw) / stride) + 1;
  if (!(stride >= 1 && padding >= 0 && oh >= 1 && ow >= 1)) {
    throw new Error(`internal: conv2d kernel ${kh}x${kw} with stride ${stride}, padding ${padding} does not fit ${h}x${wd}`);
  }
  return [n, o, oh, ow];
}

/** Output shape of a pooling window (no padding) over [N, C, H, W]. */
export function poolOutShape(x: readonly number[], kernel: number, stride: number): number[] {
  if (x.length !== 4) throw new Error("internal: pooling needs an [N, C, H, W] input");
  const [n, c, h, w] = x as [number, number, number, number];
  const oh = Math.floor((h - kernel) / stride) + 1;
  const ow = Math.floor((w - kernel) / stride) + 1;
  if (!(kernel >= 1 && stride >= 1 && oh >= 1 && ow >= 1)) throw new Error(`internal: pooling window ${kernel} (stride ${stride}) does not fit ${h}x${w}`);
  return [n, c, oh, ow];
}

const intAttr = (item: string, attrs: Record<string, unknown>, name: string, min: number): number => {
  const v = attrs[name];
  if (typeof v !== "number" || !Number.isInteger(v) || v < min) throw new Error(`internal: dealer item ${item} needs an integer attribute ${name} >= ${min}`);
  return v;
};

const shapeAttr = (item: string, attrs: Record<string, unknown>, name: string): number[] => {
  const v = attrs[name];
  if (!Array.isArray(v) || v.length !== 4 || !v.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new Error(`internal: dealer item ${item} needs attribute ${name} (a 4-d shape)`);
  }
  return [...(v as number[])];
};

/** The conv item's stride and padding (the dealer's conv and the parties' must agree). */
export function convWindow(attrs: Record<string, unknown>): { stride: number; padding: number } {
  return { stride: intAttr("triple_conv", attrs, "stride", 1), padding: intAttr("triple_conv", attrs, "padding", 0) };
}

export const CONV_DEALER_ITEMS = {
  triple_conv: {
    doc:
      "convolution Beaver triple (A, B, C = conv2d(A, B)): attrs {a: [N,C,H,W], b: [O,C,KH,KW], c: the output " +
      "shape, stride, padding}; optional a_owner / b_owner: A (B) known in full to that party only (a private operand)",
    layout(attrs) {
      const a = shapeAttr("triple_conv", attrs, "a");
      const b = shapeAttr("triple_conv", attrs, "b");
      const c = shapeAttr("triple_conv", attrs, "c");
      const { stride, padding } = convWindow(attrs);
      const want = convOutShape(a, b, stride, padding);
      if (want.some((d, i) => d !== c[i])) throw new Error(`internal: dealer item triple_conv: c is [${c.join(", ")}], conv2d gives [${want.join(", ")}]`);
      const outs: DealerOutputLayout[] = [
        { name: "A", shape: a, correlated: false },
        { name: "B", shape: b, correlated: false },
        { name: "C", shape: c, correlated: true },
      ];
      (["a_owner", "b_owner"] as const).forEach((key, k) => {
        const v = attrs[key];
        if (v === undefined) return;
        if (typeof v !== "number" || !Number.isInteger(v) || v < 0) throw new Error(`internal: dealer item triple_conv: ${key} must be a party index`);
        outs[k]!.owner = v;
      });
      return outs;
    },
  },
} as const satisfies Record<string, DealerItemInfo>;

export const CONV_LOCAL_FNS = {
  beaver_conv:
    "conv2d Beaver step (attrs stride, padding): C + conv(E, B) + conv(A, D) + party0(conv(E, D)), as two " +
    "convolutions per party: party 0 C0 + conv(E, B0 + D) + conv(A0, D), others C_i + conv(E, B_i) + conv(A_i, D)",
  beaver_conv_private:
    "conv2d with a private operand (convPrivate; attrs stride, padding, x_owner?, w_owner?): C_i + the terms " +
    "this party can form from what it holds — see runtime/protocols/spec/conv.ts",
  conv_public:
    "conv2d(x, c) (attr side 'right': c the weights) or conv2d(c, x) (side 'left': c the input), c clear " +
    "public encoded as attr elem; attrs stride, padding",
  pool_sum: "sum over each pooling window of [N, C, H, W] (attrs kernel, stride): [N, C, OH, OW]",
  pool_windows: "the pooling windows of [N, C, H, W] (attrs kernel, stride) as a last axis: [N, C, OH, OW, kernel^2]",
} as const;

export type ConvLocalFnName = keyof typeof CONV_LOCAL_FNS;
