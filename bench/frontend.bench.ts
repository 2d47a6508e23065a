// Front-end speed: parse and check a generated 10,000-line program (lets, fn calls that are
// inlined, reductions, matmuls, loops, ifs, and a var whose visibility fixpoint needs a
// second checker pass). Reports lines per second for each phase; the target is well under a
// second for the whole front end.

import { check } from "../compiler/check/index.js";
import { parse } from "../grammar/index.js";
import { measure, table } from "./harness.js";

/** A valid program of about `lines` lines. */
export function generateProgram(lines: number): string {
  const head = [
    "program big",
    "party a, b",
    "input a.x : fixed[64, 16]",
    "input b.y : fixed[64, 16]",
    "const lr = 0.1",
    "fn f(u, v) {",
    "  let s = u * v + 1",
    "  return sigmoid(s)",
    "}",
    "var w = zeros(16, 1)",
  ];
  const out = [...head];
  for (let i = 0; out.length < lines; i++) {
    out.push(
      `let t${i} = x + y * 0.5`,
      `let u${i} = f(t${i}, x)`,
      `let m${i} = mean(u${i}, axis = 0, keepdims = true)`,
      `w = w + transpose(u${i} - m${i}) @ ones(64, 1) * 0.01`,
      `for e${i} in 0..3 {`,
      `  let p${i} = sigmoid(x @ w)`,
      `  w = w - lr * transpose(x) @ (p${i} - y[:, 0:1])`,
      `}`,
      `if lr > 0 { let q${i} = w[0:4] }`,
      `// block ${i}`,
    );
  }
  out.push("reveal w to a, b");
  return out.join("\n") + "\n";
}

export default async function bench(): Promise<void> {
  const src = generateProgram(10_000);
  const lines = src.split("\n").length - 1;
  const parsed = parse(src, "big.mpc");
  if (!parsed.program || parsed.diagnostics.length) throw new Error("generated program does not parse");
  const program = parsed.program;
  const checked = check(program, src);
  if (!checked.program) throw new Error(`generated program does not check: ${checked.diagnostics[0]?.message}`);

  const tParse = await measure(() => parse(src, "big.mpc"), 5, 1);
  const tCheck = await measure(() => check(program, src), 5, 1);
  const tBoth = await measure(() => check(parse(src, "big.mpc").program!, src), 5, 1);
  const rate = (ms: number): number => lines / (ms / 1000);
  table(`front end on a generated ${lines}-line program (median of 5)`, ["phase", "ms", "lines/s"], [
    ["parse", tParse.medianMs, rate(tParse.medianMs)],
    ["check", tCheck.medianMs, rate(tCheck.medianMs)],
    ["parse + check", tBoth.medianMs, rate(tBoth.medianMs)],
  ]);
}
