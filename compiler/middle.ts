// The middle of the compiler: checked program -> program graph -> passes -> lowered plan ->
// scheduled plan with its hash. Errors are diagnostics (with spans), never exceptions, for
// anything the user wrote; the plan is returned only when there are no errors.
// compiler/pipeline.ts puts the front end in front of it.

import type { Diagnostic } from "../grammar/diagnostic.js";
import type { Plan } from "../runtime/plan/plan.js";
import type { CheckedProgram } from "./check/typed.js";
import { buildGraph } from "./ir/build.js";
import type { ProgramGraph } from "./ir/graph.js";
import { lower } from "./lower/lower.js";
import { runPasses } from "./passes/index.js";
import type { PassStats } from "./passes/index.js";
import { schedule } from "./schedule/schedule.js";
import { planHash } from "./emit/json.js";

export interface CompileOptions {
  /** Constant folding, CSE and loop-invariant code motion (default on). */
  optimize?: boolean;
  /** Open a secret operand of several Beaver products once, under one mask (default on). */
  sharedMasks?: boolean;
}

export interface CompileResult {
  plan?: Plan;
  diagnostics: Diagnostic[];
  checked?: CheckedProgram;
  /** The placed program graph (for tests and graph exports). */
  graph?: ProgramGraph;
  stats?: PassStats;
  /** The source text, for rendering diagnostics. */
  source?: string;
}

const hasErrors = (ds: readonly Diagnostic[]): boolean => ds.some((d) => d.severity === "error");

/** Compile a checked program to a scheduled, hashed plan. */
export function compileChecked(checked: CheckedProgram, opts: CompileOptions = {}): CompileResult {
  const built = buildGraph(checked);
  const diagnostics = [...built.diagnostics];
  if (hasErrors(diagnostics)) return { diagnostics, checked, graph: built.graph };
  const passed = runPasses(built.graph, { optimize: opts.optimize ?? true });
  diagnostics.push(...passed.diagnostics);
  if (hasErrors(diagnostics)) return { diagnostics, checked, graph: built.graph, stats: passed.stats };
  const inputs = checked.inputs.map((i) => ({ party: i.party, name: i.name, elem: i.elem, shape: [...i.shape] }));
  const plan = schedule(lower(built.graph, inputs, { sharedMasks: opts.sharedMasks ?? true }));
  plan.hash = planHash(plan);
  return { plan, diagnostics, checked, graph: built.graph, stats: passed.stats };
}

