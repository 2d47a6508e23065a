// What a whole-plan run takes and gives back (runInProcess, PartyThreads, runInThread): options,
// outputs per party, and the statistics every benchmark and test reads.

import type { ClearTensor } from "../clear/index.js";
import type { RoundStats } from "../transport/index.js";
import type { Progress } from "./executor.js";

export interface RunOptions {
  /** How long a party waits for one peer message before failing (default 60 s). */
  timeoutMs?: number;
  /** Called after each iteration of a top-level loop (as party 0 runs it). */
  onProgress?: (p: Progress) => void;
  /** runInProcess: warm each fresh thread's JIT on a small synthetic plan before the timed
   *  phases (adds start-up; the first large operations run faster). Default false. Threads
   *  kept across runs take it once, at PartyThreads.start. */
  warmUp?: boolean;
  /** Bytes of randomness each party derives in the offline phase (default 256 MiB). */
  offlineBudget?: number;
  /** Run the generated modules in this directory (`mpc compile -o DIR`: <party>.js for each
   *  party, dealer.js) instead of interpreting the plan. They must be generated from this plan. */
  modules?: string;
}

export interface PairTraffic {
  from: string;
  to: string;
  messages: number;
  bytes: number;
}

export interface RunStats {
  /** The offline phase: the dealer makes and sends every item while the parties derive their
   *  shares of them and their sharing masks; until every party is ready. */
  offlineMs: number;
  /** The online phase: from the start signal until the last party finished. */
  onlineMs: number;
  /** The dealer's own time within the offline phase. */
  dealerMs: number;
  /** Thread start-up (module loading, kernel probe, warm-up), before the offline phase. */
  startupMs: number;
  /** Communication rounds executed (loops multiplied out). */
  rounds: number;
  /** Online traffic per ordered party pair (payload and frame headers). */
  perPair: PairTraffic[];
  /** Online traffic per round (all parties' frames of that round together). */
  perRound: RoundStats[];
  /** Bytes the dealer sent (corrections and frame headers). */
  dealerBytes: number;
  /** Dealer items made (dealer nodes times loop iterations). */
  dealerItems: number;
}

export interface RunResult {
  /** Outputs revealed to each party, by name. */
  outputs: Map<string, Map<string, ClearTensor>>;
  stats: RunStats;
}

/** Sum the parties' per-round send counts (round -1, the dealer's stream, is not online). */
export function mergeRounds(lists: readonly RoundStats[][]): RoundStats[] {
  const by = new Map<number, RoundStats>();
  for (const list of lists) {
    for (const r of list) {
      if (r.round < 0) continue;
      const e = by.get(r.round) ?? { round: r.round, messages: 0, bytes: 0 };
      e.messages += r.messages;
      e.bytes += r.bytes;
      by.set(r.round, e);
    }
  }
  return [...by.values()].sort((a, b) => a.round - b.round);
}
