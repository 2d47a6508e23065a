// The command line of a generated module run as a program:
//   node alice.js --config parties.json --input u=PATH [--out DIR]      (a party)
//   node dealer.js --config parties.json                                (the dealer)
// The module hands itself over here: to this file of the mpc package installed where it runs
// (resolved as mpc/runtime/executor/module-main.js, package.json "exports"), else of the mpc
// that generated it (compiler/codegen/project.ts writes that choice into every module). This
// refuses a module another mpc version generated, reads the plan next to the module and
// refuses it unless its hash is the module's PLAN_HASH, reads only the party's own inputs (a
// binding for another party's input is refused, never opened), and runs the module over TLS
// through the same runners as `mpc run --party/--dealer` (./party-process.ts,
// ./dealer-process.ts). Only after the whole run succeeded does a party write its outputs
// (DIR/<party>/<name>.json, .csv).
// Exit codes: 0 ok, 1 errors in data/run/peers, 2 usage. Never prints a share or a seed.

import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { UserError } from "../../grammar/diagnostic.js";
import type { ClearTensor } from "../clear/index.js";
import { fixedBound } from "../fixed/index.js";
import { formatTensor, loadInputs, resolveInputs, writeOutput } from "../io/index.js";
import type { Plan } from "../plan/plan.js";
import { loadConfig } from "../transport/config.js";
import { TransportError } from "../transport/transport.js";
import { runNetworkDealer } from "./dealer-process.js";
import { checkModuleVersion, readPlanFile } from "./modules.js";
import type { DealerModule, PartyModule } from "./party-api.js";
import { type NetworkOptions, runNetworkParty } from "./party-process.js";

interface Args {
  config?: string;
  plan?: string;
  inputs: string[];
  out?: string;
  json: boolean;
  verbose: boolean;
  net: Omit<NetworkOptions, "config" | "log">;
}

class UsageError extends Error {}

const NETWORK_FLAGS = `  --config PATH             the deployment's parties.json (from \`mpc keys\`)
  --plan PATH               the plan (default: <program>.plan.json next to this module)
  --connect-timeout SECONDS how long to wait for every peer to be up (default 30)
  --parties-timeout SECONDS fail if a peer stays silent longer than this (default 120)
  --verbose                 report connections on stderr
  --json                    print the result as JSON`;

function parse(argv: readonly string[], party: boolean): Args | "help" {
  const a: Args = { inputs: [], json: false, verbose: false, net: {} };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.startsWith("--") ? arg.indexOf("=") : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const value = (): string => {
      if (eq > 0) return arg.slice(eq + 1);
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    const seconds = (): number => {
      const v = value();
      if (!/^\d+(\.\d+)?$/.test(v) || !(Number(v) > 0)) throw new UsageError(`${flag} takes a positive number of seconds, got '${v}'`);
      return Math.round(Number(v) * 1000);
    };
    switch (flag) {
      case "--help":
      case "-h":
        return "help";
      case "--config":
        a.config = value();
        break;
      case "--plan":
        a.plan = value();
        break;
      case "--input":
      case "-i":
        if (!party) throw new UsageError("the dealer reads no inputs");
        a.inputs.push(value());
        break;
      case "--out":
      case "-o":
        if (!party) throw new UsageError("the dealer writes no outputs");
        a.out = value();
        break;
      case "--connect-timeout":
        a.net.connectTimeoutMs = seconds();
        break;
      case "--parties-timeout":
        a.net.timeoutMs = seconds();
        break;
      case "--verbose":
      case "--json":
        a[flag.slice(2) as "verbose" | "json"] = true;
        break;
      default:
        throw new UsageError(`unknown argument '${arg}'`);
    }
  }
  if (a.config === undefined) throw new UsageError("--config parties.json is required");
  return a;
}

/** A failure a peer, the network or the data caused is shown as a message; a bug keeps its stack. */
function report(e: unknown, who: string): number {
  const user = e instanceof UserError || e instanceof TransportError || (e instanceof Error && e.constructor === Error && !e.message.startsWith("internal:"));
  if (!user) throw e;
  process.stderr.write(`${who}: ${(e as Error).message}\n`);
  return 1;
}

/** Make sure the process ends once the run is over (a peer's half-closed socket may linger). */
function exitSoon(): void {
  setTimeout(() => process.exit(process.exitCode ?? 0), 5_000).unref();
}

function loadPlan(args: Args, moduleUrl: string, program: string, hash: string): Plan {
  const path = args.plan ?? join(dirname(fileURLToPath(moduleUrl)), `${program}.plan.json`);
  return readPlanFile(path, hash);
}

