// runInProcess: run a plan with every party and the dealer in its own worker thread of this
// process (the development default of `mpc run`): start the threads (./party-threads.ts), run
// the plan once, end them. A service that runs many plans keeps a PartyThreads instead, so its
// threads keep their optimised code between runs. Never logs inputs, shares or seeds.

import type { ClearTensor } from "../clear/index.js";
import type { Plan } from "../plan/plan.js";
import { PartyThreads } from "./party-threads.js";
import type { RunOptions, RunResult } from "./run-result.js";
import { checkInputs, checkPlan } from "./setup.js";

export { mergeRounds, type PairTraffic, type RunOptions, type RunResult, type RunStats } from "./run-result.js";

export async function runInProcess(plan: Plan, inputs: ReadonlyMap<string, ClearTensor>, options: RunOptions = {}): Promise<RunResult> {
  // refuse a bad plan or bad inputs before paying for the threads' start-up (run checks again)
  checkPlan(plan);
  checkInputs(plan, inputs);
  const threads = await PartyThreads.start(plan.parties.length, { warmUp: options.warmUp ?? false });
  try {
    const result = await threads.run(plan, inputs, options);
    result.stats.startupMs += threads.startupMs;
    return result;
  } finally {
    await threads.close();
  }
}
