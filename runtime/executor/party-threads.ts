// PartyThreads: one worker thread per compute party and one for the dealer, started once and
// then given plan after plan. Every run makes fresh seeds (each pair of parties shares one, for
// pseudo-random sharing; the dealer shares one with each party) and fresh MessageChannels, gives
// each party ONLY its own inputs, runs the dealer's offline phase, then the online phase, and
// collects outputs and statistics. Threads outlive runs so that V8 keeps the code it optimised
// (a fresh thread runs its first 10^4-element protocol several times slower: measured in
// bench/nonlinear.bench.ts); nothing else survives a run but compiled code and the ring-kernel
// probe. Any thread's error rejects the run with that party's message and ends every thread:
// never a hang, and a failed set of threads refuses further runs.
// Seeds come from the system CSPRNG; between real hosts they would come from a key exchange.
// Never logs inputs, shares or seeds.

import { join } from "node:path";
import v8 from "node:v8";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { UserError } from "../../grammar/diagnostic.js";
import type { ClearTensor } from "../clear/index.js";
import type { Plan } from "../plan/plan.js";
import { DEFAULT_TIMEOUT_MS } from "../transport/index.js";
import { mergeRounds, type PairTraffic, type RunOptions, type RunResult } from "./run-result.js";
import { checkInputs, checkPlan, makeSetup, ownInputs } from "./setup.js";
import type { DealerWorkerData, MainMessage, PartyWorkerData, ThreadData, WorkerMessage } from "./worker.js";

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

/** Initial V8 heap of every isolate created from now on (the party threads), in MiB. */
export const PARTY_HEAP_MB = 256;

/** A fresh isolate starts with a small old-generation limit (~24 MiB here), and a party's
 *  heap churns through many short-lived shares: with the default, V8 ran 1-2 mark-compacts of
 *  3-11 ms per thread during each 10^4-element non-linear function, at random points of the
 *  online phase, where the other party waits for them. Starting the heap at 256 MiB took exp
 *  of 10^4 from 47 ms to 18 ms (offline + online, warm threads; bench/nonlinear.bench.ts).
 *  V8 reads this flag when it creates an isolate, so it applies to threads started after it. */
function roomyHeaps(): void {
  v8.setFlagsFromString(`--initial-heap-size=${PARTY_HEAP_MB}`);
}

type Listener = (m: WorkerMessage) => void;

/** One thread and whoever listens to it now (start-up, then the current run). */
interface Thread {
  worker: Worker;
  listen: Listener;
  /** Why it failed outside a run, if it did. */
  onFailure: (message: string) => void;
}

export class PartyThreads {
  /** Start-up time of the threads (module loading, kernel probe, warm-up). */
  readonly startupMs: number;
  private failed: string | undefined;
  private running = false;

  private constructor(
    private readonly parties: Thread[],
    private readonly dealer: Thread,
    startupMs: number,
  ) {
    this.startupMs = startupMs;
    this.idle();
  }

  /** Between runs a thread that fails makes the next run refuse, naming why. */
  private idle(): void {
    for (const t of [this.dealer, ...this.parties]) {
      t.listen = (m) => {
        if (m.type === "error") t.onFailure(m.message);
      };
      t.onFailure = (m) => (this.failed ??= `a party thread failed between runs: ${m}`);
    }
  }

  /** Start threads for plans of `parties` compute parties (and a dealer). `warmUp`: warm each
   *  thread's JIT on a small synthetic plan first (about 0.2-0.3 s). */
  static async start(parties: number, options: { warmUp?: boolean } = {}): Promise<PartyThreads> {
    const t0 = performance.now();
    roomyHeaps();
    const entry = workerEntry();
    const threads: Thread[] = [];
    const spawn = (): Promise<void> =>
      new Promise((resolve, reject) => {
        const worker = new Worker(entry.entry, { eval: entry.eval, workerData: { warmUp: options.warmUp ?? false } satisfies ThreadData });
        const t: Thread = { worker, listen: () => {}, onFailure: (m) => reject(new Error(`a party thread failed to start: ${m}`)) };
        t.listen = (m) => {
          if (m.type === "started") resolve();
          else if (m.type === "error") t.onFailure(m.message);
        };
        worker.on("message", (m: WorkerMessage) => t.listen(m));
        worker.on("error", (e) => t.onFailure(e.message));
        worker.on("exit", (code) => t.onFailure(`its thread exited (code ${code})`));
        threads.push(t);
      });
    try {
      await Promise.all(Array.from({ length: parties + 1 }, spawn));
    } catch (e) {
      for (const t of threads) void t.worker.terminate();
      throw e;
    }
    return new PartyThreads(threads.slice(1), threads[0]!, performance.now() - t0);
  }

