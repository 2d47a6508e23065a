// Reading an input file by its extension (.csv, .json, .npy) and checking it against the
// declared input. File-system failures become clear UserErrors naming the input and the file.

import { readFileSync } from "node:fs";
import { extname } from "node:path";
import { UserError } from "../../grammar/diagnostic.js";
import type { ClearTensor } from "../clear/tensor.js";
import { readCsv } from "./csv.js";
import { type DeclaredInput, qualified } from "./input.js";
import { readJson } from "./json.js";
import { readNpy } from "./npy.js";
import type { ValueLimits } from "./values.js";

export const INPUT_EXTENSIONS = [".csv", ".json", ".npy"] as const;

function fsReason(e: unknown): string {
  const code = (e as { code?: string }).code;
  if (code === "ENOENT") return "file not found";
  if (code === "EISDIR") return "it is a directory, not a file";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  return (e as Error).message ?? String(e);
}

/** Read the file bytes, or throw a UserError naming the input. */
export function readBytes(file: string, what: string): Buffer {
  try {
    return readFileSync(file);
  } catch (e) {
    throw new UserError(`${what}: cannot read ${file}: ${fsReason(e)}`);
  }
}

/** Read one declared input from `file` (format by extension). */
export function readInputFile(file: string, decl: DeclaredInput, limits: ValueLimits = {}): ClearTensor {
  const ext = extname(file).toLowerCase();
  const what = `input ${qualified(decl)}`;
  if (!(INPUT_EXTENSIONS as readonly string[]).includes(ext)) {
    throw new UserError(`${what}: cannot read ${file}: unsupported file type '${ext || "(none)"}' (use .csv, .json or .npy)`);
  }
  const bytes = readBytes(file, what);
  if (ext === ".npy") return readNpy(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), file, decl, limits);
  const text = bytes.toString("utf8");
  return ext === ".csv" ? readCsv(text, file, decl, limits) : readJson(text, file, decl, limits);
}
