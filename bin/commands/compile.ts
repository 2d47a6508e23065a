// `mpc compile FILE -o DIR [--expand-loops] [--no-svg] [--print] [--no-modules]`: compile a
// program to its protocol plan and write DIR/<program>.plan.json (docs/plan-format.md),
// DIR/<program>.dot and DIR/<program>.svg, and one generated module per party and one for the
// dealer (DIR/<party>.ts and .js, DIR/dealer.ts and .js: docs/codegen.md). Bad program:
// rendered diagnostics, exit 1; usage errors exit 2.
// Thin: the work is compiler/pipeline.ts, compiler/emit/ and compiler/codegen/.

import { renderDiagnostics } from "../../grammar/diagnostic.js";
import { compileFile } from "../../compiler/pipeline.js";
import { writePlanFiles } from "../../compiler/emit/files.js";
import { planToText } from "../../compiler/emit/text.js";
import { generateModules } from "../../compiler/codegen/project.js";
import { writeModules } from "../../compiler/codegen/write.js";

const USAGE = "usage: mpc compile FILE -o DIR [--expand-loops] [--no-svg] [--print]";
const HELP = `${USAGE}

Compile an .mpc program to its protocol plan and write, in DIR:
  <program>.plan.json   the plan (format: docs/plan-format.md, schema: docs/plan.schema.json)
  <program>.dot         the plan as a Graphviz graph (parties as clusters, rounds labelled)
  <program>.svg         that graph rendered
  <party>.ts, <party>.js  each party's part of the plan as a module (what it computes, sends
                        and receives), type-checked; ship <party>.js with the plan and
                        package.json to the party, who runs it with its own mpc:
                        mpc run --party <party> --module <party>.js --config … (or node <party>.js)
  dealer.ts, dealer.js  the dealer's items, likewise (mpc run --dealer --module dealer.js)
Options:
  -o, --out DIR     output directory (created if missing)
  --expand-loops    draw loop bodies in the graph (default: one box per loop)
  --no-svg          skip the SVG
  --print           also print the plan as text on stdout
  --no-optimize     no constant folding, CSE or loop-invariant code motion
  --no-modules      skip the party and dealer modules (they take a second or two)`;

export async function main(argv: string[]): Promise<number> {
  let out: string | undefined;
  let expandLoops = false;
  let svg = true;
  let print = false;
  let optimize = true;
  let modules = true;
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
    else if (a === "--no-modules") modules = false;
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
  const generated = modules ? writeModules(generateModules(r.plan, { source: r.source ?? "", file: files[0]! }).modules, out) : undefined;
  if (generated?.warning) process.stderr.write(`mpc compile: warning: ${generated.warning}\n`);
  if (print) console.log(planToText(r.plan));
  const moduleFiles = generated ? [`${out}/{${[...r.plan.parties, "dealer"].join(",")}}.{ts,js}`] : [];
  console.log(`compiled ${r.plan.program}: ${r.plan.rounds} rounds; wrote ${[written.plan, written.dot, written.svg, ...moduleFiles].filter(Boolean).join(", ")}`);
  return 0;
}

function usage(msg: string): number {
  console.error(`mpc compile: ${msg}\n${USAGE}`);
  return 2;
}
