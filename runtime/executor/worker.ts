// The worker-thread entry of PartyThreads (and so runInProcess): one party, or the dealer, per
// thread, running job after job so a long-lived thread keeps its optimised code. Start-up once
// (kernel probe, optional JIT warm-up) -> "started". Then per job, driven by the main thread
// through parentPort: the job (plan, role, ports, seeds, own inputs) -> "loaded"; on "offline"
// the dealer makes and sends its items while each party derives its randomness (the last party
// then drains the dealer's stream) -> "ready"; on "go" the online phase -> "done" with outputs
// and traffic. Peers talk through the MessagePorts of the job (../transport/in-process.ts),
// fresh for every job, as are the seeds. A thrown error is reported as a message (its text
// only: errors never carry data); the main thread then ends every thread.

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
  /** URL of the generated dealer module to take the items from instead of the plan. */
  module?: string;
}

/** Main -> worker: a job, then the signals to start its offline and online phases. */
export type MainMessage = "offline" | "go" | { type: "job"; data: PartyWorkerData | DealerWorkerData };

export type WorkerMessage =
  | { type: "started" }
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

/** What the thread is given at start (each job brings the rest). */
export interface ThreadData {
  warmUp: boolean;
}

const port = parentPort!;
const start = workerData as ThreadData;

function post(m: WorkerMessage): void {
  port.postMessage(m);
}

// control messages in arrival order (a job's "offline" may arrive before we wait for it)
const queue: MainMessage[] = [];
let waiting: ((m: MainMessage) => void) | undefined;
port.on("message", (m: MainMessage) => {
  if (waiting) {
    const w = waiting;
    waiting = undefined;
    w(m);
  } else queue.push(m);
});

/** The next control message from the main thread. */
function next(): Promise<MainMessage> {
  const m = queue.shift();
  if (m !== undefined) return Promise.resolve(m);
  return new Promise((resolve) => (waiting = resolve));
}

async function main(): Promise<void> {
  await prepareRingKernels();
  if (start.warmUp) await warmUp();
  post({ type: "started" });
  for (;;) {
    const m = await next();
    if (typeof m === "string") throw new Error(`internal: the thread got "${m}" outside a job`);
    await runJob(m.data);
  }
}

async function runJob(data: PartyWorkerData | DealerWorkerData): Promise<void> {
  // a generated module is loaded (and checked against the plan) before the phases start
  const partyModule = data.role === "party" && data.module ? await loadPartyModule(data.module) : undefined;
  const dealerModule = data.role === "dealer" && data.module ? await loadDealerModule(data.module) : undefined;
  if (dealerModule) checkDealerModule(dealerModule, data.plan);
  const offline = next();
  post({ type: "loaded" });
  await offline;
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
  port.removeAllListeners("message");
  const err = e instanceof Error ? e : new Error(String(e));
  post({ type: "error", message: err.message, user: err instanceof UserError });
});
