// `mpc run FILE --party P --config parties.json [--input P.name=PATH …] [--out DIR]` and
// `mpc run FILE --dealer --config parties.json`: run ONE endpoint of a deployment of separate
// processes or hosts over TLS (reached from bin/commands/run.ts when --party or --dealer is
// given). A party compiles the program itself (its peers check the plan hash), reads only its
// own inputs (it never opens a path bound to another party's input), runs, and only after the
// whole run succeeded writes DIR/P/<name>.json and .csv for the outputs revealed to it.
// With `--module DIR/P.js` (or DIR/dealer.js) the endpoint runs a generated module shipped to
// this machine with the runtime of this mpc: the module's PLAN_HASH must be the plan's, the plan
// being the program FILE compiled here, `--plan PATH`, or <program>.plan.json next to the module.
// Thin: the work is runtime/executor/party-process.ts and dealer-process.ts.
// Exit codes: 0 ok, 1 errors in the program/data/run/peers, 2 usage.

import { dirname, join } from "node:path";
import { compileFile } from "../../compiler/pipeline.js";
import { renderDiagnostics, UserError } from "../../grammar/diagnostic.js";
import type { ClearTensor } from "../../runtime/clear/index.js";
import { runNetworkDealer } from "../../runtime/executor/dealer-process.js";
import { checkModule } from "../../runtime/executor/executor.js";
import { checkDealerModule, type LoadedModule, loadModuleFile, readPlanFile } from "../../runtime/executor/modules.js";
import { type NetworkOptions, runNetworkParty } from "../../runtime/executor/party-process.js";
import { fixedBound } from "../../runtime/fixed/index.js";
import type { Plan } from "../../runtime/plan/plan.js";
import { formatTensor, loadInputs, resolveInputs, writeOutput } from "../../runtime/io/index.js";
import { DEALER, loadConfig } from "../../runtime/transport/config.js";
import { TransportError } from "../../runtime/transport/transport.js";
import { commandLine, FlagReader, oneProgramFile, UsageError } from "../args.js";
import { ALL_NETWORK_FLAGS, type NetworkFlags, networkHelp, networkOptions, readNetworkFlag } from "../network-flags.js";

export const NETWORK_USAGE =
  "usage: mpc run FILE --party NAME --config parties.json [--input NAME.input=PATH]... [--out DIR] [network options]\n" +
  "       mpc run FILE --dealer --config parties.json [network options]\n" +
  "       mpc run --party NAME --module DIR/NAME.js --config parties.json [--plan PATH] [--input NAME=PATH]... [--out DIR] [network options]\n" +
  "       mpc run --dealer --module DIR/dealer.js --config parties.json [--plan PATH] [network options]";

export const NETWORK_HELP = `Separate processes or hosts over TLS 1.3 with mutual authentication (docs/network.md):
  --party NAME              run only party NAME; it reads only its own inputs and writes
                            only its own outputs (DIR/NAME/<output>.json and .csv)
  --dealer                  run the dealer
  --config PATH             the deployment's parties.json (from \`mpc keys\`)
  --module PATH.js          run this generated module (from \`mpc compile -o DIR\`, copied to
                            this machine with the plan and DIR/package.json) with this mpc;
                            the plan must be the module's: the program FILE compiled here
                            if one is given, else <program>.plan.json next to the module
  --plan PATH               with --module: the plan file to check the module against
${networkHelp(ALL_NETWORK_FLAGS)}
  --verbose                 report connections on stderr`;

interface Args {
  /** The program; optional with --module. */
  file?: string;
  module?: string;
  plan?: string;
  party?: string;
  dealer: boolean;
  config?: string;
  inputs: string[];
  out?: string;
  json: boolean;
  progress: boolean;
  verbose: boolean;
  net: NetworkFlags;
}

function parse(argv: string[]): Args | "help" {
  const files: string[] = [];
  const a: Omit<Args, "file"> = { dealer: false, inputs: [], json: false, progress: false, verbose: false, net: {} };
  const r = new FlagReader(argv);
  while (r.next()) {
    const flag = r.flag;
    if (readNetworkFlag(r, a.net)) continue;
    switch (flag) {
      case "--help":
      case "-h":
        return "help";
      case "--party":
        a.party = r.value();
        break;
      case "--dealer":
        a.dealer = true;
        break;
      case "--config":
        a.config = r.value();
        break;
      case "--module":
        a.module = r.value();
        break;
      case "--plan":
        a.plan = r.value();
        break;
      case "--input":
      case "-i":
        a.inputs.push(r.value());
        break;
      case "--out":
      case "-o":
        a.out = r.value();
        break;
      case "--json":
      case "--progress":
      case "--verbose":
        r.noValue();
        a[flag.slice(2) as "json" | "progress" | "verbose"] = true;
        break;
      case "--plaintext":
        throw new UsageError("--plaintext runs in this process, not as one party of a deployment");
      default:
        r.positional(files);
    }
  }
  if (a.plan !== undefined && a.module === undefined) throw new UsageError("--plan goes with --module (without it, the plan is the program FILE's)");
  if (a.module !== undefined && a.plan !== undefined && files.length > 0) throw new UsageError("give the plan either as a program FILE or as --plan PATH, not both");
  const file = a.module !== undefined && files.length === 0 ? undefined : oneProgramFile(files);
  if (a.dealer === (a.party !== undefined)) throw new UsageError("give either --party NAME or --dealer");
  if (a.config === undefined) throw new UsageError("--config parties.json is required with --party and --dealer");
  if (a.dealer && a.inputs.length > 0) throw new UsageError("the dealer reads no inputs");
  return { ...(file !== undefined ? { file } : {}), ...a };
}

