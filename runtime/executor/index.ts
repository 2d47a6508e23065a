// The executor's API: run one party's part of a plan (runParty, with any transport), or run a
// whole plan in this process with one worker thread per party and for the dealer
// (runInProcess).
export { runParty, PartyExecutor, checkModule, type PartyConfig, type PartyResult, type Progress, type ProfileEntry } from "./executor.js";
export { runInProcess, type RunOptions, type RunResult, type RunStats, type PairTraffic } from "./run-in-process.js";
export { PartyThreads, PARTY_HEAP_MB } from "./party-threads.js";
export { shareOf, shareLabel, encodeValue } from "./sharing.js";
export { scopeLifetimes, nodeUses, nodeDefs } from "./lifetimes.js";
export { runInThread, type ThreadRunOptions } from "./run-in-thread.js";
export { makeSetup, checkInputs, checkPlan, ownInputs, type RunSetup } from "./setup.js";
export { OfflineStore, DEFAULT_OFFLINE_BUDGET } from "./offline.js";
export { warmUp } from "./warm-up.js";
export { PartyRuntime, Held } from "./party-runtime.js";
export type { PartyApi, PartyModule, DealerModule, DealerItem, Step, Value } from "./party-api.js";
export { loadPartyModule, loadDealerModule, checkDealerModule, moduleSchedule, readPlanFile } from "./modules.js";
