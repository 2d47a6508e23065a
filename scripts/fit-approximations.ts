// Fits the polynomial coefficients of the non-linear protocols (runtime/protocols/spec/nonlinear)
// offline, in float64, and writes them to runtime/protocols/spec/nonlinear/coefficients.ts.
// Each polynomial is the Chebyshev interpolant (near-minimax) of its function on [-1, 1] in a
// normalised variable, converted to monomial coefficients; for relative-error targets the
// interpolated function is scaled so the interpolant's error is relative. Prints the float64
// approximation error of every fit (the fixed-point protocols add their rounding on top; the
// tests measure the end result).
//
//   npx tsx scripts/fit-approximations.ts          print the fits
//   npx tsx scripts/fit-approximations.ts --write  also regenerate coefficients.ts

import { writeFileSync } from "node:fs";

/** Monomial coefficients (c0 + c1 u + ... ) of the degree-d Chebyshev interpolant of f on [-1, 1]. */
export function chebFit(f: (u: number) => number, d: number): number[] {
  const n = d + 1;
  const nodes = Array.from({ length: n }, (_, k) => Math.cos((Math.PI * (k + 0.5)) / n));
  const fv = nodes.map(f);
  // Chebyshev coefficients a_j = 2/n sum f(x_k) T_j(x_k)
  const a = Array.from({ length: n }, (_, j) => ((j === 0 ? 1 : 2) / n) * fv.reduce((s, y, k) => s + y * Math.cos((j * Math.PI * (k + 0.5)) / n), 0));
  // T_j as monomials, by T_{j+1} = 2u T_j - T_{j-1}
  const T: number[][] = [[1], [0, 1]];
  for (let j = 2; j < n; j++) {
    const t = new Array<number>(j + 1).fill(0);
    T[j - 1]!.forEach((c, i) => (t[i + 1]! += 2 * c));
    T[j - 2]!.forEach((c, i) => (t[i]! -= c));
    T[j] = t;
  }
  const c = new Array<number>(n).fill(0);
  for (let j = 0; j < n; j++) T[j]!.forEach((t, i) => (c[i]! += a[j]! * t));
  return c;
}

export const horner = (c: readonly number[], u: number): number => c.reduceRight((acc, k) => acc * u + k, 0);

