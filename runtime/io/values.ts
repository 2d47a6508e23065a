// Parsing and validating one value of an input: numbers in the strict decimal syntax (no
// hex, no `Infinity`, no `NaN`), booleans for bool inputs, integers for int inputs, and the
// magnitude limit that keeps a value inside the fixed-point range. Returns a reason string
// instead of throwing so each reader can say where the value was.

import type { ElemType } from "../plan/plan.js";

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A decimal number token, or undefined. */
export function parseNumberToken(tok: string): number | undefined {
  if (!NUMBER.test(tok)) return undefined;
  return Number(tok);
}

/** A cell as a value of `elem` (bool also accepts true/false), or undefined if not numeric. */
export function parseCell(tok: string, elem: ElemType): number | undefined {
  if (elem === "bool") {
    const low = tok.toLowerCase();
    if (low === "true") return 1;
    if (low === "false") return 0;
  }
  return parseNumberToken(tok);
}

export interface ValueLimits {
  /** Exclusive bound on |x| for `fixed` values (runtime/fixed's fixedBound(precision), so a
   *  value the secure run would refuse is refused here, with its position in the file). */
  fixedBound?: number;
}

/** Why `v` is not a valid value of `elem` (undefined when it is). Never includes `v` itself:
 *  callers show the token the user wrote. */
export function invalidValue(v: number, elem: ElemType, limits: ValueLimits): string | undefined {
  if (!Number.isFinite(v)) return "is not a finite number";
  if (elem === "bool" && v !== 0 && v !== 1) return "is not a bool (use 0/1 or true/false)";
  if (elem === "int" && !Number.isInteger(v)) return "is not an integer";
  if (elem === "int" && !Number.isSafeInteger(v)) return "is too large for an exact integer (|x| must be below 2^53)";
  if (elem === "fixed" && limits.fixedBound !== undefined && !(Math.abs(v) < limits.fixedBound)) {
    return `is outside the fixed-point range (|x| must be below ${limits.fixedBound})`;
  }
  return undefined;
}
