// Local work: what each party computes alone, in the clear, from its own inputs (and public
// values), and where those private values leave it. Read off the checked program's
// visibilities: a value typed private(P) is computed at P without MPC (placement runs every
// private(P) value at P), and a private(P) operand of an op whose result is secret is where
// P's value is secret-shared — it enters MPC there. A private value revealed to other parties
// leaves in the clear (the A002 plain disclosure); revealed to P alone, it stays with P.
//
// A private(P) value can only be computed from P's inputs and public values: joining two
// owners' values gives secret, and revealed results are not program values. So local work
// reveals nothing to anyone; this module lists it for a reviewer, statement by statement
// (a loop body once, with its iteration count; a function body once per call). It never
// decides severity and never sees data.

import type { Span } from "../../grammar/ast.js";
import type { CheckedProgram, TExpr, TStmt } from "../check/typed.js";

export interface LocalLoop {
  /** Line of the `for`. */
  line: number;
  iterations: number;
}

export interface LocalValue {
  party: string;
  /** The binding's name, or null for an unnamed part of a larger expression. */
  name: string | null;
  /** The computation's source text (shortened when long); an unnamed value's only name. */
  expr: string;
  span: Span;
  /** `fixed[569, 15]`, `fixed` for a scalar. */
  type: string;
  /** The party's own inputs it is computed from (transitively), as `party.input`. */
  inputs: string[];
  /** Public values it also uses: public bindings by name, and `constants` for literals. */
  publicValues: string[];
  /** Enclosing loops, outermost first: the value is computed once per iteration. */
  loops: LocalLoop[];
  /** Lines of the calls a function body was inlined from (one entry per call). */
  calls: number[];
  /** For code the compiler generated (autodiff's `transpose(z)`): the source it stands for. */
  generatedFor?: string;
}

export interface LocalExit {
  party: string;
  /** shared: enters MPC as secret shares; plain: sent in the clear to other parties (A002);
   *  own: revealed to the party itself only (an output that stays with it). */
  kind: "shared" | "plain" | "own";
  /** What leaves: `za`, `hospital_b.y`, or an unnamed value's source text in backticks. */
  value: string;
  span: Span;
  /** Where: the source text of the op that takes the value (`concat(za, zb, axis = 1)`),
   *  `var w1` for a var that becomes secret, or the reveal's output name. */
  at: string;
  /** Receivers, for reveals. */
  to?: string[];
  /** Enclosing loops of where it leaves, outermost first. */
  loops: LocalLoop[];
  /** For `shared`: the value's later uses in secret computation (it enters MPC at the first;
   *  placement shares a value once, in its own scope). */
  alsoAt?: Span[];
}

export interface PartyLocalWork {
  party: string;
  values: LocalValue[];
  exits: LocalExit[];
}

const MAX_SNIPPET = 60;

type Vis = TExpr["type"]["vis"];
const privateParty = (v: Vis): string | undefined => (v.kind === "private" ? v.party : undefined);

interface Deps {
  inputs: Set<string>;
  publics: Set<string>;
  consts: boolean;
}

const emptyDeps = (): Deps => ({ inputs: new Set(), publics: new Set(), consts: false });

function typeText(t: TExpr["type"]): string {
  return t.shape.length === 0 ? t.elem : `${t.elem}[${t.shape.join(", ")}]`;
}

export function localWork(program: CheckedProgram, source: string): PartyLocalWork[] {
  return new LocalWork(program, source).run();
}

class LocalWork {
  private readonly deps = new Map<number, Deps>();
  /** `let` bindings whose value is a bare input or another binding (function parameters). */
  private readonly alias = new Map<number, TExpr>();
  private readonly values: LocalValue[] = [];
  private readonly exits: LocalExit[] = [];
  /** Which value an exit is (a binding, an input, or an unnamed expression), for grouping. */
  private readonly exitValue = new Map<LocalExit, string>();
  private readonly lineStarts: number[] = [0];
  private readonly inputOrder: Map<string, number>;

  constructor(
    readonly program: CheckedProgram,
    readonly source: string,
  ) {
    for (let i = 0; i < source.length; i++) if (source[i] === "\n") this.lineStarts.push(i + 1);
    this.inputOrder = new Map(program.inputs.map((inp, i) => [`${inp.party}.${inp.name}`, i]));
  }

