// Adjoints of the layer ops written with ops of the table: conv2d (w.r.t. the input: a
// stride-1 conv2d of the dilated, padded output gradient with the flipped, transposed
// weights; w.r.t. the weights: a conv2d of the transposed input with the dilated output
// gradient), and the pooling windows as strided views (crop, reshape, index) whose adjoints
// are the same shape ops backwards. Everything here is a shape op, a conv2d or elementwise:
// nothing new for the protocols.
//
// Must never: compute with values (these only build expressions).

import type { TExpr } from "../check/typed.js";
import type { Builder } from "./build.js";

type Shape4 = [number, number, number, number];

/** Reverse the order of the elements along `axis` (concat of single slices). */
export function flip(b: Builder, x: TExpr, axis: number): TExpr {
  const n = x.type.shape[axis]!;
  if (n === 1) return x;
  const parts: TExpr[] = [];
  for (let i = n - 1; i >= 0; i--) {
    const ranges = x.type.shape.map((d): (number | null)[] => [0, d]);
    ranges[axis] = [i, i + 1];
    parts.push(b.slice(x, ranges));
  }
  return b.concat(parts, axis);
}

/** Insert s - 1 zeros between neighbours along `axis` (n -> (n - 1) * s + 1). */
export function dilate(b: Builder, x: TExpr, axis: number, s: number): TExpr {
  if (s === 1) return x;
  const shape = x.type.shape;
  const n = shape[axis]!;
  const parts = [x, ...Array.from({ length: s - 1 }, () => b.zeros([...shape]))];
  const stacked = b.stack(parts, axis + 1);
  const flat = [...shape];
  flat[axis] = n * s;
  const ranges = flat.map((d): (number | null)[] => [0, d]);
  ranges[axis] = [0, (n - 1) * s + 1];
  return b.slice(b.reshape(stacked, flat), ranges);
}

/** d conv2d(x, w) / d x applied to g: x [N,C,H,W], w [O,C,KH,KW], g [N,O,OH,OW]. */
export function convInputGrad(b: Builder, g: TExpr, w: TExpr, xShape: readonly number[], s: number, p: number): TExpr {
  const [, , H, W] = xShape as Shape4;
  const [, , KH, KW] = w.type.shape as Shape4;
  const [, , OH, OW] = g.type.shape as Shape4;
  const gd = dilate(b, dilate(b, g, 2, s), 3, s);
  const wf = flip(b, flip(b, b.transpose(w, [1, 0, 2, 3]), 2), 3);
  // Rows of the padded input that no window reached (the stride did not fit) get no gradient.
  const eh = H + 2 * p - KH - (OH - 1) * s;
  const ew = W + 2 * p - KW - (OW - 1) * s;
  const [t, bo, l, r] = [KH - 1 - p, KH - 1 - p + eh, KW - 1 - p, KW - 1 - p + ew];
  if (t >= 0 && t === bo && t === l && t === r) return b.conv2d(gd, wf, 1, t);
  return b.conv2d(b.padAxis(b.padAxis(gd, 2, t, bo), 3, l, r), wf, 1, 0);
}

/** d conv2d(x, w) / d w applied to g. */
export function convWeightGrad(b: Builder, g: TExpr, x: TExpr, wShape: readonly number[], s: number, p: number): TExpr {
  const [O, C, KH, KW] = wShape as Shape4;
  const xt = b.transpose(x, [1, 0, 2, 3]);
  const gt = b.transpose(dilate(b, dilate(b, g, 2, s), 3, s), [1, 0, 2, 3]);
  const full = b.conv2d(xt, gt, 1, p); // [C, O, KH + eh, KW + ew]
  const cut = b.slice(full, [
    [0, C],
    [0, O],
    [0, KH],
    [0, KW],
  ]);
  return b.transpose(cut, [1, 0, 2, 3]);
}

/** The pooling window's element (ky, kx) for every output position: x[:, :, ky + s*i, kx + s*j]. */
export function poolView(b: Builder, x: TExpr, ky: number, kx: number, s: number, out: readonly number[]): TExpr {
  const [N, C, H, W] = x.type.shape as Shape4;
  const [, , OH, OW] = out as Shape4;
  const a = b.padAxis(b.padAxis(x, 2, -ky, OH * s - (H - ky)), 3, -kx, OW * s - (W - kx));
  if (s === 1) return a;
  const r = b.reshape(a, [N, C, OH, s, OW, s]);
  return b.slice(r, [
    [0, N],
    [0, C],
    [0, OH],
    [0, null],
    [0, OW],
    [0, null],
  ]);
}

/** The adjoint of poolView: scatter g [N,C,OH,OW] back to x's shape, zeros elsewhere. */
export function poolViewAdjoint(b: Builder, g: TExpr, ky: number, kx: number, s: number, xShape: readonly number[]): TExpr {
  const [N, C, H, W] = xShape as Shape4;
  const [, , OH, OW] = g.type.shape as Shape4;
  let a = g;
  if (s > 1) {
    const r = b.padAxis(b.padAxis(b.reshape(g, [N, C, OH, 1, OW, 1]), 3, 0, s - 1), 5, 0, s - 1);
    a = b.reshape(r, [N, C, OH * s, OW * s]);
  }
  return b.padAxis(b.padAxis(a, 3, kx, -(OW * s - (W - kx))), 2, ky, -(OH * s - (H - ky)));
}
