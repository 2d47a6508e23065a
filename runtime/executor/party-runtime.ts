// PartyRuntime: what one party does at each step of a plan — read its own input, clear work,
// share without communication (./sharing.ts), local functions on shares, take dealer items in
// order (own shares from the PRG seed shared with the dealer, the last party's corrections
// from the dealer's stream), and one communication round with ONE frame per peer each way.
// It is the single implementation of every step: the plan interpreter (./executor.ts) calls
// these methods node by node, and a generated party module (compiler/codegen) calls them as
// straight-line code. Both therefore send byte-identical frames and can even run side by side.
// Never logs or reports a value, except that the outputs revealed to this party inside a
// top-level loop go to its own progress callback; errors name steps, parties and rounds, never data.

import { UserError } from "../../grammar/diagnostic.js";
import { type ClearTensor, evalClearOp } from "../clear/index.js";
import { dealerLabel } from "../dealer/index.js";
import { decodeFixed, decodeInt } from "../fixed/index.js";
import type { ElemType } from "../plan/plan.js";
import { isClear, isRing, type LocalContext, localFn, type LocalValue } from "../protocols/local/index.js";
import type { RingTensor } from "../ring/index.js";
import type { Attrs, PartyApi, ShareSpec, Step } from "./party-api.js";
import type { PartyConfig, PartyResult, ProfileEntry } from "./executor.js";
import { OfflineStore } from "./offline.js";
import { shareLabel, shareOf, type ShareContext } from "./sharing.js";
import { elementCount } from "../plan/shape.js";

/** A value this party holds, as a handle: generated code cannot unbind a `const`, so freeing
 *  empties the handle instead and its tensor can be collected. */
export class Held<T extends LocalValue = LocalValue> {
  #tensor: T | undefined;
  readonly kind: KindOf<T>;

  constructor(tensor: T) {
    this.#tensor = tensor;
    this.kind = (isClear(tensor) ? "clear" : "ring") as KindOf<T>;
  }

  get tensor(): T {
    if (this.#tensor === undefined) throw new Error("internal: a value was used after it was freed");
    return this.#tensor;
  }

  get freed(): boolean {
    return this.#tensor === undefined;
  }

  release(): void {
    this.#tensor = undefined;
  }
}

type KindOf<T> = T extends ClearTensor ? "clear" : T extends RingTensor ? "ring" : "clear" | "ring";

const tensorOf = (v: unknown): LocalValue | undefined => (v instanceof Held ? v.tensor : undefined);

function held<T extends LocalValue>(t: T): Held<T> {
  return new Held(t);
}

export class PartyRuntime implements PartyApi {
  readonly party: string;
  private readonly inputs: ReadonlyMap<string, ClearTensor>;
  private readonly outputs = new Map<string, ClearTensor>();
  /** Outputs revealed to this party since the last progress report of a top-level loop. */
  private readonly revealedInLoop: [string, ClearTensor][] = [];
  private readonly ctx: LocalContext;
  private readonly shareCtx: ShareContext;
  private readonly offline: OfflineStore;
  private readonly profile = new Map<string, ProfileEntry>();
  /** Rounds run so far: the round number on every frame (both sides count the same rounds). */
  private rounds = 0;
  /** The iteration path of the loops being run (labels of dealer items, sharings, messages). */
  private iter: number[] = [];
  private loops: { step: string; count: number }[] = [];
  private created = 0;
  private released = 0;
  /** How many values this party holds (the interpreter counts its environment). */
  liveValues: () => number = () => this.created - this.released;

  constructor(private readonly cfg: PartyConfig) {
    const { plan, party } = cfg;
    const index = plan.parties.indexOf(party);
    if (index < 0) throw new Error(`internal: ${party} is not a party of plan ${plan.program}`);
    this.party = party;
    this.inputs = cfg.inputs;
    this.ctx = { party, index, n: plan.parties.length, precision: plan.precision };
    this.shareCtx = { self: party, parties: plan.parties, precision: plan.precision };
    this.offline = new OfflineStore({
      plan,
      party,
      pairSeeds: cfg.pairSeeds,
      dealerSeed: cfg.dealerSeed,
      ...(cfg.dealerInbox ? { dealerInbox: cfg.dealerInbox } : {}),
    });
  }

  /** The offline phase at this party: derive its dealer shares and sharing masks ahead (up to
   *  `budget` bytes). Optional: without it everything is derived when needed. */
  prepareOffline(budget?: number): void {
    this.offline.prepare(budget);
  }

