// A party's offline preparation: everything it will consume that does not depend on any
// input can be derived before the online phase starts, while the dealer works. That is its
// shares of every dealer item (from the seed it shares with the dealer; the last party's
// corrections from the dealer's stream) and the pseudo-random masks of every input sharing
// (from the seeds it shares with the other parties). They are derived in plan order up to a
// memory budget; whatever is beyond the budget is derived on the fly when the node runs, so
// the result is the same either way. Holds only randomness, never an input.

import { correctionCount, dealerLabel, type DealerInbox, itemLayout, outputStream, partyShares } from "../dealer/index.js";
import type { Plan, PlanNode } from "../plan/plan.js";
import { Prg } from "../random/index.js";
import { type RingTensor, size } from "../ring/index.js";
import { shareLabel } from "./sharing.js";

/** Bytes of randomness a party derives ahead of the online phase (the rest on the fly). */
export const DEFAULT_OFFLINE_BUDGET = 256 << 20;

type Step =
  | { kind: "dealer"; label: string; item: string; attrs: Record<string, unknown> }
  | { kind: "share"; label: string; owner: string; n: number };

/** Every dealer and share node execution, in the order the executor reaches them. */
function* offlineSchedule(plan: Plan, body: readonly PlanNode[], iter: number[], sizes: Map<string, number>): Generator<Step> {
  for (const node of body) {
    if (node.kind === "dealer") yield { kind: "dealer", label: dealerLabel(node.id, iter), item: node.item, attrs: node.attrs };
    else if (node.kind === "share" && node.owner !== "public") {
      yield { kind: "share", label: shareLabel(node.id, iter), owner: node.owner, n: sizes.get(node.from) ?? 0 };
    } else if (node.kind === "loop") {
      for (let i = 0; i < node.count; i++) yield* offlineSchedule(plan, node.body, [...iter, i], sizes);
    }
  }
}

export interface OfflineConfig {
  plan: Plan;
  party: string;
  pairSeeds: ReadonlyMap<string, Uint8Array>;
  dealerSeed: Uint8Array;
  dealerInbox?: DealerInbox;
}

export class OfflineStore {
  // `pending`: the last party's items prepared before the dealer's corrections arrived; their
  // correlated outputs are filled from the inbox when the online phase takes them
  private readonly dealerQueue: { label: string; item: string; attrs: Record<string, unknown>; shares: (RingTensor | undefined)[]; pending: boolean }[] = [];
  private readonly shareQueue: { label: string; mask: BigUint64Array }[] = [];
  private dealerHead = 0;
  private shareHead = 0;
  private readonly last: boolean;
  private readonly index: number;

  constructor(private readonly cfg: OfflineConfig) {
    this.index = cfg.plan.parties.indexOf(cfg.party);
    this.last = this.index === cfg.plan.parties.length - 1;
  }

  /** Derive, in plan order, up to `budget` bytes of what the online phase will consume. The last
   *  party may call this before its dealer inbox is drained (so its derivation overlaps the
   *  dealer's work): corrections are then taken from the inbox only when each item is used. */
  prepare(budget = DEFAULT_OFFLINE_BUDGET): void {
    const sizes = new Map(this.cfg.plan.values.map((v) => [v.id, v.shape.reduce((a, d) => a * d, 1)]));
    let used = 0;
    for (const step of offlineSchedule(this.cfg.plan, this.cfg.plan.body, [], sizes)) {
      if (used >= budget) break;
      if (step.kind === "dealer") {
        const pending = this.last && correctionCount(step.item, step.attrs) > 0;
        const shares = pending ? this.deriveOwnOutputs(step.label, step.item, step.attrs) : this.deriveDealer(step.label, step.item, step.attrs);
        for (const s of shares) used += s?.data.byteLength ?? 0;
        this.dealerQueue.push({ label: step.label, item: step.item, attrs: step.attrs, shares, pending });
      } else {
        const mask = this.deriveMask(step.label, step.owner, step.n);
        used += mask.byteLength;
        this.shareQueue.push({ label: step.label, mask });
      }
    }
  }

