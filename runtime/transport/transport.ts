// The transport interface between parties (and from the dealer): framed messages, each with a
// header saying which round and which plan nodes its payload belongs to, so a receiver that
// expects something else aborts with an error naming the peer and the round instead of
// computing on the wrong data. Receives time out with a clear error, never hang.
// Implementations: ./in-process.ts (worker_threads MessagePorts); TCP/TLS later, behind the
// same interface. A transport never logs or inspects a payload: payloads are shares.

/** What a frame carries, as both sides compute it from the plan. */
export interface FrameTag {
  /** Index of the communication round in this run (both sides count the same rounds);
   *  -1 for the dealer's offline stream. */
  round: number;
  /** Where in the plan, for error messages (e.g. "plan round 3, iteration 4 of loop n12"). */
  where: string;
  /** Plan node ids (or dealer item labels) whose data the payload holds, in order. */
  nodes: string[];
}

export interface Frame {
  from: string;
  to: string;
  tag: FrameTag;
  /** The payload, as one or more byte buffers (transferred, not copied, in process). */
  payload: ArrayBuffer[];
}

export interface PairStats {
  from: string;
  to: string;
  messages: number;
  bytes: number;
}

export interface RoundStats {
  round: number;
  messages: number;
  bytes: number;
}

export interface TransportStats {
  /** What this endpoint sent, per receiver. */
  sent: PairStats[];
  /** What this endpoint sent, per round (round -1: the dealer's offline stream). */
  perRound: RoundStats[];
}

export interface Transport {
  /** This endpoint's name (a party, or "dealer"). */
  readonly self: string;
  /** Send one frame to `peer`. The payload buffers are handed over: the caller must not use
   *  them afterwards (in process they are transferred). */
  send(peer: string, tag: FrameTag, payload: ArrayBuffer[]): void;
  /** The next frame from `peer`, which must carry exactly `tag`'s round and nodes. */
  receive(peer: string, tag: FrameTag): Promise<ArrayBuffer[]>;
  /** The next frame from `peer`, whatever it carries (for the dealer's stream). */
  receiveNext(peer: string, what: string): Promise<Frame>;
  stats(): TransportStats;
  /** Release the channels (pending receives reject). */
  close(): void;
}

/** A communication failure: a mismatched frame, a timeout, a lost peer. Never holds data. */
export class TransportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TransportError";
  }
}

/** Header bytes counted per frame (the tag is small; we count it so bytes are honest). */
export function tagBytes(tag: FrameTag): number {
  return 16 + tag.where.length + tag.nodes.reduce((n, s) => n + s.length + 1, 0);
}

export function describeTag(tag: FrameTag): string {
  const nodes = tag.nodes.length > 6 ? `${tag.nodes.slice(0, 6).join(", ")}, … (${tag.nodes.length} in all)` : tag.nodes.join(", ");
  return `round ${tag.round} (${tag.where}; nodes ${nodes || "none"})`;
}

/** Throw unless a received frame carries what the receiver expects. */
export function checkTag(self: string, peer: string, expected: FrameTag, got: FrameTag): void {
  const same = got.round === expected.round && got.nodes.length === expected.nodes.length && got.nodes.every((n, i) => n === expected.nodes[i]);
  if (!same) {
    throw new TransportError(
      `party ${self} expected ${describeTag(expected)} from ${peer}, but received ${describeTag(got)}: ` +
        `the parties are not executing the same plan in step`,
    );
  }
}

/** Counters for what one endpoint sends. */
export class SendCounter {
  private readonly pairs = new Map<string, PairStats>();
  private readonly rounds = new Map<number, RoundStats>();

  constructor(private readonly self: string) {}

  count(peer: string, round: number, bytes: number): void {
    let p = this.pairs.get(peer);
    if (!p) this.pairs.set(peer, (p = { from: this.self, to: peer, messages: 0, bytes: 0 }));
    p.messages++;
    p.bytes += bytes;
    let r = this.rounds.get(round);
    if (!r) this.rounds.set(round, (r = { round, messages: 0, bytes: 0 }));
    r.messages++;
    r.bytes += bytes;
  }

  stats(): TransportStats {
    return {
      sent: [...this.pairs.values()].map((p) => ({ ...p })),
      perRound: [...this.rounds.values()].sort((a, b) => a.round - b.round).map((r) => ({ ...r })),
    };
  }
}
