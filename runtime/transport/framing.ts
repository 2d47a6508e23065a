// Frames on a byte stream (TCP/TLS): a fixed 16-byte prefix — kind, header length, payload
// length — then a UTF-8 JSON header, then the payload bytes. A data frame's header is the
// FrameTag (round, where, node ids) and the byte length of each payload part, so the receiver
// gets back exactly the ArrayBuffers that were sent; control frames (hello, ready, bye, abort,
// refuse) carry only a header. The reader is incremental and checks everything against limits
// before allocating, so a malformed or oversized frame is an error naming what is wrong, not a
// crash or an allocation of whatever a peer claims. Never inspects or logs a payload.

import type { FrameTag } from "./transport.js";

export const PREFIX_BYTES = 16;

export const FrameKind = {
  data: 1,
  hello: 2,
  ready: 3,
  bye: 4,
  abort: 5,
  refuse: 6,
} as const;
export type FrameKind = (typeof FrameKind)[keyof typeof FrameKind];

const KIND_NAMES = new Map<number, string>(Object.entries(FrameKind).map(([k, v]) => [v, k]));

/** Default cap on one frame (header and payload): far above any round of a realistic plan
 *  (the dealer cuts its stream at 32 MiB), far below what would exhaust a party's memory. */
export const DEFAULT_MAX_FRAME_BYTES = 1 << 30;
/** Headers are small JSON (node ids); a larger one is malformed. */
export const MAX_HEADER_BYTES = 64 << 20;

export type ControlFrame =
  | { kind: typeof FrameKind.hello; header: Record<string, unknown> }
  | { kind: typeof FrameKind.ready | typeof FrameKind.bye; header: Record<string, unknown> }
  | { kind: typeof FrameKind.abort | typeof FrameKind.refuse; header: { message: string } };

export type DecodedFrame = { kind: typeof FrameKind.data; tag: FrameTag; payload: ArrayBuffer[]; wireBytes: number } | ControlFrame;

/** A frame's header error: the stream cannot be trusted after it. */
export class FrameError extends Error {}

function prefix(kind: number, headerBytes: number, payloadBytes: number): Buffer {
  const b = Buffer.alloc(PREFIX_BYTES);
  b.writeUInt8(kind, 0);
  b.writeUInt32BE(headerBytes, 4);
  b.writeUInt32BE(Math.floor(payloadBytes / 2 ** 32), 8);
  b.writeUInt32BE(payloadBytes >>> 0, 12);
  return b;
}

/** The buffers to write for one data frame (the payload is not copied). */
export function encodeData(tag: FrameTag, payload: readonly ArrayBuffer[]): Buffer[] {
  const header = Buffer.from(JSON.stringify({ round: tag.round, where: tag.where, nodes: tag.nodes, parts: payload.map((p) => p.byteLength) }), "utf8");
  const total = payload.reduce((n, p) => n + p.byteLength, 0);
  return [prefix(FrameKind.data, header.length, total), header, ...payload.map((p) => Buffer.from(p))];
}

export function encodeControl(kind: Exclude<FrameKind, typeof FrameKind.data>, header: Record<string, unknown>): Buffer {
  const h = Buffer.from(JSON.stringify(header), "utf8");
  return Buffer.concat([prefix(kind, h.length, 0), h]);
}

interface Pending {
  kind: number;
  headerBytes: number;
  payloadBytes: number;
  header?: { tag: FrameTag; parts: number[] } | Record<string, unknown>;
  /** Data frames: one buffer per part, filled as bytes arrive. */
  parts?: Uint8Array[];
  part: number;
  partOff: number;
  got: number;
}

/** Incremental frame parser for one peer's stream. */
export class FrameReader {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private pending: Pending | undefined;

  constructor(private readonly maxFrameBytes = DEFAULT_MAX_FRAME_BYTES) {}

  /** Feed bytes; returns the frames they complete, in order. Throws FrameError. */
  push(chunk: Buffer): DecodedFrame[] {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const out: DecodedFrame[] = [];
    for (;;) {
      const f = this.step();
      if (!f) return out;
      out.push(f);
    }
  }

  /** Whether a frame has begun but not finished (a stream that ends here was cut mid-frame). */
  get midFrame(): boolean {
    return this.buffered > 0 || this.pending !== undefined;
  }

