// The TCP transport between separate processes or hosts: TLS 1.3 only, both ends authenticated
// by certificates of the deployment (config.ts), one connection per pair of endpoints. Of each
// pair, the endpoint whose name sorts first dials and the other listens, so parties may start
// in any order: a dialer retries with backoff until the connect timeout. On each connection
// both ends first exchange a hello (handshake.ts) and refuse a wrong peer, plan or version;
// then frames (framing.ts) carry exactly what the in-process transport carries, counted the
// same way (so measured traffic equals the compiler's cost), optionally delayed and paced to
// simulate a slower network (--latency, --bandwidth).
// Pairwise PRG seeds come from the TLS key exchange itself (the RFC 8446 exporter), so no
// seed is ever sent. Failures — a lost connection, a peer's abort, a malformed or oversized
// frame, a stalled peer — reject with an error naming the peer and the round, and abort the
// run at every other party: never a hang. Never logs or inspects a payload.

import { type ConnectionOptions, connect as tlsConnect, createServer, type Server, type TLSSocket } from "node:tls";
import { X509Certificate } from "node:crypto";
import { UserError } from "../../grammar/diagnostic.js";
import { type Credentials, certName, DEALER, type DeploymentConfig, endpoints } from "./config.js";
import { type DecodedFrame, DEFAULT_MAX_FRAME_BYTES, encodeControl, encodeData, FrameError, FrameKind, FrameReader } from "./framing.js";
import { type Hello, parseHello, refusal } from "./handshake.js";
import { FrameInbox } from "./inbox.js";
import { checkTag, describeTag, type Frame, type FrameTag, SendCounter, type Transport, TransportError, type TransportStats, tagBytes } from "./transport.js";
import { normaliseFingerprint } from "./x509.js";

export const DEFAULT_CONNECT_TIMEOUT_MS = 30_000;
/** Bytes of a pairwise seed (as runtime/random's SEED_BYTES). */
const SEED_BYTES = 16;
const EXPORTER_LABEL = "EXPORTER-mpc-pairwise-seed-v1";

export interface LinkShape {
  /** One-way delay added to every frame, in ms. */
  latencyMs?: number;
  /** Pace each link's frames at this many Mbit/s. */
  bandwidthMbit?: number;
}

export interface MeshOptions extends LinkShape {
  config: DeploymentConfig;
  credentials: Credentials;
  /** The endpoints to connect with (compute parties, and "dealer"). */
  peers: string[];
  /** What this endpoint runs (its hello). */
  hello: Hello;
  /** Give up connecting after this long (default 30 s). */
  connectTimeoutMs?: number;
  /** How long a receive waits for a peer's frame (default: the in-process default). */
  receiveTimeoutMs?: number;
  /** Largest frame accepted from a peer (default 1 GiB). */
  maxFrameBytes?: number;
  /** Address to listen on instead of the configured host (e.g. 0.0.0.0 behind NAT). */
  listenHost?: string;
  /** Status lines (connections, refusals) for the operator. */
  log?: (line: string) => void;
}

export interface LinkStats {
  peer: string;
  /** Frames and bytes (framing included) written to this peer, control frames too. */
  frames: number;
  frameBytes: number;
  /** Payload bytes of data frames only (what the compiler's cost counts). */
  payloadBytes: number;
}

/** A connection's failure, worded for what a party was waiting for when it happened. */
type Failure = (waitingFor: string | undefined) => TransportError;

interface Channel {
  peer: string;
  socket: TLSSocket;
  reader: FrameReader;
  inbox: FrameInbox;
  /** The peer said it is ready for the online phase / has finished / this end gave up. */
  ready: boolean;
  readyWaiter?: () => void;
  finished: boolean;
  /** This end has said goodbye (no data frame follows). */
  byeSent: boolean;
  failure?: Failure;
  seed: Uint8Array;
  /** Shaping: when the simulated link is next free, and frames waiting for their time. */
  linkFreeAt: number;
  outbox: { due: number; bufs: Buffer[] }[];
  timer?: NodeJS.Timeout;
  stats: LinkStats;
}

const RETRYABLE = new Set(["ECONNREFUSED", "ECONNRESET", "EHOSTUNREACH", "ENETUNREACH", "ETIMEDOUT", "EAI_AGAIN", "ENOTFOUND", "EPIPE", "ECONNABORTED"]);

