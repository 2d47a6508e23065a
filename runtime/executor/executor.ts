// The plan interpreter: runs one party's part of a protocol plan. It walks each scope (the top
// level, each loop body per iteration) in order and hands every node this party takes part in
// to the party runtime (./party-runtime.ts, the one implementation of every step, which
// generated party modules call too): its own inputs, clear nodes only where the plan says,
// sharing without communication, local functions on shares, dealer items in plan order, and at
// the first communication node of a round, that round's steps as one round (ONE frame per
// peer each way). Values are dropped after their last use, so memory stays flat over loops.
// With PartyConfig.module set it runs that generated module instead of walking the plan.
// Never logs or reports a value; errors name nodes, parties and rounds, never data.

import { UserError } from "../../grammar/diagnostic.js";
import type { ClearTensor } from "../clear/index.js";
import type { LoopNode, OpenNode, Plan, PlanNode, SendNode, ValueInfo } from "../plan/plan.js";
import type { DealerInbox } from "../dealer/index.js";
import type { Transport } from "../transport/index.js";
import { bodyDefs, freeValues, scopeLifetimes } from "./lifetimes.js";
import type { PartyModule, Step } from "./party-api.js";
import { type Held, PartyRuntime } from "./party-runtime.js";
import { isComm, roundRunEnd } from "../plan/rounds.js";

export interface Progress {
  /** The top-level loop being run. */
  loop: string;
  /** Iterations finished (1-based). */
  iteration: number;
  total: number;
  /** Values this party holds after the iteration (for checking that memory stays flat). */
  live: number;
  /** The outputs revealed to this party during the iteration (a reveal inside the loop), in
   *  order: values the program gives this party, nothing else. */
  revealed?: [string, ClearTensor][];
}

export interface PartyConfig {
  plan: Plan;
  party: string;
  transport: Transport;
  /** The seed this party shares with each other compute party (pseudo-random sharing). */
  pairSeeds: ReadonlyMap<string, Uint8Array>;
  /** The seed this party shares with the dealer. */
  dealerSeed: Uint8Array;
  /** The last party's end of the dealer's stream (drained before the online phase). */
  dealerInbox?: DealerInbox;
  /** This party's own inputs by name. */
  inputs: ReadonlyMap<string, ClearTensor>;
  onProgress?: (p: Progress) => void;
  /** Time every node (by kind and function) into PartyResult.profile. */
  profile?: boolean;
  /** Run this generated party module (compiler/codegen) instead of interpreting the plan; it
   *  must have been generated from this plan for this party. */
  module?: PartyModule;
}

export interface ProfileEntry {
  /** e.g. "local beaver_mul", "dealer triple_mul", "round". */
  what: string;
  ms: number;
  count: number;
}

export interface PartyResult {
  /** Outputs revealed to this party, by name. */
  outputs: Map<string, ClearTensor>;
  /** Communication rounds executed (loops multiplied out). */
  rounds: number;
  /** Time per node kind and function, slowest first (when PartyConfig.profile is set). */
  profile?: ProfileEntry[];
}

type Env = Map<string, Held>;

export class PartyExecutor {
  private readonly values = new Map<string, ValueInfo>();
  private readonly inputNames = new Map<string, string>();
  private readonly env: Env = new Map();
  /** Every step runs here: the same implementation generated party modules call. */
  private readonly rt: PartyRuntime;

  constructor(private readonly cfg: PartyConfig) {
    const { plan } = cfg;
    this.rt = new PartyRuntime(cfg);
    this.rt.liveValues = () => this.env.size;
    for (const v of plan.values) this.values.set(v.id, v);
    const collect = (nodes: readonly PlanNode[]): void => {
      for (const n of nodes) {
        if (n.kind === "input") this.inputNames.set(n.out, n.input);
        else if (n.kind === "loop") collect(n.body);
      }
    };
    collect(plan.body);
    if (cfg.module) checkModule(cfg.module, plan, cfg.party);
  }

  /** The offline phase at this party: derive its dealer shares and sharing masks ahead (up to
   *  `budget` bytes). Optional: without it everything is derived when needed. The last party's
   *  dealer inbox may be drained before or after (its corrections are taken when used). */
  prepareOffline(budget?: number): void {
    this.rt.prepareOffline(budget);
  }

  /** The online phase: the generated party module when one is given, else the plan itself. */
  async run(): Promise<PartyResult> {
    if (this.cfg.module) await this.cfg.module.run(this.rt);
    else await this.runScope(this.cfg.plan.body, scopeLifetimes(this.cfg.plan.body));
    return this.rt.result();
  }

  private info(id: string): ValueInfo {
    const v = this.values.get(id);
    if (!v) throw new Error(`internal: plan value ${id} is not declared`);
    return v;
  }

  private need(id: string, node: PlanNode): Held {
    const v = this.env.get(id);
    if (v === undefined) throw new Error(`internal: party ${this.cfg.party} lacks value ${id} at node ${node.id}`);
    return v;
  }

  private set(ids: readonly string[], vs: readonly (Held | undefined)[]): void {
    ids.forEach((id, k) => {
      const v = vs[k];
      if (v !== undefined) this.env.set(id, v);
    });
  }

