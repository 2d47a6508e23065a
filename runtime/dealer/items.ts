// How the dealer's items are made and split into shares, for both sides of the split: the
// dealer (who builds every party's PRG shares to compute the one correction share) and each
// party (who derives its own shares from the seed it shares with the dealer). The layout of
// each item is the shared table in ../protocols/spec/dealer-items.ts.
//
// Streams: party i's share of output k of the item labelled L is Prg(seed_i, "L/k"): every
// output has its own random-access stream, so no party depends on another's draw order.
// The correlated outputs of the LAST party are the dealer's corrections; nothing else crosses
// the wire. The dealer never sees an input: these functions take only seeds and shapes.

import { Prg } from "../random/index.js";
import { type RingTensor, ringMatmul, ringMul, ringTranspose, size } from "../ring/index.js";
import { DEALER_ITEMS, type DealerOutputLayout, isDealerItem } from "../protocols/spec/dealer-items.js";
import { binaryCorrections } from "./binary.js";
import { ringConv2d } from "../protocols/local/conv.js";
import { convWindow } from "../protocols/spec/conv-tables.js";

/** The label of one dealer node execution: node id plus loop iteration path. */
export function dealerLabel(nodeId: string, iter: readonly number[]): string {
  return iter.length === 0 ? `dealer/${nodeId}` : `dealer/${nodeId}@${iter.join(".")}`;
}

export function outputStream(seed: Uint8Array, label: string, k: number, n: number): BigUint64Array {
  return new Prg(seed, `${label}/${k}`).ring(n);
}

export function itemLayout(item: string, attrs: Record<string, unknown>): DealerOutputLayout[] {
  if (!isDealerItem(item)) throw new Error(`internal: unknown dealer item ${item}`);
  return DEALER_ITEMS[item].layout(attrs);
}

const LOW63 = (1n << 63n) - 1n;

/** The correlated outputs (full values) from the random ones (full values), per item. */
export function correlate(item: string, attrs: Record<string, unknown>, random: RingTensor[]): RingTensor[] {
  switch (item) {
    case "triple_mul":
      return [ringMul(random[0]!, random[1]!)];
    case "square_pair": {
      const a = random[0]!.data;
      const out = new BigUint64Array(a.length);
      for (let i = 0; i < a.length; i++) out[i] = BigInt.asUintN(64, a[i]! * a[i]!);
      return [{ data: out, shape: [...random[0]!.shape] }];
    }
    case "triple_matmul":
      return [ringMatmul(random[0]!, random[1]!)];
    case "mask":
      return [];
    case "triple_conv": {
      const { stride, padding } = convWindow(attrs);
      return [ringConv2d(random[0]!, random[1]!, stride, padding)];
    }
    case "trunc_pair": {
      const bits = BigInt(attrs["bits"] as number);
      const r = random[0]!.data;
      const msb = new BigUint64Array(r.length);
      const low = new BigUint64Array(r.length);
      for (let i = 0; i < r.length; i++) {
        msb[i] = r[i]! >> 63n;
        low[i] = (r[i]! & LOW63) >> bits;
      }
      return [
        { data: msb, shape: [...random[0]!.shape] },
        { data: low, shape: [...random[0]!.shape] },
      ];
    }
    case "nl_onehot": {
      // the one-hot vector of (r mod size), row by row (non-linear table lookups)
      const r = random[0]!.data;
      const sz = attrs["size"] as number;
      const h = new BigUint64Array(r.length * sz);
      for (let i = 0; i < r.length; i++) h[i * sz + Number(r[i]! & BigInt(sz - 1))] = 1n;
      return [{ data: h, shape: [...random[0]!.shape, sz] }];
    }
    default:
      throw new Error(`internal: dealer item ${item} has no generator`);
  }
}

/**
 * The dealer's side of one item: from every party's seed, the full random values, the full
 * correlated values, and the last party's correction shares (one per correlated output).
 */
export function makeCorrections(item: string, attrs: Record<string, unknown>, label: string, seeds: readonly Uint8Array[]): BigUint64Array[] {
  const layout = itemLayout(item, attrs);
  const binary = binaryCorrections(item, attrs, layout, label, seeds, outputStream);
  if (binary) return binary;
  if (item === "triple_matmul_masked") return [maskedMatmulCorrection(attrs, layout, label, seeds)];
  const fused = fusedCorrection(item, layout, label, seeds);
  if (fused) return [fused];
  const n = seeds.length;
  const random: RingTensor[] = [];
  layout.forEach((o, k) => {
    if (o.correlated) return;
    const len = size(o.shape);
    // an owned output is its owner's stream alone; any other is the sum of every party's
    const data = o.owner !== undefined ? outputStream(ownerSeed(seeds, o.owner, label), label, k, len) : fullValue(seeds, label, k, len);
    random.push({ data, shape: o.shape });
  });
  const full = correlate(item, attrs, random);
  const corrections: BigUint64Array[] = [];
  let c = 0;
  layout.forEach((o, k) => {
    if (!o.correlated) return;
    const corr = full[c++]!.data;
    const len = size(o.shape);
    for (let i = 0; i < n - 1; i++) subInto(corr, outputStream(seeds[i]!, label, k, len));
    corrections.push(corr);
  });
  return corrections;
}

function ownerSeed(seeds: readonly Uint8Array[], owner: number, label: string): Uint8Array {
  const s = seeds[owner];
  if (!s) throw new Error(`internal: dealer item ${label}: owner ${owner} is not a party`);
  return s;
}

/** The sum of every party's stream of output k: the full random value. */
function fullValue(seeds: readonly Uint8Array[], label: string, k: number, len: number): BigUint64Array {
  const full = outputStream(seeds[0]!, label, k, len);
  for (let i = 1; i < seeds.length; i++) addInto(full, outputStream(seeds[i]!, label, k, len));
  return full;
}

