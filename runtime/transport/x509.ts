// Minimal X.509 v3 certificate issuance in pure TypeScript over node:crypto (which can sign
// and parse certificates but not build them): DER encoding of exactly what a deployment's
// TLS needs — a self-signed CA certificate, and leaf certificates whose subject CN and
// subjectAltName (DNS) carry an endpoint's name, usable as TLS server and client. Keys are
// ECDSA P-256 and signatures ecdsa-with-SHA256, what every TLS 1.3 stack accepts.
// No parsing, no other algorithms, no chains deeper than CA -> leaf. Never writes a file
// (the caller decides where keys go) and never logs a private key.

import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject, X509Certificate } from "node:crypto";

// ---- DER ----------------------------------------------------------------------------------

function derLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), derLength(content.length), content]);
}

const seq = (...items: Buffer[]): Buffer => tlv(0x30, Buffer.concat(items));
const set = (...items: Buffer[]): Buffer => tlv(0x31, Buffer.concat(items));
/** [n] EXPLICIT (constructed, context-specific). */
const explicit = (n: number, inner: Buffer): Buffer => tlv(0xa0 + n, inner);
const octets = (b: Buffer): Buffer => tlv(0x04, b);
const bool = (v: boolean): Buffer => tlv(0x01, Buffer.from([v ? 0xff : 0x00]));
const utf8 = (s: string): Buffer => tlv(0x0c, Buffer.from(s, "utf8"));

/** A non-negative INTEGER from big-endian bytes (minimal, with a 0 byte if the top bit is set). */
function integer(bytes: Buffer): Buffer {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  let b = bytes.subarray(i);
  if (b[0]! & 0x80) b = Buffer.concat([Buffer.from([0]), b]);
  return tlv(0x02, b);
}

/** A BIT STRING holding `bits` (bit 0 is the most significant bit of the first byte). */
function namedBits(bits: number[]): Buffer {
  const top = Math.max(...bits);
  const bytes = Buffer.alloc(Math.floor(top / 8) + 1);
  for (const b of bits) bytes[b >> 3]! |= 0x80 >> (b & 7);
  const unused = 7 - (top & 7);
  return tlv(0x03, Buffer.concat([Buffer.from([unused]), bytes]));
}

const bitString = (b: Buffer): Buffer => tlv(0x03, Buffer.concat([Buffer.from([0]), b]));

