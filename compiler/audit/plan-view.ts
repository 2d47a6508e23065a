// Each party's view of a run, read off the compiled plan: every message it receives, per
// round, and whether that message is uniformly random to it (a share of a masked value opened
// inside a protocol, or a share of a reveal it receives — each share alone is uniform) or a
// value in the clear (a plain disclosure). Only the reveals listed by the audit reconstruct to
// something that is not random; everything else a party reconstructs is masked by dealer
// randomness it never sees (x - a for a Beaver triple's a, x + r for a truncation pair's r).
// A `send` is a plain disclosure unless it sends x - A computed by `mask_private` with A a
// dealer output held by the sender alone (the private-operand products mulPrivate,
// matmulPrivate, convPrivate, mulPrivateSecret): that is uniformly random to the receiver, so
// it is masked.
//
// Pure function of the plan: it counts, it never looks at values (there are none).

import type { CheckedProgram } from "../check/typed.js";
import type { LoopNode, Plan, PlanNode, SourceRef } from "../../runtime/plan/plan.js";
import { elementCount } from "../../runtime/plan/shape.js";

export type MessageKind = "masked" | "reveal" | "plain";

export interface RoundMessages {
  /** Round number as scheduled (inside a loop: relative to the start of one iteration). */
  round: number;
  kind: MessageKind;
  /** Parties it receives from in this round. */
  from: string[];
  messages: number;
  /** Ring elements (or clear numbers, for plain disclosures) in those messages. */
  elements: number;
  /** Program ops these messages implement (e.g. "mul", "sigmoid", "reveal"). */
  origins: string[];
  /** Output names, for reveal and plain messages. */
  outputs: string[];
}

export interface LoopView {
  src?: SourceRef;
  count: number;
  roundsPerIteration: number;
  /** What one iteration delivers (loops nested in it are flattened into it, multiplied out). */
  perIteration: RoundMessages[];
  messages: number;
  elements: number;
}

export interface PartyView {
  party: string;
  /** Totals over the whole run, loops multiplied out. */
  messages: number;
  elements: number;
  /** Messages outside loops, by round. */
  rounds: RoundMessages[];
  loops: LoopView[];
  /** Reveal and plain messages over the whole run (the only non-random ones). */
  nonRandomMessages: number;
  /** Correlated-randomness items the dealer prepares that involve this party (offline). */
  dealerItems: number;
}

export type PartyViews =
  | { available: true; rounds: number; planHash: string; parties: PartyView[] }
  | { available: false; unavailable: string };

export function partyViews(program: CheckedProgram, plan: Plan | { unavailable: string }): PartyViews {
  if ("unavailable" in plan) return { available: false, unavailable: plan.unavailable };
  const shapes = new Map(plan.values.map((v) => [v.id, v.shape]));
  const producers = new Map<string, PlanNode>();
  const outputs: { value: string; name: string }[] = [];
  const index = (nodes: readonly PlanNode[]): void => {
    for (const n of nodes) {
      if (n.kind === "loop") {
        index(n.body);
        for (const c of n.carried) producers.set(c.out, n);
      } else if (n.kind === "output") outputs.push({ value: n.value, name: n.name });
      else if (n.kind === "local" || n.kind === "dealer" || n.kind === "open") for (const o of n.out) producers.set(o, n);
      else producers.set(n.out, n);
    }
  };
  index(plan.body);
  // Which opens/sends deliver an output: walk back from outputs through clear work only.
  const revealOf = new Map<string, string[]>();
  for (const o of outputs) {
    const seen = new Set<string>();
    const stack = [o.value];
    while (stack.length > 0) {
      const v = stack.pop()!;
      if (seen.has(v)) continue;
      seen.add(v);
      const p = producers.get(v);
      if (!p) continue;
      if (p.kind === "open" || p.kind === "send") {
        revealOf.set(p.id, [...(revealOf.get(p.id) ?? []), o.name]);
      } else if (p.kind === "clear") stack.push(...p.args);
    }
  }
  const masked = maskedSends(plan.body, producers, plan.parties);
  const parties = program.parties.map((party) => viewOf(party, plan, shapes, revealOf, masked));
  return { available: true, rounds: plan.rounds, planHash: plan.hash, parties };
}

/** Sends of a value masked by dealer randomness only the sender holds: the first output of a
 *  `mask_private` local (x - A) whose mask A is a dealer output held by the sender alone, made
 *  in the same scope (fresh every iteration of a loop around both) and masking nothing else:
 *  the same A on two values would disclose their difference. */
function maskedSends(body: readonly PlanNode[], producers: Map<string, PlanNode>, parties: readonly string[]): Set<string> {
  // the scope (body array) of every node, and how many mask_private locals use each value as A
  const scopeOf = new Map<PlanNode, readonly PlanNode[]>();
  const maskUses = new Map<string, number>();
  const index = (nodes: readonly PlanNode[]): void => {
    for (const n of nodes) {
      scopeOf.set(n, nodes);
      if (n.kind === "loop") index(n.body);
      else if (n.kind === "local" && n.fn === "mask_private" && n.args[1] !== undefined) maskUses.set(n.args[1], (maskUses.get(n.args[1]) ?? 0) + 1);
    }
  };
  index(body);
  const ids = new Set<string>();
  for (const n of scopeOf.keys()) {
    if (n.kind !== "send") continue;
    const p = producers.get(n.value);
    if (p?.kind !== "local" || p.fn !== "mask_private" || p.out[0] !== n.value || p.attrs["owner"] !== n.from) continue;
    const a = p.args[1];
    const mask = a === undefined ? undefined : producers.get(a);
    if (mask?.kind !== "dealer" || maskUses.get(a!) !== 1 || scopeOf.get(mask) !== scopeOf.get(p)) continue;
    if (heldOnlyBy(mask, a!, n.from, parties)) ids.add(n.id);
  }
  return ids;
}

