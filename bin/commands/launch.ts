// `mpc launch FILE [--parties-config parties.json] [--input party.name=PATH …] [--out DIR]
//  [--json] [network flags]`: a whole deployment on this machine, every party
// and the dealer a separate OS process talking TLS over loopback, exactly as separate
// organisations would run it. It compiles the program, makes fresh keys in a private
// temporary folder (or uses --parties-config), starts `mpc run FILE --party P` for every party
// (each given only its own inputs) and `mpc run FILE --dealer`, collects what each party
// reports, and — only if every process succeeded — writes the same output files as `mpc run`
// and prints the outputs, timings and traffic per party pair. Exits 1 if any process failed,
// naming it and its error (the others are stopped shortly after the first failure). Thin:
// processes are `mpc run`; the work is in runtime/; the network flags are ../network-flags.ts.

import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { compileFile } from "../../compiler/pipeline.js";
import { renderDiagnostics, UserError } from "../../grammar/diagnostic.js";
import type { ClearTensor } from "../../runtime/clear/index.js";
import { PARTY_HEAP_MB } from "../../runtime/executor/index.js";
import { formatTensor, resolveInputs, writeOutput } from "../../runtime/io/index.js";
import type { Plan } from "../../runtime/plan/plan.js";
import { checkParties, DEALER, loadConfig } from "../../runtime/transport/config.js";
import { issueDeployment } from "../../runtime/transport/keys.js";
import { commandLine, FlagReader, oneProgramFile } from "../args.js";
import { type NetworkFlagName, type NetworkFlags, networkArgv, networkHelp, networkUsage, readNetworkFlag } from "../network-flags.js";

/** The network flags launch takes and passes on to every process (--listen makes no sense on
 *  one machine's loopback). */
const PASSED: NetworkFlagName[] = ["--latency", "--bandwidth", "--parties-timeout", "--connect-timeout", "--max-frame-mb", "--warm-up"];

const USAGE =
  "usage: mpc launch FILE [--parties-config parties.json] [--input party.name=PATH]... [--out DIR] [--modules DIR] [--json] [--verbose]\n" +
  `                       ${networkUsage(PASSED)}`;

const HELP = `${USAGE}

Run a program with every party and the dealer as separate processes on this machine, over
TLS 1.3 with mutual authentication on loopback (what \`mpc run --party\` does on separate
hosts; see docs/network.md). Outputs, files and flags are those of \`mpc run\`.

  --parties-config PATH     use this deployment (keys, ports) instead of fresh keys in a
                            temporary folder
  --input party.name=PATH   bind one input (each goes only to its owner's process)
  --out DIR                 where to write outputs: DIR/<party>/<name>.json and .csv
                            (default out/<program>); written only if every process succeeded
  --modules DIR             run the generated modules in DIR (\`mpc compile FILE -o DIR\`, or a
                            copy of them) instead of interpreting the plan: each process gets
                            --module DIR/<party>.js (the dealer DIR/dealer.js), checked
                            against FILE's plan
  --json                    print outputs and statistics as JSON
  --verbose                 pass every process's status lines through to stderr
  --keep-keys               keep the temporary keys folder (its path is printed)
Passed to every process:
${networkHelp(PASSED)}`;

interface Args {
  file: string;
  config?: string;
  inputs: string[];
  out?: string;
  /** Folder of generated modules to run (each process gets its own). */
  modules?: string;
  json: boolean;
  verbose: boolean;
  keepKeys: boolean;
  /** Passed on to every process. */
  net: NetworkFlags;
}

function parse(argv: string[]): Args | "help" {
  const files: string[] = [];
  const a: Omit<Args, "file"> = { inputs: [], json: false, verbose: false, keepKeys: false, net: {} };
  const r = new FlagReader(argv);
  while (r.next()) {
    const flag = r.flag;
    if (readNetworkFlag(r, a.net, PASSED)) continue;
    switch (flag) {
      case "--help":
      case "-h":
        return "help";
      case "--parties-config":
      case "--config":
        a.config = r.value();
        break;
      case "--input":
      case "-i":
        a.inputs.push(r.value());
        break;
      case "--out":
      case "-o":
        a.out = r.value();
        break;
      case "--modules":
        a.modules = r.value();
        break;
      case "--json":
        a.json = true;
        break;
      case "--verbose":
        a.verbose = true;
        break;
      case "--keep-keys":
        a.keepKeys = true;
        break;
      default:
        r.positional(files);
    }
  }
  const file = oneProgramFile(files);
  return { file, ...a };
}

