// Emits the WebAssembly module for exact Z_2^64 matmul: packing, an mr x nr register-tiled
// micro-kernel (wrapping 64-bit multiply-add is exactly arithmetic mod 2^64), the
// macro-kernel over one packed block, and the blocked loop nest (`matmul`). A tile's columns
// are split into up to three segments, each computed a different way: scalar i64, SIMD
// i64x2.mul, and SIMD built from 32-bit halves ("split32"); mixing scalar and SIMD columns
// keeps both the integer and the vector units busy. This module only builds bytes; memory
// layout and instantiation live in matmul-engine.ts. It must never depend on anything but
// the emitter.

import { FunctionBuilder, I32, I64, V128, encodeModule } from "./wasm-emit.js";

export interface KernelShape {
  /** Rows of C held in registers by the micro-kernel. */
  mr: number;
  /**
   * Columns of C held in registers, by how they are computed, in this order within a tile:
   * `i64` scalar, `i64x2` (a multiple of 2), `split32` (a multiple of 4).
   */
  cols: { i64?: number; i64x2?: number; split32?: number };
  /** How many steps of the inner (k) loop one loop iteration does. */
  unroll: number;
}

/** Columns per tile. */
export function tileCols({ cols }: KernelShape): number {
  return (cols.i64 ?? 0) + (cols.i64x2 ?? 0) + (cols.split32 ?? 0);
}

/** Bytes one inner step of a packed B panel takes (split32 lanes take 12 bytes, others 8). */
export function bBytesPerStep({ cols }: KernelShape): number {
  return ((cols.i64 ?? 0) + (cols.i64x2 ?? 0)) * 8 + (cols.split32 ?? 0) * 12;
}

/** A short name such as "i64:4x2" (4 rows x 2 scalar columns) or "i64+split32:2x(2+4)u2". */
export function kernelName(shape: KernelShape): string {
  const parts = (["i64", "i64x2", "split32"] as const).filter((k) => (shape.cols[k] ?? 0) > 0);
  const widths = parts.map((k) => shape.cols[k]!);
  const w = widths.length === 1 ? `${widths[0]}` : `(${widths.join("+")})`;
  return `${parts.join("+")}:${shape.mr}x${w}${shape.unroll > 1 ? `u${shape.unroll}` : ""}`;
}

export interface MatmulModuleOptions {
  kernel: KernelShape;
  /** A shared memory (for the worker pool) must declare a maximum. */
  memory: { initialPages: number; maximumPages?: number; shared?: boolean };
}

/**
 * pack(src, strideP, strideW, kc, panels, validW, width, dst): copy a kc x (panels*width)
 * block into panels of `width` lanes, lane-contiguous per step:
 *   dst[(q*kc + p)*width + w] = src[p*strideP + (q*width + w)*strideW]   if q*width+w < validW
 *                             = 0                                          otherwise.
 * Strides are in bytes. A's row panels use (strideP=8, strideW=k*8); B's column panels use
 * (strideP=m*8, strideW=8). Padding lanes only ever feed the padded rows and columns of C,
 * which are dropped; zero keeps them tidy.
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
 * packB(src, ldb, kc, panels, validW, dst): B's column panels of exactly nr lanes, the same
 * layout `pack` makes with (strideP=ldb, strideW=8, width=nr), but walking B row by row so
 * every read is a contiguous run (down a column, each read would touch a new cache line).
 */
