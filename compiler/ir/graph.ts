// The program graph: one node per tensor op of the checked program, on @dagrejs/graphlib.
// Loops are compound nodes whose children are the body, so a 100-iteration loop is one copy of
// its body; a loop-carried var is a `param` node inside the loop (operands: its initial value
// and its next value, the latter over an edge marked `carried`) and a `loopout` node after it.
// Every node carries its element type, shape, visibility, source span and (after placement)
// the parties that run it. This module is data and graph surgery only: it never decides how
// anything is computed (that is compiler/passes and compiler/lower).

import { Graph } from "@dagrejs/graphlib";
import type { Span } from "../../grammar/ast.js";
import type { Attr, ValueType } from "../check/typed.js";
import type { ElemType } from "../../runtime/plan/plan.js";
import type { Visibility } from "../../runtime/plan/visibility.js";

export type IrKind =
  /** A party's input (top level). */
  | "input"
  /** A public scalar literal. */
  | "const"
  /** A tensor op of runtime/plan/ops.ts, by name in `op`. */
  | "op"
  /** The public loop counter inside a loop body. */
  | "index"
  /** A loop-carried var inside the body: args [init, next]; the `next` edge is carried. */
  | "param"
  /** The value of a loop-carried var after the loop: args [next]. */
  | "loopout"
  /** A clear value becoming additive shares (inserted by placement). */
  | "share"
  /** A clear value narrowed to one party (a public value entering a private var). */
  | "narrow"
  /** `reveal e to …`: args [e]; the roots of dead-code elimination. */
  | "reveal"
  /** A compound node: its children are the loop body. */
  | "loop";

export interface IrNode {
  id: string;
  kind: IrKind;
  /** The op name for `op` nodes; the kind otherwise. */
  op: string;
  /** The program op this node came from when a pass rewrote it (`div` -> `mul`), for reports. */
  origin?: string;
  /** Operands, in order (mirrored as graph edges). */
  args: string[];
  attrs: Record<string, Attr>;
  elem: ElemType;
  shape: number[];
  vis: Visibility;
  span: Span;
  /** Who runs it: set by placement (all parties for public and secret work, P for private(P)). */
  parties: string[];
  /** Creation order: the tie-break that keeps every order deterministic. */
  seq: number;
  input?: { party: string; name: string };
  value?: number | boolean;
  reveal?: { name: string; to: string[] };
  loop?: { start: number; count: number; index?: string; carried: { param: string; out: string; name: string }[] };
  /** For index/param/loopout: the loop node they belong to. */
  loopOf?: string;
}

export interface IrEdge {
  /** Operand position in the consumer's `args`. */
  index: number;
  /** The next value of a loop-carried var flowing back to its param: not a dependency within
   *  one iteration, so orderings ignore it. */
  carried: boolean;
}

export type NewNode = Omit<IrNode, "id" | "seq" | "parties" | "args" | "attrs"> & {
  args?: string[];
  attrs?: Record<string, Attr>;
  parties?: string[];
};

export class ProgramGraph {
  readonly g = new Graph<unknown, IrNode, IrEdge>({ directed: true, multigraph: true, compound: true });
  private seq = 0;

  constructor(
    readonly program: string,
    readonly parties: string[],
    readonly precision: number,
  ) {}

  node(id: string): IrNode {
    const n = this.g.node(id);
    if (!n) throw new Error(`internal: unknown IR node ${id}`);
    return n;
  }

  has(id: string): boolean {
    return this.g.hasNode(id);
  }

  /** Add a node in `scope` (a loop node id; undefined = top level). */
  add(spec: NewNode, scope?: string): string {
    const id = `${spec.kind === "op" ? spec.op : spec.kind}#${this.seq}`;
    const node: IrNode = { parties: [], attrs: {}, ...spec, args: [], id, seq: this.seq++ };
    this.g.setNode(id, node);
    if (scope !== undefined) this.g.setParent(id, scope);
    this.setArgs(id, spec.args ?? []);
    return id;
  }

  /** Replace a node's operands, keeping the graph's edges in step. */
  setArgs(id: string, args: string[]): void {
    const n = this.node(id);
    for (const e of this.g.inEdges(id) ?? []) this.g.removeEdge(e);
    n.args = [...args];
    args.forEach((a, index) => {
      this.g.setEdge(a, id, { index, carried: n.kind === "param" && index === 1 }, `a${index}`);
    });
  }

  scopeOf(id: string): string | undefined {
    return this.g.parent(id);
  }

  /** Direct children of a scope (undefined = top level), in creation order. */
  children(scope?: string): string[] {
    const ids = scope === undefined ? this.g.children() : this.g.children(scope);
    return ids.map((i) => this.node(i)).sort((a, b) => a.seq - b.seq).map((n) => n.id);
  }

  /** Every node inside a loop, at any depth. */
  descendants(scope: string): string[] {
    const out: string[] = [];
    const walk = (s: string): void => {
      for (const c of this.g.children(s)) {
        out.push(c);
        if (this.node(c).kind === "loop") walk(c);
      }
    };
    walk(scope);
    return out;
  }

  /** Nodes that use `id` as an operand (each once). */
  users(id: string): string[] {
    return [...new Set((this.g.outEdges(id) ?? []).map((e) => e.w))];
  }

  /** Every use of `from` becomes a use of `to`. */
  replaceUses(from: string, to: string): void {
    for (const u of this.users(from)) {
      const n = this.node(u);
      this.setArgs(
        u,
        n.args.map((a) => (a === from ? to : a)),
      );
    }
  }

  remove(id: string): void {
    const n = this.node(id);
    if (n.kind === "loop") for (const d of this.descendants(id)) this.g.removeNode(d);
    if ((n.kind === "param" || n.kind === "loopout") && n.loopOf && this.has(n.loopOf)) {
      const l = this.node(n.loopOf).loop!;
      l.carried = l.carried.filter((c) => c.param !== id && c.out !== id);
    }
    this.g.removeNode(id);
  }

  /** Is `id` inside `scope` (at any depth)? undefined scope = the whole program. */
  within(id: string, scope: string | undefined): boolean {
    if (scope === undefined) return true;
    for (let p = this.scopeOf(id); p !== undefined; p = this.scopeOf(p)) if (p === scope) return true;
    return false;
  }

  /** The ancestor of `id` (or itself) that is a direct child of `scope`; undefined if `id` is
   *  not inside `scope`. */
  liftTo(id: string, scope: string | undefined): string | undefined {
    let cur = id;
    for (;;) {
      const p = this.scopeOf(cur);
      if (p === scope) return cur;
      if (p === undefined) return undefined;
      cur = p;
    }
  }

  type(id: string): ValueType {
    const n = this.node(id);
    return { elem: n.elem, shape: n.shape, vis: n.vis };
  }

  nodeCount(): number {
    return this.g.nodeCount();
  }
}
