import test from "ava";
import fc from "fast-check";
import { Rat } from "../../../compiler/audit/rational.js";

const bigGcd = (a: bigint, b: bigint): bigint => {
  a = a < 0n ? -a : a;
  b = b < 0n ? -b : b;
  while (b) [a, b] = [b, a % b];
  return a;
};

test("parse reads integers, fractions, decimals and exponents exactly", (t) => {
  t.is(Rat.parse("-12").toString(), "-12");
  t.is(Rat.parse("6/8").toString(), "3/4");
  t.is(Rat.parse("0.1").toString(), "1/10");
  t.is(Rat.parse(".5").toString(), "1/2");
  t.is(Rat.parse("1e-3").toString(), "1/1000");
  t.is(Rat.parse("-2.5E+4").toString(), "-25000");
  t.is(Rat.parse("007.250").toString(), "29/4");
  t.throws(() => Rat.parse("abc"), { instanceOf: RangeError });
  t.throws(() => Rat.parse("."), { instanceOf: RangeError });
});

test("fromNumber takes the shortest decimal form, so literals are what was written", (t) => {
  t.is(Rat.fromNumber(0.1).toString(), "1/10");
  t.is(Rat.fromNumber(0.5 / 569).toString(), Rat.parse(String(0.5 / 569)).toString());
  t.is(Rat.fromNumber(-3).toString(), "-3");
  t.is(Rat.fromNumber(1e21).toString(), "1000000000000000000000");
  t.throws(() => Rat.fromNumber(Number.NaN), { instanceOf: RangeError });
  t.throws(() => Rat.fromNumber(Infinity), { instanceOf: RangeError });
});

test("arithmetic is exact: 1/10 + 2/10 is 3/10, unlike float64", (t) => {
  const a = Rat.parse("0.1").add(Rat.parse("0.2"));
  t.true(a.equals(Rat.parse("0.3")));
  t.not(0.1 + 0.2, 0.3);
  t.is(Rat.of(1n, 6n).add(Rat.of(1n, 3n)).toString(), "1/2");
  t.is(Rat.of(2n, 3n).mul(Rat.of(9n, 4n)).toString(), "3/2");
  t.is(Rat.of(2n, 3n).div(Rat.of(-4n, 9n)).toString(), "-3/2");
  t.is(Rat.of(5n, -10n).toString(), "-1/2");
  t.throws(() => Rat.of(1n, 0n), { instanceOf: RangeError });
  t.throws(() => Rat.ZERO.inv(), { instanceOf: RangeError });
});

test("comparison, sign and display", (t) => {
  t.is(Rat.of(1n, 3n).compare(Rat.of(1n, 2n)), -1);
  t.is(Rat.of(-1n, 2n).sign(), -1);
  t.is(Rat.of(4n, 2n).show(), "2");
  t.is(Rat.of(1n, 3n).show(), "1/3");
  t.is(Rat.of(1n, 123456789012n).show(), "≈8.10000e-12");
});

const small = fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n });
const nonzero = small.filter((x) => x !== 0n);

test("property: results agree with cross-multiplied BigInt references and are normalised", (t) => {
  fc.assert(
    fc.property(small, nonzero, small, nonzero, (an, ad, bn, bd) => {
      const a = Rat.of(an, ad);
      const b = Rat.of(bn, bd);
      const check = (r: Rat, n: bigint, d: bigint): void => {
        // r == n/d  <=>  r.n * d == n * r.d ; and r is in lowest terms with a positive denominator.
        if (r.n * d !== n * r.d) throw new Error(`${r} != ${n}/${d}`);
        if (r.d <= 0n || bigGcd(r.n, r.d) !== 1n) throw new Error(`${r} not normalised`);
      };
      check(a.add(b), an * bd + bn * ad, ad * bd);
      check(a.sub(b), an * bd - bn * ad, ad * bd);
      check(a.mul(b), an * bn, ad * bd);
      if (bn !== 0n) check(a.div(b), an * bd, ad * bn);
      check(a.neg(), -an, ad);
    }),
    { numRuns: 500 },
  );
  t.pass();
});
