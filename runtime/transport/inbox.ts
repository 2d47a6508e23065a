// One peer's incoming frames as a transport hands them to receives: frames that arrived before
// anyone asked wait in order; receives that asked first wait (each with its own timeout) and
// get frames in the order they arrive. Shared by the in-process and TLS transports, which
// differ only in how frames arrive and how a channel fails. Never looks into a payload.

import type { Frame } from "./transport.js";

interface Waiter {
  /** What is awaited, for messages ("round 3 (plan round 2; nodes …)"). */
  what: string;
  resolve: (f: Frame) => void;
  reject: (e: Error) => void;
}

export class FrameInbox {
  private readonly queue: Frame[] = [];
  private readonly waiters: Waiter[] = [];

  /** A frame arrived: to the oldest waiting receive, else queued. */
  deliver(f: Frame): void {
    const w = this.waiters.shift();
    if (w) w.resolve(f);
    else this.queue.push(f);
  }

  /** The oldest frame that arrived before anyone asked for it. */
  take(): Frame | undefined {
    return this.queue.shift();
  }

  /** Wait for the next frame; after `timeoutMs` reject with `timedOut()`. */
  wait(what: string, timeoutMs: number, timedOut: () => Error): Promise<Frame> {
    return new Promise<Frame>((resolve, reject) => {
      const timer = setTimeout(() => {
        const i = this.waiters.indexOf(w);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(timedOut());
      }, timeoutMs);
      const w: Waiter = {
        what,
        resolve: (f) => {
          clearTimeout(timer);
          resolve(f);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      this.waiters.push(w);
    });
  }

  /** What the oldest waiting receive waits for, if any. */
  firstWaiting(): string | undefined {
    return this.waiters[0]?.what;
  }

  /** Reject every waiting receive, each with the error for what it waited for. */
  failAll(error: (what: string) => Error): void {
    for (const w of this.waiters.splice(0)) w.reject(error(w.what));
  }
}