  /** This party's shares of a dealer node's item (prepared, or derived now). */
  dealerShares(label: string, item: string, attrs: Record<string, unknown>): (RingTensor | undefined)[] {
    const next = this.dealerQueue[this.dealerHead];
    if (next) {
      if (next.label !== label) throw new Error(`internal: offline dealer items out of order: ${next.label} prepared, ${label} needed`);
      this.dealerQueue[this.dealerHead++] = undefined as never; // drop: memory stays flat
      return next.pending ? this.fillCorrections(next.label, next.item, next.attrs, next.shares) : next.shares;
    }
    return this.deriveDealer(label, item, attrs);
  }

  /** For a share node: a non-owner's share, or the owner's sum of the others' shares. */
  shareMask(label: string, owner: string, n: number): BigUint64Array {
    const next = this.shareQueue[this.shareHead];
    if (next) {
      if (next.label !== label) throw new Error(`internal: offline share masks out of order: ${next.label} prepared, ${label} needed`);
      this.shareQueue[this.shareHead++] = undefined as never;
      return next.mask;
    }
    return this.deriveMask(label, owner, n);
  }

  private deriveDealer(label: string, item: string, attrs: Record<string, unknown>): (RingTensor | undefined)[] {
    const count = correctionCount(item, attrs);
    let corrections: BigUint64Array[] | undefined;
    if (this.last && count > 0) {
      if (!this.cfg.dealerInbox) throw new Error("internal: the last party has no dealer inbox");
      corrections = this.cfg.dealerInbox.take(label, count);
    }
    return partyShares(item, attrs, label, this.cfg.dealerSeed, corrections, this.index);
  }

  /** The last party's shares of the item's non-correlated outputs (undefined where correlated
   *  or owned by another party): what partyShares derives, without the corrections. */
  private deriveOwnOutputs(label: string, item: string, attrs: Record<string, unknown>): (RingTensor | undefined)[] {
    return itemLayout(item, attrs).map((o, k) => {
      if (o.correlated || (o.owner !== undefined && o.owner !== this.index)) return undefined;
      return { data: outputStream(this.cfg.dealerSeed, label, k, size(o.shape)), shape: [...o.shape] };
    });
  }

  /** Complete a pending item with its corrections from the dealer's inbox (checked as in partyShares). */
  private fillCorrections(label: string, item: string, attrs: Record<string, unknown>, shares: (RingTensor | undefined)[]): (RingTensor | undefined)[] {
    if (!this.cfg.dealerInbox) throw new Error("internal: the last party has no dealer inbox");
    const layout = itemLayout(item, attrs);
    const corrections = this.cfg.dealerInbox.take(label, correctionCount(item, attrs));
    let c = 0;
    layout.forEach((o, k) => {
      if (!o.correlated) return;
      const data = corrections[c++];
      if (!data || data.length !== size(o.shape)) throw new Error(`internal: dealer correction for ${label} output ${o.name} has the wrong size`);
      shares[k] = { data, shape: [...o.shape] };
    });
    return shares;
  }

  private deriveMask(label: string, owner: string, n: number): BigUint64Array {
    const { party, pairSeeds, plan } = this.cfg;
    const seed = (q: string): Uint8Array => {
      const s = pairSeeds.get(q);
      if (!s) throw new Error(`internal: party ${party} has no seed shared with ${q}`);
      return s;
    };
    if (party !== owner) return new Prg(seed(owner), label).ring(n);
    let mask: BigUint64Array | undefined;
    for (const q of plan.parties) {
      if (q === owner) continue;
      const r = new Prg(seed(q), label).ring(n);
      if (!mask) mask = r;
      else for (let i = 0; i < n; i++) mask[i] = BigInt.asUintN(64, mask[i]! + r[i]!);
    }
    return mask ?? new BigUint64Array(n);
  }
}
