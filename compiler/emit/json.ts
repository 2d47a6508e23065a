// The plan as JSON: the canonical form (object keys sorted, no whitespace) that the plan hash
// is computed over, the pretty form `mpc compile` writes, and reading a plan file back with
// its format, version and hash checked. Never changes a plan's content.

import { createHash } from "node:crypto";
import { UserError } from "../../grammar/diagnostic.js";
import { PLAN_FORMAT, PLAN_VERSION } from "../../runtime/plan/plan.js";
import type { Plan } from "../../runtime/plan/plan.js";

/** JSON with object keys sorted at every level and no whitespace. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(o).sort()) if (o[k] !== undefined) out[k] = sortKeys(o[k]);
    return out;
  }
  return v;
}

/** sha256 (hex) of the canonical JSON of the plan without its `hash` field. */
export function planHash(plan: Plan): string {
  const { hash: _hash, ...rest } = plan;
  return createHash("sha256").update(canonicalJson(rest)).digest("hex");
}

/** The plan file's text: canonical key order, indented for people. */
export function planToJson(plan: Plan): string {
  return JSON.stringify(sortKeys(plan), null, 2) + "\n";
}

/** Parse a plan file; a wrong format, version or hash is the user's error, not a crash. */
export function planFromJson(text: string, where = "plan"): Plan {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new UserError(`${where}: not valid JSON (${(e as Error).message})`);
  }
  const p = raw as Partial<Plan>;
  if (p === null || typeof p !== "object" || p.format !== PLAN_FORMAT) throw new UserError(`${where}: not an mpc plan (format is not "${PLAN_FORMAT}")`);
  if (p.version !== PLAN_VERSION) throw new UserError(`${where}: plan format version ${String(p.version)}, this mpc reads version ${PLAN_VERSION}; recompile the program`);
  const plan = p as Plan;
  if (plan.hash !== planHash(plan)) throw new UserError(`${where}: plan hash does not match its content (the file was edited or damaged); recompile the program`);
  return plan;
}
