// The first frame on every connection (after TLS has authenticated both ends): each side says
// who it is and what it is about to run — its endpoint name, the program and the plan hash,
// the mpc version and the wire protocol version. A peer whose certificate names someone else,
// who is not the peer expected on this connection, or who runs a different plan or version is
// refused, and the message names both sides' values so the operators can see which copy is
// stale. Nothing secret is in a hello: plan hashes and versions are public.

import { readFileSync } from "node:fs";

/** Version of the frame format and connection protocol (framing.ts, this handshake). */
export const WIRE_VERSION = 1;

export interface Hello {
  /** The endpoint name it claims (a compute party, or "dealer"). */
  party: string;
  program: string;
  planHash: string;
  mpcVersion: string;
  wire: number;
}

let cachedVersion: string | undefined;

/** The running mpc's version, from the nearest package.json named "mpc" above this module
 *  (source and dist trees alike). */
export function mpcVersion(): string {
  if (cachedVersion !== undefined) return cachedVersion;
  let dir = new URL("./", import.meta.url);
  for (let i = 0; i < 6; i++) {
    try {
      const pkg = JSON.parse(readFileSync(new URL("package.json", dir), "utf8")) as { name?: string; version?: string };
      if (pkg.name === "mpc" && typeof pkg.version === "string") return (cachedVersion = pkg.version);
    } catch {
      // no package.json here: look further up
    }
    dir = new URL("../", dir);
  }
  return (cachedVersion = "unknown");
}

export function parseHello(h: Record<string, unknown>): Hello | undefined {
  const ok =
    typeof h["party"] === "string" &&
    typeof h["program"] === "string" &&
    typeof h["planHash"] === "string" &&
    typeof h["mpcVersion"] === "string" &&
    Number.isInteger(h["wire"]);
  return ok ? (h as unknown as Hello) : undefined;
}

/**
 * Why `self` refuses a peer's hello, or undefined to accept. `certName` is the name in the
 * peer's (already verified) certificate; `expected` the endpoints that may be on the other
 * end of this connection.
 */
export function refusal(self: Hello, peer: Hello, certName: string, expected: readonly string[]): string | undefined {
  const who = peer.party;
  if (who !== certName) return `the peer's certificate is issued to ${certName}, but it introduced itself as ${who}`;
  if (!expected.includes(who)) {
    return expected.length === 1 ? `expected ${expected[0]} on this connection, but ${who} answered` : `${who} is not an endpoint that connects to ${self.party} in this deployment`;
  }
  if (peer.wire !== self.wire) return `wire protocol mismatch: ${self.party} speaks version ${self.wire}, ${who} speaks version ${peer.wire}`;
  if (peer.mpcVersion !== self.mpcVersion) {
    return `version mismatch: ${self.party} runs mpc ${self.mpcVersion}, ${who} runs mpc ${peer.mpcVersion}; every party must run the same mpc version`;
  }
  if (peer.planHash !== self.planHash || peer.program !== self.program) {
    return (
      `plan mismatch: ${self.party} runs program ${self.program} with plan ${self.planHash}, ` +
      `${who} runs program ${peer.program} with plan ${peer.planHash}; every party must compile the same program with the same mpc version`
    );
  }
  return undefined;
}
