// Emits the WebAssembly module for exact Z_2^64 matmul: packing routines and an MR x NR
// register-tiled micro-kernel over i64 (wrapping multiply-add is exactly arithmetic mod 2^64).
// This module only builds bytes; instantiation, memory layout and blocking live in
// wasm-matmul.ts. It must never depend on anything but the emitter.

import { FunctionBuilder, I32, I64, encodeModule } from "./wasm-emit.js";

export interface ScalarKernelShape {
  /** Rows of C held in registers by the micro-kernel. */
  mr: number;
  /** Columns of C held in registers by the micro-kernel. */
  nr: number;
  /** How many steps of the inner (k) loop one loop iteration does. */
  unroll: number;
}

export interface MatmulModuleOptions {
  kernel: ScalarKernelShape;
  /** A shared memory (for the worker pool) must declare a maximum. */
  memory: { initialPages: number; maximumPages?: number; shared?: boolean };
}

/**
 * pack(src, strideP, strideW, kc, panels, validW, width, dst): copy a kc x (panels*width)
 * block into panels of `width` lanes, lane-contiguous per step:
 *   dst[(q*kc + p)*width + w] = src[p*strideP + (q*width + w)*strideW]   if q*width+w < validW
 *                             = 0                                          otherwise.
 * Strides are in bytes. A's row panels use (strideP=8, strideW=k*8); B's column panels use
 * (strideP=m*8, strideW=8). Zero lanes make edge tiles compute harmless zeros.
 */
function emitPack(): FunctionBuilder {
  const f = new FunctionBuilder([I32, I32, I32, I32, I32, I32, I32, I32], []);
  const [src, strideP, strideW, kc, panels, validW, width, dst] = [0, 1, 2, 3, 4, 5, 6, 7];
  const q = f.local(I32);
  const w = f.local(I32);
  const lane = f.local(I32);
  const s = f.local(I32);
  const d = f.local(I32);
  const dEnd = f.local(I32);
  const dStep = f.local(I32);
  // dStep = width*8
  f.get(width).i32(3).op("i32_shl").set(dStep);
  f.forLoop(q, () => f.i32(0), () => f.get(panels), 1, () => {
    f.forLoop(w, () => f.i32(0), () => f.get(width), 1, () => {
      // lane = q*width + w; d = dst + ((q*kc)*width + w)*8; dEnd = d + kc*dStep
      f.get(q).get(width).op("i32_mul").get(w).op("i32_add").set(lane);
      f.get(dst).get(q).get(kc).op("i32_mul").get(width).op("i32_mul").get(w).op("i32_add")
        .i32(3).op("i32_shl").op("i32_add").set(d);
      f.get(d).get(kc).get(dStep).op("i32_mul").op("i32_add").set(dEnd);
      f.get(src).get(lane).get(strideW).op("i32_mul").op("i32_add").set(s);
      f.block(); // skip when kc == 0
      f.get(d).get(dEnd).op("i32_ge_u").brIf(0);
      f.get(lane).get(validW).op("i32_lt_s");
      f.if();
      f.loop();
      f.get(d).get(s).mem("i64_load").mem("i64_store");
      f.get(s).get(strideP).op("i32_add").set(s);
      f.get(d).get(dStep).op("i32_add").tee(d).get(dEnd).op("i32_lt_u").brIf(0);
      f.end();
      f.else();
      f.loop();
      f.get(d).i64(0n).mem("i64_store");
      f.get(d).get(dStep).op("i32_add").tee(d).get(dEnd).op("i32_lt_u").brIf(0);
      f.end();
      f.end();
      f.end();
    });
  });
  return f;
}

/**
 * kernel(ap, bp, cp, kc, ldc, accumulate): C[0..mr, 0..nr] (+)= Ap(kc x mr) . Bp(kc x nr),
 * where Ap/Bp are packed panels and C rows are `ldc` bytes apart.
 */
