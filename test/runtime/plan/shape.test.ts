import test from "ava";
import { broadcastOrThrow, broadcastShapes, elementCount, sameShape, strides } from "../../../runtime/plan/shape.js";

test("broadcastShapes aligns at the right and takes the non-1 dimension", (t) => {
  t.deepEqual(broadcastShapes([3, 1], [4]), [3, 4]);
  t.deepEqual(broadcastShapes([], [2, 3]), [2, 3]);
  t.deepEqual(broadcastShapes([2, 1, 5], [7, 1]), [2, 7, 5]);
  t.deepEqual(broadcastShapes([0], [1]), [0]);
  t.is(broadcastShapes([3, 4], [5]), undefined);
});

test("broadcastOrThrow names both shapes when they do not broadcast", (t) => {
  t.deepEqual(broadcastOrThrow([1, 3], [2, 1]), [2, 3]);
  t.throws(() => broadcastOrThrow([2, 3], [4]), { instanceOf: RangeError, message: "shapes [2, 3] and [4] do not broadcast" });
});

test("elementCount, sameShape and strides are the row-major shape arithmetic", (t) => {
  t.is(elementCount([]), 1);
  t.is(elementCount([2, 3, 4]), 24);
  t.is(elementCount([2, 0]), 0);
  t.true(sameShape([2, 3], [2, 3]));
  t.false(sameShape([2, 3], [3, 2]));
  t.false(sameShape([2], [2, 1]));
  t.deepEqual(strides([2, 3, 4]), [12, 4, 1]);
  t.deepEqual(strides([]), []);
});
