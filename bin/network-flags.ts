// The network flags of a deployment's processes, read and described once: `mpc run --party /
// --dealer` takes them all and `mpc launch` takes most of them and passes them on to every
// process it starts. One entry per flag: how it is read (bin/args.ts's FlagReader), what it
// sets in the runtime's NetworkOptions, how it is written back for a child, its help line.
// Reads and describes only: checks that need the program or the deployment are the commands'.

import type { NetworkOptions } from "../runtime/executor/party-process.js";
import type { FlagReader } from "./args.js";

/** The network flags given, as the runtime takes them (config and log are the command's). */
export type NetworkFlags = Omit<NetworkOptions, "config" | "log"> & { warmUp?: boolean };

interface NetworkFlag {
  /** As in a usage line: `--latency MS`. */
  usage: string;
  help: string;
  read(r: FlagReader, into: NetworkFlags): void;
  /** The value given, as written back for a child process; undefined when not given. */
  argv(f: NetworkFlags): string[] | undefined;
}

const seconds = (ms: number | undefined): string | undefined => (ms === undefined ? undefined : String(ms / 1000));
const given = (flag: string, v: string | number | undefined): string[] | undefined => (v === undefined ? undefined : [flag, String(v)]);

export const NETWORK_FLAGS = {
  "--connect-timeout": {
    usage: "--connect-timeout SECONDS",
    help: "how long to wait for every peer to be up (default 30)",
    read: (r, f) => void (f.connectTimeoutMs = Math.round(Number(r.decimal(true, "seconds")) * 1000)),
    argv: (f) => given("--connect-timeout", seconds(f.connectTimeoutMs)),
  },
  "--parties-timeout": {
    usage: "--parties-timeout SECONDS",
    help: "fail if a peer stays silent longer than this (default 120)",
    read: (r, f) => void (f.timeoutMs = Math.round(Number(r.decimal(true, "seconds")) * 1000)),
    argv: (f) => given("--parties-timeout", seconds(f.timeoutMs)),
  },
  "--latency": {
    usage: "--latency MS",
    help: "add MS one-way delay to every frame sent (simulated WAN)",
    read: (r, f) => void (f.latencyMs = Number(r.decimal(false))),
    argv: (f) => given("--latency", f.latencyMs),
  },
  "--bandwidth": {
    usage: "--bandwidth MBIT",
    help: "pace every link at MBIT Mbit/s (simulated WAN)",
    read: (r, f) => void (f.bandwidthMbit = Number(r.decimal(true))),
    argv: (f) => given("--bandwidth", f.bandwidthMbit),
  },
  "--listen": {
    usage: "--listen HOST",
    help: "listen on HOST instead of the host in parties.json (e.g. 0.0.0.0)",
    read: (r, f) => void (f.listenHost = r.value()),
    argv: (f) => given("--listen", f.listenHost),
  },
  "--max-frame-mb": {
    usage: "--max-frame-mb N",
    help: "refuse frames larger than N MiB from a peer (default 1024)",
    read: (r, f) => void (f.maxFrameBytes = Math.round(Number(r.decimal(true)) * 2 ** 20)),
    argv: (f) => given("--max-frame-mb", f.maxFrameBytes === undefined ? undefined : f.maxFrameBytes / 2 ** 20),
  },
  "--warm-up": {
    usage: "--warm-up",
    help: "warm the JIT before connecting (about 0.2 s; faster first rounds)",
    read: (r, f) => {
      r.noValue();
      f.warmUp = true;
    },
    argv: (f) => (f.warmUp ? ["--warm-up"] : undefined),
  },
} satisfies Record<string, NetworkFlag>;

export type NetworkFlagName = keyof typeof NETWORK_FLAGS;

/** Every network flag (what `mpc run --party/--dealer` takes). */
export const ALL_NETWORK_FLAGS = Object.keys(NETWORK_FLAGS) as NetworkFlagName[];

/** If the reader is at one of `accepted`, read it into `into` and say so. */
export function readNetworkFlag(r: FlagReader, into: NetworkFlags, accepted: readonly NetworkFlagName[] = ALL_NETWORK_FLAGS): boolean {
  const name = r.flag as NetworkFlagName;
  if (!accepted.includes(name)) return false;
  (NETWORK_FLAGS[name] as NetworkFlag).read(r, into);
  return true;
}

/** The flags given, written back as arguments (for the processes `mpc launch` starts). */
export function networkArgv(f: NetworkFlags): string[] {
  return ALL_NETWORK_FLAGS.flatMap((n) => (NETWORK_FLAGS[n] as NetworkFlag).argv(f) ?? []);
}

/** The runtime's options from the flags (the warm-up is a party's option, not the network's). */
export function networkOptions(f: NetworkFlags): Omit<NetworkOptions, "config" | "log"> {
  const { warmUp: _, ...net } = f;
  return net;
}

/** `[--latency MS] [--bandwidth MBIT]` for a usage line. */
export function networkUsage(names: readonly NetworkFlagName[]): string {
  return names.map((n) => `[${NETWORK_FLAGS[n].usage}]`).join(" ");
}

/** Help lines for `names`, in the commands' two-column layout (the flag padded to `width`). */
export function networkHelp(names: readonly NetworkFlagName[], width = 26): string {
  return names.map((n) => `  ${NETWORK_FLAGS[n].usage.padEnd(width)}${NETWORK_FLAGS[n].help}`).join("\n");
}