const plural = (n: number, w: string): string => `${n} ${w}${n === 1 ? "" : "s"}`;
const showMs = (ms: number): string => (ms < 1000 ? `${ms.toFixed(0)} ms` : `${(ms / 1000).toFixed(2)} s`);
function showBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(2)} MiB`;
}

/** A transport failure, or a check the runtime makes on what a peer or the dealer sent (a
 *  plain Error with a message, not an "internal:" one), is the run's error, shown like any
 *  user error; anything else (a TypeError, an internal check) stays a bug report. */
function asUserError(e: unknown): unknown {
  if (e instanceof TransportError) return new UserError(e.message);
  if (e instanceof Error && e.constructor === Error && !e.message.startsWith("internal:")) return new UserError(e.message);
  return e;
}

export async function main(argv: string[]): Promise<number> {
  const args = await commandLine("run", argv, parse, NETWORK_USAGE, () => `${NETWORK_USAGE}\n\n${NETWORK_HELP}`);
  if (typeof args === "number") return args;
  try {
    return await runEndpoint(args);
  } finally {
    // whatever a failure leaves behind (a peer's half-closed socket, a timer), the `mpc`
    // process ends (unref: this never delays a clean exit; not armed when used as a library)
    if (/(^|[/\\])mpc(\.[jt]s)?$/.test(process.argv[1] ?? "")) setTimeout(() => process.exit(process.exitCode ?? 1), 5_000).unref();
  }
}

/** A module shipped to this machine: imported, refused unless it is the endpoint's (the party's
 *  own module, or the dealer's), before any plan is read. */
async function endpointModule(args: Args): Promise<LoadedModule> {
  const m = await loadModuleFile(args.module!);
  const of = (l: LoadedModule): string => (l.role === "dealer" ? "the dealer's module" : `the module of party ${l.module.PARTY}`);
  if (args.dealer && m.role !== "dealer") throw new UserError(`--module ${args.module} is ${of(m)}, not the dealer's (run it with --party ${(m.module as { PARTY: string }).PARTY})`, 2);
  if (!args.dealer && (m.role !== "party" || m.module.PARTY !== args.party)) {
    throw new UserError(`--module ${args.module} is ${of(m)}, not party ${args.party}'s: each party runs its own module (${args.party}.js)`, 2);
  }
  return m;
}

/** The run's plan: the program compiled here, or the plan file of a module (checked against
 *  the module's PLAN_HASH); undefined after printing the program's errors. */
function endpointPlan(args: Args, module: LoadedModule | undefined): Plan | undefined {
  if (args.file === undefined) {
    const m = module!.module;
    return readPlanFile(args.plan ?? join(dirname(args.module!), `${m.PROGRAM}.plan.json`), m.PLAN_HASH);
  }
  const compiled = compileFile(args.file);
  if (compiled.diagnostics.length > 0) process.stderr.write(renderDiagnostics(compiled.diagnostics, compiled.source ?? "", process.stderr.isTTY === true) + "\n");
  if (!compiled.plan || !compiled.checked || compiled.diagnostics.some((d) => d.severity === "error")) return undefined;
  return compiled.plan;
}