  private async runScope(nodes: readonly PlanNode[], life: { dropAfter: string[][] }): Promise<void> {
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i]!;
      if (isComm(node)) {
        const j = roundRunEnd(nodes, i);
        await this.communicate(nodes.slice(i, j) as (OpenNode | SendNode)[]);
        for (let k = i; k < j; k++) this.drop(life.dropAfter[k]!);
        i = j - 1;
        continue;
      }
      if (node.kind === "loop") await this.runLoop(node, life.dropAfter[i]!);
      else this.step(node);
      this.drop(life.dropAfter[i]!);
    }
  }

  private drop(ids: readonly string[]): void {
    for (const id of ids) this.env.delete(id);
  }

  private step(node: Exclude<PlanNode, OpenNode | SendNode | LoopNode>): void {
    const { party } = this.cfg;
    const rt = this.rt;
    switch (node.kind) {
      case "input":
        if (node.party === party) this.env.set(node.out, rt.input(node.input, this.info(node.out).shape));
        return;
      case "clear":
        if (node.parties.includes(party)) this.env.set(node.out, rt.clear(node.op, node.args.map((a) => this.need(a, node)), node.attrs));
        return;
      case "share": {
        const from = this.info(node.from);
        const holds = node.owner === "public" ? this.cfg.plan.parties[0] === party : node.owner === party;
        const value = holds ? this.need(node.from, node) : undefined;
        const input = this.inputNames.get(node.from);
        const spec = { owner: node.owner, elem: from.elem, shape: from.shape, input: input ?? `value ${node.from}` };
        this.env.set(node.out, rt.share(node.id, value, spec));
        return;
      }
      case "local":
        this.set(node.out, rt.local(node.fn, node.args.map((a) => this.env.get(a)), node.attrs));
        return;
      case "dealer":
        this.set(node.out, rt.dealer(node.id, node.item, node.attrs));
        return;
      case "output":
        if (node.to.includes(party)) rt.output(node.name, this.need(node.value, node), this.info(node.value).elem);
        return;
    }
  }

  /** `dying`: values whose last use is this loop node; those only the carried inits read can
   *  go once the inits are taken, rather than live through every iteration. */
  private async runLoop(node: LoopNode, dying: readonly string[]): Promise<void> {
    const defs = bodyDefs(node);
    const keep = new Set(node.carried.map((c) => c.next));
    const life = scopeLifetimes(node.body, [...node.carried.map((c) => c.param), ...(node.index ? [node.index] : [])], keep);
    let carried = node.carried.map((c) => this.env.get(c.init));
    const free = new Set(freeValues(node));
    this.drop(dying.filter((id) => !free.has(id)));
    this.rt.loop(node.id, node.count);
    for (let it = 0; it < node.count; it++) {
      this.rt.iteration(it);
      if (node.index !== undefined) this.env.set(node.index, this.rt.constant(node.start + it));
      node.carried.forEach((c, k) => {
        const v = carried[k];
        if (v === undefined) this.env.delete(c.param);
        else this.env.set(c.param, v);
      });
      await this.runScope(node.body, life);
      carried = node.carried.map((c) => this.env.get(c.next));
      for (const d of defs) this.env.delete(d);
    }
    this.rt.endLoop();
    node.carried.forEach((c, k) => {
      const v = carried[k];
      if (v !== undefined) this.env.set(c.out, v);
    });
  }

  /** One round: this party's view of every open/send node of the group (what it sends to and
   *  receives from whom), run as one round of the runtime. */
  private async communicate(group: (OpenNode | SendNode)[]): Promise<void> {
    const { party, plan } = this.cfg;
    const steps: Step[] = [];
    const outs: { node: OpenNode | SendNode; step: number }[] = [];
    for (const node of group) {
      if (node.kind === "open") {
        const receives = node.to.includes(party);
        outs.push({ node, step: steps.length });
        steps.push({
          open: node.id,
          shares: node.args.map((a) => this.need(a, node)),
          sendTo: node.to.filter((p) => p !== party),
          receiveFrom: receives ? plan.parties.filter((q) => q !== party) : [],
          ...(node.args.some((a) => this.info(a).kind === "binary") ? { xor: true } : {}),
        });
      } else if (node.from === party) {
        this.env.set(node.out, this.need(node.value, node));
        steps.push({ send: node.id, value: this.need(node.value, node), to: node.to.filter((p) => p !== party) });
      } else if (node.to.includes(party)) {
        const vi = this.info(node.value);
        outs.push({ node, step: steps.length });
        steps.push({ receive: node.id, from: node.from, shape: vi.shape, ...(vi.kind === "clear" ? {} : { ring: true }) });
      }
    }
    const results = await this.rt.round(group[0]!.round, steps);
    for (const { node, step } of outs) this.set(node.kind === "open" ? node.out : [node.out], results[step]!);
  }
}

/** Refuse a generated party module made from another plan or for another party. */
export function checkModule(module: PartyModule, plan: Plan, party: string): void {
  if (module.PLAN_HASH !== plan.hash) {
    throw new UserError(
      `the party module of ${module.PARTY} was generated from plan ${module.PLAN_HASH.slice(0, 16)}…, but this run's plan is ${plan.hash.slice(0, 16)}…: recompile the program (mpc compile)`,
    );
  }
  if (module.PARTY !== party) throw new UserError(`the party module given for ${party} is ${module.PARTY}'s`);
}

/** Run one party's part of a plan to the end. */
export function runParty(cfg: PartyConfig): Promise<PartyResult> {
  return new PartyExecutor(cfg).run();
}
