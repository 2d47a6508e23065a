// Runs every bench/*.bench.ts in name order, or those whose name contains one of the argv words.
import { readdirSync } from "node:fs";
import { loadavg } from "node:os";
import type { Bench } from "./harness.js";
import { closeThreads } from "./runs.js";

const filters = process.argv.slice(2);
const dir = new URL(".", import.meta.url);
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".bench.ts"))
  .filter((f) => filters.length === 0 || filters.some((w) => f.includes(w)))
  .sort();

console.log(`# mpc benchmarks — node ${process.version}, load average ${loadavg().map((l) => l.toFixed(2)).join(" ")}`);
for (const f of files) {
  const mod = (await import(new URL(f, dir).href)) as { default: Bench };
  console.log(`\n# ${f}`);
  await mod.default();
}
await closeThreads();
