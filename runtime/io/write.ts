// Writing revealed outputs: DIR/<party>/<name>.json ({"shape", "data"} with data flat in
// row-major order) and DIR/<party>/<name>.csv (a scalar is one cell, a vector one value per
// line, a matrix one row per line, higher ranks d0 rows x the rest flattened). Both read back
// with runtime/io's readers. Only outputs a party is entitled to see are ever passed here.

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { UserError } from "../../grammar/diagnostic.js";
import type { ClearTensor } from "../clear/tensor.js";

/** A number as CSV/JSON text: shortest round-trip decimal; nan/inf spelled as NumPy does. */
export function formatNumber(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  return Object.is(x, -0) ? "0" : String(x);
}

export function toCsv(t: ClearTensor): string {
  const cols = t.shape.length <= 1 ? 1 : t.data.length / t.shape[0]! || 0;
  const lines: string[] = [];
  for (let r = 0; cols > 0 && r < t.data.length / cols; r++) {
    const row: string[] = [];
    for (let c = 0; c < cols; c++) row.push(formatNumber(t.data[r * cols + c]!));
    lines.push(row.join(","));
  }
  return lines.map((l) => l + "\n").join("");
}

export function toJson(t: ClearTensor): string {
  // JSON has no NaN/Infinity: they are written as null.
  const data = Array.from(t.data, (x) => (Number.isFinite(x) ? (Object.is(x, -0) ? 0 : x) : null));
  return `${JSON.stringify({ shape: t.shape, data })}\n`;
}

/** Write one revealed value for `party`; returns the two paths written. */
export function writeOutput(dir: string, party: string, name: string, t: ClearTensor): { json: string; csv: string } {
  const folder = join(dir, party);
  const json = join(folder, `${name}.json`);
  const csv = join(folder, `${name}.csv`);
  try {
    mkdirSync(folder, { recursive: true });
    writeFileSync(json, toJson(t));
    writeFileSync(csv, toCsv(t));
  } catch (e) {
    throw new UserError(`cannot write output ${name} for ${party} to ${folder}: ${(e as Error).message}`);
  }
  return { json, csv };
}
