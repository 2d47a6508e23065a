// Exact rational numbers (BigInt fractions) for the leakage audit's linear algebra.
// The audit decides "can party P solve for this input exactly?" by rank arguments; a rank
// computed in floating point can be wrong either way (a cancellation that should be exact
// leaves 1e-17, or an ill-conditioned but invertible system looks singular), so every
// coefficient here is an exact fraction. Never converts to float except for display.

function gcd(a: bigint, b: bigint): bigint {
  if (a < 0n) a = -a;
  if (b < 0n) b = -b;
  while (b !== 0n) {
    const t = a % b;
    a = b;
    b = t;
  }
  return a;
}

/** An exact fraction n/d in lowest terms with d > 0. Immutable. */
export class Rat {
  /** -this, computed once (coefficients like -1/569 are negated millions of times). */
  private negated: Rat | undefined;

  private constructor(
    readonly n: bigint,
    readonly d: bigint,
  ) {}

  static readonly ZERO = new Rat(0n, 1n);
  static readonly ONE = new Rat(1n, 1n);
  static readonly MINUS_ONE = new Rat(-1n, 1n);

  /** n/d normalised; d must not be zero. */
  static of(n: bigint, d: bigint = 1n): Rat {
    if (d === 0n) throw new RangeError("rational with zero denominator");
    if (d < 0n) {
      n = -n;
      d = -d;
    }
    if (d === 1n) return Rat.int(n);
    const g = gcd(n, d);
    return g === 1n ? new Rat(n, d) : new Rat(n / g, d / g);
  }

  static int(k: bigint | number): Rat {
    const n = typeof k === "bigint" ? k : BigInt(k);
    if (n === 0n) return Rat.ZERO;
    if (n === 1n) return Rat.ONE;
    if (n === -1n) return Rat.MINUS_ONE;
    return new Rat(n, 1n);
  }

  /** The number as written in decimal (shortest round-trip form), so a literal `0.1` is
   *  exactly 1/10 rather than the binary double nearest to it. Non-finite: RangeError. */
  static fromNumber(x: number): Rat {
    if (!Number.isFinite(x)) throw new RangeError(`not a finite number: ${x}`);
    if (Number.isSafeInteger(x)) return Rat.int(x);
    return Rat.parse(String(x));
  }

  /** Parse `-12`, `3/4`, `0.25`, `1e-3`, `-2.5E+4`. */
  static parse(text: string): Rat {
    const t = text.trim();
    const frac = /^([+-]?\d+)\s*\/\s*(\d+)$/.exec(t);
    if (frac) return Rat.of(BigInt(frac[1]!), BigInt(frac[2]!));
    const dec = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(t);
    if (!dec || (dec[2] === "" && (dec[3] ?? "") === "")) throw new RangeError(`not a number: ${text}`);
    const sign = dec[1] === "-" ? -1n : 1n;
    const whole = dec[2] ?? "";
    const fracDigits = dec[3] ?? "";
    const exp = Number(dec[4] ?? "0") - fracDigits.length;
    let n = BigInt((whole + fracDigits).replace(/^0+(?=\d)/, "") || "0") * sign;
    let d = 1n;
    if (exp >= 0) n *= 10n ** BigInt(exp);
    else d = 10n ** BigInt(-exp);
    return Rat.of(n, d);
  }

  isZero(): boolean {
    return this.n === 0n;
  }

  isOne(): boolean {
    return this.n === 1n && this.d === 1n;
  }

  isInteger(): boolean {
    return this.d === 1n;
  }

  sign(): -1 | 0 | 1 {
    return this.n < 0n ? -1 : this.n > 0n ? 1 : 0;
  }

  add(o: Rat): Rat {
    if (this.n === 0n) return o;
    if (o.n === 0n) return this;
    if (this.d === 1n && o.d === 1n) return Rat.int(this.n + o.n);
    return Rat.of(this.n * o.d + o.n * this.d, this.d * o.d);
  }

  sub(o: Rat): Rat {
    return this.add(o.neg());
  }

  mul(o: Rat): Rat {
    if (this.n === 0n || o.n === 0n) return Rat.ZERO;
    if (this.isOne()) return o;
    if (o.isOne()) return this;
    if (o === Rat.MINUS_ONE) return this.neg();
    if (this === Rat.MINUS_ONE) return o.neg();
    if (this.d === 1n && o.d === 1n) return Rat.int(this.n * o.n);
    // Cross-cancel first so intermediate products stay small.
    const g1 = gcd(this.n, o.d);
    const g2 = gcd(o.n, this.d);
    return Rat.of((this.n / g1) * (o.n / g2), (this.d / g2) * (o.d / g1));
  }

  div(o: Rat): Rat {
    return this.mul(o.inv());
  }

  neg(): Rat {
    if (this.n === 0n) return this;
    if (this.negated === undefined) {
      this.negated = this.d === 1n && (this.n === 1n || this.n === -1n) ? (this.n === 1n ? Rat.MINUS_ONE : Rat.ONE) : new Rat(-this.n, this.d);
      this.negated.negated = this;
    }
    return this.negated;
  }

  inv(): Rat {
    if (this.n === 0n) throw new RangeError("inverse of zero");
    return Rat.of(this.d, this.n);
  }

  equals(o: Rat): boolean {
    return this.n === o.n && this.d === o.d;
  }

  compare(o: Rat): -1 | 0 | 1 {
    const l = this.n * o.d;
    const r = o.n * this.d;
    return l < r ? -1 : l > r ? 1 : 0;
  }

  abs(): Rat {
    return this.n < 0n ? this.neg() : this;
  }

  toNumber(): number {
    return Number(this.n) / Number(this.d);
  }

  /** `3`, `-3/4`. */
  toString(): string {
    return this.d === 1n ? this.n.toString() : `${this.n}/${this.d}`;
  }

  /** A short human form: the exact fraction when small, else a 6-significant-digit decimal
   *  marked with `≈`. */
  show(): string {
    const s = this.toString();
    if (s.length <= 12) return s;
    return `≈${this.toNumber().toPrecision(6)}`;
  }
}