function emitPackB(nr: number): FunctionBuilder {
  const f = new FunctionBuilder([I32, I32, I32, I32, I32, I32], []);
  const [src, ldb, kc, panels, validW, dst] = [0, 1, 2, 3, 4, 5];
  const [q, s, d, dEnd, valid] = Array.from({ length: 5 }, () => f.local(I32));
  const v = f.local(I64);
  f.get(dst).set(d);
  f.forLoop(q, () => f.i32(0), () => f.get(panels), 1, () => {
    // s = src + q*nr*8; dEnd = d + kc*nr*8; valid = validW - q*nr
    f.get(src).get(q).i32(nr * 8).op("i32_mul").op("i32_add").set(s);
    f.get(d).get(kc).i32(nr * 8).op("i32_mul").op("i32_add").set(dEnd);
    f.get(validW).get(q).i32(nr).op("i32_mul").op("i32_sub").set(valid);
    f.block();
    f.get(d).get(dEnd).op("i32_ge_u").brIf(0);
    f.get(valid).i32(nr).op("i32_ge_s");
    f.if();
    f.loop(); // a whole panel: copy nr contiguous values per row
    for (let w = 0; w < nr; w++) f.get(d).get(s).mem("i64_load", w * 8).mem("i64_store", w * 8);
    f.get(s).get(ldb).op("i32_add").set(s);
    f.get(d).i32(nr * 8).op("i32_add").tee(d).get(dEnd).op("i32_lt_u").brIf(0);
    f.end();
    f.else();
    f.loop(); // the last panel: columns at or past validW are zero
    for (let w = 0; w < nr; w++) {
      f.i64(0n).set(v);
      f.i32(w).get(valid).op("i32_lt_s");
      f.if();
      f.get(s).mem("i64_load", w * 8).set(v);
      f.end();
      f.get(d).get(v).mem("i64_store", w * 8);
    }
    f.get(s).get(ldb).op("i32_add").set(s);
    f.get(d).i32(nr * 8).op("i32_add").tee(d).get(dEnd).op("i32_lt_u").brIf(0);
    f.end();
    f.end();
    f.end();
  });
  return f;
}

/** Where one column segment of the tile sits and which locals the kernel gives it. */
interface SegmentContext {
  f: FunctionBuilder;
  mr: number;
  /** Columns in this segment. */
  width: number;
  /** Byte offset of the segment's first column within a C row. */
  cOffset: number;
  /** Byte offset of the segment's lanes within one packed B step. */
  bOffset: number;
  bStep: number;
  ap: number;
  bp: number;
  cp: number;
  ldc: number;
}

/** What one column segment contributes to the kernel's loop skeleton. */
interface Segment {
  /** One inner step at unrolled position `u` (A at ap + u*mr*8, B at bp + u*bStep). */
  step(u: number): void;
  /** Write the segment's columns of the tile to C, adding to what is there when `add`. */
  store(add: boolean): void;
}

/**
 * kernel(ap, bp, cp, kc, ldc, accumulate): C[0..mr, 0..nr] (+)= Ap(kc x mr) . Bp(kc x nr),
 * where Ap/Bp are packed panels and C rows are `ldc` bytes apart. Accumulator locals start
 * at zero (wasm zero-initialises locals on every call).
 */
