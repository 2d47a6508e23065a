// runInThread: every party and the dealer of a plan in THIS thread, over the same in-process
// transport (MessagePorts) that runInProcess uses between threads. No parallelism, no worker
// start-up: for tests, debugging and small plans. The protocol, seeds and messages are the
// same as in runInProcess; only the scheduling differs. Also lets a test wrap a party's
// transport (`wrapTransport`) to look at exactly what that party sends and receives.

import type { ClearTensor } from "../clear/index.js";
import { DealerInbox, runDealer } from "../dealer/index.js";
import type { Plan } from "../plan/plan.js";
import { prepareRingKernels } from "../ring/index.js";
import { PortTransport, type Transport } from "../transport/index.js";
import { checkModule, PartyExecutor, type ProfileEntry, type Progress } from "./executor.js";
import { mergeRounds, type PairTraffic, type RunResult } from "./run-in-process.js";
import { checkDealerModule, moduleSchedule } from "./modules.js";
import type { DealerModule, PartyModule } from "./party-api.js";
import { checkInputs, checkPlan, makeSetup, ownInputs } from "./setup.js";

export interface ThreadRunOptions {
  timeoutMs?: number;
  onProgress?: (p: Progress) => void;
  /** Replace a party's transport (e.g. to record its view). */
  wrapTransport?: (party: string, t: Transport) => Transport;
  /** Time every node; the profiles come back in `profiles`. */
  profile?: boolean;
  /** Derive the parties' randomness ahead, as runInProcess does (default true). */
  offline?: boolean;
  /** Bytes each party derives ahead (default DEFAULT_OFFLINE_BUDGET); the rest on the fly. */
  offlineBudget?: number;
  /** Generated modules to run instead of interpreting the plan: any subset of the parties
   *  (the others interpret; both send the same frames), and the dealer's. */
  modules?: { parties?: ReadonlyMap<string, PartyModule>; dealer?: DealerModule };
}

export async function runInThread(
  plan: Plan,
  inputs: ReadonlyMap<string, ClearTensor>,
  options: ThreadRunOptions = {},
): Promise<RunResult & { profiles?: Map<string, ProfileEntry[]>; cpu: { offlineMs: number; onlineMs: number } }> {
  checkPlan(plan);
  checkInputs(plan, inputs);
  for (const [p, m] of options.modules?.parties ?? []) checkModule(m, plan, p); // before any channel opens
  if (options.modules?.dealer) checkDealerModule(options.modules.dealer, plan);
  await prepareRingKernels(); // once per thread: the ring kernel probe (cached)
  const setup = makeSetup(plan);
  const t0 = performance.now();
  // CPU time of this thread's work (all roles run here): robust to other load on the machine
  const c0 = process.cpuUsage();
  const dealerTransport = new PortTransport("dealer", setup.ports.get("dealer")!, options.timeoutMs);
  const dealerModule = options.modules?.dealer;
  const dealer = runDealer(plan, setup.dealerSeeds, dealerTransport, dealerModule ? moduleSchedule(dealerModule) : undefined);
  dealerTransport.close();
  const transports = plan.parties.map((p) => {
    const t = new PortTransport(p, setup.ports.get(p)!, options.timeoutMs);
    return options.wrapTransport ? options.wrapTransport(p, t) : t;
  });
  const last = plan.parties.length - 1;
  const inbox = new DealerInbox(transports[last]!);
  await inbox.drain();
  const executors = plan.parties.map(
    (p, i) =>
      new PartyExecutor({
        plan,
        party: p,
        transport: transports[i]!,
        pairSeeds: setup.pairSeeds.get(p)!,
        dealerSeed: setup.dealerSeeds[i]!,
        ...(i === last ? { dealerInbox: inbox } : {}),
        inputs: ownInputs(plan, p, inputs),
        ...(i === 0 && options.onProgress ? { onProgress: options.onProgress } : {}),
        ...(options.profile ? { profile: true } : {}),
        ...(options.modules?.parties?.has(p) ? { module: options.modules.parties.get(p)! } : {}),
      }),
  );
  if (options.offline !== false) for (const e of executors) e.prepareOffline(options.offlineBudget);
  const offlineMs = performance.now() - t0;
  const c1 = process.cpuUsage(c0);
  const t1 = performance.now();
  try {
    const results = await Promise.all(executors.map((e) => e.run()));
    const onlineMs = performance.now() - t1;
    const c2 = process.cpuUsage(c0);
    const cpuMs = (u: NodeJS.CpuUsage): number => (u.user + u.system) / 1000;
    const perPair: PairTraffic[] = [];
    transports.forEach((t) => {
      for (const s of t.stats().sent) if (s.to !== "dealer") perPair.push({ from: s.from, to: s.to, messages: s.messages, bytes: s.bytes });
    });
    return {
      cpu: { offlineMs: cpuMs(c1), onlineMs: cpuMs(c2) - cpuMs(c1) },
      ...(options.profile ? { profiles: new Map(plan.parties.map((p, i) => [p, results[i]!.profile ?? []])) } : {}),
      outputs: new Map(plan.parties.map((p, i) => [p, results[i]!.outputs])),
      stats: {
        offlineMs,
        onlineMs,
        dealerMs: dealer.offlineMs,
        startupMs: 0,
        rounds: Math.max(0, ...results.map((r) => r.rounds)),
        perPair,
        perRound: mergeRounds(transports.map((t) => t.stats().perRound)),
        dealerBytes: dealer.bytes,
        dealerItems: dealer.items,
      },
    };
  } finally {
    for (const t of transports) t.close();
  }
}
