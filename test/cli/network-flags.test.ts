// The network flags of `mpc run --party/--dealer` and `mpc launch`, read once
// (bin/network-flags.ts): values as the runtime takes them, written back for a child process
// so that it reads the very same values, usage errors worded as every flag's.

import test from "ava";
import { FlagReader, UsageError } from "../../bin/args.js";
import { main as launchMain } from "../../bin/commands/launch.js";
import { type NetworkFlags, networkArgv, networkOptions, readNetworkFlag } from "../../bin/network-flags.js";

function read(argv: string[]): { flags: NetworkFlags; rest: string[] } {
  const r = new FlagReader(argv);
  const flags: NetworkFlags = {};
  const rest: string[] = [];
  while (r.next()) if (!readNetworkFlag(r, flags)) rest.push(r.arg);
  return { flags, rest };
}

test("every network flag is read into the runtime's options and written back to the same values", (t) => {
  const argv = ["--connect-timeout", "2.5", "--parties-timeout=90", "x.mpc", "--latency", "10", "--bandwidth", "100", "--listen", "0.0.0.0", "--max-frame-mb", "1.5", "--warm-up", "--json"];
  const { flags, rest } = read(argv);
  t.deepEqual(rest, ["x.mpc", "--json"]);
  t.deepEqual(flags, { connectTimeoutMs: 2500, timeoutMs: 90_000, latencyMs: 10, bandwidthMbit: 100, listenHost: "0.0.0.0", maxFrameBytes: 1.5 * 2 ** 20, warmUp: true });
  t.deepEqual(networkOptions(flags), { connectTimeoutMs: 2500, timeoutMs: 90_000, latencyMs: 10, bandwidthMbit: 100, listenHost: "0.0.0.0", maxFrameBytes: 1.5 * 2 ** 20 });
  const back = networkArgv(flags);
  t.deepEqual(back, ["--connect-timeout", "2.5", "--parties-timeout", "90", "--latency", "10", "--bandwidth", "100", "--listen", "0.0.0.0", "--max-frame-mb", "1.5", "--warm-up"]);
  t.deepEqual(read(back).flags, flags);
  t.deepEqual(networkArgv({}), []);
});

test("bad values are usage errors naming the flag", (t) => {
  t.throws(() => read(["--connect-timeout", "0"]), { instanceOf: UsageError, message: "--connect-timeout takes a positive number of seconds, got '0'" });
  t.throws(() => read(["--latency", "-3"]), { instanceOf: UsageError, message: "--latency takes a non-negative number, got '-3'" });
  t.throws(() => read(["--warm-up=1"]), { instanceOf: UsageError, message: "--warm-up takes no value" });
  t.throws(() => read(["--listen"]), { instanceOf: UsageError, message: "--listen needs a value" });
});

test("mpc launch takes its set of network flags only (no --listen on loopback)", async (t) => {
  const saved = console.error;
  let stderr = "";
  console.error = (...xs: unknown[]) => void (stderr += xs.join(" ") + "\n");
  try {
    t.is(await launchMain(["programs/dot.mpc", "--listen", "0.0.0.0"]), 2);
    t.is(await launchMain(["programs/dot.mpc", "--bandwidth", "0"]), 2);
  } finally {
    console.error = saved;
  }
  const lines = stderr.split("\n").filter((l) => l.startsWith("mpc launch: "));
  t.deepEqual(lines, ["mpc launch: unknown option '--listen'", "mpc launch: --bandwidth takes a positive number, got '0'"]);
});
