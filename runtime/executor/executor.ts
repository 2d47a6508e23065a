// The executor: runs one party's part of a protocol plan. It walks each scope (the top level,
// each loop body per iteration) in order: binds its own inputs, runs clear nodes only where
// the plan says, shares values without communication (./sharing.ts), runs local functions on
// shares, takes dealer items in plan order (own shares from the PRG seed shared with the
// dealer, the last party's corrections from the dealer's stream), and at the first
// communication node of a round sends everything of that round to each peer in ONE frame,
// then receives. Values are dropped after their last use, so memory stays flat over loops.
// Never logs or reports a value; errors name nodes, parties and rounds, never data.

import { UserError } from "../../grammar/diagnostic.js";
import { type ClearTensor, evalClearOp } from "../clear/index.js";
import { decodeFixed, decodeInt } from "../fixed/index.js";
import type { LoopNode, OpenNode, Plan, PlanNode, SendNode, ValueInfo } from "../plan/plan.js";
import { dealerLabel, type DealerInbox } from "../dealer/index.js";
import { isClear, isRing, type LocalContext, localFn, type LocalValue } from "../protocols/local/index.js";
import type { RingTensor } from "../ring/index.js";
import type { Transport } from "../transport/index.js";
import { bodyDefs, freeValues, scopeLifetimes } from "./lifetimes.js";
import { OfflineStore } from "./offline.js";
import { shareLabel, shareOf, type ShareContext } from "./sharing.js";

export interface Progress {
  /** The top-level loop being run. */
  loop: string;
  /** Iterations finished (1-based). */
  iteration: number;
  total: number;
  /** Values this party holds after the iteration (for checking that memory stays flat). */
  live: number;
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

type Env = Map<string, LocalValue>;

export class PartyExecutor {
  private readonly values = new Map<string, ValueInfo>();
  private readonly inputNames = new Map<string, string>();
  private readonly env: Env = new Map();
  private readonly outputs = new Map<string, ClearTensor>();
  private readonly local: LocalContext;
  private readonly share: ShareContext;
  private readonly offline: OfflineStore;
  private round = 0;
  private readonly profile = new Map<string, ProfileEntry>();

  constructor(private readonly cfg: PartyConfig) {
    const { plan, party } = cfg;
    const index = plan.parties.indexOf(party);
    if (index < 0) throw new Error(`internal: ${party} is not a party of plan ${plan.program}`);
    for (const v of plan.values) this.values.set(v.id, v);
    this.local = { party, index, n: plan.parties.length, precision: plan.precision };
    this.share = { self: party, parties: plan.parties, precision: plan.precision };
    this.offline = new OfflineStore({
      plan,
      party,
      pairSeeds: cfg.pairSeeds,
      dealerSeed: cfg.dealerSeed,
      ...(cfg.dealerInbox ? { dealerInbox: cfg.dealerInbox } : {}),
    });
    const collect = (nodes: readonly PlanNode[]): void => {
      for (const n of nodes) {
        if (n.kind === "input") this.inputNames.set(n.out, n.input);
        else if (n.kind === "loop") collect(n.body);
      }
    };
    collect(plan.body);
  }

  /** The offline phase at this party: derive its dealer shares and sharing masks ahead (up to
   *  `budget` bytes). Optional: without it everything is derived when needed. The last party's
   *  dealer inbox must be drained first. */
  prepareOffline(budget?: number): void {
    this.offline.prepare(budget);
  }

  async run(): Promise<PartyResult> {
    await this.runScope(this.cfg.plan.body, [], scopeLifetimes(this.cfg.plan.body));
    const result: PartyResult = { outputs: this.outputs, rounds: this.round };
    if (this.cfg.profile) result.profile = [...this.profile.values()].sort((a, b) => b.ms - a.ms);
    return result;
  }

  private info(id: string): ValueInfo {
    const v = this.values.get(id);
    if (!v) throw new Error(`internal: plan value ${id} is not declared`);
    return v;
  }

  private get(id: string): LocalValue | undefined {
    return this.env.get(id);
  }

  private need(id: string, node: PlanNode): LocalValue {
    const v = this.env.get(id);
    if (v === undefined) throw new Error(`internal: party ${this.cfg.party} lacks value ${id} at node ${node.id}`);
    return v;
  }

