// The summary `mpc check` prints for a valid program: inputs with owner and visibility, and
// reveals with receivers, the visibility the value had, repetitions in loops, and which
// receivers already held the value (for whom the reveal costs nothing).

import test from "ava";
import { renderSummary, summarize } from "../../../compiler/check/summary.js";
import { ok } from "./helpers.js";

const SRC = `program s precision 20
party a, b, c
input a.x : fixed[3]
input b.y : int
let own = x * 2
reveal own to a, b
reveal 1 + 2 as three to all
for i in 0..4 {
  for j in 0..5 { reveal x + y as mixed to c }
}
`;

test("the summary lists inputs, and reveals with their cost for each receiver", (t) => {
  const s = summarize(ok(SRC));
  t.is(s.precision, 20);
  t.deepEqual(s.inputs, [
    { party: "a", name: "x", type: "fixed[3]", visibility: "private(a)" },
    { party: "b", name: "y", type: "int", visibility: "private(b)" },
  ]);
  t.deepEqual(
    s.reveals.map((r) => [r.name, r.visibility, r.to, r.free, r.times]),
    [
      ["own", "private(a)", ["a", "b"], ["a"], 1],
      ["three", "public", ["a", "b", "c"], ["a", "b", "c"], 1],
      ["mixed", "secret", ["c"], [], 20],
    ],
  );
  t.is(
    renderSummary(s),
    [
      "t.mpc: program `s` is well-formed (fixed point with 20 fractional bits)",
      "  parties: a, b, c",
      "  inputs:",
      "    a.x  fixed[3]  private(a)",
      "    b.y  int       private(b)",
      "  reveals:",
      "    own: fixed[3], private(a) -> a, b; costs nothing for a, who already holds it",
      "    three: int, public -> a, b, c; costs nothing: the receivers already hold it",
      "    mixed: fixed[3], secret -> c (20 times, in a loop)",
    ].join("\n"),
  );
});
