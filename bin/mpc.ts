#!/usr/bin/env node
// The `mpc` command: thin. It parses the command line and dispatches to one module per
// subcommand under bin/commands/; all real work lives in compiler/ and runtime/.
// Exit codes: 0 ok, 1 errors in the program/data/run, 2 usage errors.

import { UserError } from "../grammar/diagnostic.js";

interface Command {
  summary: string;
  load: () => Promise<{ main: (argv: string[]) => Promise<number> }>;
}

// One line per subcommand; each module exports `main(argv): Promise<exitCode>`.
const COMMANDS: Record<string, Command> = {
  audit: { summary: "what each party learns: reveals, exact disclosures, policy check (text, JSON, SARIF)", load: () => import("./commands/audit.js") },
  check: { summary: "parse and type-check a program; summarise parties, inputs, reveals", load: () => import("./commands/check.js") },
  compile: { summary: "compile a program to its protocol plan (JSON, DOT, SVG)", load: () => import("./commands/compile.js") },
  cost: { summary: "rounds, bytes and randomness a program needs, and its wall time on a network", load: () => import("./commands/cost.js") },
  explain: { summary: "explain a diagnostic code (mpc explain E0300)", load: () => import("./commands/explain.js") },
  keys: { summary: "make TLS keys and parties.json for a deployment of separate processes or hosts", load: () => import("./commands/keys.js") },
  launch: { summary: "run every party and the dealer as separate processes over TLS on this machine", load: () => import("./commands/launch.js") },
  run: { summary: "run a program on its parties' data (securely, or in the clear with --plaintext)", load: () => import("./commands/run.js") },
};

function usage(): string {
  const rows = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`);
  return ["usage: mpc <command> [options]", "", "commands:", ...rows, "", "Run `mpc <command> --help` for a command's options."].join("\n");
}

async function run(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    console.log(usage());
    return name === undefined ? 2 : 0;
  }
  if (name === "--version") {
    console.log("mpc 0.1.0");
    return 0;
  }
  const cmd = COMMANDS[name];
  if (!cmd) {
    console.error(`mpc: unknown command '${name}'\n\n${usage()}`);
    return 2;
  }
  return (await cmd.load()).main(rest);
}

run(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof UserError) {
      console.error(`mpc: error: ${err.message}`);
      process.exitCode = err.exitCode;
    } else {
      console.error("mpc: internal error (this is a bug in mpc, please report it):");
      console.error(err);
      process.exitCode = 70;
    }
  },
);
