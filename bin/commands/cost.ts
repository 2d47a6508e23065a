// `mpc cost FILE [--latency MS] [--bandwidth MBIT] [--json]`: what a program costs before it
// runs — rounds, messages and bytes per party pair, the dealer's offline traffic and the
// correlated randomness, per loop iteration and in total — and an estimated wall time on the
// given network. Bad program: rendered diagnostics, exit 1; usage errors exit 2.
// Thin: the work is compiler/pipeline.ts and compiler/cost/.

import { renderDiagnostics } from "../../grammar/diagnostic.js";
import { compileFile } from "../../compiler/pipeline.js";
import { estimateWallTime, planCost } from "../../compiler/cost/cost.js";
import { formatCost } from "../../compiler/cost/format.js";

const USAGE = "usage: mpc cost FILE [--latency MS] [--bandwidth MBIT] [--json]";
const HELP = `${USAGE}

Print what a program costs, from its compiled plan: online rounds, messages and bytes per
ordered party pair, the dealer's offline traffic, correlated randomness by kind and shape
(per loop iteration and in total), and the estimated wall time on a network where every
party pair has its own link:  rounds x latency + (busiest pair's bytes) / bandwidth.
  --latency MS       one-way latency per round in milliseconds (default 1)
  --bandwidth MBIT   bandwidth of each link in Mbit/s (default 1000)
  --json             the same data as JSON on stdout`;

export async function main(argv: string[]): Promise<number> {
  let latencyMs = 1;
  let bandwidthMbit = 1000;
  let json = false;
  const files: string[] = [];
  const number = (flag: string, v: string | undefined): number | string => {
    const x = v === undefined ? NaN : Number(v);
    return Number.isFinite(x) && x >= 0 && !(flag === "--bandwidth" && x === 0) ? x : `${flag} needs a ${flag === "--bandwidth" ? "positive" : "non-negative"} number, got '${v ?? ""}'`;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const [flag, inline] = a.includes("=") ? [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)] : [a, undefined];
    if (flag === "--latency" || flag === "--bandwidth") {
      const v = number(flag, inline ?? argv[++i]);
      if (typeof v === "string") return usage(v);
      if (flag === "--latency") latencyMs = v;
      else bandwidthMbit = v;
    } else if (a === "--json") json = true;
    else if (a === "--help" || a === "-h") {
      console.log(HELP);
      return 0;
    } else if (a.startsWith("-")) return usage(`unknown option '${a}'`);
    else files.push(a);
  }
  if (files.length !== 1) return usage(files.length === 0 ? "no file given" : "give exactly one file");
  const r = compileFile(files[0]!);
  if (!r.plan) {
    if (json) console.log(JSON.stringify({ ok: false, diagnostics: r.diagnostics }, null, 2));
    else {
      process.stderr.write(renderDiagnostics(r.diagnostics, r.source ?? "", process.stderr.isTTY === true) + "\n");
      const n = r.diagnostics.filter((d) => d.severity === "error").length;
      process.stderr.write(`${n} error${n === 1 ? "" : "s"}\n`);
    }
    return 1;
  }
  const cost = planCost(r.plan);
  const network = { latencyMs, bandwidthMbit };
  const estimate = estimateWallTime(cost, network);
  if (json) console.log(JSON.stringify({ ok: true, cost, network, estimate }, null, 2));
  else console.log(formatCost(cost, network, estimate));
  return 0;
}

function usage(msg: string): number {
  console.error(`mpc cost: ${msg}\n${USAGE}`);
  return 2;
}