function emitKernel(shape: KernelShape): FunctionBuilder {
  const f = new FunctionBuilder([I32, I32, I32, I32, I32, I32], []);
  const [ap, bp, cp, kc, ldc, accumulate] = [0, 1, 2, 3, 4, 5];
  const { mr, unroll } = shape;
  const bStep = bBytesPerStep(shape);
  const segments: Segment[] = [];
  let cOffset = 0;
  let bOffset = 0;
  for (const [kind, make, laneBytes] of [
    ["i64", scalarSegment, 8],
    ["i64x2", i64x2Segment, 8],
    ["split32", split32Segment, 12],
  ] as const) {
    const width = shape.cols[kind] ?? 0;
    if (width === 0) continue;
    segments.push(make({ f, mr, width, cOffset, bOffset, bStep, ap, bp, cp, ldc }));
    cOffset += width * 8;
    bOffset += width * laneBytes;
  }
  const bEnd = f.local(I32);
  const step = (u: number) => segments.forEach((s) => s.step(u));
  const advance = (u: number) => {
    f.get(ap).i32(u * mr * 8).op("i32_add").set(ap);
    f.get(bp).i32(u * bStep).op("i32_add").set(bp);
  };
  // Addresses are unsigned (memory may pass 2 GiB); bp never passes bEnd, so bEnd - bp >= 0.
  const remaining = () => f.get(bEnd).get(bp).op("i32_sub");

  // bEnd = bp + kc*bStep; the unrolled loop runs while at least `unroll` steps remain, then
  // a one-step loop finishes the rest.
  f.get(bp).get(kc).i32(bStep).op("i32_mul").op("i32_add").set(bEnd);
  if (unroll > 1) {
    f.block();
    remaining();
    f.i32(unroll * bStep).op("i32_lt_u").brIf(0);
    f.loop();
    for (let u = 0; u < unroll; u++) step(u);
    advance(unroll);
    remaining();
    f.i32(unroll * bStep).op("i32_ge_u").brIf(0);
    f.end();
    f.end();
  }
  f.block();
  f.get(bp).get(bEnd).op("i32_ge_u").brIf(0);
  f.loop();
  step(0);
  advance(1);
  f.get(bp).get(bEnd).op("i32_lt_u").brIf(0);
  f.end();
  f.end();

  f.get(accumulate);
  f.if();
  segments.forEach((s) => s.store(true));
  f.else();
  segments.forEach((s) => s.store(false));
  f.end();
  return f;
}

/** Emit `perRow(rowPtr)` for each tile row, rowPtr = cp + r*ldc in a fresh local. */
function forEachRow({ f, mr, cp, ldc }: SegmentContext, perRow: (r: number, rowPtr: number) => void): void {
  const row = f.local(I32);
  f.get(cp).set(row);
  for (let r = 0; r < mr; r++) {
    perRow(r, row);
    if (r + 1 < mr) f.get(row).get(ldc).op("i32_add").set(row);
  }
}

/** Scalar: width*mr i64 accumulators, one i64.mul + i64.add per multiply-add. */
function scalarSegment(ctx: SegmentContext): Segment {
  const { f, mr, width, cOffset, bOffset, bStep, ap, bp } = ctx;
  const acc = Array.from({ length: mr }, () => Array.from({ length: width }, () => f.local(I64)));
  const a = Array.from({ length: mr }, () => f.local(I64));
  const b = f.local(I64);
  return {
    step(u) {
      for (let r = 0; r < mr; r++) f.get(ap).mem("i64_load", (u * mr + r) * 8).set(a[r]!);
      for (let c = 0; c < width; c++) {
        f.get(bp).mem("i64_load", u * bStep + bOffset + c * 8).set(b);
        for (let r = 0; r < mr; r++) {
          f.get(acc[r]![c]!).get(a[r]!).get(b).op("i64_mul").op("i64_add").set(acc[r]![c]!);
        }
      }
    },
    store(add) {
      forEachRow(ctx, (r, row) => {
        for (let c = 0; c < width; c++) {
          const off = cOffset + c * 8;
          f.get(row);
          if (add) f.get(row).mem("i64_load", off).get(acc[r]![c]!).op("i64_add");
          else f.get(acc[r]![c]!);
          f.mem("i64_store", off);
        }
      });
    },
  };
}

/** Store v128 accumulators acc[r][v] (2 columns each) to C, adding to C when `add`. */
function storeVectors(ctx: SegmentContext, acc: number[][], add: boolean): void {
  const { f, cOffset } = ctx;
  forEachRow(ctx, (r, row) => {
    for (let v = 0; v < acc[r]!.length; v++) {
      const off = cOffset + v * 16;
      f.get(row);
      if (add) f.get(row).vmem("v128_load", off).get(acc[r]![v]!).simd("i64x2_add");
      else f.get(acc[r]![v]!);
      f.vmem("v128_store", off);
    }
  });
}