/** Max of |g(u)| over a fine grid of [-1, 1]. */
function maxOver(g: (u: number) => number, lo = -1, hi = 1): number {
  let m = 0;
  for (let i = 0; i <= 4000; i++) m = Math.max(m, Math.abs(g(lo + ((hi - lo) * i) / 4000)));
  return m;
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

export interface Fits {
  /** sigmoid(j + u), u in [-1, 1], one polynomial per segment j = -16..15 (index j mod 32). */
  sigmoid: { width: number; size: number; degree: number; polys: number[][] };
  /** tanh(j/2 + u/2), u in [-1, 1], j = -16..15. */
  tanh: { width: number; size: number; degree: number; polys: number[][] };
  /** 2^(v/8), v in [-1, 1]: the fractional part of exp's range reduction. */
  exp2frac: number[];
  /** 1/m on m = (t + 3)/4 in [0.5, 1], t in [-1, 1]: reciprocal's initial guess. */
  recip: number[];
  /** 1/sqrt(m), m = (3t + 5)/8 in [0.25, 1], t in [-1, 1]: inv_sqrt's initial guess. */
  invSqrt: number[];
  /** ln(m), m = (t + 3)/4 in [0.5, 1], t in [-1, 1]. */
  log: number[];
}

export function fitAll(): { fits: Fits; report: string[] } {
  const report: string[] = [];
  // sigmoid: segments of width 1 centred on the integers; the table holds j = -16..15 and
  // saturation covers |x| >= 14. Mirror symmetry: P_{-j}(u) = 1 - P_j(-u), so fit j >= 0 only.
  const SIG_DEG = 6;
  const sig = new Map<number, number[]>();
  let sigErr = 0;
  for (let j = 0; j <= 16; j++) {
    const c = chebFit((u) => sigmoid(j + u), SIG_DEG);
    sig.set(j, c);
    sigErr = Math.max(sigErr, maxOver((u) => horner(c, u) - sigmoid(j + u)));
  }
  const mirror = (c: number[]): number[] => c.map((k, i) => (i === 0 ? 1 - k : i % 2 === 1 ? k : -k));
  const sigPolys = Array.from({ length: 32 }, (_, idx) => {
    const j = idx < 16 ? idx : idx - 32;
    return j >= 0 ? sig.get(j)! : mirror(sig.get(-j)!);
  });
  report.push(`sigmoid: 32 segments of width 1, degree ${SIG_DEG}: max abs error ${sigErr.toExponential(2)}`);

  const TANH_DEG = 6;
  const th = new Map<number, number[]>();
  let thErr = 0;
  for (let j = 0; j <= 16; j++) {
    const c = chebFit((u) => Math.tanh((j + u) / 2), TANH_DEG);
    th.set(j, c);
    thErr = Math.max(thErr, maxOver((u) => horner(c, u) - Math.tanh((j + u) / 2)));
  }
  const odd = (c: number[]): number[] => c.map((k, i) => (i % 2 === 1 ? k : -k));
  const tanhPolys = Array.from({ length: 32 }, (_, idx) => {
    const j = idx < 16 ? idx : idx - 32;
    return j >= 0 ? th.get(j)! : odd(th.get(-j)!);
  });
  report.push(`tanh: 32 segments of width 1/2, degree ${TANH_DEG}: max abs error ${thErr.toExponential(2)}`);

  const exp2frac = chebFit((v) => 2 ** (v / 8), 3);
  report.push(`exp 2^(v/8), v in [-1,1], degree 3: max rel error ${maxOver((v) => horner(exp2frac, v) / 2 ** (v / 8) - 1).toExponential(2)}`);

  const recip = chebFit((t) => 4 / (t + 3), 2);
  report.push(`reciprocal initial 1/m on [0.5,1], degree 2: max rel error ${maxOver((t) => (horner(recip, t) * (t + 3)) / 4 - 1).toExponential(2)}`);

  const invSqrt = chebFit((t) => 1 / Math.sqrt((3 * t + 5) / 8), 3);
  report.push(
    `inv_sqrt initial 1/sqrt(m) on [0.25,1], degree 3: max rel error ${maxOver((t) => horner(invSqrt, t) * Math.sqrt((3 * t + 5) / 8) - 1).toExponential(2)}`,
  );

  const log = chebFit((t) => Math.log((t + 3) / 4), 5);
  report.push(`ln(m) on [0.5,1], degree 5: max abs error ${maxOver((t) => horner(log, t) - Math.log((t + 3) / 4)).toExponential(2)}`);

  return {
    fits: {
      sigmoid: { width: 1, size: 32, degree: SIG_DEG, polys: sigPolys },
      tanh: { width: 0.5, size: 32, degree: TANH_DEG, polys: tanhPolys },
      exp2frac,
      recip,
      invSqrt,
      log,
    },
    report,
  };
}

function render(f: Fits): string {
  const arr = (c: readonly number[]): string => `[${c.map((x) => String(x)).join(", ")}]`;
  const polys = (p: readonly number[][]): string => `[\n${p.map((c) => `      ${arr(c)},`).join("\n")}\n    ]`;
  return `// GENERATED by scripts/fit-approximations.ts (npx tsx scripts/fit-approximations.ts --write).
// Do not edit by hand. Monomial coefficients c0, c1, ... of near-minimax (Chebyshev
// interpolant) polynomials in a normalised variable on [-1, 1]; see the script for each
// function's variable and the fit errors.

/** sigmoid(j + u), u in [-1, 1]; entry k holds segment j = k < 16 ? k : k - 32. */
export const SIGMOID_SEGMENTS = {
  width: ${f.sigmoid.width},
  size: ${f.sigmoid.size},
  degree: ${f.sigmoid.degree},
  polys: ${polys(f.sigmoid.polys)},
} as const;

/** tanh((j + u) / 2), u in [-1, 1]; entry k holds segment j = k < 16 ? k : k - 32. */
export const TANH_SEGMENTS = {
  width: ${f.tanh.width},
  size: ${f.tanh.size},
  degree: ${f.tanh.degree},
  polys: ${polys(f.tanh.polys)},
} as const;

/** 2^(v/8) for v in [-1, 1]. */
export const EXP2_FRAC: readonly number[] = ${arr(f.exp2frac)};

/** 1/m for m = (t + 3)/4 in [0.5, 1], t in [-1, 1]. */
export const RECIPROCAL_INIT: readonly number[] = ${arr(f.recip)};

/** 1/sqrt(m) for m = (3t + 5)/8 in [0.25, 1], t in [-1, 1]. */
export const INV_SQRT_INIT: readonly number[] = ${arr(f.invSqrt)};

/** ln(m) for m = (t + 3)/4 in [0.5, 1], t in [-1, 1]. */
export const LOG_MANTISSA: readonly number[] = ${arr(f.log)};
`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { fits, report } = fitAll();
  for (const line of report) console.log(line);
  if (process.argv.includes("--write")) {
    const path = new URL("../runtime/protocols/spec/nonlinear/coefficients.ts", import.meta.url);
    writeFileSync(path, render(fits));
    console.log(`wrote ${path.pathname}`);
  }
}
