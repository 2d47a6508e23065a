// The deployment file (parties.json) every organisation holds a copy of: for each compute
// party and for the dealer, where it listens (host, port), its certificate and the SHA-256
// fingerprint pinned for it, and where its private key lives on its owner's machine. Trust
// is the deployment CA named in the file (`ca`), plus the pinned fingerprints; with no `ca`,
// the pinned (self-signed) certificates themselves are the only trust anchors.
// This module reads and validates the file and one endpoint's credentials, with clear errors
// naming the file and the field, before anything is sent. It reads only the running
// endpoint's private key, never another's, and never prints key material.

import { readFileSync, statSync } from "node:fs";
import { X509Certificate, createPrivateKey, type KeyObject } from "node:crypto";
import { dirname, isAbsolute, resolve } from "node:path";
import { UserError } from "../../grammar/diagnostic.js";
import { certFingerprint, normaliseFingerprint } from "./x509.js";

export const CONFIG_FORMAT = "mpc-parties";
export const CONFIG_VERSION = 1;
/** The endpoint name of the dealer (a runtime role, never a party of a program). */
export const DEALER = "dealer";

export interface EndpointConfig {
  name: string;
  host: string;
  port: number;
  /** Absolute path of its certificate (PEM). */
  cert: string;
  /** Absolute path of its private key (PEM), on its owner's machine. */
  key?: string;
  /** "sha256:<hex>" of its certificate, when pinned. */
  fingerprint?: string;
}

export interface DeploymentConfig {
  /** The file it was read from (for messages). */
  file: string;
  /** A label for the deployment (the CA's organisation name). */
  deployment?: string;
  /** The program it was made for (informational). */
  program?: string;
  /** Absolute path of the deployment CA certificate; absent: trust the pinned certificates. */
  ca?: string;
  parties: Map<string, EndpointConfig>;
  dealer: EndpointConfig;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function fail(file: string, msg: string): never {
  throw new UserError(`${file}: ${msg}`);
}

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (e) {
    const code = (e as { code?: string }).code;
    const why = code === "ENOENT" ? "file not found" : code === "EACCES" || code === "EPERM" ? "permission denied" : code === "EISDIR" ? "it is a directory" : (e as Error).message;
    throw new UserError(`cannot read ${what} ${path}: ${why}`);
  }
}