function oid(dotted: string): Buffer {
  const parts = dotted.split(".").map(Number);
  const out: number[] = [40 * parts[0]! + parts[1]!];
  for (const p of parts.slice(2)) {
    const chunk: number[] = [p & 0x7f];
    for (let v = Math.floor(p / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift((v & 0x7f) | 0x80);
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

/** UTCTime through 2049, GeneralizedTime from 2050 (RFC 5280 4.1.2.5). */
function time(d: Date): Buffer {
  const iso = d.toISOString(); // YYYY-MM-DDTHH:MM:SS.sssZ
  const digits = iso.slice(0, 19).replace(/[-:T]/g, "");
  const year = d.getUTCFullYear();
  return year < 2050 ? tlv(0x17, Buffer.from(`${digits.slice(2)}Z`, "ascii")) : tlv(0x18, Buffer.from(`${digits}Z`, "ascii"));
}

// ---- certificates ----------------------------------------------------------------------------

const OID = {
  ecdsaWithSha256: "1.2.840.10045.4.3.2",
  commonName: "2.5.4.3",
  organization: "2.5.4.10",
  basicConstraints: "2.5.29.19",
  keyUsage: "2.5.29.15",
  extKeyUsage: "2.5.29.37",
  subjectAltName: "2.5.29.17",
  subjectKeyIdentifier: "2.5.29.14",
  authorityKeyIdentifier: "2.5.29.35",
  serverAuth: "1.3.6.1.5.5.7.3.1",
  clientAuth: "1.3.6.1.5.5.7.3.2",
};

function name(cn: string, org: string): Buffer {
  return seq(set(seq(oid(OID.organization), utf8(org))), set(seq(oid(OID.commonName), utf8(cn))));
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return seq(oid(id), ...(critical ? [bool(true)] : []), octets(value));
}

/** RFC 5280 key identifier: SHA-1 of the subjectPublicKey bits (the EC point). */
function keyId(publicKey: KeyObject): Buffer {
  const jwk = publicKey.export({ format: "jwk" });
  const point = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x!, "base64url"), Buffer.from(jwk.y!, "base64url")]);
  return createHash("sha1").update(point).digest();
}

export interface KeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export function newKeyPair(): KeyPair {
  return generateKeyPairSync("ec", { namedCurve: "P-256" });
}

export interface CertificateRequest {
  /** Subject common name (an endpoint's name, or the CA's). */
  commonName: string;
  /** Subject organisation (the deployment's label). */
  organization: string;
  /** The subject's public key. */
  publicKey: KeyObject;
  /** true: a CA certificate (keyCertSign); false: a TLS leaf for server and client auth. */
  ca: boolean;
  /** DNS names for the subjectAltName of a leaf. */
  dnsNames?: string[];
  notBefore: Date;
  notAfter: Date;
}

export interface Issuer {
  commonName: string;
  organization: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/** A DER certificate for `req`, signed by `issuer` (pass the subject itself to self-sign). */
export function issueCertificate(req: CertificateRequest, issuer: Issuer): Buffer {
  const algorithm = seq(oid(OID.ecdsaWithSha256));
  const extensions: Buffer[] = [
    extension(OID.basicConstraints, true, req.ca ? seq(bool(true), integer(Buffer.from([0]))) : seq()),
    // CA: keyCertSign, cRLSign; leaf: digitalSignature (TLS 1.3 signs with it; ECDHE does the rest)
    extension(OID.keyUsage, true, req.ca ? namedBits([5, 6]) : namedBits([0])),
    extension(OID.subjectKeyIdentifier, false, octets(keyId(req.publicKey))),
    extension(OID.authorityKeyIdentifier, false, seq(tlv(0x80, keyId(issuer.publicKey)))),
  ];
  if (!req.ca) {
    extensions.push(extension(OID.extKeyUsage, false, seq(oid(OID.serverAuth), oid(OID.clientAuth))));
    const names = req.dnsNames ?? [req.commonName];
    extensions.push(extension(OID.subjectAltName, false, seq(...names.map((n) => tlv(0x82, Buffer.from(n, "ascii"))))));
  }
  const serial = randomBytes(16);
  serial[0]! &= 0x7f; // positive, at most 20 octets (RFC 5280 4.1.2.2)
  const spki = req.publicKey.export({ type: "spki", format: "der" });
  const tbs = seq(
    explicit(0, integer(Buffer.from([2]))), // v3
    integer(serial),
    algorithm,
    name(issuer.commonName, issuer.organization),
    seq(time(req.notBefore), time(req.notAfter)),
    name(req.commonName, req.organization),
    spki,
    explicit(3, seq(...extensions)),
  );
  const signature = sign("sha256", tbs, issuer.privateKey); // DER ECDSA-Sig-Value
  return seq(tbs, algorithm, bitString(signature));
}

export function toPem(der: Buffer, label = "CERTIFICATE"): string {
  const b64 = der.toString("base64").replace(/.{64}/g, "$&\n").replace(/\n$/, "");
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

/** "sha256:" and the lowercase hex SHA-256 of a certificate's DER: what parties.json pins. */
export function certFingerprint(pemOrDer: string | Buffer): string {
  const cert = new X509Certificate(pemOrDer);
  return `sha256:${createHash("sha256").update(cert.raw).digest("hex")}`;
}

/** Normalise a fingerprint as written by people or by node ("AB:CD:…") to "sha256:abcd…". */
export function normaliseFingerprint(f: string): string {
  const hex = f.replace(/^sha256:/i, "").replace(/:/g, "").toLowerCase();
  return `sha256:${hex}`;
}