/** A TLS failure as a sentence for the operator. */
export function tlsReason(e: NodeJS.ErrnoException): string {
  switch (e.code) {
    case "UNABLE_TO_VERIFY_LEAF_SIGNATURE":
    case "UNABLE_TO_GET_ISSUER_CERT":
    case "UNABLE_TO_GET_ISSUER_CERT_LOCALLY":
    case "SELF_SIGNED_CERT_IN_CHAIN":
    case "DEPTH_ZERO_SELF_SIGNED_CERT":
    case "CERT_SIGNATURE_FAILURE":
      return `its certificate is not issued by this deployment's CA (${e.code})`;
    case "CERT_HAS_EXPIRED":
      return "its certificate has expired";
    case "CERT_NOT_YET_VALID":
      return "its certificate is not valid yet";
    case "ERR_SSL_TLSV1_ALERT_UNKNOWN_CA":
    case "ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE":
    case "ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED":
    case "ERR_SSL_SSLV3_ALERT_CERTIFICATE_UNKNOWN":
      return `it rejected this endpoint's certificate (${e.code})`;
    case "ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION":
    case "ERR_SSL_UNSUPPORTED_PROTOCOL":
      return "it does not speak TLS 1.3";
    default:
      return e.message;
  }
}

/** Peer certificate checks beyond the CA: its name and, when pinned, its fingerprint. */
function peerIdentity(socket: TLSSocket, creds: Credentials): { name?: string; problem?: string } {
  const raw = socket.getPeerCertificate(false);
  if (!raw || !raw.raw) return { problem: "it presented no certificate" };
  const cert = new X509Certificate(raw.raw);
  const name = certName(cert);
  if (name === undefined) return { problem: `its certificate (subject ${cert.subject.replace(/\n/g, ", ")}) names no endpoint` };
  const pin = creds.pins.get(name);
  if (pin !== undefined) {
    const got = normaliseFingerprint(cert.fingerprint256);
    if (got !== pin) return { name, problem: `its certificate for ${name} has fingerprint ${got}, but parties.json pins ${pin}` };
  }
  return { name };
}

export class TlsTransport implements Transport {
  private readonly channels = new Map<string, Channel>();
  private readonly counter: SendCounter;
  private failure: TransportError | undefined;
  private failedReject!: (e: Error) => void;
  /** Rejects at the first failure of any connection (lost peer, abort, bad frame). */
  readonly failed: Promise<never>;
  private lastRound = -1;
  private closing = false;
  /** Re-checks peersFinished when a peer says goodbye or fails. */
  private doneWaiter: (() => void) | undefined;
  /** How messages name this endpoint: "party alice", "the dealer". */
  private readonly who: string;

  constructor(
    readonly self: string,
    private readonly receiveTimeoutMs: number,
    private readonly shape: LinkShape,
  ) {
    this.who = self === DEALER ? "the dealer" : `party ${self}`;
    this.counter = new SendCounter(self);
    this.failed = new Promise<never>((_, reject) => (this.failedReject = reject));
    this.failed.catch(() => undefined); // observed by whoever races it
  }

  // ---- connections ----

  /** Take over an authenticated connection whose hello exchange has completed. */
  adopt(peer: string, socket: TLSSocket, reader: FrameReader, early: DecodedFrame[], seed: Uint8Array): void {
    const ch: Channel = {
      peer,
      socket,
      reader,
      inbox: new FrameInbox(),
      ready: false,
      finished: false,
      byeSent: false,
      seed,
      linkFreeAt: 0,
      outbox: [],
      stats: { peer, frames: 0, frameBytes: 0, payloadBytes: 0 },
    };
    this.channels.set(peer, ch);
    socket.removeAllListeners("data");
    socket.on("data", (chunk: Buffer) => this.onData(ch, chunk));
    socket.on("close", () => this.onClose(ch));
    socket.on("error", () => undefined); // reported through "close"
    for (const f of early) this.onFrame(ch, f);
  }

  private onData(ch: Channel, chunk: Buffer): void {
    let frames: DecodedFrame[];
    try {
      frames = ch.reader.push(chunk);
    } catch (e) {
      const why = e instanceof FrameError ? e.message : String(e);
      this.channelFailed(ch, (w) => new TransportError(`${this.who} received a malformed frame from ${ch.peer} ${this.when(w)}: ${why}`));
      ch.socket.destroy();
      return;
    }
    for (const f of frames) this.onFrame(ch, f);
  }

