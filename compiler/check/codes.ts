// The checker's part of the one diagnostics catalogue: every error the checker can report,
// with a code (E0100 and up; syntax errors are E00xx in grammar/codes.ts), a title and an
// explanation with an example of the fix. Checker modules refer to codes by name (`E.unknownName`)
// so a code is never typed twice; compiler/diagnostics.ts merges this with the syntax codes
// for `mpc explain` and docs/language.md. This module only holds text: no checking logic.

import type { CatalogueEntry } from "../../grammar/diagnostic.js";

interface Entry {
  code: string;
  title: string;
  explanation: string;
}

const entry = (code: string, title: string, explanation: string): Entry => ({ code, title, explanation });

/** Every checker diagnostic, by the name checker code uses for it. */
export const CHECK_ENTRIES = {
  // ---------------------------------------------------------------- names (E01xx)
  unknownName: entry(
    "E0100",
    "unknown name",
    "The name is not declared in this scope. Inputs, consts and fns are visible everywhere; a `let`/`var` is visible from its declaration to the end of its block.\n\n    let y = xq + 1    // error: unknown name `xq`\n    let y = xa + 1    // fix: use the declared input",
  ),
  duplicateDeclaration: entry(
    "E0101",
    "duplicate declaration",
    "A name is declared twice. Names of parties, inputs, consts and fns are unique in the whole program; a `let`/`var` is unique within its block (an inner block may shadow an outer `let`/`var`).\n\n    let w = zeros(3)\n    let w = ones(3)   // error: rename one of them, or make the first a `var` and assign it",
  ),
  duplicateParty: entry(
    "E0102",
    "party declared twice",
    "Each party is declared once.\n\n    party alice, bob, alice   // error\n    party alice, bob          // fix",
  ),
  undeclaredOwner: entry(
    "E0103",
    "input owned by an undeclared party",
    "The owner of an input must be declared with `party`.\n\n    party alice\n    input bob.x : fixed[3]    // error: `bob` is not a party\n    party alice, bob          // fix: declare it",
  ),
  partyAsValue: entry(
    "E0104",
    "party used as a value",
    "A party name is not a value. To use one of its inputs, write `party.input` or the input's bare name.\n\n    let s = alice + 1        // error\n    let s = alice.salary + 1 // fix",
  ),
  shadowsInput: entry(
    "E0105",
    "declaration hides an input",
    "A `let`, `var`, loop variable or fn parameter may not have the name of an input: it would silently hide the party's data.\n\n    input alice.x : fixed[3]\n    let x = zeros(3)   // error: rename it (`x0`)",
  ),
  notAParty: entry(
    "E0106",
    "qualified name of something that is not a party",
    "In `p.x`, `p` must be a declared party and `x` one of its inputs.\n\n    let y = alic.x + 1   // error: no party `alic`\n    let y = alice.x + 1  // fix",
  ),
  noSuchInput: entry(
    "E0107",
    "the party has no such input",
    "In `p.x`, `x` must be an input declared with `input p.x : …`.\n\n    input bob.y : fixed[3]\n    let z = alice.y    // error: `y` belongs to bob\n    let z = bob.y      // fix",
  ),
  fnAsValue: entry(
    "E0108",
    "function used as a value",
    "A `fn` is not a value (functions are inlined at each call). Call it with arguments.\n\n    let f2 = f       // error\n    let y = f(x)     // fix",
  ),
  unknownFunction: entry(
    "E0109",
    "unknown function",
    "The called name is neither a built-in nor a declared `fn`. See docs/language.md for the built-ins.\n\n    let p = sigmod(z)   // error\n    let p = sigmoid(z)  // fix",
  ),
  notAFunction: entry(
    "E0110",
    "calling something that is not a function",
    "Only built-ins and `fn`s can be called. To pick elements of a tensor, index it with `x[i]`.\n\n    let y = x(0)   // error\n    let y = x[0]   // fix",
  ),
  outerValueInFn: entry(
    "E0111",
    "function uses a value from outside it",
    "A `fn` body sees its parameters, its own locals, consts, inputs and other fns, but not the `let`/`var` bindings of the code that calls it: pass them as arguments. This keeps functions pure and their meaning independent of where they are called.\n\n    fn step(x) { return x @ w }      // error: `w` is not visible\n    fn step(x, w) { return x @ w }   // fix",
  ),
  constBeforeDeclaration: entry(
    "E0112",
    "const used before its declaration",
    "A const's value may only use consts declared above it (consts are evaluated in order at compile time).\n\n    const b = a * 2   // error: `a` comes later\n    const a = 3\n\nMove `const a` above `const b`.",
  ),
  builtinRedefined: entry(
    "E0113",
    "fn named like a built-in",
    "A `fn` may not take the name of a built-in (calls would be ambiguous).\n\n    fn sigmoid(x) { return x }   // error: rename it (`my_sigmoid`)",
  ),

  // ---------------------------------------------------------------- element types (E02xx)
  boolArithmetic: entry(
    "E0200",
    "arithmetic on bool",
    "`+ - * / @`, unary `-` and numeric built-ins need `fixed` or `int` operands. A `bool` (the result of a comparison) is not a number: choose between values with `select(c, a, b)`, or turn it into 0/1 with `to_fixed(c)`.\n\n    let y = (x > 0) * x                 // error\n    let y = select(x > 0, x, 0)         // fix\n    let y = to_fixed(x > 0) * x         // or",
  ),
  logicNeedsBool: entry(
    "E0201",
    "logical operator on a number",
    "`&&`, `||` and `!` take `bool` operands (results of comparisons).\n\n    if n && m { … }            // error\n    if n > 0 && m > 0 { … }    // fix",
  ),
  orderOnBool: entry(
    "E0202",
    "ordering comparison of bools",
    "`< <= > >=` compare numbers; bools can only be compared with `==` and `!=`.",
  ),
  conditionNotBool: entry(
    "E0203",
    "condition is not a bool scalar",
    "An `if` condition must be a single `bool` (a scalar). For elementwise choice between tensors use `select(c, a, b)`, whose condition may be a bool tensor.\n\n    if x { … }        // error: x is fixed\n    if x > 0 { … }    // fix",
  ),
  mixedBoolNumber: entry(
    "E0204",
    "bool mixed with a number",
    "Both sides of `==`/`!=`, both branches of `select`, and all parts of `concat`/`stack`/`[…]` must be numbers (`fixed`/`int`, mixed freely) or all `bool`.\n\n    select(c, x, true)   // error\n    select(c, x, 1)      // fix",
  ),
  wrongElemType: entry(
    "E0205",
    "argument of the wrong element type",
    "A built-in got an argument whose element type it does not accept, e.g. a non-bool condition for `select`, or an `int` loss for `grad`. The message says what was expected.",
  ),

  // ---------------------------------------------------------------- shapes (E03xx)
  broadcastMismatch: entry(
    "E0300",
    "shapes do not broadcast",
    "Elementwise operators broadcast as in NumPy: shapes are aligned at the right, and each pair of dimensions must be equal or one of them 1.\n\n    fixed[569, 15] + fixed[15]      // ok: [15] repeats for each row\n    fixed[569, 15] + fixed[569, 1]  // ok\n    fixed[3, 4] + fixed[5]          // error: 4 vs 5\n\nFix with `transpose`, `reshape` or `sum(…, axis = …, keepdims = true)`.",
  ),
  columnVectorBroadcast: entry(
    "W0300",
    "a column broadcast against a vector (warning)",
    "An elementwise operation between a column [n, 1] and a vector [n] is valid broadcasting, but it makes an [n, n] table of every pair, which is almost never what was meant (typically predictions [n, 1] minus labels [n]). Give both the same shape.\n\n    let err = p - y                    // p: fixed[569, 1], y: fixed[569] -> fixed[569, 569]\n    let err = p - reshape(y, 569, 1)   // fix: fixed[569, 1]",
  ),
  matmulMismatch: entry(
    "E0301",
    "matmul dimensions do not match",
    "`a @ b` needs the last dimension of `a` to equal the first dimension of `b`: [n, k] @ [k, m] -> [n, m], [k] @ [k, m] -> [m], [n, k] @ [k] -> [n], [k] @ [k] -> scalar.\n\n    fixed[569, 30] @ fixed[1, 30]              // error: 30 vs 1\n    fixed[569, 30] @ transpose(fixed[1, 30])   // fix",
  ),
  matmulRank: entry(
    "E0302",
    "matmul of a scalar or a tensor of rank above 2",
    "`@` takes vectors and matrices. Multiply by a scalar with `*`; for batches, reshape to a matrix first.",
  ),
  axisOutOfRange: entry(
    "E0303",
    "axis out of range",
    "An axis of a rank-r tensor is in -r..r-1 (negative axes count from the end: -1 is the last).\n\n    sum(x, axis = 2)    // error for x: fixed[569, 30]\n    sum(x, axis = 1)    // fix",
  ),
  reshapeCount: entry(
    "E0304",
    "reshape changes the number of elements",
    "`reshape(x, d0, d1, …)` keeps the elements: the product of the new dimensions must equal that of the old. One dimension may be -1: it is inferred.\n\n    reshape(fixed[6, 5], 4, 8)   // error: 30 vs 32\n    reshape(fixed[6, 5], 3, -1)  // fix: [3, 10]",
  ),
  joinMismatch: entry(
    "E0305",
    "concat/stack parts do not fit",
    "`concat(a, b, axis = k)` needs equal ranks and equal dimensions except along k; `stack(a, b, axis = k)` and `[a, b]` need equal shapes.\n\n    concat(fixed[569, 15], fixed[500, 15], axis = 1)   // error: 569 vs 500 on axis 0",
  ),
  indexOutOfRange: entry(
    "E0306",
    "index or slice bound out of range",
    "For an axis of length n, an index is in -n..n-1 and a slice bound in -n..n (negative values count from the end: x[-1] is the last element). Bounds are checked at compile time.\n\n    x[10]    // error for x: fixed[10]\n    x[9]     // fix (or x[-1])",
  ),
  tooManyIndices: entry(
    "E0307",
    "too many indices",
    "`x[i, j, …]` takes at most one index or slice per axis of x; omitted trailing axes are kept whole.",
  ),
  lossShapes: entry(
    "E0308",
    "loss operands of different shapes",
    "`mse(p, y)`, `bce(p, y)` and `cross_entropy(logits, onehot)` compare predictions with targets of the same shape (no broadcasting, to catch [n] vs [n, 1] mistakes).\n\n    mse(fixed[569, 1], fixed[569])                  // error\n    mse(fixed[569, 1], reshape(fixed[569], 569, 1)) // fix",
  ),
  layerShape: entry(
    "E0309",
    "layer input of the wrong shape",
    "`conv2d(x, w)` takes x: [N, C, H, W] and w: [O, C, KH, KW]; pooling takes [N, C, H, W]; `batchnorm(x, gamma, beta, mean, var)` takes x: [N, C, …] and four [C] vectors; the kernel (with padding) must fit in the image.",
  ),
  notScalar: entry(
    "E0310",
    "expected a scalar",
    "The value must be a scalar (shape []): e.g. the loss given to `grad`. Reduce a tensor with `sum` or `mean`.\n\n    grad(p - y, w)          // error: a tensor\n    grad(mse(p, y), w)      // fix",
  ),
  badDimension: entry(
    "E0311",
    "invalid dimension",
    "Dimensions of shapes (in types, `zeros`, `ones`, `reshape`, `broadcast_to`) are positive integers.\n\n    input a.x : fixed[0, 3]   // error\n    zeros(3, 0)               // error",
  ),
  emptySlice: entry(
    "E0312",
    "empty slice",
    "A slice `a:b` must select at least one element (a < b after counting negative bounds from the end): tensors have no zero-length dimensions.",
  ),

  // ---------------------------------------------------------------- calls and arguments (E04xx)
  argumentCount: entry(
    "E0400",
    "wrong number of arguments",
    "A built-in or `fn` was called with too few or too many arguments. The message gives the expected form, e.g. `select(c, a, b)`.",
  ),
  unknownNamedArgument: entry(
    "E0401",
    "unknown or repeated named argument",
    "The named argument is not one the built-in takes, or is given twice (or also positionally). Reductions take `axis` and `keepdims`; `concat`/`stack`/`softmax` take `axis`; `conv2d` takes `stride` and `padding`; pooling takes `kernel` and `stride`; `batchnorm` takes `eps`. User `fn`s take positional arguments only.",
  ),
  positionalAfterNamed: entry(
    "E0402",
    "positional argument after a named one",
    "Named arguments come last.\n\n    sum(axis = 0, x)   // error\n    sum(x, axis = 0)   // fix",
  ),
  notConstant: entry(
    "E0403",
    "argument must be a compile-time constant",
    "Axes, shapes, slice bounds, clip bounds, strides and the like are fixed when the program is compiled: write a literal, a `const`, or arithmetic on them. A loop variable is public but not a compile-time constant (loops are not unrolled).\n\n    sum(x, axis = k)   // error if k is a `let`\n    const k = 1\n    sum(x, axis = k)   // fix",
  ),
  constantType: entry(
    "E0404",
    "constant argument of the wrong kind",
    "The constant has the wrong kind or range, e.g. an axis of 1.5, a negative stride, or `keepdims = 1` instead of `keepdims = true`.",
  ),
  gradTarget: entry(
    "E0405",
    "grad with respect to something that is not a let/var",
    "`grad(loss, w)` differentiates with respect to a named `let`, `var` or fn parameter `w`; the result has w's shape.\n\n    grad(loss, x @ w)   // error\n    grad(loss, w)       // fix",
  ),
  clipBounds: entry(
    "E0406",
    "clip bounds out of order",
    "`clip(x, lo, hi)` limits every element of x to the range lo..hi; the bounds are public compile-time constants and need lo <= hi.\n\n    clip(x, 1, -1)   // error\n    clip(x, -1, 1)   // fix",
  ),

  // ---------------------------------------------------------------- control flow and visibility (E05xx)
  secretCondition: entry(
    "E0500",
    "`if` on a condition that is not public",
    "Every party must take the same branch, so an `if` condition must be public. A condition computed from private or secret data is not: compute both sides and choose elementwise with `select`, which is evaluated obliviously.\n\n    if x > 0 { y = x } else { y = 0 }   // error: x is secret\n    y = select(x > 0, x, 0)             // fix",
  ),
  loopBoundNotConstant: entry(
    "E0501",
    "loop bound is not a compile-time constant",
    "`for i in a..b` needs a and b known when the program is compiled (integer literals, consts, and arithmetic on them), so that every party runs the same number of iterations and the cost is known in advance.\n\n    for i in 0..n { … }     // error if n is a `let` or an input\n    const n = 10\n    for i in 0..n { … }     // fix",
  ),
  loopBoundNotInt: entry(
    "E0502",
    "loop bound is not an integer",
    "Loop bounds are integers.\n\n    for i in 0..2.5 { … }   // error",
  ),
  loopBackwards: entry(
    "E0503",
    "loop bounds are reversed",
    "`for i in a..b` runs i = a, a+1, …, b-1 and needs a <= b (a == b runs zero times).",
  ),
  constNotConstant: entry(
    "E0504",
    "const value is not a compile-time constant",
    "A `const` is a scalar known at compile time: literals, other consts, `true`/`false` and operators on them. For a computed value use `let`.\n\n    const m = mean(x)   // error\n    let m = mean(x)     // fix",
  ),

  // ---------------------------------------------------------------- functions (E06xx)
  recursion: entry(
    "E0600",
    "recursive function",
    "Functions are inlined at each call, so a function may not call itself, directly or through others. Write the repetition as a `for` loop.",
  ),
  missingReturn: entry(
    "E0601",
    "function without a return",
    "A `fn` body ends with `return expr`; that value is the call's result.\n\n    fn f(x) { let y = x * 2 }              // error\n    fn f(x) { let y = x * 2  return y }    // fix",
  ),
  returnOutsideFn: entry(
    "E0602",
    "`return` outside a function",
    "`return` ends a `fn` body; the program's results leave it through `reveal`.",
  ),
  unreachableAfterReturn: entry(
    "E0603",
    "statement after `return`",
    "`return` must be the last statement of a function body.",
  ),
  revealInFn: entry(
    "E0604",
    "`reveal` inside a function",
    "Functions are pure: they compute a value and return it. Reveal the result where the function is called (at top level, or in a top-level `for`/`if`).",
  ),
  assignOuterInFn: entry(
    "E0605",
    "function assigns to a variable outside it",
    "Functions are pure: a `fn` may assign only to its own `var`s. Return the new value and assign it at the call site.\n\n    fn step(x) { w = w - x  return w }   // error\n    fn step(w, x) { return w - x }       // fix: w = step(w, x)",
  ),
  nestedReturn: entry(
    "E0606",
    "`return` inside a `for` or `if`",
    "A `fn` has exactly one `return`, as the last statement of its body. Compute the value with `select` or a `var`, and return it at the end.",
  ),

  unusedFn: entry(
    "W0600",
    "function never called (warning)",
    "A `fn` is checked at each call, with the types of that call's arguments, so a fn that is never called is not checked at all. Call it, or remove it.",
  ),

  // ---------------------------------------------------------------- assignment (E07xx)
  assignNotVar: entry(
    "E0700",
    "assignment to something that is not a `var`",
    "Only a `var` can be assigned after its declaration; `let`, `const`, inputs, loop variables and parameters are fixed.\n\n    let w = zeros(3)\n    w = w + 1          // error\n    var w = zeros(3)   // fix: declare it with var",
  ),
  assignShape: entry(
    "E0701",
    "assignment changes a var's shape",
    "A `var` keeps the shape of its initial value. Assign a value of the same shape (broadcasting is not applied to assignments), or use a new `let`.\n\n    var w = zeros(30, 1)\n    w = sum(w)        // error: fixed vs fixed[30, 1]",
  ),
  assignElemType: entry(
    "E0702",
    "assignment changes a var's element type",
    "A `var` keeps the element type of its initial value. `int` values may be assigned to a `fixed` var (they are converted); the other way needs `to_int`. Initialise a fixed var with `0.0` or `zeros(…)`, not `0`.\n\n    var acc = 0        // int\n    acc = acc + 0.5    // error\n    var acc = 0.0      // fix",
  ),

  // ---------------------------------------------------------------- reveal (E08xx)
  unknownReceiver: entry(
    "E0800",
    "reveal to an undeclared party",
    "Receivers of `reveal … to P, Q` are declared parties, or `all`.",
  ),
  revealNeedsName: entry(
    "E0801",
    "revealed expression has no name",
    "A reveal's result is named (it becomes the name of the output). `reveal x to …` is named `x`; an expression needs `as name`.\n\n    reveal a + b to all            // error\n    reveal a + b as total to all   // fix",
  ),
  duplicateReveal: entry(
    "E0802",
    "two reveals with the same name",
    "Each reveal names a distinct output. Rename one with `as`.",
  ),
  duplicateReceiver: entry(
    "E0803",
    "receiver listed twice",
    "Each party appears once in a reveal's receiver list.",
  ),

  // ---------------------------------------------------------------- program (E09xx)
  precisionRange: entry(
    "E0900",
    "precision out of range",
    "`program p precision N` sets the number of fractional bits of fixed-point values, 1..40 (default 16). Values must fit in 64 bits with room for products before truncation, so large N leaves little room for the integer part.",
  ),
  tooDeep: entry(
    "E0901",
    "expression nested too deeply",
    "An expression may nest at most 1000 operations (a chain `x + x + … + x` of 1000 terms, or calls inside calls). Such expressions are almost always generated; split them into several `let`s.\n\n    let s1 = x1 + x2 + … + x500\n    let s2 = x501 + … + x1000\n    let total = s1 + s2",
  ),
  literalRange: entry(
    "E0902",
    "number literal out of range",
    "A fixed literal must fit the fixed-point format: with N fractional bits (the program's precision, default 16), |value| < 2^(63-N) (about 1.4e14 for N = 16).\n\n    let big = x * 1e20   // error\n    let big = x * 1e12   // fix (if that is what was meant)",
  ),
} as const satisfies Record<string, Entry>;

export type CheckCodeName = keyof typeof CHECK_ENTRIES;

/** Codes by name: `E.unknownName` is "E0100". */
export const E: { readonly [K in CheckCodeName]: string } = Object.fromEntries(
  Object.entries(CHECK_ENTRIES).map(([k, v]) => [k, v.code]),
) as { [K in CheckCodeName]: string };

/** The checker's catalogue entries, in code order. */
export const CHECK_CATALOGUE: CatalogueEntry[] = Object.values(CHECK_ENTRIES)
  .map((e) => ({ code: e.code, title: e.title, explanation: e.explanation }))
  .sort((a, b) => a.code.localeCompare(b.code));