  run(): PartyLocalWork[] {
    this.collectAliases(this.program.body);
    // Dependences of bindings: a var's uses may precede an assignment (loops), so iterate.
    for (let round = 0; round < 20 && this.depsPass(this.program.body); round++);
    this.block(this.program.body, []);
    return this.program.parties.map((party) => ({
      party,
      values: mergeCalls(this.values.filter((v) => v.party === party)),
      exits: this.groupExits(this.exits.filter((e) => e.party === party)),
    }));
  }

  // ------------------------------------------------------------ binding facts

  private collectAliases(ss: readonly TStmt[]): void {
    for (const s of ss) {
      if (s.k === "let" && s.binding.kind !== "var" && (s.value.k === "input" || s.value.k === "ref")) this.alias.set(s.binding.id, s.value);
      else if (s.k === "for") this.collectAliases(s.body);
      else if (s.k === "if") {
        this.collectAliases(s.then);
        this.collectAliases(s.else);
      }
    }
  }

  /** One pass of binding dependences; true when something changed. */
  private depsPass(ss: readonly TStmt[]): boolean {
    let changed = false;
    for (const s of ss) {
      if (s.k === "let" || s.k === "assign") {
        if (s.binding.type.vis.kind !== "private") continue;
        const d = this.deps.get(s.binding.id) ?? emptyDeps();
        const before = d.inputs.size + d.publics.size + (d.consts ? 1 : 0);
        this.exprDeps(s.value, d);
        this.deps.set(s.binding.id, d);
        if (d.inputs.size + d.publics.size + (d.consts ? 1 : 0) !== before) changed = true;
      } else if (s.k === "for") changed = this.depsPass(s.body) || changed;
      else if (s.k === "if") changed = this.depsPass(s.then) || this.depsPass(s.else) || changed;
    }
    return changed;
  }

  private exprDeps(e: TExpr, into: Deps): void {
    switch (e.k) {
      case "const":
        into.consts = true;
        return;
      case "input":
        into.inputs.add(`${e.input.party}.${e.input.name}`);
        return;
      case "ref": {
        if (e.binding.type.vis.kind === "public") {
          into.publics.add(e.binding.name);
          return;
        }
        const d = this.deps.get(e.binding.id);
        if (d) {
          for (const x of d.inputs) into.inputs.add(x);
          for (const x of d.publics) into.publics.add(x);
          into.consts ||= d.consts;
        }
        return;
      }
      case "op":
        for (const a of e.args) this.exprDeps(a, into);
        return;
      case "grad":
        this.exprDeps(e.loss, into);
        return;
    }
  }

  private exit(e: LocalExit, value: string): void {
    this.exits.push(e);
    this.exitValue.set(e, value);
  }

  /** The identity of the value an expression stands for (through parameter aliases). */
  private valueKey(e: TExpr): string {
    let cur = e;
    for (let guard = 0; guard < 100 && cur.k === "ref"; guard++) {
      const next = this.alias.get(cur.binding.id);
      if (!next) break;
      cur = next;
    }
    if (cur.k === "input") return `i${cur.input.party}.${cur.input.name}`;
    if (cur.k === "ref") return `b${cur.binding.id}`;
    return `e${cur.span.offset}:${cur.span.line}:${cur.span.col}:${cur.span.length}`;
  }

  /** One exit per value and place; a value used in several secret ops is one exit, at its
   *  first use, with the later ones in `alsoAt`. */
  private groupExits(es: readonly LocalExit[]): LocalExit[] {
    const out: LocalExit[] = [];
    const seen = new Set<string>();
    const firstShare = new Map<string, LocalExit>();
    for (const e of es) {
      const value = this.exitValue.get(e) ?? e.value;
      const key = [e.kind, value, e.span.offset, e.span.line, e.span.col, e.at].join("|");
      if (seen.has(key)) continue;
      seen.add(key);
      if (e.kind === "shared") {
        const first = firstShare.get(value);
        if (first) {
          (first.alsoAt ??= []).push(e.span);
          continue;
        }
        const copy = { ...e };
        firstShare.set(value, copy);
        out.push(copy);
        continue;
      }
      out.push({ ...e });
    }
    return out;
  }

