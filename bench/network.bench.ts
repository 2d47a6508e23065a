// Separate processes over loopback TLS (`mpc launch`: every party and the dealer its own OS
// process, TLS 1.3 with mutual authentication) against the in-process runtime (worker
// threads, runInProcess) on 2-party secure matmul 256 and elementwise multiply 10^6, and the
// same over TLS with a simulated 20 ms round trip (--latency 10: every frame is held 10 ms,
// one way). Reported: online and offline time (slowest party), connection set-up, the
// launch's whole wall time (process start, compile, keys, connect, run), rounds and online
// bytes, and `mpc cost`'s estimate for the simulated network. Each program reveals one
// scalar (the sum of the product) so output writing does not dominate.
// MPC_BENCH_REPS (default 3) repetitions; medians.

import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { estimateWallTime, planCost } from "../compiler/cost/cost.js";
import { compileFile } from "../compiler/pipeline.js";
import { runInProcess } from "../runtime/executor/index.js";
import { encodeNpy } from "../runtime/io/index.js";
import { type Bench, table } from "./harness.js";
import { median as mid } from "./runs.js";

const run = promisify(execFile);
const ROOT = new URL("../", import.meta.url).pathname;

function data(n: number, seed: number): Float64Array {
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) d[i] = (((i + seed) * 7919) % 2000) / 1000 - 1;
  return d;
}

interface Case {
  name: string;
  source: string;
  x: number[];
  y: number[];
}

const CASES: Case[] = [
  {
    name: "matmul 256",
    x: [256, 256],
    y: [256, 256],
    source: "program mm\nparty alice, bob\ninput alice.x : fixed[256, 256]\ninput bob.y : fixed[256, 256]\nreveal sum(x @ y) as s to alice\n",
  },
  {
    name: "mul 10^6",
    x: [1_000_000],
    y: [1_000_000],
    source: "program mul\nparty alice, bob\ninput alice.x : fixed[1000000]\ninput bob.y : fixed[1000000]\nreveal sum(x * y) as s to alice\n",
  },
];

interface LaunchStats {
  stats: { rounds: number; connectMs: number; offlineMs: number; onlineMs: number; perPair: { bytes: number }[] };
}


const bench: Bench = async () => {
  const reps = Number(process.env.MPC_BENCH_REPS ?? 3);
  const dir = mkdtempSync(join(tmpdir(), "mpc-bench-net-"));
  const rows: (string | number)[][] = [];
  try {
    for (const c of CASES) {
      const file = join(dir, `${c.name.replace(/\W+/g, "_")}.mpc`);
      writeFileSync(file, c.source);
      const compiled = compileFile(file);
      if (!compiled.plan) throw new Error(compiled.diagnostics.map((d) => d.message).join("\n"));
      const plan = compiled.plan;
      const n = (s: number[]): number => s.reduce((a, d) => a * d, 1);
      const x = { data: data(n(c.x), 1), shape: c.x };
      const y = { data: data(n(c.y), 2), shape: c.y };
      const xf = join(dir, "x.npy");
      const yf = join(dir, "y.npy");
      writeFileSync(xf, encodeNpy(x));
      writeFileSync(yf, encodeNpy(y));
      const cost = planCost(plan);

      // in process: worker threads over MessagePorts
      const local: { online: number; offline: number; total: number }[] = [];
      let bytes = 0;
      for (let r = 0; r < reps; r++) {
        const t0 = performance.now();
        const res = await runInProcess(plan, new Map([["alice.x", x], ["bob.y", y]]), { warmUp: true });
        local.push({ online: res.stats.onlineMs, offline: res.stats.offlineMs, total: performance.now() - t0 });
        bytes = res.stats.perPair.reduce((s, p) => s + p.bytes, 0);
      }
      rows.push([c.name, "in process (threads)", "-", mid(local.map((l) => l.offline)), mid(local.map((l) => l.online)), mid(local.map((l) => l.total)), String(plan.rounds), `${(bytes / 1e6).toFixed(2)} MB`, "-"]);

      for (const latency of [0, 10]) {
        const got: LaunchStats[] = [];
        const walls: number[] = [];
        for (let r = 0; r < reps; r++) {
          const args = ["--import", "tsx", join(ROOT, "bin", "mpc.ts"), "launch", file, "--json", "--warm-up", "--out", join(dir, "out"), "--input", `x=${xf}`, "--input", `y=${yf}`];
          if (latency > 0) args.push("--latency", String(latency));
          const t0 = performance.now();
          const { stdout } = await run(process.execPath, args, { cwd: ROOT, maxBuffer: 1 << 26 });
          walls.push(performance.now() - t0);
          got.push(JSON.parse(stdout) as LaunchStats);
        }
        const s = got.map((g) => g.stats);
        const est = estimateWallTime(cost, { latencyMs: latency, bandwidthMbit: 10_000 });
        rows.push([
          c.name,
          latency === 0 ? "processes, loopback TLS" : `processes, TLS, ${2 * latency} ms RTT`,
          mid(s.map((q) => q.connectMs)),
          mid(s.map((q) => q.offlineMs)),
          mid(s.map((q) => q.onlineMs)),
          mid(walls),
          String(s[0]!.rounds),
          `${(s[0]!.perPair.reduce((a, p) => a + p.bytes, 0) / 1e6).toFixed(2)} MB`,
          latency === 0 ? "-" : est.onlineMs,
        ]);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  table(
    `2-party secure matmul and multiply: separate processes over TLS vs in process (medians of ${reps}; online/offline: slowest party)`,
    ["case", "transport", "connect ms", "offline ms", "online ms", "wall ms", "rounds", "online bytes", "mpc cost online ms"],
    rows,
  );
  console.log(
    "\nwall ms: in process, the runInProcess call (threads start, warm-up, offline, online); for processes, the whole `mpc launch` " +
      "(node start-up, compile, keys, connect, offline, online, outputs). mpc cost: rounds x one-way latency + bytes / 10 Gbit/s.",
  );
};

export default bench;
