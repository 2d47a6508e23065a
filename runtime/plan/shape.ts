// Shapes shared by the compiler and the runtime: element counts, row-major strides and the
// NumPy broadcast rule, written once so the checker, the lowering, the protocol specs and the
// ring/clear kernels can never disagree on them. Pure functions on number[]; they never see
// values and never log.

/** Number of elements of a shape ([] is a scalar: 1 element). */
export function elementCount(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Row-major strides: how far apart consecutive indices of each axis are. */
export function strides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i]!;
  }
  return s;
}

/** NumPy broadcasting of two shapes: align at the right; each pair of dimensions equal or one
 *  of them 1. Undefined when they do not broadcast (callers decide how to report that). */
export function broadcastShapes(a: readonly number[], b: readonly number[]): number[] | undefined {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 1; i <= n; i++) {
    const x = a[a.length - i] ?? 1;
    const y = b[b.length - i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) return undefined;
    out[n - i] = x === 1 ? y : x;
  }
  return out;
}

/** `broadcastShapes` for shapes that must already be compatible (checked by the checker, or
 *  built by the compiler); a RangeError naming both shapes if they are not. */
export function broadcastOrThrow(a: readonly number[], b: readonly number[]): number[] {
  const out = broadcastShapes(a, b);
  if (!out) throw new RangeError(`shapes [${a.join(", ")}] and [${b.join(", ")}] do not broadcast`);
  return out;
}
