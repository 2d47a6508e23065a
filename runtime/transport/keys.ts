// Issuing a deployment's keys (what `mpc keys` and `mpc launch` do): a fresh per-deployment CA,
// a key and a certificate per compute party and for the dealer (name in the subject CN and a
// DNS subjectAltName), and parties.json with every endpoint's host:port, certificate and
// pinned fingerprint. The CA's private key exists only in memory unless the caller asks to
// keep it, so no one can issue another certificate for the deployment afterwards; the pins
// make a certificate issued elsewhere useless even if it were. Private keys are written 0600
// in a 0700 folder, never over an existing file, never printed.
// Also: one endpoint's own key and self-signed certificate, for organisations that each make
// their own key and exchange only certificates (fingerprints pinned, no CA).

import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { UserError } from "../../grammar/diagnostic.js";
import { CONFIG_FORMAT, CONFIG_VERSION, DEALER } from "./config.js";
import { certFingerprint, issueCertificate, newKeyPair, toPem } from "./x509.js";

export interface IssueOptions {
  /** Folder to write into (created 0700 if missing). */
  dir: string;
  /** Compute parties, in program order. */
  parties: string[];
  /** Host every endpoint listens on (default 127.0.0.1)... */
  host?: string;
  /** ...unless given here by endpoint name. */
  hosts?: Record<string, string>;
  /** Ports are basePort, basePort + 1, … in party order, the dealer last (default 7100);
   *  or explicit ports per endpoint name. */
  basePort?: number;
  ports?: Record<string, number>;
  /** Label of the deployment (the certificates' organisation). */
  deployment?: string;
  program?: string;
  /** Write the CA key (ca.key, 0600) too; by default it is discarded after issuing. */
  keepCaKey?: boolean;
  /** Certificate lifetime in days (default 30). */
  days?: number;
  /** Overwrite existing files. */
  force?: boolean;
}

export interface IssuedDeployment {
  configPath: string;
  caCert: string;
  files: string[];
  fingerprints: Map<string, string>;
}

function writeNew(path: string, text: string, mode: number, force: boolean): void {
  if (!force && existsSync(path)) throw new UserError(`${path} already exists; choose another --out folder, or pass --force to replace it`);
  try {
    writeFileSync(path, text, { mode });
    chmodSync(path, mode); // the umask may have narrowed a new file's mode; an old file keeps its own
  } catch (e) {
    throw new UserError(`cannot write ${path}: ${(e as Error).message}`);
  }
}

function ensureDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (e) {
    throw new UserError(`cannot create ${dir}: ${(e as Error).message}`);
  }
}

function validity(days: number): { notBefore: Date; notAfter: Date } {
  // a little slack backwards for clocks that differ between organisations
  const notBefore = new Date(Date.now() - 60 * 60 * 1000);
  return { notBefore, notAfter: new Date(notBefore.getTime() + days * 86_400_000) };
}

export function issueDeployment(o: IssueOptions): IssuedDeployment {
  const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
  for (const p of o.parties) {
    if (!NAME.test(p)) throw new UserError(`party name '${p}' is not an identifier`);
    if (p === DEALER) throw new UserError(`"${DEALER}" is the dealer's name; it cannot also be a party`);
  }
  if (new Set(o.parties).size !== o.parties.length) throw new UserError(`a party is named twice in ${o.parties.join(", ")}`);
  for (const n of Object.keys(o.hosts ?? {})) {
    if (n !== DEALER && !o.parties.includes(n)) throw new UserError(`--host ${n}=…: ${n} is neither a party (${o.parties.join(", ")}) nor the dealer`);
  }
  const force = o.force ?? false;
  ensureDir(o.dir);
  // a distinct name per deployment: two CAs must never share a subject, or a verifier may
  // pick the wrong one by name before failing on the signature
  const deployment = `${o.deployment ?? "mpc deployment"} ${new Date().toISOString().slice(0, 10)} ${randomBytes(4).toString("hex")}`;
  const { notBefore, notAfter } = validity(o.days ?? 30);
  const caKeys = newKeyPair();
  const caName = `${deployment} CA`;
  const issuer = { commonName: caName, organization: deployment, ...caKeys };
  const caDer = issueCertificate({ commonName: caName, organization: deployment, publicKey: caKeys.publicKey, ca: true, notBefore, notAfter }, issuer);
  const files: string[] = [];
  const caCert = join(o.dir, "ca.crt");
  writeNew(caCert, toPem(caDer), 0o644, force);
  files.push(caCert);
  if (o.keepCaKey) {
    const p = join(o.dir, "ca.key");
    writeNew(p, caKeys.privateKey.export({ type: "pkcs8", format: "pem" }) as string, 0o600, force);
    files.push(p);
  }
  const fingerprints = new Map<string, string>();
  const entry = (name: string, i: number): Record<string, unknown> => {
    const keys = newKeyPair();
    const der = issueCertificate({ commonName: name, organization: deployment, publicKey: keys.publicKey, ca: false, dnsNames: [name], notBefore, notAfter }, issuer);
    const keyPath = join(o.dir, `${name}.key`);
    const certPath = join(o.dir, `${name}.crt`);
    writeNew(keyPath, keys.privateKey.export({ type: "pkcs8", format: "pem" }) as string, 0o600, force);
    writeNew(certPath, toPem(der), 0o644, force);
    files.push(keyPath, certPath);
    const fp = certFingerprint(der);
    fingerprints.set(name, fp);
    const host = o.hosts?.[name] ?? o.host ?? "127.0.0.1";
    const port = o.ports?.[name] ?? (o.basePort ?? 7100) + i;
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new UserError(`port ${port} for ${name} is out of range (1-65535)`);
    return { host, port, cert: `${name}.crt`, key: `${name}.key`, fingerprint: fp };
  };
  const config = {
    format: CONFIG_FORMAT,
    version: CONFIG_VERSION,
    deployment,
    ...(o.program ? { program: o.program } : {}),
    ca: "ca.crt",
    parties: Object.fromEntries(o.parties.map((p, i) => [p, entry(p, i)])),
    dealer: entry(DEALER, o.parties.length),
  };
  const configPath = join(o.dir, "parties.json");
  writeNew(configPath, JSON.stringify(config, null, 2) + "\n", 0o644, force);
  files.push(configPath);
  return { configPath, caCert, files, fingerprints };
}

/** One endpoint's own key and self-signed certificate (for deployments without a CA). */
export function issueSelfSigned(dir: string, name: string, o: { days?: number; deployment?: string; force?: boolean } = {}): { key: string; cert: string; fingerprint: string } {
  ensureDir(dir);
  const keys = newKeyPair();
  const { notBefore, notAfter } = validity(o.days ?? 30);
  const org = o.deployment ?? "mpc";
  const der = issueCertificate(
    { commonName: name, organization: org, publicKey: keys.publicKey, ca: false, dnsNames: [name], notBefore, notAfter },
    { commonName: name, organization: org, ...keys },
  );
  const key = join(dir, `${name}.key`);
  const cert = join(dir, `${name}.crt`);
  writeNew(key, keys.privateKey.export({ type: "pkcs8", format: "pem" }) as string, 0o600, o.force ?? false);
  writeNew(cert, toPem(der), 0o644, o.force ?? false);
  return { key, cert, fingerprint: certFingerprint(der) };
}