/** Elementwise triples and square pairs in one pass per output, in place: the correction is
 *  a*b minus the other parties' c shares, computed into the buffer that summed those. */
function fusedCorrection(item: string, layout: DealerOutputLayout[], label: string, seeds: readonly Uint8Array[]): BigUint64Array | undefined {
  if (item === "triple_mul") {
    const [a, b, c] = layout;
    if (!sameDims(a!.shape, c!.shape) || !sameDims(b!.shape, c!.shape)) return undefined;
    const len = size(c!.shape);
    const av = a!.owner !== undefined ? outputStream(ownerSeed(seeds, a!.owner, label), label, 0, len) : fullValue(seeds, label, 0, len);
    const bv = b!.owner !== undefined ? outputStream(ownerSeed(seeds, b!.owner, label), label, 1, len) : fullValue(seeds, label, 1, len);
    const others = othersSum(seeds, label, 2, len);
    for (let i = 0; i < len; i++) others[i] = BigInt.asUintN(64, av[i]! * bv[i]! - others[i]!);
    return others;
  }
  if (item === "square_pair") {
    const len = size(layout[0]!.shape);
    const av = fullValue(seeds, label, 0, len);
    const others = othersSum(seeds, label, 1, len);
    for (let i = 0; i < len; i++) others[i] = BigInt.asUintN(64, av[i]! * av[i]! - others[i]!);
    return others;
  }
  return undefined;
}

/** The sum of parties 0..n-2's streams of output k (zeros when there is no other party). */
function othersSum(seeds: readonly Uint8Array[], label: string, k: number, len: number): BigUint64Array {
  if (seeds.length < 2) return new BigUint64Array(len);
  const acc = outputStream(seeds[0]!, label, k, len);
  for (let i = 1; i < seeds.length - 1; i++) addInto(acc, outputStream(seeds[i]!, label, k, len));
  return acc;
}

function sameDims(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** A party's side: its shares of every output of the item, in layout order; `undefined` for an
 *  output owned by another party. `corrections` (the last party only) replace its correlated
 *  outputs. `index` is this party's index among the compute parties. */
export function partyShares(
  item: string,
  attrs: Record<string, unknown>,
  label: string,
  seed: Uint8Array,
  corrections: readonly BigUint64Array[] | undefined,
  index = -1,
): (RingTensor | undefined)[] {
  const layout = itemLayout(item, attrs);
  let c = 0;
  return layout.map((o, k) => {
    if (o.correlated && corrections) {
      const data = corrections[c++];
      if (!data || data.length !== size(o.shape)) throw new Error(`internal: dealer correction for ${label} output ${o.name} has the wrong size`);
      return { data, shape: [...o.shape] };
    }
    if (o.owner !== undefined && o.owner !== index) return undefined;
    return { data: outputStream(seed, label, k, size(o.shape)), shape: [...o.shape] };
  });
}

function addInto(acc: BigUint64Array, x: BigUint64Array): void {
  for (let i = 0; i < acc.length; i++) acc[i] = BigInt.asUintN(64, acc[i]! + x[i]!);
}

function subInto(acc: BigUint64Array, x: BigUint64Array): void {
  for (let i = 0; i < acc.length; i++) acc[i] = BigInt.asUintN(64, acc[i]! - x[i]!);
}

/** The label of the `mask` item a triple_matmul_masked refers to: its node id, at the first
 *  mask_depth entries of this item's loop iteration path (the mask runs outside the inner loops). */
export function maskLabel(attrs: Record<string, unknown>, label: string): string {
  const mask = attrs["mask"];
  const depth = attrs["mask_depth"];
  if (typeof mask !== "string" || typeof depth !== "number" || !Number.isInteger(depth) || depth < 0) {
    throw new Error(`internal: dealer item ${label}: triple_matmul_masked needs attributes mask and mask_depth`);
  }
  const at = label.indexOf("@");
  const iter = at < 0 ? [] : label.slice(at + 1).split(".").map(Number);
  if (iter.length < depth) throw new Error(`internal: dealer item ${label}: mask_depth ${depth} is deeper than the item`);
  return dealerLabel(mask, iter.slice(0, depth));
}

/** C = A' @ B (side left) or B @ A' (side right) minus the other parties' C shares, with A the
 *  full value of the referenced mask (the sum of every party's stream of its output 0). */
function maskedMatmulCorrection(attrs: Record<string, unknown>, layout: DealerOutputLayout[], label: string, seeds: readonly Uint8Array[]): BigUint64Array {
  const maskShape = attrs["mask_shape"];
  if (!Array.isArray(maskShape)) throw new Error(`internal: dealer item ${label}: triple_matmul_masked needs mask_shape`);
  const shape = maskShape as number[];
  let a: RingTensor = { data: fullValue(seeds, maskLabel(attrs, label), 0, size(shape)), shape: [...shape] };
  if (attrs["transpose"] === true) a = ringTranspose(a);
  const [bo, co] = layout;
  const bv: RingTensor = { data: fullValue(seeds, label, 0, size(bo!.shape)), shape: [...bo!.shape] };
  const c = attrs["side"] === "right" ? ringMatmul(bv, a) : ringMatmul(a, bv);
  if (!sameDims(c.shape, co!.shape)) throw new Error(`internal: dealer item ${label}: C has shape [${c.shape}], expected [${co!.shape}]`);
  const corr = c.data;
  for (let i = 0; i < seeds.length - 1; i++) subInto(corr, outputStream(seeds[i]!, label, 1, corr.length));
  return corr;
}