  /** What a bare value is, for a reader: an input's full name, or the binding it names. */
  private valueName(e: TExpr, parent?: TExpr): string {
    let cur = e;
    for (let guard = 0; guard < 100 && cur.k === "ref"; guard++) {
      const next = this.alias.get(cur.binding.id);
      if (!next) break;
      cur = next;
    }
    if (cur.k === "input") return `${cur.input.party}.${cur.input.name}`;
    if (cur.k === "ref") return `\`${cur.binding.name}\``;
    return `\`${this.snippet(cur, cur === e ? parent : undefined)}\``;
  }

  // ------------------------------------------------------------ source text

  /** The source text of an expression, whitespace collapsed, outer parentheses dropped and
   *  shortened; for code the compiler generated (autodiff), the expression itself. */
  private snippet(e: TExpr, parent?: TExpr): string {
    const s = e.span;
    // Same span as its parent: generated, not written (autodiff) — print it.
    if (parent !== undefined && generated(e, parent)) return shorten(exprText(e), MAX_SNIPPET);
    const start = this.lineStarts[s.line - 1];
    let text = "";
    if (start !== undefined && start + s.col - 1 === s.offset) text = this.source.slice(s.offset, s.offset + s.length);
    else if (start !== undefined) text = this.source.slice(start + s.col - 1, start + s.col - 1 + s.length).split("\n")[0]!;
    text = stripParens(text.replace(/\s+/g, " ").trim());
    if (text.length === 0) text = exprText(e);
    return shorten(text, MAX_SNIPPET);
  }

  // ------------------------------------------------------------ the walk

  private block(ss: readonly TStmt[], loops: LocalLoop[]): void {
    // Inlined calls: parameter `let`s (at the call's arguments) and the body come before the
    // statement containing the call; a statement whose span holds an argument closes it.
    const open: Span[] = [];
    for (const s of ss) {
      for (let i = open.length - 1; i >= 0; i--) {
        const o = open[i]!;
        if (o.offset >= s.span.offset && o.offset < s.span.offset + s.span.length && o !== s.span) open.splice(i, 1);
      }
      const call = open.length > 0 ? open[open.length - 1]!.line : undefined;
      this.stmt(s, loops, call);
      if (s.k === "let" && s.binding.kind === "param") open.push(s.span);
    }
  }

  private stmt(s: TStmt, loops: LocalLoop[], call: number | undefined): void {
    switch (s.k) {
      case "for":
        this.block(s.body, [...loops, { line: s.span.line, iterations: Math.max(0, s.to - s.from) }]);
        return;
      case "if":
        this.block(s.then, loops);
        this.block(s.else, loops);
        return;
      case "reveal": {
        const party = privateParty(s.value.type.vis);
        if (party === undefined) {
          this.shared(s.value, s.span, loops, call);
          return;
        }
        if (isComputed(s.value)) this.value(party, null, s.value, s.value.span, loops, call);
        const others = s.to.filter((p) => p !== party);
        const exit: LocalExit = { party, kind: others.length > 0 ? "plain" : "own", value: this.valueName(s.value), span: s.span, at: s.name, to: [...s.to], loops };
        this.exit(exit, this.valueKey(s.value));
        return;
      }
      case "let":
      case "assign": {
        const party = privateParty(s.value.type.vis);
        if (party === undefined) {
          this.shared(s.value, s.span, loops, call);
          return;
        }
        const named = s.binding.kind === "param" || s.k === "assign" ? s.span : s.binding.span;
        if (isComputed(s.value)) this.value(party, s.binding.name, s.value, named, loops, s.binding.kind === "param" ? s.span.line : call);
        if (s.binding.type.vis.kind === "secret") {
          // A var that becomes secret: this value is shared into it.
          const value = isComputed(s.value) ? `\`${s.binding.name}\`` : this.valueName(s.value);
          this.exit({ party, kind: "shared", value, span: named, at: `var ${s.binding.name}`, loops }, isComputed(s.value) ? `s${named.offset}:${named.line}:${named.col}` : this.valueKey(s.value));
        }
        return;
      }
    }
  }