/** SIMD with the engine's i64x2.mul (on x64, V8 emits three pmuludq plus shifts and adds). */
function i64x2Segment(ctx: SegmentContext): Segment {
  const { f, mr, width, bOffset, bStep, ap, bp } = ctx;
  const nv = width / 2;
  const acc = Array.from({ length: mr }, () => Array.from({ length: nv }, () => f.local(V128)));
  const b = Array.from({ length: nv }, () => f.local(V128));
  const a = f.local(V128);
  return {
    step(u) {
      for (let v = 0; v < nv; v++) f.get(bp).vmem("v128_load", u * bStep + bOffset + v * 16).set(b[v]!);
      for (let r = 0; r < mr; r++) {
        f.get(ap).vmem("v128_load64_splat", (u * mr + r) * 8).set(a);
        for (let v = 0; v < nv; v++) {
          f.get(acc[r]![v]!).get(a).get(b[v]!).simd("i64x2_mul").simd("i64x2_add").set(acc[r]![v]!);
        }
      }
    },
    store: (add) => storeVectors(ctx, acc, add),
  };
}

/**
 * SIMD from 32-bit halves: a*b mod 2^64 = lo(a)*lo(b) + 2^32*(lo(a)*hi(b) + hi(a)*lo(b)).
 * The first term is an exact u32 x u32 -> u64 product (i64x2.extmul); the cross terms only
 * matter mod 2^32, so they are i32x4.mul products summed in wrapping i32 lanes and folded in
 * once per tile. B lanes are packed per step as `width` low halves (u32) followed by the
 * `width` values with their halves swapped, so a (lo, hi, lo, hi) splat of A lines up.
 */
function split32Segment(ctx: SegmentContext): Segment {
  const { f, mr, width, bOffset, bStep, ap, bp } = ctx;
  const nq = width / 4; // groups of 4 columns
  const lolo = Array.from({ length: mr }, () => Array.from({ length: 2 * nq }, () => f.local(V128)));
  const cross = Array.from({ length: mr }, () => Array.from({ length: 2 * nq }, () => f.local(V128)));
  const aLo = f.local(V128);
  const aPair = f.local(V128);
  const bLo = Array.from({ length: nq }, () => f.local(V128));
  const bSwap = Array.from({ length: 2 * nq }, () => f.local(V128));
  const t = f.local(V128);
  return {
    step(u) {
      const base = u * bStep + bOffset;
      for (let q = 0; q < nq; q++) f.get(bp).vmem("v128_load", base + q * 16).set(bLo[q]!);
      for (let v = 0; v < 2 * nq; v++) f.get(bp).vmem("v128_load", base + width * 4 + v * 16).set(bSwap[v]!);
      for (let r = 0; r < mr; r++) {
        const off = (u * mr + r) * 8;
        f.get(ap).vmem("v128_load32_splat", off).set(aLo);
        f.get(ap).vmem("v128_load64_splat", off).set(aPair);
        for (let q = 0; q < nq; q++) {
          const [l0, l1] = [lolo[r]![2 * q]!, lolo[r]![2 * q + 1]!];
          f.get(l0).get(aLo).get(bLo[q]!).simd("i64x2_extmul_low_i32x4_u").simd("i64x2_add").set(l0);
          f.get(l1).get(aLo).get(bLo[q]!).simd("i64x2_extmul_high_i32x4_u").simd("i64x2_add").set(l1);
        }
        for (let v = 0; v < 2 * nq; v++) {
          f.get(cross[r]![v]!).get(aPair).get(bSwap[v]!).simd("i32x4_mul").simd("i32x4_add").set(cross[r]![v]!);
        }
      }
    },
    store(add) {
      // A cross lane pair holds x + y*2^32; (v + (v >> 32)) << 32 is ((x + y) mod 2^32) << 32.
      for (let r = 0; r < mr; r++) {
        for (let v = 0; v < 2 * nq; v++) {
          f.get(cross[r]![v]!).tee(t).get(t).i32(32).simd("i64x2_shr_u").simd("i64x2_add").i32(32).simd("i64x2_shl");
          f.get(lolo[r]![v]!).simd("i64x2_add").set(lolo[r]![v]!);
        }
      }
      storeVectors(ctx, lolo, add);
    },
  };
}

