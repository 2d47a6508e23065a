// Reading (and, for tests and tools, writing) NumPy .npy files: format versions 1-3, C order,
// little-endian float64, float32, int64, int32 (and bool). Anything else (Fortran order,
// big-endian, other dtypes, a truncated file) is refused with a message saying what to save
// instead.

import type { ClearTensor } from "../clear/tensor.js";
import { fitsShape } from "./fit.js";
import { type DeclaredInput, inputError, showShape } from "./input.js";
import { invalidValue, type ValueLimits } from "./values.js";

const MAGIC = "\x93NUMPY";

const DTYPES: Record<string, { size: number; read: (v: DataView, off: number) => number }> = {
  "<f8": { size: 8, read: (v, o) => v.getFloat64(o, true) },
  "<f4": { size: 4, read: (v, o) => v.getFloat32(o, true) },
  "<i8": { size: 8, read: (v, o) => Number(v.getBigInt64(o, true)) },
  "<i4": { size: 4, read: (v, o) => v.getInt32(o, true) },
  "|b1": { size: 1, read: (v, o) => v.getUint8(o) },
};

const FIX = "save it with numpy.save as a C-order float64, float32, int64 or int32 array";

export function readNpy(bytes: Uint8Array, file: string, decl: DeclaredInput, limits: ValueLimits = {}): ClearTensor {
  const bad = (msg: string): never => {
    throw inputError(decl, file, msg);
  };
  const magic = String.fromCharCode(...bytes.subarray(0, 6));
  if (bytes.length < 10 || magic !== MAGIC) bad("not a .npy file (no \\x93NUMPY header)");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6]!;
  if (major < 1 || major > 3) bad(`unsupported .npy format version ${major}.${bytes[7]}`);
  const headerLen = major === 1 ? view.getUint16(8, true) : bytes.length >= 12 ? view.getUint32(8, true) : bad("truncated header");
  const start = major === 1 ? 10 : 12;
  if (start + headerLen > bytes.length) bad("truncated header");
  const header = new TextDecoder(major === 3 ? "utf-8" : "latin1").decode(bytes.subarray(start, start + headerLen));
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) bad("malformed .npy header");
  if (fortran === "True") bad(`Fortran-order arrays are not supported; ${FIX} (numpy.ascontiguousarray)`);
  const dtype = DTYPES[descr!];
  if (dtype === undefined) {
    const why = descr!.startsWith(">") ? "big-endian data is not supported" : `dtype '${descr}' is not supported`;
    bad(`${why}; ${FIX}`);
  }
  const found = shapeText!
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "")
    .map(Number);
  if (!found.every((d) => Number.isInteger(d) && d >= 0)) bad("malformed .npy header");
  const count = found.reduce((a, b) => a * b, 1);
  const dataStart = start + headerLen;
  if (bytes.length - dataStart < count * dtype!.size) {
    bad(`truncated data: shape ${showShape(found)} needs ${count * dtype!.size} bytes, the file has ${bytes.length - dataStart}`);
  }
  if (!fitsShape(found, decl.shape, false)) bad(`expected shape ${showShape(decl.shape)}, found ${showShape(found)}`);
  const data = new Float64Array(count);
  const strides = found.map((_, a) => found.slice(a + 1).reduce((x, y) => x * y, 1));
  for (let k = 0; k < count; k++) {
    const v = dtype!.read(view, dataStart + k * dtype!.size);
    const why = invalidValue(v, decl.elem, limits);
    if (why !== undefined) {
      const at = found.length === 0 ? "the value" : `element [${strides.map((st, a) => Math.floor(k / st) % found[a]!).join(", ")}]`;
      bad(`${at}: ${v} ${why}`);
    }
    data[k] = v;
  }
  return { data, shape: [...decl.shape] };
}

/** Encode a tensor as a version 1.0 .npy file of little-endian float64 (or int32/int64 when asked). */
export function encodeNpy(t: ClearTensor, descr: "<f8" | "<f4" | "<i8" | "<i4" = "<f8", fortranOrder = false): Uint8Array {
  const shape = t.shape.length === 1 ? `(${t.shape[0]},)` : `(${t.shape.join(", ")})`;
  let header = `{'descr': '${descr}', 'fortran_order': ${fortranOrder ? "True" : "False"}, 'shape': ${shape}, }`;
  // Pad so the data starts on a 64-byte boundary, header ending in a newline (the spec).
  const total = 10 + header.length + 1;
  header += " ".repeat((64 - (total % 64)) % 64) + "\n";
  const size = DTYPES[descr]!.size;
  const out = new Uint8Array(10 + header.length + t.data.length * size);
  out.set([0x93, ...Array.from("NUMPY", (c) => c.charCodeAt(0)), 1, 0], 0);
  const view = new DataView(out.buffer);
  view.setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  const base = 10 + header.length;
  t.data.forEach((v, k) => {
    const o = base + k * size;
    if (descr === "<f8") view.setFloat64(o, v, true);
    else if (descr === "<f4") view.setFloat32(o, v, true);
    else if (descr === "<i8") view.setBigInt64(o, BigInt(v), true);
    else view.setInt32(o, v, true);
  });
  return out;
}
