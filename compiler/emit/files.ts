// Writes a compiled plan's files: <program>.plan.json (the versioned format), <program>.dot
// and <program>.svg. The only module of the compiler that touches the file system for output.

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Plan } from "../../runtime/plan/plan.js";
import { planToDot } from "./dot.js";
import { planToJson } from "./json.js";
import { renderSvg } from "./svg.js";

export interface WrittenFiles {
  plan: string;
  dot: string;
  svg?: string;
}

export async function writePlanFiles(plan: Plan, dir: string, opts: { expandLoops?: boolean; svg?: boolean } = {}): Promise<WrittenFiles> {
  mkdirSync(dir, { recursive: true });
  const files: WrittenFiles = { plan: join(dir, `${plan.program}.plan.json`), dot: join(dir, `${plan.program}.dot`) };
  writeFileSync(files.plan, planToJson(plan));
  const dot = planToDot(plan, { expandLoops: opts.expandLoops === true });
  writeFileSync(files.dot, dot);
  if (opts.svg !== false) {
    files.svg = join(dir, `${plan.program}.svg`);
    writeFileSync(files.svg, await renderSvg(dot));
  }
  return files;
}
