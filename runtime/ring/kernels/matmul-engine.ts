// The blocked Z_2^64 matmul over the emitted WebAssembly kernels, shared by the
// single-threaded entry point (wasm-matmul.ts) and the worker pool (matmul-pool.ts): memory
// layout of operands and packing scratch, module compilation and instances, argument lists
// for the module's `matmul` (the GotoBLAS loop nest runs inside wasm: B packed into column
// panels per (jc, pc) block, A into row panels per (ic, pc) block, a register-tiled
// micro-kernel per tile, C padded to whole tiles), and copying C out.
// This module must never round or drop bits: every path is exact wrapping arithmetic.

import { bBytesPerStep, buildMatmulModule, kernelName, tileCols, type KernelShape } from "./matmul-module.js";
import { wasmApi, type WasmMemory, type WasmModule } from "./wasm-api.js";

export const PAGE = 65536;
/** Pages a shared memory may grow to (2 GiB; virtual address space only). */
export const SHARED_MAX_PAGES = 32768;
/** The wasm32 limit (4 GiB) for the single-threaded memory. */
export const MAX_PAGES = 65536;

export interface Blocking {
  /** Rows of A packed per block (rounded up to the kernel's mr). */
  mc: number;
  /** Inner-dimension depth per block. */
  kc: number;
  /** Columns of B packed per block (rounded up to the kernel's nr). */
  nc: number;
}

export interface KernelConfig {
  kernel: KernelShape;
  blocking: Blocking;
  /**
   * Skip packing and tiling: `rows` runs the module's `streaming` row loop (for A with very
   * few rows), `dots` transposes B and takes row-by-row dot products (B with very few columns).
   */
  untiled?: "rows" | "dots";
}

export const DEFAULT_BLOCKING: Blocking = { mc: 128, kc: 256, nc: 1024 };

/** The exports of the emitted module (matmul-module.ts documents each). */
export interface KernelExports {
  pack(src: number, strideP: number, strideW: number, kc: number, panels: number, validW: number, width: number, dst: number): void;
  splitB(src: number, steps: number, plain: number, split: number, dst: number): void;
  macro(apack: number, bpack: number, cp: number, ldc: number, mcPad: number, ncPad: number, kc: number, accumulate: number): void;
  matmul(...args: MatmulArgs): void;
  streaming(a: number, b: number, c: number, n: number, k: number, m: number): void;
  dots(a: number, bt: number, c: number, n: number, k: number, m: number): void;
}

/** Arguments of the module's `matmul` export, in order (byte addresses; see matmulArgs). */
export type MatmulArgs = [
  a: number, b: number, c: number, k: number, m: number, ldc: number,
  rowStart: number, rowEnd: number, colStart: number, colEnd: number,
  apack: number, bpack: number, bpackRaw: number, mc: number, kc: number, nc: number,
];

export const roundUp = (x: number, to: number) => Math.ceil(x / to) * to;
const align64 = (bytes: number) => roundUp(bytes, 64);

/** Round block sizes to whole tiles so packed blocks never overrun their scratch. */
export function normalizeConfig(cfg: KernelConfig): KernelConfig {
  const { mc, kc, nc } = cfg.blocking;
  return {
    ...cfg,
    blocking: { mc: roundUp(mc, cfg.kernel.mr), kc, nc: roundUp(nc, tileCols(cfg.kernel)) },
  };
}

/** Byte offsets in wasm memory of the operands of one product: A, B, and C padded to tiles. */
export interface OperandLayout {
  a: number;
  b: number;
  c: number;
  nPad: number;
  mPad: number;
  /** First free byte after C. */
  end: number;
}

/** Byte offsets of one thread's packing scratch. */
export interface Scratch {
  apack: number;
  bpack: number;
  /** B packed as i64 lanes before splitB (split32 kernels only; else equal to bpack). */
  bpackRaw: number;
  end: number;
}

