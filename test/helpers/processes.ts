// For tests that start node processes from the source tree (generated modules, mpc itself):
// node with the tsx loader, its exit code and output collected instead of thrown, and a way to
// call a command's main() without its console output.

import { execFile } from "node:child_process";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";

const ROOT = join(import.meta.dirname, "..", "..");
const TSX = pathToFileURL(join(ROOT, "node_modules", "tsx", "dist", "loader.mjs")).href;
const exec = promisify(execFile);

export interface Proc {
  code: number;
  stdout: string;
  stderr: string;
}

/** `node --import tsx ARGS…` in `cwd` (3 minutes at most): exit code, stdout, stderr. */
export async function nodeWithTsx(cwd: string, args: readonly string[]): Promise<Proc> {
  try {
    const r = await exec(process.execPath, ["--import", TSX, ...args], { cwd, timeout: 180_000 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as Proc;
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

/** Run `f` with console.log silenced (a command's main() prints its summary). */
export async function quietly<T>(f: () => Promise<T>): Promise<T> {
  const saved = console.log;
  console.log = () => undefined;
  try {
    return await f();
  } finally {
    console.log = saved;
  }
}
