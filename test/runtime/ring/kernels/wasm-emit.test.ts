// The wasm binary encoder: LEB128 against the specification's worked values, and every
// kernel shape's module passing the engine's own validation.

import test from "ava";
import { sleb, uleb } from "../../../../runtime/ring/kernels/wasm-emit.js";
import { buildMatmulModule, kernelName } from "../../../../runtime/ring/kernels/matmul-module.js";
import { KERNEL_VARIANTS } from "../../../../runtime/ring/kernels/matmul-variants.js";

test("unsigned LEB128", (t) => {
  t.deepEqual(uleb(0), [0x00]);
  t.deepEqual(uleb(127), [0x7f]);
  t.deepEqual(uleb(128), [0x80, 0x01]);
  t.deepEqual(uleb(624485), [0xe5, 0x8e, 0x26]);
  t.deepEqual(uleb(2 ** 32 - 1), [0xff, 0xff, 0xff, 0xff, 0x0f]);
});

test("signed LEB128", (t) => {
  t.deepEqual(sleb(0n), [0x00]);
  t.deepEqual(sleb(-1n), [0x7f]);
  t.deepEqual(sleb(63n), [0x3f]);
  t.deepEqual(sleb(64n), [0xc0, 0x00]);
  t.deepEqual(sleb(-64n), [0x40]);
  t.deepEqual(sleb(-65n), [0xbf, 0x7f]);
  t.deepEqual(sleb(-123456n), [0xc0, 0xbb, 0x78]);
  t.deepEqual(sleb(-(1n << 63n)), [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f]);
});

test("every kernel variant's module validates, with a plain and a shared memory", (t) => {
  const validate = (globalThis as unknown as { WebAssembly: { validate(b: Uint8Array): boolean } }).WebAssembly.validate;
  for (const kernel of KERNEL_VARIANTS) {
    t.true(validate(buildMatmulModule({ kernel, memory: { initialPages: 1 } })), kernelName(kernel));
    t.true(validate(buildMatmulModule({ kernel, memory: { initialPages: 1, maximumPages: 16, shared: true } })), kernelName(kernel));
  }
});
