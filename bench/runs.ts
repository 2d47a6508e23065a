// Secure runs for benchmarks. Timed runs go to party threads kept across runs (PartyThreads),
// as a service keeps its parties running: one set per number of parties, started once with the
// generic JIT warm-up, and one untimed run of each plan first. `coldRun` is the contrast: one
// runInProcess on fresh threads, what a single `mpc run` pays after its start-up.

import type { ClearTensor } from "../runtime/clear/index.js";
import { PartyThreads, runInProcess, type RunOptions, type RunResult } from "../runtime/executor/index.js";
import type { Plan } from "../runtime/plan/plan.js";

const kept = new Map<number, Promise<PartyThreads>>();

function threadsFor(parties: number): Promise<PartyThreads> {
  let t = kept.get(parties);
  if (!t) kept.set(parties, (t = PartyThreads.start(parties, { warmUp: true })));
  return t;
}

/** `reps` timed runs of `plan` on kept threads, after one untimed run. */
export async function warmRuns(plan: Plan, inputs: ReadonlyMap<string, ClearTensor>, reps: number, options: RunOptions = {}): Promise<RunResult[]> {
  const threads = await threadsFor(plan.parties.length);
  await threads.run(plan, inputs, options);
  const runs: RunResult[] = [];
  for (let i = 0; i < reps; i++) runs.push(await threads.run(plan, inputs, options));
  return runs;
}

/** One run on fresh threads (with the generic warm-up), as `mpc run` does it. */
export function coldRun(plan: Plan, inputs: ReadonlyMap<string, ClearTensor>, options: RunOptions = {}): Promise<RunResult> {
  return runInProcess(plan, inputs, { warmUp: true, ...options });
}

/** End the kept threads (bench/run.ts calls this once every bench has run). */
export async function closeThreads(): Promise<void> {
  for (const t of kept.values()) await (await t).close();
  kept.clear();
}

/** The median of a list of numbers (the upper one of an even count). */
export function median(v: readonly number[]): number {
  return [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
}
