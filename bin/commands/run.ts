// `mpc run FILE [--input party.name=PATH …] [--out DIR] [--plaintext] [--parties-timeout SEC]
//  [--json] [--progress]`: compile a program, read every party's inputs (flags, else
// data/<program>/ next to the program), run it — securely with every party and the dealer in
// this process, or in the clear with --plaintext — then show each reveal as its receivers see
// it, write DIR/<party>/<name>.json and .csv (default DIR: out/<program>), and summarise the
// run. Thin: the work is compiler/, runtime/executor, runtime/io and compiler/reference.
// Exit codes: 0 ok, 1 errors in the program/data/run, 2 usage.

import { performance } from "node:perf_hooks";
import { join } from "node:path";
import { renderDiagnostics, type Diagnostic, UserError } from "../../grammar/diagnostic.js";
import type { CheckedProgram } from "../../compiler/check/typed.js";
import { checkFile } from "../../compiler/frontend.js";
import { compileFile } from "../../compiler/pipeline.js";
import { cachedModules } from "../../compiler/codegen/cache.js";
import { runPlaintext } from "../../compiler/reference/index.js";
import type { ClearTensor } from "../../runtime/clear/index.js";
import { type Progress, runInProcess, type RunStats } from "../../runtime/executor/index.js";
import { fixedBound } from "../../runtime/fixed/index.js";
import { formatTensor, loadInputs, resolveInputs, writeOutput } from "../../runtime/io/index.js";
import type { ElemType, Plan } from "../../runtime/plan/plan.js";
import { commandLine, FlagReader, oneProgramFile } from "../args.js";

const USAGE = "usage: mpc run FILE [--input party.name=PATH]... [--out DIR] [--plaintext] [--parties-timeout SECONDS] [--json] [--progress]";

const HELP = `${USAGE}

Run a program on its parties' data: securely (every party and the dealer in this process) or,
with --plaintext, in the clear with the same semantics (the reference the secure run is tested
against). Inputs come from --input flags, else from data/<program>/<party>.<input>.csv (or
.json, .npy) next to the program.

  --input party.name=PATH   bind one input to a file (.csv, .json or .npy); name=PATH also
                            works (input names are unique); repeat for each input
  --out DIR                 where to write outputs: DIR/<party>/<name>.json and .csv
                            (default out/<program>)
  --plaintext               run in the clear (no parties, no communication)
  --parties-timeout SECONDS fail if a party waits longer than this for a peer (default 60)
  --json                    print the outputs and statistics as JSON on stdout
  --progress                show loop progress on stderr even when it is not a terminal
  --generated               run each party's generated module (as mpc compile writes them;
                            generated once per program version and cached) instead of
                            interpreting the plan: same steps, same messages (docs/codegen.md)`;

interface RunArgs {
  file: string;
  inputs: string[];
  out?: string;
  plaintext: boolean;
  timeoutMs?: number;
  json: boolean;
  progress: boolean;
  generated?: boolean;
}

function parseArgs(argv: string[]): RunArgs | "help" {
  const files: string[] = [];
  const a: Omit<RunArgs, "file"> = { inputs: [], plaintext: false, json: false, progress: false };
  const r = new FlagReader(argv);
  while (r.next()) {
    const flag = r.flag;
    switch (flag) {
      case "--help":
      case "-h":
        return "help";
      case "--input":
      case "-i":
        a.inputs.push(r.value());
        break;
      case "--out":
      case "-o":
        a.out = r.value();
        break;
      case "--parties-timeout": {
        a.timeoutMs = Math.round(Number(r.decimal(true, "seconds")) * 1000);
        break;
      }
      case "--generated":
        a.generated = true;
        break;
      case "--plaintext":
      case "--json":
      case "--progress":
        r.noValue();
        a[flag.slice(2) as "plaintext" | "json" | "progress"] = true;
        break;
      default:
        r.positional(files);
    }
  }
  const file = oneProgramFile(files);
  return { file, ...a };
}

