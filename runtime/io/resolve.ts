// Binding a program's declared inputs to files: `--input party.name=PATH` (or `name=PATH`, names
// being unique in a program) from the command line, and for anything not bound there the
// default `data/<program>/<party>.<name>.csv` (or .json, .npy) next to the program file
// (programs/data/sum/alice.a.csv for programs/sum.mpc). Anything still unbound is one error
// listing every missing input and the flag to pass.

import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { UserError } from "../../grammar/diagnostic.js";
import type { ClearTensor } from "../clear/tensor.js";
import { type DeclaredInput, qualified } from "./input.js";
import { INPUT_EXTENSIONS, readInputFile } from "./read.js";
import type { ValueLimits } from "./values.js";

export interface InputBinding {
  input: DeclaredInput;
  path: string;
  /** Where the binding came from: the command line or the default data folder. */
  source: "flag" | "default";
}

/** The folder of default data files for a program. */
export function defaultDataDir(programFile: string, programName: string): string {
  return join(dirname(programFile), "data", programName);
}

const usage = (msg: string): UserError => new UserError(msg, 2);

/** Resolve every declared input to a file. Keys are "party.name", in declaration order. */
export function resolveInputs(
  programFile: string,
  programName: string,
  declaredInputs: readonly DeclaredInput[],
  cliBindings: readonly string[],
): Map<string, InputBinding> {
  const byKey = new Map(declaredInputs.map((d) => [qualified(d), d]));
  const flagged = new Map<string, string>();
  const known = declaredInputs.map(qualified).join(", ") || "(none)";
  for (const b of cliBindings) {
    const eq = b.indexOf("=");
    if (eq <= 0 || eq === b.length - 1) throw usage(`--input '${b}': expected party.name=PATH or name=PATH`);
    const lhs = b.slice(0, eq).trim();
    const path = b.slice(eq + 1);
    let decl: DeclaredInput | undefined;
    if (lhs.includes(".")) decl = byKey.get(lhs);
    else decl = declaredInputs.find((d) => d.name === lhs);
    if (decl === undefined) throw usage(`--input '${b}': program ${programName} has no input ${lhs} (its inputs: ${known})`);
    const key = qualified(decl);
    if (flagged.has(key)) throw usage(`--input: ${key} is bound twice (to ${flagged.get(key)} and ${path})`);
    flagged.set(key, path);
  }
  const dir = defaultDataDir(programFile, programName);
  const out = new Map<string, InputBinding>();
  const missing: string[] = [];
  for (const d of declaredInputs) {
    const key = qualified(d);
    const flag = flagged.get(key);
    if (flag !== undefined) {
      out.set(key, { input: d, path: flag, source: "flag" });
      continue;
    }
    const found = INPUT_EXTENSIONS.map((ext) => join(dir, `${key}${ext}`)).find((p) => existsSync(p));
    if (found !== undefined) out.set(key, { input: d, path: found, source: "default" });
    else missing.push(key);
  }
  if (missing.length > 0) {
    const lines = missing.map((k) => `  ${k}: pass --input ${k}=PATH, or create ${join(dir, `${k}.csv`)}`);
    throw new UserError(
      `no data for ${missing.length} input${missing.length === 1 ? "" : "s"} of program ${programName}:\n${lines.join("\n")}\n` +
        `(files may be .csv, .json or .npy)`,
    );
  }
  return out;
}

/** Read every bound input. Keys are "party.name". */
export function loadInputs(bindings: Map<string, InputBinding>, limits: ValueLimits = {}): Map<string, ClearTensor> {
  const out = new Map<string, ClearTensor>();
  for (const [key, b] of bindings) out.set(key, readInputFile(b.path, b.input, limits));
  return out;
}