  /** End every thread. */
  async close(): Promise<void> {
    this.failed ??= "the party threads were closed";
    await Promise.all([this.dealer, ...this.parties].map((t) => t.worker.terminate()));
  }

  /** Run one plan on these threads: offline phase, then online phase; outputs and statistics. */
  async run(plan: Plan, inputs: ReadonlyMap<string, ClearTensor>, options: RunOptions = {}): Promise<RunResult> {
    checkPlan(plan);
    checkInputs(plan, inputs);
    if (this.failed) throw new Error(`cannot run ${plan.program}: ${this.failed}`);
    if (this.running) throw new Error(`cannot run ${plan.program}: these party threads are running another plan`);
    if (plan.parties.length !== this.parties.length) {
      throw new Error(`cannot run ${plan.program} (${plan.parties.length} parties) on threads started for ${this.parties.length}`);
    }
    this.running = true;
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const parties = plan.parties;
    const setup = makeSetup(plan);
    const byName = new Map<string, Thread>([["dealer", this.dealer], ...parties.map((p, i): [string, Thread] => [p, this.parties[i]!])]);

    return new Promise<RunResult>((resolve, reject) => {
      let settled = false;
      const fail = (who: string, message: string, user: boolean): void => {
        if (settled) return;
        settled = true;
        this.running = false;
        this.failed = `an earlier run failed (${who === "dealer" ? "the dealer" : `party ${who}`})`;
        void this.close();
        const text = who === "dealer" ? `dealer: ${message}` : `party ${who}: ${message}`;
        reject(user ? new UserError(text) : new Error(text));
      };

      let offline: Extract<WorkerMessage, { type: "offline" }> | undefined;
      const loaded = new Set<string>();
      const ready = new Set<string>();
      const done = new Map<string, Extract<WorkerMessage, { type: "done" }>>();
      const postAt = performance.now();
      let offlineAt = 0;
      let goAt = 0;
      const maybeOffline = (): void => {
        if (loaded.size < parties.length + 1 || offlineAt) return;
        offlineAt = performance.now();
        for (const t of byName.values()) t.worker.postMessage("offline" satisfies MainMessage);
      };
      const maybeGo = (): void => {
        if (!offline || ready.size < parties.length || goAt) return;
        goAt = performance.now();
        for (const p of parties) byName.get(p)!.worker.postMessage("go" satisfies MainMessage);
      };
      const finish = (): void => {
        if (settled) return;
        settled = true;
        this.running = false;
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
        this.idle();
        resolve({
          outputs,
          stats: {
            offlineMs: goAt - offlineAt,
            onlineMs,
            dealerMs: offline!.offlineMs,
            startupMs: offlineAt - postAt,
            rounds,
            perPair,
            perRound,
            dealerBytes: offline!.bytes,
            dealerItems: offline!.items,
          },
        });
      };

      for (const [name, t] of byName) {
        t.onFailure = (message) => fail(name, message, false);
        t.listen = (m) => {
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
            case "started":
              break;
          }
        };
      }

      try {
        const moduleUrl = (role: string): { module?: string } => (options.modules === undefined ? {} : { module: pathToFileURL(join(options.modules, `${role}.js`)).href });
        const post = (t: Thread, data: PartyWorkerData | DealerWorkerData): void => {
          t.worker.postMessage({ type: "job", data } satisfies MainMessage, Object.values(data.ports));
        };
        post(this.dealer, { role: "dealer", plan, ports: Object.fromEntries(setup.ports.get("dealer")!), seeds: setup.dealerSeeds, timeoutMs, ...moduleUrl("dealer") });
        parties.forEach((p, i) => {
          post(this.parties[i]!, {
            role: "party",
            plan,
            party: p,
            ports: Object.fromEntries(setup.ports.get(p)!),
            pairSeeds: Object.fromEntries(setup.pairSeeds.get(p)!),
            dealerSeed: setup.dealerSeeds[i]!,
            inputs: Object.fromEntries(ownInputs(plan, p, inputs)),
            timeoutMs,
            progress: i === 0 && options.onProgress !== undefined,
            ...(options.offlineBudget !== undefined ? { offlineBudget: options.offlineBudget } : {}),
            ...moduleUrl(p),
          });
        });
      } catch (e) {
        fail("runtime", e instanceof Error ? e.message : String(e), false);
      }
    });
  }
}
