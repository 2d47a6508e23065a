// One party's part of a plan, as the statements of its generated module's `run` function: its
// own inputs, the clear work only it (or every party) does, its shares, local steps and dealer
// items, and for every communication round exactly what it sends to and receives from whom.
// What other parties do alone (their inputs, their private clear work, messages between them)
// is absent; an opening to other receivers appears only as "send my share to X"; another
// party's input is never named. Loops stay loops. Values are named after the program (./names.ts)
// and freed after their last use, as the interpreter drops them. Pure: plan in, statements out.

import type { CodeBlockWriter } from "ts-morph";
import type { LoopNode, OpenNode, Plan, PlanNode, SendNode, SourceRef, ValueInfo } from "../../runtime/plan/plan.js";
import { DEALER_ITEMS, isDealerItem } from "../../runtime/protocols/spec/dealer-items.js";
import { isLocalFn, LOCAL_FNS } from "../../runtime/protocols/spec/local-fns.js";
import { literal, names } from "./literal.js";
import { Namer, SourceLines } from "./names.js";
import { isComm, roundRunEnd } from "../../runtime/plan/rounds.js";
import { elementCount } from "../../runtime/plan/shape.js";

/** Values at least this large are freed explicitly after their last use (smaller ones go with
 *  the scope: a free call per scalar would only add noise for the reader). */
export const FREE_MIN_ELEMENTS = 1024;

/** Attributes longer than this (printed) move to a named constant after `run`. */
const INLINE_ATTRS_MAX = 100;

type Stmt =
  | { kind: "code"; src?: SourceRef; note?: string; lines: string[]; defs: string[]; uses: string[] }
  | {
      kind: "loop";
      src?: SourceRef;
      node: LoopNode;
      counter: string;
      indexVar?: string;
      carried: { name: string; init: string; next: string }[];
      body: Stmt[];
      defs: string[];
      uses: string[];
    };

export interface PartyPart {
  party: string;
  /** Writes the body of `run(rt)`. */
  writeBody: (w: CodeBlockWriter) => void;
  /** Constant attribute tables referenced by the body: name and initializer. */
  tables: { name: string; value: string; doc: string }[];
  /** Whether the body names the Value type (loop-carried variables). */
  usesValueType: boolean;
  /** This party's own inputs (name and shape). */
  inputs: { name: string; shape: number[] }[];
  /** Frames this party sends and receives per peer, and dealer items it takes (loops multiplied out). */
  traffic: { sent: Map<string, number>; received: Map<string, number>; dealerItems: number };
}

const ROLE: Record<string, string[]> = {
  sub_pair: ["e", "d"], // as the Beaver steps name them: e = x - a, d = y - b
  beaver_mul: ["product"],
  beaver_matmul: ["product"],
  beaver_square: ["square"],
  beaver_conv: ["product"],
  trunc_local: ["trunc"],
  trunc_unmask: ["trunc"],
  trunc_mask: ["trunc_masked"],
};

/** Local functions whose name says it all (no note in the module). */
const PLAIN_FNS = new Set(["add", "sub", "neg", "reshape", "flatten", "slice", "concat", "stack", "transpose", "sum", "broadcast_to"]);

const ITEM_SHORT: Record<string, string> = { triple_mul: "triple", triple_matmul: "triple", triple_conv: "triple", square_pair: "square", trunc_pair: "trunc" };

const plural = (n: number, w: string): string => `${n} ${w}${n === 1 ? "" : "s"}`;

export function partyPart(plan: Plan, party: string, source: string | undefined): PartyPart {
  return new PartyProjection(plan, party, new SourceLines(source)).build();
}

