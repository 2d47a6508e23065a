// Reverse mode for one `grad(loss, w)`: find the part of the loss that depends on the current
// `w` (through `let` bindings, see flow.ts), order it, and propagate adjoints from the loss
// (d loss / d loss = 1) back to `w` with the rules of rules.ts. The result is a typed
// expression over values the forward pass computes anyway:
//
// - Forward values a rule needs are named, never recomputed. A subexpression of a `let`'s
//   value gets a new `let` just before that let (and the let's value is rewritten to use it),
//   so it is computed once, where the let is, with the values of that moment; one of the loss
//   expression itself gets a `let` before the statement holding the `grad`.
// - Every adjoint that is not a name or a literal is bound to a `let` before that statement,
//   so shared subexpressions (a value used twice, a let read twice) never duplicate work and
//   the expansion stays linear in the size of the loss.
//
// Contexts: an expression is read in the context of the let whose value it is in (ctx = that
// let's binding id) or of the grad's own loss (a negative ctx): a var read in a let's value
// means the var's value when the let was evaluated.
//
// Must never: differentiate through a `var` other than `w` (a compile error), or through an op
// without a rule (a compile error at the op's span), or change what the forward pass computes.

import type { Span } from "../../grammar/ast.js";
import type { Diagnostic } from "../../grammar/diagnostic.js";
import { OP_RULES } from "../check/builtins.js";
import { sameShape } from "../check/shapes.js";
import type { Binding, TExpr, TStmt } from "../check/typed.js";
import type { OpName } from "../../runtime/plan/ops.js";
import { Builder, isAtomic, type OpExpr } from "./build.js";
import { AUTODIFF_ENTRIES, type AutodiffCodeName } from "./codes.js";
import type { Flow, LetInfo, Token, VarStates } from "./flow.js";
import { isPlan, noRule, type OpView, type Plan, RULES, type Site } from "./rules.js";

export type GradExpr = Extract<TExpr, { k: "grad" }>;

/** State shared by every grad of a program. */
export interface Session {
  flow: Flow;
  /** A fresh `let` binding. */
  newBinding(name: string, type: TExpr["type"], span: Span): Binding;
  /** Statements to insert just before the let with this binding id. */
  beforeLet: Map<number, TStmt[]>;
  /** Per let: subexpressions of its value now named by a forward let. */
  subst: Map<number, Map<TExpr, TExpr>>;
  /** Per context: forward values already named. */
  fwd: Map<number, Map<TExpr, TExpr>>;
  snapshots: Map<string, TExpr>;
  nextLossCtx: number;
  diagnostics: Diagnostic[];
}

class AutodiffError extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(diagnostic.message);
  }
}

function diag(code: AutodiffCodeName, severity: Diagnostic["severity"], span: Span, message: string, hint?: string, related?: Diagnostic["related"]): Diagnostic {
  const d: Diagnostic = { code: AUTODIFF_ENTRIES[code].code, severity, message, span };
  if (hint !== undefined) d.hint = hint;
  if (related !== undefined) d.related = related;
  return d;
}

const ref = (b: Binding, span: Span): TExpr => ({ k: "ref", binding: b, type: b.type, span });

/** How messages name an op: its operator symbol or built-in name. */
function opName(e: OpExpr): string {
  if (e.op === "cast") return e.attrs["to"] === "int" ? "to_int" : e.attrs["to"] === "bool" ? "a conversion to bool" : "to_fixed";
  const r = OP_RULES[e.op as OpName];
  return r?.symbol ?? r?.names[0] ?? e.op;
}

interface CtxInfo {
  at: VarStates;
  pre: TStmt[];
  /** For a let's context: the let and its value. */
  let?: LetInfo;
}

type GNode =
  | { kind: "op"; site: Site & { e: OpExpr }; plan?: Plan; targets?: GNode[] }
  | { kind: "let"; info: LetInfo; targets?: GNode[] }
  | { kind: "wrt"; targets?: GNode[] };

/** Expand one grad (whose loss contains no grad) into its derivative; `pre` receives the lets
 *  to put before the statement that holds it. Errors are reported and give zeros. */
export function expandGrad(s: Session, g: GradExpr, pre: TStmt[]): TExpr {
  const r = new Reverse(s, g, pre);
  try {
    return r.run();
  } catch (err) {
    if (!(err instanceof AutodiffError)) throw err;
    s.diagnostics.push(err.diagnostic);
    return r.b.zeros(g.wrt.type.shape);
  }
}

class Reverse {
  readonly b: Builder;
  private readonly wrt: Binding;
  private readonly T: Token | undefined;
  private readonly lossCtx: number;
  private readonly ctxs = new Map<number, CtxInfo>();
  private readonly activeMemo = new Map<number, Map<TExpr, boolean>>();
  private readonly opNodes = new Map<number, Map<TExpr, GNode>>();
  private readonly letNodes = new Map<number, GNode>();
  private readonly wrtNode: GNode = { kind: "wrt", targets: [] };
  /** Refs that read an earlier value of w (constants here), for the warning. */
  private readonly stale: Span[] = [];

