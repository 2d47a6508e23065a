// runInProcess: run a plan with every party and the dealer in its own worker thread of this
// process (the development default of `mpc run`). It makes the seeds (each pair of parties
// shares one, for pseudo-random sharing; the dealer shares one with each party), wires one
// MessageChannel per pair, gives each party ONLY its own inputs, runs the dealer's offline
// phase, then the online phase, and collects outputs and statistics. Any worker's error
// rejects with that party's message and terminates every worker: never a hang.
// Seeds here come from the system CSPRNG; between real hosts they would come from a key
// exchange. Never logs inputs, shares or seeds.

import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { UserError } from "../../grammar/diagnostic.js";
import type { ClearTensor } from "../clear/index.js";
import type { Plan } from "../plan/plan.js";
import { DEFAULT_TIMEOUT_MS, type RoundStats } from "../transport/index.js";
import type { Progress } from "./executor.js";
import { checkInputs, checkPlan, makeSetup, ownInputs } from "./setup.js";
import type { DealerWorkerData, MainMessage, PartyWorkerData, WorkerMessage } from "./worker.js";

export interface RunOptions {
  /** How long a party waits for one peer message before failing (default 60 s). */
  timeoutMs?: number;
  /** Called after each iteration of a top-level loop (as party 0 runs it). */
  onProgress?: (p: Progress) => void;
  /** Warm each thread's JIT on a small synthetic plan before the timed phases (adds about
   *  0.2 s of start-up; makes the first large operations run at full speed). Default false. */
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

/** How to start the worker script next to this module: the compiled .js directly (dist), or,
 *  running from source, a bootstrap that registers tsx in the thread and imports worker.ts
 *  (Node 20 does not apply `--import tsx` to a worker's .ts entry). */
function workerEntry(): { entry: string | URL; eval: boolean } {
  if (!import.meta.url.endsWith(".ts")) return { entry: new URL("./worker.js", import.meta.url), eval: false };
  const api = import.meta.resolve("tsx/esm/api");
  const target = new URL("./worker.ts", import.meta.url).href;
  const code = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(target)}); });`;
  return { entry: code, eval: true };
}

export async function runInProcess(plan: Plan, inputs: ReadonlyMap<string, ClearTensor>, options: RunOptions = {}): Promise<RunResult> {
  checkPlan(plan);
  checkInputs(plan, inputs);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const parties = plan.parties;
  const setup = makeSetup(plan);
  const entry = workerEntry();
  const workers = new Map<string, Worker>();
  const terminateAll = (): void => {
    for (const w of workers.values()) void w.terminate();
  };

  return new Promise<RunResult>((resolve, reject) => {
    let settled = false;
    const fail = (who: string, message: string, user: boolean): void => {
      if (settled) return;
      settled = true;
      terminateAll();
      const text = who === "dealer" ? `dealer: ${message}` : `party ${who}: ${message}`;
      reject(user ? new UserError(text) : new Error(text));
    };

    let offline: Extract<WorkerMessage, { type: "offline" }> | undefined;
    const loaded = new Set<string>();
    const ready = new Set<string>();
    const done = new Map<string, Extract<WorkerMessage, { type: "done" }>>();
    const spawnAt = performance.now();
    let offlineAt = 0;
    let goAt = 0;
    const maybeOffline = (): void => {
      if (loaded.size < parties.length + 1 || offlineAt) return;
      offlineAt = performance.now();
      for (const w of workers.values()) w.postMessage("offline" satisfies MainMessage);
    };
    const maybeGo = (): void => {
      if (!offline || ready.size < parties.length || goAt) return;
      goAt = performance.now();
      for (const p of parties) workers.get(p)!.postMessage("go" satisfies MainMessage);
    };
    const finish = (): void => {
      if (settled) return;
      settled = true;
      const onlineMs = performance.now() - goAt;
      const outputs = new Map<string, Map<string, ClearTensor>>();
      const perPair: PairTraffic[] = [];
      let rounds = 0;
      for (const p of parties) {
        const d = done.get(p)!;
        outputs.set(p, new Map(d.outputs));
        rounds = Math.max(rounds, d.rounds);
        for (const s of d.sent) if (s.to !== "dealer") perPair.push({ from: p, to: s.to, messages: s.messages, bytes: s.bytes });
      }
      const perRound = mergeRounds(parties.map((p) => done.get(p)!.perRound));
      terminateAll();
      resolve({
        outputs,
        stats: {
          offlineMs: goAt - offlineAt,
          onlineMs,
          dealerMs: offline!.offlineMs,
          startupMs: offlineAt - spawnAt,
          rounds,
          perPair,
          perRound,
          dealerBytes: offline!.bytes,
          dealerItems: offline!.items,
        },
      });
    };

    const spawn = (name: string, data: PartyWorkerData | DealerWorkerData): void => {
      const transfer = Object.values(data.ports);
      const w = new Worker(entry.entry, { eval: entry.eval, workerData: data, transferList: transfer });
      workers.set(name, w);
      w.on("message", (m: WorkerMessage) => {
        switch (m.type) {
          case "loaded":
            loaded.add(name);
            maybeOffline();
            break;
          case "ready":
            ready.add(name);
            maybeGo();
            break;
          case "offline":
            offline = m;
            maybeGo();
            break;
          case "progress":
            options.onProgress?.({ loop: m.loop, iteration: m.iteration, total: m.total, live: m.live, ...(m.revealed ? { revealed: m.revealed } : {}) });
            break;
          case "done":
            done.set(name, m);
            if (done.size === parties.length) finish();
            break;
          case "error":
            fail(name, m.message, m.user);
            break;
        }
      });
      w.on("error", (e) => fail(name, e.message, false));
      w.on("exit", (code) => {
        if (settled) return;
        const finished = name === "dealer" ? offline !== undefined : done.has(name);
        if (!finished) fail(name, `its thread exited (code ${code}) before finishing`, false);
      });
    };

    try {
      const warm = options.warmUp ?? false;
      const moduleUrl = (role: string): { module?: string } => (options.modules === undefined ? {} : { module: pathToFileURL(join(options.modules, `${role}.js`)).href });
      spawn("dealer", { role: "dealer", plan, ports: Object.fromEntries(setup.ports.get("dealer")!), seeds: setup.dealerSeeds, timeoutMs, warmUp: warm, ...moduleUrl("dealer") });
      parties.forEach((p, i) => {
        spawn(p, {
          role: "party",
          plan,
          party: p,
          ports: Object.fromEntries(setup.ports.get(p)!),
          pairSeeds: Object.fromEntries(setup.pairSeeds.get(p)!),
          dealerSeed: setup.dealerSeeds[i]!,
          inputs: Object.fromEntries(ownInputs(plan, p, inputs)),
          timeoutMs,
          progress: i === 0 && options.onProgress !== undefined,
          warmUp: warm,
          ...(options.offlineBudget !== undefined ? { offlineBudget: options.offlineBudget } : {}),
          ...moduleUrl(p),
        });
      });
    } catch (e) {
      fail("runtime", e instanceof Error ? e.message : String(e), false);
    }
  });
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