/**
 * splitB(src, steps, plain, split, dst): rewrite `steps` packed B steps of plain+split i64
 * lanes so the last `split` lanes take the split32 layout: `split` u32 low halves, then the
 * `split` values with their halves swapped. The first `plain` lanes are copied as they are.
 */
function emitSplitB(): FunctionBuilder {
  const f = new FunctionBuilder([I32, I32, I32, I32, I32], []);
  const [src, steps, plain, split, dst] = [0, 1, 2, 3, 4];
  const g = f.local(I32);
  const c = f.local(I32);
  const s = f.local(I32);
  const d = f.local(I32);
  const dLo = f.local(I32);
  const dSwap = f.local(I32);
  const v = f.local(I64);
  f.forLoop(g, () => f.i32(0), () => f.get(steps), 1, () => {
    // s = src + g*(plain+split)*8; d = dst + g*(plain*8 + split*12)
    f.get(src).get(g).get(plain).get(split).op("i32_add").op("i32_mul").i32(3).op("i32_shl").op("i32_add").set(s);
    f.get(dst).get(g).get(plain).i32(8).op("i32_mul").get(split).i32(12).op("i32_mul").op("i32_add").op("i32_mul").op("i32_add").set(d);
    f.forLoop(c, () => f.i32(0), () => f.get(plain), 1, () => {
      f.get(d).get(c).i32(3).op("i32_shl").op("i32_add");
      f.get(s).get(c).i32(3).op("i32_shl").op("i32_add").mem("i64_load");
      f.mem("i64_store");
    });
    // dLo = d + plain*8; dSwap = dLo + split*4; s += plain*8
    f.get(d).get(plain).i32(3).op("i32_shl").op("i32_add").set(dLo);
    f.get(dLo).get(split).i32(2).op("i32_shl").op("i32_add").set(dSwap);
    f.get(s).get(plain).i32(3).op("i32_shl").op("i32_add").set(s);
    f.forLoop(c, () => f.i32(0), () => f.get(split), 1, () => {
      f.get(s).get(c).i32(3).op("i32_shl").op("i32_add").mem("i64_load").set(v);
      f.get(dLo).get(c).i32(2).op("i32_shl").op("i32_add").get(v).op("i32_wrap_i64").mem("i32_store", 0, 2);
      f.get(dSwap).get(c).i32(3).op("i32_shl").op("i32_add").get(v).i64(32n).op("i64_rotl").mem("i64_store");
    });
  });
  return f;
}

/**
 * macro(apack, bpack, cp, ldc, mcPad, ncPad, kc, accumulate): every mr x nr tile of a packed
 * A block (mcPad rows) times a packed B block (ncPad columns), into C at cp (ldc bytes/row).
 */
function emitMacro(shape: KernelShape, kernelIndex: number): FunctionBuilder {
  const { mr } = shape;
  const nr = tileCols(shape);
  const bStep = bBytesPerStep(shape);
  const f = new FunctionBuilder([I32, I32, I32, I32, I32, I32, I32, I32], []);
  const [apack, bpack, cp, ldc, mcPad, ncPad, kc, accumulate] = [0, 1, 2, 3, 4, 5, 6, 7];
  const jr = f.local(I32);
  const ir = f.local(I32);
  const bPanel = f.local(I32);
  const cCol = f.local(I32);
  f.forLoop(jr, () => f.i32(0), () => f.get(ncPad), nr, () => {
    // bPanel = bpack + (jr/nr)*kc*bStep; cCol = cp + jr*8
    f.get(bpack).get(jr).i32(nr).op("i32_div_u").get(kc).op("i32_mul").i32(bStep).op("i32_mul").op("i32_add").set(bPanel);
    f.get(cp).get(jr).i32(3).op("i32_shl").op("i32_add").set(cCol);
    f.forLoop(ir, () => f.i32(0), () => f.get(mcPad), mr, () => {
      // kernel(apack + ir*kc*8, bPanel, cCol + ir*ldc, kc, ldc, accumulate)
      f.get(apack).get(ir).get(kc).op("i32_mul").i32(3).op("i32_shl").op("i32_add");
      f.get(bPanel);
      f.get(cCol).get(ir).get(ldc).op("i32_mul").op("i32_add");
      f.get(kc).get(ldc).get(accumulate).call(kernelIndex);
    });
  });
  return f;
}

