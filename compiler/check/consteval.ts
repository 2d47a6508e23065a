// Compile-time evaluation of checked expressions: literals, consts, and operators on them
// (plus `[a, b]` of scalars, for attributes like `perm = [1, 0]`). Used for const
// declarations, loop bounds, axes, shapes, slice bounds and clip bounds. Anything that reads
// a binding (even a public loop variable) is not a compile-time constant.

import type { TExpr } from "./typed.js";

export type ConstValue = number | boolean | number[];

export function constValue(e: TExpr): ConstValue | undefined {
  if (e.k === "const") return e.value;
  if (e.k !== "op") return undefined;
  const args: ConstValue[] = [];
  for (const a of e.args) {
    const v = constValue(a);
    if (v === undefined) return undefined;
    args.push(v);
  }
  if (e.op === "stack" && e.args.length > 0 && args.every((a) => typeof a === "number") && e.attrs["axis"] === 0) {
    return args as number[];
  }
  if (args.some((a) => Array.isArray(a))) return undefined;
  const [x, y] = args as (number | boolean)[];
  const num = (v: number | boolean | undefined): number => Number(v);
  switch (e.op) {
    case "neg":
      return -num(x);
    case "not":
      return !x;
    case "add":
      return num(x) + num(y);
    case "sub":
      return num(x) - num(y);
    case "mul":
      return num(x) * num(y);
    case "div":
      return num(x) / num(y);
    case "lt":
      return num(x) < num(y);
    case "le":
      return num(x) <= num(y);
    case "gt":
      return num(x) > num(y);
    case "ge":
      return num(x) >= num(y);
    case "eq":
      return x === y;
    case "ne":
      return x !== y;
    case "and":
      return Boolean(x) && Boolean(y);
    case "or":
      return Boolean(x) || Boolean(y);
    case "cast":
      return e.attrs["to"] === "int" ? Math.trunc(num(x)) : e.attrs["to"] === "fixed" ? num(x) : x !== 0 && x !== false;
    default:
      return undefined;
  }
}