  private onFrame(ch: Channel, f: DecodedFrame): void {
    if (ch.failure || ch.finished) return;
    switch (f.kind) {
      case FrameKind.data: {
        const frame: Frame = { from: ch.peer, to: this.self, tag: f.tag, payload: f.payload };
        ch.inbox.deliver(frame);
        return;
      }
      case FrameKind.ready:
        ch.ready = true;
        ch.readyWaiter?.();
        return;
      case FrameKind.bye:
        ch.finished = true;
        ch.inbox.failAll(() => this.finishedError(ch.peer, "its next message"));
        ch.readyWaiter?.();
        this.doneWaiter?.();
        return;
      case FrameKind.abort:
        this.channelFailed(ch, () => new TransportError(`${this.who} stopped because ${ch.peer} failed: ${f.header.message}`));
        return;
      case FrameKind.refuse:
        this.channelFailed(ch, () => new TransportError(`${ch.peer} refused the connection with ${this.self}: ${f.header.message}`));
        return;
      case FrameKind.hello:
        this.channelFailed(ch, (w) => new TransportError(`${this.who} received a second hello from ${ch.peer} ${this.when(w)}`));
        return;
    }
  }

  private onClose(ch: Channel): void {
    if (ch.timer) clearTimeout(ch.timer);
    if (ch.finished || ch.failure || this.closing) return;
    const cut = ch.reader.midFrame ? " in the middle of a frame" : "";
    this.channelFailed(ch, (w) => new TransportError(`${this.who} lost the connection to ${ch.peer}${cut} ${this.when(w)}`));
  }

  /** "while waiting for round 3 (…)", or where the run was if nothing was awaited. */
  private when(waitingFor: string | undefined): string {
    if (waitingFor !== undefined) return `while waiting for ${waitingFor}`;
    return this.lastRound < 0 ? "before the first round" : `after round ${this.lastRound}`;
  }

  private finishedError(peer: string, what: string): TransportError {
    return new TransportError(`${this.who} waits for ${what} from ${peer}, but ${peer} has finished its run: the parties are not executing the same plan`);
  }

  private channelFailed(ch: Channel, failure: Failure): void {
    if (ch.failure) return;
    ch.failure = failure;
    const first = failure(ch.inbox.firstWaiting());
    ch.inbox.failAll(failure);
    ch.readyWaiter?.();
    this.doneWaiter?.();
    if (!this.failure && !this.closing) {
      this.failure = first;
      this.failedReject(first);
    }
  }

  private channel(peer: string): Channel {
    const ch = this.channels.get(peer);
    if (!ch) throw new TransportError(`${this.who} has no connection to ${peer}`);
    return ch;
  }

  /** The seed this endpoint shares with `peer`, from the TLS key exchange of their connection. */
  sharedSeed(peer: string): Uint8Array {
    return this.channel(peer).seed;
  }

  // ---- sending, with optional shaping ----

  private write(ch: Channel, bufs: Buffer[], shaped = true): void {
    const bytes = bufs.reduce((n, b) => n + b.length, 0);
    ch.stats.frames++;
    ch.stats.frameBytes += bytes;
    const { latencyMs = 0, bandwidthMbit = 0 } = this.shape;
    if (!shaped || (latencyMs <= 0 && bandwidthMbit <= 0)) {
      this.put(ch, bufs);
      return;
    }
    // the link sends one frame at a time: it starts when the previous one has left, takes
    // bytes / bandwidth, and arrives one latency later
    const now = performance.now();
    const start = Math.max(now, ch.linkFreeAt);
    ch.linkFreeAt = start + (bandwidthMbit > 0 ? (bytes * 8) / (bandwidthMbit * 1000) : 0);
    ch.outbox.push({ due: ch.linkFreeAt + latencyMs, bufs });
    if (ch.outbox.length === 1) this.schedule(ch);
  }

  private schedule(ch: Channel): void {
    const head = ch.outbox[0];
    if (!head) return;
    ch.timer = setTimeout(() => {
      ch.timer = undefined;
      const now = performance.now();
      while (ch.outbox.length > 0 && ch.outbox[0]!.due <= now + 0.5) this.put(ch, ch.outbox.shift()!.bufs);
      this.schedule(ch);
      if (ch.outbox.length === 0) this.drained?.();
    }, Math.max(0, head.due - performance.now()));
  }

