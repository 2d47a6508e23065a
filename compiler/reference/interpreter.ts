// The plaintext reference interpreter: a checked program evaluated in the clear, in float64,
// with the same semantics as the secure run (statements in program order, loops unrolled at
// run time, public `if`s, `var`s reassigned, every reveal recorded in order). It is the oracle
// every secure-vs-plaintext test compares against, and what `mpc run --plaintext` runs.
// It must never approximate: every op is runtime/clear's exact float64 kernel. `grad` arrives
// already expanded by the front end's autodiff; a grad node that is still present is refused.

import { UserError } from "../../grammar/diagnostic.js";
import { type ClearTensor, evalClearOp, showShape } from "../../runtime/clear/index.js";
import type { CheckedProgram, TExpr, TStmt } from "../check/typed.js";

export interface PlaintextOutput {
  name: string;
  /** Receiving parties, as the reveal lists them. */
  to: string[];
  value: ClearTensor;
}

export interface PlaintextResult {
  outputs: PlaintextOutput[];
}

export interface PlaintextOptions {
  /** Called after each iteration of a top-level loop; `loop` reads "at line N". */
  onProgress?: (p: { loop: string; iteration: number; total: number }) => void;
}

const sameShape = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((d, i) => d === b[i]);

/** Run `program` on `inputs` (keyed "party.input"). Missing inputs and inputs of the wrong
 *  shape are UserErrors; a shape disagreement between the checker and a kernel is a bug. */
export function runPlaintext(program: CheckedProgram, inputs: Map<string, ClearTensor>, options: PlaintextOptions = {}): PlaintextResult {
  const missing = program.inputs.filter((i) => !inputs.has(`${i.party}.${i.name}`)).map((i) => `${i.party}.${i.name}`);
  if (missing.length > 0) throw new UserError(`no data for input${missing.length === 1 ? "" : "s"} ${missing.join(", ")}`);
  for (const i of program.inputs) {
    const t = inputs.get(`${i.party}.${i.name}`)!;
    if (!sameShape(t.shape, i.shape)) {
      throw new UserError(`input ${i.party}.${i.name} has shape ${showShape(t.shape)}, but the program declares ${showShape(i.shape)}`);
    }
  }
  const env = new Map<number, ClearTensor>();
  const outputs: PlaintextOutput[] = [];

  const evalExpr = (e: TExpr): ClearTensor => {
    let v: ClearTensor;
    switch (e.k) {
      case "const": {
        const x = typeof e.value === "boolean" ? (e.value ? 1 : 0) : e.value;
        v = { data: new Float64Array(e.type.shape.reduce((a, b) => a * b, 1)).fill(x), shape: [...e.type.shape] };
        break;
      }
      case "input":
        v = inputs.get(`${e.input.party}.${e.input.name}`)!;
        break;
      case "ref": {
        const b = env.get(e.binding.id);
        if (b === undefined) throw new Error(`internal: ${e.binding.name} (#${e.binding.id}) read before it was assigned`);
        v = b;
        break;
      }
      case "op":
        v = evalClearOp(e.op, e.args.map(evalExpr), e.attrs);
        break;
      case "grad":
        throw new UserError(
          `${e.span.file}:${e.span.line}:${e.span.col}: grad(…) is not yet supported by the plaintext reference (--plaintext); write the gradient out by hand for now`,
        );
    }
    if (!sameShape(v.shape, e.type.shape)) {
      throw new Error(`internal: ${e.k === "op" ? e.op : e.k} at ${e.span.line}:${e.span.col} gave shape ${showShape(v.shape)}, the checker said ${showShape(e.type.shape)}`);
    }
    return v;
  };

  const exec = (stmts: readonly TStmt[], top: boolean): void => {
    for (const s of stmts) {
      switch (s.k) {
        case "let":
        case "assign":
          env.set(s.binding.id, evalExpr(s.value));
          break;
        case "for":
          for (let i = s.from; i < s.to; i++) {
            env.set(s.binding.id, { data: Float64Array.of(i), shape: [] });
            exec(s.body, false);
            if (top) options.onProgress?.({ loop: `at line ${s.span.line}`, iteration: i - s.from + 1, total: s.to - s.from });
          }
          break;
        case "if": {
          const c = evalExpr(s.cond);
          exec(c.data[0] !== 0 ? s.then : s.else, top);
          break;
        }
        case "reveal":
          outputs.push({ name: s.name, to: [...s.to], value: evalExpr(s.value) });
          break;
      }
    }
  };

  exec(program.body, true);
  return { outputs };
}
