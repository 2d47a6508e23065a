// The cost of a scheduled plan, known before it runs: online rounds (the critical path, loops
// multiplied out), messages and bytes per ordered party pair (8 bytes per ring element or
// clear float64; all messages between the same two parties in one round merged into one), the
// dealer's offline traffic (one correction share per item, to one party, plus a PRG seed per
// party), and the correlated randomness by kind and shape — per loop iteration and in total.
// Everything is counted by walking the plan nodes the protocols emitted, and the dealer's wire
// size comes from the protocols' own item table, so the estimate and the run cannot drift.
// Pure arithmetic on the plan: it never runs anything.

import { dealerItemWireElements } from "../../runtime/protocols/spec/dealer-items.js";
import type { LoopNode, Plan, PlanNode, SourceRef } from "../../runtime/plan/plan.js";
import { elementCount } from "../../runtime/plan/shape.js";

/** Bytes per ring element (Z_2^64) and per clear float64 on the wire. */
export const BYTES_PER_ELEMENT = 8;
/** Bytes of one PRG seed the dealer gives each party (AES-128 key, runtime/random). */
export const SEED_BYTES = 16;

export interface PairTraffic {
  from: string;
  to: string;
  /** Messages after merging everything one party sends another in one round. */
  messages: number;
  bytes: number;
}

export interface RandomnessCount {
  item: string;
  /** The item's attributes (shapes, bits), as the dealer node states them. */
  attrs: Record<string, unknown>;
  count: number;
  /** Ring elements of correction shares on the dealer's wire for all of them. */
  wireElements: number;
}

export interface Traffic {
  rounds: number;
  messages: number;
  bytes: number;
  pairs: PairTraffic[];
  /** Elements opened (reconstructed), summed over open nodes' operands. */
  openedElements: number;
  dealer: { items: number; bytes: number };
  randomness: RandomnessCount[];
}

export interface LoopCost {
  id: string;
  src?: SourceRef;
  count: number;
  /** Nesting depth (0: a top-level loop). */
  depth: number;
  perIteration: Traffic;
  total: Traffic;
}

export interface CostReport {
  program: string;
  parties: string[];
  /** Which party receives the dealer's correction shares (the last compute party). */
  dealerCorrectionsTo: string;
  total: Traffic;
  loops: LoopCost[];
  /** The dealer's offline traffic per receiving party (corrections and seeds). */
  offline: { to: string; bytes: number }[];
}

export function planCost(plan: Plan): CostReport {
  const shapes = new Map(plan.values.map((v) => [v.id, v.shape]));
  const size = (id: string): number => {
    const s = shapes.get(id);
    if (!s) throw new Error(`internal: plan value ${id} has no entry in values`);
    return elementCount(s);
  };
  const loops: LoopCost[] = [];
  const last = plan.parties[plan.parties.length - 1]!;

  const scope = (nodes: PlanNode[], rounds: number, depth: number): Traffic => {
    // (round, from, to) -> bytes: one message per key.
    const perRound = new Map<string, number>();
    const add = (round: number, from: string, to: string, bytes: number): void => {
      if (from === to || bytes === 0) return;
      const k = `${round}\u0000${from}\u0000${to}`;
      perRound.set(k, (perRound.get(k) ?? 0) + bytes);
    };
    const t = emptyTraffic(rounds);
    const nested: Traffic[] = [];
    for (const n of nodes) {
      switch (n.kind) {
        case "open":
          for (const a of n.args) {
            t.openedElements += size(a);
            for (const from of plan.parties) for (const to of n.to) add(n.round, from, to, BYTES_PER_ELEMENT * size(a));
          }
          break;
        case "send":
          for (const to of n.to) add(n.round, n.from, to, BYTES_PER_ELEMENT * size(n.value));
          break;
        case "dealer": {
          const wire = dealerItemWireElements(n.item, n.attrs);
          t.dealer.items += 1;
          t.dealer.bytes += BYTES_PER_ELEMENT * wire;
          addRandomness(t.randomness, n.item, n.attrs, 1, wire);
          break;
        }
        case "loop": {
          const lc = loopCost(n, depth);
          nested.push(lc.total);
          break;
        }
        default:
          break;
      }
    }
    const pairs = new Map<string, PairTraffic>();
    for (const [k, bytes] of perRound) {
      const [, from, to] = k.split("\u0000") as [string, string, string];
      const pk = `${from}\u0000${to}`;
      const p = pairs.get(pk) ?? { from, to, messages: 0, bytes: 0 };
      p.messages += 1;
      p.bytes += bytes;
      pairs.set(pk, p);
    }
    t.pairs = [...pairs.values()];
    for (const x of nested) mergeInto(t, x, 1);
    t.pairs.sort(pairOrder(plan.parties));
    t.messages = t.pairs.reduce((a, p) => a + p.messages, 0);
    t.bytes = t.pairs.reduce((a, p) => a + p.bytes, 0);
    return t;
  };

  const loopCost = (l: LoopNode, depth: number): LoopCost => {
    const entry: LoopCost = { id: l.id, count: l.count, depth, perIteration: emptyTraffic(0), total: emptyTraffic(0) };
    if (l.src) entry.src = l.src;
    loops.push(entry);
    entry.perIteration = scope(l.body, l.rounds, depth + 1);
    const total = emptyTraffic(l.count * l.rounds);
    mergeInto(total, entry.perIteration, l.count);
    entry.total = total;
    return entry;
  };

  const total = scope(plan.body, plan.rounds, 0);
  // Loops were pushed as they were met (inner before outer finished): order by position.
  loops.sort((a, b) => (a.src?.line ?? 0) - (b.src?.line ?? 0) || a.depth - b.depth);
  const offline = plan.parties.map((p) => ({ to: p, bytes: SEED_BYTES + (p === last ? total.dealer.bytes : 0) }));
  return { program: plan.program, parties: [...plan.parties], dealerCorrectionsTo: last, total, loops, offline };
}