  constructor(
    private readonly s: Session,
    private readonly g: GradExpr,
    pre: TStmt[],
  ) {
    this.b = new Builder(g.span);
    this.wrt = g.wrt;
    this.T = s.flow.current(g.wrt);
    this.lossCtx = s.nextLossCtx--;
    this.ctxs.set(this.lossCtx, { at: s.flow.snapshot(), pre });
  }

  run(): TExpr {
    const root: Site = { ctx: this.lossCtx, e: this.g.loss };
    const shape = this.wrt.type.shape;
    if (!this.activeAt(root)) {
      const name = this.wrt.name;
      const why = this.stale.length > 0;
      this.s.diagnostics.push(
        diag(
          "gradIsZero",
          "warning",
          this.g.span,
          why
            ? `the loss depends on \`${name}\` only through values computed from an earlier value of \`${name}\`: this gradient is zero`
            : `the loss does not depend on \`${name}\`: this gradient is zero`,
          why ? `compute the loss after the last assignment to \`${name}\` (inside the loop that updates it)` : undefined,
          this.stale.length > 0 ? [{ span: this.stale[0]!, message: `this value was computed from an earlier \`${name}\`` }] : undefined,
        ),
      );
      return this.b.zeros(shape);
    }
    const order = this.topoOrder(this.nodeAt(root));
    const adj = new Map<GNode, TExpr[]>();
    adj.set(order[0]!, [this.b.num(1)]);
    for (const n of order) {
      if (n.kind === "wrt") continue;
      const cs = adj.get(n);
      if (!cs || cs.length === 0) continue;
      const gsum = this.total(cs);
      if (n.kind === "let") {
        for (const t of n.targets!) push(adj, t, gsum);
        continue;
      }
      const g = this.bind(gsum);
      const contributions = n.plan!.backward(g);
      n.targets!.forEach((t, i) => {
        const c = contributions[i]!;
        const want = n.plan!.sites[i]!.e.type.shape;
        if (!sameShape(c.type.shape, want)) throw new Error(`internal: autodiff rule for ${n.site.e.op} gave [${c.type.shape}] for an operand of [${want}]`);
        push(adj, t, c);
      });
    }
    if (this.stale.length > 0) {
      this.s.diagnostics.push(
        diag(
          "staleValue",
          "warning",
          this.g.span,
          `part of the loss depends on an earlier value of \`${this.wrt.name}\`; the gradient does not flow through it`,
          `compute it after the last assignment to \`${this.wrt.name}\` if it should`,
          [{ span: this.stale[0]!, message: `computed from an earlier \`${this.wrt.name}\`` }],
        ),
      );
    }
    const result = adj.get(this.wrtNode);
    const out = result && result.length > 0 ? this.total(result) : this.b.zeros(shape);
    if (!sameShape(out.type.shape, shape)) throw new Error(`internal: autodiff gave [${out.type.shape}] for ${this.wrt.name} of [${shape}]`);
    return out;
  }

  private total(cs: TExpr[]): TExpr {
    return cs.reduce((acc, c) => this.b.add(acc, c));
  }

  // ---------------------------------------------------------------- contexts and lets

  private ctx(id: number): CtxInfo {
    let c = this.ctxs.get(id);
    if (!c) {
      const info = this.s.flow.lets.get(id);
      if (!info) throw new Error(`internal: autodiff context #${id} is not a let`);
      let before = this.s.beforeLet.get(id);
      if (!before) this.s.beforeLet.set(id, (before = []));
      c = { at: info.at, pre: before, let: info };
      this.ctxs.set(id, c);
    }
    return c;
  }

  /** A new `let` in context `c` (before its let, or before the grad's statement). */
  private letIn(c: CtxInfo, name: string, value: TExpr, span: Span): TExpr {
    const binding = this.s.newBinding(name, value.type, span);
    c.pre.push({ k: "let", binding, value, span });
    this.s.flow.bind(binding, value, c.at);
    return ref(binding, span);
  }

  /** Name a backward intermediate (literals and names stay as they are). */
  bind(e: TExpr): TExpr {
    return isAtomic(e) ? e : this.letIn(this.ctx(this.lossCtx), `d${this.wrt.name}`, e, this.g.span);
  }

