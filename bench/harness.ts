// Benchmark harness: medians over repetitions, printed as tables. Benchmarks are not tests:
// they report figures (and ratios against a baseline measured in the same process), they do
// not assert. Run all with `npm run bench`, or some with `npm run bench -- ring matmul`.

export interface Timing {
  medianMs: number;
  minMs: number;
  reps: number;
}

/** Time `fn` `reps` times after `warmup` untimed runs; returns median and min in ms. */
export async function measure(fn: () => unknown | Promise<unknown>, reps = 5, warmup = 1): Promise<Timing> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { medianMs: times[Math.floor(times.length / 2)]!, minMs: times[0]!, reps };
}

/** Print rows as an aligned table under a title. */
export function table(title: string, header: string[], rows: (string | number)[][]): void {
  const cells = [header, ...rows.map((r) => r.map((c) => (typeof c === "number" ? fmt(c) : c)))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => String(r[i] ?? "").length)));
  console.log(`\n## ${title}\n`);
  for (const [k, r] of cells.entries()) {
    console.log(r.map((c, i) => String(c ?? "").padEnd(widths[i]!)).join("  "));
    if (k === 0) console.log(widths.map((w) => "-".repeat(w)).join("  "));
  }
}

export function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return "0";
  const a = Math.abs(x);
  if (a >= 1000) return x.toFixed(0);
  if (a >= 10) return x.toFixed(1);
  if (a >= 0.01) return x.toFixed(3);
  return x.toExponential(2);
}

/** A benchmark module exports `default` of this type. */
export type Bench = () => Promise<void>;
