// A tiny WebAssembly binary encoder: just enough of the format (types, one imported memory,
// functions, exports, code; i32/i64/v128 instructions and structured control flow) to write
// the ring kernels as TypeScript that emits opcodes, with no toolchain. It validates nothing
// itself: `new WebAssembly.Module(bytes)` does. It must never grow into a general assembler;
// add an opcode when a kernel needs it.

export const I32 = 0x7f;
export const I64 = 0x7e;
export const V128 = 0x7b;
export type ValType = typeof I32 | typeof I64 | typeof V128;

/** Unsigned LEB128. */
export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n = Math.floor(n / 128);
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

/** Signed LEB128 of a bigint (covers i32 and i64 constants). */
export function sleb(v: bigint): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = Number(v & 0x7fn);
    v >>= 7n;
    const signBit = (byte & 0x40) !== 0;
    if ((v === 0n && !signBit) || (v === -1n && signBit)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

function name(s: string): number[] {
  const bytes = [...new TextEncoder().encode(s)];
  return [...uleb(bytes.length), ...bytes];
}

function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

// Plain opcodes, named as in the text format.
const OP = {
  unreachable: 0x00, nop: 0x01, block: 0x02, loop: 0x03, if: 0x04, else: 0x05, end: 0x0b,
  br: 0x0c, br_if: 0x0d, return: 0x0f, call: 0x10, drop: 0x1a, select: 0x1b,
  local_get: 0x20, local_set: 0x21, local_tee: 0x22,
  i32_load: 0x28, i64_load: 0x29, i32_store: 0x36, i64_store: 0x37,
  memory_size: 0x3f, memory_grow: 0x40,
  i32_const: 0x41, i64_const: 0x42,
  i32_eqz: 0x45, i32_eq: 0x46, i32_ne: 0x47, i32_lt_s: 0x48, i32_lt_u: 0x49, i32_gt_s: 0x4a,
  i32_gt_u: 0x4b, i32_le_s: 0x4c, i32_le_u: 0x4d, i32_ge_s: 0x4e, i32_ge_u: 0x4f,
  i32_add: 0x6a, i32_sub: 0x6b, i32_mul: 0x6c, i32_div_u: 0x6e, i32_and: 0x71, i32_or: 0x72, i32_shl: 0x74,
  i32_shr_u: 0x76,
  i64_add: 0x7c, i64_sub: 0x7d, i64_mul: 0x7e, i64_and: 0x83, i64_or: 0x84, i64_xor: 0x85,
  i64_shl: 0x86, i64_shr_u: 0x88, i64_rotl: 0x89,
  i32_wrap_i64: 0xa7, i64_extend_i32_u: 0xad,
} as const;

// SIMD opcodes (prefix 0xfd, then a LEB128 sub-opcode).
const SIMD = {
  v128_load: 0x00, v128_load32_splat: 0x09, v128_load64_splat: 0x0a, v128_store: 0x0b,
  v128_const: 0x0c, i8x16_shuffle: 0x0d,
  i64x2_splat: 0x12, i64x2_extract_lane: 0x1d,
  v128_load64_zero: 0x5d,
  i32x4_add: 0xae, i32x4_mul: 0xb5, i32x4_shl: 0xab,
  i64x2_shl: 0xcb, i64x2_shr_u: 0xcd, i64x2_add: 0xce, i64x2_sub: 0xd1, i64x2_mul: 0xd5,
  i64x2_extmul_low_i32x4_u: 0xde, i64x2_extmul_high_i32x4_u: 0xdf,
  v128_and: 0x4e,
} as const;

/** Builds one function body. Locals are declared with `local()`; parameters come first. */
export class FunctionBuilder {
  readonly code: number[] = [];
  private readonly localTypes: ValType[] = [];

  constructor(
    readonly params: ValType[],
    readonly results: ValType[],
  ) {}

  /** Parameter index `i` is local `i`. */
  param(i: number): number {
    return i;
  }

  local(type: ValType): number {
    this.localTypes.push(type);
    return this.params.length + this.localTypes.length - 1;
  }

  op(name: keyof typeof OP, ...imm: number[]): this {
    this.code.push(OP[name], ...imm);
    return this;
  }

  simd(name: keyof typeof SIMD, ...imm: number[]): this {
    this.code.push(0xfd, ...uleb(SIMD[name]), ...imm);
    return this;
  }

  /** memory.fill(dst, byte, len) on memory 0 (bulk memory, 0xfc 11). */
  memoryFill(): this {
    this.code.push(0xfc, ...uleb(11), 0x00);
    return this;
  }

  get(i: number): this {
    return this.op("local_get", ...uleb(i));
  }
  set(i: number): this {
    return this.op("local_set", ...uleb(i));
  }
  tee(i: number): this {
    return this.op("local_tee", ...uleb(i));
  }
  i32(v: number): this {
    return this.op("i32_const", ...sleb(BigInt(v | 0)));
  }
  i64(v: bigint): this {
    return this.op("i64_const", ...sleb(BigInt.asIntN(64, v)));
  }
  /** Memory access with a static byte offset; `alignLog2` is a hint only. */
  mem(name: "i32_load" | "i64_load" | "i32_store" | "i64_store", offset = 0, alignLog2 = 3): this {
    return this.op(name, ...uleb(alignLog2), ...uleb(offset));
  }
  vmem(
    name: "v128_load" | "v128_store" | "v128_load32_splat" | "v128_load64_splat" | "v128_load64_zero",
    offset = 0,
    alignLog2 = 0,
  ): this {
    return this.simd(name, ...uleb(alignLog2), ...uleb(offset));
  }

  /** `block` / `loop` / `if` with an empty block type; close with `end()`. */
  block(): this {
    return this.op("block", 0x40);
  }
  loop(): this {
    return this.op("loop", 0x40);
  }
  if(): this {
    return this.op("if", 0x40);
  }
  else(): this {
    return this.op("else");
  }
  end(): this {
    return this.op("end");
  }
  brIf(depth: number): this {
    return this.op("br_if", ...uleb(depth));
  }
  br(depth: number): this {
    return this.op("br", ...uleb(depth));
  }
  call(funcIndex: number): this {
    return this.op("call", ...uleb(funcIndex));
  }

  /**
   * `for (i = from; i < to; i += step) body()` with i32 locals, signed compare; `from`, `to`
   * and a non-constant `step` are emitted by callbacks (evaluated at every use).
   */
  forLoop(i: number, from: () => void, to: () => void, step: number | (() => void), body: () => void): this {
    from();
    this.set(i);
    this.block();
    this.get(i);
    to();
    this.op("i32_ge_s").brIf(0);
    this.loop();
    body();
    this.get(i);
    if (typeof step === "number") this.i32(step);
    else step();
    this.op("i32_add").tee(i);
    to();
    this.op("i32_lt_s").brIf(0);
    this.end();
    this.end();
    return this;
  }

  /** The encoded body: local declarations (run-length by type) then code, then `end`. */
  encode(): number[] {
    const groups: number[][] = [];
    for (const t of this.localTypes) {
      const last = groups[groups.length - 1];
      if (last && last[1] === t) last[0]!++;
      else groups.push([1, t]);
    }
    const body = [...vec(groups.map(([count, t]) => [...uleb(count!), t!])), ...this.code, OP.end];
    return [...uleb(body.length), ...body];
  }
}

export interface ModuleSpec {
  /** Imported as `env.memory`; `shared` needs a maximum. */
  memory: { initialPages: number; maximumPages?: number; shared?: boolean };
  functions: { name?: string; fn: FunctionBuilder }[];
}

/** Encode a module whose only import is `env.memory` and whose named functions are exported. */
export function encodeModule(spec: ModuleSpec): Uint8Array {
  const sigKeys: string[] = [];
  const sigs: number[][] = [];
  const funcSig: number[] = [];
  for (const { fn } of spec.functions) {
    const key = `${fn.params.join(",")}->${fn.results.join(",")}`;
    let idx = sigKeys.indexOf(key);
    if (idx < 0) {
      idx = sigKeys.length;
      sigKeys.push(key);
      sigs.push([0x60, ...vec(fn.params.map((t) => [t])), ...vec(fn.results.map((t) => [t]))]);
    }
    funcSig.push(idx);
  }
  const { initialPages, maximumPages, shared } = spec.memory;
  const limits =
    maximumPages === undefined
      ? [0x00, ...uleb(initialPages)]
      : [shared ? 0x03 : 0x01, ...uleb(initialPages), ...uleb(maximumPages)];
  const importMemory = [...name("env"), ...name("memory"), 0x02, ...limits];
  const exports = spec.functions.flatMap(({ name: n }, i) => (n ? [[...name(n), 0x00, ...uleb(i)]] : []));
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec(sigs)),
    ...section(2, vec([importMemory])),
    ...section(3, vec(funcSig.map((s) => uleb(s)))),
    ...section(7, vec(exports)),
    ...section(10, vec(spec.functions.map(({ fn }) => fn.encode()))),
  ]);
}