/**
 * matmul(a, b, c, k, m, ldc, rowStart, rowEnd, colStart, colEnd, apack, bpack, bpackRaw,
 *        MC, KC, NC): the whole blocked product for C[rows, cols] (byte addresses; ldc is C's
 * padded row length in bytes; rowStart a multiple of mr, colStart of nr):
 *   for jc in cols by NC: for pc in 0..k by KC: packB the B block (then split it for split32);
 *     for ic in rows by MC: pack A block; macro(...) accumulating from the second pc on.
 */
function emitDriver(shape: KernelShape, fn: { pack: number; packB: number; splitB: number; macro: number }): FunctionBuilder {
  const { mr } = shape;
  const nr = tileCols(shape);
  const split = shape.cols.split32 ?? 0;
  const f = new FunctionBuilder(Array.from({ length: 16 }, () => I32), []);
  const [a, b, c, k, m, ldc, rowStart, rowEnd, colStart, colEnd, apack, bpack, bpackRaw, MC, KC, NC] =
    Array.from({ length: 16 }, (_, i) => i);
  const [jc, nc, ncPad, pc, kc, ic, mcRows, mcPad] = Array.from({ length: 8 }, () => f.local(I32));
  // dst = min(x, y), signed: select(x, y, x < y); x and y are cheap to emit twice.
  const min = (dst: number, x: () => void, y: () => void) => {
    x();
    y();
    x();
    y();
    f.op("i32_lt_s").op("select").set(dst);
  };
  const roundUpTo = (dst: number, src: number, to: number) => {
    f.get(src).i32(to - 1).op("i32_add").i32(to).op("i32_div_u").i32(to).op("i32_mul").set(dst);
  };
  f.forLoop(jc, () => f.get(colStart), () => f.get(colEnd), () => f.get(NC), () => {
    min(nc, () => f.get(NC), () => f.get(colEnd).get(jc).op("i32_sub"));
    roundUpTo(ncPad, nc, nr);
    f.forLoop(pc, () => f.i32(0), () => f.get(k), () => f.get(KC), () => {
      min(kc, () => f.get(KC), () => f.get(k).get(pc).op("i32_sub"));
      // packB(b + (pc*m + jc)*8, m*8, kc, ncPad/nr, nc, bpackRaw)
      f.get(b).get(pc).get(m).op("i32_mul").get(jc).op("i32_add").i32(3).op("i32_shl").op("i32_add");
      f.get(m).i32(3).op("i32_shl").get(kc).get(ncPad).i32(nr).op("i32_div_u").get(nc).get(bpackRaw);
      f.call(fn.packB);
      if (split > 0) {
        // splitB(bpackRaw, kc*ncPad/nr, nr - split, split, bpack)
        f.get(bpackRaw).get(kc).get(ncPad).op("i32_mul").i32(nr).op("i32_div_u").i32(nr - split).i32(split).get(bpack);
        f.call(fn.splitB);
      }
      f.forLoop(ic, () => f.get(rowStart), () => f.get(rowEnd), () => f.get(MC), () => {
        min(mcRows, () => f.get(MC), () => f.get(rowEnd).get(ic).op("i32_sub"));
        roundUpTo(mcPad, mcRows, mr);
        // pack(a + (ic*k + pc)*8, 8, k*8, kc, mcPad/mr, mcRows, mr, apack)
        f.get(a).get(ic).get(k).op("i32_mul").get(pc).op("i32_add").i32(3).op("i32_shl").op("i32_add");
        f.i32(8).get(k).i32(3).op("i32_shl").get(kc).get(mcPad).i32(mr).op("i32_div_u").get(mcRows).i32(mr).get(apack);
        f.call(fn.pack);
        // macro(apack, bpack, c + ic*ldc + jc*8, ldc, mcPad, ncPad, kc, pc > 0)
        f.get(apack).get(bpack);
        f.get(c).get(ic).get(ldc).op("i32_mul").op("i32_add").get(jc).i32(3).op("i32_shl").op("i32_add");
        f.get(ldc).get(mcPad).get(ncPad).get(kc).get(pc).i32(0).op("i32_gt_s");
        f.call(fn.macro);
      });
    });
  });
  return f;
}

