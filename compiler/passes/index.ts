// The clean-up and placement passes over the program graph, in order. Each is a function of
// the graph alone; the statistics say what each did (for tests and `--verbose` reports).

import type { Diagnostic } from "../../grammar/diagnostic.js";
import type { ProgramGraph } from "../ir/graph.js";
import { canonicalize } from "./canonicalize.js";
import { eliminateCommonSubexpressions } from "./cse.js";
import { eliminateDeadCode } from "./dce.js";
import { foldConstants } from "./fold.js";
import { hoistLoopInvariants } from "./licm.js";
import { place } from "./placement.js";

export interface PassStats {
  folded: number;
  merged: number;
  hoisted: number;
  removed: number;
}

export interface PassOptions {
  /** Turn the optimisations off (placement still runs): for tests that show what they do. */
  optimize?: boolean;
}

export function runPasses(graph: ProgramGraph, opts: PassOptions = {}): { diagnostics: Diagnostic[]; stats: PassStats } {
  const stats: PassStats = { folded: 0, merged: 0, hoisted: 0, removed: 0 };
  canonicalize(graph);
  if (opts.optimize !== false) {
    stats.folded += foldConstants(graph);
    stats.merged += eliminateCommonSubexpressions(graph);
    stats.hoisted += hoistLoopInvariants(graph);
    stats.merged += eliminateCommonSubexpressions(graph);
  }
  // Dead code always goes: nothing that no reveal needs is computed (and unsupported ops in
  // dead code are not errors).
  stats.removed += eliminateDeadCode(graph);
  const diagnostics = place(graph);
  return { diagnostics, stats };
}
