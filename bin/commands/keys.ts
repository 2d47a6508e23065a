// `mpc keys --out DIR (--parties a,b,… | FILE.mpc) [--host H] [--base-port N] [--keep-ca-key]
//  [--days N] [--force]`: make a deployment's TLS keys — a fresh CA (its key discarded unless
// --keep-ca-key), a key (0600) and certificate per party and for the dealer, and parties.json
// (host:port, certificate, pinned fingerprint per endpoint) for `mpc run --party/--dealer`.
// `mpc keys --self NAME --out DIR`: one organisation's own key and self-signed certificate,
// for deployments where each makes its own key and only certificates are exchanged.
// Thin: the work is runtime/transport/keys.ts. Exit codes: 0 ok, 1 errors, 2 usage.

import { checkFile } from "../../compiler/frontend.js";
import { renderDiagnostics, UserError } from "../../grammar/diagnostic.js";
import { issueDeployment, issueSelfSigned } from "../../runtime/transport/keys.js";
import { FlagReader, UsageError } from "../args.js";

const USAGE =
  "usage: mpc keys --out DIR (--parties a,b,... | FILE.mpc) [--host [NAME=]HOST]... [--base-port N] [--keep-ca-key] [--days N] [--force]\n" +
  "       mpc keys --self NAME --out DIR [--days N] [--force]";

const HELP = `${USAGE}

Make the TLS keys of a deployment of separate processes or hosts (see docs/network.md).

  --out DIR          folder to write into (created with mode 0700)
  --parties a,b,...  the compute parties (or give the program FILE.mpc to take its parties)
  --host HOST        host every endpoint listens on, in parties.json (default 127.0.0.1)
  --host NAME=HOST   the host of one endpoint (a party, or dealer); repeat for each
  --base-port N      ports N, N+1, ... in party order, the dealer last (default 7100)
  --keep-ca-key      also write the CA's private key (ca.key); by default it is discarded
                     once every certificate is issued, so nobody can issue another
  --days N           certificate lifetime (default 30)
  --force            replace existing files
  --self NAME        only NAME's own key and self-signed certificate (no CA); list every
                     endpoint's certificate and fingerprint in a parties.json without "ca"

Writes DIR/ca.crt, DIR/<endpoint>.key (0600) and .crt for every party and the dealer, and
DIR/parties.json. Give each organisation parties.json, ca.crt and ONLY its own .key.`;

export async function main(argv: string[]): Promise<number> {
  let out: string | undefined;
  let partiesFlag: string | undefined;
  let self: string | undefined;
  let host: string | undefined;
  const hosts: Record<string, string> = {};
  let basePort: number | undefined;
  let days: number | undefined;
  let keepCaKey = false;
  let force = false;
  const files: string[] = [];
  try {
    const r = new FlagReader(argv);
    while (r.next()) {
      const arg = r.arg;
      switch (r.flag) {
        case "--help":
        case "-h":
          console.log(HELP);
          return 0;
        case "--out":
        case "-o":
          out = r.value();
          break;
        case "--parties":
          partiesFlag = r.value();
          break;
        case "--self":
          self = r.value();
          break;
        case "--host": {
          const v = r.value();
          const eq = v.indexOf("=");
          if (eq > 0) hosts[v.slice(0, eq)] = v.slice(eq + 1);
          else host = v;
          break;
        }
        case "--base-port":
          basePort = r.int(1, 65535);
          break;
        case "--days":
          days = r.int(1, 3650);
          break;
        case "--keep-ca-key":
          keepCaKey = true;
          break;
        case "--force":
          force = true;
          break;
        default:
          if (arg.startsWith("-")) throw new UsageError(`unknown option '${arg}'`);
          files.push(arg);
      }
    }
    if (out === undefined) throw new UsageError("--out DIR is required");
    if (self !== undefined && (partiesFlag !== undefined || files.length > 0)) throw new UsageError("--self makes one endpoint's key: give no --parties or program");
    if (self === undefined && (partiesFlag === undefined) === (files.length === 0)) throw new UsageError("give either --parties a,b,... or one program file");
    if (files.length > 1) throw new UsageError(`give at most one program file, got ${files.length}`);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`mpc keys: ${e.message}\n${USAGE}`);
    return 2;
  }

  if (self !== undefined) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(self)) throw new UserError(`'${self}' is not a party name`, 2);
    const r = issueSelfSigned(out, self, { ...(days !== undefined ? { days } : {}), force });
    console.log(`${self}: key ${r.key} (mode 0600, keep it on ${self}'s machine only)\n${self}: certificate ${r.cert}\n${self}: fingerprint ${r.fingerprint}`);
    return 0;
  }

  let parties: string[];
  let program: string | undefined;
  if (files.length === 1) {
    const front = checkFile(files[0]!);
    if (!front.program) {
      process.stderr.write(renderDiagnostics(front.diagnostics, front.source, process.stderr.isTTY === true) + "\n");
      return 1;
    }
    parties = [...front.program.parties];
    program = front.program.name;
  } else {
    parties = partiesFlag!.split(",").map((s) => s.trim()).filter((s) => s !== "");
    if (parties.length === 0) {
      console.error(`mpc keys: --parties needs at least one name\n${USAGE}`);
      return 2;
    }
  }
  const r = issueDeployment({
    dir: out,
    parties,
    ...(host !== undefined ? { host } : {}),
    hosts,
    ...(basePort !== undefined ? { basePort } : {}),
    ...(days !== undefined ? { days } : {}),
    ...(program !== undefined ? { program } : {}),
    keepCaKey,
    force,
  });
  const w = Math.max(...[...r.fingerprints.keys()].map((n) => n.length));
  const lines = [
    `deployment keys for ${parties.join(", ")} and the dealer in ${out}:`,
    ...[...r.fingerprints].map(([n, f]) => `  ${n.padEnd(w)}  ${`${n}.key`.padEnd(w + 4)}  ${`${n}.crt`.padEnd(w + 4)}  ${f}`),
    `  CA certificate ca.crt${keepCaKey ? " (its key: ca.key, mode 0600)" : "; the CA key was discarded after issuing"}`,
    `  ${r.configPath}`,
    "Give each organisation parties.json, ca.crt and only its own .key; then each runs",
    `  mpc run FILE --party NAME --config parties.json   (and one of them: mpc run FILE --dealer --config parties.json)`,
  ];
  console.log(lines.join("\n"));
  return 0;
}