  private take(n: number): Buffer {
    const first = this.chunks[0]!;
    let out: Buffer;
    if (first.length >= n) {
      out = first.subarray(0, n);
      if (first.length === n) this.chunks.shift();
      else this.chunks[0] = first.subarray(n);
    } else {
      out = Buffer.allocUnsafe(n);
      let off = 0;
      while (off < n) {
        const c = this.chunks[0]!;
        const k = Math.min(c.length, n - off);
        c.copy(out, off, 0, k);
        off += k;
        if (k === c.length) this.chunks.shift();
        else this.chunks[0] = c.subarray(k);
      }
    }
    this.buffered -= n;
    return out;
  }

  private step(): DecodedFrame | undefined {
    if (!this.pending) {
      if (this.buffered < PREFIX_BYTES) return undefined;
      const p = this.take(PREFIX_BYTES);
      const kind = p.readUInt8(0);
      if (!KIND_NAMES.has(kind) || p.readUInt8(1) !== 0 || p.readUInt16BE(2) !== 0) throw new FrameError(`a frame of unknown kind ${kind}`);
      const headerBytes = p.readUInt32BE(4);
      const payloadBytes = p.readUInt32BE(8) * 2 ** 32 + p.readUInt32BE(12);
      if (headerBytes === 0 || headerBytes > MAX_HEADER_BYTES) throw new FrameError(`a frame header of ${headerBytes} bytes`);
      if (headerBytes + payloadBytes > this.maxFrameBytes) {
        throw new FrameError(`a frame of ${headerBytes + payloadBytes} bytes, over the limit of ${this.maxFrameBytes} bytes`);
      }
      if (kind !== FrameKind.data && payloadBytes !== 0) throw new FrameError(`a ${KIND_NAMES.get(kind)} frame with a payload`);
      this.pending = { kind, headerBytes, payloadBytes, part: 0, partOff: 0, got: 0 };
    }
    const f = this.pending;
    if (!f.header) {
      if (this.buffered < f.headerBytes) return undefined;
      const text = this.take(f.headerBytes).toString("utf8");
      let header: unknown;
      try {
        header = JSON.parse(text);
      } catch {
        throw new FrameError("a frame whose header is not JSON");
      }
      if (header === null || typeof header !== "object" || Array.isArray(header)) throw new FrameError("a frame whose header is not an object");
      if (f.kind === FrameKind.data) {
        const h = header as Record<string, unknown>;
        const parts = h["parts"];
        const ok =
          Number.isInteger(h["round"]) &&
          typeof h["where"] === "string" &&
          Array.isArray(h["nodes"]) &&
          (h["nodes"] as unknown[]).every((n) => typeof n === "string") &&
          Array.isArray(parts) &&
          parts.every((n) => Number.isInteger(n) && n >= 0);
        if (!ok) throw new FrameError("a data frame with a malformed header");
        const sizes = parts as number[];
        if (sizes.reduce((a, b) => a + b, 0) !== f.payloadBytes) throw new FrameError("a data frame whose parts do not add up to its payload length");
        f.header = { tag: { round: h["round"] as number, where: h["where"] as string, nodes: h["nodes"] as string[] }, parts: sizes };
        f.parts = sizes.map((n) => new Uint8Array(n));
      } else {
        const h = header as Record<string, unknown>;
        if ((f.kind === FrameKind.abort || f.kind === FrameKind.refuse) && typeof h["message"] !== "string") {
          throw new FrameError(`a ${KIND_NAMES.get(f.kind)} frame without a message`);
        }
        f.header = h;
      }
    }
    if (f.kind !== FrameKind.data) {
      this.pending = undefined;
      return { kind: f.kind, header: f.header } as ControlFrame;
    }
    // copy payload bytes straight into the parts' own buffers
    const parts = f.parts!;
    while (f.got < f.payloadBytes && this.buffered > 0) {
      while (parts[f.part]!.length === f.partOff) {
        f.part++;
        f.partOff = 0;
      }
      const dst = parts[f.part]!;
      const c = this.chunks[0]!;
      const k = Math.min(c.length, dst.length - f.partOff);
      dst.set(c.subarray(0, k), f.partOff);
      f.partOff += k;
      f.got += k;
      this.buffered -= k;
      if (k === c.length) this.chunks.shift();
      else this.chunks[0] = c.subarray(k);
    }
    if (f.got < f.payloadBytes) return undefined;
    this.pending = undefined;
    const h = f.header as { tag: FrameTag; parts: number[] };
    return { kind: FrameKind.data, tag: h.tag, payload: parts.map((p) => p.buffer as ArrayBuffer), wireBytes: PREFIX_BYTES + f.headerBytes + f.payloadBytes };
  }
}

export function kindName(kind: number): string {
  return KIND_NAMES.get(kind) ?? `kind ${kind}`;
}