/** Read and validate a parties.json. Relative paths are relative to the file's folder. */
export function loadConfig(file: string): DeploymentConfig {
  const text = readText(file, "the parties file");
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    fail(file, `not valid JSON (${(e as Error).message})`);
  }
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) fail(file, "expected a JSON object");
  const o = raw as Record<string, unknown>;
  if (o["format"] !== CONFIG_FORMAT) fail(file, `not an mpc parties file ("format" must be "${CONFIG_FORMAT}")`);
  if (o["version"] !== CONFIG_VERSION) fail(file, `parties file version ${String(o["version"])}; this mpc reads version ${CONFIG_VERSION}`);
  const dir = dirname(resolve(file));
  const path = (p: string): string => (isAbsolute(p) ? p : resolve(dir, p));
  const str = (v: unknown, field: string, optional = false): string | undefined => {
    if (v === undefined && optional) return undefined;
    if (typeof v !== "string" || v === "") fail(file, `${field} must be a non-empty string`);
    return v;
  };
  const endpoint = (name: string, v: unknown, field: string): EndpointConfig => {
    if (v === null || typeof v !== "object" || Array.isArray(v)) fail(file, `${field} must be an object with host, port and cert`);
    const e = v as Record<string, unknown>;
    const port = e["port"];
    if (!Number.isInteger(port) || (port as number) < 1 || (port as number) > 65535) fail(file, `${field}.port must be an integer from 1 to 65535`);
    const fp = str(e["fingerprint"], `${field}.fingerprint`, true);
    if (fp !== undefined && !/^(sha256:)?([0-9a-fA-F]{2}:?){31}[0-9a-fA-F]{2}$/.test(fp)) fail(file, `${field}.fingerprint must be "sha256:" and 64 hex digits`);
    const key = str(e["key"], `${field}.key`, true);
    const cfg: EndpointConfig = { name, host: str(e["host"], `${field}.host`)!, port: port as number, cert: path(str(e["cert"], `${field}.cert`)!) };
    if (key !== undefined) cfg.key = path(key);
    if (fp !== undefined) cfg.fingerprint = normaliseFingerprint(fp);
    return cfg;
  };
  const partiesRaw = o["parties"];
  if (partiesRaw === null || typeof partiesRaw !== "object" || Array.isArray(partiesRaw)) fail(file, `"parties" must be an object: party name -> { host, port, cert }`);
  const parties = new Map<string, EndpointConfig>();
  for (const [name, v] of Object.entries(partiesRaw as Record<string, unknown>)) {
    if (!NAME.test(name)) fail(file, `party name '${name}' is not an identifier`);
    if (name === DEALER) fail(file, `"${DEALER}" is the dealer's name; it cannot also be a party`);
    parties.set(name, endpoint(name, v, `parties.${name}`));
  }
  if (parties.size === 0) fail(file, "no parties");
  const dealer = endpoint(DEALER, o["dealer"], "dealer");
  const ca = str(o["ca"], "ca", true);
  const cfg: DeploymentConfig = { file, parties, dealer };
  if (ca !== undefined) cfg.ca = path(ca);
  const deployment = str(o["deployment"], "deployment", true);
  if (deployment !== undefined) cfg.deployment = deployment;
  const program = str(o["program"], "program", true);
  if (program !== undefined) cfg.program = program;
  if (cfg.ca === undefined) {
    for (const e of [...parties.values(), dealer]) {
      if (!e.fingerprint) fail(file, `with no "ca", every endpoint's certificate must be pinned: ${e.name} has no fingerprint`);
    }
  }
  const seen = new Map<string, string>();
  for (const e of [...parties.values(), dealer]) {
    const at = `${e.host}:${e.port}`;
    if (seen.has(at)) fail(file, `${seen.get(at)} and ${e.name} both listen on ${at}`);
    seen.set(at, e.name);
  }
  return cfg;
}

/** Every endpoint of the deployment by name (the parties, then the dealer). */
export function endpoints(cfg: DeploymentConfig): Map<string, EndpointConfig> {
  return new Map([...cfg.parties, [DEALER, cfg.dealer]]);
}

/** Check that the deployment has exactly the program's parties. */
export function checkParties(cfg: DeploymentConfig, program: string, parties: readonly string[]): void {
  const inConfig = [...cfg.parties.keys()];
  const missing = parties.filter((p) => !cfg.parties.has(p));
  const extra = inConfig.filter((p) => !parties.includes(p));
  if (missing.length || extra.length) {
    const parts = [
      ...(missing.length ? [`it lacks ${missing.join(", ")}`] : []),
      ...(extra.length ? [`it names ${extra.join(", ")}, which program ${program} does not declare`] : []),
    ];
    throw new UserError(`${cfg.file} does not match program ${program} (parties ${parties.join(", ")}): ${parts.join("; ")}`);
  }
}

/** What one endpoint needs to open its TLS connections. */
export interface Credentials {
  self: string;
  key: KeyObject;
  keyPem: string;
  certPem: string;
  /** PEM trust anchors: the CA, or every pinned certificate. */
  ca: string[];
  /** Pinned fingerprints by endpoint name. */
  pins: Map<string, string>;
}

