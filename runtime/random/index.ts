// Cryptographic randomness for shares and masks: fresh system randomness (node:crypto) and a
// seeded PRG (AES-128-CTR) whose streams are addressed by (seed, label), so a dealer and each
// party derive the same stream for "plan node N, iteration i" without coordinating the order
// in which streams are used. Pairwise seeds give pseudo-random zero sharing (PRZS).
// Never uses Math.random, never logs a seed or a stream, and never reuses a (seed, label)
// stream for two purposes (callers pick distinct labels; `Prg` itself only moves forward).

import { createCipheriv, createHash, randomBytes, randomFillSync } from "node:crypto";
import type { RingTensor } from "../ring/index.js";

export const SEED_BYTES = 16;

/** A fresh 16-byte seed from the system CSPRNG. */
export function randomSeed(): Uint8Array {
  return new Uint8Array(randomBytes(SEED_BYTES));
}

/** n uniform ring elements from the system CSPRNG. */
export function randomRing(n: number): BigUint64Array {
  const out = new BigUint64Array(n);
  // randomFillSync caps one call at 2^31-1 bytes
  const CHUNK = 1 << 27;
  for (let i = 0; i < n; i += CHUNK) randomFillSync(out.subarray(i, Math.min(n, i + CHUNK)));
  return out;
}

/** A tensor of uniform ring elements, from `prg` or (by default) the system CSPRNG. */
export function randomRingTensor(shape: readonly number[], prg?: Prg): RingTensor {
  let n = 1;
  for (const d of shape) n *= d;
  return { data: prg ? prg.ring(n) : randomRing(n), shape: [...shape] };
}

/** The 16-byte IV of a label's stream: the first 16 bytes of SHA-256(label). */
export function labelIv(label: string): Buffer {
  return createHash("sha256").update(label, "utf8").digest().subarray(0, 16);
}

// The keystream is AES-CTR over zeros; one shared zero buffer feeds every update call.
const ZERO_CHUNK = 1 << 20;
let zeros: Buffer | undefined;

/**
 * AES-128-CTR keystream keyed by a 16-byte seed, starting at IV = SHA-256(label)[0..16).
 * Different labels give independent streams (distinct random IVs; the counter spaces of two
 * labels would have to overlap within 2^64 blocks, probability ~ 2^-64 per pair). Output
 * is consumed in order: `ring(n)` then `ring(m)` equals the first n + m elements.
 */
export class Prg {
  private readonly cipher: ReturnType<typeof createCipheriv>;

  constructor(seed: Uint8Array, label: string) {
    if (seed.length !== SEED_BYTES) throw new RangeError(`PRG seed must be ${SEED_BYTES} bytes, got ${seed.length}`);
    this.cipher = createCipheriv("aes-128-ctr", seed, labelIv(label));
  }

  /** The next n bytes of the stream. */
  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    this.fill(out);
    return out;
  }

  /** The next n uniform ring elements (8 stream bytes each, little-endian). */
  ring(n: number): BigUint64Array {
    const out = new BigUint64Array(n);
    this.fill(new Uint8Array(out.buffer));
    return out;
  }

  /** Overwrite `out` with the next out.length bytes of the stream. */
  fill(out: Uint8Array): void {
    zeros ??= Buffer.alloc(ZERO_CHUNK);
    for (let off = 0; off < out.length; off += ZERO_CHUNK) {
      const len = Math.min(ZERO_CHUNK, out.length - off);
      const ks = this.cipher.update(len === ZERO_CHUNK ? zeros : zeros.subarray(0, len));
      out.set(ks, off);
    }
  }
}

/**
 * This party's share of a pseudo-random sharing of zero. `seedsWithPeers` maps each other
 * party's name to the seed this party shares with it (both sides hold the same seed). For a
 * pair i < j (by name, in code-unit order) party i adds PRG(s_ij, label) and party j
 * subtracts it, so the shares of all parties sum to 0 mod 2^64, while any single share (and
 * any set of shares missing one party's) is uniformly random to its holders.
 */
export function zeroShare(seedsWithPeers: ReadonlyMap<string, Uint8Array>, myName: string, label: string, n: number): BigUint64Array {
  const out = new BigUint64Array(n);
  for (const [peer, seed] of seedsWithPeers) {
    if (peer === myName) throw new RangeError(`zeroShare: party ${myName} lists a seed with itself`);
    const r = new Prg(seed, label).ring(n);
    if (myName < peer) for (let i = 0; i < n; i++) out[i] = BigInt.asUintN(64, out[i]! + r[i]!);
    else for (let i = 0; i < n; i++) out[i] = BigInt.asUintN(64, out[i]! - r[i]!);
  }
  return out;
}

/**
 * A stream label from its parts, e.g. prgLabel("triple_mul", nodeId, iteration, party):
 * JSON-encoded, so distinct part lists can never produce the same label.
 */
export function prgLabel(...parts: readonly (string | number)[]): string {
  return JSON.stringify(parts);
}