  /** The forward value of `e` in context `ctx`, as an atomic expression. */
  fwd(ctx: number, e: TExpr): TExpr {
    if (e.k === "const" || e.k === "input") return e;
    if (e.k === "ref") {
      if (e.binding.kind !== "var" || ctx < 0) return e;
      // A var read in a let's value: its value then, if it has been assigned since.
      const then = this.ctx(ctx).at.get(e.binding.id);
      const now = this.s.flow.vars.get(e.binding.id);
      if (!then || !now || then.tok === now.tok) return e;
      const key = `${ctx}:${e.binding.id}`;
      let snap = this.s.snapshots.get(key);
      if (!snap) this.s.snapshots.set(key, (snap = this.letIn(this.ctx(ctx), `${e.binding.name}_then`, e, e.span)));
      return snap;
    }
    if (e.k === "grad") throw new Error("internal: autodiff met an unexpanded grad");
    const c = this.ctx(ctx);
    if (c.let && c.let.value === e) return ref(c.let.binding, e.span);
    let memo = this.s.fwd.get(ctx);
    if (!memo) this.s.fwd.set(ctx, (memo = new Map()));
    const known = memo.get(e);
    if (known) return known;
    const args = e.args.map((a) => (a.k === "op" && (memo.has(a) || this.activeAt({ ctx, e: a })) ? this.fwd(ctx, a) : a));
    const r = this.letIn(c, "fwd", { ...e, args }, e.span);
    memo.set(e, r);
    if (ctx >= 0) {
      let sub = this.s.subst.get(ctx);
      if (!sub) this.s.subst.set(ctx, (sub = new Map()));
      sub.set(e, r);
    }
    return r;
  }

  /** Follow let refs to the expression that computes a value. */
  follow(site: Site): Site {
    let s = site;
    for (;;) {
      const e = s.e;
      if (e.k !== "ref" || e.binding.id === this.wrt.id || (e.binding.kind !== "let" && e.binding.kind !== "param")) return s;
      const info = this.s.flow.lets.get(e.binding.id);
      if (!info) return s;
      s = { ctx: e.binding.id, e: info.value };
    }
  }

  // ---------------------------------------------------------------- what depends on w

  activeAt(site: Site): boolean {
    let memo = this.activeMemo.get(site.ctx);
    if (!memo) this.activeMemo.set(site.ctx, (memo = new Map()));
    const known = memo.get(site.e);
    if (known !== undefined) return known;
    const e = site.e;
    let r = false;
    if (e.k === "ref") r = this.refActive(site.ctx, e);
    else if (e.k === "op") {
      for (const a of e.args) if (this.activeAt({ ctx: site.ctx, e: a })) r = true;
    } else if (e.k === "grad") throw new Error("internal: autodiff met an unexpanded grad");
    memo.set(e, r);
    return r;
  }

  private isWrtToken(t: Token): boolean {
    return this.s.flow.owner(t).id === this.wrt.id;
  }

  private refActive(ctx: number, e: Extract<TExpr, { k: "ref" }>): boolean {
    const b = e.binding;
    const flow = this.s.flow;
    const T = this.T;
    if (b.id === this.wrt.id) {
      if (ctx < 0) return true;
      const info = this.ctx(ctx).let!;
      const now = b.kind === "var" ? info.at.get(b.id)?.tok === T : T !== undefined && info.deps.has(T);
      if (!now) this.stale.push(e.span);
      return now;
    }
    if (b.kind === "let" || b.kind === "param") {
      const info = flow.lets.get(b.id);
      if (!info) return false;
      if (T !== undefined && info.deps.has(T)) return true;
      // Read (through lets) from an earlier w: worth a warning, unless it is a plain copy
      // (`let w0 = w`, the way to keep an earlier value on purpose). A var's history is not:
      // a value carried from an earlier iteration is meant to be a constant here.
      const copy = info.value.k === "ref" && info.value.binding.id === this.wrt.id;
      if (!copy) for (const t of info.reads) {
        if (this.isWrtToken(t)) {
          this.stale.push(e.span);
          break;
        }
      }
      return false;
    }
    if (b.kind === "var") {
      const st = (ctx < 0 ? undefined : this.ctx(ctx).at.get(b.id)) ?? flow.vars.get(b.id);
      if (!st) return false;
      if (T !== undefined && st.deps.has(T)) {
        throw new AutodiffError(
          diag(
            "gradThroughVar",
            "error",
            e.span,
            `\`grad\` cannot differentiate through the var \`${b.name}\`: its value depends on \`${this.wrt.name}\``,
            `bind the computation from \`${this.wrt.name}\` to the loss with \`let\` (a var keeps only its latest value)`,
            [{ span: this.g.span, message: `the gradient with respect to \`${this.wrt.name}\`` }],
          ),
        );
      }
      return false;
    }
    return false;
  }

  // ---------------------------------------------------------------- the graph of adjoints

