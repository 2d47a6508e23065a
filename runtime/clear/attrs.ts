// Reading op attributes (axis, shapes, bounds) from the untyped `attrs` record of a plan or IR
// node, with clear errors for a malformed attribute. Never reads tensor values.

import { ClearOpError } from "./tensor.js";

type Attrs = Record<string, unknown>;

const isInt = (x: unknown): x is number => typeof x === "number" && Number.isInteger(x);

export function numberAttr(op: string, attrs: Attrs, name: string): number | undefined;
export function numberAttr(op: string, attrs: Attrs, name: string, dflt: number): number;
export function numberAttr(op: string, attrs: Attrs, name: string, dflt?: number): number | undefined {
  const v = attrs[name];
  if (v === undefined || v === null) return dflt;
  if (typeof v !== "number") throw new ClearOpError(op, `attribute ${name} must be a number`);
  return v;
}

export function boolAttr(op: string, attrs: Attrs, name: string, dflt: boolean): boolean {
  const v = attrs[name];
  if (v === undefined || v === null) return dflt;
  if (typeof v !== "boolean") throw new ClearOpError(op, `attribute ${name} must be true or false`);
  return v;
}

/** An integer list attribute (shape, perm). */
export function intListAttr(op: string, attrs: Attrs, name: string): number[] | undefined {
  const v = attrs[name];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || !v.every(isInt)) throw new ClearOpError(op, `attribute ${name} must be a list of integers`);
  return v as number[];
}

/** `axis`: absent (all axes), one axis, or a list of axes. */
export function axesAttr(op: string, attrs: Attrs): number[] | undefined {
  const v = attrs["axis"];
  if (v === undefined || v === null) return undefined;
  if (isInt(v)) return [v];
  if (Array.isArray(v) && v.every(isInt)) return v as number[];
  throw new ClearOpError(op, "attribute axis must be an integer or a list of integers");
}

/** A 2-d window parameter (kernel, stride, padding): one integer for both, or [h, w]. */
export function pairAttr(op: string, attrs: Attrs, name: string, dflt: [number, number] | undefined): [number, number] {
  const v = attrs[name];
  if (v === undefined || v === null) {
    if (dflt === undefined) throw new ClearOpError(op, `attribute ${name} is required`);
    return dflt;
  }
  if (isInt(v)) return [v, v];
  if (Array.isArray(v) && v.length === 2 && v.every(isInt)) return [v[0] as number, v[1] as number];
  throw new ClearOpError(op, `attribute ${name} must be an integer or [h, w]`);
}
