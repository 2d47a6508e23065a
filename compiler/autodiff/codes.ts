// Autodiff's part of the diagnostics catalogue (E11xx errors, W11xx warnings): what the
// expansion of `grad(loss, w)` reports. Errors carry the span of the op or name that stops
// the derivative; warnings the span of the `grad`. This module only holds text.

import type { CatalogueEntry } from "../../grammar/diagnostic.js";

const entry = (code: string, title: string, explanation: string): CatalogueEntry => ({ code, title, explanation });

export const AUTODIFF_ENTRIES = {
  notDifferentiable: entry(
    "E1100",
    "grad through an op that is not differentiable",
    "The loss depends on `w` through an op whose derivative is zero almost everywhere or undefined: a comparison (`<`, `==`, …) whose bool result is turned back into a number, `sign`, `argmax`, or a conversion to `int`. The compiler refuses rather than silently dropping that path.\n\n    let loss = mean(to_fixed(x @ w > 0))     // error: `>` is not differentiable\n    let loss = mean(sigmoid(x @ w))          // fix: a smooth surrogate\n\nTo branch on a condition use select(c, a, b): its condition is not differentiated, and a and b are.",
  ),
  gradThroughVar: entry(
    "E1101",
    "grad through a var",
    "`grad` follows `let` bindings back to `w`, but not assignments to a `var`: a var holds only its latest value, so the computation that produced it is not available to differentiate. Bind the intermediate values with `let` in the block of the `grad`.\n\n    var h = x @ w\n    h = relu(h)\n    let g = grad(mean(h), w)        // error: `h` is a var\n\n    let h = relu(x @ w)\n    let g = grad(mean(h), w)        // fix",
  ),
  notDifferentiableYet: entry(
    "E1102",
    "grad through an op the compiler cannot differentiate yet",
    "The op is differentiable in principle but this form of it has no derivative rule yet (the message says which). Rewrite the forward computation with ops that have one, or compute the gradient by hand.",
  ),
  gradIsZero: entry(
    "W1100",
    "the loss does not depend on the variable (warning)",
    "`grad(loss, w)` is zero because `loss` does not depend on `w` (or depends on it only through values computed from an earlier value of `w`, which are constants here). Usually the loss was computed before `w` was last assigned, or from other weights.\n\n    let p = sigmoid(x @ w)\n    for epoch in 0..10 {\n      w = w - grad(bce(p, y), w)    // warning: p is from before the loop\n    }\n\n    for epoch in 0..10 {\n      let p = sigmoid(x @ w)         // fix: recompute inside the loop\n      w = w - grad(bce(p, y), w)\n    }",
  ),
  staleValue: entry(
    "W1101",
    "part of the loss uses an earlier value of the variable (warning)",
    "Part of `loss` depends on a value computed from `w` before `w` was last assigned (for example a `let` outside the loop that updates `w`). That part is a constant for `grad(loss, w)`: the derivative does not flow through it. Gradients never flow back through loop iterations.",
  ),
} as const;

export type AutodiffCodeName = keyof typeof AUTODIFF_ENTRIES;

export const AUTODIFF_CATALOGUE: CatalogueEntry[] = Object.values(AUTODIFF_ENTRIES);
