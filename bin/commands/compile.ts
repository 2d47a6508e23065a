// `mpc compile FILE -o DIR [--expand-loops] [--no-svg] [--print]`: compile a program to its
// protocol plan and write DIR/<program>.plan.json (docs/plan-format.md), DIR/<program>.dot
// and DIR/<program>.svg. Bad program: rendered diagnostics, exit 1; usage errors exit 2.
// Thin: the work is compiler/pipeline.ts and compiler/emit/.

import { renderDiagnostics } from "../../grammar/diagnostic.js";
import { compileFile } from "../../compiler/pipeline.js";
import { writePlanFiles } from "../../compiler/emit/files.js";
import { planToText } from "../../compiler/emit/text.js";

const USAGE = "usage: mpc compile FILE -o DIR [--expand-loops] [--no-svg] [--print]";
const HELP = `${USAGE}

Compile an .mpc program to its protocol plan and write, in DIR:
  <program>.plan.json   the plan (format: docs/plan-format.md, schema: docs/plan.schema.json)
  <program>.dot         the plan as a Graphviz graph (parties as clusters, rounds labelled)
  <program>.svg         that graph rendered
Options:
  -o, --out DIR     output directory (created if missing)
  --expand-loops    draw loop bodies in the graph (default: one box per loop)
  --no-svg          skip the SVG
  --print           also print the plan as text on stdout
  --no-optimize     no constant folding, CSE or loop-invariant code motion`;

export async function main(argv: string[]): Promise<number> {
  let out: string | undefined;
  let expandLoops = false;
  let svg = true;
  let print = false;
  let optimize = true;
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "-o" || a === "--out") {
      out = argv[++i];
      if (out === undefined) return usage("-o needs a directory");
    } else if (a.startsWith("--out=")) out = a.slice("--out=".length);
    else if (a === "--expand-loops") expandLoops = true;
    else if (a === "--no-svg") svg = false;
    else if (a === "--print") print = true;
    else if (a === "--no-optimize") optimize = false;
    else if (a === "--help" || a === "-h") {
      console.log(HELP);
      return 0;
    } else if (a.startsWith("-")) return usage(`unknown option '${a}'`);
    else files.push(a);
  }
  if (files.length !== 1) return usage(files.length === 0 ? "no file given" : "give exactly one file");
  if (out === undefined) return usage("no output directory (-o DIR)");
  const r = compileFile(files[0]!, { optimize });
  if (r.diagnostics.length > 0) process.stderr.write(renderDiagnostics(r.diagnostics, r.source ?? "", process.stderr.isTTY === true) + "\n");
  if (!r.plan) {
    const n = r.diagnostics.filter((d) => d.severity === "error").length;
    process.stderr.write(`${n} error${n === 1 ? "" : "s"}\n`);
    return 1;
  }
  const written = await writePlanFiles(r.plan, out, { expandLoops, svg });
  if (print) console.log(planToText(r.plan));
  console.log(`compiled ${r.plan.program}: ${r.plan.rounds} rounds; wrote ${[written.plan, written.dot, written.svg].filter(Boolean).join(", ")}`);
  return 0;
}

function usage(msg: string): number {
  console.error(`mpc compile: ${msg}\n${USAGE}`);
  return 2;
}