function emptyTraffic(rounds: number): Traffic {
  return { rounds, messages: 0, bytes: 0, pairs: [], openedElements: 0, dealer: { items: 0, bytes: 0 }, randomness: [] };
}

/** Add `k` times `x`'s traffic into `t` (pairs, randomness, dealer; rounds are the caller's). */
function mergeInto(t: Traffic, x: Traffic, k: number): void {
  t.openedElements += k * x.openedElements;
  t.dealer.items += k * x.dealer.items;
  t.dealer.bytes += k * x.dealer.bytes;
  for (const r of x.randomness) addRandomness(t.randomness, r.item, r.attrs, k * r.count, k * r.wireElements);
  for (const p of x.pairs) {
    const q = t.pairs.find((y) => y.from === p.from && y.to === p.to);
    if (q) {
      q.messages += k * p.messages;
      q.bytes += k * p.bytes;
    } else t.pairs.push({ from: p.from, to: p.to, messages: k * p.messages, bytes: k * p.bytes });
  }
  t.messages = t.pairs.reduce((a, p) => a + p.messages, 0);
  t.bytes = t.pairs.reduce((a, p) => a + p.bytes, 0);
}

function addRandomness(list: RandomnessCount[], item: string, attrs: Record<string, unknown>, count: number, wire: number): void {
  const key = JSON.stringify(attrs);
  const r = list.find((x) => x.item === item && JSON.stringify(x.attrs) === key);
  if (r) {
    r.count += count;
    r.wireElements += wire;
  } else list.push({ item, attrs, count, wireElements: wire });
}

function pairOrder(parties: string[]) {
  return (a: PairTraffic, b: PairTraffic): number =>
    parties.indexOf(a.from) - parties.indexOf(b.from) || parties.indexOf(a.to) - parties.indexOf(b.to);
}

export interface Network {
  /** One-way latency per round, milliseconds. */
  latencyMs: number;
  /** Bandwidth of each party-to-party link, megabits per second. */
  bandwidthMbit: number;
}

export interface WallTimeEstimate {
  /** rounds x latency. */
  latencyMs: number;
  /** The busiest ordered pair's bytes over its link (links work in parallel). */
  transferMs: number;
  onlineMs: number;
  /** The dealer's offline traffic to the party that receives the most. */
  offlineMs: number;
}

/** rounds x latency + bytes / bandwidth, with every party pair on its own link. */
export function estimateWallTime(cost: CostReport, net: Network): WallTimeEstimate {
  const bytesPerMs = (net.bandwidthMbit * 1e6) / 8 / 1000;
  const busiest = Math.max(0, ...cost.total.pairs.map((p) => p.bytes));
  const latencyMs = cost.total.rounds * net.latencyMs;
  const transferMs = busiest / bytesPerMs;
  const offlineBytes = Math.max(0, ...cost.offline.map((o) => o.bytes));
  return { latencyMs, transferMs, onlineMs: latencyMs + transferMs, offlineMs: net.latencyMs + offlineBytes / bytesPerMs };
}