  private drained: (() => void) | undefined;

  private put(ch: Channel, bufs: Buffer[]): void {
    if (ch.socket.destroyed || ch.socket.writableEnded) return;
    ch.socket.cork();
    for (const b of bufs) ch.socket.write(b);
    ch.socket.uncork();
  }

  send(peer: string, tag: FrameTag, payload: ArrayBuffer[]): void {
    const ch = this.channel(peer);
    if (ch.failure) throw ch.failure(undefined);
    let bytes = 0;
    for (const b of payload) bytes += b.byteLength;
    this.counter.count(peer, tag.round, tagBytes(tag) + bytes);
    ch.stats.payloadBytes += bytes;
    if (tag.round > this.lastRound) this.lastRound = tag.round;
    this.write(ch, encodeData(tag, payload));
  }

  async receive(peer: string, tag: FrameTag): Promise<ArrayBuffer[]> {
    const f = await this.next(peer, describeTag(tag));
    checkTag(this.self, peer, tag, f.tag);
    if (tag.round > this.lastRound) this.lastRound = tag.round;
    return f.payload;
  }

  receiveNext(peer: string, what: string): Promise<Frame> {
    return this.next(peer, what);
  }

  private next(peer: string, what: string): Promise<Frame> {
    const ch = this.channel(peer);
    const queued = ch.inbox.take();
    if (queued) return Promise.resolve(queued);
    if (ch.failure) return Promise.reject(ch.failure(what));
    if (ch.finished) return Promise.reject(this.finishedError(peer, what));
    return ch.inbox.wait(what, this.receiveTimeoutMs, () => new TransportError(`${this.who} timed out after ${this.receiveTimeoutMs} ms waiting for ${peer}'s message of ${what}`));
  }

  /** Tell `peers` this endpoint is ready for the online phase, and wait until they all are. */
  async barrier(peers: readonly string[]): Promise<void> {
    for (const p of peers) this.write(this.channel(p), [encodeControl(FrameKind.ready, {})]);
    await Promise.all(
      peers.map(
        (p) =>
          new Promise<void>((resolve, reject) => {
            const ch = this.channel(p);
            const check = (): boolean => {
              if (ch.ready) resolve();
              else if (ch.failure) reject(ch.failure("the start of the online phase"));
              else if (ch.finished) reject(this.finishedError(p, "the start of the online phase"));
              else return false;
              return true;
            };
            if (check()) return;
            const timer = setTimeout(() => {
              reject(new TransportError(`${this.who} timed out after ${this.receiveTimeoutMs} ms waiting for ${p} to finish its offline phase`));
            }, this.receiveTimeoutMs);
            ch.readyWaiter = () => {
              if (check()) {
                clearTimeout(timer);
                ch.readyWaiter = undefined;
              }
            };
          }),
      ),
    );
  }

  /** Say goodbye to every peer not yet told: this end sends no more data. Peers then no longer
   *  depend on this connection (its loss is not a failure for them). */
  bye(): void {
    for (const ch of this.channels.values()) {
      if (ch.failure || ch.byeSent) continue;
      ch.byeSent = true;
      this.write(ch, [encodeControl(FrameKind.bye, {})]);
    }
  }