/** Read `self`'s key and certificate and the trust anchors, and check they fit together. */
export function loadCredentials(cfg: DeploymentConfig, self: string): Credentials {
  const all = endpoints(cfg);
  const me = all.get(self);
  if (!me) {
    const names = [...cfg.parties.keys()].join(", ");
    throw new UserError(`${cfg.file} has no endpoint ${self} (its parties: ${names}; and the dealer)`);
  }
  if (!me.key) throw new UserError(`${cfg.file}: ${self === DEALER ? "dealer" : `parties.${self}`}.key is not set: where is ${self}'s private key?`);
  const keyPem = readText(me.key, `${self}'s private key`);
  if (process.platform !== "win32") {
    const mode = statSync(me.key).mode & 0o777;
    if (mode & 0o077) {
      throw new UserError(`${self}'s private key ${me.key} can be read by other users (mode ${mode.toString(8).padStart(4, "0")}); run: chmod 600 ${me.key}`);
    }
  }
  let key: KeyObject;
  try {
    key = createPrivateKey(keyPem);
  } catch {
    throw new UserError(`${self}'s private key ${me.key} is not a PEM private key`);
  }
  const certPem = readText(me.cert, `${self}'s certificate`);
  const cert = parseCert(certPem, me.cert, `${self}'s certificate`);
  if (!cert.checkPrivateKey(key)) throw new UserError(`${self}'s private key ${me.key} does not belong to its certificate ${me.cert}`);
  const named = certName(cert);
  if (named !== self) throw new UserError(`${self}'s certificate ${me.cert} is issued to '${named ?? "(no name)"}', not to ${self}`);
  checkValidity(cert, me.cert, self);
  const pins = new Map<string, string>();
  for (const [n, e] of all) if (e.fingerprint) pins.set(n, e.fingerprint);
  const own = certFingerprint(certPem);
  if (me.fingerprint && me.fingerprint !== own) {
    throw new UserError(`${self}'s certificate ${me.cert} has fingerprint ${own}, but ${cfg.file} pins ${me.fingerprint}`);
  }
  const ca: string[] = [];
  if (cfg.ca !== undefined) {
    const caPem = readText(cfg.ca, "the deployment CA certificate");
    const caCert = parseCert(caPem, cfg.ca, "the deployment CA certificate");
    if (!cert.checkIssued(caCert) || !cert.verify(caCert.publicKey)) throw new UserError(`${self}'s certificate ${me.cert} is not issued by the deployment CA ${cfg.ca}`);
    ca.push(caPem);
  } else {
    // no CA: each endpoint's own (self-signed) certificate is its trust anchor, pinned
    for (const e of all.values()) {
      const pem = e.name === self ? certPem : readText(e.cert, `${e.name}'s certificate`);
      const fp = certFingerprint(parseCert(pem, e.cert, `${e.name}'s certificate`).raw);
      if (fp !== e.fingerprint) throw new UserError(`${e.name}'s certificate ${e.cert} has fingerprint ${fp}, but ${cfg.file} pins ${e.fingerprint}`);
      ca.push(pem);
    }
  }
  return { self, key, keyPem, certPem, ca, pins };
}

function parseCert(pem: string, path: string, what: string): X509Certificate {
  try {
    return new X509Certificate(pem);
  } catch {
    throw new UserError(`${what} ${path} is not a PEM certificate`);
  }
}

function checkValidity(cert: X509Certificate, path: string, who: string): void {
  const now = Date.now();
  if (now < Date.parse(cert.validFrom)) throw new UserError(`${who}'s certificate ${path} is not valid before ${cert.validFrom}`);
  if (now > Date.parse(cert.validTo)) throw new UserError(`${who}'s certificate ${path} expired on ${cert.validTo}`);
}

/** The endpoint name a certificate is issued to: its subject CN, if a DNS subjectAltName
 *  says the same (both are written by `mpc keys`; a certificate where they differ names no one). */
export function certName(cert: X509Certificate): string | undefined {
  const cn = /^CN=(.*)$/m.exec(cert.subject)?.[1];
  if (cn === undefined) return undefined;
  const sans = (cert.subjectAltName ?? "").split(/,\s*/).filter((s) => s.startsWith("DNS:")).map((s) => s.slice(4));
  return sans.includes(cn) ? cn : undefined;
}
