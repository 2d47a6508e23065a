// Which exact ring-matmul implementation runs each 2-D product. Kernels: `typed` (the JS
// BigUint64Array loop, always available), `tfjs` (float32-limb GEMM on TensorFlow.js, needs
// ./tf.ts initialised), `wasm` (the WebAssembly kernel in ./kernels/wasm-matmul.ts, when
// present and available). `MPC_KERNELS=typed|tfjs|wasm|auto` forces one (default auto).
//
// In auto mode `prepareRingKernels()` runs a start-up probe (~50 ms, once per process): it
// times every loaded kernel on one shape per size class and keeps the fastest per class. The
// tfjs kernel joins the probe only when tfjs is already up (or when asked): measured here it
// never beats the typed loop (<= 0.47 G ring MAC/s against 1.5-1.9 G; bench/ring.bench.ts),
// so auto mode does not pay tfjs's ~250 ms start-up for it. `ringMatmul` is synchronous:
// until `prepareRingKernels()` has resolved, every product uses the typed loop, so the
// executor should await it at start-up. Every choice is exact; the probe only decides speed.

import { initTf, tfIfReady } from "./tf.js";
import { type Matmul2d, typedMatmul } from "./matmul-typed.js";
import { makeLimbMatmul } from "./matmul-limbs.js";

export type KernelName = "typed" | "tfjs" | "wasm";
export type KernelMode = KernelName | "auto";

/** Size classes by multiply-accumulate count n*k*m. */
export type SizeClass = "small" | "medium" | "large";
export const SIZE_CLASSES: readonly SizeClass[] = ["small", "medium", "large"];

export function sizeClass(n: number, k: number, m: number): SizeClass {
  const macs = n * k * m;
  if (macs < 1 << 18) return "small"; // below 64^3
  if (macs < 1 << 24) return "medium"; // below 256^3
  return "large";
}

const kernels: Partial<Record<KernelName, Matmul2d>> = { typed: typedMatmul };
let choice: Record<SizeClass, KernelName> = { small: "typed", medium: "typed", large: "typed" };
/** The choice made by prepareRingKernels (restored by forceRingKernel(undefined)). */
let probed: Record<SizeClass, KernelName> = { ...choice };
let noticed = false;

export function kernelMode(): KernelMode {
  const v = (process.env.MPC_KERNELS ?? "auto").trim().toLowerCase();
  if (v === "" || v === "auto") return "auto";
  if (v === "typed" || v === "tfjs" || v === "wasm") return v;
  throw new Error(`MPC_KERNELS=${process.env.MPC_KERNELS}: expected one of typed, tfjs, wasm, auto`);
}

/** The kernel for one 2-D product shape (synchronous; see the header for the pre-probe rule). */
export function chooseKernel(n: number, k: number, m: number): Matmul2d {
  const name = choice[sizeClass(n, k, m)];
  const f = kernels[name];
  if (f) return f;
  if (!noticed) {
    noticed = true;
    process.stderr.write(`mpc: ring kernel "${name}" is not loaded yet (await prepareRingKernels()); using the typed loop\n`);
  }
  return typedMatmul;
}

/**
 * Use one loaded kernel for every shape (tests and benchmarks comparing kernels through
 * `ringMatmul`), or `undefined` to return to the probed choice. Returns the previous choice.
 */
export function forceRingKernel(name: KernelName | undefined): Record<SizeClass, KernelName> {
  const prev = { ...choice };
  if (name === undefined) {
    choice = { ...probed };
  } else {
    if (!kernels[name]) throw new Error(`ring kernel "${name}" is not loaded`);
    choice = { small: name, medium: name, large: name };
  }
  return prev;
}

/** A loaded kernel by name, or undefined (for tests and benchmarks that compare them). */
export function ringKernel(name: KernelName): Matmul2d | undefined {
  return kernels[name];
}

export function availableKernels(): KernelName[] {
  return (Object.keys(kernels) as KernelName[]).filter((k) => kernels[k]);
}

export interface KernelReport {
  mode: KernelMode;
  /** The kernel used for each size class. */
  choice: Record<SizeClass, KernelName>;
  /** Probe timings (ms per product, best of the repetitions) per class and kernel; empty if forced. */
  probeMs: Partial<Record<SizeClass, Partial<Record<KernelName, number>>>>;
  probeTotalMs: number;
}

let prepared: Promise<KernelReport> | undefined;

export interface PrepareOptions {
  /** Include the tfjs limb GEMM in the auto probe. Default: only if tfjs is already
   *  initialised in this process (its ~250 ms start-up is then already paid). */
  probeTfjs?: boolean;
}

/** Load the optional kernels and (in auto mode) run the probe. Idempotent and cached: the
 *  options of the first call win. */
