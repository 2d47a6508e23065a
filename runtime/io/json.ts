// Reading one input from JSON: a number (a scalar), nested arrays (rectangular), or an object
// {"shape": [...], "data": [...]} with data flat (row-major) or nested. The text is parsed by a
// small parser of our own so a syntax error gives a line and column without the runtime's
// message, which quotes a stretch of the file (other values of the user's data).

import type { ClearTensor } from "../clear/tensor.js";
import { fitsShape } from "./fit.js";
import { type DeclaredInput, inputError, quoteToken, showShape } from "./input.js";
import { invalidValue, type ValueLimits } from "./values.js";

class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/** Parse JSON text (RFC 8259). Throws JsonSyntaxError with the offset of the problem. */
export function parseJson(text: string): unknown {
  let i = 0;
  const ws = (): void => {
    while (i < text.length && " \t\n\r".includes(text[i]!)) i++;
  };
  const fail = (what?: string): never => {
    if (i >= text.length) throw new JsonSyntaxError("unexpected end of file", i);
    throw new JsonSyntaxError(what ?? `unexpected character ${quoteToken(text[i]!)}`, i);
  };
  const literal = (word: string, value: unknown): unknown => {
    if (text.startsWith(word, i)) {
      i += word.length;
      return value;
    }
    return fail();
  };
  const value = (): unknown => {
    ws();
    const ch = text[i];
    if (ch === "[") {
      i++;
      const out: unknown[] = [];
      ws();
      if (text[i] === "]") {
        i++;
        return out;
      }
      for (;;) {
        out.push(value());
        ws();
        if (text[i] === ",") i++;
        else if (text[i] === "]") {
          i++;
          return out;
        } else fail();
      }
    }
    if (ch === "{") {
      i++;
      const out: Record<string, unknown> = {};
      ws();
      if (text[i] === "}") {
        i++;
        return out;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        const key = str();
        ws();
        if (text[i] !== ":") fail();
        i++;
        out[key] = value();
        ws();
        if (text[i] === ",") i++;
        else if (text[i] === "}") {
          i++;
          return out;
        } else fail();
      }
    }
    if (ch === '"') return str();
    if (ch === "t") return literal("true", true);
    if (ch === "f") return literal("false", false);
    if (ch === "n") return literal("null", null);
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (m === null) return fail();
    i += m[0].length;
    return Number(m[0]);
  };
  const str = (): string => {
    const start = i;
    i++;
    let out = "";
    while (i < text.length && text[i] !== '"') {
      if (text[i] === "\\") {
        const esc = text[i + 1];
        const simple: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };
        if (esc !== undefined && esc in simple) {
          out += simple[esc];
          i += 2;
        } else if (esc === "u" && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
          out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
          i += 6;
        } else {
          i++;
          fail("invalid escape in a string");
        }
      } else out += text[i++];
    }
    if (i >= text.length) {
      i = start;
      fail("unterminated string");
    }
    i++;
    return out;
  };
  const v = value();
  ws();
  if (i < text.length) fail();
  return v;
}

function lineCol(text: string, offset: number): string {
  const before = text.slice(0, offset).split("\n");
  return `line ${before.length}, column ${before[before.length - 1]!.length + 1}`;
}

/** What a non-number JSON value is, for "element [i]: … is not a number". */
function describe(v: unknown): string {
  if (typeof v === "string") return `the string ${quoteToken(v)}`;
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "an object";
  return String(v);
}

const showIndex = (path: number[]): string => (path.length === 0 ? "the value" : `element [${path.join(", ")}]`);

/** Shape of nested arrays, checking that they are rectangular. */
function nestedShape(v: unknown, decl: DeclaredInput, file: string): number[] {
  const shape: number[] = [];
  for (let cur = v; Array.isArray(cur); cur = cur[0]) shape.push(cur.length);
  const walk = (x: unknown, depth: number, path: number[]): void => {
    if (depth === shape.length) {
      if (Array.isArray(x)) throw inputError(decl, file, `${showIndex(path)} is a list, but ${showIndex(path.map(() => 0))} is a number`);
      return;
    }
    if (!Array.isArray(x)) throw inputError(decl, file, `${showIndex(path)} is not a list, but ${showIndex(path.map(() => 0))} is`);
    if (x.length !== shape[depth]) {
      const other = [...path.map(() => 0)];
      throw inputError(
        decl,
        file,
        `the arrays are not rectangular: ${path.length ? showIndex(path) : "the top level"} has ${x.length} entries, but ${path.length ? showIndex(other) : "the top level"} has ${shape[depth]}`,
      );
    }
    x.forEach((y, j) => walk(y, depth + 1, [...path, j]));
  };
  walk(v, 0, []);
  return shape;
}

export function readJson(text: string, file: string, decl: DeclaredInput, limits: ValueLimits = {}): ClearTensor {
  let root: unknown;
  try {
    root = parseJson(text.replace(/^\uFEFF/, ""));
  } catch (e) {
    if (e instanceof JsonSyntaxError) throw inputError(decl, file, `not valid JSON: ${e.message} at ${lineCol(text, e.offset)}`);
    throw e;
  }
  let found: number[];
  let flat: unknown[];
  if (root !== null && typeof root === "object" && !Array.isArray(root)) {
    const obj = root as Record<string, unknown>;
    const s = obj["shape"];
    if (!Array.isArray(s) || !s.every((d) => Number.isInteger(d) && (d as number) >= 0) || !("data" in obj)) {
      throw inputError(decl, file, `expected a number, nested arrays, or {"shape": [...], "data": [...]}`);
    }
    found = s as number[];
    const count = found.reduce((a, b) => a * b, 1);
    const data = obj["data"];
    const dataShape = nestedShape(data, decl, file);
    const flatData = Array.isArray(data) ? (data as unknown[]).flat(Infinity) : [data];
    if (flatData.length !== count) {
      throw inputError(decl, file, `"shape" ${showShape(found)} needs ${count} values, but "data" has ${flatData.length}`);
    }
    if (dataShape.length > 1 && !fitsShape(dataShape, found, false)) {
      throw inputError(decl, file, `"data" is nested as ${showShape(dataShape)}, which does not match "shape" ${showShape(found)}`);
    }
    flat = flatData;
  } else {
    found = nestedShape(root, decl, file);
    flat = Array.isArray(root) ? (root as unknown[]).flat(Infinity) : [root];
  }
  if (!fitsShape(found, decl.shape, false)) {
    throw inputError(decl, file, `expected shape ${showShape(decl.shape)}, found ${showShape(found)}`);
  }
  const data = new Float64Array(flat.length);
  const strides = found.map((_, a) => found.slice(a + 1).reduce((x, y) => x * y, 1));
  const pathOf = (k: number): number[] => strides.map((st, a) => Math.floor(k / st) % found[a]!);
  for (let k = 0; k < flat.length; k++) {
    const v = flat[k];
    let x: number;
    if (typeof v === "number") x = v;
    else if (typeof v === "boolean" && decl.elem === "bool") x = v ? 1 : 0;
    else throw inputError(decl, file, `${showIndex(pathOf(k))}: ${describe(v)} is not a number`);
    const why = invalidValue(x, decl.elem, limits);
    if (why !== undefined) throw inputError(decl, file, `${showIndex(pathOf(k))}: ${x} ${why}`);
    data[k] = x;
  }
  return { data, shape: [...decl.shape] };
}