  private nodeAt(site: Site): GNode {
    const e = site.e;
    if (e.k === "ref") {
      if (e.binding.id === this.wrt.id) return this.wrtNode;
      let n = this.letNodes.get(e.binding.id);
      if (!n) this.letNodes.set(e.binding.id, (n = { kind: "let", info: this.s.flow.lets.get(e.binding.id)! }));
      return n;
    }
    if (e.k !== "op") throw new Error(`internal: autodiff node for a ${e.k}`);
    if (e.type.elem !== "fixed") this.notDifferentiable(this.culprit(site));
    let memo = this.opNodes.get(site.ctx);
    if (!memo) this.opNodes.set(site.ctx, (memo = new Map()));
    let n = memo.get(e);
    if (!n) memo.set(e, (n = { kind: "op", site: { ctx: site.ctx, e } }));
    return n;
  }

  private targets(n: GNode): GNode[] {
    if (n.targets) return n.targets;
    if (n.kind === "let") {
      const root: Site = { ctx: n.info.binding.id, e: n.info.value };
      n.targets = this.activeAt(root) ? [this.nodeAt(root)] : [];
    } else if (n.kind === "op") {
      const plan = this.planFor(n.site);
      n.plan = plan;
      n.targets = plan.sites.map((s) => {
        if (!this.activeAt(s)) throw new Error(`internal: autodiff rule for ${n.site.e.op} targets a constant`);
        return this.nodeAt(s);
      });
    } else n.targets = [];
    return n.targets;
  }

  /** Reverse topological order from the loss (iterative: let chains can be long). */
  private topoOrder(root: GNode): GNode[] {
    const post: GNode[] = [];
    const seen = new Set<GNode>([root]);
    const stack: [GNode, number][] = [[root, 0]];
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const ts = this.targets(top[0]);
      if (top[1] < ts.length) {
        const t = ts[top[1]++]!;
        if (!seen.has(t)) {
          seen.add(t);
          stack.push([t, 0]);
        }
      } else {
        post.push(top[0]);
        stack.pop();
      }
    }
    return post.reverse();
  }

  private planFor(site: Site & { e: OpExpr }): Plan {
    const e = site.e;
    const rule = RULES[e.op];
    const view: OpView = {
      e,
      ctx: site.ctx,
      b: this.b,
      active: (i) => this.activeAt({ ctx: site.ctx, e: e.args[i]! }),
      x: (i) => this.fwd(site.ctx, e.args[i]!),
      y: () => this.fwd(site.ctx, e),
      bind: (x) => this.bind(x),
      arg: (i) => ({ ctx: site.ctx, e: e.args[i]! }),
      follow: (s) => this.follow(s),
      activeAt: (s) => this.activeAt(s),
      fwdAt: (s) => this.fwd(s.ctx, s.e),
    };
    const plan = rule ? rule(view) : noRule(e);
    if (isPlan(plan)) return plan;
    if (plan.kind === "not-yet") {
      throw new AutodiffError(
        diag("notDifferentiableYet", "error", e.span, `\`grad\` cannot differentiate ${plan.why} yet`, plan.hint ?? "rewrite this step with ops that have a derivative rule, or write its gradient by hand", [
          { span: this.g.span, message: `the gradient with respect to \`${this.wrt.name}\`` },
        ]),
      );
    }
    return this.notDifferentiable(site, plan.why, plan.hint);
  }

  /** The op on the path to w that turns a number into a bool or an int. */
  private culprit(site: Site): Site {
    const e = site.e;
    if (e.k === "ref") {
      const info = this.s.flow.lets.get(e.binding.id);
      if (info) return this.culprit({ ctx: e.binding.id, e: info.value });
      return site;
    }
    if (e.k !== "op") return site;
    const active = e.args.map((a) => ({ ctx: site.ctx, e: a })).filter((a) => this.activeAt(a));
    if (active.some((a) => a.e.type.elem === "fixed")) return site;
    return active.length > 0 ? this.culprit(active[0]!) : site;
  }

  private notDifferentiable(site: Site, why?: string, hint?: string): never {
    const e = site.e;
    let message = why;
    let help = hint;
    if (!message && e.k === "op") {
      const name = opName(e);
      if (e.type.elem === "bool") {
        message = `\`${name}\` is not differentiable: it turns numbers into a bool`;
        help ??= "its derivative is zero wherever it is defined; to choose between values use select(c, a, b), whose condition is not differentiated";
      } else if (e.type.elem === "int") {
        message = `\`${name}\` is not differentiable: its result is an integer`;
        help ??= "keep the computation on the path to the loss in fixed point";
      } else message = `\`${name}\` is not differentiable`;
    }
    throw new AutodiffError(
      diag("notDifferentiable", "error", e.span, message ?? "this value is not differentiable", help, [
        { span: this.g.span, message: `the gradient with respect to \`${this.wrt.name}\` depends on it` },
      ]),
    );
  }
}

function push(adj: Map<GNode, TExpr[]>, n: GNode, c: TExpr): void {
  const l = adj.get(n);
  if (l) l.push(c);
  else adj.set(n, [c]);
}
