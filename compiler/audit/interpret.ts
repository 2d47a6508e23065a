// The audit's abstract interpreter: runs a CheckedProgram on abstract values (absval.ts)
// instead of numbers and records every `reveal` with the abstract value revealed.
//
// Loops: unrolled exactly while the affine budget allows (a 10-epoch training loop is 10
// symbolic passes); past that, the remaining iterations run on dependence sets only, and a
// loop whose body does not read its counter stops as soon as its carried values' dependence
// sets repeat (the body is then a fixed function of them, so the rest would repeat too).
// A very long loop that reads its counter is closed by a join fixpoint with the counter
// unknown. Public `if`s whose condition is a compile-time value take one branch; otherwise
// both run and their results are joined. Never evaluates anything secret: it has no data.

import type { Span } from "../../grammar/ast.js";
import type { Binding, CheckedProgram, TExpr, TStmt } from "../check/typed.js";
import type { Visibility } from "../../runtime/plan/visibility.js";
import { type AbsElem, constant, isConst, UNKNOWN_PUBLIC, variable, VarSpace } from "./absval.js";
import { Algebra, type LimitNote, type Limits } from "./algebra.js";
import * as D from "./depset.js";
import { Rat } from "./rational.js";
import { type AbsTensor, applyOp, filled, numel } from "./tensor-ops.js";

export interface RevealEvent {
  /** Position in execution order. */
  index: number;
  name: string;
  to: string[];
  span: Span;
  /** Visibility of the value before the reveal. */
  vis: Visibility;
  elem: "fixed" | "int" | "bool";
  shape: number[];
  value: AbsTensor;
  /** Enclosing loop iterations (outermost first) for a reveal inside an unrolled loop. */
  iterations: { loop: Span; counter: number }[];
  /** Further executions of this reveal with the same dependence (loop stopped early). */
  repeats: number;
  /** This event stands for every iteration of a loop closed by a join fixpoint. */
  summarisesLoop: boolean;
  /** Inside an `if` whose condition the audit could not decide. */
  conditional: boolean;
}

export interface LoopFact {
  span: Span;
  counter: string;
  from: number;
  to: number;
  /** Iterations analysed exactly (affine + atoms); the rest by dependence only. */
  exactIterations: number;
  /** How the rest was analysed. */
  rest: "none" | "unrolled" | "stopped-at-fixpoint" | "join-fixpoint";
}

export interface BranchFact {
  span: Span;
  taken: "then" | "else" | "both";
}

export interface Interpretation {
  program: CheckedProgram;
  space: VarSpace;
  reveals: RevealEvent[];
  loops: LoopFact[];
  branches: BranchFact[];
  limits: LimitNote[];
}

/** Iterations above which a dependence-only loop that reads its counter is closed by a join. */
const JOIN_AFTER = 256;

export function interpret(program: CheckedProgram, limits: Limits = {}): Interpretation {
  const space = new VarSpace(program.inputs);
  const startSpan = program.inputs[0]?.span ?? { file: program.file, line: 1, col: 1, offset: 0, length: 0 };
  const it = new Interpreter(program, space, new Algebra(space, startSpan, limits));
  it.block(program.body);
  return { program, space, reveals: it.reveals, loops: it.loops, branches: it.branches, limits: it.alg.limits };
}

class Interpreter {
  env = new Map<number, AbsTensor>();
  readonly reveals: RevealEvent[] = [];
  readonly loops: LoopFact[] = [];
  readonly branches: BranchFact[] = [];
  private iterations: { loop: Span; counter: number }[] = [];
  private conditional = 0;
  /** Set while closing a loop by a join fixpoint: reveals are joined per statement. */
  private joined: Map<TStmt, RevealEvent> | undefined;

  constructor(
    readonly program: CheckedProgram,
    readonly space: VarSpace,
    readonly alg: Algebra,
  ) {}

  block(stmts: readonly TStmt[]): void {
    for (const s of stmts) this.stmt(s);
  }

  stmt(s: TStmt): void {
    switch (s.k) {
      case "let":
      case "assign":
        this.env.set(s.binding.id, this.expr(s.value));
        return;
      case "reveal":
        return this.reveal(s);
      case "if":
        return this.ifStmt(s);
      case "for":
        return this.forStmt(s);
    }
  }

