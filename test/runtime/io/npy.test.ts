import test from "ava";
import { clearTensor } from "../../../runtime/clear/index.js";
import { encodeNpy, readNpy, type DeclaredInput } from "../../../runtime/io/index.js";

const X = (shape: number[], elem: DeclaredInput["elem"] = "fixed"): DeclaredInput => ({ party: "carol", name: "m", elem, shape });
const M = clearTensor([1.5, -2, 3, 4, 5, 6], [2, 3]);

test("float64, float32, int64 and int32 arrays read back exactly", (t) => {
  for (const descr of ["<f8", "<f4", "<i8", "<i4"] as const) {
    const src = descr.includes("f") ? M : clearTensor([1, -2, 3, 4, 5, 6], [2, 3]);
    const got = readNpy(encodeNpy(src, descr), "m.npy", X([2, 3]));
    t.deepEqual(got.shape, [2, 3], descr);
    t.deepEqual(Array.from(got.data), Array.from(src.data), descr);
  }
});

test("a [n, 1] array fits a [n] input; an unaligned buffer still reads", (t) => {
  const bytes = encodeNpy(clearTensor([7, 8], [2, 1]));
  const shifted = new Uint8Array(bytes.length + 3);
  shifted.set(bytes, 3);
  t.deepEqual(Array.from(readNpy(shifted.subarray(3), "m.npy", X([2])).data), [7, 8]);
});

test("fortran order, big-endian and other dtypes are refused with what to do", (t) => {
  t.throws(() => readNpy(encodeNpy(M, "<f8", true), "m.npy", X([2, 3])), {
    message:
      "input carol.m (m.npy): Fortran-order arrays are not supported; save it with numpy.save as a C-order float64, float32, int64 or int32 array (numpy.ascontiguousarray)",
  });
  const be = encodeNpy(M);
  be.set(Array.from(">f8", (c) => c.charCodeAt(0)), be.indexOf("<".charCodeAt(0)));
  t.throws(() => readNpy(be, "m.npy", X([2, 3])), {
    message: "input carol.m (m.npy): big-endian data is not supported; save it with numpy.save as a C-order float64, float32, int64 or int32 array",
  });
  const i2 = encodeNpy(M);
  i2.set(Array.from("<i2", (c) => c.charCodeAt(0)), i2.indexOf("<".charCodeAt(0)));
  t.throws(() => readNpy(i2, "m.npy", X([2, 3])), {
    message: "input carol.m (m.npy): dtype '<i2' is not supported; save it with numpy.save as a C-order float64, float32, int64 or int32 array",
  });
});

test("wrong shape, truncated data and non-npy bytes", (t) => {
  t.throws(() => readNpy(encodeNpy(M), "m.npy", X([3, 2])), { message: "input carol.m (m.npy): expected shape [3, 2], found [2, 3]" });
  const full = encodeNpy(M);
  t.throws(() => readNpy(full.subarray(0, full.length - 8), "m.npy", X([2, 3])), {
    message: "input carol.m (m.npy): truncated data: shape [2, 3] needs 48 bytes, the file has 40",
  });
  t.throws(() => readNpy(new TextEncoder().encode("1,2,3\n4,5,6\n"), "m.npy", X([2, 3])), {
    message: "input carol.m (m.npy): not a .npy file (no \\x93NUMPY header)",
  });
});
