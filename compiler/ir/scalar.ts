// Compile-time evaluation of ops on public scalar constants (constant folding, and `if`
// conditions that are known when compiling). Float64 arithmetic, exactly what the clear
// evaluator does at run time; ops whose folding would need a decision the runtime owns
// (integer division, fixed -> int rounding) are left alone (undefined).

import type { ElemType } from "../../runtime/plan/plan.js";

type Scalar = number | boolean;

const num = (x: Scalar): number => (typeof x === "boolean" ? (x ? 1 : 0) : x);

/** The value of `op(args)` for scalar constant args with result element type `elem`, or
 *  undefined when it is not folded. */
export function evalScalarOp(op: string, args: Scalar[], elem: ElemType, attrs: Record<string, unknown>): Scalar | undefined {
  const [a, b, c] = args.map(num) as [number, number, number];
  const r = ((): Scalar | undefined => {
    switch (op) {
      case "add":
        return a + b;
      case "sub":
        return a - b;
      case "neg":
        return -a;
      case "mul":
        return a * b;
      case "square":
        return a * a;
      case "div":
        return elem === "fixed" ? a / b : undefined;
      case "reciprocal":
        return elem === "fixed" ? 1 / a : undefined;
      case "lt":
        return a < b;
      case "le":
        return a <= b;
      case "gt":
        return a > b;
      case "ge":
        return a >= b;
      case "eq":
        return a === b;
      case "ne":
        return a !== b;
      case "and":
        return a !== 0 && b !== 0;
      case "or":
        return a !== 0 || b !== 0;
      case "not":
        return a === 0;
      case "select":
        return a !== 0 ? b : c;
      case "abs":
        return Math.abs(a);
      case "sign":
        return Math.sign(a);
      case "relu":
        return Math.max(a, 0);
      case "sqrt":
        return Math.sqrt(a);
      case "exp":
        return Math.exp(a);
      case "log":
        return Math.log(a);
      case "cast":
        // int/bool -> fixed and bool -> int are exact; fixed -> int rounding is the runtime's.
        if (attrs["to"] === "fixed") return a;
        if (attrs["to"] === "int" && Number.isInteger(a)) return a;
        if (attrs["to"] === "bool") return a !== 0;
        return undefined;
      default:
        return undefined;
    }
  })();
  if (r === undefined) return undefined;
  if (typeof r === "number" && !Number.isFinite(r)) return undefined;
  if (elem === "bool") return typeof r === "boolean" ? r : r !== 0;
  if (elem === "int" && (typeof r !== "number" || !Number.isSafeInteger(r))) return typeof r === "boolean" ? (r ? 1 : 0) : undefined;
  return typeof r === "boolean" ? (r ? 1 : 0) : r;
}
