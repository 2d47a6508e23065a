// evalClearOp: every op of runtime/plan/ops.ts evaluated in the clear in float64. This is what
// parties run for public and private (single-owner) work, and what the plaintext reference
// interpreter runs for everything. The table below is checked against OPS at compile time, so
// an op added there without a clear implementation is a type error here.
//
// Element types are not carried by ClearTensor: bool is 0/1, int is an integral float64 (exact
// below 2^53). Every op keeps ints integral: the checker types `/` and `mean` as fixed (never
// int), and `cast` to int floors, as the secure runtime's shift of a fixed-point value does
// (so to_int(-0.5) is -1). `toElem` applies the same rounding for callers that need it.

import type { OpName } from "../plan/ops.js";
import { OPS } from "../plan/ops.js";
import { BINARY, clip, select, UNARY, zipWith, map } from "./elementwise.js";
import { matmul } from "./linalg.js";
import { bce, crossEntropy, mse } from "./loss.js";
import { avgPool2d, batchnorm, conv2d, maxPool2d } from "./nn.js";
import { argmax, logSoftmax, max, mean, min, softmax, sum } from "./reduce.js";
import { broadcastToOp, cast, concat, constant, flatten, reshape, slice, stack, transpose } from "./shape.js";
import { intListAttr } from "./attrs.js";
import { type ClearTensor, ClearOpError, filled } from "./tensor.js";

export type { ClearTensor } from "./tensor.js";
export { ClearOpError, clearTensor, scalar, showShape, size, toNested } from "./tensor.js";

type Attrs = Record<string, unknown>;
type Impl = (args: ClearTensor[], attrs: Attrs) => ClearTensor;

const binary = (name: string): Impl => (args) => zipWith(name, args[0]!, args[1]!, BINARY[name]!);
const unary = (name: string): Impl => (args) => map(args[0]!, UNARY[name]!);

const IMPLS = {
  add: binary("add"),
  sub: binary("sub"),
  neg: unary("neg"),
  mul: binary("mul"),
  div: binary("div"),
  square: unary("square"),
  matmul: ([a, b]) => matmul(a!, b!),
  lt: binary("lt"),
  le: binary("le"),
  gt: binary("gt"),
  ge: binary("ge"),
  eq: binary("eq"),
  ne: binary("ne"),
  and: binary("and"),
  or: binary("or"),
  not: unary("not"),
  select: ([c, a, b]) => select(c!, a!, b!),
  relu: unary("relu"),
  sigmoid: unary("sigmoid"),
  tanh: unary("tanh"),
  exp: unary("exp"),
  log: unary("log"),
  sqrt: unary("sqrt"),
  inv_sqrt: unary("inv_sqrt"),
  reciprocal: unary("reciprocal"),
  abs: unary("abs"),
  sign: unary("sign"),
  clip: ([a], attrs) => clip(a!, attrs),
  softmax: ([a], attrs) => softmax(a!, attrs),
  log_softmax: ([a], attrs) => logSoftmax(a!, attrs),
  sum: ([a], attrs) => sum(a!, attrs),
  mean: ([a], attrs) => mean(a!, attrs),
  max: ([a], attrs) => max(a!, attrs),
  min: ([a], attrs) => min(a!, attrs),
  argmax: ([a], attrs) => argmax(a!, attrs),
  transpose: ([a], attrs) => transpose(a!, attrs),
  reshape: ([a], attrs) => reshape(a!, attrs),
  flatten: ([a]) => flatten(a!),
  concat: (args, attrs) => concat(args, attrs),
  stack: (args, attrs) => stack(args, attrs),
  slice: ([a], attrs) => slice(a!, attrs),
  broadcast_to: ([a], attrs) => broadcastToOp(a!, attrs),
  zeros: (_, attrs) => constant("zeros", attrs),
  ones: (_, attrs) => constant("ones", attrs),
  cast: ([a], attrs) => cast(a!, attrs),
  conv2d: ([x, w], attrs) => conv2d(x!, w!, attrs),
  avg_pool2d: ([x], attrs) => avgPool2d(x!, attrs),
  max_pool2d: ([x], attrs) => maxPool2d(x!, attrs),
  batchnorm: ([x, g, b, m, v], attrs) => batchnorm(x!, g!, b!, m!, v!, attrs),
  mse: ([p, y]) => mse(p!, y!),
  bce: ([p, y]) => bce(p!, y!),
  cross_entropy: ([p, y]) => crossEntropy(p!, y!),
} satisfies Record<OpName, Impl>;

/** Plan-level clear ops that are not language ops: `const` materialises a compile-time
 *  constant (attrs {value: number | boolean, shape?: number[]}; bool becomes 0/1) — the
 *  lowering emits it for every constant a party needs in the clear. */
const PLAN_IMPLS: Record<string, Impl> = {
  const: (_, attrs) => {
    const v = attrs["value"];
    if (typeof v !== "number" && typeof v !== "boolean") throw new ClearOpError("const", "attribute value must be a number or a bool");
    const shape = intListAttr("const", attrs, "shape") ?? [];
    return filled(shape, typeof v === "boolean" ? (v ? 1 : 0) : v);
  },
};

/** Evaluate one op in the clear. Throws ClearOpError for an unknown op, a wrong operand
 *  count, incompatible shapes or a malformed attribute (messages never contain values). */
export function evalClearOp(op: string, args: ClearTensor[], attrs: Attrs = {}): ClearTensor {
  if (Object.prototype.hasOwnProperty.call(PLAN_IMPLS, op)) return PLAN_IMPLS[op]!(args, attrs);
  if (!Object.prototype.hasOwnProperty.call(IMPLS, op)) throw new ClearOpError(op, "unknown op");
  const info = OPS[op as OpName];
  if (info.arity >= 0 && args.length !== info.arity) {
    throw new ClearOpError(op, `takes ${info.arity} operand${info.arity === 1 ? "" : "s"}, got ${args.length}`);
  }
  return IMPLS[op as OpName](args, attrs);
}

/** Round a result to its element type: int floors (the secure runtime's shift), bool is 0/1. */
export function toElem(t: ClearTensor, elem: "fixed" | "int" | "bool"): ClearTensor {
  return elem === "fixed" ? t : cast(t, { to: elem });
}
