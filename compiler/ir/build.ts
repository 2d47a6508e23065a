// Builds the program graph from the checked program. Values become SSA-style nodes: a `let`
// names a node, an assignment to a `var` rebinds it. A `for` becomes one loop node whose
// children are the body (never unrolled); the vars assigned in the body become explicit
// loop-carried params. An `if` whose condition is known at compile time keeps one branch; any
// other (public, run-time) condition merges the vars its branches assign with `select`.
// A reveal inside a loop runs once per iteration (an output node in the loop body: each
// receiver gets every iteration's value). Unsupported constructs (grad, a reveal under a
// run-time condition, which may or may not run) are diagnostics at
// their span, never a silently wrong graph. It never decides placement or protocols.

import type { Span } from "../../grammar/ast.js";
import type { Diagnostic } from "../../grammar/diagnostic.js";
import { PUBLIC } from "../../runtime/plan/visibility.js";
import type { Binding, CheckedProgram, TExpr, TStmt } from "../check/typed.js";
import { MIDDLE_ENTRIES } from "./codes.js";
import { ProgramGraph } from "./graph.js";
import { evalScalarOp } from "./scalar.js";

export interface BuildResult {
  graph: ProgramGraph;
  diagnostics: Diagnostic[];
}

export function buildGraph(program: CheckedProgram): BuildResult {
  const b = new GraphBuilder(program);
  b.stmts(program.body);
  return { graph: b.graph, diagnostics: b.diagnostics };
}

class GraphBuilder {
  readonly graph: ProgramGraph;
  readonly diagnostics: Diagnostic[] = [];
  private env = new Map<number, string>();
  private inputs = new Map<string, string>();
  private scope: string | undefined;
  /** Inside a run-time `if`: a reveal here may or may not run (both branches are built). */
  private repeated = 0;

  constructor(program: CheckedProgram) {
    this.graph = new ProgramGraph(program.name, program.parties, program.precision);
  }

  private error(code: keyof typeof MIDDLE_ENTRIES, message: string, span: Span, hint?: string): void {
    const d: Diagnostic = { code: MIDDLE_ENTRIES[code].code, severity: "error", message, span };
    if (hint !== undefined) d.hint = hint;
    this.diagnostics.push(d);
  }

  stmts(list: TStmt[]): void {
    for (const s of list) this.stmt(s);
  }

  private stmt(s: TStmt): void {
    switch (s.k) {
      case "let":
      case "assign":
        this.env.set(s.binding.id, this.coerceElem(this.expr(s.value), s.binding, s.span));
        return;
      case "for":
        return this.loop(s);
      case "if":
        return this.branch(s);
      case "reveal": {
        const value = this.expr(s.value);
        if (this.repeated > 0) {
          this.error(
            "revealInLoop",
            `not yet supported: reveal inside a run-time condition (\`${s.name}\`)`,
            s.span,
            "reveal outside the `if` (a reveal inside a loop, not under an `if`, runs at every iteration)",
          );
          return;
        }
        const v = this.graph.node(value);
        this.graph.add(
          { kind: "reveal", op: "reveal", args: [value], elem: v.elem, shape: v.shape, vis: v.vis, span: s.span, reveal: { name: s.name, to: [...s.to] } },
          this.scope,
        );
        return;
      }
    }
  }

  /** An int value assigned to a fixed var is converted (the checker allows exactly that). */
  private coerceElem(id: string, binding: Binding, span: Span): string {
    const n = this.graph.node(id);
    if (n.elem === binding.type.elem) return id;
    return this.graph.add(
      { kind: "op", op: "cast", args: [id], attrs: { to: binding.type.elem }, elem: binding.type.elem, shape: n.shape, vis: n.vis, span },
      this.scope,
    );
  }

  private loop(s: Extract<TStmt, { k: "for" }>): void {
    const count = s.to - s.from;
    if (count <= 0) return;
    const assigned = [...assignedIn(s.body)].filter((b) => this.env.has(b.id));
    const outer = this.scope;
    const loop = this.graph.add(
      {
        kind: "loop",
        op: "loop",
        elem: "int",
        shape: [],
        vis: PUBLIC,
        span: s.span,
        loop: { start: s.from, count, carried: [] },
      },
      outer,
    );
    const info = this.graph.node(loop).loop!;
    const index = this.graph.add({ kind: "index", op: "index", elem: "int", shape: [], vis: PUBLIC, span: s.binding.span, loopOf: loop }, loop);
    info.index = index;
    this.env.set(s.binding.id, index);
    const params = assigned.map((bnd) => {
      const init = this.env.get(bnd.id)!;
      const p = this.graph.add(
        { kind: "param", op: "param", args: [init], elem: bnd.type.elem, shape: bnd.type.shape, vis: bnd.type.vis, span: bnd.span, loopOf: loop },
        loop,
      );
      this.env.set(bnd.id, p);
      return p;
    });
    this.scope = loop;
    this.stmts(s.body);
    this.scope = outer;
    assigned.forEach((bnd, k) => {
      const param = params[k]!;
      const init = this.graph.node(param).args[0]!;
      const next = this.env.get(bnd.id)!;
      if (next === param) {
        // Assigned only on a path that was folded away: not carried after all.
        this.graph.replaceUses(param, init);
        this.graph.remove(param);
        this.env.set(bnd.id, init);
        return;
      }
      this.graph.setArgs(param, [init, next]);
      const out = this.graph.add(
        { kind: "loopout", op: "loopout", args: [next], elem: bnd.type.elem, shape: bnd.type.shape, vis: bnd.type.vis, span: bnd.span, loopOf: loop },
        outer,
      );
      info.carried.push({ param, out, name: bnd.name });
      this.env.set(bnd.id, out);
    });
  }