/**
 * streaming(a, b, c, n, k, m): C = A @ B with all three row-major in place and no packing:
 * for each row i, C[i,:] = sum_p A[i,p] * B[p,:], the inner loop over a row of B and C
 * unrolled by four. Each B element is used once per row of A, so when A has very few rows
 * packing B would cost more than it saves.
 */
function emitStreaming(): FunctionBuilder {
  const f = new FunctionBuilder([I32, I32, I32, I32, I32, I32], []);
  const [a, b, c, n, k, m] = [0, 1, 2, 3, 4, 5];
  const [i, p, cRow, cEnd, cEnd4, cj, bj, aElem] = Array.from({ length: 8 }, () => f.local(I32));
  const x = f.local(I64);
  const mac = (off: number) => {
    // c[j] = c[j] + x * b[j] at byte offset `off` from cj / bj
    f.get(cj).get(cj).mem("i64_load", off).get(x).get(bj).mem("i64_load", off).op("i64_mul").op("i64_add").mem("i64_store", off);
  };
  f.get(a).set(aElem);
  f.forLoop(i, () => f.i32(0), () => f.get(n), 1, () => {
    // cRow = c + i*m*8; cEnd = cRow + m*8; cEnd4 = cRow + (m & ~3)*8; C[i,:] = 0
    f.get(c).get(i).get(m).op("i32_mul").i32(3).op("i32_shl").op("i32_add").set(cRow);
    f.get(cRow).get(m).i32(3).op("i32_shl").op("i32_add").set(cEnd);
    f.get(cRow).get(m).i32(~3).op("i32_and").i32(3).op("i32_shl").op("i32_add").set(cEnd4);
    f.get(cRow).i32(0).get(m).i32(3).op("i32_shl").memoryFill();
    f.forLoop(p, () => f.i32(0), () => f.get(k), 1, () => {
      f.get(aElem).mem("i64_load").set(x);
      f.get(aElem).i32(8).op("i32_add").set(aElem);
      f.get(b).get(p).get(m).op("i32_mul").i32(3).op("i32_shl").op("i32_add").set(bj);
      f.get(cRow).set(cj);
      f.block();
      f.get(cj).get(cEnd4).op("i32_ge_u").brIf(0);
      f.loop();
      for (let u = 0; u < 4; u++) mac(u * 8);
      f.get(bj).i32(32).op("i32_add").set(bj);
      f.get(cj).i32(32).op("i32_add").tee(cj).get(cEnd4).op("i32_lt_u").brIf(0);
      f.end();
      f.end();
      f.block();
      f.get(cj).get(cEnd).op("i32_ge_u").brIf(0);
      f.loop();
      mac(0);
      f.get(bj).i32(8).op("i32_add").set(bj);
      f.get(cj).i32(8).op("i32_add").tee(cj).get(cEnd).op("i32_lt_u").brIf(0);
      f.end();
      f.end();
    });
  });
  return f;
}

