// What a run needs before any party starts: the seeds (each pair of compute parties shares
// one, for pseudo-random sharing; the dealer shares one with each party) and one channel per
// pair of endpoints (parties and the dealer). Seeds come from the system CSPRNG here; between
// real hosts they would come from a key exchange. Never logs a seed.

import { MessageChannel, type MessagePort } from "node:worker_threads";
import { UserError } from "../../grammar/diagnostic.js";
import type { ClearTensor } from "../clear/index.js";
import { PLAN_FORMAT, PLAN_VERSION, type Plan } from "../plan/plan.js";
import { randomSeed } from "../random/index.js";

export interface RunSetup {
  /** Per endpoint (each party, and "dealer"): its port to each peer. */
  ports: Map<string, Map<string, MessagePort>>;
  /** Per party: the seed it shares with each other party. */
  pairSeeds: Map<string, Map<string, Uint8Array>>;
  /** The seed the dealer shares with each party, in plan.parties order. */
  dealerSeeds: Uint8Array[];
}

export function makeSetup(plan: Plan): RunSetup {
  const parties = plan.parties;
  const ports = new Map<string, Map<string, MessagePort>>([...parties, "dealer"].map((p) => [p, new Map()]));
  const pairSeeds = new Map<string, Map<string, Uint8Array>>(parties.map((p) => [p, new Map()]));
  const link = (p: string, q: string): void => {
    const ch = new MessageChannel();
    ports.get(p)!.set(q, ch.port1);
    ports.get(q)!.set(p, ch.port2);
  };
  for (let i = 0; i < parties.length; i++) {
    for (let j = i + 1; j < parties.length; j++) {
      const [p, q] = [parties[i]!, parties[j]!];
      link(p, q);
      const s = randomSeed();
      pairSeeds.get(p)!.set(q, s);
      pairSeeds.get(q)!.set(p, s);
    }
    link("dealer", parties[i]!);
  }
  return { ports, pairSeeds, dealerSeeds: parties.map(() => randomSeed()) };
}

/** Refuse a plan this runtime cannot execute (another format or version, too few parties). */
export function checkPlan(plan: Plan): void {
  if (plan.format !== PLAN_FORMAT || plan.version !== PLAN_VERSION) {
    throw new UserError(
      `the plan is ${String(plan.format)} version ${String(plan.version)}, but this runtime executes ${PLAN_FORMAT} version ${PLAN_VERSION}: recompile the program`,
    );
  }
  if (plan.parties.length < 2 || new Set(plan.parties).size !== plan.parties.length || plan.parties.includes("dealer")) {
    throw new UserError(`program ${plan.program} needs at least two distinct compute parties (and none named "dealer")`);
  }
}

/** Check that every declared input is given with its declared shape, and nothing else. */
export function checkInputs(plan: Plan, inputs: ReadonlyMap<string, ClearTensor>): void {
  const declared = new Set(plan.inputs.map((i) => `${i.party}.${i.name}`));
  for (const key of inputs.keys()) {
    if (!declared.has(key)) throw new UserError(`input ${key} is not declared by program ${plan.program}`);
  }
  for (const i of plan.inputs) {
    const key = `${i.party}.${i.name}`;
    const v = inputs.get(key);
    if (!v) throw new UserError(`input ${key} was not provided`);
    const n = i.shape.reduce((a, d) => a * d, 1);
    if (v.data.length !== n || v.shape.length !== i.shape.length || v.shape.some((d, k) => d !== i.shape[k])) {
      throw new UserError(`input ${key} has shape [${v.shape.join(", ")}], but the program declares [${i.shape.join(", ")}]`);
    }
  }
}

/** A party's own inputs, by input name. */
export function ownInputs(plan: Plan, party: string, inputs: ReadonlyMap<string, ClearTensor>): Map<string, ClearTensor> {
  const own = new Map<string, ClearTensor>();
  for (const i of plan.inputs) if (i.party === party) own.set(i.name, inputs.get(`${i.party}.${i.name}`)!);
  return own;
}