/** Is dealer output `v` known in full to `party` alone (attrs a_owner / b_owner)? */
function heldOnlyBy(d: Extract<PlanNode, { kind: "dealer" }>, v: string, party: string, parties: readonly string[]): boolean {
  const k = d.out.indexOf(v);
  const owner = k === 0 ? d.attrs["a_owner"] : k === 1 ? d.attrs["b_owner"] : undefined;
  return typeof owner === "number" && parties[owner] === party;
}

function viewOf(party: string, plan: Plan, shapes: Map<string, number[]>, revealOf: Map<string, string[]>, masked: Set<string>): PartyView {
  const others = plan.parties.filter((p) => p !== party);
  const size = (id: string): number => elementCount(shapes.get(id) ?? []);
  // The scheduler merges everything one party sends another in a round into one message, so
  // a round's message count is its number of distinct senders.
  /** Messages this party receives from `nodes`, keyed by round and kind; returns dealer items. */
  const collect = (nodes: readonly PlanNode[], into: Map<string, RoundMessages>): number => {
    let dealer = 0;
    for (const n of nodes) {
      if (n.kind === "dealer") dealer++;
      else if (n.kind === "loop") {
        // A loop nested in a loop: its iterations are flattened into the enclosing one.
        const inner = new Map<string, RoundMessages>();
        dealer += collect(n.body, inner) * n.count;
        for (const m of inner.values()) add(into, { ...m, round: n.start + m.round, messages: m.messages * n.count, elements: m.elements * n.count });
      } else if (n.kind === "open" && n.to.includes(party)) {
        const outs = revealOf.get(n.id);
        const elements = n.args.reduce((acc, a) => acc + size(a), 0);
        add(into, {
          round: n.round,
          kind: outs ? "reveal" : "masked",
          from: others,
          messages: others.length,
          elements: elements * others.length,
          origins: n.origin ? [n.origin] : [],
          outputs: outs ?? [],
        });
      } else if (n.kind === "send" && n.to.includes(party) && n.from !== party) {
        add(into, {
          round: n.round,
          kind: masked.has(n.id) ? "masked" : "plain",
          from: [n.from],
          messages: 1,
          elements: size(n.value),
          origins: n.origin ? [n.origin] : [],
          outputs: revealOf.get(n.id) ?? [],
        });
      }
    }
    return dealer;
  };
  const top = new Map<string, RoundMessages>();
  const loops: LoopView[] = [];
  let dealerItems = 0;
  for (const n of plan.body) {
    if (n.kind === "loop") {
      const per = new Map<string, RoundMessages>();
      dealerItems += collect(n.body, per) * n.count;
      loops.push(loopView(n, [...per.values()].sort(byRound)));
    } else dealerItems += collect([n], top);
  }
  const rounds = [...top.values()].sort(byRound);
  const sum = (ms: readonly RoundMessages[], f: (m: RoundMessages) => number): number => ms.reduce((a, m) => a + f(m), 0);
  const messages = distinctMessages(rounds) + loops.reduce((a, l) => a + l.messages, 0);
  const elements = sum(rounds, (m) => m.elements) + loops.reduce((a, l) => a + l.elements, 0);
  const nonRandom =
    distinctMessages(rounds.filter((m) => m.kind !== "masked")) +
    loops.reduce((a, l) => a + l.count * distinctMessages(l.perIteration.filter((m) => m.kind !== "masked")), 0);
  return { party, messages, elements, rounds, loops, nonRandomMessages: nonRandom, dealerItems };
}

/** Messages are per (round, sender): a masked opening and a reveal share sent in the same
 *  round travel in one message. (Entries of nested loops are already multiplied out.) */
function distinctMessages(ms: readonly RoundMessages[]): number {
  const byRound = new Map<number, RoundMessages[]>();
  for (const m of ms) byRound.set(m.round, [...(byRound.get(m.round) ?? []), m]);
  let n = 0;
  for (const group of byRound.values()) {
    if (group.length === 1) n += group[0]!.messages;
    else n += Math.max(...group.map((m) => m.messages / Math.max(1, m.from.length))) * new Set(group.flatMap((m) => m.from)).size;
  }
  return n;
}

function loopView(n: LoopNode, perIteration: RoundMessages[]): LoopView {
  const messages = distinctMessages(perIteration) * n.count;
  const elements = perIteration.reduce((a, m) => a + m.elements, 0) * n.count;
  const v: LoopView = { count: n.count, roundsPerIteration: n.rounds, perIteration, messages, elements };
  if (n.src) v.src = n.src;
  return v;
}

const byRound = (a: RoundMessages, b: RoundMessages): number => a.round - b.round || a.kind.localeCompare(b.kind);

function add(into: Map<string, RoundMessages>, m: RoundMessages): void {
  const key = `${m.round}|${m.kind}`;
  const prev = into.get(key);
  if (!prev) {
    into.set(key, { ...m, from: [...m.from], origins: [...m.origins], outputs: [...m.outputs] });
    return;
  }
  // Same round, same senders: the scheduler merged them into the same messages.
  const newSenders = m.from.filter((f) => !prev.from.includes(f)).length;
  prev.messages += m.from.length > 0 ? (m.messages / m.from.length) * newSenders : 0;
  prev.elements += m.elements;
  for (const f of m.from) if (!prev.from.includes(f)) prev.from.push(f);
  for (const o of m.origins) if (!prev.origins.includes(o)) prev.origins.push(o);
  for (const o of m.outputs) if (!prev.outputs.includes(o)) prev.outputs.push(o);
}
