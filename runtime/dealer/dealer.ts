// The trusted dealer's offline phase (a runtime role, not a party of the program). The plan
// lists every dealer node and every loop count, so before the online phase starts the dealer
// walks the plan once and makes every item the run will consume: for each item, each party's
// shares come from the PRG seed it shares with that party, and only the last party's
// correction shares are sent, in plan order, in frames of at most FRAME_BYTES.
// The dealer never sees an input or a share of one: it reads only the plan and its seeds.

import type { Plan, PlanNode } from "../plan/plan.js";
import type { Transport } from "../transport/index.js";
import { dealerLabel, itemLayout, makeCorrections } from "./items.js";

/** Frames are cut at about this many payload bytes (one item may exceed it). */
export const FRAME_BYTES = 32 << 20;
/** The label of the frame that ends the dealer's stream. */
export const DEALER_END = "dealer/end";

export interface DealerStats {
  /** Time spent making and sending the items. */
  offlineMs: number;
  /** Bytes on the dealer's wire (payload and headers). */
  bytes: number;
  /** Items made (dealer nodes times loop iterations). */
  items: number;
  /** Correction elements sent. */
  elements: number;
}

/** Every dealer-node execution of the plan, in the order the parties consume them. */
export function* dealerSchedule(body: readonly PlanNode[], iter: number[] = []): Generator<{ label: string; item: string; attrs: Record<string, unknown> }> {
  for (const node of body) {
    if (node.kind === "dealer") yield { label: dealerLabel(node.id, iter), item: node.item, attrs: node.attrs };
    else if (node.kind === "loop") {
      for (let i = 0; i < node.count; i++) yield* dealerSchedule(node.body, [...iter, i]);
    }
  }
}

/**
 * Run the offline phase: `seeds` holds the seed the dealer shares with each compute party (in
 * plan.parties order); corrections go to the last party over `transport`.
 */
export function runDealer(
  plan: Plan,
  seeds: readonly Uint8Array[],
  transport: Transport,
  /** The items in order (default: the plan's; a generated dealer module lists the same). */
  schedule: Iterable<{ label: string; item: string; attrs: Record<string, unknown> }> = dealerSchedule(plan.body),
): DealerStats {
  const t0 = performance.now();
  if (seeds.length !== plan.parties.length) throw new Error("internal: the dealer needs one seed per compute party");
  const last = plan.parties[plan.parties.length - 1]!;
  let items = 0;
  let elements = 0;
  let labels: string[] = [];
  let buffers: ArrayBuffer[] = [];
  let pending = 0;
  const flush = (final: boolean): void => {
    if (final) labels.push(DEALER_END);
    if (labels.length === 0) return;
    transport.send(last, { round: -1, where: final ? "the end of the dealer's stream" : "the dealer's offline stream", nodes: labels }, buffers);
    labels = [];
    buffers = [];
    pending = 0;
  };
  for (const { label, item, attrs } of schedule) {
    const corrections = makeCorrections(item, attrs, label, seeds);
    items++;
    corrections.forEach((c, k) => {
      labels.push(`${label}#${k}`);
      // transfer the buffer itself when the array owns all of it, else a copy
      buffers.push(c.byteOffset === 0 && c.buffer.byteLength === c.byteLength ? (c.buffer as ArrayBuffer) : (c.slice().buffer as ArrayBuffer));
      pending += c.byteLength;
      elements += c.length;
    });
    if (pending >= FRAME_BYTES) flush(false);
  }
  flush(true);
  const sent = transport.stats().sent;
  return { offlineMs: performance.now() - t0, bytes: sent.reduce((n, p) => n + p.bytes, 0), items, elements };
}

/** The last party's end of the dealer's stream: frames are drained into a queue up front
 *  (the offline phase) and taken in plan order during the online phase. */
export class DealerInbox {
  private readonly queue: { label: string; data: BigUint64Array }[] = [];
  private head = 0;
  private ended = false;

  constructor(
    private readonly transport: Transport,
    private readonly peer = "dealer",
  ) {}

  /** Receive frames until the end of the stream. */
  async drain(): Promise<void> {
    while (!this.ended) {
      const f = await this.transport.receiveNext(this.peer, "the dealer's offline stream");
      let b = 0;
      for (const label of f.tag.nodes) {
        if (label === DEALER_END) {
          this.ended = true;
          continue;
        }
        const buf = f.payload[b++];
        if (!buf) throw new Error(`internal: the dealer's frame lacks the data of ${label}`);
        this.queue.push({ label, data: new BigUint64Array(buf) });
      }
    }
  }

  /** The correction shares of the item `label` (count of them), which must be next. */
  take(label: string, count: number): BigUint64Array[] {
    const out: BigUint64Array[] = [];
    for (let k = 0; k < count; k++) {
      const want = `${label}#${k}`;
      const next = this.queue[this.head];
      if (!next) throw new Error(`the dealer's stream ended before item ${want}: the dealer and the parties run different plans`);
      if (next.label !== want) throw new Error(`the dealer sent item ${next.label} where the party expected ${want}: the dealer and the parties run different plans`);
      this.queue[this.head++] = undefined as never; // drop the reference: memory stays flat
      out.push(next.data);
    }
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
    return out;
  }
}

/** A party's count of correction shares for an item (its correlated outputs). */
export function correctionCount(item: string, attrs: Record<string, unknown>): number {
  return itemLayout(item, attrs).filter((o) => o.correlated).length;
}