  private async runScope(nodes: readonly PlanNode[], iter: number[], life: { dropAfter: string[][] }): Promise<void> {
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i]!;
      if (node.kind === "open" || node.kind === "send") {
        let j = i + 1;
        while (j < nodes.length) {
          const m = nodes[j]!;
          if ((m.kind !== "open" && m.kind !== "send") || m.round !== node.round) break;
          j++;
        }
        const t0 = this.cfg.profile ? performance.now() : 0;
        await this.communicate(nodes.slice(i, j) as (OpenNode | SendNode)[], iter);
        if (this.cfg.profile) this.record("round", performance.now() - t0);
        for (let k = i; k < j; k++) this.drop(life.dropAfter[k]!);
        i = j - 1;
        continue;
      }
      if (node.kind === "loop") await this.runLoop(node, iter, life.dropAfter[i]!);
      else if (this.cfg.profile) {
        const t0 = performance.now();
        this.step(node, iter);
        this.record(profileKey(node), performance.now() - t0);
      } else this.step(node, iter);
      this.drop(life.dropAfter[i]!);
    }
  }

  private record(what: string, ms: number): void {
    let e = this.profile.get(what);
    if (!e) this.profile.set(what, (e = { what, ms: 0, count: 0 }));
    e.ms += ms;
    e.count++;
  }

  private drop(ids: readonly string[]): void {
    for (const id of ids) this.env.delete(id);
  }

  private step(node: Exclude<PlanNode, OpenNode | SendNode | LoopNode>, iter: number[]): void {
    const { party } = this.cfg;
    switch (node.kind) {
      case "input": {
        if (node.party !== party) return;
        const v = this.cfg.inputs.get(node.input);
        if (!v) throw new UserError(`input ${node.party}.${node.input} was not provided`);
        const want = this.info(node.out).shape;
        if (v.shape.length !== want.length || v.shape.some((d, i) => d !== want[i])) {
          throw new UserError(`input ${node.party}.${node.input} has shape [${v.shape.join(", ")}], but the program declares [${want.join(", ")}]`);
        }
        this.env.set(node.out, v);
        return;
      }
      case "clear": {
        if (!node.parties.includes(party)) return;
        const args = node.args.map((a) => this.need(a, node));
        this.env.set(node.out, this.evalClear(node.op, args, node.attrs));
        return;
      }
      case "share": {
        const from = this.info(node.from);
        const holds = node.owner === "public" ? this.local.index === 0 : node.owner === party;
        const value = holds ? this.need(node.from, node) : undefined;
        if (value !== undefined && !isClear(value)) throw new Error(`internal: share node ${node.id} needs a clear value`);
        const owner = node.owner === "public" ? party : node.owner;
        const where = { party: owner, input: this.inputNames.get(node.from) ?? `value ${node.from}` };
        const label = shareLabel(node.id, iter);
        const n = elements(from.shape);
        const mask = (): BigUint64Array => this.offline.shareMask(label, node.owner, n);
        this.env.set(node.out, shareOf(this.share, node.owner, value, from.elem, from.shape, mask, where));
        return;
      }
      case "local": {
        const args = node.args.map((a) => this.get(a));
        const outs = localFn(node.fn).call(undefined, this.local, args, node.attrs);
        node.out.forEach((id, k) => {
          const v = outs[k];
          if (v !== undefined) this.env.set(id, v);
        });
        return;
      }
      case "dealer": {
        const shares = this.offline.dealerShares(dealerLabel(node.id, iter), node.item, node.attrs);
        node.out.forEach((id, k) => {
          const v = shares[k];
          if (v !== undefined) this.env.set(id, v);
        });
        return;
      }
      case "output": {
        if (!node.to.includes(party)) return;
        const v = this.need(node.value, node);
        this.outputs.set(node.name, isClear(v) ? v : this.decode(v, this.info(node.value).elem));
        return;
      }
    }
  }

  private evalClear(op: string, args: LocalValue[], attrs: Record<string, unknown>): ClearTensor {
    if (op === "decode") {
      const t = args[0];
      if (!isRing(t)) throw new Error("internal: decode needs a ring value");
      return this.decode(t, attrs["elem"]);
    }
    for (const a of args) if (!isClear(a)) throw new Error(`internal: clear op ${op} got a ring value`);
    return evalClearOp(op, args as ClearTensor[], attrs);
  }

  private decode(t: RingTensor, elem: unknown): ClearTensor {
    const data = elem === "fixed" ? decodeFixed(t, this.local.precision) : decodeInt(t);
    return { data, shape: [...t.shape] };
  }

  /** `dying`: values whose last use is this loop node; those only the carried inits read can
   *  go once the inits are taken, rather than live through every iteration. */
  private async runLoop(node: LoopNode, iter: number[], dying: readonly string[]): Promise<void> {
    const defs = bodyDefs(node);
    const keep = new Set(node.carried.map((c) => c.next));
    const life = scopeLifetimes(node.body, [...node.carried.map((c) => c.param), ...(node.index ? [node.index] : [])], keep);
    let carried = node.carried.map((c) => this.get(c.init));
    const free = new Set(freeValues(node));
    this.drop(dying.filter((id) => !free.has(id)));
    const top = iter.length === 0;
    for (let it = 0; it < node.count; it++) {
      if (node.index !== undefined) this.env.set(node.index, { data: Float64Array.of(node.start + it), shape: [] });
      node.carried.forEach((c, k) => {
        const v = carried[k];
        if (v === undefined) this.env.delete(c.param);
        else this.env.set(c.param, v);
      });
      await this.runScope(node.body, [...iter, it], life);
      carried = node.carried.map((c) => this.get(c.next));
      for (const d of defs) this.env.delete(d);
      if (top) this.cfg.onProgress?.({ loop: node.id, iteration: it + 1, total: node.count, live: this.env.size });
    }
    node.carried.forEach((c, k) => {
      const v = carried[k];
      if (v !== undefined) this.env.set(c.out, v);
    });
  }

  /** One round: every open/send node of the group, one frame per peer each way. */
  private async communicate(group: (OpenNode | SendNode)[], iter: number[]): Promise<void> {
    const { party, transport, plan } = this.cfg;
    const round = this.round++;
    const where = `plan round ${group[0]!.round}${iter.length ? `, loop iteration ${iter.join(".")}` : ""}`;
    const outgoing = new Map<string, { nodes: string[]; parts: Uint8Array[] }>();
    const incoming = new Map<string, { nodes: string[]; bytes: number[] }>();
    const addOut = (peer: string, id: string, parts: Uint8Array[]): void => {
      let o = outgoing.get(peer);
      if (!o) outgoing.set(peer, (o = { nodes: [], parts: [] }));
      o.nodes.push(id);
      o.parts.push(...parts);
    };
    const addIn = (peer: string, id: string, bytes: number[]): void => {
      let o = incoming.get(peer);
      if (!o) incoming.set(peer, (o = { nodes: [], bytes: [] }));
      o.nodes.push(id);
      o.bytes.push(...bytes);
    };
    for (const node of group) {
      if (node.kind === "open") {
        const parts = node.args.map((a) => bytesOf(this.need(a, node)));
        for (const p of node.to) if (p !== party) addOut(p, node.id, parts);
        if (node.to.includes(party)) {
          const sizes = node.args.map((a) => 8 * elements(this.info(a).shape));
          for (const q of plan.parties) if (q !== party) addIn(q, node.id, sizes);
        }
      } else if (node.from === party) {
        const part = bytesOf(this.need(node.value, node));
        for (const p of node.to) if (p !== party) addOut(p, node.id, [part]);
      } else if (node.to.includes(party)) {
        addIn(node.from, node.id, [8 * elements(this.info(node.value).shape)]);
      }
    }
    for (const [peer, o] of outgoing) {
      const total = o.parts.reduce((n, p) => n + p.byteLength, 0);
      const buf = new Uint8Array(total);
      let off = 0;
      for (const p of o.parts) {
        buf.set(p, off);
        off += p.byteLength;
      }
      transport.send(peer, { round, where, nodes: o.nodes }, [buf.buffer]);
    }
    const received = new Map<string, ArrayBuffer[]>();
    await Promise.all(
      [...incoming].map(async ([peer, o]) => {
        const payload = await transport.receive(peer, { round, where, nodes: o.nodes });
        const got = payload.reduce((n, b) => n + b.byteLength, 0);
        const want = o.bytes.reduce((n, b) => n + b, 0);
        if (got !== want) {
          throw new Error(`party ${party} received ${got} bytes from ${peer} in round ${round} (${where}) where the plan says ${want}`);
        }
        received.set(peer, payload);
      }),
    );
    // cut each peer's frame into its parts, in the order both sides built it
    const cursor = new Map<string, { buf: ArrayBuffer; off: number }>();
    for (const [peer, payload] of received) cursor.set(peer, { buf: joinBuffers(payload), off: 0 });
    const take = (peer: string, bytes: number): Uint8Array => {
      const c = cursor.get(peer)!;
      const v = new Uint8Array(c.buf, c.off, bytes);
      c.off += bytes;
      return v;
    };
    for (const node of group) {
      if (node.kind === "open") {
        if (!node.to.includes(party)) continue;
        node.args.forEach((a, k) => {
          const shape = this.info(a).shape;
          const n = elements(shape);
          // XOR shares (binary values) reconstruct by XOR, additive ones by the ring sum
          const xor = this.info(a).kind === "binary";
          const own = this.need(a, node).data as BigUint64Array;
          let acc: BigUint64Array | undefined;
          for (const q of plan.parties) {
            if (q === party) continue;
            const part = take(q, 8 * n);
            const v = new BigUint64Array(part.buffer, part.byteOffset, n);
            if (!acc) acc = v;
            else combineInto(acc, v, xor);
          }
          // accumulate into the received buffer (ours alone), never into our own share
          const sum = acc ?? own.slice();
          if (acc) combineInto(sum, own, xor);
          this.env.set(node.out[k]!, { data: sum, shape: [...shape] });
        });
      } else if (node.from === party) {
        this.env.set(node.out, this.need(node.value, node));
      } else if (node.to.includes(party)) {
        const vi = this.info(node.value);
        const n = elements(vi.shape);
        const part = take(node.from, 8 * n);
        const value: LocalValue =
          vi.kind === "clear"
            ? { data: new Float64Array(part.buffer, part.byteOffset, n), shape: [...vi.shape] }
            : { data: new BigUint64Array(part.buffer, part.byteOffset, n), shape: [...vi.shape] };
        this.env.set(node.out, value);
      }
    }
  }
}