class PartyProjection {
  private readonly info = new Map<string, ValueInfo>();
  private readonly namer: Namer;
  /** Variable of each value this party holds. */
  private readonly vars = new Map<string, string>();
  private readonly sizes = new Map<string, number>();
  /** Variables never freed: loop-carried ones and what they start from (they alias). */
  private readonly keep = new Set<string>();
  /** Lines of the nodes that read each value (-1: carried to the next iteration). */
  private readonly consumers = new Map<string, Set<number>>();
  /** Program names of loop-carried variables (a plain `w` is the carried one). */
  private readonly carriedNames = new Set<string>();
  private readonly inputNames = new Map<string, string>();
  private readonly tables: PartyPart["tables"] = [];
  private readonly inputs: PartyPart["inputs"] = [];
  private readonly traffic: PartyPart["traffic"] = { sent: new Map(), received: new Map(), dealerItems: 0 };
  private readonly others: string[];
  /** Local functions and dealer items already explained once in this module. */
  private readonly explained = new Set<string>();
  /** Whether this party runs a node at all (pure nodes only when something reads them). */
  private live: (n: PlanNode) => boolean = () => true;

  constructor(
    private readonly plan: Plan,
    private readonly party: string,
    private readonly src: SourceLines,
  ) {
    for (const v of plan.values) this.info.set(v.id, v);
    this.others = plan.parties.filter((p) => p !== party);
    // never name another party's input, not even as part of a name
    const forbidden = new Set(plan.inputs.filter((i) => i.party !== party).map((i) => i.name));
    this.namer = new Namer(forbidden);
    this.scan(plan.body);
  }

  build(): PartyPart {
    const body = this.scope(this.plan.body, 1);
    this.insertFrees(body, new Set());
    return {
      party: this.party,
      writeBody: (w) => this.write(w, body, { line: undefined }),
      tables: this.tables,
      usesValueType: hasCarried(body),
      inputs: this.inputs,
      traffic: this.traffic,
    };
  }

  // ---- what the plan says about names ----

  /** Who reads what: only the nodes this party runs count, and of the pure ones (clear work,
   *  local functions) only those whose results something here reads, transitively. So a value
   *  only others read is not bound here, and a pure step nothing here needs is left out. */
  private scan(body: readonly PlanNode[]): void {
    const me = this.party;
    const needed = new Set<string>();
    const pure = (n: PlanNode): boolean => n.kind === "clear" || n.kind === "local";
    const liveNode = (n: PlanNode): boolean => {
      if (n.kind === "clear") return n.parties.includes(me) && needed.has(n.out);
      if (n.kind === "local") return n.out.some((o) => needed.has(o));
      return true;
    };
    /** What a node this party runs reads here. */
    const reads = (n: PlanNode): string[] => {
      switch (n.kind) {
        case "clear":
          return n.parties.includes(me) ? n.args : [];
        case "local":
        case "open":
          return n.args;
        case "share":
          return n.owner === me || n.owner === "public" ? [n.from] : [];
        case "send":
          return n.from === me ? [n.value] : [];
        case "output":
          return n.to.includes(me) ? [n.value] : [];
        case "loop":
          return n.carried.flatMap((c) => [c.init, c.next]);
        default:
          return [];
      }
    };
    const all: PlanNode[] = [];
    const flatten = (nodes: readonly PlanNode[]): void => {
      for (const n of nodes) {
        all.push(n);
        if (n.kind === "loop") flatten(n.body);
      }
    };
    flatten(body);
    for (let changed = true; changed; ) {
      changed = false;
      for (let i = all.length - 1; i >= 0; i--) {
        const n = all[i]!;
        if (pure(n) && !liveNode(n)) continue;
        for (const id of reads(n)) {
          if (!needed.has(id)) {
            needed.add(id);
            changed = true;
          }
        }
      }
    }
    this.live = (n) => liveNode(n);
    for (const n of all) {
      const line = n.src?.line ?? 0;
      if (n.kind === "input" && n.party === me) this.inputNames.set(n.out, n.input);
      if (pure(n) && !liveNode(n)) continue;
      for (const id of reads(n)) {
        if (n.kind === "share" && !this.holdsClear(id)) continue;
        let set = this.consumers.get(id);
        if (!set) this.consumers.set(id, (set = new Set()));
        set.add(n.kind === "loop" ? -1 : line);
      }
      if (n.kind === "loop") {
        for (const c of n.carried) {
          const name = this.programName(c.next) ?? this.programName(c.init);
          if (name) this.carriedNames.add(name);
        }
      }
    }
  }

