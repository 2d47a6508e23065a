// The worker-thread entry of runInProcess: one party, or the dealer, per thread. Phases, driven
// by the main thread through parentPort: start-up (load, kernel probe, optional JIT warm-up)
// -> "loaded"; on "offline" the dealer makes and sends its items while each party derives its
// randomness (the last party then drains the dealer's stream) -> "ready"; on "go" the online
// phase -> "done" with outputs and traffic. Peers talk through the MessagePorts given in
// workerData (../transport/in-process.ts). A thrown error is reported as a message (its text
// only: errors never carry data) and ends the thread.

import { parentPort, workerData } from "node:worker_threads";
import type { MessagePort } from "node:worker_threads";
import { UserError } from "../../grammar/diagnostic.js";
import type { ClearTensor } from "../clear/index.js";
import { DealerInbox, runDealer } from "../dealer/index.js";
import type { Plan } from "../plan/plan.js";
import { prepareRingKernels } from "../ring/index.js";
import { PortTransport, type RoundStats } from "../transport/index.js";
import { PartyExecutor, type Progress } from "./executor.js";
import { checkDealerModule, loadDealerModule, loadPartyModule, moduleSchedule } from "./modules.js";
import { warmUp } from "./warm-up.js";

export interface PartyWorkerData {
  role: "party";
  plan: Plan;
  party: string;
  ports: Record<string, MessagePort>;
  pairSeeds: Record<string, Uint8Array>;
  dealerSeed: Uint8Array;
  inputs: Record<string, ClearTensor>;
  timeoutMs: number;
  progress: boolean;
  warmUp: boolean;
  offlineBudget?: number;
  /** URL of this party's generated module (compiler/codegen) to run instead of the plan. */
  module?: string;
}

export interface DealerWorkerData {
  role: "dealer";
  plan: Plan;
  ports: Record<string, MessagePort>;
  seeds: Uint8Array[];
  timeoutMs: number;
  warmUp: boolean;
  /** URL of the generated dealer module to take the items from instead of the plan. */
  module?: string;
}

/** Main -> worker: start the offline phase, then the online phase. */
export type MainMessage = "offline" | "go";

export type WorkerMessage =
  | { type: "loaded" }
  | { type: "ready" }
  | { type: "offline"; offlineMs: number; bytes: number; items: number; elements: number }
  | { type: "progress"; loop: string; iteration: number; total: number; live: number; revealed?: [string, ClearTensor][] }
  | {
      type: "done";
      outputs: [string, ClearTensor][];
      rounds: number;
      sent: { to: string; messages: number; bytes: number }[];
      perRound: RoundStats[];
      onlineMs: number;
    }
  | { type: "error"; message: string; user: boolean };

const port = parentPort!;
const data = workerData as PartyWorkerData | DealerWorkerData;

function post(m: WorkerMessage): void {
  port.postMessage(m);
}

/** The next control message from the main thread. */
function next(): Promise<MainMessage> {
  return new Promise((resolve) => port.once("message", (m: MainMessage) => resolve(m)));
}

async function main(): Promise<void> {
  await prepareRingKernels();
  if (data.warmUp) await warmUp();
  // a generated module is loaded (and checked against the plan) during start-up
  const partyModule = data.role === "party" && data.module ? await loadPartyModule(data.module) : undefined;
  const dealerModule = data.role === "dealer" && data.module ? await loadDealerModule(data.module) : undefined;
  if (dealerModule) checkDealerModule(dealerModule, data.plan);
  const started = next();
  post({ type: "loaded" });
  await started;
  if (data.role === "dealer") {
    const transport = new PortTransport("dealer", new Map(Object.entries(data.ports)), data.timeoutMs);
    const stats = runDealer(data.plan, data.seeds, transport, dealerModule ? moduleSchedule(dealerModule) : undefined);
    post({ type: "offline", ...stats });
    transport.close();
    return;
  }
  const { plan, party } = data;
  const transport = new PortTransport(party, new Map(Object.entries(data.ports)), data.timeoutMs);
  const last = plan.parties[plan.parties.length - 1] === party;
  const dealerInbox = last ? new DealerInbox(transport) : undefined;
  const executor = new PartyExecutor({
    plan,
    party,
    transport,
    pairSeeds: new Map(Object.entries(data.pairSeeds)),
    dealerSeed: data.dealerSeed,
    ...(dealerInbox ? { dealerInbox } : {}),
    inputs: new Map(Object.entries(data.inputs)),
    ...(data.progress ? { onProgress: (p: Progress) => post({ type: "progress", ...p }) } : {}),
    ...(partyModule ? { module: partyModule } : {}),
  });
  // derive this party's own randomness while the dealer works, then take its stream
  executor.prepareOffline(data.offlineBudget);
  if (dealerInbox) await dealerInbox.drain();
  const go = next();
  post({ type: "ready" });
  await go;
  const t0 = performance.now();
  const result = await executor.run();
  const onlineMs = performance.now() - t0;
  const stats = transport.stats();
  const sent = stats.sent.map((s) => ({ to: s.to, messages: s.messages, bytes: s.bytes }));
  post({ type: "done", outputs: [...result.outputs], rounds: result.rounds, sent, perRound: stats.perRound, onlineMs });
  transport.close();
}

main().catch((e: unknown) => {
  const err = e instanceof Error ? e : new Error(String(e));
  post({ type: "error", message: err.message, user: err instanceof UserError });
});
