import test from "ava";
import { joinVisibility, PUBLIC, SECRET, privateTo, showVisibility } from "../../runtime/plan/visibility.js";

test("public is the bottom of the visibility lattice", (t) => {
  t.deepEqual(joinVisibility(PUBLIC, privateTo("a")), privateTo("a"));
  t.deepEqual(joinVisibility(privateTo("a"), PUBLIC), privateTo("a"));
  t.deepEqual(joinVisibility(PUBLIC, PUBLIC), PUBLIC);
});

test("private(P) join private(Q) is secret for P != Q, private(P) for P == Q", (t) => {
  t.deepEqual(joinVisibility(privateTo("a"), privateTo("b")), SECRET);
  t.deepEqual(joinVisibility(privateTo("a"), privateTo("a")), privateTo("a"));
  t.is(showVisibility(joinVisibility(SECRET, PUBLIC)), "secret");
});