  /** Wait until every one of `peers` has finished its run (said goodbye); reject at the first
   *  of them that fails or is lost instead, with its error (a peer's abort names why). No
   *  timeout: the dealer waits out the parties' online phase, whose receives time out at the
   *  parties, and learns how the run ended. */
  peersFinished(peers: readonly string[]): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const check = (): void => {
        const failed = peers.map((p) => this.channel(p)).find((ch) => ch.failure);
        if (failed) reject(failed.failure!("the end of its run"));
        else if (!peers.every((p) => this.channel(p).finished)) return;
        else resolve();
        this.doneWaiter = undefined;
      };
      this.doneWaiter = check;
      check();
    });
  }

  stats(): TransportStats {
    return this.counter.stats();
  }

  linkStats(): LinkStats[] {
    return [...this.channels.values()].map((c) => ({ ...c.stats }));
  }

  /** Orderly end: say goodbye to every peer, let shaped frames go out, close (bounded wait). */
  async finish(waitMs = 5_000): Promise<void> {
    this.bye();
    const pending = (): boolean => [...this.channels.values()].some((c) => c.outbox.length > 0 && !c.socket.destroyed);
    if (pending()) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, waitMs + (this.shape.latencyMs ?? 0));
        this.drained = () => {
          if (!pending()) {
            clearTimeout(t);
            resolve();
          }
        };
      });
    }
    this.closing = true;
    await Promise.all(
      [...this.channels.values()].map(
        (ch) =>
          new Promise<void>((resolve) => {
            if (ch.socket.destroyed) return resolve();
            const t = setTimeout(() => {
              ch.socket.destroy();
              resolve();
            }, waitMs);
            ch.socket.once("close", () => {
              clearTimeout(t);
              resolve();
            });
            ch.socket.end();
          }),
      ),
    );
  }

  /** Stop at once: tell every peer why (the message names no data), then drop the connections. */
  abort(message: string): Promise<void> {
    this.closing = true;
    const waits: Promise<void>[] = [];
    for (const ch of this.channels.values()) {
      if (ch.timer) clearTimeout(ch.timer);
      ch.outbox = [];
      ch.inbox.failAll(() => new TransportError(message));
      if (ch.socket.destroyed) continue;
      waits.push(
        new Promise<void>((resolve) => {
          const t = setTimeout(() => {
            ch.socket.destroy();
            resolve();
          }, 1_000);
          ch.socket.once("close", () => {
            clearTimeout(t);
            resolve();
          });
          // a peer that has said goodbye but is still connected (the dealer, waiting for the end
          // of the run) is told too
          if (!ch.failure && ch.socket.writable) ch.socket.end(encodeControl(FrameKind.abort, { message }));
          else ch.socket.destroy();
        }),
      );
    }
    return Promise.all(waits).then(() => undefined);
  }

  close(): void {
    this.closing = true;
    for (const ch of this.channels.values()) {
      if (ch.timer) clearTimeout(ch.timer);
      ch.inbox.failAll(() => new TransportError(`${this.who} closed its connection to ${ch.peer}`));
      ch.socket.destroy();
    }
  }
}

// ---- establishing the mesh ----

