import test from "ava";
import { readJson, type DeclaredInput } from "../../../runtime/io/index.js";

const X = (shape: number[], elem: DeclaredInput["elem"] = "fixed"): DeclaredInput => ({ party: "bob", name: "w", elem, shape });
const read = (text: string, d: DeclaredInput) => readJson(text, "w.json", d);

test("nested arrays, a bare number, and {shape, data} with flat or nested data", (t) => {
  const a = read("[[1, 2], [3, 4.5]]", X([2, 2]));
  t.deepEqual(a.shape, [2, 2]);
  t.deepEqual(Array.from(a.data), [1, 2, 3, 4.5]);
  t.deepEqual(Array.from(read("-7e-1", X([])).data), [-0.7]);
  t.deepEqual(Array.from(read('{"shape": [2, 2], "data": [1, 2, 3, 4]}', X([2, 2])).data), [1, 2, 3, 4]);
  t.deepEqual(Array.from(read('{"shape": [2, 1], "data": [[1], [2]]}', X([2])).data), [1, 2]);
  t.deepEqual(Array.from(read("[true, false]", X([2], "bool")).data), [1, 0]);
});

test("shape mismatch and ragged arrays", (t) => {
  t.throws(() => read("[[1, 2, 3]]", X([2, 3])), { message: "input bob.w (w.json): expected shape [2, 3], found [1, 3]" });
  t.throws(() => read("[[1, 2], [3]]", X([2, 2])), {
    message: "input bob.w (w.json): the arrays are not rectangular: element [1] has 1 entries, but element [0] has 2",
  });
  t.throws(() => read('{"shape": [3], "data": [1, 2]}', X([3])), {
    message: 'input bob.w (w.json): "shape" [3] needs 3 values, but "data" has 2',
  });
  t.throws(() => read('{"data": [1]}', X([1])), {
    message: 'input bob.w (w.json): expected a number, nested arrays, or {"shape": [...], "data": [...]}',
  });
});

test("a non-number element names its index", (t) => {
  t.throws(() => read('[[1, 2], [3, "4"]]', X([2, 2])), { message: "input bob.w (w.json): element [1, 1]: the string '4' is not a number" });
  t.throws(() => read("[1, null]", X([2])), { message: "input bob.w (w.json): element [1]: null is not a number" });
  t.throws(() => read("[1, 2.5]", X([2], "int")), { message: "input bob.w (w.json): element [1]: 2.5 is not an integer" });
});

test("a syntax error gives line and column but not the surrounding text", (t) => {
  t.throws(() => read("[1, 2,\n 3, secret]", X([4])), { message: "input bob.w (w.json): not valid JSON: unexpected character 's' at line 2, column 5" });
  t.throws(() => read("[1, 2", X([2])), { message: "input bob.w (w.json): not valid JSON: unexpected end of file at line 1, column 6" });
});