  /** Whether this party holds a clear value (public, or its own). */
  private holdsClear(id: string): boolean {
    const vi = this.info.get(id);
    return vi !== undefined && vi.holders.includes(this.party);
  }

  /** The program variable a value's defining statement binds, if any. */
  private programName(id: string): string | undefined {
    const node = this.definer(this.plan.body, id);
    return node?.src ? this.src.statementName(node.src.line) : undefined;
  }

  private definer(nodes: readonly PlanNode[], id: string): PlanNode | undefined {
    for (const n of nodes) {
      if (n.kind === "loop") {
        const d = this.definer(n.body, id);
        if (d) return d;
      } else if ("out" in n && (n.out === id || (Array.isArray(n.out) && n.out.includes(id)))) return n;
    }
    return undefined;
  }

  /** The name of a value: the statement's name if the value leaves its statement, else the
   *  statement's name with the step's role. */
  private nameOf(node: PlanNode, id: string, role: string): string {
    const stmt = node.src ? this.src.statementName(node.src.line) : undefined;
    if (stmt === undefined) return this.namer.fresh(role);
    const used = this.consumers.get(id);
    const leaves = used !== undefined && [...used].some((l) => l !== node.src!.line);
    if (leaves && !this.carriedNames.has(stmt)) return this.namer.fresh(stmt, "value");
    return this.namer.fresh(`${stmt}_${role}`, "value");
  }

  /** A note the first time a kind of step appears in the module. */
  private explain(key: string, note: string | undefined): string | undefined {
    if (note === undefined || this.explained.has(key)) return undefined;
    this.explained.add(key);
    return note;
  }

  private define(id: string, name: string): string {
    this.vars.set(id, name);
    this.sizes.set(name, elementCount(this.info.get(id)?.shape ?? []));
    return name;
  }

  private use(id: string, node: PlanNode): string {
    const v = this.vars.get(id);
    if (v === undefined) throw new Error(`internal: codegen: party ${this.party} lacks value ${id} at node ${node.id}`);
    return v;
  }

  private holds(id: string): boolean {
    const vi = this.info.get(id);
    return vi !== undefined && (vi.kind === "arith" || vi.kind === "binary" || vi.holders.includes(this.party));
  }

  private attrs(node: PlanNode & { attrs: Record<string, unknown> }, fn: string): string | undefined {
    const keys = Object.keys(node.attrs).filter((k) => node.attrs[k] !== undefined);
    if (keys.length === 0) return undefined;
    const text = literal(node.attrs);
    if (text.length <= INLINE_ATTRS_MAX) return text;
    const name = this.namer.fresh(`${fn}_${node.id}`.toUpperCase());
    this.tables.push({ name, value: text, doc: `Attributes of step ${node.id} (${fn}${node.src ? `, line ${node.src.line}` : ""}).` });
    return name;
  }

  // ---- projection ----

