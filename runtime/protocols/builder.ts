// PlanBuilder: records protocol nodes. The compiler's lowering drives it; every protocol in
// runtime/protocols/spec is a function that emits its steps through it. Because the same
// definitions produce the plan that the runtime executes and that the cost model counts, the
// estimate and the run cannot drift apart. Pure data: no kernels, no I/O.

import type {
  ElemType,
  LoopNode,
  PlanNode,
  SourceRef,
  ValueInfo,
  ValueKind,
} from "../plan/plan.js";

export interface ProtocolContext {
  /** Compute parties in order; index 0 is the party that adds public constants to its share. */
  parties: string[];
  /** Fractional bits of fixed point. */
  precision: number;
}

export interface ValueSpec {
  elem: ElemType;
  shape: number[];
}

/** An output of a local or dealer node: arithmetic shares by default; `kind`/`holders` for a
 *  value only some parties hold (e.g. a ring mask known to one party). */
export type OutSpec = ValueSpec & { kind?: ValueKind; holders?: string[] };

export class PlanBuilder {
  readonly values = new Map<string, ValueInfo>();
  private readonly scopes: PlanNode[][] = [[]];
  private counter = 0;
  private src: SourceRef | undefined;
  private origin: string | undefined;

  constructor(readonly ctx: ProtocolContext) {}

  /** The nodes emitted at top level so far. */
  get body(): PlanNode[] {
    return this.scopes[0]!;
  }

  info(id: string): ValueInfo {
    const v = this.values.get(id);
    if (!v) throw new Error(`internal: unknown plan value ${id}`);
    return v;
  }

  /** Run `f` with every node it emits tagged with the program op and source location. */
  at<T>(origin: string | undefined, src: SourceRef | undefined, f: () => T): T {
    const [o, s] = [this.origin, this.src];
    this.origin = origin;
    this.src = src;
    try {
      return f();
    } finally {
      this.origin = o;
      this.src = s;
    }
  }

  newValue(kind: ValueKind, spec: ValueSpec, holders: string[]): string {
    const id = `v${this.counter++}`;
    this.values.set(id, { id, kind, elem: spec.elem, shape: [...spec.shape], holders: [...holders] });
    return id;
  }

  private nodeId(): string {
    return `n${this.counter++}`;
  }

  private emit<N extends PlanNode>(node: N): N {
    if (this.origin !== undefined) node.origin = this.origin;
    if (this.src !== undefined) node.src = this.src;
    this.scopes[this.scopes.length - 1]!.push(node);
    return node;
  }

  input(party: string, input: string, spec: ValueSpec): string {
    const out = this.newValue("clear", spec, [party]);
    this.emit({ kind: "input", id: this.nodeId(), party, input, out });
    return out;
  }

  clear(op: string, args: string[], attrs: Record<string, unknown>, parties: string[], spec: ValueSpec): string {
    const out = this.newValue("clear", spec, parties);
    this.emit({ kind: "clear", id: this.nodeId(), op, args, attrs, parties, out });
    return out;
  }

  /** A clear value becomes arithmetic shares ("public" owner: party 0 holds it, others 0). */
  share(from: string, owner: string): string {
    const v = this.info(from);
    const out = this.newValue("arith", v, this.ctx.parties);
    this.emit({ kind: "share", id: this.nodeId(), from, owner, out });
    return out;
  }

  local(fn: string, args: string[], attrs: Record<string, unknown>, outs: OutSpec[]): string[] {
    const out = outs.map((o) => this.newValue(o.kind ?? "arith", o, o.holders ?? this.ctx.parties));
    this.emit({ kind: "local", id: this.nodeId(), fn, args, attrs, out });
    return out;
  }

  dealer(item: string, attrs: Record<string, unknown>, outs: OutSpec[]): string[] {
    const out = outs.map((o) => this.newValue(o.kind ?? "arith", o, o.holders ?? this.ctx.parties));
    this.emit({ kind: "dealer", id: this.nodeId(), item, attrs, out });
    return out;
  }

  /** Loops enclosing the nodes emitted now (0 at top level). */
  get depth(): number {
    return this.scopes.length - 1;
  }

  /** The id of the node emitted last in the current scope (a dealer item another refers to). */
  lastNodeId(): string {
    const scope = this.scopes[this.scopes.length - 1]!;
    const last = scope[scope.length - 1];
    if (!last) throw new Error("internal: no node emitted yet");
    return last.id;
  }

  /** Reconstruct shares at `to` (default: every party). Round is assigned by the scheduler. */
  open(args: string[], to: string[] = this.ctx.parties): string[] {
    const out = args.map((a) => this.newValue("ring", this.info(a), to));
    this.emit({ kind: "open", id: this.nodeId(), args, to, out, round: -1 });
    return out;
  }

  /** Plain disclosure of a clear value from its holder to other parties. */
  send(from: string, value: string, to: string[]): string {
    const v = this.info(value);
    const out = this.newValue("clear", v, [...new Set([from, ...to])]);
    this.emit({ kind: "send", id: this.nodeId(), from, value, to, out, round: -1 });
    return out;
  }

  output(value: string, name: string, to: string[]): void {
    this.emit({ kind: "output", id: this.nodeId(), value, name, to });
  }

  /** Emit a loop; `body` receives the loop index value id and the carried parameter ids and
   *  returns the next values of the carried ones. Returns the carried values after the loop. */
  loop(
    start: number,
    count: number,
    inits: string[],
    body: (index: string, params: string[]) => string[],
  ): string[] {
    const index = this.newValue("clear", { elem: "int", shape: [] }, this.ctx.parties);
    const params = inits.map((i) => {
      const v = this.info(i);
      return this.newValue(v.kind, v, v.holders);
    });
    this.scopes.push([]);
    const nexts = body(index, params);
    const nodes = this.scopes.pop()!;
    const outs = inits.map((i) => {
      const v = this.info(i);
      return this.newValue(v.kind, v, v.holders);
    });
    const node: LoopNode = {
      kind: "loop",
      id: this.nodeId(),
      count,
      start,
      index,
      carried: inits.map((init, k) => ({ init, param: params[k]!, next: nexts[k]!, out: outs[k]! })),
      body: nodes,
      rounds: 0,
    };
    this.emit(node);
    return outs;
  }
}