/** One revealed output as the command shows and writes it. */
interface Reveal {
  name: string;
  to: string[];
  elem: ElemType;
  /** The value each receiver got (identical in a correct run). */
  values: Map<string, ClearTensor>;
  /** How many times the program revealed it (a reveal in a loop runs once per iteration). */
  times: number;
}

const plural = (n: number, w: string): string => `${n} ${w}${n === 1 ? "" : "s"}`;

function showBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(2)} MiB`;
}

const showMs = (ms: number): string => (ms < 1000 ? `${ms.toFixed(0)} ms` : `${(ms / 1000).toFixed(2)} s`);

function printDiagnostics(diags: readonly Diagnostic[], source: string | undefined): number {
  const errors = diags.filter((d) => d.severity === "error").length;
  if (diags.length > 0 && source !== undefined) {
    process.stderr.write(renderDiagnostics(diags, source, process.stderr.isTTY === true) + "\n");
  }
  if (errors > 0) {
    const warnings = diags.length - errors;
    process.stderr.write(`${plural(errors, "error")}${warnings ? `, ${plural(warnings, "warning")}` : ""}\n`);
  }
  return errors;
}

/** The program's reveal statements in order, with the element type of each value. */
function revealTypes(program: CheckedProgram): Map<string, { to: string[]; elem: ElemType }> {
  const out = new Map<string, { to: string[]; elem: ElemType }>();
  const walk = (stmts: CheckedProgram["body"]): void => {
    for (const s of stmts) {
      if (s.k === "reveal") out.set(s.name, { to: s.to, elem: s.value.type.elem });
      else if (s.k === "for") walk(s.body);
      else if (s.k === "if") {
        walk(s.then);
        walk(s.else);
      }
    }
  };
  walk(program.body);
  return out;
}

function sameValue(a: ClearTensor, b: ClearTensor): boolean {
  return a.shape.length === b.shape.length && a.shape.every((d, i) => d === b.shape[i]) && a.data.every((x, i) => Object.is(x, b.data[i]));
}

/** Progress lines on stderr (rewritten in place on a terminal), one per iteration of a
 *  top-level loop: the loop's variable and source line, iterations done, the run's elapsed
 *  wall time and, from the second iteration on, the estimated time left (the mean time per
 *  iteration so far times the iterations left); then the scalars the program revealed in that
 *  iteration to the reporting party (a loss or an accuracy each epoch). No other value. */
type LoopProgress = Pick<Progress, "loop" | "iteration" | "total" | "revealed">;

/** `for epoch in …` at line 44 -> "epoch (line 44)", by source line. */
function loopLabels(program: CheckedProgram): Map<number, string> {
  const out = new Map<number, string>();
  for (const s of program.body) if (s.k === "for") out.set(s.span.line, `${s.binding.name} (line ${s.span.line})`);
  return out;
}

export function progressReporter(
  program: string,
  force: boolean,
  label: (loop: string) => string = (l) => l,
  out: { isTTY?: boolean; write(text: string): unknown } = process.stderr,
  now: () => number = () => performance.now(),
): ((p: LoopProgress) => void) | undefined {
  const tty = out.isTTY === true;
  if (!tty && !force) return undefined;
  const start = now();
  const firstSeen = new Map<string, { at: number; iteration: number }>();
  return (p) => {
    const t = now();
    const first = firstSeen.get(p.loop) ?? { at: t, iteration: p.iteration };
    firstSeen.set(p.loop, first);
    const perIteration = p.iteration > first.iteration ? (t - first.at) / (p.iteration - first.iteration) : undefined;
    const left = p.total - p.iteration;
    const eta = left === 0 ? "done" : perIteration === undefined ? "estimating time left" : `about ${showMs(perIteration * left)} left`;
    const scalars = (p.revealed ?? []).filter(([, v]) => v.data.length === 1).map(([name, v]) => `; ${name} ${Number(v.data[0]!.toPrecision(6))}`);
    const line = `[${program}] ${label(p.loop)} ${p.iteration}/${p.total}: ${showMs(t - start)} elapsed, ${eta}${scalars.join("")}`;
    if (tty) out.write(`\r${line}\x1b[K${p.iteration === p.total ? "\n" : ""}`);
    else out.write(`${line}\n`);
  };
}

export async function main(argv: string[]): Promise<number> {
  // one endpoint of a deployment over TLS (separate processes or hosts): bin/commands/run-party.ts
  if (argv.some((a) => a === "--party" || a.startsWith("--party=") || a === "--dealer")) return (await import("./run-party.js")).main(argv);
  const args = await commandLine("run", argv, parseArgs, USAGE, async () => {
    const net = await import("./run-party.js");
    return `${HELP}\n\n${net.NETWORK_USAGE}\n${net.NETWORK_HELP}`;
  });
  if (typeof args === "number") return args;
  const started = performance.now();

  // Compile (or, for a plaintext run, only check: no plan is needed).
  let checked: CheckedProgram | undefined;
  let plan: Plan | undefined;
  let source: string | undefined;
  if (args.plaintext) {
    const front = checkFile(args.file);
    if (printDiagnostics(front.diagnostics, front.source) > 0 || !front.program) return 1;
    checked = front.program;
  } else {
    const compiled = await compileFile(args.file);
    if (printDiagnostics(compiled.diagnostics, compiled.source) > 0 || !compiled.plan || !compiled.checked) return 1;
    source = compiled.source;
    checked = compiled.checked;
    plan = compiled.plan;
  }

  // Inputs: the same files and the same checks for both modes, so a data error is reported
  // identically (with its position in the file) whether or not the run is secure.
  const bindings = resolveInputs(args.file, checked.name, checked.inputs, args.inputs);
  const inputs = loadInputs(bindings, { fixedBound: fixedBound(checked.precision) });
  const compiledAt = performance.now();

  const types = revealTypes(checked);
  const reveals: Reveal[] = [];
  let stats: RunStats | undefined;
  if (plan === undefined) {
    // The interpreter names loops "at line N"; show the loop variable too.
    const labels = loopLabels(checked);
    const onProgress = progressReporter(checked.name, args.progress, (l) => labels.get(Number(/\d+$/.exec(l)?.[0])) ?? `loop ${l}`);
    const result = runPlaintext(checked, inputs, onProgress ? { onProgress } : {});
    const byName = new Map<string, Reveal>();
    for (const o of result.outputs) {
      const r = byName.get(o.name) ?? { name: o.name, to: o.to, elem: types.get(o.name)?.elem ?? "fixed", values: new Map(), times: 0 };
      for (const p of o.to) r.values.set(p, o.value);
      r.times++;
      byName.set(o.name, r);
    }
    reveals.push(...byName.values());
  } else {
    const opts: Parameters<typeof runInProcess>[2] = {};
    if (args.timeoutMs !== undefined) opts.timeoutMs = args.timeoutMs;
    // The executor names loops by plan node id; show the loop variable and source line instead.
    const labels = loopLabels(checked);
    const lines = new Map(plan.body.flatMap((n) => (n.kind === "loop" && n.src ? [[n.id, labels.get(n.src.line) ?? `loop at line ${n.src.line}`] as const] : [])));
    const onProgress = progressReporter(checked.name, args.progress, (id) => lines.get(id) ?? `loop ${id}`);
    if (onProgress) opts.onProgress = onProgress;
    if (args.generated) opts.modules = (await cachedModules(plan, { source: source ?? "", file: args.file })).dir;
    const result = await runInProcess(plan, inputs, opts);
    stats = result.stats;
    // an output node inside a loop runs once per iteration (the last value is kept)
    const timesRun = new Map<string, number>();
    const walk = (nodes: readonly Plan["body"][number][], times: number): void => {
      for (const n of nodes) {
        if (n.kind === "output") timesRun.set(n.name, (timesRun.get(n.name) ?? 0) + times);
        else if (n.kind === "loop") walk(n.body, times * n.count);
      }
    };
    walk(plan.body, 1);
    for (const o of plan.outputs) {
      const values = new Map<string, ClearTensor>();
      for (const p of o.to) {
        const v = result.outputs.get(p)?.get(o.name);
        if (v === undefined) throw new UserError(`party ${p} did not receive output ${o.name}`);
        values.set(p, v);
      }
      reveals.push({ name: o.name, to: o.to, elem: o.elem, values, times: timesRun.get(o.name) ?? 1 });
    }
  }
  const ranAt = performance.now();

  // Write every receiver's outputs.
  const outDir = args.out ?? join("out", checked.name);
  const files = new Map<string, Record<string, { json: string; csv: string }>>();
  for (const r of reveals) {
    const perParty: Record<string, { json: string; csv: string }> = {};
    for (const [p, v] of r.values) perParty[p] = writeOutput(outDir, p, r.name, v);
    files.set(r.name, perParty);
  }

  const wall = { totalMs: performance.now() - started, compileAndLoadMs: compiledAt - started, runMs: ranAt - compiledAt };
  if (args.json) {
    const out = {
      program: checked.name,
      mode: plan === undefined ? "plaintext" : "secure",
      outputs: reveals.map((r) => ({
        name: r.name,
        to: r.to,
        elem: r.elem,
        shape: [...r.values.values()][0]?.shape ?? [],
        data: Array.from([...r.values.values()][0]?.data ?? [], (x) => (Number.isFinite(x) ? x : null)),
        files: files.get(r.name),
      })),
      stats: stats ?? null,
      wall,
    };
    console.log(JSON.stringify(out, null, 2));
    return 0;
  }

  const lines: string[] = [];
  const mode = plan === undefined ? "in the clear (--plaintext)" : `securely, ${`${checked.parties.length} part${checked.parties.length === 1 ? "y" : "ies"}`} and a dealer in this process${args.generated ? " (generated modules)" : ""}`;
  lines.push(`program ${checked.name}: ran ${mode}`);
  if (bindings.size > 0) {
    const w = Math.max(...[...bindings.keys()].map((k) => k.length));
    lines.push("inputs:", ...[...bindings].map(([k, b]) => `  ${k.padEnd(w)}  ${b.path}${b.source === "flag" ? " (--input)" : ""}`));
  }
  for (const r of reveals) {
    const vals = [...r.values.entries()];
    const first = vals[0]?.[1];
    const agree = first !== undefined && vals.every(([, v]) => sameValue(v, first));
    const type = first === undefined || first.shape.length === 0 ? r.elem : `${r.elem}[${first.shape.join(", ")}]`;
    const again = r.times > 1 ? ` (revealed ${r.times} times; the last value is shown and written)` : "";
    lines.push("", `${r.name}: ${type} -> ${r.to.join(", ")}${again}`);
    const groups = agree ? [[r.to.join(", "), first!] as const] : vals.map(([p, v]) => [p, v] as const);
    for (const [who, v] of groups) {
      if (!agree) lines.push(`  as ${who} sees it:`);
      lines.push(...formatTensor(v, r.elem).map((l) => `  ${l}`));
    }
  }
  lines.push("", `outputs written to ${outDir}/<party>/<name>.json and .csv`);
  if (stats === undefined) {
    lines.push(`time: ${showMs(wall.runMs)} run, ${showMs(wall.totalMs)} in total (no parties, no communication)`);
  } else {
    lines.push(
      `time: offline ${showMs(stats.offlineMs)} (dealer: ${plural(stats.dealerItems, "item")}, ${showBytes(stats.dealerBytes)}), ` +
        `online ${showMs(stats.onlineMs)}, ${plural(stats.rounds, "round")}; ${showMs(wall.totalMs)} in total`,
    );
    const pairs = stats.perPair.filter((p) => p.messages > 0);
    if (pairs.length > 0) {
      lines.push("traffic per party pair:");
      const w = Math.max(...pairs.map((p) => `${p.from} -> ${p.to}`.length));
      for (const p of pairs) lines.push(`  ${`${p.from} -> ${p.to}`.padEnd(w)}  ${plural(p.messages, "message")}, ${showBytes(p.bytes)}`);
    } else lines.push("traffic: none between parties");
  }
  console.log(lines.join("\n"));
  return 0;
}
