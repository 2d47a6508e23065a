// One compute party as its own OS process (or host), over TLS to its peers and the dealer:
// what `mpc run FILE --party P --config parties.json` runs. It reuses the per-party executor
// (PartyExecutor, with the offline preparation and the last party's DealerInbox) exactly as
// the in-process worker does; only the transport and where seeds come from differ. The pair
// seeds and the dealer seed come from the TLS key exchange of each connection (never sent).
// Phases: check the deployment and read this party's own credentials (errors before anything
// is sent), connect, offline (derive shares and masks, then drain the dealer's stream at the
// last party), a ready barrier among the parties, online, an orderly goodbye. Any failure here or
// at a peer aborts the run at every party with a message naming the peer and the round.
// Holds only this party's inputs; never logs a value, a share or a seed.

import { UserError } from "../../grammar/diagnostic.js";
import type { ClearTensor } from "../clear/index.js";
import { DealerInbox } from "../dealer/index.js";
import type { Plan } from "../plan/plan.js";
import { prepareRingKernels } from "../ring/index.js";
import { checkParties, DEALER, type DeploymentConfig, loadCredentials } from "../transport/config.js";
import { mpcVersion, WIRE_VERSION } from "../transport/handshake.js";
import { connectMesh, type LinkShape, type LinkStats, type TlsTransport } from "../transport/tls.js";
import type { PairStats, RoundStats } from "../transport/transport.js";
import { checkModule, PartyExecutor, type Progress } from "./executor.js";
import type { PartyModule } from "./party-api.js";
import { warmUp } from "./warm-up.js";

export interface NetworkOptions extends LinkShape {
  config: DeploymentConfig;
  /** Give up connecting after this long (default 30 s). */
  connectTimeoutMs?: number;
  /** How long a receive waits for a peer (default 120 s). */
  timeoutMs?: number;
  maxFrameBytes?: number;
  listenHost?: string;
  /** Status lines for the operator (connections, refusals, phases). */
  log?: (line: string) => void;
}

export interface NetworkPartyOptions extends NetworkOptions {
  plan: Plan;
  party: string;
  /** This party's own inputs, by input name. */
  inputs: ReadonlyMap<string, ClearTensor>;
  offlineBudget?: number;
  onProgress?: (p: Progress) => void;
  /** Warm the JIT on a small synthetic plan before connecting (as runInProcess's warmUp). */
  warmUp?: boolean;
  /** This party's generated module (compiler/codegen) to run instead of interpreting the plan. */
  module?: PartyModule;
}

export interface NetworkPartyStats {
  /** Module load to every connection up (the peers may start later: this includes waiting). */
  connectMs: number;
  /** Offline phase at this party (dealer stream, shares and masks), then the ready barrier. */
  offlineMs: number;
  barrierMs: number;
  /** Online phase at this party. */
  onlineMs: number;
  rounds: number;
  /** Data frames this party sent, per receiver (counted as the in-process transport does). */
  sent: PairStats[];
  perRound: RoundStats[];
  /** Per peer: frames and bytes on the wire, and payload bytes alone. */
  links: LinkStats[];
}

export interface NetworkPartyResult {
  outputs: Map<string, ClearTensor>;
  stats: NetworkPartyStats;
}

/** Ask the transport, or fail with whichever comes first: the work, or a peer's failure. */
export function race<T>(t: TlsTransport, work: Promise<T>): Promise<T> {
  work.catch(() => undefined); // if the peer's failure wins, the work's own rejection is moot
  return Promise.race([work, t.failed]);
}

export function helloFor(plan: Plan, self: string): { party: string; program: string; planHash: string; mpcVersion: string; wire: number } {
  return { party: self, program: plan.program, planHash: plan.hash, mpcVersion: mpcVersion(), wire: WIRE_VERSION };
}

export async function runNetworkParty(o: NetworkPartyOptions): Promise<NetworkPartyResult> {
  const { plan, party, config } = o;
  const t0 = performance.now();
  checkParties(config, plan.program, plan.parties);
  if (!plan.parties.includes(party)) throw new Error(`internal: ${party} is not a party of ${plan.program}`);
  if (o.module) checkModule(o.module, plan, party); // before anything is sent
  const credentials = loadCredentials(config, party);
  await prepareRingKernels();
  if (o.warmUp) await warmUp();
  const peers = [...plan.parties.filter((p) => p !== party), DEALER];
  const transport = await connectMesh({
    config,
    credentials,
    peers,
    hello: helloFor(plan, party),
    ...meshOptions(o),
  });
  const tConnected = performance.now();
  try {
    const pairSeeds = new Map(plan.parties.filter((p) => p !== party).map((p) => [p, transport.sharedSeed(p)]));
    const last = plan.parties[plan.parties.length - 1] === party;
    const dealerInbox = last ? new DealerInbox(transport, DEALER) : undefined;
    const executor = new PartyExecutor({
      plan,
      party,
      transport,
      pairSeeds,
      dealerSeed: transport.sharedSeed(DEALER),
      ...(dealerInbox ? { dealerInbox } : {}),
      inputs: o.inputs,
      ...(o.onProgress ? { onProgress: o.onProgress } : {}),
      ...(o.module ? { module: o.module } : {}),
    });
    // derive this party's own randomness while the dealer works (its frames queue meanwhile),
    // then take its stream: corrections are matched to items when each is used (as worker.ts)
    executor.prepareOffline(o.offlineBudget);
    if (dealerInbox) await race(transport, dealerInbox.drain());
    const tOffline = performance.now();
    await race(transport, transport.barrier(plan.parties.filter((p) => p !== party)));
    const tGo = performance.now();
    o.log?.(`${party}: online`);
    const result = await race(transport, executor.run());
    const tDone = performance.now();
    await transport.finish();
    const s = transport.stats();
    return {
      outputs: result.outputs,
      stats: {
        connectMs: tConnected - t0,
        offlineMs: tOffline - tConnected,
        barrierMs: tGo - tOffline,
        onlineMs: tDone - tGo,
        rounds: result.rounds,
        sent: s.sent.filter((p) => p.to !== DEALER),
        perRound: s.perRound,
        links: transport.linkStats(),
      },
    };
  } catch (e) {
    // peers learn why, except the text of an error about this party's own data (a user
    // error here is about its inputs, and may quote a token of them): that stays local
    const why = e instanceof UserError ? `an error in ${party}'s own data (reported at ${party})` : e instanceof Error ? e.message : String(e);
    await transport.abort(why);
    throw e;
  }
}

export function meshOptions(o: NetworkOptions): Omit<Parameters<typeof connectMesh>[0], "config" | "credentials" | "peers" | "hello"> {
  return {
    ...(o.connectTimeoutMs !== undefined ? { connectTimeoutMs: o.connectTimeoutMs } : {}),
    ...(o.timeoutMs !== undefined ? { receiveTimeoutMs: o.timeoutMs } : {}),
    ...(o.maxFrameBytes !== undefined ? { maxFrameBytes: o.maxFrameBytes } : {}),
    ...(o.listenHost !== undefined ? { listenHost: o.listenHost } : {}),
    ...(o.latencyMs !== undefined ? { latencyMs: o.latencyMs } : {}),
    ...(o.bandwidthMbit !== undefined ? { bandwidthMbit: o.bandwidthMbit } : {}),
    ...(o.log ? { log: o.log } : {}),
  };
}