  private branch(s: Extract<TStmt, { k: "if" }>): void {
    const cond = this.expr(s.cond);
    const known = constValue(this.graph, cond);
    if (known !== undefined) {
      this.stmts(known !== false && known !== 0 ? s.then : s.else);
      return;
    }
    // A public condition known only at run time (it depends on a loop index): run both
    // branches and merge what they assign with a public select (local work, no rounds).
    const before = new Map(this.env);
    this.repeated++;
    this.stmts(s.then);
    const afterThen = this.env;
    this.env = new Map(before);
    this.stmts(s.else);
    const afterElse = this.env;
    this.repeated--;
    this.env = before;
    const bindings = new Map<number, Binding>();
    for (const b of [...assignedIn(s.then), ...assignedIn(s.else)]) bindings.set(b.id, b);
    for (const [id, bnd] of bindings) {
      if (!before.has(id)) continue;
      const t = afterThen.get(id)!;
      const e = afterElse.get(id)!;
      if (t === e) {
        this.env.set(id, t);
        continue;
      }
      this.env.set(
        id,
        this.graph.add(
          { kind: "op", op: "select", args: [cond, t, e], elem: bnd.type.elem, shape: bnd.type.shape, vis: bnd.type.vis, span: s.span },
          this.scope,
        ),
      );
    }
  }

  private expr(e: TExpr): string {
    switch (e.k) {
      case "const":
        return this.graph.add({ kind: "const", op: "const", value: e.value, elem: e.type.elem, shape: e.type.shape, vis: e.type.vis, span: e.span }, this.scope);
      case "input": {
        const key = e.input.name;
        let id = this.inputs.get(key);
        if (id === undefined) {
          id = this.graph.add({
            kind: "input",
            op: "input",
            input: { party: e.input.party, name: e.input.name },
            elem: e.type.elem,
            shape: e.type.shape,
            vis: e.type.vis,
            span: e.input.span,
          });
          this.inputs.set(key, id);
        }
        return id;
      }
      case "ref": {
        const id = this.env.get(e.binding.id);
        if (id === undefined) throw new Error(`internal: unbound name ${e.binding.name} (#${e.binding.id})`);
        return id;
      }
      case "op": {
        const args = e.args.map((a) => this.expr(a));
        return this.graph.add(
          { kind: "op", op: e.op, args, attrs: { ...e.attrs }, elem: e.type.elem, shape: e.type.shape, vis: e.type.vis, span: e.span },
          this.scope,
        );
      }
      case "grad":
        this.error(
          "gradUnsupported",
          "grad reached the program graph unexpanded (run compiler/autodiff first)",
          e.span,
          "write the gradient out by hand for now",
        );
        // A stand-in of the right type so building can go on and report more.
        return this.graph.add({ kind: "const", op: "const", value: 0, elem: e.type.elem, shape: [], vis: PUBLIC, span: e.span }, this.scope);
    }
  }
}

/** The bindings a statement list assigns (at any depth), in first-assignment order. */
function assignedIn(list: TStmt[]): Set<Binding> {
  const out = new Map<number, Binding>();
  const walk = (ss: TStmt[]): void => {
    for (const s of ss) {
      if (s.k === "assign") {
        if (!out.has(s.binding.id)) out.set(s.binding.id, s.binding);
      } else if (s.k === "for") walk(s.body);
      else if (s.k === "if") {
        walk(s.then);
        walk(s.else);
      }
    }
  };
  walk(list);
  return new Set(out.values());
}

/** The compile-time value of a scalar node built from constants only, or undefined. */
export function constValue(graph: ProgramGraph, id: string): number | boolean | undefined {
  const n = graph.node(id);
  if (n.kind === "const") return n.value;
  if (n.kind !== "op" || n.shape.length !== 0 || n.vis.kind !== "public") return undefined;
  const args: (number | boolean)[] = [];
  for (const a of n.args) {
    const v = constValue(graph, a);
    if (v === undefined) return undefined;
    args.push(v);
  }
  return evalScalarOp(n.op, args, n.elem, n.attrs);
}