  expr(e: TExpr): AbsTensor {
    switch (e.k) {
      case "const": {
        const v = typeof e.value === "boolean" ? (e.value ? 1 : 0) : e.value;
        return filled(e.type.shape, constant(Rat.fromNumber(v)));
      }
      case "input": {
        const inp = this.space.inputByName(e.input.party, e.input.name);
        if (!inp) throw new Error(`internal: input ${e.input.party}.${e.input.name} is not declared`);
        return { shape: [...e.input.shape], el: Array.from({ length: inp.size }, (_, k) => variable(inp.base + k)) };
      }
      case "ref": {
        const v = this.env.get(e.binding.id);
        if (!v) throw new Error(`internal: \`${e.binding.name}\` is read before it has a value`);
        return v;
      }
      case "op": {
        const args = e.args.map((a) => this.expr(a));
        this.alg.span = e.span;
        return applyOp(this.alg, {
          op: e.op,
          args,
          attrs: e.attrs,
          shape: e.type.shape,
          elem: e.type.elem,
          argElems: e.args.map((a) => a.type.elem),
        });
      }
      case "grad": {
        // d loss / d w depends on whatever the loss depends on (w's current value included).
        const loss = this.expr(e.loss);
        this.alg.span = e.span;
        const n = numel(e.type.shape);
        return { shape: [...e.type.shape], el: Array.from({ length: n }, () => this.alg.nonlinear("grad", loss.el, {})) };
      }
    }
  }

  private reveal(s: Extract<TStmt, { k: "reveal" }>): void {
    const value = this.expr(s.value);
    const prev = this.joined?.get(s);
    if (prev) {
      prev.value = joinTensors(this.alg, prev.value, value);
      return;
    }
    const ev: RevealEvent = {
      index: this.reveals.length,
      name: s.name,
      to: [...s.to],
      span: s.span,
      vis: s.value.type.vis,
      elem: s.value.type.elem,
      shape: [...s.value.type.shape],
      value,
      iterations: [...this.iterations],
      repeats: 0,
      summarisesLoop: this.joined !== undefined,
      conditional: this.conditional > 0,
    };
    this.reveals.push(ev);
    this.joined?.set(s, ev);
  }

  private ifStmt(s: Extract<TStmt, { k: "if" }>): void {
    const c = this.expr(s.cond).el[0] ?? UNKNOWN_PUBLIC;
    if (isConst(c)) {
      this.branches.push({ span: s.span, taken: c.c.isZero() ? "else" : "then" });
      this.block(c.c.isZero() ? s.else : s.then);
      return;
    }
    this.branches.push({ span: s.span, taken: "both" });
    const before = new Map(this.env);
    this.conditional++;
    this.block(s.then);
    const afterThen = this.env;
    this.env = new Map(before);
    this.block(s.else);
    this.conditional--;
    for (const [id, v] of afterThen) {
      const w = this.env.get(id);
      if (w !== v) this.env.set(id, w ? joinTensors(this.alg, v, w) : v);
    }
  }

  private forStmt(s: Extract<TStmt, { k: "for" }>): void {
    const n = Math.max(0, s.to - s.from);
    const fact: LoopFact = { span: s.span, counter: s.binding.name, from: s.from, to: s.to, exactIterations: 0, rest: "none" };
    this.loops.push(fact);
    let i = 0;
    const run = (counter: AbsElem, label: number): void => {
      this.env.set(s.binding.id, filled([], counter));
      this.iterations.push({ loop: s.span, counter: label });
      this.block(s.body);
      this.iterations.pop();
    };
    // Exact iterations while the budget allows all of them.
    while (i < n && !this.alg.coarse) {
      const before = this.alg.work;
      run(constant(Rat.int(s.from + i)), s.from + i);
      i++;
      const cost = this.alg.work - before;
      if (this.alg.coarse) break;
      if (i < n && cost * (n - i) > this.alg.remainingWork / 2) {
        this.alg.limits.push({
          span: s.span,
          reason: `analysing all ${n} iterations exactly would exceed the affine budget; iterations ${s.from + i}..${s.to - 1} are analysed by dependence only`,
        });
        break;
      }
    }
    fact.exactIterations = i;
    if (i >= n) return;
    const saved = this.alg.depOnly;
    this.alg.depOnly = true;
    const carried = assignedIn(s.body);
    const readsCounter = mentions(s.body, s.binding);
    fact.rest = "unrolled";
    let prev = this.snapshot(carried);
    while (i < n) {
      if (readsCounter && n - i > JOIN_AFTER) {
        this.joinFixpoint(s, carried, run);
        fact.rest = "join-fixpoint";
        break;
      }
      const mark = this.reveals.length;
      run(constant(Rat.int(s.from + i)), s.from + i);
      i++;
      if (readsCounter) continue;
      const cur = this.snapshot(carried);
      if (sameSnapshot(prev, cur) && i < n) {
        for (let r = mark; r < this.reveals.length; r++) this.reveals[r]!.repeats = n - i;
        fact.rest = "stopped-at-fixpoint";
        break;
      }
      prev = cur;
    }
    this.alg.depOnly = saved;
  }

