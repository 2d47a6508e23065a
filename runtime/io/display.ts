// Showing a revealed tensor on a terminal: small tensors in full (NumPy-like nested brackets,
// columns aligned), large ones as their first rows and a summary (min / mean / max, and value
// counts for int and bool results such as predicted classes). Only for values a party has
// been revealed; never called on shares or inputs.

import type { ClearTensor } from "../clear/tensor.js";
import type { ElemType } from "../plan/plan.js";

export interface DisplayOptions {
  /** Tensors with at most this many elements are shown in full (default 64). */
  maxElements?: number;
  /** Rows shown of a large tensor (default 5). */
  headRows?: number;
  /** Values shown per row of a large tensor (default 8). */
  maxColumns?: number;
}

/** A value for display: integers as integers, reals to 6 significant digits. */
export function showValue(x: number, elem: ElemType): string {
  if (elem === "bool") return x !== 0 ? "true" : "false";
  if (!Number.isFinite(x)) return Number.isNaN(x) ? "nan" : x > 0 ? "inf" : "-inf";
  if (elem === "int" || Number.isInteger(x)) return String(x === 0 ? 0 : x);
  return String(Number(x.toPrecision(6)));
}

const LINE_WIDTH = 100;

const plural = (n: number, w: string): string => `${n} ${w}${n === 1 ? "" : "s"}`;

/** Lines showing `t` (no indentation; the caller indents). */
export function formatTensor(t: ClearTensor, elem: ElemType, opts: DisplayOptions = {}): string[] {
  const maxElements = opts.maxElements ?? 64;
  const headRows = opts.headRows ?? 5;
  const maxColumns = opts.maxColumns ?? 8;
  const n = t.data.length;
  if (t.shape.length === 0) return [showValue(t.data[0]!, elem)];
  const rows = t.shape[0]!;
  const perRow = rows === 0 ? 0 : n / rows;
  const full = n <= maxElements;
  // Rank 1 prints as one line of values; higher ranks one line per leading index.
  if (t.shape.length === 1) {
    const shown = full ? n : Math.min(n, headRows * 2);
    const vals = Array.from(t.data.subarray(0, shown), (x) => showValue(x, elem));
    const lines = pack(shown < n ? [...vals, "…"] : vals);
    return full ? lines : [...lines, `(${plural(n, "value")}) ${summary(t, elem)}`];
  }
  const rowCount = full ? rows : Math.min(rows, headRows);
  const colCount = full ? perRow : Math.min(perRow, maxColumns);
  const cells: string[][] = [];
  for (let r = 0; r < rowCount; r++) {
    cells.push(Array.from(t.data.subarray(r * perRow, r * perRow + colCount), (x) => showValue(x, elem)));
  }
  const width = Math.max(0, ...cells.flat().map((c) => c.length));
  const rowTexts = cells.map((row) => `[${row.map((c) => c.padStart(width)).join(", ")}${colCount < perRow ? ", …" : ""}]`);
  // Rows are packed several to a line while they fit (column vectors stay compact).
  const lines = pack(rowTexts, rowCount < rows);
  if (t.shape.length > 2) lines.push(`(shape [${t.shape.join(", ")}]: one row per index of the first axis, flattened)`);
  if (full) return lines;
  if (rowCount < rows) lines.push(` … ${plural(rows - rowCount, "more row")}`);
  lines.push(`(${plural(n, "value")}) ${summary(t, elem)}`);
  return lines;
}

/** `[a, b, c]` wrapped at LINE_WIDTH; `open` leaves the closing bracket off (more follows). */
function pack(items: string[], open = false): string[] {
  const lines: string[] = [];
  let cur = "";
  for (const [i, item] of items.entries()) {
    const piece = item + (i < items.length - 1 || open ? "," : "");
    if (cur !== "" && cur.length + 1 + piece.length > LINE_WIDTH) {
      lines.push(cur);
      cur = ` ${piece}`;
    } else cur = cur === "" ? `[${piece}` : `${cur} ${piece}`;
  }
  lines.push(open ? cur : `${cur === "" ? "[" : cur}]`);
  return lines;
}

/** min / mean / max, plus value counts when there are few distinct integral values. */
function summary(t: ClearTensor, elem: ElemType): string {
  let lo = Infinity;
  let hi = -Infinity;
  let sum = 0;
  const counts = new Map<number, number>();
  for (const x of t.data) {
    lo = Math.min(lo, x);
    hi = Math.max(hi, x);
    sum += x;
    if (elem !== "fixed" && counts.size <= 10) counts.set(x, (counts.get(x) ?? 0) + 1);
  }
  const mean = sum / t.data.length;
  if (elem !== "fixed" && counts.size <= 10) {
    const parts = [...counts.entries()].sort((a, b) => a[0] - b[0]).map(([v, c]) => `${showValue(v, elem)}: ${c}`);
    return `counts ${parts.join(", ")}`;
  }
  return `min ${showValue(lo, elem)}, mean ${showValue(mean, "fixed")}, max ${showValue(hi, elem)}`;
}
