// The in-process transport: each party (and the dealer) runs in its own worker thread, with
// one MessagePort per peer. Payload buffers are transferred (moved, not copied) between
// threads. Frames from one peer arrive in order; a receive waits at most `timeoutMs`. When a
// peer's port closes (its thread ended) pending and later receives fail at once.
// Never logs, inspects or keeps a payload after handing it to the receiver.

import type { MessagePort } from "node:worker_threads";
import { FrameInbox } from "./inbox.js";
import {
  checkTag,
  describeTag,
  type Frame,
  type FrameTag,
  SendCounter,
  type Transport,
  TransportError,
  type TransportStats,
  tagBytes,
} from "./transport.js";

/** How long a receive waits for a peer's frame. A peer in the middle of one long local
 *  computation is silent too, so this is generous; raise it for single operations that take
 *  minutes. A peer thread that dies is noticed at once, not by this timeout. */
export const DEFAULT_TIMEOUT_MS = 120_000;

interface PeerChannel {
  port: MessagePort;
  inbox: FrameInbox;
  closed: boolean;
}

export class PortTransport implements Transport {
  private readonly peers = new Map<string, PeerChannel>();
  private readonly counter: SendCounter;

  constructor(
    readonly self: string,
    ports: ReadonlyMap<string, MessagePort>,
    private readonly timeoutMs = DEFAULT_TIMEOUT_MS,
  ) {
    this.counter = new SendCounter(self);
    for (const [peer, port] of ports) {
      const ch: PeerChannel = { port, inbox: new FrameInbox(), closed: false };
      this.peers.set(peer, ch);
      port.on("message", (f: Frame) => ch.inbox.deliver(f));
      port.on("close", () => {
        ch.closed = true;
        ch.inbox.failAll(() => new TransportError(`party ${self} lost the connection to ${peer}`));
      });
    }
  }

  private channel(peer: string): PeerChannel {
    const ch = this.peers.get(peer);
    if (!ch) throw new TransportError(`party ${this.self} has no channel to ${peer}`);
    return ch;
  }

  send(peer: string, tag: FrameTag, payload: ArrayBuffer[]): void {
    const ch = this.channel(peer);
    const frame: Frame = { from: this.self, to: peer, tag, payload };
    let bytes = tagBytes(tag);
    for (const b of payload) bytes += b.byteLength;
    this.counter.count(peer, tag.round, bytes);
    ch.port.postMessage(frame, payload);
  }

  async receive(peer: string, tag: FrameTag): Promise<ArrayBuffer[]> {
    const f = await this.next(peer, describeTag(tag));
    checkTag(this.self, peer, tag, f.tag);
    return f.payload;
  }

  receiveNext(peer: string, what: string): Promise<Frame> {
    return this.next(peer, what);
  }

  private next(peer: string, what: string): Promise<Frame> {
    const ch = this.channel(peer);
    const queued = ch.inbox.take();
    if (queued) return Promise.resolve(queued);
    if (ch.closed) return Promise.reject(new TransportError(`party ${this.self} lost the connection to ${peer} while waiting for ${what}`));
    return ch.inbox.wait(what, this.timeoutMs, () => new TransportError(`party ${this.self} timed out after ${this.timeoutMs} ms waiting for ${peer}'s message of ${what}`));
  }

  stats(): TransportStats {
    return this.counter.stats();
  }

  close(): void {
    for (const [peer, ch] of this.peers) {
      ch.port.close();
      ch.closed = true;
      ch.inbox.failAll(() => new TransportError(`party ${this.self} closed its connection to ${peer}`));
    }
  }
}
