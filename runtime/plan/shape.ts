// Shapes shared by the compiler and the runtime: the NumPy broadcast rule, written once so the
// checker, the lowering, the protocol specs and the ring/clear kernels can never disagree on
// it. Pure functions on number[]; they never see values and never log.

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
