// Test helpers for clear ops: build tensors from nested arrays and compare with a tolerance.
import type { ExecutionContext } from "ava";
import { type ClearTensor, clearTensor, toNested } from "../../../runtime/clear/index.js";

export function T(nested: unknown): ClearTensor {
  const shape: number[] = [];
  let cur: unknown = nested;
  while (Array.isArray(cur)) {
    shape.push(cur.length);
    cur = cur[0];
  }
  const flat = (Array.isArray(nested) ? (nested as unknown[]).flat(Infinity) : [nested]) as number[];
  return clearTensor(flat, shape);
}

/** Assert shape equality and every value within `tol` (absolute). */
export function close(t: ExecutionContext, got: ClearTensor, want: unknown, tol = 1e-12): void {
  const w = T(want);
  t.deepEqual(got.shape, w.shape, "shape");
  const bad: string[] = [];
  for (let k = 0; k < w.data.length; k++) {
    const a = got.data[k]!;
    const b = w.data[k]!;
    if (!(Object.is(a, b) || Math.abs(a - b) <= tol)) bad.push(`[${k}] got ${a}, want ${b}`);
  }
  t.deepEqual(bad, [], `values (got ${JSON.stringify(toNested(got))})`);
}
