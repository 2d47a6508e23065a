// The local halves of the non-linear protocols (../spec/nonlinear): integer linear
// combinations of shares (the one-hot sums that pick a table entry, polynomial sums with
// pre-scaled coefficients) and the table lookup from a masked index. Exact on the ring; the
// constant terms are added by party 0 only. Never reads a value it is not given.

import { type LocalFn, ringArg } from "./types.js";
import { elementCount } from "../../plan/shape.js";

function intList(fn: string, attrs: Record<string, unknown>, name: string): bigint[] {
  const v = attrs[name];
  if (!Array.isArray(v) || !v.every((d) => typeof d === "number" && Number.isSafeInteger(d))) {
    throw new Error(`internal: local ${fn} needs attribute ${name} (safe integers)`);
  }
  return (v as number[]).map((d) => BigInt.asUintN(64, BigInt(d)));
}

function intAttr(fn: string, attrs: Record<string, unknown>, name: string, dflt?: number): bigint {
  const v = attrs[name] ?? dflt;
  if (typeof v !== "number" || !Number.isSafeInteger(v)) throw new Error(`internal: local ${fn} needs an integer attribute ${name}`);
  return BigInt.asUintN(64, BigInt(v));
}

const MINUS_ONE = BigInt.asUintN(64, -1n);

/** acc += w x (mod 2^64), with the common weights 1 and -1 as an addition and a subtraction
 *  (a 64 x 64-bit BigInt product is far slower than a truncated sum). */
function accumulate(acc: BigUint64Array, x: BigUint64Array, w: bigint, off = 0): void {
  const n = acc.length;
  if (w === 0n) return;
  if (w === 1n) for (let i = 0; i < n; i++) acc[i] = BigInt.asUintN(64, acc[i]! + x[off + i]!);
  else if (w === MINUS_ONE) for (let i = 0; i < n; i++) acc[i] = BigInt.asUintN(64, acc[i]! - x[off + i]!);
  else for (let i = 0; i < n; i++) acc[i] = BigInt.asUintN(64, acc[i]! + w * x[off + i]!);
}

/** sum_k w_k x_k + party0(constant). */
export const nl_lincomb: LocalFn = (ctx, args, attrs) => {
  const w = intList("nl_lincomb", attrs, "weights");
  if (w.length !== args.length) throw new Error("internal: local nl_lincomb needs one weight per argument");
  const xs = args.map((_, k) => ringArg("nl_lincomb", args, k));
  const n = xs[0]!.data.length;
  for (const x of xs) if (x.data.length !== n) throw new Error("internal: local nl_lincomb needs arguments of one size");
  const c = ctx.index === 0 ? intAttr("nl_lincomb", attrs, "constant", 0) : 0n;
  const out = new BigUint64Array(n);
  if (c !== 0n) out.fill(c);
  xs.forEach((x, k) => accumulate(out, x.data, w[k]!));
  return [{ data: out, shape: [...xs[0]!.shape] }];
};

/** sum_k w_k x[k] + party0(constant) over the rows of x [K, ...]. */
export const nl_rows: LocalFn = (ctx, args, attrs) => {
  const x = ringArg("nl_rows", args, 0);
  const w = intList("nl_rows", attrs, "weights");
  const rows = x.shape[0]!;
  if (w.length !== rows) throw new Error("internal: local nl_rows needs one weight per row");
  const rest = x.shape.slice(1);
  const n = elementCount(rest);
  const c = ctx.index === 0 ? intAttr("nl_rows", attrs, "constant", 0) : 0n;
  const out = new BigUint64Array(n);
  if (c !== 0n) out.fill(c);
  for (let k = 0; k < rows; k++) accumulate(out, x.data, w[k]!, k * n);
  return [{ data: out, shape: rest }];
};

/** out[k] = w_k x + party0(c_k): x [...] -> [K, ...]. */
export const nl_affine_rows: LocalFn = (ctx, args, attrs) => {
  const x = ringArg("nl_affine_rows", args, 0);
  const w = intList("nl_affine_rows", attrs, "weights");
  const cs = intList("nl_affine_rows", attrs, "constants");
  if (w.length !== cs.length) throw new Error("internal: local nl_affine_rows needs as many constants as weights");
  const n = x.data.length;
  const out = new BigUint64Array(w.length * n);
  const d = x.data;
  const first = ctx.index === 0;
  w.forEach((wk, k) => {
    const c = first ? cs[k]! : 0n;
    const row = out.subarray(k * n, (k + 1) * n);
    if (c !== 0n) row.fill(c);
    accumulate(row, d, wk);
  });
  return [{ data: out, shape: [w.length, ...x.shape] }];
};

/** Blocks c - t_k, padded to attr width, computed alike by every party (c is public). */
export const nl_public_thresholds: LocalFn = (_ctx, args, attrs) => {
  const c = ringArg("nl_public_thresholds", args, 0);
  const t = intList("nl_public_thresholds", attrs, "thresholds");
  const width = Number(intAttr("nl_public_thresholds", attrs, "width"));
  const n = c.data.length;
  if (width < n) throw new Error("internal: local nl_public_thresholds: width below the value's size");
  const out = new BigUint64Array(t.length * width);
  const d = c.data;
  t.forEach((tk, k) => {
    const base = k * width;
    for (let i = 0; i < n; i++) out[base + i] = BigInt.asUintN(64, d[i]! - tk);
  });
  return [{ data: out, shape: [t.length * width] }];
};

/** For each table T: out[i] = sum_j h[i, (c_i - j) mod size] * T[j], the shares of T[s_i mod size]. */
export const nl_lookup: LocalFn = (_ctx, args, attrs) => {
  const c = ringArg("nl_lookup", args, 0);
  const h = ringArg("nl_lookup", args, 1);
  const size = Number(intAttr("nl_lookup", attrs, "size"));
  const raw = attrs["tables"];
  if (!Array.isArray(raw)) throw new Error("internal: local nl_lookup needs attribute tables");
  const tables = raw.map((t, k) => {
    const v = intList("nl_lookup", { t }, "t");
    if (v.length !== size) throw new Error(`internal: local nl_lookup: table ${k} has ${v.length} entries, not ${size}`);
    return v;
  });
  const n = c.data.length;
  if (h.data.length !== n * size) throw new Error("internal: local nl_lookup: the one-hot and the index disagree on the size");
  const mask = size - 1;
  const m = tables.length;
  // entry j of table t at j * m + t, so each one-hot word is read once for every table
  const T = new BigUint64Array(size * m);
  tables.forEach((tab, t) => tab.forEach((v, j) => (T[j * m + t] = v)));
  // the index of each element's entry j is (c - j) mod size: only the low bits of c matter
  const lo = new Int32Array(c.data.buffer, c.data.byteOffset, 2 * n);
  const outs = tables.map(() => new BigUint64Array(n));
  const hd = h.data;
  const acc = new BigUint64Array(m);
  for (let i = 0; i < n; i++) {
    const ci = lo[2 * i]! & mask;
    const base = i * size;
    acc.fill(0n);
    for (let j = 0; j < size; j++) {
      const hv = hd[base + ((ci - j) & mask)]!;
      const e = j * m;
      // truncated at every step so V8 keeps the arithmetic in native 64-bit words
      for (let t = 0; t < m; t++) acc[t] = BigInt.asUintN(64, acc[t]! + hv * T[e + t]!);
    }
    for (let t = 0; t < m; t++) outs[t]![i] = acc[t]!;
  }
  return outs.map((data) => ({ data, shape: [...c.shape] }));
};
