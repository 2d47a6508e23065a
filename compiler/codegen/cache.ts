// Generated modules for `mpc run`, cached by what they are made from: the plan hash, the program
// text (comments quote it), the code generator and the party API. A hit costs a hash and a
// directory lookup; a miss generates, type-checks and compiles (ts-morph is loaded only then)
// and publishes the directory atomically, so concurrent runs never see half a module set.
// The cache lives in <mpc>/node_modules/.cache/mpc/codegen, else in a private (0700, owned by
// this user) folder of the OS temp dir: a folder others can write to is never trusted.

import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Plan } from "../../runtime/plan/plan.js";

export interface CachedModules {
  /** The directory holding <party>.js for each party and dealer.js. */
  dir: string;
  hit: boolean;
  /** Time to find (hit) or make (miss) the modules. */
  ms: number;
  /** On a miss: generation, type-check and emit times. */
  timings?: { generateMs: number; checkMs: number; emitMs: number };
}

const here = dirname(fileURLToPath(import.meta.url));

/** A digest of the code generator itself and the API it targets: a new mpc invalidates the cache. */
function generatorFingerprint(): string {
  const h = createHash("sha256");
  for (const f of readdirSync(here).sort()) {
    if (/\.(ts|js)$/.test(f)) h.update(f).update(readFileSync(join(here, f)));
  }
  for (const rel of ["../../runtime/executor/party-api.ts", "../../../runtime/executor/party-api.ts"]) {
    const p = join(here, rel);
    if (existsSync(p)) h.update(readFileSync(p));
  }
  return h.digest("hex");
}

/** <mpc root>/node_modules/.cache/mpc/codegen, or a private folder in the OS temp dir. */
function cacheRoot(): string {
  for (let d = here; dirname(d) !== d; d = dirname(d)) {
    const pkg = join(d, "package.json");
    if (!existsSync(pkg)) continue;
    try {
      if ((JSON.parse(readFileSync(pkg, "utf8")) as { name?: string }).name !== "mpc") continue;
      const root = join(d, "node_modules", ".cache", "mpc", "codegen");
      mkdirSync(root, { recursive: true });
      return root;
    } catch {
      break; // not writable: fall back to the temp dir
    }
  }
  const uid = process.getuid?.() ?? 0;
  const root = join(tmpdir(), `mpc-codegen-${uid}`);
  mkdirSync(root, { recursive: true, mode: 0o700 });
  const st = statSync(root);
  if (st.uid !== uid || (st.mode & 0o077) !== 0) throw new Error(`the code generator's cache ${root} is not private to this user: remove it`);
  return root;
}

/** The modules of `plan`, from the cache or made now. */
export async function cachedModules(plan: Plan, opts: { source?: string; file?: string; cacheDir?: string } = {}): Promise<CachedModules> {
  const t0 = performance.now();
  const key = createHash("sha256")
    .update(`${plan.hash}\0${opts.file ?? ""}\0${opts.source ?? ""}\0${generatorFingerprint()}`)
    .digest("hex")
    .slice(0, 32);
  const root = opts.cacheDir ?? cacheRoot();
  mkdirSync(root, { recursive: true });
  const dir = join(root, key);
  const roles = [...plan.parties, "dealer"];
  if (roles.every((r) => existsSync(join(dir, `${r}.js`)))) return { dir, hit: true, ms: performance.now() - t0 };
  const { generateModules } = await import("./project.js");
  const { writeModules } = await import("./write.js");
  const generated = generateModules(plan, { ...(opts.source !== undefined ? { source: opts.source } : {}), ...(opts.file !== undefined ? { file: opts.file } : {}) });
  const tmp = mkdtempSync(join(root, `${key}.tmp-`));
  writeModules(generated.modules, tmp);
  try {
    renameSync(tmp, dir);
  } catch {
    rmSync(tmp, { recursive: true, force: true }); // another run published the same modules first
  }
  return { dir, hit: false, ms: performance.now() - t0, timings: generated.timings };
}