/** `node <party>.js …`: run one party's generated module over TLS. */
export async function runPartyCommand(module: PartyModule & { MPC_VERSION?: string }, moduleUrl: string, argv: readonly string[]): Promise<number> {
  const usage = `usage: node ${module.PARTY}.js --config parties.json [--input NAME=PATH]... [--out DIR]`;
  let args: Args | "help";
  try {
    args = parse(argv, true);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`${module.PARTY}: ${e.message}\n${usage}\n`);
    return 2;
  }
  if (args === "help") {
    process.stdout.write(
      `${usage}\n\nRun party ${module.PARTY} of program ${module.PROGRAM} (this generated module) against its peers over TLS.\n` +
        `  --input NAME=PATH         bind one of ${module.PARTY}'s own inputs to a file (.csv, .json, .npy)\n` +
        `  --out DIR                 write outputs to DIR/${module.PARTY}/<name>.json and .csv (default out/${module.PROGRAM})\n${NETWORK_FLAGS}\n`,
    );
    return 0;
  }
  try {
    checkModuleVersion(module.MPC_VERSION, `${module.PARTY}.js`);
    const plan = loadPlan(args, moduleUrl, module.PROGRAM, module.PLAN_HASH);
    const party = module.PARTY;
    const own = plan.inputs.filter((i) => i.party === party);
    for (const b of args.inputs) {
      const lhs = b.slice(0, Math.max(0, b.indexOf("="))).trim();
      const other = plan.inputs.find((i) => i.party !== party && (lhs === `${i.party}.${i.name}` || lhs === i.name));
      if (other) throw new UserError(`--input ${lhs}=…: that is ${other.party}'s input; party ${party} reads only its own inputs (${own.map((i) => i.name).join(", ") || "none"})`);
    }
    const moduleDir = dirname(fileURLToPath(moduleUrl));
    const bindings = resolveInputs(join(moduleDir, `${plan.program}.mpc`), plan.program, own, args.inputs);
    const loaded = loadInputs(bindings, { fixedBound: fixedBound(plan.precision) });
    const inputs = new Map<string, ClearTensor>(own.map((i) => [i.name, loaded.get(`${i.party}.${i.name}`)!]));
    const config = loadConfig(args.config!);
    const r = await runNetworkParty({
      ...args.net,
      config,
      plan,
      party,
      inputs,
      module,
      ...(args.verbose ? { log: (l: string) => process.stderr.write(`${l}\n`) } : {}),
    });
    const outDir = args.out ?? join("out", plan.program);
    const revealed = plan.outputs.filter((o) => o.to.includes(party));
    const lines = [`program ${plan.program}: ran party ${party} from its generated module over TLS (plan ${plan.hash.slice(0, 16)}…)`];
    const outputs: { name: string; shape: number[]; data: (number | null)[] }[] = [];
    for (const o of revealed) {
      const v = r.outputs.get(o.name);
      if (v === undefined) throw new UserError(`party ${party} did not receive output ${o.name}`);
      writeOutput(outDir, party, o.name, v);
      outputs.push({ name: o.name, shape: [...v.shape], data: Array.from(v.data, (x) => (Number.isFinite(x) ? x : null)) });
      lines.push("", `${o.name}: ${o.elem}${v.shape.length ? `[${v.shape.join(", ")}]` : ""} -> ${o.to.join(", ")}`, ...formatTensor(v, o.elem).map((l) => `  ${l}`));
    }
    lines.push("", revealed.length ? `outputs written to ${outDir}/${party}/<name>.json and .csv` : `nothing is revealed to ${party}`);
    lines.push(`${r.stats.rounds} rounds; sent ${r.stats.sent.map((s) => `${s.messages} messages to ${s.to}`).join(", ") || "nothing"}`);
    if (args.json) process.stdout.write(JSON.stringify({ program: plan.program, planHash: plan.hash, party, outputs, stats: r.stats }, null, 2) + "\n");
    else process.stdout.write(lines.join("\n") + "\n");
    return 0;
  } catch (e) {
    return report(e, module.PARTY);
  } finally {
    exitSoon();
  }
}

/** `node dealer.js …`: run the generated dealer module over TLS. */
export async function runDealerCommand(module: DealerModule & { MPC_VERSION?: string }, moduleUrl: string, argv: readonly string[]): Promise<number> {
  const usage = "usage: node dealer.js --config parties.json";
  let args: Args | "help";
  try {
    args = parse(argv, false);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`dealer: ${e.message}\n${usage}\n`);
    return 2;
  }
  if (args === "help") {
    process.stdout.write(`${usage}\n\nRun the dealer of program ${module.PROGRAM} (this generated module) over TLS.\n${NETWORK_FLAGS}\n`);
    return 0;
  }
  try {
    checkModuleVersion(module.MPC_VERSION, "dealer.js");
    const plan = loadPlan(args, moduleUrl, module.PROGRAM, module.PLAN_HASH);
    const config = loadConfig(args.config!);
    const r = await runNetworkDealer({ ...args.net, config, plan, module, ...(args.verbose ? { log: (l: string) => process.stderr.write(`${l}\n`) } : {}) });
    if (args.json) process.stdout.write(JSON.stringify({ program: plan.program, planHash: plan.hash, role: "dealer", stats: r }, null, 2) + "\n");
    else process.stdout.write(`program ${plan.program}: dealer done: ${r.items} items, ${r.bytes} bytes to ${plan.parties[plan.parties.length - 1]}\n`);
    return 0;
  } catch (e) {
    return report(e, "dealer");
  } finally {
    exitSoon();
  }
}
