// Hand-built checked programs for the middle-end tests: a tiny typed builder that infers
// shapes, element types and visibility the way the checker does, so tests can state programs
// without the front end. Spans are fake but distinct (line = the order ops were written).

import type { Span } from "../../../grammar/ast.js";
import type { Attr, Binding, CheckedProgram, InputInfo, TExpr, TStmt, ValueType } from "../../../compiler/check/typed.js";
import type { ElemType } from "../../../runtime/plan/plan.js";
import { joinVisibility, PUBLIC } from "../../../runtime/plan/visibility.js";
import type { Visibility } from "../../../runtime/plan/visibility.js";

const COMPARE = new Set(["lt", "le", "gt", "ge", "eq", "ne", "and", "or", "not"]);

function broadcast(a: number[], b: number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 1; i <= n; i++) {
    const x = a[a.length - i] ?? 1;
    const y = b[b.length - i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) throw new Error(`fixture: shapes ${a} and ${b} do not broadcast`);
    out.unshift(x === 1 ? y : x);
  }
  return out;
}

const rank = (e: ElemType): number => (e === "fixed" ? 2 : e === "int" ? 1 : 0);

export class ProgramFixture {
  private line = 1;
  private ids = 0;
  readonly inputs: InputInfo[] = [];
  private readonly stack: TStmt[][] = [[]];

  constructor(
    readonly name: string,
    readonly parties: string[],
    readonly precision = 16,
  ) {}

  span(): Span {
    const line = this.line++;
    return { file: `${this.name}.mpc`, line, col: 1, offset: line * 100, length: 3 };
  }

  private get body(): TStmt[] {
    return this.stack[this.stack.length - 1]!;
  }

  input(party: string, name: string, elem: ElemType, shape: number[]): TExpr {
    const info: InputInfo = { party, name, elem, shape, span: this.span() };
    this.inputs.push(info);
    return { k: "input", input: info, type: { elem, shape, vis: { kind: "private", party } }, span: info.span };
  }

  c(value: number | boolean, elem: ElemType = typeof value === "boolean" ? "bool" : Number.isInteger(value) ? "int" : "fixed"): TExpr {
    return { k: "const", value, type: { elem, shape: [], vis: PUBLIC }, span: this.span() };
  }

  op(op: string, args: TExpr[], attrs: Record<string, Attr> = {}): TExpr {
    const vis = args.reduce<Visibility>((v, a) => joinVisibility(v, a.type.vis), PUBLIC);
    const elems = args.map((a) => a.type.elem);
    let elem: ElemType = elems.reduce<ElemType>((e, x) => (rank(x) > rank(e) ? x : e), "bool");
    let shape: number[];
    const [a, b] = args;
    switch (op) {
      case "matmul": {
        const s: number[] = [];
        if (a!.type.shape.length === 2) s.push(a!.type.shape[0]!);
        if (b!.type.shape.length === 2) s.push(b!.type.shape[1]!);
        shape = s;
        break;
      }
      case "sum":
      case "mean":
      case "max":
      case "min":
        shape = attrs["axis"] === undefined ? [] : a!.type.shape.filter((_, i) => i !== attrs["axis"]);
        if (op === "mean") elem = "fixed";
        break;
      case "transpose":
        shape = [...a!.type.shape].reverse();
        break;
      case "reshape":
      case "zeros":
      case "ones":
      case "broadcast_to":
        shape = attrs["shape"] as number[];
        if (op !== "reshape" && op !== "broadcast_to") elem = "fixed";
        break;
      case "concat": {
        const ax = attrs["axis"] as number;
        shape = [...a!.type.shape];
        shape[ax] = args.reduce((n, x) => n + x.type.shape[ax]!, 0);
        break;
      }
      case "mse":
      case "bce":
      case "cross_entropy":
        shape = [];
        break;
      case "cast":
        shape = a!.type.shape;
        elem = attrs["to"] as ElemType;
        break;
      case "div":
        shape = broadcast(a!.type.shape, b!.type.shape);
        elem = "fixed";
        break;
      case "select":
        shape = broadcast(args[1]!.type.shape, args[2]!.type.shape);
        elem = [args[1]!, args[2]!].some((x) => x.type.elem === "fixed") ? "fixed" : "int";
        break;
      default:
        shape = args.reduce<number[]>((s, x) => broadcast(s, x.type.shape), []);
    }
    if (COMPARE.has(op)) elem = "bool";
    const type: ValueType = { elem, shape, vis };
    return { k: "op", op, args, attrs, type, span: this.span() };
  }

  private bind(name: string, kind: Binding["kind"], type: ValueType): Binding {
    return { id: this.ids++, name, kind, type, span: this.span() };
  }

  let(name: string, value: TExpr): TExpr {
    const binding = this.bind(name, "let", value.type);
    this.body.push({ k: "let", binding, value, span: binding.span });
    return { k: "ref", binding, type: binding.type, span: binding.span };
  }

  /** A var; `vis` is its visibility as the checker's fixpoint finds it. */
  var(name: string, init: TExpr, vis: Visibility = init.type.vis): { binding: Binding; ref: () => TExpr } {
    const binding = this.bind(name, "var", { ...init.type, vis });
    this.body.push({ k: "let", binding, value: init, span: binding.span });
    return { binding, ref: () => ({ k: "ref", binding, type: binding.type, span: this.span() }) };
  }

  assign(v: { binding: Binding }, value: TExpr): void {
    this.body.push({ k: "assign", binding: v.binding, value, span: this.span() });
  }

  for(from: number, to: number, body: (i: TExpr) => void): void {
    const binding = this.bind("i", "loop", { elem: "int", shape: [], vis: PUBLIC });
    this.stack.push([]);
    body({ k: "ref", binding, type: binding.type, span: binding.span });
    const stmts = this.stack.pop()!;
    this.body.push({ k: "for", binding, from, to, body: stmts, span: binding.span });
  }

  if(cond: TExpr, then: () => void, otherwise: () => void = () => {}): void {
    this.stack.push([]);
    then();
    const t = this.stack.pop()!;
    this.stack.push([]);
    otherwise();
    const e = this.stack.pop()!;
    this.body.push({ k: "if", cond, then: t, else: e, span: this.span() });
  }

  reveal(value: TExpr, name: string, to: string[] = this.parties): void {
    this.body.push({ k: "reveal", value, name, to, span: this.span() });
  }

  grad(loss: TExpr, wrt: { binding: Binding }): TExpr {
    return { k: "grad", loss, wrt: wrt.binding, type: wrt.binding.type, span: this.span() };
  }

  program(): CheckedProgram {
    return { name: this.name, file: `${this.name}.mpc`, precision: this.precision, parties: this.parties, inputs: this.inputs, body: this.stack[0]! };
  }
}