/** Run one party's part of a plan to the end. */
export function runParty(cfg: PartyConfig): Promise<PartyResult> {
  return new PartyExecutor(cfg).run();
}

function profileKey(node: PlanNode): string {
  switch (node.kind) {
    case "local":
      return `local ${node.fn}`;
    case "dealer":
      return `dealer ${node.item}`;
    case "clear":
      return `clear ${node.op}`;
    default:
      return node.kind;
  }
}

/** acc += x on the ring, or acc ^= x for XOR shares. */
function combineInto(acc: BigUint64Array, x: BigUint64Array, xor: boolean): void {
  if (!xor) {
    for (let i = 0; i < acc.length; i++) acc[i] = BigInt.asUintN(64, acc[i]! + x[i]!);
    return;
  }
  const a = new Int32Array(acc.buffer, acc.byteOffset, 2 * acc.length);
  const b = new Int32Array(x.buffer, x.byteOffset, 2 * x.length);
  for (let i = 0; i < a.length; i++) a[i] = a[i]! ^ b[i]!;
}

function elements(shape: readonly number[]): number {
  return shape.reduce((a, d) => a * d, 1);
}

function bytesOf(v: LocalValue): Uint8Array {
  return new Uint8Array(v.data.buffer, v.data.byteOffset, v.data.byteLength);
}

function joinBuffers(parts: ArrayBuffer[]): ArrayBuffer {
  if (parts.length === 1) return parts[0]!;
  const total = parts.reduce((n, b) => n + b.byteLength, 0);
  const out = new Uint8Array(total);
  let off = 0;
  for (const b of parts) {
    out.set(new Uint8Array(b), off);
    off += b.byteLength;
  }
  return out.buffer;
}