function emitScalarKernel({ mr, nr, unroll }: ScalarKernelShape): FunctionBuilder {
  const f = new FunctionBuilder([I32, I32, I32, I32, I32, I32], []);
  const [ap, bp, cp, kc, ldc, accumulate] = [0, 1, 2, 3, 4, 5];
  const acc: number[][] = [];
  for (let r = 0; r < mr; r++) acc.push(Array.from({ length: nr }, () => f.local(I64)));
  const a = Array.from({ length: mr }, () => f.local(I64));
  const b = f.local(I64);
  const bEnd = f.local(I32);
  const bEndUnrolled = f.local(I32);

  const step = (u: number) => {
    for (let r = 0; r < mr; r++) f.get(ap).mem("i64_load", (u * mr + r) * 8).set(a[r]!);
    for (let c = 0; c < nr; c++) {
      f.get(bp).mem("i64_load", (u * nr + c) * 8).set(b);
      for (let r = 0; r < mr; r++) {
        f.get(acc[r]![c]!).get(a[r]!).get(b).op("i64_mul").op("i64_add").set(acc[r]![c]!);
      }
    }
  };
  const advance = (u: number) => {
    f.get(ap).i32(u * mr * 8).op("i32_add").set(ap);
    f.get(bp).i32(u * nr * 8).op("i32_add").set(bp);
  };

  // bEnd = bp + kc*nr*8; the unrolled loop runs while bp + unroll*nr*8 <= bEnd.
  f.get(bp).get(kc).i32(nr * 8).op("i32_mul").op("i32_add").set(bEnd);
  f.get(bEnd).i32(unroll * nr * 8).op("i32_sub").set(bEndUnrolled);
  if (unroll > 1) {
    f.block();
    f.get(bp).get(bEndUnrolled).op("i32_gt_s").brIf(0);
    f.loop();
    for (let u = 0; u < unroll; u++) step(u);
    advance(unroll);
    f.get(bp).get(bEndUnrolled).op("i32_le_s").brIf(0);
    f.end();
    f.end();
  }
  f.block();
  f.get(bp).get(bEnd).op("i32_ge_s").brIf(0);
  f.loop();
  step(0);
  advance(1);
  f.get(bp).get(bEnd).op("i32_lt_s").brIf(0);
  f.end();
  f.end();

  // Store the tile: C row r starts at cp + r*ldc.
  f.get(accumulate);
  f.if();
  emitStores(f, mr, nr, cp, ldc, acc, true);
  f.else();
  emitStores(f, mr, nr, cp, ldc, acc, false);
  f.end();
  return f;
}

function emitStores(
  f: FunctionBuilder,
  mr: number,
  nr: number,
  cp: number,
  ldc: number,
  acc: number[][],
  add: boolean,
): void {
  for (let r = 0; r < mr; r++) {
    for (let c = 0; c < nr; c++) {
      f.get(cp);
      if (add) f.get(cp).mem("i64_load", c * 8).get(acc[r]![c]!).op("i64_add");
      else f.get(acc[r]![c]!);
      f.mem("i64_store", c * 8);
    }
    if (r + 1 < mr) f.get(cp).get(ldc).op("i32_add").set(cp);
  }
}

/**
 * macro(apack, bpack, cp, ldc, mcPad, ncPad, kc, accumulate): every mr x nr tile of a packed
 * A block (mcPad rows) times a packed B block (ncPad columns), into C at cp (ldc bytes/row).
 */
function emitMacro({ mr, nr }: ScalarKernelShape, kernelIndex: number): FunctionBuilder {
  const f = new FunctionBuilder([I32, I32, I32, I32, I32, I32, I32, I32], []);
  const [apack, bpack, cp, ldc, mcPad, ncPad, kc, accumulate] = [0, 1, 2, 3, 4, 5, 6, 7];
  const jr = f.local(I32);
  const ir = f.local(I32);
  f.forLoop(jr, () => f.i32(0), () => f.get(ncPad), nr, () => {
    f.forLoop(ir, () => f.i32(0), () => f.get(mcPad), mr, () => {
      // kernel(apack + ir*kc*8, bpack + jr*kc*8, cp + ir*ldc + jr*8, kc, ldc, accumulate)
      f.get(apack).get(ir).get(kc).op("i32_mul").i32(3).op("i32_shl").op("i32_add");
      f.get(bpack).get(jr).get(kc).op("i32_mul").i32(3).op("i32_shl").op("i32_add");
      f.get(cp).get(ir).get(ldc).op("i32_mul").op("i32_add").get(jr).i32(3).op("i32_shl").op("i32_add");
      f.get(kc).get(ldc).get(accumulate).call(kernelIndex);
    });
  });
  return f;
}

/** The module's exports: `pack`, `kernel`, `macro`. */
export function buildMatmulModule(opts: MatmulModuleOptions): Uint8Array {
  return encodeModule({
    memory: opts.memory,
    functions: [
      { name: "pack", fn: emitPack() },
      { name: "kernel", fn: emitScalarKernel(opts.kernel) },
      { name: "macro", fn: emitMacro(opts.kernel, 1) },
    ],
  });
}
