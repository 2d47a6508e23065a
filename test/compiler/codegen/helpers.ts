// Test helpers for generated modules: compile an example program, generate and write its
// modules to a temporary directory, import them, and run a plan with FIXED seeds (so two runs
// of the same plan, interpreted or generated, must agree bit for bit), recording a digest of
// every frame each endpoint sends.

import { createHash } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { MessageChannel, type MessagePort } from "node:worker_threads";
import { generateModules, type Generated } from "../../../compiler/codegen/project.js";
import { writeModules } from "../../../compiler/codegen/write.js";
import { compileFile, compileSource } from "../../../compiler/pipeline.js";
import type { CompileResult } from "../../../compiler/pipeline.js";
import type { ClearTensor } from "../../../runtime/clear/index.js";
import { DealerInbox, runDealer } from "../../../runtime/dealer/index.js";
import { PartyExecutor } from "../../../runtime/executor/executor.js";
import { loadDealerModule, loadPartyModule, moduleSchedule } from "../../../runtime/executor/modules.js";
import type { DealerModule, PartyModule } from "../../../runtime/executor/party-api.js";
import { ownInputs } from "../../../runtime/executor/setup.js";
import { fixedBound } from "../../../runtime/fixed/index.js";
import { loadInputs, resolveInputs } from "../../../runtime/io/index.js";
import type { Plan } from "../../../runtime/plan/plan.js";
import { PortTransport, type Transport } from "../../../runtime/transport/index.js";

export const ROOT = join(import.meta.dirname, "..", "..", "..");

export interface Example {
  file: string;
  compiled: CompileResult;
  plan: Plan;
  inputs: Map<string, ClearTensor>;
  generated: Generated;
  dir: string;
  modules: { parties: Map<string, PartyModule>; dealer: DealerModule };
}

const cache = new Map<string, Promise<Example>>();

/** Compile programs/<name>.mpc, generate, write and import its modules (once per test file). */
export function example(name: string): Promise<Example> {
  let p = cache.get(name);
  if (!p) cache.set(name, (p = load(name)));
  return p;
}

/** The same for a program given as text, with its inputs. */
export function exampleFromSource(name: string, source: string, inputs: Map<string, ClearTensor>): Promise<Example> {
  let p = cache.get(name);
  if (!p) cache.set(name, (p = load(name, { source, inputs })));
  return p;
}

async function load(name: string, given?: { source: string; inputs: Map<string, ClearTensor> }): Promise<Example> {
  const file = given ? `${name}.mpc` : join("programs", `${name}.mpc`);
  const compiled = given ? compileSource(given.source, file) : compileFile(join(ROOT, file));
  const plan = compiled.plan!;
  const inputs = given?.inputs ?? loadInputs(resolveInputs(join(ROOT, file), plan.program, plan.inputs, []), { fixedBound: fixedBound(plan.precision) });
  const generated = generateModules(plan, { source: compiled.source ?? "", file });
  const dir = mkdtempSync(join(tmpdir(), `mpc-codegen-${name}-`));
  writeModules(generated.modules, dir);
  const parties = new Map<string, PartyModule>();
  for (const p of plan.parties) parties.set(p, await loadPartyModule(pathToFileURL(join(dir, `${p}.js`)).href));
  const dealer = await loadDealerModule(pathToFileURL(join(dir, "dealer.js")).href);
  return { file, compiled, plan, inputs, generated, dir, modules: { parties, dealer } };
}

const seed = (label: string): Uint8Array => new Uint8Array(createHash("sha256").update(label).digest().subarray(0, 16));

/** Records a digest of every frame an endpoint sends, in order. */
class Recording implements Transport {
  readonly frames: string[] = [];
  constructor(private readonly inner: Transport) {}
  get self(): string {
    return this.inner.self;
  }
  send(peer: string, tag: Parameters<Transport["send"]>[1], payload: ArrayBuffer[]): void {
    const h = createHash("sha256").update(`${peer} ${tag.round} ${tag.nodes.join(",")}|`);
    for (const b of payload) h.update(new Uint8Array(b));
    this.frames.push(h.digest("hex").slice(0, 16));
    this.inner.send(peer, tag, payload);
  }
  receive(...a: Parameters<Transport["receive"]>): ReturnType<Transport["receive"]> {
    return this.inner.receive(...a);
  }
  receiveNext(...a: Parameters<Transport["receiveNext"]>): ReturnType<Transport["receiveNext"]> {
    return this.inner.receiveNext(...a);
  }
  stats(): ReturnType<Transport["stats"]> {
    return this.inner.stats();
  }
  close(): void {
    this.inner.close();
  }
}

export interface SeededRun {
  outputs: Map<string, Map<string, ClearTensor>>;
  /** Per endpoint (parties and "dealer"): digests of the frames it sent, in order. */
  frames: Map<string, string[]>;
  /** Frames sent per ordered party pair. */
  messages: Map<string, number>;
  rounds: number;
}

/** Run every party and the dealer in this thread with fixed seeds; `use` picks which parties
 *  (and whether the dealer) run their generated module instead of the interpreter. */
export async function runSeeded(
  plan: Plan,
  inputs: ReadonlyMap<string, ClearTensor>,
  use: { parties?: ReadonlyMap<string, PartyModule>; dealer?: DealerModule } = {},
): Promise<SeededRun> {
  const endpoints = [...plan.parties, "dealer"];
  const ports = new Map<string, Map<string, MessagePort>>(endpoints.map((e) => [e, new Map()]));
  for (let i = 0; i < endpoints.length; i++) {
    for (let j = i + 1; j < endpoints.length; j++) {
      const ch = new MessageChannel();
      ports.get(endpoints[i]!)!.set(endpoints[j]!, ch.port1);
      ports.get(endpoints[j]!)!.set(endpoints[i]!, ch.port2);
    }
  }
  const transports = new Map(endpoints.map((e) => [e, new Recording(new PortTransport(e, ports.get(e)!, 30_000))]));
  const pairSeed = (p: string, q: string): Uint8Array => seed([p, q].sort().join("|"));
  runDealer(
    plan,
    plan.parties.map((p) => seed(`dealer|${p}`)),
    transports.get("dealer")!,
    use.dealer ? moduleSchedule(use.dealer) : undefined,
  );
  const last = plan.parties[plan.parties.length - 1]!;
  const inbox = new DealerInbox(transports.get(last)!);
  await inbox.drain();
  try {
    const results = await Promise.all(
      plan.parties.map((p) => {
        const module = use.parties?.get(p);
        const e = new PartyExecutor({
          plan,
          party: p,
          transport: transports.get(p)!,
          pairSeeds: new Map(plan.parties.filter((q) => q !== p).map((q) => [q, pairSeed(p, q)])),
          dealerSeed: seed(`dealer|${p}`),
          ...(p === last ? { dealerInbox: inbox } : {}),
          inputs: ownInputs(plan, p, inputs),
          ...(module ? { module } : {}),
        });
        e.prepareOffline();
        return e.run();
      }),
    );
    const messages = new Map<string, number>();
    for (const p of plan.parties) {
      for (const s of transports.get(p)!.stats().sent) if (s.to !== "dealer") messages.set(`${s.from}->${s.to}`, s.messages);
    }
    return {
      outputs: new Map(plan.parties.map((p, i) => [p, results[i]!.outputs])),
      frames: new Map(endpoints.map((e) => [e, transports.get(e)!.frames])),
      messages,
      rounds: Math.max(...results.map((r) => r.rounds)),
    };
  } finally {
    for (const t of transports.values()) t.close();
  }
}
