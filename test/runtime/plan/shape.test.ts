import test from "ava";
import { broadcastOrThrow, broadcastShapes } from "../../../runtime/plan/shape.js";

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