async function runEndpoint(args: Args): Promise<number> {
  const shipped = args.module !== undefined ? await endpointModule(args) : undefined;
  const plan = endpointPlan(args, shipped);
  if (plan === undefined) return 1;
  // a module made from another plan is refused here, before the configuration is read
  if (shipped?.role === "party") checkModule(shipped.module, plan, args.party!);
  if (shipped?.role === "dealer") checkDealerModule(shipped.module, plan);
  if (args.party !== undefined) {
    const party = args.party;
    if (!plan.parties.includes(party)) throw new UserError(`program ${plan.program} has no party ${party} (its parties: ${plan.parties.join(", ")})`, 2);
    // only this party's inputs: a binding for another party's input is refused, never read
    const own = plan.inputs.filter((i) => i.party === party);
    for (const b of args.inputs) {
      const lhs = b.slice(0, Math.max(0, b.indexOf("="))).trim();
      const other = plan.inputs.find((i) => i.party !== party && (lhs === `${i.party}.${i.name}` || lhs === i.name));
      if (other) throw new UserError(`--input ${b}: ${other.party}.${other.name} is ${other.party}'s input; party ${party} reads only its own inputs (${own.map((i) => `${i.party}.${i.name}`).join(", ") || "none"})`, 2);
    }
  }
  const config = loadConfig(args.config!);
  const verbose = args.verbose;
  const net: NetworkOptions = { ...networkOptions(args.net), config, ...(verbose ? { log: (l: string) => process.stderr.write(`${l}\n`) } : {}) };

  if (args.dealer) {
    let r;
    try {
      r = await runNetworkDealer({ ...net, plan, ...(shipped?.role === "dealer" ? { module: shipped.module } : {}) });
    } catch (e) {
      throw asUserError(e);
    }
    if (args.json) {
      console.log(JSON.stringify({ program: plan.program, planHash: plan.hash, role: DEALER, stats: r }, null, 2));
    } else {
      console.log(
        `program ${plan.program}: dealer done: ${plural(r.items, "item")}, ${showBytes(r.bytes)} of corrections to ${plan.parties[plan.parties.length - 1]}; ` +
          `connected in ${showMs(r.connectMs)}, items made in ${showMs(r.offlineMs)}`,
      );
    }
    return 0;
  }

  const party = args.party!;
  const own = plan.inputs.filter((i) => i.party === party);
  // default input files: data/<program>/ next to the program, or next to the module
  const bindings = resolveInputs(args.file ?? join(dirname(args.module!), `${plan.program}.mpc`), plan.program, own, args.inputs);
  const loaded = loadInputs(bindings, { fixedBound: fixedBound(plan.precision) });
  const inputs = new Map<string, ClearTensor>(own.map((i) => [i.name, loaded.get(`${i.party}.${i.name}`)!]));

  const lines = new Map(plan.body.flatMap((n) => (n.kind === "loop" && n.src ? [[n.id, `at line ${n.src.line}`] as const] : [])));
  const showProgress = args.progress || process.stderr.isTTY === true;
  let r;
  try {
    r = await runNetworkParty({
      ...net,
      plan,
      party,
      inputs,
      ...(shipped?.role === "party" ? { module: shipped.module } : {}),
      warmUp: args.net.warmUp === true,
      ...(showProgress
        ? { onProgress: (p: { loop: string; iteration: number; total: number }) => process.stderr.write(`[${plan.program}] ${party}: loop ${lines.get(p.loop) ?? p.loop}: ${p.iteration}/${p.total}\n`) }
        : {}),
    });
  } catch (e) {
    throw asUserError(e);
  }

  // the run succeeded: only now are outputs written
  const outDir = args.out ?? join("out", plan.program);
  const revealed = plan.outputs.filter((o) => o.to.includes(party));
  const files = new Map<string, { json: string; csv: string }>();
  for (const o of revealed) {
    const v = r.outputs.get(o.name);
    if (v === undefined) throw new UserError(`party ${party} did not receive output ${o.name}`);
    files.set(o.name, writeOutput(outDir, party, o.name, v));
  }
  const payload = new Map(r.stats.links.map((l) => [l.peer, l.payloadBytes]));
  if (args.json) {
    console.log(
      JSON.stringify(
        {
          program: plan.program,
          planHash: plan.hash,
          role: "party",
          party,
          ...(args.module !== undefined ? { module: args.module } : {}),
          outputs: revealed.map((o) => {
            const v = r.outputs.get(o.name)!;
            return { name: o.name, to: o.to, elem: o.elem, shape: v.shape, data: Array.from(v.data, (x) => (Number.isFinite(x) ? x : null)), files: files.get(o.name) };
          }),
          stats: { ...r.stats, sent: r.stats.sent.map((s) => ({ ...s, payloadBytes: payload.get(s.to) ?? 0 })) },
        },
        null,
        2,
      ),
    );
    return 0;
  }
  const from = args.module !== undefined ? `, from its generated module ${args.module}` : "";
  const out: string[] = [`program ${plan.program}: ran as party ${party} of ${plan.parties.join(", ")} over TLS${from} (plan ${plan.hash.slice(0, 16)}…)`];
  if (bindings.size > 0) {
    const w = Math.max(...[...bindings.keys()].map((k) => k.length));
    out.push("inputs:", ...[...bindings].map(([k, b]) => `  ${k.padEnd(w)}  ${b.path}${b.source === "flag" ? " (--input)" : ""}`));
  }
  for (const o of revealed) {
    const v = r.outputs.get(o.name)!;
    out.push("", `${o.name}: ${v.shape.length === 0 ? o.elem : `${o.elem}[${v.shape.join(", ")}]`} -> ${o.to.join(", ")}`, ...formatTensor(v, o.elem).map((l) => `  ${l}`));
  }
  if (revealed.length === 0) out.push("", `nothing is revealed to ${party}`);
  else out.push("", `outputs written to ${outDir}/${party}/<name>.json and .csv`);
  const s = r.stats;
  out.push(`time: connect ${showMs(s.connectMs)}, offline ${showMs(s.offlineMs)}, online ${showMs(s.onlineMs)}, ${plural(s.rounds, "round")}`);
  if (s.sent.length > 0) {
    out.push(`traffic ${party} sent:`);
    for (const p of s.sent) out.push(`  -> ${p.to}  ${plural(p.messages, "message")}, ${showBytes(p.bytes)} (payload ${showBytes(payload.get(p.to) ?? 0)})`);
  } else out.push(`traffic: ${party} sent nothing to the other parties`);
  console.log(out.join("\n"));
  return 0;
}