  /** Outputs, rounds and (when profiling) the time per kind of step, once the run is over. */
  result(): PartyResult {
    const r: PartyResult = { outputs: this.outputs, rounds: this.rounds };
    if (this.cfg.profile) r.profile = [...this.profile.values()].sort((a, b) => b.ms - a.ms);
    return r;
  }

  /** Wrap a value computed outside the runtime's steps (the interpreter's environment). */
  wrap<T extends LocalValue>(t: T): Held<T> {
    this.created++;
    return held(t);
  }

  input(name: string, shape: readonly number[]): Held<ClearTensor> {
    const v = this.inputs.get(name);
    const who = `${this.party}.${name}`;
    if (!v) throw new UserError(`input ${who} was not provided`);
    if (v.shape.length !== shape.length || v.shape.some((d, i) => d !== shape[i])) {
      throw new UserError(`input ${who} has shape [${v.shape.join(", ")}], but the program declares [${shape.join(", ")}]`);
    }
    return this.wrap(v);
  }

  constant(x: number): Held<ClearTensor> {
    return this.wrap({ data: Float64Array.of(x), shape: [] });
  }

  clear(op: string, args: readonly unknown[], attrs: Attrs = {}): Held<ClearTensor> {
    const t0 = this.cfg.profile ? performance.now() : 0;
    const ts = args.map(tensorOf);
    let out: ClearTensor;
    if (op === "decode") {
      const t = ts[0];
      if (!isRing(t)) throw new Error("internal: decode needs a ring value");
      out = this.decode(t, attrs["elem"]);
    } else {
      for (const a of ts) if (!isClear(a)) throw new Error(`internal: clear op ${op} got a ring value`);
      out = evalClearOp(op, ts as ClearTensor[], attrs as Record<string, unknown>);
    }
    if (this.cfg.profile) this.record(`clear ${op}`, t0);
    return this.wrap(out);
  }

  share(step: string, value: unknown, spec: ShareSpec): Held<RingTensor> {
    const t0 = this.cfg.profile ? performance.now() : 0;
    const { owner } = spec;
    const holds = owner === "public" ? this.ctx.index === 0 : owner === this.party;
    const v = holds ? tensorOf(value) : undefined;
    if (holds && !isClear(v)) throw new Error(`internal: share step ${step} needs a clear value at ${this.party}`);
    const where = { party: owner === "public" ? this.party : owner, input: spec.input ?? `value of step ${step}` };
    const label = shareLabel(step, this.iter);
    const n = elementCount(spec.shape);
    const mask = (): BigUint64Array => this.offline.shareMask(label, owner, n);
    const out = shareOf(this.shareCtx, owner, v as ClearTensor | undefined, spec.elem, [...spec.shape], mask, where);
    if (this.cfg.profile) this.record("share", t0);
    return this.wrap(out);
  }

  local(fn: string, args: readonly unknown[], attrs: Attrs = {}): Held[] {
    const t0 = this.cfg.profile ? performance.now() : 0;
    const outs = localFn(fn).call(undefined, this.ctx, args.map(tensorOf), attrs as Record<string, unknown>);
    if (this.cfg.profile) this.record(`local ${fn}`, t0);
    // an output this party does not hold stays a hole (generated code never binds it)
    return outs.map((t) => (t === undefined ? (undefined as unknown as Held) : this.wrap(t)));
  }

  dealer(step: string, item: string, attrs: Attrs = {}): Held<RingTensor>[] {
    const t0 = this.cfg.profile ? performance.now() : 0;
    const shares = this.offline.dealerShares(dealerLabel(step, this.iter), item, attrs as Record<string, unknown>);
    if (this.cfg.profile) this.record(`dealer ${item}`, t0);
    return shares.map((t) => (t === undefined ? (undefined as unknown as Held<RingTensor>) : this.wrap(t)));
  }

  output(name: string, value: unknown, elem: ElemType): void {
    const v = tensorOf(value);
    if (v === undefined) throw new Error(`internal: output ${name} has no value at ${this.party}`);
    const t = isClear(v) ? v : this.decode(v, elem);
    this.outputs.set(name, t);
    // a reveal in a loop: its value of this iteration goes with the iteration's progress report
    if (this.loops.length > 0 && this.cfg.onProgress) this.revealedInLoop.push([name, t]);
  }

