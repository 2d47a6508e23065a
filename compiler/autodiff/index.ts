// Reverse-mode automatic differentiation as a source-level transform of the checked program:
// `differentiate(program)` returns the program with every `grad(loss, w)` replaced by the
// typed expression of d loss / d w, built only from ops of runtime/plan/ops.ts, plus the `let`
// bindings that name the forward values and adjoints it shares (see reverse.ts). Everything
// after the checker (plaintext reference, IR, lowering, audit) sees an ordinary program.
//
// Semantics (also in the diagnostics catalogue, codes.ts):
// - `w` is a let, var or fn parameter of fixed type (the checker's rule); the result has
//   w's shape. The derivative follows `let` bindings (and inlined fn parameters) back to the
//   current value of `w`; values that do not depend on it are constants.
// - Loops: `w` is its value in the current iteration; derivatives never flow back through
//   loop iterations (a value carried in a var from an earlier iteration is a constant).
// - A `var` other than `w` between `w` and the loss is an error (E1101: a var keeps only its
//   latest value). A value computed from an earlier value of `w` (before its last
//   assignment) is a constant, with a warning (W1100/W1101) unless it is a plain copy
//   `let w0 = w`. A loss that does not depend on `w` gives zeros and a warning.
// - Not differentiable (E1100, at the op): comparisons whose bool becomes a number again,
//   sign, argmax, conversions to int. select's condition is not differentiated.
// - Subgradients: relu'(0) = abs'(0) = 0, clip has slope 1 on its closed range, max/min (and
//   max_pool2d) split the gradient evenly between tied maxima (as JAX).
// - Fused forms (cheaper under MPC: no secure log or reciprocal, and stable): bce of a
//   sigmoid (d/dz = (sigmoid(z) - y) / n, the derivative of the unclipped loss: bce clips p
//   to [1e-7, 1 - 1e-7], which differs only for |z| > 16), cross_entropy (d/dlogits =
//   (softmax * sum(labels) - labels) / rows), log of softmax / sigmoid / 1 - sigmoid.
// - Layers: conv2d w.r.t. input and weights (any stride, padding, rectangular kernels),
//   avg_pool2d, max_pool2d, batchnorm (every operand).
// - Higher order: a grad inside a loss is expanded first, so grad of grad works.
//
// The walk keeps flow.ts's dependency state in program order; a loop's body is first analysed
// to a fixpoint (what its vars can carry in from earlier iterations), then emitted.
//
// Must never: change a program that has no `grad` (it is returned as is), or leave a `grad`.

import type { Diagnostic } from "../../grammar/diagnostic.js";
import type { Binding, CheckedProgram, TExpr, TStmt } from "../check/typed.js";
import { assignedIn, Flow, type Token } from "./flow.js";
import { expandGrad, type GradExpr, type Session } from "./reverse.js";

export { AUTODIFF_CATALOGUE, AUTODIFF_ENTRIES } from "./codes.js";

export interface AutodiffResult {
  /** Present when there are no errors. */
  program?: CheckedProgram;
  diagnostics: Diagnostic[];
}

export function differentiate(program: CheckedProgram): AutodiffResult {
  if (!program.body.some(stmtHasGrad)) return { program, diagnostics: [] };
  let nextId = maxBindingId(program.body) + 1;
  const session: Session = {
    flow: new Flow(wrtBindings(program.body)),
    newBinding: (name, type, span): Binding => ({ id: nextId++, name, kind: "let", type, span }),
    beforeLet: new Map(),
    subst: new Map(),
    fwd: new Map(),
    snapshots: new Map(),
    nextLossCtx: -1,
    diagnostics: [],
  };
  const w = new Walker(session);
  const body = w.finish(w.block(program.body, true)!);
  const diagnostics = session.diagnostics;
  if (diagnostics.some((d) => d.severity === "error")) return { diagnostics };
  return { program: { ...program, body }, diagnostics };
}

class Walker {
  constructor(private readonly s: Session) {}

  /** Walk a block: emit it (`emit`), or only update the dependency state. */
  block(list: readonly TStmt[], emit: boolean): TStmt[] | undefined {
    const out: TStmt[] | undefined = emit ? [] : undefined;
    for (const st of list) this.stmt(st, out);
    return out;
  }

