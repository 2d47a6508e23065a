// Test helpers for autodiff: compile a program (the front end expands grad), run it with the
// plaintext reference, and check a gradient against central finite differences of the loss
// computed by the same reference.

import type { ExecutionContext } from "ava";
import type { CheckedProgram, TExpr, TStmt } from "../../../compiler/check/typed.js";
import { checkSource } from "../../../compiler/frontend.js";
import { runPlaintext } from "../../../compiler/reference/index.js";
import { renderDiagnostics } from "../../../grammar/diagnostic.js";
import { type ClearTensor, clearTensor } from "../../../runtime/clear/index.js";

export const FILE = "t.mpc";

/** Compile `src`; throws with the rendered diagnostics on any error (warnings are returned). */
export function compile(src: string): { program: CheckedProgram; warnings: string[] } {
  const r = checkSource(src, FILE);
  if (!r.program) throw new Error(`expected the program to compile:\n${renderDiagnostics(r.diagnostics, src)}`);
  return { program: r.program, warnings: r.diagnostics.map((d) => `${d.code}: ${d.message}`) };
}

export function run(p: CheckedProgram, inputs: Map<string, ClearTensor>): Map<string, ClearTensor> {
  return new Map(runPlaintext(p, inputs).outputs.map((o) => [o.name, o.value]));
}

/** A small deterministic generator (tests must be reproducible; nothing secret here). */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function uniform(r: () => number, shape: number[], lo = -1, hi = 1): ClearTensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return clearTensor(
    Array.from({ length: n }, () => lo + (hi - lo) * r()),
    shape,
  );
}

/** Central differences: h = 1e-5; in float64 the truncation error is ~1e-10 and rounding
 *  ~1e-11 for values of order 1, so |analytic - numeric| <= 1e-6 + 1e-5 * |numeric| is a
 *  tight relative tolerance of 1e-5. */
export const H = 1e-5;
export const RTOL = 1e-5;
export const ATOL = 1e-6;

/** Check output `grad` (the program's gradient w.r.t. the let bound to input `input`)
 *  against finite differences of output `loss` in each element of that input. */
export function checkGradient(t: ExecutionContext, p: CheckedProgram, inputs: Map<string, ClearTensor>, input: string, grad: string, loss = "loss"): void {
  const out = run(p, inputs);
  const g = out.get(grad);
  const base = inputs.get(input)!;
  if (!g) throw new Error(`no output ${grad}`);
  t.deepEqual(g.shape, base.shape, `${grad} has the shape of ${input}`);
  const bad: string[] = [];
  for (let k = 0; k < base.data.length; k++) {
    const at = (d: number): number => {
      const data = Float64Array.from(base.data);
      data[k] = data[k]! + d;
      const m = new Map(inputs);
      m.set(input, { data, shape: base.shape });
      return run(p, m).get(loss)!.data[0]!;
    };
    const fd = (at(H) - at(-H)) / (2 * H);
    const an = g.data[k]!;
    if (!(Math.abs(an - fd) <= ATOL + RTOL * Math.abs(fd))) bad.push(`[${k}] analytic ${an} vs numeric ${fd}`);
  }
  t.deepEqual(bad, [], `${grad} matches finite differences`);
}

// ---------------------------------------------------------------- program inspection

export function* statements(stmts: readonly TStmt[]): Generator<TStmt> {
  for (const s of stmts) {
    yield s;
    if (s.k === "for") yield* statements(s.body);
    if (s.k === "if") {
      yield* statements(s.then);
      yield* statements(s.else);
    }
  }
}

export function* expressions(p: CheckedProgram): Generator<TExpr> {
  const walk = function* (e: TExpr): Generator<TExpr> {
    yield e;
    if (e.k === "op") for (const a of e.args) yield* walk(a);
    if (e.k === "grad") yield* walk(e.loss);
  };
  for (const s of statements(p.body)) {
    if (s.k === "let" || s.k === "assign" || s.k === "reveal") yield* walk(s.value);
    if (s.k === "if") yield* walk(s.cond);
  }
}

/** How many op nodes of each name the program has. */
export function opCounts(p: CheckedProgram): Map<string, number> {
  const m = new Map<string, number>();
  for (const e of expressions(p)) if (e.k === "op") m.set(e.op, (m.get(e.op) ?? 0) + 1);
  return m;
}