  free(...values: readonly unknown[]): void {
    for (const v of values) {
      if (v instanceof Held && !v.freed) {
        v.release();
        this.released++;
      }
    }
  }

  loop(step: string, count: number): void {
    this.loops.push({ step, count });
    this.iter.push(-1);
  }

  iteration(i: number): void {
    const depth = this.iter.length - 1;
    const loop = this.loops[depth];
    if (!loop) throw new Error("internal: iteration() outside a loop");
    if (i > 0) this.progress(loop, i);
    this.iter = [...this.iter.slice(0, depth), i];
  }

  endLoop(): void {
    const loop = this.loops[this.loops.length - 1];
    if (!loop) throw new Error("internal: endLoop() outside a loop");
    if (loop.count > 0) this.progress(loop, loop.count);
    this.loops.pop();
    this.iter = this.iter.slice(0, -1);
  }

  /** After each iteration of a top-level loop (the caller has dropped that iteration's values). */
  private progress(loop: { step: string; count: number }, done: number): void {
    if (this.loops.length === 1 && this.loops[0] === loop) {
      const revealed = this.revealedInLoop.splice(0);
      this.cfg.onProgress?.({ loop: loop.step, iteration: done, total: loop.count, live: this.liveValues(), ...(revealed.length > 0 ? { revealed } : {}) });
    }
  }

  /** One round: every step of the group, one frame per peer each way. */
  async round(planRound: number, steps: readonly Step[]): Promise<Held[][]> {
    const t0 = this.cfg.profile ? performance.now() : 0;
    const { party, transport, plan } = this.cfg;
    const round = this.rounds++;
    const where = `plan round ${planRound}${this.iter.length ? `, loop iteration ${this.iter.join(".")}` : ""}`;
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
    for (const s of steps) {
      if ("open" in s) {
        const own = s.shares.map((v) => tensorOf(v)!);
        const parts = own.map(bytesOf);
        for (const p of s.sendTo) if (p !== party) addOut(p, s.open, parts);
        if (s.receiveFrom.length > 0) {
          // reconstruction needs every other party's share
          const others = plan.parties.filter((q) => q !== party);
          if (s.receiveFrom.length !== others.length || others.some((q) => !s.receiveFrom.includes(q))) {
            throw new Error(`internal: opening ${s.open} at ${party} must receive from every other party`);
          }
          const sizes = own.map((t) => 8 * t.data.length);
          for (const q of others) addIn(q, s.open, sizes);
        }
      } else if ("send" in s) {
        const part = bytesOf(tensorOf(s.value)!);
        for (const p of s.to) if (p !== party) addOut(p, s.send, [part]);
      } else {
        addIn(s.from, s.receive, [8 * elementCount(s.shape)]);
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
    const results: Held[][] = steps.map((s) => {
      if ("open" in s) {
        if (s.receiveFrom.length === 0) return [];
        return s.shares.map((share) => {
          const own = tensorOf(share) as RingTensor;
          const n = own.data.length;
          let acc: BigUint64Array | undefined;
          for (const q of s.receiveFrom) {
            const part = take(q, 8 * n);
            const v = new BigUint64Array(part.buffer, part.byteOffset, n);
            if (!acc) acc = v;
            else combineInto(acc, v, s.xor === true);
          }
          // accumulate into the received buffer (ours alone), never into our own share
          const sum = acc ?? own.data.slice();
          if (acc) combineInto(sum, own.data, s.xor === true);
          return this.wrap({ data: sum, shape: [...own.shape] });
        });
      }
      if ("send" in s) return [];
      const n = elementCount(s.shape);
      const part = take(s.from, 8 * n);
      const value: LocalValue = s.ring
        ? { data: new BigUint64Array(part.buffer, part.byteOffset, n), shape: [...s.shape] }
        : { data: new Float64Array(part.buffer, part.byteOffset, n), shape: [...s.shape] };
      return [this.wrap(value)];
    });
    if (this.cfg.profile) this.record("round", t0);
    return results;
  }

  private decode(t: RingTensor, elem: unknown): ClearTensor {
    const data = elem === "fixed" ? decodeFixed(t, this.ctx.precision) : decodeInt(t);
    return { data, shape: [...t.shape] };
  }

  private record(what: string, t0: number): void {
    let e = this.profile.get(what);
    if (!e) this.profile.set(what, (e = { what, ms: 0, count: 0 }));
    e.ms += performance.now() - t0;
    e.count++;
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
