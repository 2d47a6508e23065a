// Reading one input from CSV text. Comma separated, optional double quotes around a cell,
// LF or CRLF line ends, a UTF-8 byte-order mark is ignored, blank lines are skipped. The first
// non-blank line is a header when none of its cells is a number. Errors give the line (as an
// editor counts it, header and blank lines included) and the column (the cell's 1-based
// position), and show at most the one bad token.

import type { ClearTensor } from "../clear/tensor.js";
import { fitsShape } from "./fit.js";
import { type DeclaredInput, inputError, quoteToken, showShape } from "./input.js";
import { invalidValue, parseCell, type ValueLimits } from "./values.js";

/** Split one line into cells; quotes protect commas, `""` inside quotes is a quote. */
export function splitCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cur = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      cells.push(cur.trim());
      cur = "";
    } else cur += ch;
  }
  cells.push(cur.trim());
  return cells;
}

export function readCsv(text: string, file: string, decl: DeclaredInput, limits: ValueLimits = {}): ClearTensor {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  const rows: { line: number; cells: string[] }[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.trim() !== "") rows.push({ line: i + 1, cells: splitCsvLine(lines[i]!) });
  }
  let headerLine: number | undefined;
  if (rows.length > 0 && rows[0]!.cells.every((c) => parseCell(c, decl.elem) === undefined)) {
    headerLine = rows.shift()!.line;
  }
  const header = headerLine !== undefined;
  if (rows.length === 0) {
    throw inputError(decl, file, `no data rows${header ? " (only a header line)" : ""}; expected shape ${showShape(decl.shape)}`);
  }
  const width = rows[0]!.cells.length;
  for (const r of rows) {
    if (r.cells.length !== width) {
      throw inputError(decl, file, `line ${r.line} has ${r.cells.length} cells, but line ${rows[0]!.line} has ${width}`);
    }
  }
  const data = new Float64Array(rows.length * width);
  let k = 0;
  for (const r of rows) {
    for (let c = 0; c < width; c++) {
      const tok = r.cells[c]!;
      const where = `line ${r.line}, column ${c + 1}`;
      if (tok === "") throw inputError(decl, file, `${where}: empty cell`);
      const v = parseCell(tok, decl.elem);
      if (v === undefined) {
        const hint = /[;\t]/.test(tok)
          ? " (cells must be separated by commas)"
          : r === rows[0] && !header
            ? " (a header line is recognised only when none of its cells is a number)"
            : "";
        throw inputError(decl, file, `${where}: ${quoteToken(tok)} is not a number${hint}`);
      }
      const why = invalidValue(v, decl.elem, limits);
      if (why !== undefined) throw inputError(decl, file, `${where}: ${quoteToken(tok)} ${why}`);
      data[k++] = v;
    }
  }
  const found = [rows.length, width];
  if (!fitsShape(found, decl.shape, true)) {
    const note = header ? ` (line ${headerLine} was read as a header)` : "";
    throw inputError(decl, file, `expected shape ${showShape(decl.shape)}, found ${rows.length} rows x ${width} columns${note}`);
  }
  return { data, shape: [...decl.shape] };
}