/** How to start `mpc` as a child: the compiled entry, or from source through tsx; with the
 *  party threads' roomy initial heap (fewer GC pauses mid-round: see PARTY_HEAP_MB). */
export function mpcCommand(): { command: string; args: string[] } {
  const here = import.meta.url;
  const heap = `--initial-heap-size=${PARTY_HEAP_MB}`;
  if (here.endsWith(".ts")) return { command: process.execPath, args: [heap, "--import", import.meta.resolve("tsx"), fileURLToPath(new URL("../mpc.ts", here))] };
  return { command: process.execPath, args: [heap, fileURLToPath(new URL("../mpc.js", here))] };
}

/** `count` ports free on 127.0.0.1 right now (each bound, noted, released). */
async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<ReturnType<typeof createServer>>((res, rej) => {
          const s = createServer();
          s.once("error", rej);
          s.listen(0, "127.0.0.1", () => res(s));
        }),
    ),
  );
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

interface Endpoint {
  name: string;
  child: ChildProcess;
  stdout: string;
  stderr: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  exited: Promise<void>;
  /** Ended by launch because this other process failed first. */
  stoppedFor?: Endpoint;
  /** 0 for the first process to end, 1 for the next… */
  endedAs?: number;
}

/** How long the other processes get to stop by themselves once one has failed (a process
 *  connected to it is aborted by its peers within milliseconds; one still waiting for it to
 *  come up would otherwise wait out --connect-timeout). */
const STOP_GRACE_MS = 3_000;

const role = (e: Endpoint): string => (e.name === DEALER ? "the dealer" : `party ${e.name}`);

interface PartyReport {
  party: string;
  outputs: { name: string; to: string[]; elem: "fixed" | "int" | "bool"; shape: number[]; data: (number | null)[] }[];
  stats: {
    connectMs: number;
    offlineMs: number;
    barrierMs: number;
    onlineMs: number;
    rounds: number;
    sent: { from: string; to: string; messages: number; bytes: number; payloadBytes: number }[];
    perRound: { round: number; messages: number; bytes: number }[];
  };
}

interface DealerReport {
  stats: { offlineMs: number; bytes: number; items: number; connectMs: number };
}