  private stmt(st: TStmt, out: TStmt[] | undefined): void {
    const flow = this.s.flow;
    switch (st.k) {
      case "let":
      case "assign": {
        const pre: TStmt[] = [];
        const value = out ? this.expr(st.value, pre) : st.value;
        if (st.k === "let") flow.bind(st.binding, value, flow.snapshot(), st.value);
        else flow.assign(st.binding, flow.depsOf(st.value));
        out?.push(...pre, value === st.value ? st : { ...st, value });
        return;
      }
      case "reveal": {
        if (!out) return;
        const pre: TStmt[] = [];
        const value = this.expr(st.value, pre);
        out.push(...pre, value === st.value ? st : { ...st, value });
        return;
      }
      case "if": {
        const pre: TStmt[] = [];
        const cond = out ? this.expr(st.cond, pre) : st.cond;
        const before = flow.snapshot();
        const then = this.block(st.then, !!out);
        const afterThen = flow.snapshot();
        flow.vars = new Map(before);
        const els = this.block(st.else, !!out);
        const afterElse = flow.vars;
        // After the if a var assigned in either branch holds one of the two branches' values.
        flow.vars = new Map(before);
        for (const b of assignedIn([...st.then, ...st.else]).values()) {
          const t = afterThen.get(b.id);
          const e = afterElse.get(b.id);
          if (!t || !e) continue;
          flow.vars.set(b.id, { tok: flow.fresh(b), deps: new Set([...flow.stateTokens(b, t), ...flow.stateTokens(b, e)]) });
        }
        out?.push(...pre, { ...st, cond, then: then!, else: els! });
        return;
      }
      case "for": {
        const n = st.to - st.from;
        const before = flow.snapshot();
        const assigned = [...assignedIn(st.body).values()].filter((b) => before.has(b.id));
        if (n >= 2) {
          // What the vars carry in from earlier iterations: only values that existed before
          // the loop (tokens made in the body are an earlier iteration's, constants here).
          const carried = new Map<number, Set<Token>>(assigned.map((b) => [b.id, new Set<Token>()]));
          const enter = (): void => {
            flow.vars = new Map(before);
            for (const b of assigned) {
              const p = before.get(b.id)!;
              flow.vars.set(b.id, { tok: flow.fresh(b), deps: new Set([...flow.stateTokens(b, p), ...carried.get(b.id)!]) });
            }
          };
          for (;;) {
            const mark = flow.mark();
            enter();
            this.block(st.body, false);
            let grew = false;
            for (const b of assigned) {
              const end = flow.vars.get(b.id)!;
              const c = carried.get(b.id)!;
              for (const t of flow.stateTokens(b, end)) {
                if (t < mark && !c.has(t)) {
                  c.add(t);
                  grew = true;
                }
              }
            }
            if (!grew) break;
          }
          enter();
        } else flow.vars = new Map(before);
        const body = this.block(st.body, !!out);
        // A loop that never runs leaves its vars as they were (its body is still emitted).
        if (n <= 0) flow.vars = before;
        out?.push({ ...st, body: body! });
        return;
      }
    }
  }

  /** Expand the grads in `e`, innermost first; lets they need go to `pre`. */
  private expr(e: TExpr, pre: TStmt[]): TExpr {
    switch (e.k) {
      case "const":
      case "input":
      case "ref":
        return e;
      case "op": {
        let changed = false;
        const args = e.args.map((a) => {
          const x = this.expr(a, pre);
          if (x !== a) changed = true;
          return x;
        });
        return changed ? { ...e, args } : e;
      }
      case "grad": {
        const loss = this.expr(e.loss, pre);
        const g: GradExpr = loss === e.loss ? e : { ...e, loss };
        return expandGrad(this.s, g, pre);
      }
    }
  }

  /** Put the forward lets the expansions asked for before their lets, and rewrite those lets'
   *  values to read them. */
  finish(list: readonly TStmt[]): TStmt[] {
    const out: TStmt[] = [];
    const letStmt = (st: Extract<TStmt, { k: "let" }>): void => {
      for (const b of this.s.beforeLet.get(st.binding.id) ?? []) {
        if (b.k === "let") letStmt(b);
        else out.push(b);
      }
      const sub = this.s.subst.get(st.binding.id);
      out.push(sub ? { ...st, value: substitute(st.value, sub) } : st);
    };
    for (const st of list) {
      if (st.k === "let") letStmt(st);
      else if (st.k === "for") out.push({ ...st, body: this.finish(st.body) });
      else if (st.k === "if") out.push({ ...st, then: this.finish(st.then), else: this.finish(st.else) });
      else out.push(st);
    }
    return out;
  }
}

function substitute(e: TExpr, sub: ReadonlyMap<TExpr, TExpr>): TExpr {
  const r = sub.get(e);
  if (r) return r;
  if (e.k !== "op") return e;
  let changed = false;
  const args = e.args.map((a) => {
    const x = substitute(a, sub);
    if (x !== a) changed = true;
    return x;
  });
  return changed ? { ...e, args } : e;
}

function exprHasGrad(e: TExpr): boolean {
  return e.k === "grad" || (e.k === "op" && e.args.some(exprHasGrad));
}

function stmtHasGrad(s: TStmt): boolean {
  switch (s.k) {
    case "let":
    case "assign":
    case "reveal":
      return exprHasGrad(s.value);
    case "if":
      return exprHasGrad(s.cond) || s.then.some(stmtHasGrad) || s.else.some(stmtHasGrad);
    case "for":
      return s.body.some(stmtHasGrad);
  }
}

/** The ids of the bindings some grad differentiates with respect to. */
function wrtBindings(list: readonly TStmt[]): Set<number> {
  const out = new Set<number>();
  const expr = (e: TExpr): void => {
    if (e.k === "op") e.args.forEach(expr);
    else if (e.k === "grad") {
      out.add(e.wrt.id);
      expr(e.loss);
    }
  };
  for (const s of list) {
    if (s.k === "let" || s.k === "assign" || s.k === "reveal") expr(s.value);
    else if (s.k === "if") {
      expr(s.cond);
      wrtBindings(s.then).forEach((id) => out.add(id));
      wrtBindings(s.else).forEach((id) => out.add(id));
    } else if (s.k === "for") wrtBindings(s.body).forEach((id) => out.add(id));
  }
  return out;
}

function maxBindingId(list: readonly TStmt[]): number {
  let max = -1;
  const see = (b: Binding): void => {
    if (b.id > max) max = b.id;
  };
  const expr = (e: TExpr): void => {
    if (e.k === "ref") see(e.binding);
    else if (e.k === "op") e.args.forEach(expr);
    else if (e.k === "grad") {
      see(e.wrt);
      expr(e.loss);
    }
  };
  const walk = (ss: readonly TStmt[]): void => {
    for (const s of ss) {
      switch (s.k) {
        case "let":
        case "assign":
          see(s.binding);
          expr(s.value);
          break;
        case "reveal":
          expr(s.value);
          break;
        case "if":
          expr(s.cond);
          walk(s.then);
          walk(s.else);
          break;
        case "for":
          see(s.binding);
          walk(s.body);
          break;
      }
    }
  };
  walk(list);
  return max;
}