/** Which endpoint of a pair dials: the one whose name sorts first (plain code-unit order). */
export function dials(a: string, b: string): boolean {
  return a < b;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

interface PendingHello {
  reader: FrameReader;
  frames: DecodedFrame[];
}

/**
 * Connect `self` with every peer: listen for the peers that dial it, dial the others (retrying
 * until the connect timeout), authenticate, exchange hellos. Resolves with the transport when
 * every connection is up; rejects with a UserError naming what failed.
 */
export async function connectMesh(o: MeshOptions): Promise<TlsTransport> {
  const self = o.hello.party;
  const all = endpoints(o.config);
  const me = all.get(self)!;
  const connectTimeoutMs = o.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const deadline = performance.now() + connectTimeoutMs;
  const maxFrame = o.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
  const transport = new TlsTransport(self, o.receiveTimeoutMs ?? 120_000, { ...(o.latencyMs !== undefined ? { latencyMs: o.latencyMs } : {}), ...(o.bandwidthMbit !== undefined ? { bandwidthMbit: o.bandwidthMbit } : {}) });
  for (const p of o.peers) if (!all.has(p)) throw new UserError(`${o.config.file} has no endpoint ${p}`);
  const dialTo = o.peers.filter((p) => dials(self, p));
  const acceptFrom = o.peers.filter((p) => dials(p, self));
  const tlsBase = {
    key: o.credentials.keyPem,
    cert: o.credentials.certPem,
    ca: o.credentials.ca,
    minVersion: "TLSv1.3" as const,
    maxVersion: "TLSv1.3" as const,
  };
  const connected = new Set<string>();
  const notes = new Map<string, string>(); // per peer: the last reason it is not connected yet
  const refused: string[] = [];
  let fatal: Error | undefined;
  let wake: (() => void) | undefined;
  const failHard = (e: Error): void => {
    if (!fatal) fatal = e;
    wake?.();
  };
  // a peer already connected that fails or is lost (it gave up, or its process died) ends the
  // wait for the others now, naming it, instead of at the connect timeout
  transport.failed.catch((e: Error) => failHard(e));

  /** Exchange hellos on an authenticated socket; `expected`: who may be on the other end. */
  const greet = (socket: TLSSocket, expected: readonly string[]): Promise<{ peer: string; pending: PendingHello }> =>
    new Promise((resolve, reject) => {
      const id = peerIdentity(socket, o.credentials);
      const reader = new FrameReader(maxFrame);
      const left = Math.max(1, deadline - performance.now());
      const timer = setTimeout(() => done(new Error(`no hello within the connect timeout`)), left);
      let settled = false;
      let refusing = false;
      const done = (err?: Error, peer?: string, frames?: DecodedFrame[]): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        socket.removeListener("close", onClose);
        if (err) reject(err);
        else resolve({ peer: peer!, pending: { reader, frames: frames! } });
      };
      const refuse = (why: string): void => {
        // let the peer read why before the connection goes (an abrupt close could discard it)
        refusing = true;
        socket.removeListener("close", onClose);
        clearTimeout(timer);
        const err = new UserError(`${self} refused the connection with ${id.name ?? "a peer"}: ${why}`);
        const linger = setTimeout(() => {
          socket.destroy();
          done(err);
        }, 2_000);
        socket.once("close", () => {
          clearTimeout(linger);
          done(err);
        });
        socket.end(encodeControl(FrameKind.refuse, { message: why }));
      };
      const onClose = (): void => done(new Error(`the connection closed during the handshake`));
      socket.on("close", onClose);
      socket.on("error", (e: NodeJS.ErrnoException) => {
        if (settled || refusing) return;
        const name = id.name ?? expected.join("/");
        if (e.code && /ALERT|CERT/.test(e.code)) done(new UserError(`${name} refused ${self}'s connection: ${tlsReason(e)}`));
        else done(e);
      });
      if (id.problem) {
        socket.destroy();
        done(new UserError(`${self} refused the connection with ${id.name ?? expected.join("/")}: ${id.problem}`));
        return;
      }
      socket.write(encodeControl(FrameKind.hello, { ...o.hello }));
      socket.on("data", (chunk: Buffer) => {
        if (settled || refusing) return;
        let frames: DecodedFrame[];
        try {
          frames = reader.push(chunk);
        } catch (e) {
          socket.destroy();
          done(new UserError(`${self} received a malformed frame from ${id.name} during the handshake: ${(e as Error).message}`));
          return;
        }
        if (frames.length === 0) return;
        const first = frames[0]!;
        if (first.kind === FrameKind.refuse || first.kind === FrameKind.abort) {
          done(new UserError(`${id.name} refused the connection with ${self}: ${first.header.message}`));
          return;
        }
        const hello = first.kind === FrameKind.hello ? parseHello(first.header) : undefined;
        if (!hello) {
          socket.destroy();
          done(new UserError(`${self} received no valid hello from ${id.name}`));
          return;
        }
        const why = refusal(o.hello, hello, id.name!, expected.filter((p) => !connected.has(p)));
        if (why) return refuse(why);
        done(undefined, hello.party, frames.slice(1));
      });
    });

  const adopt = (peer: string, socket: TLSSocket, pending: PendingHello): void => {
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 10_000);
    const [a, b] = [self, peer].sort();
    const context = Buffer.from(`${o.hello.planHash}|${a}|${b}`, "utf8");
    const seed = new Uint8Array(socket.exportKeyingMaterial(SEED_BYTES, EXPORTER_LABEL, context));
    transport.adopt(peer, socket, pending.reader, pending.frames, seed);
    connected.add(peer);
    notes.delete(peer);
    o.log?.(`${self}: connected to ${peer}`);
    wake?.();
  };

  // listen for the peers that dial us
  let server: Server | undefined;
  if (acceptFrom.length > 0) {
    server = createServer({ ...tlsBase, requestCert: true, rejectUnauthorized: true });
    server.on("secureConnection", (socket: TLSSocket) => {
      socket.on("error", () => undefined);
      const from = socket.remoteAddress ?? "an unknown address";
      greet(socket, acceptFrom).then(
        ({ peer, pending }) => adopt(peer, socket, pending),
        (e: Error) => {
          socket.destroy();
          const line = `${self}: refused a connection from ${from}: ${e.message}`;
          if (e instanceof UserError) {
            // a peer of this deployment with a wrong plan or version: nothing will fix itself
            if (/mismatch/.test(e.message)) failHard(e);
            else refused.push(line);
          }
          o.log?.(line);
        },
      );
    });
    server.on("tlsClientError", (e: NodeJS.ErrnoException, socket: TLSSocket) => {
      const from = socket.remoteAddress ? `from ${socket.remoteAddress}` : "from a client that already left";
      const line = `${self}: refused a TLS connection ${from}: ${tlsReason(e).replace(/^it /, "the client ")}`;
      refused.push(line);
      o.log?.(line);
    });
    const host = o.listenHost ?? me.host;
    await new Promise<void>((resolve, reject) => {
      server!.once("error", (e: NodeJS.ErrnoException) => {
        const why =
          e.code === "EADDRINUSE"
            ? "the port is in use (is another run still going, or another program using it?)"
            : e.code === "EADDRNOTAVAIL"
              ? "that address is not on this machine (use --listen 0.0.0.0 behind NAT)"
              : e.code === "EACCES"
                ? "permission denied (ports below 1024 need privileges)"
                : e.message;
        reject(new UserError(`${self} cannot listen on ${host}:${me.port}: ${why}`));
      });
      server!.listen(me.port, host, () => resolve());
    });
    server.on("error", (e) => failHard(new UserError(`${self}'s listening socket failed: ${e.message}`)));
  }

  // dial the others, retrying while they are not up yet
  const dial = async (peer: string): Promise<void> => {
    const at = all.get(peer)!;
    let backoff = 50;
    while (!fatal && !connected.has(peer) && performance.now() < deadline) {
      const attempt = await new Promise<{ socket?: TLSSocket; error?: NodeJS.ErrnoException }>((resolve) => {
        const socket = tlsConnect({
          ...tlsBase,
          host: at.host,
          port: at.port,
          servername: peer,
          rejectUnauthorized: true,
          // the name is checked against the endpoint (not the host name) in peerIdentity
          checkServerIdentity: () => undefined,
        } as ConnectionOptions);
        const onError = (error: NodeJS.ErrnoException): void => {
          socket.destroy();
          resolve({ error });
        };
        socket.once("error", onError);
        socket.once("secureConnect", () => {
          socket.removeListener("error", onError);
          socket.on("error", () => undefined);
          resolve({ socket });
        });
      });
      if (attempt.socket) {
        try {
          const { pending } = await greet(attempt.socket, [peer]);
          adopt(peer, attempt.socket, pending);
          return;
        } catch (e) {
          attempt.socket.destroy();
          if (e instanceof UserError) return failHard(e);
          notes.set(peer, (e as Error).message);
        }
      } else {
        const err = attempt.error!;
        if (err.code && !RETRYABLE.has(err.code)) {
          return failHard(new UserError(`${self} refused the connection with ${peer} at ${at.host}:${at.port}: ${tlsReason(err)}`));
        }
        notes.set(peer, `${err.code ?? err.message} at ${at.host}:${at.port}`);
      }
      await sleep(Math.min(backoff, Math.max(0, deadline - performance.now())));
      backoff = Math.min(backoff * 2, 1_000);
    }
  };

  const dialing = dialTo.map((p) => dial(p));
  try {
    while (!fatal && connected.size < o.peers.length) {
      const left = deadline - performance.now();
      if (left <= 0) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, Math.min(left, 250));
      });
    }
    wake = undefined;
    if (!fatal && connected.size < o.peers.length) {
      const missing = o.peers.filter((p) => !connected.has(p));
      const lines = missing.map((p) => {
        const at = all.get(p)!;
        const why = notes.get(p);
        return dials(self, p) ? `  could not connect to ${p} at ${at.host}:${at.port}${why ? ` (last error: ${why})` : ""}` : `  ${p} did not connect to ${self}${why ? ` (${why})` : ""}`;
      });
      const extra = refused.length ? `\n  meanwhile ${refused.map((r) => r.replace(`${self}: `, "")).join("; ")}` : "";
      fatal = new UserError(`${self} could not reach every peer within ${Math.round(connectTimeoutMs / 1000)} s:\n${lines.join("\n")}${extra}`);
    }
    if (fatal) throw fatal;
    await Promise.all(dialing);
    return transport;
  } catch (e) {
    void transport.abort(e instanceof Error ? e.message : String(e));
    throw e;
  } finally {
    server?.close();
  }
}
