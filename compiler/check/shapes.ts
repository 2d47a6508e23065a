// Static shapes: NumPy broadcasting, axis normalisation, element counts. Pure functions on
// number[]; they report nothing themselves (callers turn `undefined` into a diagnostic that
// names both shapes).

export function showShape(shape: readonly number[]): string {
  return `[${shape.join(", ")}]`;
}

/** Shape equality, element counts and NumPy broadcasting (undefined if incompatible): the
 *  rules compiler and runtime share. */
export { broadcastShapes as broadcast, elementCount, sameShape } from "../../runtime/plan/shape.js";

/** The first (rightmost) pair of dimensions that does not broadcast, for the hint. */
export function broadcastConflict(a: readonly number[], b: readonly number[]): { axis: number; x: number; y: number } | undefined {
  const n = Math.max(a.length, b.length);
  for (let i = 1; i <= n; i++) {
    const x = a[a.length - i] ?? 1;
    const y = b[b.length - i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) return { axis: -i, x, y };
  }
  return undefined;
}

/** Normalise an axis in -rank..rank-1 to 0..rank-1; undefined when out of range. */
export function normaliseAxis(axis: number, rank: number): number | undefined {
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) return undefined;
  return axis < 0 ? axis + rank : axis;
}

/** Shape of `a @ b`, or a reason it has none. */
export function matmulShape(
  a: readonly number[],
  b: readonly number[],
): { shape: number[] } | { rank: true } | { inner: [number, number] } {
  if (a.length === 0 || b.length === 0 || a.length > 2 || b.length > 2) return { rank: true };
  const k1 = a[a.length - 1]!;
  const k2 = b[0]!;
  if (k1 !== k2) return { inner: [k1, k2] };
  const out: number[] = [];
  if (a.length === 2) out.push(a[0]!);
  if (b.length === 2) out.push(b[1]!);
  return { shape: out };
}

/** Shape after reducing `axis` (all axes when undefined). */
export function reduceShape(shape: readonly number[], axis: number | undefined, keepdims: boolean): number[] {
  if (axis === undefined) return keepdims ? shape.map(() => 1) : [];
  return keepdims ? shape.map((d, i) => (i === axis ? 1 : d)) : shape.filter((_, i) => i !== axis);
}
