// Hand-built CheckedPrograms for audit tests that must not depend on the parser: each
// statement gets its own source line, so findings point at predictable locations.

import type { Span } from "../../../grammar/ast.js";
import type { Attr, Binding, CheckedProgram, InputInfo, TExpr, TStmt, ValueType } from "../../../compiler/check/typed.js";
import { broadcastOrThrow } from "../../../runtime/plan/shape.js";
import { joinVisibility, PUBLIC, privateTo, type Visibility } from "../../../runtime/plan/visibility.js";

type Elem = "fixed" | "int" | "bool";

export class ProgramBuilder {
  readonly inputs: InputInfo[] = [];
  readonly body: TStmt[] = [];
  private line = 1;
  private ids = 0;
  private scopes: TStmt[][] = [this.body];

  constructor(
    readonly name: string,
    readonly parties: string[],
    readonly file = `${name}.mpc`,
  ) {}

  span(length = 10): Span {
    return { file: this.file, line: this.line, col: 1, offset: 0, length };
  }

  private next(): Span {
    const s = this.span();
    this.line++;
    return s;
  }

  input(party: string, name: string, shape: number[] = [], elem: Elem = "fixed"): TExpr {
    const info: InputInfo = { party, name, elem, shape, span: this.next() };
    this.inputs.push(info);
    return { k: "input", input: info, type: { elem, shape, vis: privateTo(party) }, span: info.span };
  }

  num(value: number, elem: Elem = "fixed"): TExpr {
    return { k: "const", value, type: { elem, shape: [], vis: PUBLIC }, span: this.span() };
  }

  op(op: string, args: TExpr[], opts: { shape?: number[]; elem?: Elem; attrs?: Record<string, Attr> } = {}): TExpr {
    const shape = opts.shape ?? args.map((a) => a.type.shape).reduce((p, s) => broadcastOrThrow(p, s), [] as number[]);
    const vis = args.map((a) => a.type.vis).reduce((p: Visibility, v) => joinVisibility(p, v), PUBLIC);
    const elem = opts.elem ?? args[0]?.type.elem ?? "fixed";
    return { k: "op", op, args, attrs: opts.attrs ?? {}, type: { elem, shape, vis }, span: this.span() };
  }

  private binding(name: string, kind: Binding["kind"], type: ValueType): Binding {
    return { id: this.ids++, name, kind, type, span: this.span() };
  }

  let(name: string, value: TExpr): TExpr {
    const binding = this.binding(name, "let", value.type);
    this.scopes[this.scopes.length - 1]!.push({ k: "let", binding, value, span: this.next() });
    return { k: "ref", binding, type: value.type, span: this.span() };
  }

  /** A `var`: returns the binding and a reference to it (its type is the caller's join). */
  var(name: string, init: TExpr, type: ValueType = init.type): { binding: Binding; ref: TExpr } {
    const binding = this.binding(name, "var", type);
    this.scopes[this.scopes.length - 1]!.push({ k: "let", binding, value: init, span: this.next() });
    return { binding, ref: { k: "ref", binding, type, span: this.span() } };
  }

  assign(binding: Binding, value: TExpr): void {
    this.scopes[this.scopes.length - 1]!.push({ k: "assign", binding, value, span: this.next() });
  }

  for(counter: string, from: number, to: number, body: (i: TExpr) => void): void {
    const binding = this.binding(counter, "loop", { elem: "int", shape: [], vis: PUBLIC });
    const stmt: TStmt = { k: "for", binding, from, to, body: [], span: this.next() };
    this.scopes[this.scopes.length - 1]!.push(stmt);
    this.scopes.push(stmt.body);
    body({ k: "ref", binding, type: binding.type, span: this.span() });
    this.scopes.pop();
  }

  reveal(value: TExpr, name: string, to: string[] = this.parties): void {
    this.scopes[this.scopes.length - 1]!.push({ k: "reveal", value, name, to, span: this.next() });
  }

  program(): CheckedProgram {
    return { name: this.name, file: this.file, precision: 16, parties: this.parties, inputs: this.inputs, body: this.body };
  }
}

/** The seed's sum with the first `n` of alice, bob, carol, dave. */
export function sumProgram(n: number): CheckedProgram {
  const parties = ["alice", "bob", "carol", "dave"].slice(0, n);
  const b = new ProgramBuilder(`sum${n}`, parties);
  const xs = parties.map((p) => b.input(p, p[0]!));
  b.reveal(xs.slice(1).reduce((acc, x) => b.op("add", [acc, x]), xs[0]!), "total");
  return b.program();
}
