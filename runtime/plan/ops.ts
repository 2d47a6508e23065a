// The one table of tensor ops. Every operator and built-in of the language maps to exactly one
// op name here; the checker (types and shapes), the IR, the lowering to protocols, the
// plaintext reference and the runtime all speak these names. Adding an op starts here.

export interface OpInfo {
  /** Number of tensor operands (-1: variadic). */
  arity: number;
  /** Named attributes the op takes (values live in the IR node's `attrs`). */
  attrs: readonly string[];
  /** Linear in its (secret) operands with public coefficients: runs locally on shares. */
  linear: boolean;
  /** What it is, for docs and `mpc explain`. */
  doc: string;
}

const op = (arity: number, attrs: readonly string[], linear: boolean, doc: string): OpInfo => ({
  arity,
  attrs,
  linear,
  doc,
});

export const OPS = {
  // elementwise arithmetic (NumPy broadcasting)
  add: op(2, [], true, "a + b"),
  sub: op(2, [], true, "a - b"),
  neg: op(1, [], true, "-a"),
  mul: op(2, [], false, "a * b (linear when one side is public)"),
  div: op(2, [], false, "a / b (division by a public value is a local multiply by its inverse)"),
  square: op(1, [], false, "a * a"),
  matmul: op(2, [], false, "a @ b (linear when one side is public)"),
  // comparisons and logic (results are bool)
  lt: op(2, [], false, "a < b"),
  le: op(2, [], false, "a <= b"),
  gt: op(2, [], false, "a > b"),
  ge: op(2, [], false, "a >= b"),
  eq: op(2, [], false, "a == b"),
  ne: op(2, [], false, "a != b"),
  and: op(2, [], false, "a && b"),
  or: op(2, [], false, "a || b"),
  not: op(1, [], false, "!a"),
  select: op(3, [], false, "select(c, a, b): a where c, else b"),
  // non-linear functions
  relu: op(1, [], false, "max(a, 0)"),
  sigmoid: op(1, [], false, "1 / (1 + exp(-a))"),
  tanh: op(1, [], false, "hyperbolic tangent"),
  exp: op(1, [], false, "e^a"),
  log: op(1, [], false, "natural logarithm"),
  sqrt: op(1, [], false, "square root"),
  inv_sqrt: op(1, [], false, "1 / sqrt(a)"),
  reciprocal: op(1, [], false, "1 / a"),
  abs: op(1, [], false, "|a|"),
  sign: op(1, [], false, "-1, 0 or 1"),
  clip: op(1, ["min", "max"], false, "clip(a, min, max) with public bounds"),
  softmax: op(1, ["axis"], false, "softmax along axis (default last)"),
  log_softmax: op(1, ["axis"], false, "log of softmax along axis (default last)"),
  // reductions (axis absent: over all elements; keepdims keeps reduced axes as 1)
  sum: op(1, ["axis", "keepdims"], true, "sum"),
  mean: op(1, ["axis", "keepdims"], true, "mean"),
  max: op(1, ["axis", "keepdims"], false, "maximum (tree reduction)"),
  min: op(1, ["axis", "keepdims"], false, "minimum (tree reduction)"),
  argmax: op(1, ["axis"], false, "index of the maximum (int)"),
  // shape ops (all linear: they move shares around)
  transpose: op(1, ["perm"], true, "reverse (or permute) axes"),
  reshape: op(1, ["shape"], true, "same elements, new shape"),
  flatten: op(1, [], true, "[n, ...] -> [n, prod(...)]"),
  concat: op(-1, ["axis"], true, "join along an existing axis"),
  stack: op(-1, ["axis"], true, "join along a new axis"),
  slice: op(1, ["ranges"], true, "x[i, a:b, :] (ranges: [start, end] per axis; index drops the axis)"),
  broadcast_to: op(1, ["shape"], true, "explicit broadcast"),
  // constructors (public)
  zeros: op(0, ["shape"], true, "zeros(d0, d1, …)"),
  ones: op(0, ["shape"], true, "ones(d0, d1, …)"),
  // conversions between element types
  cast: op(1, ["to"], true, "change element type (bool/int -> fixed, fixed -> int truncates)"),
  // layers for inference
  conv2d: op(2, ["stride", "padding"], false, "conv2d(x[N,C,H,W], w[O,C,KH,KW])"),
  avg_pool2d: op(1, ["kernel", "stride"], true, "average pooling over [N,C,H,W]"),
  max_pool2d: op(1, ["kernel", "stride"], false, "max pooling over [N,C,H,W]"),
  batchnorm: op(5, ["eps"], false, "batchnorm(x, gamma, beta, mean, var) along axis 1 (inference)"),
  // losses (scalar results, averaged over rows)
  mse: op(2, [], false, "mean squared error"),
  bce: op(2, [], false, "binary cross-entropy of probabilities p against labels y"),
  cross_entropy: op(2, [], false, "cross-entropy of logits against one-hot labels"),
} as const satisfies Record<string, OpInfo>;

export type OpName = keyof typeof OPS;

export function isOpName(name: string): name is OpName {
  return Object.prototype.hasOwnProperty.call(OPS, name);
}