  private scope(nodes: readonly PlanNode[], times: number): Stmt[] {
    const out: Stmt[] = [];
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i]!;
      if (isComm(node)) {
        const j = roundRunEnd(nodes, i);
        out.push(this.round(nodes.slice(i, j) as (OpenNode | SendNode)[], times));
        i = j - 1;
        continue;
      }
      const s = node.kind === "loop" ? this.loop(node, times) : this.step(node, times);
      if (s) out.push(s);
    }
    return out;
  }

  private step(node: Exclude<PlanNode, OpenNode | SendNode | LoopNode>, times: number): Stmt | undefined {
    const me = this.party;
    const base = { kind: "code" as const, ...(node.src ? { src: node.src } : {}) };
    switch (node.kind) {
      case "input": {
        if (node.party !== me) return undefined;
        const shape = this.info.get(node.out)!.shape;
        this.inputs.push({ name: node.input, shape });
        const call = `rt.input(${JSON.stringify(node.input)}, ${literal(shape)});`;
        if (!this.consumers.has(node.out)) return { ...base, lines: [call], defs: [], uses: [] };
        const v = this.define(node.out, this.namer.fresh(node.input));
        return { ...base, lines: [`const ${v} = ${call}`], defs: [v], uses: [] };
      }
      case "clear": {
        if (!node.parties.includes(me) || !this.live(node)) return undefined;
        const args = node.args.map((a) => this.use(a, node));
        const role = node.op === "decode" ? "revealed" : node.op;
        let v: string;
        if (node.op === "decode") {
          const stmt = node.src ? this.src.statementName(node.src.line) : undefined;
          v = this.namer.fresh(stmt ?? "revealed", "revealed");
        } else v = this.nameOf(node, node.out, role);
        this.define(node.out, v);
        const attrs = this.attrs(node, node.op);
        return { ...base, lines: [`const ${v} = rt.clear(${JSON.stringify(node.op)}, [${args.join(", ")}]${attrs ? `, ${attrs}` : ""});`], defs: [v], uses: args };
      }
      case "share": {
        const from = this.info.get(node.from)!;
        const mine = node.owner === me || (node.owner === "public" && this.vars.has(node.from));
        const value = mine ? this.use(node.from, node) : undefined;
        const input = node.owner === me ? this.inputNames.get(node.from) : undefined;
        // a share nobody here reads is still drawn: the seeded streams are taken in plan order
        const bound = this.consumers.has(node.out);
        const v = !bound ? "" : this.define(node.out, value !== undefined ? this.namer.fresh(`${value}_share`) : this.namer.fresh(`${node.owner}_share`));
        const spec = `{ owner: ${JSON.stringify(node.owner)}, elem: ${JSON.stringify(from.elem)}, shape: ${literal(from.shape)}${input ? `, input: ${JSON.stringify(input)}` : ""} }`;
        let note: string | undefined;
        if (node.owner !== me && node.owner !== "public") {
          // another party's value: no quote of its declaration, no name
          const what = this.plan.inputs.some((i) => i.party === node.owner && node.src && this.src.isInputDeclaration(node.src.line)) ? "an input" : "a private value";
          note = `my share of ${what} of ${node.owner}${node.src ? ` (line ${node.src.line})` : ""}: drawn from the seed I share with ${node.owner}`;
        } else if (node.owner === me) {
          note = `${input ?? value ?? "my value"} is secret-shared: my share is ${input ?? "it"} minus what the others draw from our shared seeds`;
        }
        const src = node.owner !== me && node.owner !== "public" ? {} : node.src ? { src: node.src } : {};
        return {
          kind: "code",
          ...src,
          ...(note ? { note } : {}),
          lines: [`${bound ? `const ${v} = ` : ""}rt.share(${JSON.stringify(node.id)}, ${value ?? "undefined"}, ${spec});`],
          defs: bound ? [v] : [],
          uses: value ? [value] : [],
        };
      }
      case "local": {
        if (!this.live(node)) return undefined; // pure, and nothing here reads it
        const args = node.args.map((a) => this.vars.get(a) ?? "undefined");
        const roles = ROLE[node.fn];
        const outs = node.out.map((id, k) => {
          if (!this.holds(id) || !this.consumers.has(id)) return "";
          const role = roles?.[k] ?? (node.out.length > 1 ? `${node.fn}_${k + 1}` : node.fn);
          return this.define(id, this.nameOf(node, id, role));
        });
        const attrs = this.attrs(node, node.fn);
        const note = this.explain(`local ${node.fn}`, PLAIN_FNS.has(node.fn) || !isLocalFn(node.fn) ? undefined : `${node.fn}: ${LOCAL_FNS[node.fn]}`);
        const call = `rt.local(${JSON.stringify(node.fn)}, [${args.join(", ")}]${attrs ? `, ${attrs}` : ""});`;
        const defs = outs.filter((o) => o !== "");
        const lhs = defs.length === 0 ? "" : `const [${trimHoles(outs).join(", ")}] = `;
        return { ...base, ...(note ? { note } : {}), lines: [`${lhs}${call}`], defs, uses: args.filter((a) => a !== "undefined") };
      }
      case "dealer": {
        this.traffic.dealerItems += times;
        const layout = isDealerItem(node.item) ? DEALER_ITEMS[node.item].layout(node.attrs) : [];
        const short = ITEM_SHORT[node.item] ?? node.item;
        const outs = node.out.map((id, k) => {
          if (!this.consumers.has(id)) return "";
          return this.define(id, this.nameOf(node, id, `${short}_${layout[k]?.name ?? k + 1}`));
        });
        const attrs = this.attrs(node, node.item);
        const defs = outs.filter((o) => o !== "");
        const lhs = defs.length === 0 ? "" : `const [${trimHoles(outs).join(", ")}] = `;
        const doc = isDealerItem(node.item) ? DEALER_ITEMS[node.item].doc.split(/: attrs\b/)[0] : undefined;
        const note = this.explain(`dealer ${node.item}`, doc ? `from the dealer, ${node.item}: ${doc}` : undefined);
        return { ...base, ...(note ? { note } : {}), lines: [`${lhs}rt.dealer(${JSON.stringify(node.id)}, ${JSON.stringify(node.item)}${attrs ? `, ${attrs}` : ""});`], defs, uses: [] };
      }
      case "output": {
        if (!node.to.includes(me)) return undefined;
        const v = this.use(node.value, node);
        const elem = this.info.get(node.value)!.elem;
        return { ...base, lines: [`rt.output(${JSON.stringify(node.name)}, ${v}, ${JSON.stringify(elem)});`], defs: [], uses: [v] };
      }
    }
  }

  /** One round: this party's view of each open/send node of the group. */
  private round(group: (OpenNode | SendNode)[], times: number): Stmt {
    const me = this.party;
    const steps: string[] = [];
    const results: string[][] = [];
    const uses: string[] = [];
    const defs: string[] = [];
    const sendPeers = new Set<string>();
    const receivePeers = new Set<string>();
    // the program lines of the steps this party takes part in (the others' are not its business)
    const mine = group.filter((n) => n.kind === "open" || n.from === me || n.to.includes(me));
    const lines = new Set(mine.map((n) => n.src?.line));
    const where = (n: PlanNode): string => (lines.size > 1 && n.src ? ` // line ${n.src.line}` : "");
    for (const node of group) {
      if (node.kind === "open") {
        const shares = node.args.map((a) => this.use(a, node));
        uses.push(...shares);
        const sendTo = node.to.filter((p) => p !== me);
        const receiveFrom = node.to.includes(me) ? this.others : [];
        sendTo.forEach((p) => sendPeers.add(p));
        receiveFrom.forEach((p) => receivePeers.add(p));
        const xor = node.args.some((a) => this.info.get(a)?.kind === "binary") ? ", xor: true" : "";
        steps.push(`{ open: ${JSON.stringify(node.id)}, shares: [${shares.join(", ")}], sendTo: ${names(sendTo)}, receiveFrom: ${names(receiveFrom)}${xor} },${where(node)}`);
        if (receiveFrom.length > 0) {
          const stmt = node.origin === "reveal" && node.src ? this.src.statementName(node.src.line) : undefined;
          const outs = node.out.map((id, k) => this.define(id, this.namer.fresh(stmt !== undefined && node.out.length === 1 ? `${stmt}_opened` : `${shares[k]}_open`, "opened")));
          defs.push(...outs);
          results.push(outs);
        } else results.push([]);
      } else if (node.from === me) {
        const v = this.use(node.value, node);
        uses.push(v);
        const to = node.to.filter((p) => p !== me);
        to.forEach((p) => sendPeers.add(p));
        this.vars.set(node.out, v); // the value itself, now also held by the receivers
        steps.push(`{ send: ${JSON.stringify(node.id)}, value: ${v}, to: ${names(to)} },${where(node)}`);
        results.push([]);
      } else if (node.to.includes(me)) {
        const vi = this.info.get(node.value)!;
        receivePeers.add(node.from);
        const stmt = node.src ? this.src.statementName(node.src.line) : undefined;
        const v = this.define(node.out, this.namer.fresh(stmt ?? `from_${node.from}`, `from_${node.from}`));
        defs.push(v);
        steps.push(`{ receive: ${JSON.stringify(node.id)}, from: ${JSON.stringify(node.from)}, shape: ${literal(vi.shape)}${vi.kind === "clear" ? "" : ", ring: true"} },${where(node)}`);
        results.push([v]);
      }
    }
    for (const p of sendPeers) this.traffic.sent.set(p, (this.traffic.sent.get(p) ?? 0) + times);
    for (const p of receivePeers) this.traffic.received.set(p, (this.traffic.received.get(p) ?? 0) + times);
    const r = group[0]!.round;
    const what =
      sendPeers.size + receivePeers.size === 0
        ? "nothing for me to send or receive (the round is counted all the same)"
        : [sendPeers.size ? `send to ${[...sendPeers].join(", ")}` : "", receivePeers.size ? `receive from ${[...receivePeers].join(", ")}` : ""]
            .filter(Boolean)
            .join("; ");
    const call = `await rt.round(${r}, [`;
    const lhs = results.some((x) => x.length > 0) ? `const [${trimTrailingEmpty(results).map((x) => `[${x.join(", ")}]`).join(", ")}] = ` : "";
    const text = steps.length === 0 ? [`${lhs}${call}]);`] : [`${lhs}${call}`, ...steps.map((s) => `  ${s}`), "]);"];
    const src = mine.find((n) => n.src)?.src;
    return { kind: "code", ...(src ? { src } : {}), note: `round ${r}: ${what}`, lines: text, defs, uses };
  }

  private loop(node: LoopNode, times: number): Stmt {
    const stmtName = node.src ? this.src.statementName(node.src.line) : undefined;
    const counter = this.namer.fresh(stmtName ?? "i");
    const carried = node.carried.map((c) => {
      const program = this.programName(c.next) ?? this.programName(c.init);
      const init = this.vars.get(c.init);
      if (init === undefined) throw new Error(`internal: codegen: party ${this.party} lacks loop init ${c.init}`);
      const name = this.namer.fresh(program ?? "carried");
      this.keep.add(init);
      this.keep.add(name);
      this.vars.set(c.param, name);
      this.sizes.set(name, elementCount(this.info.get(c.param)?.shape ?? []));
      return { name, init, next: c.next };
    });
    let indexVar: string | undefined;
    if (node.index !== undefined && this.consumers.has(node.index)) {
      indexVar = this.define(node.index, this.namer.fresh(`${counter}_value`));
    }
    const body = this.scope(node.body, times * node.count);
    const loopCarried = carried.map((c) => {
      const next = this.vars.get(c.next);
      if (next === undefined) throw new Error(`internal: codegen: party ${this.party} lacks loop value ${c.next}`);
      this.keep.add(next);
      return { name: c.name, init: c.init, next };
    });
    // after the loop, its results are the carried variables themselves
    node.carried.forEach((c, k) => this.vars.set(c.out, loopCarried[k]!.name));
    const inner = new Set<string>([...loopCarried.map((c) => c.name), ...(indexVar ? [indexVar] : [])]);
    const bodyDefs = new Set<string>(inner);
    const collectDefs = (ss: Stmt[]): void => {
      for (const s of ss) {
        s.defs.forEach((d) => bodyDefs.add(d));
        if (s.kind === "loop") collectDefs(s.body);
      }
    };
    collectDefs(body);
    const used = new Set<string>();
    const collectUses = (ss: Stmt[]): void => {
      for (const s of ss) {
        s.uses.forEach((u) => used.add(u));
        if (s.kind === "loop") collectUses(s.body);
      }
    };
    collectUses(body);
    for (const c of loopCarried) used.add(c.next);
    const outer = [...used].filter((u) => !bodyDefs.has(u));
    return {
      kind: "loop",
      ...(node.src ? { src: node.src } : {}),
      node,
      counter,
      ...(indexVar ? { indexVar } : {}),
      carried: loopCarried,
      body,
      defs: loopCarried.map((c) => c.name),
      uses: [...outer, ...loopCarried.map((c) => c.init)],
    };
  }

  // ---- lifetimes ----

  /** After each statement, free the large values of this scope it used last (never the
   *  loop-carried ones, nor `keepHere`, e.g. a body's next values). */
  private insertFrees(stmts: Stmt[], keepHere: ReadonlySet<string>): void {
    const last = new Map<string, number>();
    stmts.forEach((s, i) => {
      for (const u of s.uses) last.set(u, i);
    });
    const defined = new Set(stmts.flatMap((s) => s.defs));
    const freeAfter = new Map<number, string[]>();
    for (const [v, i] of last) {
      if (!defined.has(v) || this.keep.has(v) || keepHere.has(v) || (this.sizes.get(v) ?? 0) < FREE_MIN_ELEMENTS) continue;
      const list = freeAfter.get(i) ?? [];
      list.push(v);
      freeAfter.set(i, list);
    }
    for (let i = stmts.length - 1; i >= 0; i--) {
      const s = stmts[i]!;
      if (s.kind === "loop") this.insertFrees(s.body, new Set(s.carried.map((c) => c.next)));
      const f = freeAfter.get(i);
      if (f) stmts.splice(i + 1, 0, { kind: "code", lines: [`rt.free(${f.join(", ")});`], defs: [], uses: [] });
    }
  }

  // ---- writing ----

  private write(w: CodeBlockWriter, stmts: Stmt[], at: { line: number | undefined }): void {
    for (const s of stmts) {
      // another party's input declaration is never quoted
      const owner = s.src ? this.src.inputOwner(s.src.line) : undefined;
      if (s.src && s.src.line !== at.line && (owner === undefined || owner === this.party)) {
        at.line = s.src.line;
        const text = this.src.text(s.src.line)?.replace(/\s*\{$/, "");
        w.writeLine(`// line ${s.src.line}${text ? `: ${text}` : ""}`);
      }
      if (s.kind === "code") {
        if (s.note) for (const l of wrap(s.note, 96)) w.writeLine(`// ${l}`);
        for (const l of s.lines) w.writeLine(l);
        continue;
      }
      const n = s.node;
      w.writeLine(`// ${plural(n.count, "iteration")}${n.rounds ? ` of ${plural(n.rounds, "round")}` : ""}${s.carried.length ? `; carries ${s.carried.map((c) => c.name).join(", ")}` : ""}`);
      for (const c of s.carried) w.writeLine(`let ${c.name}: Value = ${c.init};`);
      w.writeLine(`rt.loop(${JSON.stringify(n.id)}, ${n.count});`);
      const first = n.start;
      const cond = `${s.counter} < ${first + n.count}`;
      w.write(`for (let ${s.counter} = ${first}; ${cond}; ${s.counter}++) `).block(() => {
        w.writeLine(`rt.iteration(${first === 0 ? s.counter : `${s.counter} - ${first}`});`);
        if (s.indexVar) w.writeLine(`const ${s.indexVar} = rt.constant(${s.counter});`);
        this.write(w, s.body, { line: s.src?.line });
        if (s.carried.length === 1) w.writeLine(`${s.carried[0]!.name} = ${s.carried[0]!.next};`);
        else if (s.carried.length > 1) w.writeLine(`[${s.carried.map((c) => c.name).join(", ")}] = [${s.carried.map((c) => c.next).join(", ")}];`);
      });
      w.writeLine("rt.endLoop();");
      at.line = undefined;
    }
  }
}

/** Split a comment into lines of at most `width` characters (at spaces). */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line !== "" && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === "" ? word : `${line} ${word}`;
  }
  if (line !== "") lines.push(line);
  return lines;
}

function hasCarried(stmts: readonly Stmt[]): boolean {
  return stmts.some((s) => s.kind === "loop" && (s.carried.length > 0 || hasCarried(s.body)));
}

/** Drop trailing holes of a destructuring pattern. */
function trimHoles(outs: string[]): string[] {
  const o = [...outs];
  while (o.length > 0 && o[o.length - 1] === "") o.pop();
  return o;
}

function trimTrailingEmpty(results: string[][]): string[][] {
  const o = [...results];
  while (o.length > 0 && o[o.length - 1]!.length === 0) o.pop();
  return o;
}
