// A persistent pool of worker threads that split one Z_2^64 matmul between them (for the
// dealer's offline phase on a multi-core machine). The main thread copies A and B into a
// shared wasm memory once; workers compute disjoint chunks of C rows (or columns, for wide
// products) with the same kernels as the single-threaded path, taking the next chunk as they
// finish; the main thread copies C out. Products run one at a time (they share the memory
// layout). Idle workers are unref'd so they never keep the process alive. This module must
// never return before every chunk is written, and never reuse the memory while a job runs.

import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import {
  checkOperands,
  ensureMemory,
  extractC,
  kernelModule,
  matmulArgs,
  normalizeConfig,
  operandLayout,
  scratchLayout,
  SHARED_MAX_PAGES,
  type KernelConfig,
  type Range,
} from "./matmul-engine.js";
import { kernelName, tileCols } from "./matmul-module.js";
import { WORKER_SOURCE, type PoolMessage, type PoolReply } from "./matmul-worker.js";
import { wasmApi, type WasmMemory } from "./wasm-api.js";

/** Split [0, total) into at most `parts` ranges whose inner boundaries are multiples of `align`. */
export function splitRange(total: number, parts: number, align: number): Range[] {
  const units = Math.ceil(total / align);
  const count = Math.max(1, Math.min(parts, units));
  const out: Range[] = [];
  let start = 0;
  for (let i = 0; i < count; i++) {
    const end = Math.min(total, Math.round((units * (i + 1)) / count) * align);
    if (end > start) out.push({ start, end });
    start = end;
  }
  return out;
}

export interface PoolOptions {
  /** Chunks per worker: more balance under uneven load, at one B packing per chunk. */
  chunksPerWorker?: number;
  /** Rows (or columns) below which a chunk is not worth a message round trip. */
  minChunk?: number;
}

export class MatmulPool {
  private readonly workers: Worker[];
  /** Kernel modules each worker has already been sent (by kernel name). */
  private readonly sent: Set<string>[];
  private readonly memory: WasmMemory;
  private readonly pending = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  private nextId = 0;
  private tail: Promise<unknown> = Promise.resolve();
  private inFlight = 0;
  private failure: Error | undefined;

  private readonly chunksPerWorker: number;
  private readonly minChunk: number;

  constructor(
    readonly size: number = Math.max(1, availableParallelism()),
    opts: PoolOptions = {},
  ) {
    this.chunksPerWorker = opts.chunksPerWorker ?? 3;
    this.minChunk = opts.minChunk ?? 64;
    if (!wasmApi) throw new Error("wasmMatmulParallel: this runtime has no WebAssembly");
    this.memory = new wasmApi.Memory({ initial: 1, maximum: SHARED_MAX_PAGES, shared: true });
    this.sent = Array.from({ length: this.size }, () => new Set<string>());
    this.workers = Array.from({ length: this.size }, () => {
      const w = new Worker(WORKER_SOURCE, { eval: true });
      w.on("message", (r: PoolReply) => this.settle(r));
      w.on("error", (e) => this.fail(e instanceof Error ? e : new Error(String(e))));
      w.on("exit", (code) => {
        if (code !== 0) this.fail(new Error(`wasmMatmulParallel: a worker exited with code ${code}`));
      });
      w.postMessage({ init: { memory: this.memory } } satisfies PoolMessage);
      w.unref();
      return w;
    });
  }

  /** C = A @ B mod 2^64 computed by the pool; products queue behind each other. */
  matmul(cfg: KernelConfig, a: BigUint64Array, b: BigUint64Array, n: number, k: number, m: number): Promise<BigUint64Array> {
    checkOperands(a, b, n, k, m);
    // Workers split the tiled loop nest; the untiled loops are single-thread paths.
    const tiled = normalizeConfig({ kernel: cfg.kernel, blocking: cfg.blocking });
    const run = this.tail.then(() => this.runOne(tiled, a, b, n, k, m));
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async runOne(cfg: KernelConfig, a: BigUint64Array, b: BigUint64Array, n: number, k: number, m: number) {
    if (this.failure) throw this.failure;
    if (n === 0 || m === 0 || k === 0) return new BigUint64Array(n * m);
    const lay = operandLayout(cfg, n, k, m);
    // Split the longer side of C into whole-tile chunks, a few per worker, handed out as
    // workers finish: on a machine shared with other work, a slowed worker takes fewer.
    const byRows = n >= m;
    const side = byRows ? n : m;
    const chunks = Math.max(1, Math.min(this.size * this.chunksPerWorker, Math.floor(side / this.minChunk)));
    const parts = splitRange(side, chunks, byRows ? cfg.kernel.mr : tileCols(cfg.kernel));
    const workers = Math.min(this.size, parts.length);
    let end = lay.end;
    const scratch = Array.from({ length: workers }, () => {
      const s = scratchLayout(cfg, n, k, m, end);
      end = s.end;
      return s;
    });
    ensureMemory(this.memory, end, SHARED_MAX_PAGES);
    const buf = this.memory.buffer;
    new BigUint64Array(buf, lay.a, n * k).set(a);
    new BigUint64Array(buf, lay.b, k * m).set(b);
    const key = kernelName(cfg.kernel);
    let next = 0;
    const drain = async (w: number) => {
      while (next < parts.length) {
        const part = parts[next++]!;
        const rows = byRows ? part : { start: 0, end: n };
        const cols = byRows ? { start: 0, end: m } : part;
        await this.send(w, key, cfg, matmulArgs(cfg, lay, scratch[w]!, n, k, m, rows, cols));
      }
    };
    await Promise.all(Array.from({ length: workers }, (_, w) => drain(w)));
    return extractC(this.memory.buffer, lay, n, m);
  }

  private send(worker: number, key: string, cfg: KernelConfig, args: number[]): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const id = this.nextId++;
      this.pending.set(id, { resolve, reject });
      if (this.inFlight++ === 0) this.workers.forEach((x) => x.ref());
      const module = this.sent[worker]!.has(key) ? undefined : kernelModule(cfg.kernel, true);
      this.sent[worker]!.add(key);
      this.workers[worker]!.postMessage({ job: { id, key, module, args } } satisfies PoolMessage);
    });
  }

  private settle(r: PoolReply): void {
    const p = this.pending.get(r.id);
    if (!p) return;
    this.pending.delete(r.id);
    if (--this.inFlight === 0) this.workers.forEach((x) => x.unref());
    if (r.ok) p.resolve();
    else p.reject(new Error(`wasmMatmulParallel: ${r.error}`));
  }

  /** Set once a worker has failed or the pool was closed; every later product rejects. */
  get broken(): boolean {
    return this.failure !== undefined;
  }

  private fail(e: Error): void {
    this.failure ??= e;
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
    this.inFlight = 0;
  }

  /** Stop the workers; later products reject. */
  async close(): Promise<void> {
    this.failure ??= new Error("wasmMatmulParallel: the pool was closed");
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