  /** Close a loop by iterating state := state ⊔ body(state) with the counter unknown. */
  private joinFixpoint(s: Extract<TStmt, { k: "for" }>, carried: Set<number>, run: (c: AbsElem, label: number) => void): void {
    const outer = this.joined;
    this.joined = new Map();
    let prev = this.snapshot(carried);
    for (let round = 0; ; round++) {
      const before = new Map(this.env);
      run(UNKNOWN_PUBLIC, s.from);
      for (const id of carried) {
        const a = before.get(id);
        const b = this.env.get(id);
        if (a && b) this.env.set(id, joinTensors(this.alg, a, b));
      }
      const cur = this.snapshot(carried);
      if (sameSnapshot(prev, cur)) break;
      prev = cur;
      if (round > 4 * JOIN_AFTER) {
        // Safety net: everything carried depends on everything it could have touched.
        for (const id of carried) {
          const v = this.env.get(id)!;
          const all = D.unionAll(v.el.map((e) => this.alg.deps(e)));
          this.env.set(id, filled(v.shape, this.alg.opaque(all)));
        }
        break;
      }
    }
    this.joined = outer;
  }

  private snapshot(ids: Set<number>): Map<number, AbsTensor | undefined> {
    return new Map([...ids].map((id) => [id, this.env.get(id)]));
  }
}

function sameElem(a: AbsElem, b: AbsElem): boolean {
  if (a === b) return true;
  if (isConst(a) && isConst(b)) return a.c.equals(b.c);
  if (a.k === "opq" && b.k === "opq") return D.equals(a.deps, b.deps);
  if (a.k === "aff" && b.k === "aff") {
    return a.c.equals(b.c) && a.vars.length === b.vars.length && a.vars.every((v, i) => v === b.vars[i] && a.coefs[i]!.equals(b.coefs[i]!));
  }
  return false;
}

function sameSnapshot(a: Map<number, AbsTensor | undefined>, b: Map<number, AbsTensor | undefined>): boolean {
  for (const [id, x] of a) {
    const y = b.get(id);
    if (x === y) continue;
    if (!x || !y || x.el.length !== y.el.length) return false;
    for (let k = 0; k < x.el.length; k++) {
      const p = x.el[k]!;
      const q = y.el[k]!;
      if (p === q) continue;
      if (isConst(p) && isConst(q) && p.c.equals(q.c)) continue;
      if (p.k === "opq" && q.k === "opq" && D.equals(p.deps, q.deps)) continue;
      return false;
    }
  }
  return true;
}

/** The value is one of a, b: keep what they agree on, else dependence on either. */
function joinTensors(alg: Algebra, a: AbsTensor, b: AbsTensor): AbsTensor {
  if (a === b) return a;
  return {
    shape: a.shape,
    el: a.el.map((x, k) => {
      const y = b.el[k]!;
      return sameElem(x, y) ? x : alg.opaque(D.union(alg.deps(x), alg.deps(y)));
    }),
  };
}

/** Bindings assigned anywhere in a block (loop-carried candidates). */
function assignedIn(stmts: readonly TStmt[], out = new Set<number>()): Set<number> {
  for (const s of stmts) {
    if (s.k === "assign") out.add(s.binding.id);
    else if (s.k === "for") assignedIn(s.body, out);
    else if (s.k === "if") {
      assignedIn(s.then, out);
      assignedIn(s.else, out);
    }
  }
  return out;
}

function exprMentions(e: TExpr, b: Binding): boolean {
  switch (e.k) {
    case "ref":
      return e.binding.id === b.id;
    case "op":
      return e.args.some((a) => exprMentions(a, b));
    case "grad":
      return exprMentions(e.loss, b);
    default:
      return false;
  }
}

function mentions(stmts: readonly TStmt[], b: Binding): boolean {
  return stmts.some((s) => {
    switch (s.k) {
      case "let":
      case "assign":
      case "reveal":
        return exprMentions(s.value, b);
      case "if":
        return exprMentions(s.cond, b) || mentions(s.then, b) || mentions(s.else, b);
      case "for":
        return mentions(s.body, b);
    }
  });
}