/**
 * dots(a, bt, c, n, k, m): C[i,j] = dot(A[i,:], Bt[j,:]) with A [n,k] and Bt = B transposed
 * [m,k], both row-major, four partial sums per dot. For B with very few columns: every dot
 * reads two contiguous rows, and nothing is padded to a tile.
 */
function emitDots(): FunctionBuilder {
  const f = new FunctionBuilder([I32, I32, I32, I32, I32, I32], []);
  const [a, bt, c, n, k, m] = [0, 1, 2, 3, 4, 5];
  const [i, j, aRow, ap, bp, aEnd, aEnd4, cp] = Array.from({ length: 8 }, () => f.local(I32));
  const sums = Array.from({ length: 4 }, () => f.local(I64));
  const mac = (sum: number, off: number) => {
    f.get(sum).get(ap).mem("i64_load", off).get(bp).mem("i64_load", off).op("i64_mul").op("i64_add").set(sum);
  };
  f.get(c).set(cp);
  f.forLoop(i, () => f.i32(0), () => f.get(n), 1, () => {
    // aRow = a + i*k*8; aEnd = aRow + k*8; aEnd4 = aRow + (k & ~3)*8
    f.get(a).get(i).get(k).op("i32_mul").i32(3).op("i32_shl").op("i32_add").set(aRow);
    f.get(aRow).get(k).i32(3).op("i32_shl").op("i32_add").set(aEnd);
    f.get(aRow).get(k).i32(~3).op("i32_and").i32(3).op("i32_shl").op("i32_add").set(aEnd4);
    f.forLoop(j, () => f.i32(0), () => f.get(m), 1, () => {
      for (const s of sums) f.i64(0n).set(s);
      f.get(aRow).set(ap);
      f.get(bt).get(j).get(k).op("i32_mul").i32(3).op("i32_shl").op("i32_add").set(bp);
      f.block();
      f.get(ap).get(aEnd4).op("i32_ge_u").brIf(0);
      f.loop();
      sums.forEach((s, u) => mac(s, u * 8));
      f.get(bp).i32(32).op("i32_add").set(bp);
      f.get(ap).i32(32).op("i32_add").tee(ap).get(aEnd4).op("i32_lt_u").brIf(0);
      f.end();
      f.end();
      f.block();
      f.get(ap).get(aEnd).op("i32_ge_u").brIf(0);
      f.loop();
      mac(sums[0]!, 0);
      f.get(bp).i32(8).op("i32_add").set(bp);
      f.get(ap).i32(8).op("i32_add").tee(ap).get(aEnd).op("i32_lt_u").brIf(0);
      f.end();
      f.end();
      f.get(cp).get(sums[0]!).get(sums[1]!).op("i64_add").get(sums[2]!).op("i64_add").get(sums[3]!).op("i64_add").mem("i64_store");
      f.get(cp).i32(8).op("i32_add").set(cp);
    });
  });
  return f;
}

/** The exports: `pack`, `splitB`, `kernel`, `macro`, `matmul` (the whole product), `streaming`, `dots`, `packB`. */
export function buildMatmulModule(opts: MatmulModuleOptions): Uint8Array {
  return encodeModule({
    memory: opts.memory,
    functions: [
      { name: "pack", fn: emitPack() },
      { name: "splitB", fn: emitSplitB() },
      { name: "kernel", fn: emitKernel(opts.kernel) },
      { name: "macro", fn: emitMacro(opts.kernel, 2) },
      { name: "matmul", fn: emitDriver(opts.kernel, { pack: 0, packB: 7, splitB: 1, macro: 3 }) },
      { name: "streaming", fn: emitStreaming() },
      { name: "dots", fn: emitDots() },
      { name: "packB", fn: emitPackB(tileCols(opts.kernel)) },
    ],
  });
}
