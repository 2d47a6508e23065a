import test from "ava";
import { clearTensor } from "../../../runtime/clear/index.js";
import { formatTensor, showValue } from "../../../runtime/io/index.js";

test("values: integers as integers, reals to 6 significant digits, bools as words", (t) => {
  t.is(showValue(117, "fixed"), "117");
  t.is(showValue(1 / 3, "fixed"), "0.333333");
  t.is(showValue(-2.5e-7, "fixed"), "-2.5e-7");
  t.is(showValue(3, "int"), "3");
  t.is(showValue(1, "bool"), "true");
  t.is(showValue(0, "bool"), "false");
});

test("small tensors are shown in full", (t) => {
  t.deepEqual(formatTensor(clearTensor([117], []), "fixed"), ["117"]);
  t.deepEqual(formatTensor(clearTensor([1.5, -2, 1 / 3], [3]), "fixed"), ["[1.5, -2, 0.333333]"]);
  t.deepEqual(formatTensor(clearTensor([1, 22, 3, 4], [2, 2]), "int"), ["[[ 1, 22], [ 3,  4]]"]);
});

test("long rows of small tensors wrap at 100 characters", (t) => {
  const lines = formatTensor(clearTensor(Array.from({ length: 30 }, (_, i) => i + 0.5), [30, 1]), "fixed");
  t.true(lines.length > 1);
  t.true(lines.every((l) => l.length <= 100));
  t.is(lines.join(" ").replace(/\s+/g, ""), `[${Array.from({ length: 30 }, (_, i) => `[${i + 0.5}]`).join(",")}]`);
});

test("large tensors show their first rows and a summary; int results get value counts", (t) => {
  const classes = clearTensor(Array.from({ length: 569 }, (_, i) => (i % 3 === 0 ? 0 : 1)), [569]);
  t.deepEqual(formatTensor(classes, "int"), ["[0, 1, 1, 0, 1, 1, 0, 1, 1, 0, …]", "(569 values) counts 0: 190, 1: 379"]);
  const m = clearTensor(Array.from({ length: 100 * 3 }, (_, i) => i), [100, 3]);
  t.deepEqual(formatTensor(m, "fixed"), [
    "[[ 0,  1,  2], [ 3,  4,  5], [ 6,  7,  8], [ 9, 10, 11], [12, 13, 14],",
    " … 95 more rows",
    "(300 values) min 0, mean 149.5, max 299",
  ]);
});
