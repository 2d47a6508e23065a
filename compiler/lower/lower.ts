// Lowering: walks the placed program graph scope by scope, in dependency order, and emits
// protocol plan nodes through the PlanBuilder. Public and private work becomes `clear` nodes
// run by the parties placement chose; inputs become `input`; placement's shares become
// `share`; secret ops go through ./secret.ts; loops become LoopNodes with their carried values.
// A reveal of a secret value opens it to its receivers (revealTo); a reveal of a value the
// receivers already hold costs nothing; a private value revealed to another party is a `send`
// (a plain disclosure). Rounds are left to compiler/schedule.

import type { Span } from "../../grammar/ast.js";
import { PLAN_FORMAT, PLAN_VERSION } from "../../runtime/plan/plan.js";
import type { Plan, PlanInput, PlanNode, PlanOutput, SourceRef } from "../../runtime/plan/plan.js";
import { PlanBuilder } from "../../runtime/protocols/builder.js";
import { revealTo } from "../../runtime/protocols/spec/arithmetic.js";
import type { IrNode, ProgramGraph } from "../ir/graph.js";
import { scopeOrder } from "../ir/order.js";
import { defines, reads } from "./plan-deps.js";
import { lowerSecretOp, type MaskView } from "./secret.js";
import { maskSecret } from "../../runtime/protocols/spec/arithmetic.js";
import { sharedMaskOperands } from "./shared-masks.js";

export const srcOf = (s: Span): SourceRef => ({ line: s.line, col: s.col, length: s.length });

/** The unscheduled plan (rounds -1, hash empty) of a placed graph. */
export function lower(graph: ProgramGraph, inputs: PlanInput[], opts: { sharedMasks?: boolean } = {}): Plan {
  const l = new Lowering(graph, opts.sharedMasks ?? true);
  l.scope(undefined);
  const body = pruneUnreadConstants(l.b.body);
  const used = new Set<string>();
  const walk = (nodes: PlanNode[]): void => {
    for (const n of nodes) {
      for (const v of [...reads(n), ...defines(n)]) used.add(v);
      if (n.kind === "loop") {
        if (n.index) used.add(n.index);
        for (const c of n.carried) used.add(c.param);
        walk(n.body);
      }
    }
  };
  walk(body);
  return {
    format: PLAN_FORMAT,
    version: PLAN_VERSION,
    program: graph.program,
    hash: "",
    precision: graph.precision,
    parties: [...graph.parties],
    inputs,
    outputs: l.outputs,
    values: [...l.b.values.values()].filter((v) => used.has(v.id)),
    body,
    rounds: -1,
  };
}

/** Constants that a protocol took as a compile-time attribute (x * 0.5) need no clear node. */
function pruneUnreadConstants(body: PlanNode[]): PlanNode[] {
  const read = new Set<string>();
  const collect = (nodes: PlanNode[]): void => {
    for (const n of nodes) {
      for (const v of reads(n)) read.add(v);
      if (n.kind === "loop") collect(n.body);
    }
  };
  collect(body);
  const prune = (nodes: PlanNode[]): PlanNode[] =>
    nodes
      .filter((n) => !(n.kind === "clear" && n.op === "const" && !read.has(n.out)))
      .map((n) => (n.kind === "loop" ? { ...n, body: prune(n.body) } : n));
  return prune(body);
}

class Lowering {
  readonly b: PlanBuilder;
  readonly outputs: PlanOutput[] = [];
  private readonly val = new Map<string, string>();
  /** Secret operands opened once for several products (./shared-masks.ts), by plan value. */
  private readonly masks = new Map<string, MaskView>();
  private readonly toMask: Set<string>;

  constructor(
    private readonly graph: ProgramGraph,
    sharedMasks: boolean,
  ) {
    this.b = new PlanBuilder({ parties: graph.parties, precision: graph.precision });
    this.toMask = sharedMasks ? sharedMaskOperands(graph) : new Set();
  }

  private value(id: string): string {
    const v = this.val.get(id);
    if (v === undefined) throw new Error(`internal: ${id} used before it was lowered`);
    return v;
  }

  scope(scope: string | undefined): void {
    for (const id of scopeOrder(this.graph, scope)) {
      const n = this.graph.node(id);
      this.b.at(n.origin ?? n.op, srcOf(n.span), () => {
        this.node(n);
        const v = this.val.get(n.id);
        if (this.toMask.has(n.id) && v !== undefined && !this.masks.has(v) && this.b.info(v).kind === "arith") this.masks.set(v, maskSecret(this.b, v));
      });
    }
  }

  private node(n: IrNode): void {
    const b = this.b;
    const spec = { elem: n.elem, shape: n.shape };
    const set = (v: string): void => void this.val.set(n.id, v);
    switch (n.kind) {
      case "input":
        return set(b.input(n.input!.party, n.input!.name, spec));
      case "const":
        return set(b.clear("const", [], { value: n.value! }, n.parties, spec));
      case "share":
        return set(b.share(this.value(n.args[0]!), String(n.attrs["owner"])));
      case "narrow":
        // A public value entering a private var: its owner keeps a copy (same element type).
        return set(b.clear("cast", [this.value(n.args[0]!)], { to: n.elem }, n.parties, spec));
      case "op": {
        const args = n.args.map((a) => this.value(a));
        if (n.vis.kind === "secret") {
          const consts = n.args.map((a) => {
            const c = this.graph.node(a);
            return c.kind === "const" ? c.value : undefined;
          });
          return set(lowerSecretOp(b, n, args, consts, this.masks));
        }
        return set(b.clear(n.op, args, { ...n.attrs }, n.parties, spec));
      }
      case "reveal":
        return this.reveal(n);
      case "loop":
        return this.loop(n);
      case "index":
      case "param":
      case "loopout":
        // Bound by their loop.
        if (!this.val.has(n.id)) throw new Error(`internal: ${n.id} outside its loop`);
        return;
    }
  }

  private reveal(n: IrNode): void {
    const b = this.b;
    const { name, to } = n.reveal!;
    const v = this.value(n.args[0]!);
    const vis = n.vis;
    let clear = v;
    if (vis.kind === "secret") clear = revealTo(b, v, to);
    else if (vis.kind === "private" && to.some((p) => p !== vis.party)) {
      clear = b.send(
        vis.party,
        v,
        to.filter((p) => p !== vis.party),
      );
    }
    b.output(clear, name, to);
    this.outputs.push({ name, to: [...to], elem: n.elem, shape: [...n.shape], from: vis });
  }

  private loop(n: IrNode): void {
    const info = n.loop!;
    const carried = info.carried;
    const inits = carried.map((c) => this.value(this.graph.node(c.param).args[0]!));
    const outs = this.b.loop(info.start, info.count, inits, (index, params) => {
      if (info.index !== undefined) this.val.set(info.index, index);
      carried.forEach((c, k) => this.val.set(c.param, params[k]!));
      this.scope(n.id);
      return carried.map((c) => this.value(this.graph.node(c.param).args[1]!));
    });
    carried.forEach((c, k) => this.val.set(c.out, outs[k]!));
  }
}