const plural = (n: number, w: string): string => `${n} ${w}${n === 1 ? "" : "s"}`;
const showMs = (ms: number): string => (ms < 1000 ? `${ms.toFixed(0)} ms` : `${(ms / 1000).toFixed(2)} s`);
function showBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(2)} MiB`;
}

/** The error a failed process reported (its `mpc: error:` lines), or how it ended. */
function failure(e: Endpoint): string {
  if (e.stoppedFor) return `stopped by mpc launch ${STOP_GRACE_MS / 1000} s after ${role(e.stoppedFor)} failed`;
  const lines = e.stderr.split("\n");
  const at = lines.findIndex((l) => l.startsWith("mpc: error: ") || l.startsWith("mpc run: ") || l.startsWith("mpc: internal error"));
  if (at >= 0) return lines.slice(at).join("\n").replace(/^mpc: error: /, "").trim();
  if (e.signal) return `killed by ${e.signal}`;
  const tail = e.stderr.trim().split("\n").slice(-3).join("\n");
  return `exited with code ${e.code}${tail ? `: ${tail}` : ""}`;
}

export async function main(argv: string[]): Promise<number> {
  const args = await commandLine("launch", argv, parse, USAGE, () => HELP);
  if (typeof args === "number") return args;
  const started = performance.now();
  const compiled = compileFile(args.file);
  if (compiled.diagnostics.length > 0) process.stderr.write(renderDiagnostics(compiled.diagnostics, compiled.source ?? "", process.stderr.isTTY === true) + "\n");
  if (!compiled.plan || compiled.diagnostics.some((d) => d.severity === "error")) return 1;
  const plan: Plan = compiled.plan;
  // every input bound (and only files the owner will read), before any process starts
  const bindings = resolveInputs(args.file, plan.program, plan.inputs, args.inputs);

  const work = mkdtempSync(join(tmpdir(), `mpc-launch-${plan.program}-`));
  let configPath: string;
  if (args.config !== undefined) {
    configPath = resolve(args.config);
    checkParties(loadConfig(configPath), plan.program, plan.parties);
  } else {
    const ports = await freePorts(plan.parties.length + 1);
    const names = [...plan.parties, DEALER];
    configPath = issueDeployment({
      dir: join(work, "keys"),
      parties: plan.parties,
      ports: Object.fromEntries(names.map((n, i) => [n, ports[i]!])),
      program: plan.program,
      deployment: `mpc launch ${plan.program}`,
    }).configPath;
  }
  const staging = join(work, "out");
  const mpc = mpcCommand();
  const common = ["--config", configPath, "--json", ...networkArgv(args.net)];
  if (args.verbose) common.push("--verbose");
  const file = resolve(args.file);

  const endpoints: Endpoint[] = [];
  let ended = 0;
  const start = (name: string, extra: string[]): void => {
    const child = spawn(mpc.command, [...mpc.args, "run", file, ...extra, ...common], { stdio: ["ignore", "pipe", "pipe"] });
    const e: Endpoint = { name, child, stdout: "", stderr: "", code: null, signal: null, exited: Promise.resolve() };
    child.stdout!.setEncoding("utf8").on("data", (s: string) => (e.stdout += s));
    child.stderr!.setEncoding("utf8").on("data", (s: string) => {
      e.stderr += s;
      if (args.verbose) process.stderr.write(s.replace(/^(?=.)/gm, `[${name}] `));
    });
    e.exited = new Promise<void>((res) => {
      child.on("error", (err) => {
        e.stderr += `mpc: error: cannot start ${name}: ${err.message}\n`;
        e.code = 1;
        res();
      });
      child.on("exit", (code, signal) => {
        e.endedAs = ended++;
        e.code = code;
        e.signal = signal;
        res();
      });
    });
    endpoints.push(e);
  };
  const killAll = (because?: Endpoint): void => {
    for (const e of endpoints) {
      if (e.code !== null || e.signal !== null) continue;
      if (because) e.stoppedFor = because;
      e.child.kill("SIGTERM");
    }
  };
  const onSignal = (): void => {
    killAll();
    process.exit(130);
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    const moduleFlag = (role: string): string[] => (args.modules === undefined ? [] : ["--module", join(resolve(args.modules), `${role}.js`)]);
    start(DEALER, ["--dealer", ...moduleFlag("dealer")]);
    for (const p of plan.parties) {
      const own = [...bindings].filter(([, b]) => b.input.party === p).flatMap(([key, b]) => ["--input", `${key}=${resolve(b.path)}`]);
      start(p, ["--party", p, "--out", staging, ...own, ...moduleFlag(p)]);
    }
    // once one process has failed, the others connected to it stop by themselves (it aborts
    // them); whatever has not stopped shortly after (e.g. still waiting for it to connect) is
    // ended here, and reported as stopped because of it
    let grace: NodeJS.Timeout | undefined;
    for (const e of endpoints) {
      void e.exited.then(() => {
        if (e.code !== 0 && grace === undefined) grace = setTimeout(() => killAll(e), STOP_GRACE_MS);
      });
    }
    await Promise.all(endpoints.map((e) => e.exited));
    if (grace) clearTimeout(grace);
  } finally {
    process.removeListener("SIGINT", onSignal);
    process.removeListener("SIGTERM", onSignal);
  }

  // the processes that failed by themselves, in the order they ended (the first is most often
  // the cause, the others its echo), then those launch stopped, in the order they started
  const rank = (e: Endpoint): number => (e.stoppedFor ? endpoints.length + endpoints.indexOf(e) : (e.endedAs ?? 0));
  const failed = endpoints.filter((e) => e.code !== 0).sort((a, b) => rank(a) - rank(b));
  if (failed.length > 0) {
    if (!args.keepKeys) rmSync(work, { recursive: true, force: true });
    else process.stderr.write(`keys and staging kept in ${work}\n`);
    const lines = failed.map((e) => `  ${e.name === DEALER ? "dealer" : `party ${e.name}`}: ${failure(e).replace(/\n/g, "\n    ")}`);
    throw new UserError(`the run failed in ${failed.length} of ${endpoints.length} processes; no outputs were written:\n${lines.join("\n")}`);
  }
  const reports = new Map<string, PartyReport>();
  let dealer: DealerReport | undefined;
  for (const e of endpoints) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(e.stdout);
    } catch {
      throw new UserError(`${e.name}'s process succeeded but did not print its report as JSON`);
    }
    if (e.name === DEALER) dealer = parsed as DealerReport;
    else reports.set(e.name, parsed as PartyReport);
  }
  if (!args.keepKeys) rmSync(work, { recursive: true, force: true });

  // the outputs, written as `mpc run` writes them
  const outDir = args.out ?? join("out", plan.program);
  const toTensor = (o: PartyReport["outputs"][number]): ClearTensor => ({ shape: o.shape, data: Float64Array.from(o.data, (x) => (x === null ? NaN : x)) });
  const reveals = plan.outputs.map((o) => ({
    ...o,
    values: new Map(
      o.to.map((p) => {
        const got = reports.get(p)!.outputs.find((x) => x.name === o.name);
        if (!got) throw new UserError(`party ${p} did not report output ${o.name}`);
        return [p, toTensor(got)] as const;
      }),
    ),
  }));
  const files: Record<string, Record<string, { json: string; csv: string }>> = {};
  for (const r of reveals) {
    files[r.name] = {};
    for (const [p, v] of r.values) files[r.name]![p] = writeOutput(outDir, p, r.name, v);
  }

  const perPair = plan.parties.flatMap((p) => reports.get(p)!.stats.sent.map((s) => ({ from: p, to: s.to, messages: s.messages, bytes: s.bytes, payloadBytes: s.payloadBytes })));
  const slowest = (k: "connectMs" | "offlineMs" | "onlineMs" | "barrierMs"): number => Math.max(...plan.parties.map((p) => reports.get(p)!.stats[k]));
  const rounds = Math.max(0, ...plan.parties.map((p) => reports.get(p)!.stats.rounds));
  const totalMs = performance.now() - started;
  if (args.json) {
    const out = {
      program: plan.program,
      planHash: plan.hash,
      mode: "network",
      outputs: reveals.map((r) => {
        const first = [...r.values.values()][0]!;
        return { name: r.name, to: r.to, elem: r.elem, shape: first.shape, data: Array.from(first.data, (x) => (Number.isFinite(x) ? x : null)), files: files[r.name] };
      }),
      stats: {
        rounds,
        connectMs: slowest("connectMs"),
        offlineMs: slowest("offlineMs"),
        onlineMs: slowest("onlineMs"),
        perPair,
        parties: Object.fromEntries(plan.parties.map((p) => [p, reports.get(p)!.stats])),
        dealer: dealer!.stats,
      },
      wall: { totalMs },
    };
    console.log(JSON.stringify(out, null, 2));
    return 0;
  }
  const lines: string[] = [`program ${plan.program}: ran securely over TLS, ${plan.parties.length} part${plan.parties.length === 1 ? "y" : "ies"} and a dealer as separate processes`];
  if (bindings.size > 0) {
    const w = Math.max(...[...bindings.keys()].map((k) => k.length));
    lines.push("inputs:", ...[...bindings].map(([k, b]) => `  ${k.padEnd(w)}  ${b.path}${b.source === "flag" ? " (--input)" : ""}`));
  }
  for (const r of reveals) {
    const vals = [...r.values];
    const first = vals[0]![1];
    const agree = vals.every(([, v]) => v.shape.length === first.shape.length && v.data.every((x, i) => Object.is(x, first.data[i])));
    const type = first.shape.length === 0 ? r.elem : `${r.elem}[${first.shape.join(", ")}]`;
    lines.push("", `${r.name}: ${type} -> ${r.to.join(", ")}`);
    const groups = agree ? [[r.to.join(", "), first] as const] : vals;
    for (const [who, v] of groups) {
      if (!agree) lines.push(`  as ${who} sees it:`);
      lines.push(...formatTensor(v, r.elem).map((l) => `  ${l}`));
    }
  }
  lines.push("", `outputs written to ${outDir}/<party>/<name>.json and .csv`);
  lines.push(
    `time: connect ${showMs(slowest("connectMs"))}, offline ${showMs(slowest("offlineMs"))} (dealer: ${plural(dealer!.stats.items, "item")}, ${showBytes(dealer!.stats.bytes)}), ` +
      `online ${showMs(slowest("onlineMs"))}, ${plural(rounds, "round")}; ${showMs(totalMs)} in total (slowest party per phase)`,
  );
  const pairs = perPair.filter((p) => p.messages > 0);
  if (pairs.length > 0) {
    lines.push("traffic per party pair:");
    const w = Math.max(...pairs.map((p) => `${p.from} -> ${p.to}`.length));
    for (const p of pairs) lines.push(`  ${`${p.from} -> ${p.to}`.padEnd(w)}  ${plural(p.messages, "message")}, ${showBytes(p.bytes)} (payload ${showBytes(p.payloadBytes)})`);
  } else lines.push("traffic: none between parties");
  if (args.keepKeys) lines.push(`keys and staging kept in ${work}`);
  console.log(lines.join("\n"));
  return 0;
}