export function prepareRingKernels(opts: PrepareOptions = {}): Promise<KernelReport> {
  prepared ??= prepare(opts);
  return prepared;
}

/** Load the tfjs limb kernel (initialising tfjs). */
export async function loadTfjsKernel(): Promise<Matmul2d> {
  const { tf } = await initTf();
  kernels.tfjs ??= makeLimbMatmul(tf);
  return kernels.tfjs;
}

/** Load the WebAssembly kernel if its module exists and reports itself available. */
export async function loadWasmKernel(): Promise<Matmul2d | undefined> {
  if (kernels.wasm) return kernels.wasm;
  try {
    // Owned by another engineer; a variable specifier keeps the type checker from requiring
    // the module's presence or exact types.
    const spec = "./kernels/wasm-matmul.js";
    const mod = (await import(spec)) as {
      wasmMatmulAvailable?: () => boolean;
      wasmMatmul?: Matmul2d;
      ready?: Promise<unknown>;
    };
    if (mod.ready) await mod.ready;
    if (mod.wasmMatmul && mod.wasmMatmulAvailable?.()) kernels.wasm = mod.wasmMatmul;
  } catch {
    // not present or failed to load: the other kernels remain
  }
  return kernels.wasm;
}

function only(name: KernelName, mode: KernelMode, t0: number): KernelReport {
  choice = { small: name, medium: name, large: name };
  probed = { ...choice };
  return { mode, choice: { ...choice }, probeMs: {}, probeTotalMs: performance.now() - t0 };
}

async function prepare(opts: PrepareOptions): Promise<KernelReport> {
  const mode = kernelMode();
  const t0 = performance.now();
  if (mode === "typed") return only("typed", mode, t0);
  if (mode === "tfjs") {
    await loadTfjsKernel();
    return only("tfjs", mode, t0);
  }
  if (mode === "wasm") {
    if (!(await loadWasmKernel())) throw new Error("MPC_KERNELS=wasm, but the WebAssembly ring kernel is not available");
    return only("wasm", mode, t0);
  }
  await loadWasmKernel();
  if (kernels.wasm) choice = { small: "wasm", medium: "wasm", large: "wasm" };
  if (opts.probeTfjs ?? tfIfReady() !== undefined) {
    try {
      await loadTfjsKernel();
    } catch {
      // tfjs failed to initialise: probe what is left
    }
  }
  const probeMs = runProbe();
  for (const cls of SIZE_CLASSES) {
    const t = probeMs[cls];
    let best: KernelName = "typed";
    for (const name of Object.keys(t) as KernelName[]) if (t[name]! < t[best]!) best = name;
    choice[cls] = best;
  }
  probed = { ...choice };
  return { mode, choice: { ...choice }, probeMs, probeTotalMs: performance.now() - t0 };
}

/** One shape per class; the large one crosses the limb GEMM's 1024-wide chunk boundary. */
const PROBE_SHAPES: Record<SizeClass, [number, number, number]> = {
  small: [32, 48, 32],
  medium: [64, 128, 64],
  large: [64, 1100, 96],
};

/** Times (best of a few, ms) per class and kernel. A kernel more than 2x slower than the best
 *  at a class is not timed at larger classes (recorded as Infinity): that keeps the probe
 *  well under 200 ms even when one kernel is slow. */
function runProbe(): Record<SizeClass, Partial<Record<KernelName, number>>> {
  const out = {} as Record<SizeClass, Partial<Record<KernelName, number>>>;
  let contenders = availableKernels();
  // deterministic non-secret filler: the probe measures speed only
  const fill = (len: number): BigUint64Array => {
    const x = new BigUint64Array(len);
    let s = 0x9e3779b97f4a7c15n;
    for (let i = 0; i < len; i++) x[i] = s = BigInt.asUintN(64, s * 6364136223846793005n + 1442695040888963407n);
    return x;
  };
  for (const cls of SIZE_CLASSES) {
    const [n, k, m] = PROBE_SHAPES[cls];
    const a = fill(n * k);
    const b = fill(k * m);
    const reps = cls === "large" ? 1 : cls === "medium" ? 2 : 3;
    const times: Partial<Record<KernelName, number>> = {};
    for (const name of availableKernels()) times[name] = Infinity;
    for (const name of contenders) {
      const f = kernels[name]!;
      if (cls === "small") f(a, b, n, k, m); // warm-up (JIT, tfjs kernel set-up)
      let best = Infinity;
      for (let r = 0; r < reps; r++) {
        const t = performance.now();
        f(a, b, n, k, m);
        best = Math.min(best, performance.now() - t);
      }
      times[name] = best;
    }
    const fastest = Math.min(...contenders.map((c) => times[c]!));
    contenders = contenders.filter((c) => times[c]! <= 2 * fastest);
    out[cls] = times;
  }
  return out;
}
