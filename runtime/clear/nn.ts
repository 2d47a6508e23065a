// Layers for inference in the clear: conv2d (NCHW input, OIHW weights, stride, zero padding),
// average and max pooling over NCHW windows, and inference-time batchnorm along axis 1.

import { numberAttr, pairAttr } from "./attrs.js";
import { type ClearTensor, ClearOpError, showShape } from "./tensor.js";

type Attrs = Record<string, unknown>;

function need4d(op: string, what: string, t: ClearTensor): [number, number, number, number] {
  if (t.shape.length !== 4) throw new ClearOpError(op, `${what} must be 4-d [N, C, H, W], got ${showShape(t.shape)}`);
  return t.shape as [number, number, number, number];
}

function outDim(op: string, size: number, kernel: number, stride: number, pad: number): number {
  if (stride < 1) throw new ClearOpError(op, "stride must be at least 1");
  if (pad < 0) throw new ClearOpError(op, "padding must not be negative");
  const span = size + 2 * pad - kernel;
  if (kernel < 1 || span < 0) throw new ClearOpError(op, `window ${kernel} does not fit an axis of ${size} (padding ${pad})`);
  return Math.floor(span / stride) + 1;
}

/** conv2d(x[N,C,H,W], w[O,C,KH,KW]) -> [N,O,OH,OW]; cross-correlation as in PyTorch. */
export function conv2d(x: ClearTensor, w: ClearTensor, attrs: Attrs): ClearTensor {
  const [N, C, H, W] = need4d("conv2d", "input", x);
  const [O, C2, KH, KW] = need4d("conv2d", "weights", w);
  if (C !== C2) throw new ClearOpError("conv2d", `input has ${C} channels but weights expect ${C2}`);
  const [sh, sw] = pairAttr("conv2d", attrs, "stride", [1, 1]);
  const [ph, pw] = pairAttr("conv2d", attrs, "padding", [0, 0]);
  const OH = outDim("conv2d", H, KH, sh, ph);
  const OW = outDim("conv2d", W, KW, sw, pw);
  const out = new Float64Array(N * O * OH * OW);
  const xd = x.data;
  const wd = w.data;
  for (let n = 0; n < N; n++) {
    for (let o = 0; o < O; o++) {
      for (let oy = 0; oy < OH; oy++) {
        for (let ox = 0; ox < OW; ox++) {
          let acc = 0;
          for (let c = 0; c < C; c++) {
            const xBase = (n * C + c) * H;
            const wBase = (o * C + c) * KH;
            for (let ky = 0; ky < KH; ky++) {
              const iy = oy * sh - ph + ky;
              if (iy < 0 || iy >= H) continue;
              for (let kx = 0; kx < KW; kx++) {
                const ix = ox * sw - pw + kx;
                if (ix < 0 || ix >= W) continue;
                acc += xd[(xBase + iy) * W + ix]! * wd[(wBase + ky) * KW + kx]!;
              }
            }
          }
          out[((n * O + o) * OH + oy) * OW + ox] = acc;
        }
      }
    }
  }
  return { data: out, shape: [N, O, OH, OW] };
}

function pool(op: "avg_pool2d" | "max_pool2d", x: ClearTensor, attrs: Attrs): ClearTensor {
  const [N, C, H, W] = need4d(op, "input", x);
  const [kh, kw] = pairAttr(op, attrs, "kernel", undefined);
  const [sh, sw] = pairAttr(op, attrs, "stride", [kh, kw]);
  const OH = outDim(op, H, kh, sh, 0);
  const OW = outDim(op, W, kw, sw, 0);
  const out = new Float64Array(N * C * OH * OW);
  for (let nc = 0; nc < N * C; nc++) {
    for (let oy = 0; oy < OH; oy++) {
      for (let ox = 0; ox < OW; ox++) {
        let acc = op === "max_pool2d" ? -Infinity : 0;
        for (let ky = 0; ky < kh; ky++) {
          for (let kx = 0; kx < kw; kx++) {
            const v = x.data[(nc * H + oy * sh + ky) * W + ox * sw + kx]!;
            acc = op === "max_pool2d" ? (v > acc ? v : acc) : acc + v;
          }
        }
        out[(nc * OH + oy) * OW + ox] = op === "max_pool2d" ? acc : acc / (kh * kw);
      }
    }
  }
  return { data: out, shape: [N, C, OH, OW] };
}

export const avgPool2d = (x: ClearTensor, attrs: Attrs): ClearTensor => pool("avg_pool2d", x, attrs);
export const maxPool2d = (x: ClearTensor, attrs: Attrs): ClearTensor => pool("max_pool2d", x, attrs);

/** (x - mean) / sqrt(var + eps) * gamma + beta, per channel (axis 1); eps defaults to 1e-5. */
export function batchnorm(x: ClearTensor, gamma: ClearTensor, beta: ClearTensor, mean: ClearTensor, variance: ClearTensor, attrs: Attrs): ClearTensor {
  if (x.shape.length < 2) throw new ClearOpError("batchnorm", `input must have a channel axis 1, got ${showShape(x.shape)}`);
  const C = x.shape[1]!;
  for (const [what, p] of [["gamma", gamma], ["beta", beta], ["mean", mean], ["var", variance]] as const) {
    if (p.data.length !== C || p.shape.length !== 1) {
      throw new ClearOpError("batchnorm", `${what} must have shape [${C}], got ${showShape(p.shape)}`);
    }
  }
  const eps = numberAttr("batchnorm", attrs, "eps", 1e-5);
  const inner = x.data.length / (x.shape[0]! * C) || 0;
  const scale = new Float64Array(C);
  for (let c = 0; c < C; c++) scale[c] = gamma.data[c]! / Math.sqrt(variance.data[c]! + eps);
  const out = new Float64Array(x.data.length);
  for (let k = 0; k < out.length; k++) {
    const c = Math.floor(k / inner) % C;
    out[k] = (x.data[k]! - mean.data[c]!) * scale[c]! + beta.data[c]!;
  }
  return { data: out, shape: [...x.shape] };
}
