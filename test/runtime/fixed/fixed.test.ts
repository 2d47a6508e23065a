import test from "ava";
import { UserError } from "../../../grammar/diagnostic.js";
import { DEFAULT_PRECISION, decodeFixed, decodeInt, encodeFixed, encodeInt, fixedBound } from "../../../runtime/fixed/index.js";
import { ringToBigInts } from "../../../runtime/ring/index.js";

const where = { party: "hospital_a", input: "xa" };

// deterministic values spread over the whole accepted range, both signs, plus small ones
function samples(precision: number): Float64Array {
  const bound = fixedBound(precision);
  const out: number[] = [0, -0, 1, -1, 0.5, -0.5, 2 ** -precision, -(2 ** -precision), bound * 0.999999, -bound * 0.999999];
  let s = 12345;
  for (let i = 0; i < 500; i++) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const u = s / 2 ** 31;
    out.push((u * 2 - 1) * (i % 2 ? bound * 0.99 : 3));
  }
  return Float64Array.from(out);
}

for (const f of [8, 16, 24]) {
  test(`precision ${f}: round trip within 2^-(f+1), negatives included`, (t) => {
    const v = samples(f);
    const enc = encodeFixed(v, [v.length], f, where);
    const dec = decodeFixed(enc, f);
    const tol = 2 ** -(f + 1);
    for (let i = 0; i < v.length; i++) {
      t.true(Math.abs(dec[i]! - v[i]!) <= tol, `element ${i}`);
    }
    // the ring value is round(v * 2^f) as a signed 64-bit integer
    const signed = ringToBigInts(enc, true);
    for (let i = 0; i < v.length; i++) {
      const s = v[i]! * 2 ** f;
      t.is(signed[i], BigInt(s < 0 ? -Math.round(-s) : Math.round(s)));
    }
  });
}

test("rounding is to nearest with ties away from zero", (t) => {
  const enc = encodeFixed(Float64Array.from([2.5, -2.5, 1.25, -1.25, 0.75]), [5], 1, where);
  t.deepEqual(ringToBigInts(enc, true), [5n, -5n, 3n, -3n, 2n]);
});

test("the default precision is 16 and the bound keeps a product of two inputs within 2^62", (t) => {
  t.is(DEFAULT_PRECISION, 16);
  t.is(fixedBound(16), 32768);
  t.is(fixedBound(8), 2 ** 23);
  t.is(fixedBound(24), 128);
  for (const f of [0, 8, 16, 24, 30]) {
    // the largest accepted magnitude rounds to at most 2^31, so a product is at most 2^62
    const justBelow = fixedBound(f) * (1 - 2 ** -50);
    const enc = ringToBigInts(encodeFixed(Float64Array.from([justBelow, -justBelow]), [2], f, where), true);
    t.deepEqual(enc, [1n << 31n, -(1n << 31n)], `precision ${f}`);
    t.true(enc[0]! * enc[1]! >= -(1n << 62n));
  }
  const enc = encodeFixed(Float64Array.from([1.5, -2]), [2], undefined, where);
  t.deepEqual(ringToBigInts(enc, true), [98304n, -131072n]);
  t.throws(() => fixedBound(31), { message: "fixed-point precision 31 is outside 0..30" });
});

test("an out-of-range value is rejected naming party, input, row and column, not the value", (t) => {
  const v = Float64Array.from([1, 2, 3, 4, 40000.125, 6]);
  const e = t.throws(() => encodeFixed(v, [3, 2], 16, where), { instanceOf: UserError });
  t.is(
    e?.message,
    "input hospital_a.xa: the value at row 3, column 1 is outside the fixed-point range: " +
      "|value| must be below 2^15 = 32768 at precision 16; rescale the data, or lower the program's precision",
  );
  t.false(e!.message.includes("40000"));
  const e2 = t.throws(() => encodeFixed(Float64Array.from([-1e6, 0, 1e9, 5e4]), [2, 2], 16, where));
  t.is(
    e2?.message,
    "input hospital_a.xa: the value at row 1, column 1 is outside the fixed-point range: " +
      "|value| must be below 2^15 = 32768 at precision 16 (2 more values in this input have the same problem); " +
      "rescale the data, or lower the program's precision",
  );
  // exactly at the bound is out (the bound is exclusive)
  t.throws(() => encodeFixed(Float64Array.from([-128]), [1], 24, where), {
    message:
      "input hospital_a.xa: the value at element 1 is outside the fixed-point range: " +
      "|value| must be below 2^7 = 128 at precision 24; rescale the data, or lower the program's precision",
  });
});

test("NaN and Infinity are rejected without saying which, with the position", (t) => {
  for (const bad of [NaN, Infinity, -Infinity]) {
    const e = t.throws(() => encodeFixed(Float64Array.from([0, 1, 2, 3, 4, bad, 6]), [7], 16, { party: "p2", input: "y" }), {
      instanceOf: UserError,
    });
    t.is(e?.message, "input p2.y: the value at element 6 is not a finite number; fix or remove it in the data file");
  }
  const e = t.throws(() => encodeFixed(Float64Array.from([0, NaN, 1, NaN]), [2, 2], 8, where));
  t.is(
    e?.message,
    "input hospital_a.xa: the value at row 1, column 2 is not a finite number (1 more value in this input has the same problem); fix or remove it in the data file",
  );
});

test("a value count that does not match the declared shape is a user error", (t) => {
  t.throws(() => encodeFixed(Float64Array.from([1, 2, 3]), [2, 2], 16, where), {
    instanceOf: UserError,
    message: "input hospital_a.xa: has 3 values, but its type needs [2, 2] (4 values)",
  });
});

test("int elements: exact round trip up to 2^53, non-integers and huge values rejected", (t) => {
  const v = Float64Array.from([0, 1, -1, 42, -(2 ** 53) + 1, 2 ** 53 - 1, 2 ** 32, -(2 ** 32) - 7]);
  const enc = encodeInt(v, [2, 4], where);
  t.deepEqual(ringToBigInts(enc, true), Array.from(v, (x) => BigInt(x)));
  t.deepEqual(Array.from(decodeInt(enc)), Array.from(v));
  t.throws(() => encodeInt(Float64Array.from([1, 2.5]), [1, 2], where), {
    instanceOf: UserError,
    message: "input hospital_a.xa: the value at row 1, column 2 is not an integer; an int input holds whole numbers; declare it fixed for reals",
  });
  t.throws(() => encodeInt(Float64Array.from([2 ** 53]), [1], where), {
    message: "input hospital_a.xa: the value at element 1 is outside the int range: |value| must be below 2^53; check the data file",
  });
});

test("decodeFixed reads ring values as signed two's complement", (t) => {
  const enc = encodeFixed(Float64Array.from([-3.75, 1000.5, -32767.5]), [3], 16, where);
  t.deepEqual(Array.from(decodeFixed(enc, 16)), [-3.75, 1000.5, -32767.5]);
  t.deepEqual(Array.from(decodeFixed(enc, 17)), [-3.75 / 2, 1000.5 / 2, -32767.5 / 2]);
});
