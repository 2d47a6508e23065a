import test from "ava";
import { readCsv, type DeclaredInput } from "../../../runtime/io/index.js";

const X = (shape: number[], elem: DeclaredInput["elem"] = "fixed"): DeclaredInput => ({ party: "alice", name: "x", elem, shape });
const read = (text: string, d: DeclaredInput) => readCsv(text, "x.csv", d);
const values = (text: string, d: DeclaredInput) => Array.from(read(text, d).data);

test("a matrix without a header, CRLF line ends, blank lines and spaces ignored", (t) => {
  const got = read("1, 2,3\r\n\r\n4,5.5,-6e-1\r\n\n", X([2, 3]));
  t.deepEqual(got.shape, [2, 3]);
  t.deepEqual(Array.from(got.data), [1, 2, 3, 4, 5.5, -0.6]);
});

test("a first line with no numeric cell is a header", (t) => {
  t.deepEqual(values("a,b\n1,2\n3,4\n", X([2, 2])), [1, 2, 3, 4]);
  t.deepEqual(values('\uFEFF"mean radius","label"\n1,0\n', X([1, 2])), [1, 0]);
});

test("a [n] input reads from one column or one row, a scalar from one cell", (t) => {
  t.deepEqual(values("1\n2\n3\n", X([3])), [1, 2, 3]);
  t.deepEqual(values("1,2,3\n", X([3])), [1, 2, 3]);
  t.deepEqual(values("v\n42\n", X([])), [42]);
  t.deepEqual(read("1\n2\n", X([2, 1])).shape, [2, 1]);
});

test("a rank-4 input reads from one flattened row per item", (t) => {
  const got = read("1,2,3,4\n5,6,7,8\n", X([2, 1, 2, 2]));
  t.deepEqual(got.shape, [2, 1, 2, 2]);
  t.deepEqual(Array.from(got.data), [1, 2, 3, 4, 5, 6, 7, 8]);
});

test("shape mismatch names the input, the file, both shapes and a header line", (t) => {
  t.throws(() => read("1,2\n3,4\n", X([3, 2])), { message: "input alice.x (x.csv): expected shape [3, 2], found 2 rows x 2 columns" });
  t.throws(() => read("a,b\n1,2\n3,4\n", X([3, 2])), {
    message: "input alice.x (x.csv): expected shape [3, 2], found 2 rows x 2 columns (line 1 was read as a header)",
  });
  t.throws(() => read("1,2\n", X([])), { message: "input alice.x (x.csv): expected shape [], found 1 rows x 2 columns" });
});

test("a bad cell gives its editor line (header and blank lines counted) and column, and only that token", (t) => {
  t.throws(() => read("a,b\n1,2\n\n3,x7\n", X([2, 2])), { message: "input alice.x (x.csv): line 4, column 2: 'x7' is not a number" });
  t.throws(() => read("1,2\n3,\n", X([2, 2])), { message: "input alice.x (x.csv): line 2, column 2: empty cell" });
  t.throws(() => read("1,2,oops\n3,4,5\n", X([2, 3])), {
    message: "input alice.x (x.csv): line 1, column 3: 'oops' is not a number (a header line is recognised only when none of its cells is a number)",
  });
  t.throws(() => read("1,2\n3,NaN\n", X([2, 2])), { message: "input alice.x (x.csv): line 2, column 2: 'NaN' is not a number" });
});

test("a semicolon- or tab-separated file gets a hint", (t) => {
  t.throws(() => read("a;b\n1;2\n", X([2])), {
    message: "input alice.x (x.csv): line 2, column 1: '1;2' is not a number (cells must be separated by commas)",
  });
});

test("ragged rows are rejected", (t) => {
  t.throws(() => read("h1,h2\n1,2\n3,4,5\n", X([2, 2])), { message: "input alice.x (x.csv): line 3 has 3 cells, but line 2 has 2" });
});

test("int and bool inputs check their values; bool accepts true/false", (t) => {
  t.throws(() => read("1\n2.5\n", X([2], "int")), { message: "input alice.x (x.csv): line 2, column 1: '2.5' is not an integer" });
  t.deepEqual(values("true,0\nFALSE,1\n", X([2, 2], "bool")), [1, 0, 0, 1]);
  t.throws(() => read("1,2\n", X([2], "bool")), {
    message: "input alice.x (x.csv): line 1, column 2: '2' is not a bool (use 0/1 or true/false)",
  });
});

test("values beyond the fixed-point limit are rejected with their position", (t) => {
  t.throws(() => readCsv("1\n-32768\n", "x.csv", X([2]), { fixedBound: 32768 }), {
    message: "input alice.x (x.csv): line 2, column 1: '-32768' is outside the fixed-point range (|x| must be below 32768)",
  });
  t.deepEqual(Array.from(readCsv("1\n-32767.5\n", "x.csv", X([2]), { fixedBound: 32768 }).data), [1, -32767.5]);
  // The bound is for fixed values; an int is checked against 2^53 only.
  t.deepEqual(Array.from(readCsv("40000\n", "x.csv", X([1], "int"), { fixedBound: 32768 }).data), [40000]);
});

test("an empty file or a header alone is an error", (t) => {
  t.throws(() => read("\n\n", X([1])), { message: "input alice.x (x.csv): no data rows; expected shape [1]" });
  t.throws(() => read("a,b\n", X([2])), { message: "input alice.x (x.csv): no data rows (only a header line); expected shape [2]" });
});
