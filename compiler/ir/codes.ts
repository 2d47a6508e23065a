// The middle end's part of the diagnostics catalogue (E10xx): what the IR builder, the passes
// and the lowering report. So far these are all "not yet supported" errors: a program that
// type-checks but needs a protocol the compiler does not have yet gets a clear error at the
// span that needs it, never a wrong plan. This module only holds text.

import type { CatalogueEntry } from "../../grammar/diagnostic.js";

const entry = (code: string, title: string, explanation: string): CatalogueEntry => ({ code, title, explanation });

export const MIDDLE_ENTRIES = {
  gradUnsupported: entry(
    "E1000",
    "grad reached the program graph unexpanded",
    "`grad(loss, w)` is expanded by the compiler's reverse-mode autodiff (compiler/autodiff) right after checking, so the program graph never sees it. This error is the graph builder's guard for a checked program that skipped that step (only possible when a tool builds the graph from a hand-made checked program); if you see it from `mpc`, please report it with the program.",
  ),
  secretNonLinear: entry(
    "E1001",
    "not yet supported on secret values: an op with no protocol on shares",
    "Every op of the language now runs on secret (shared) values: comparisons, relu, abs, sign, clip, max, min and argmax (binary-sharing protocols); exp, log, sqrt, inv_sqrt, reciprocal, sigmoid, tanh, softmax, log_softmax and division by a secret value (approximation protocols); conv2d and the pooling layers; and the ops the compiler rewrites into those (batchnorm, and the losses mse, bce and cross_entropy; a secret bce clips probabilities to [2^-16, 1 - 2^-16], the fixed-point range, where the clear reference clips to [1e-7, 1 - 1e-7]). No checked program reaches this error: it remains as the compiler's guard for an op that reaches the protocol lowering with no secret protocol, and if you see it, please report it with the program.",
  ),
  revealInLoop: entry(
    "E1002",
    "not yet supported: reveal inside a run-time condition",
    "An `if` whose condition is known only at run time (it depends on a loop index) is compiled by running both branches and selecting, so a reveal in it would run whether or not the condition holds. Reveal outside the `if`. (A reveal directly inside a loop is supported: it runs at every iteration, and the receivers learn every iteration's value.)",
  ),
  secretForm: entry(
    "E1003",
    "not yet supported on secret values: this form of the op",
    "Some forms of linear-algebra ops are not yet lowered on secret values (batched matmul, integer division, conversions to int or bool of a secret value). Do the work on public or private values, or restructure the expression.",
  ),
} as const;

export type MiddleCodeName = keyof typeof MIDDLE_ENTRIES;

export const MIDDLE_CATALOGUE: CatalogueEntry[] = Object.values(MIDDLE_ENTRIES);