export function operandLayout(cfg: KernelConfig, n: number, k: number, m: number, base = 0): OperandLayout {
  // The untiled loops write C densely; the tiled kernels write whole tiles.
  const nPad = cfg.untiled ? n : roundUp(n, cfg.kernel.mr);
  const mPad = cfg.untiled ? m : roundUp(m, tileCols(cfg.kernel));
  const a = align64(base);
  const b = a + align64(n * k * 8);
  const c = b + align64(k * m * 8);
  return { a, b, c, nPad, mPad, end: c + align64(nPad * mPad * 8) };
}

export function scratchLayout(cfg: KernelConfig, n: number, k: number, m: number, base: number): Scratch {
  if (cfg.untiled) {
    // `dots` keeps B transposed in bpack; `rows` needs no scratch.
    const bt = align64(base);
    return { apack: bt, bpack: bt, bpackRaw: bt, end: bt + (cfg.untiled === "dots" ? align64(k * m * 8) : 0) };
  }
  const nr = tileCols(cfg.kernel);
  const { mc, kc, nc } = cfg.blocking;
  const depth = Math.min(kc, k);
  const panels = Math.min(nc, roundUp(m, nr)) / nr;
  const apack = align64(base);
  const bpack = apack + align64(Math.min(mc, roundUp(n, cfg.kernel.mr)) * depth * 8);
  const bpackEnd = bpack + align64(depth * panels * bBytesPerStep(cfg.kernel));
  if ((cfg.kernel.cols.split32 ?? 0) === 0) return { apack, bpack, bpackRaw: bpack, end: bpackEnd };
  return { apack, bpack, bpackRaw: bpackEnd, end: bpackEnd + align64(depth * panels * nr * 8) };
}

/** A half-open range of C rows or columns. */
export interface Range {
  start: number;
  end: number;
}

/**
 * The arguments for C[rows, cols] = A[rows, :] @ B[:, cols] inside wasm memory whose A and B
 * regions are filled. `rows.start` must be a multiple of mr and `cols.start` of nr (the pool
 * splits that way); the loop nest itself runs inside wasm (matmul-module.ts, emitDriver).
 */
export function matmulArgs(
  cfg: KernelConfig,
  lay: OperandLayout,
  scratch: Scratch,
  n: number,
  k: number,
  m: number,
  rows: Range = { start: 0, end: n },
  cols: Range = { start: 0, end: m },
): MatmulArgs {
  const { mc, kc, nc } = cfg.blocking;
  return [
    lay.a, lay.b, lay.c, k, m, lay.mPad * 8,
    rows.start, rows.end, cols.start, cols.end,
    scratch.apack, scratch.bpack, scratch.bpackRaw, mc, kc, nc,
  ];
}

/** Copy the n x m result out of the padded C region into a new array. */
export function extractC(buf: ArrayBufferLike, lay: OperandLayout, n: number, m: number): BigUint64Array {
  if (lay.mPad === m) return new BigUint64Array(buf, lay.c, n * m).slice();
  const out = new BigUint64Array(n * m);
  const padded = new BigUint64Array(buf, lay.c, lay.nPad * lay.mPad);
  for (let i = 0; i < n; i++) out.set(padded.subarray(i * lay.mPad, i * lay.mPad + m), i * m);
  return out;
}

export function checkOperands(a: BigUint64Array, b: BigUint64Array, n: number, k: number, m: number): void {
  for (const [label, v] of [["n", n], ["k", k], ["m", m]] as const) {
    if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`wasmMatmul: ${label} must be a non-negative integer, got ${v}`);
  }
  if (a.length !== n * k) throw new RangeError(`wasmMatmul: A has ${a.length} elements, expected n*k = ${n}*${k}`);
  if (b.length !== k * m) throw new RangeError(`wasmMatmul: B has ${b.length} elements, expected k*m = ${k}*${m}`);
}