  private value(party: string, name: string | null, e: TExpr, span: Span, loops: LocalLoop[], call: number | undefined, parent?: TExpr): void {
    const d = emptyDeps();
    this.exprDeps(e, d);
    const publicValues = [...d.publics].map((n) => `public \`${n}\``);
    if (d.consts) publicValues.push("constants");
    this.values.push({
      party,
      name,
      expr: this.snippet(e, parent),
      span,
      type: typeText(e.type),
      inputs: [...d.inputs].sort((a, b) => (this.inputOrder.get(a) ?? 0) - (this.inputOrder.get(b) ?? 0)),
      publicValues,
      loops,
      calls: call === undefined ? [] : [call],
      ...(parent !== undefined && generated(e, parent) ? { generatedFor: this.snippet(parent) } : {}),
    });
  }

  /** A non-private expression: its private operands are where private values are shared
   *  (an unnamed private operand is also local work). */
  private shared(e: TExpr, stmt: Span, loops: LocalLoop[], call: number | undefined): void {
    const args = e.k === "op" ? e.args : e.k === "grad" ? [e.loss] : [];
    for (const a of args) {
      const party = privateParty(a.type.vis);
      if (party === undefined) {
        this.shared(a, stmt, loops, call);
        continue;
      }
      if (e.type.vis.kind !== "secret") continue;
      if (isComputed(a)) {
        // Outside its statement's text: a function's returned value, inlined at this call.
        const inlined = a.span.offset < stmt.offset || a.span.offset >= stmt.offset + stmt.length;
        this.value(party, null, a, a.span, loops, inlined ? stmt.line : call, e);
      }
      this.exit({ party, kind: "shared", value: this.valueName(a, e), span: e.span, at: this.snippet(e), loops }, this.valueKey(a));
    }
  }
}

const INFIX: Record<string, string> = { add: "+", sub: "-", mul: "*", div: "/", matmul: "@", lt: "<", le: "<=", gt: ">", ge: ">=", eq: "==", ne: "!=", and: "&&", or: "||" };

/** An expression written out (for compiler-generated code, which has no source text). */
export function exprText(e: TExpr): string {
  switch (e.k) {
    case "const":
      return `${e.value}`;
    case "input":
      return e.input.name;
    case "ref":
      return e.binding.name;
    case "grad":
      return `grad(${exprText(e.loss)}, ${e.wrt.name})`;
    case "op": {
      const sym = INFIX[e.op];
      const arg = (a: TExpr): string => (a.k === "op" && INFIX[a.op] !== undefined ? `(${exprText(a)})` : exprText(a));
      if (sym !== undefined && e.args.length === 2) return `${arg(e.args[0]!)} ${sym} ${arg(e.args[1]!)}`;
      if (e.op === "neg" && e.args.length === 1) return `-${arg(e.args[0]!)}`;
      return `${e.op}(${e.args.map(exprText).join(", ")})`;
    }
  }
}

function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;
}

/** `(1 - y)` -> `1 - y` when the parentheses enclose the whole text. */
function stripParens(text: string): string {
  while (text.startsWith("(") && text.endsWith(")")) {
    let depth = 0;
    let whole = true;
    for (let i = 0; i < text.length - 1; i++) {
      if (text[i] === "(") depth++;
      else if (text[i] === ")") depth--;
      if (depth === 0) {
        whole = false;
        break;
      }
    }
    if (!whole) break;
    text = text.slice(1, -1).trim();
  }
  return text;
}

function generated(e: TExpr, parent: TExpr): boolean {
  return parent.span.offset === e.span.offset && parent.span.length === e.span.length && parent.span.line === e.span.line;
}

function isComputed(e: TExpr): boolean {
  return e.k === "op" || e.k === "grad";
}

/** A function body inlined at several calls by the same party: one entry, every call. */
function mergeCalls(vs: readonly LocalValue[]): LocalValue[] {
  const out: LocalValue[] = [];
  const byKey = new Map<string, LocalValue>();
  for (const v of vs) {
    const key = [v.span.offset, v.span.line, v.span.col, v.name, v.type, v.loops.map((l) => l.line).join(",")].join("|");
    const seen = byKey.get(key);
    if (seen && v.calls.length > 0 && seen.calls.length > 0) {
      seen.calls.push(...v.calls);
      for (const i of v.inputs) if (!seen.inputs.includes(i)) seen.inputs.push(i);
      for (const p of v.publicValues) if (!seen.publicValues.includes(p)) seen.publicValues.push(p);
      continue;
    }
    const copy = { ...v, calls: [...v.calls], inputs: [...v.inputs], publicValues: [...v.publicValues] };
    byKey.set(key, copy);
    out.push(copy);
  }
  return out;
}

