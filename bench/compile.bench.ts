// Compile time of the example programs: the largest program in programs/ (by source size) and
// every other one, front end included, median of several runs. Target: well under a second.
// Programs that need a protocol not yet written are timed up to their "not yet supported"
// error. Reports graph and plan sizes beside the times.

import { readdirSync, readFileSync, statSync } from "node:fs";
import { measure, table } from "./harness.js";
import type { Bench } from "./harness.js";
import { compileSource } from "../compiler/pipeline.js";
import { checkSource } from "../compiler/frontend.js";

const bench: Bench = async () => {
  const dir = new URL("../programs/", import.meta.url);
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".mpc"))
    .sort((a, b) => statSync(new URL(b, dir)).size - statSync(new URL(a, dir)).size);
  const rows: (string | number)[][] = [];
  for (const f of files) {
    const source = readFileSync(new URL(f, dir), "utf8");
    const front = await measure(() => checkSource(source, f), 7, 2);
    const whole = await measure(() => compileSource(source, f), 7, 2);
    const r = compileSource(source, f);
    const count = (ns: { kind: string; body?: unknown }[]): number =>
      ns.reduce((n, x) => n + 1 + (x.kind === "loop" ? count((x as { body: { kind: string }[] }).body) : 0), 0);
    rows.push([
      f,
      source.length,
      front.medianMs,
      whole.medianMs,
      whole.medianMs / Math.max(front.medianMs, 1e-6),
      r.graph?.nodeCount() ?? 0,
      r.plan ? count(r.plan.body) : 0,
      r.plan ? r.plan.rounds : r.diagnostics[0]?.code ?? "",
    ]);
  }
  table(
    "compile time (median of 7; largest program first)",
    ["program", "chars", "front end ms", "compile ms", "x front end", "graph nodes", "plan nodes", "rounds / error"],
    rows,
  );
};
export default bench;