/** Grow `memory` so that it holds at least `bytes`. */
export function ensureMemory(memory: WasmMemory, bytes: number, maxPages?: number): void {
  const have = memory.buffer.byteLength / PAGE;
  const need = Math.ceil(bytes / PAGE);
  if (maxPages !== undefined && need > maxPages) {
    throw new RangeError(`wasmMatmul: operands need ${need} wasm pages, above the limit of ${maxPages}`);
  }
  if (need > have) memory.grow(need - have);
}

const modules = new Map<string, WasmModule>();

/** The compiled module for a kernel shape (compiled once per process and memory kind). */
export function kernelModule(shape: KernelShape, shared: boolean): WasmModule {
  if (!wasmApi) throw new Error("wasmMatmul: this runtime has no WebAssembly");
  const key = `${kernelName(shape)}${shared ? "/shared" : ""}`;
  let mod = modules.get(key);
  if (!mod) {
    const memory = shared ? { initialPages: 1, maximumPages: SHARED_MAX_PAGES, shared: true } : { initialPages: 1 };
    mod = new wasmApi.Module(buildMatmulModule({ kernel: shape, memory }));
    modules.set(key, mod);
  }
  return mod;
}

/** Instances of every kernel shape used so far, all over one memory. */
export class KernelInstances {
  private readonly byName = new Map<string, KernelExports>();

  constructor(
    readonly memory: WasmMemory,
    readonly shared: boolean,
  ) {}

  get(shape: KernelShape): KernelExports {
    const name = kernelName(shape);
    let ex = this.byName.get(name);
    if (!ex) {
      const inst = new wasmApi!.Instance(kernelModule(shape, this.shared), { env: { memory: this.memory } });
      ex = inst.exports as unknown as KernelExports;
      this.byName.set(name, ex);
    }
    return ex;
  }
}

/** A synchronous matmul with its own (non-shared) memory, for one fixed or shape-chosen config. */
export function createWasmMatmul(choose: KernelConfig | ((n: number, k: number, m: number) => KernelConfig)) {
  if (!wasmApi) throw new Error("wasmMatmul: this runtime has no WebAssembly");
  const memory = new wasmApi.Memory({ initial: 1 });
  const instances = new KernelInstances(memory, false);
  const pick = typeof choose === "function" ? choose : () => choose;
  // Per chosen config object: its normalised form and instance (keeps tiny products cheap).
  const resolved = new Map<KernelConfig, { cfg: KernelConfig; ex: KernelExports }>();
  return (a: BigUint64Array, b: BigUint64Array, n: number, k: number, m: number): BigUint64Array => {
    checkOperands(a, b, n, k, m);
    if (n === 0 || m === 0 || k === 0) return new BigUint64Array(n * m);
    const chosen = pick(n, k, m);
    let r = resolved.get(chosen);
    if (!r) {
      const cfg = normalizeConfig(chosen);
      r = { cfg, ex: instances.get(cfg.kernel) };
      resolved.set(chosen, r);
    }
    const { cfg, ex } = r;
    const lay = operandLayout(cfg, n, k, m);
    const scratch = scratchLayout(cfg, n, k, m, lay.end);
    ensureMemory(memory, scratch.end, MAX_PAGES);
    const buf = memory.buffer;
    new BigUint64Array(buf, lay.a, n * k).set(a);
    new BigUint64Array(buf, lay.b, k * m).set(b);
    if (cfg.untiled === "rows") ex.streaming(lay.a, lay.b, lay.c, n, k, m);
    else if (cfg.untiled === "dots") {
      // Bt = B transposed into the scratch area: pack with one-lane panels, one per column.
      ex.pack(lay.b, m * 8, 8, k, m, m, 1, scratch.bpack);
      ex.dots(lay.a, scratch.bpack, lay.c, n, k, m);
    } else ex.matmul(...matmulArgs(cfg, lay, scratch, n, k, m));
    return extractC(buf, lay, n, m);
  };
}
