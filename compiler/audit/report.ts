// The audit report: from a checked program (and, when it could be built, its protocol plan)
// to reveals, findings per party, public-by-construction facts, each party's local work
// (local-work.ts: what it computes alone, and where that enters MPC) and its view. This is
// the one data structure the text, JSON and SARIF renderers and the policy check read; it is
// plain JSON (no Maps, no BigInts), so `--format json` is just this object.
//
// Severity policy (docs/audit.md): error = some party can compute some element of another
// party's input exactly; warning = a private value sent in the clear, a non-linear function
// of a single hidden element, or a part of the analysis that fell back to dependence only;
// info = aggregates (linear combinations of several hidden elements, non-linear functions of
// many). Never includes data: the audit has none.

import { createHash } from "node:crypto";
import type { Span } from "../../grammar/ast.js";
import type { CheckedProgram } from "../check/typed.js";
import type { Plan } from "../../runtime/plan/plan.js";
import { showVisibility } from "../../runtime/plan/visibility.js";
import type { Limits } from "./algebra.js";
import { type AbsElem, depsOf, expandLinear, isConst, isNonlinearAtom, type InputVars, type VarSpace } from "./absval.js";
import * as D from "./depset.js";
import type { DepSet } from "./depset.js";
import {
  type DependenceClause,
  dependencePattern,
  describeDeps,
  describeElements,
  elementTemplate,
  formula,
  indexText,
  inputName,
  joinWords,
  nonlinearOps,
  opLabel,
  templateFormula,
  varName,
} from "./describe.js";
import { type Interpretation, interpret, type RevealEvent } from "./interpret.js";
import { localWork, type PartyLocalWork } from "./local-work.js";
import { analyseObserver, type Knowledge, type KnowledgeOptions, type NonlinearItem } from "./knowledge.js";
import { type PartyViews, partyViews } from "./plan-view.js";
import { Rat } from "./rational.js";
import { RULES, type AuditRule, type Severity } from "./rules.js";
import { numel, unravel } from "./tensor-ops.js";

export interface InputRef {
  party: string;
  input: string;
  /** e.g. "all of bob.x", "rows 0-9 of bob.x". */
  elements: string;
  count: number;
  total: number;
}

export interface Finding {
  code: string;
  rule: string;
  severity: Severity;
  /** The party that learns; null for findings about the analysis itself. */
  observer: string | null;
  message: string;
  span: Span;
  related: { span: Span; message: string }[];
  /** The inputs the finding is about. */
  about: InputRef[];
  /** Extra lines: derivations, what the values depend on, caveats. */
  details: string[];
  /** Names of the reveals involved. */
  reveals: string[];
}

export interface RevealSummary {
  index: number;
  name: string;
  to: string[];
  span: Span;
  type: string;
  /** Visibility before the reveal: secret, private(P) or public. */
  visibility: string;
  kind: "public" | "linear" | "non-linear" | "dependence-only";
  /** `total = alice.a + bob.b + …` when linear and short, or a per-element template. */
  formula?: string;
  nonlinearOps: string[];
  /** "row i of `pred` depends on row i of data_owner.x and all of model_owner.w1". */
  dependence: string;
  clauses: DependenceClause[];
  /** "epoch = 3" for a reveal inside an unrolled loop. */
  iteration?: string;
  repeats: number;
  conditional: boolean;
}

export interface PartyKnowledge {
  party: string;
  /** Reveals this party receives, by name. */
  receives: string[];
  /** Input elements of other parties it can compute exactly. */
  exact: InputRef[];
  /** Other parties' input elements that something it receives depends on. */
  dependsOn: InputRef[];
  /** True when nothing it receives tells it anything about other parties' inputs. */
  learnsNothing: boolean;
}

export interface PublicFact {
  topic: "program" | "parties" | "inputs" | "precision" | "loops" | "branches" | "outputs" | "traffic";
  text: string;
  span?: Span;
}

export interface AuditReport {
  format: "mpc-audit";
  version: 1;
  program: string;
  file: string;
  sourceSha256: string;
  parties: string[];
  precision: number;
  reveals: RevealSummary[];
  findings: Finding[];
  knowledge: PartyKnowledge[];
  public: PublicFact[];
  /** Per party: what it computes alone in the clear, and where those values leave it. */
  local: PartyLocalWork[];
  views: PartyViews;
  limits: { span: Span; reason: string }[];
  summary: { errors: number; warnings: number; infos: number };
}

export interface AuditOptions {
  /** The program text (for the hash and source snippets in messages). */
  source: string;
  /** The compiled plan, or why there is none. */
  plan?: Plan | { unavailable: string };
  limits?: Limits;
  knowledge?: KnowledgeOptions;
}

/** What the audit computed on the way, for the policy check and tests. */
export interface AuditInternals {
  interp: Interpretation;
  knowledge: Map<string, Knowledge>;
}

export function auditProgram(program: CheckedProgram, opts: AuditOptions): { report: AuditReport; internals: AuditInternals } {
  const interp = interpret(program, opts.limits);
  const knowledge = new Map(program.parties.map((p) => [p, analyseObserver(interp, p, opts.knowledge)]));
  const ctx = new Context(interp, opts.source);
  const reveals = interp.reveals.map((ev) => ctx.revealSummary(ev));
  const findings: Finding[] = [];
  for (const party of program.parties) findings.push(...ctx.partyFindings(knowledge.get(party)!));
  findings.push(...ctx.limitFindings(knowledge));
  const views = partyViews(program, opts.plan ?? { unavailable: "the plan was not built" });
  const report: AuditReport = {
    format: "mpc-audit",
    version: 1,
    program: program.name,
    file: program.file,
    sourceSha256: createHash("sha256").update(opts.source).digest("hex"),
    parties: [...program.parties],
    precision: program.precision,
    reveals,
    findings,
    knowledge: program.parties.map((p) => ctx.partyKnowledge(knowledge.get(p)!)),
    public: publicFacts(program, interp, views, opts.source),
    local: localWork(program, opts.source),
    views,
    limits: interp.limits.map((l) => ({ span: l.span, reason: l.reason })),
    summary: tally(findings),
  };
  return { report, internals: { interp, knowledge } };
}

export function tally(findings: readonly Finding[]): AuditReport["summary"] {
  return {
    errors: findings.filter((f) => f.severity === "error").length,
    warnings: findings.filter((f) => f.severity === "warning").length,
    infos: findings.filter((f) => f.severity === "info").length,
  };
}

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

function finding(r: AuditRule, f: Omit<Finding, "code" | "rule" | "severity">): Finding {
  return { code: r.code, rule: r.name, severity: r.severity, ...f };
}

export function inputRef(inp: InputVars, set: DepSet): InputRef {
  const local = D.clip(set, inp.base, inp.base + inp.size);
  return { party: inp.info.party, input: inp.info.name, elements: describeElements(inp, local), count: D.size(local), total: inp.size };
}

function inputRefs(space: VarSpace, set: DepSet): InputRef[] {
  return space.inputs.filter((i) => D.clip(set, i.base, i.base + i.size).length > 0).map((i) => inputRef(i, set));
}

const plural = (n: number, word: string, many = `${word}s`): string => `${n} ${n === 1 ? word : many}`;

function typeText(ev: RevealEvent): string {
  return ev.shape.length === 0 ? ev.elem : `${ev.elem}[${ev.shape.join(", ")}]`;
}

const NARROW_HINT: Record<string, string> = {
  relu: "relu (the value itself whenever it is positive)",
  abs: "the absolute value (the value up to sign)",
  square: "the square (the value up to sign)",
  sign: "the sign",
  clip: "the value clipped to a public range (exact inside the range)",
  floor: "the integer part",
  max: "a maximum involving the value",
  min: "a minimum involving the value",
  max_pool2d: "a maximum involving the value",
};

class Context {
  readonly space: VarSpace;
  private readonly lines: string[];

  constructor(
    readonly interp: Interpretation,
    readonly source: string,
  ) {
    this.space = interp.space;
    this.lines = source.split(/\r?\n/);
  }

  /** The source text of a span when it lies on one line (else undefined). */
  snippet(span: Span): string | undefined {
    const line = this.lines[span.line - 1];
    if (line === undefined) return undefined;
    const text = line.slice(span.col - 1, span.col - 1 + span.length).trim();
    return text.length > 0 && text.length === Math.min(span.length, line.length - span.col + 1) ? text : text || undefined;
  }

  ev(i: number): RevealEvent {
    return this.interp.reveals[i]!;
  }

  evLabel(ev: RevealEvent): string {
    const it = iterationText(ev);
    if (it === undefined) return `\`${ev.name}\``;
    return `\`${ev.name}\` (iteration${ev.repeats > 0 ? "s" : ""} ${it})`;
  }

  related(events: readonly number[], primary: number): { span: Span; message: string }[] {
    return events.filter((e) => e !== primary).map((e) => ({ span: this.ev(e).span, message: `reveal ${this.evLabel(this.ev(e))} is also used` }));
  }

  revealSummary(ev: RevealEvent): RevealSummary {
    // Named sums expanded, so "linear" means linear in the input elements.
    const els = ev.value.el.map((e) => (e.k === "aff" ? expandLinear(this.space, e) : e));
    const kind: RevealSummary["kind"] = els.every(isConst)
      ? "public"
      : els.some((e) => e.k === "opq")
        ? "dependence-only"
        : els.some((e) => e.k === "aff" && e.vars.some((v) => isNonlinearAtom(this.space, v)))
          ? "non-linear"
          : "linear";
    const { clauses, subject } = dependencePattern(this.space, ev);
    const dependence = clauses.length === 0 ? `\`${ev.name}\` depends on no input (public)` : `${subject} depends on ${joinWords(clauses.map((c) => c.text))}`;
    const s: RevealSummary = {
      index: ev.index,
      name: ev.name,
      to: ev.to,
      span: ev.span,
      type: typeText(ev),
      visibility: showVisibility(ev.vis),
      kind,
      nonlinearOps: nonlinearOps(this.space, els),
      dependence,
      clauses,
      repeats: ev.repeats,
      conditional: ev.conditional,
    };
    if (kind === "linear" || kind === "public") {
      const f = this.linearFormula(ev, els);
      if (f) s.formula = f;
    }
    const it = iterationText(ev);
    if (it !== undefined) s.iteration = it;
    return s;
  }

  private linearFormula(ev: RevealEvent, els: readonly AbsElem[]): string | undefined {
    const name = (v: number): string => varName(this.space, v);
    if (els.length === 1) return `${ev.name} = ${formula(els[0] as never, name)}`;
    // One template for every element, at the element's own index?
    const first = els[0]!;
    if (first.k === "aff") {
      const t0 = elementTemplate(this.space, first);
      const same =
        t0 !== undefined &&
        els.every((e, k) => {
          if (e.k !== "aff") return false;
          const t = elementTemplate(this.space, e);
          const idx = unravel(k, ev.shape);
          return t !== undefined && t.key === t0.key && t.index.length === idx.length && t.index.every((x, i) => x === idx[i]);
        });
      if (same) {
        const syms = ev.shape.map((_, a) => ["i", "j", "k", "l"][a] ?? `i${a}`);
        return `${ev.name}[${syms.join(", ")}] = ${templateFormula(this.space, first)}`;
      }
    }
    if (els.length <= 4) return els.map((e, k) => `${ev.name}${indexText(unravel(k, ev.shape))} = ${e.k === "aff" ? formula(e, name) : "?"}`).join("; ");
    return undefined;
  }

  partyKnowledge(k: Knowledge): PartyKnowledge {
    const exactSet = D.fromIds(k.determined.keys());
    let deps = D.EMPTY;
    for (const d of k.hiddenDepsByEvent.values()) deps = D.union(deps, d);
    return {
      party: k.observer,
      // One entry per execution: a reveal a loop repeats counts each time.
      receives: k.events.flatMap((e) => Array.from({ length: 1 + this.ev(e).repeats }, () => this.ev(e).name)),
      exact: inputRefs(this.space, exactSet),
      dependsOn: inputRefs(this.space, deps),
      learnsNothing: deps.length === 0,
    };
  }

  partyFindings(k: Knowledge): Finding[] {
    const out: Finding[] = [];
    const obs = k.observer;
    // Plain disclosures.
    for (const e of k.events) {
      const ev = this.ev(e);
      if (ev.vis.kind !== "private" || ev.vis.party === obs) continue;
      const owner = ev.vis.party;
      const deps = D.unionAll(ev.value.el.map((x) => depsOf(this.space, x)));
      out.push(
        finding(RULES.plainDisclosure, {
          observer: obs,
          message: `${this.evLabel(ev)} is computed from ${owner}'s inputs alone and ${owner} sends it to ${obs} in the clear`,
          span: ev.span,
          related: [],
          about: inputRefs(this.space, deps),
          details: [`it depends on ${describeDeps(this.space, deps)}`],
          reveals: [ev.name],
        }),
      );
    }
    // Exact disclosures, one finding per input.
    const byInput = new Map<number, number[]>();
    for (const id of k.determined.keys()) {
      const inp = this.space.inputOf(id).index;
      const list = byInput.get(inp);
      if (list) list.push(id);
      else byInput.set(inp, [id]);
    }
    for (const [inpIndex, ids] of byInput) {
      const inp = this.space.inputs[inpIndex]!;
      const dets = ids.map((id) => k.determined.get(id)!);
      const events = [...new Set(dets.flatMap((d) => d.events))].sort((a, b) => a - b);
      const via = [...new Set(dets.flatMap((d) => d.via))];
      const set = D.fromIds(ids);
      const ref = inputRef(inp, set);
      const details: string[] = [];
      const examples = dets.filter((d) => d.derivation).slice(0, 3).map((d) => d.derivation!);
      if (examples.length > 0) details.push(`${ids.length > examples.length ? "for example: " : ""}${examples.join("; ")}`);
      if (via.length > 0) {
        details.push(
          `after inverting ${joinWords(via.map((v) => `\`${v}\``))}, an injective function of the revealed value's argument` +
            (via.some((v) => v === "sigmoid" || v === "tanh") ? " (exact where it is not saturated at the fixed-point precision)" : ""),
        );
      }
      if (dets.some((d) => d.conditional)) details.push("only if the branch containing the reveal runs (its condition could not be decided at compile time)");
      const primary = events[0]!;
      const countText = inp.size > 1 ? ` (${ref.count} of ${plural(ref.total, "element")})` : "";
      const generic = dets.filter((d) => d.generic);
      let how = "";
      if (generic.length > 0) {
        const g = generic.reduce((a, d) => (d.equations * d.unknowns > a.equations * a.unknowns ? d : a));
        how = `, solving ${plural(g.equations, "equation")} in ${plural(g.unknowns, "unknown")} whose coefficients are ${obs}'s own data`;
        details.push(
          `this holds whenever ${obs}'s data in these equations is in general position (as many linearly independent rows as unknowns), which real data almost always is; the audit checked the rank with generic values standing for ${obs}'s data`,
        );
      }
      out.push(
        finding(RULES.exactDisclosure, {
          observer: obs,
          message: `${obs} can compute ${ref.elements} exactly${countText}${how}`,
          span: this.ev(primary).span,
          related: this.related(events, primary),
          about: [ref],
          details,
          reveals: events.map((e) => this.ev(e).name),
        }),
      );
    }
    // Non-linear items.
    for (const item of k.nonlinear) out.push(this.nonlinearFinding(obs, item));
    // Linear combinations, grouped by per-element template.
    out.push(...this.comboFindings(k));
    out.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.span.line - b.span.line || a.span.col - b.span.col);
    return mergeIterations(out);
  }

  private nonlinearFinding(obs: string, item: NonlinearItem): Finding {
    const ev = this.ev(item.event);
    const atom = item.atom !== undefined ? this.space.atom(item.atom) : undefined;
    const what = atom ? this.snippet(atom.span) : undefined;
    const hiddenText = describeDeps(this.space, item.hidden);
    const n = item.elems.length;
    const all = n === numel(ev.shape);
    const scope = ev.shape.length === 0 ? "" : all ? ` (each of the ${plural(n, "element")} of \`${ev.name}\`)` : ` (${n} of the elements of \`${ev.name}\`)`;
    const base = { observer: obs, span: ev.span, related: [], about: inputRefs(this.space, item.hidden), reveals: [ev.name] };
    if (item.narrow) {
      // One hidden element per revealed element: say which, and what is learned about it.
      const hiddenCount = D.size(item.hidden);
      const target = hiddenCount === 1 ? hiddenText : `each of ${hiddenCount} hidden elements (${hiddenText})`;
      const from = n > 1 || ev.shape.length > 0 ? `, from ${this.evLabel(ev)}` : "";
      let learns: string;
      if (item.kind === "bit") learns = `one bit about ${target}${from}${what ? `: whether \`${what}\` holds${n > 1 ? " (elementwise)" : ""}` : ""}`;
      else if (item.kind === "value" && item.op && NARROW_HINT[item.op]) learns = `${NARROW_HINT[item.op]}, for ${target}${from}`;
      else learns = `a non-linear function${item.op ? ` (\`${item.op}\`)` : ""} of ${target}${from}`;
      return finding(RULES.narrowDisclosure, {
        ...base,
        message: `${obs} learns ${learns}`,
        details: [`each revealed element depends on a single hidden element: ${ev.name} is not an aggregate, it tells ${obs} about identifiable values`],
      });
    }
    const details = [`they depend on ${hiddenText}`, dependenceDetail(this.revealSummary(ev))];
    let message: string;
    if (item.kind === "class-index") {
      const classes = atom?.arity ?? 2;
      const bits = Math.log2(classes);
      message = `${obs} learns ${this.evLabel(ev)}: a class index per ${ev.shape.length >= 1 ? "row" : "value"} (argmax over ${classes} scores), not the scores themselves${scope}`;
      details.unshift(`at most ${Number.isInteger(bits) ? bits : bits.toFixed(2)} bit${bits === 1 ? "" : "s"} per index`);
    } else if (item.kind === "bit") {
      message = `${obs} learns ${this.evLabel(ev)}: one bit per element${what ? ` (\`${what}\`)` : ""}${scope}`;
    } else {
      const ops = nonlinearOps(this.space, item.elems.map((e) => expandElem(this.space, ev.value.el[e]!)));
      message = `${obs} learns ${this.evLabel(ev)}: ${plural(n, "non-linear value")} of other parties' inputs${ops.length > 0 ? ` (through ${ops.map(opLabel).join(", ")})` : ""}`;
    }
    return finding(RULES.nonlinearDisclosure, { ...base, message, details: details.filter((d) => d.length > 0) });
  }

  private comboFindings(k: Knowledge): Finding[] {
    const out: Finding[] = [];
    const groups = new Map<string, { terms: Map<number, Rat>[]; events: number[] }>();
    const singles: { terms: Map<number, Rat>; events: number[] }[] = [];
    const generic = new Map<string, { count: number; support: DepSet; events: number[] }>();
    for (const c of k.combos) {
      if (c.nonlinear) continue;
      if (c.generic) {
        // Coefficients are the observer's own data: describe, don't print numbers.
        const key = c.events.join(",");
        const g = generic.get(key) ?? { count: 0, support: D.EMPTY, events: c.events };
        g.count++;
        g.support = D.union(g.support, D.fromIds(c.terms.keys()));
        generic.set(key, g);
        continue;
      }
      const aff = { c: Rat.ZERO, vars: [...c.terms.keys()], coefs: [...c.terms.values()] };
      const t = elementTemplate(this.space, aff);
      if (t) {
        const key = `${t.key}|${c.events.join(",")}`;
        const g = groups.get(key);
        if (g) g.terms.push(c.terms);
        else groups.set(key, { terms: [c.terms], events: c.events });
      } else singles.push({ terms: c.terms, events: c.events });
    }
    const emit = (terms: Map<number, Rat>[], events: number[], templated: boolean): void => {
      const first = terms[0]!;
      const aff = { c: Rat.ZERO, vars: [...first.keys()], coefs: [...first.values()] };
      const isSum = aff.coefs.every((r) => r.isOne());
      const support = D.fromIds(terms.flatMap((t) => [...t.keys()]));
      const primary = events[0]!;
      let message: string;
      const details: string[] = [];
      if (templated && terms.length > 1) {
        const f = templateFormula(this.space, aff);
        message = `${k.observer} learns ${isSum ? "the sum " : ""}${f} for each of ${plural(terms.length, "index", "indices")}, and none of these elements individually`;
        details.push(`for example ${formula(aff, (v) => varName(this.space, v))}`);
      } else if (isSum && aff.vars.length > 8) {
        message = `${k.observer} learns the sum of ${describeDeps(this.space, support)} (${plural(aff.vars.length, "element")}), and none of them individually`;
      } else {
        const f = formula(aff, (v) => varName(this.space, v));
        message = `${k.observer} learns ${isSum ? "the sum " : "the combination "}${f}, and none of ${aff.vars.length === 2 ? "the two" : "these"} individually`;
      }
      if (events.some((e) => this.ev(e).iterations.length > 0)) details.push(`from ${joinWords(events.map((e) => this.evLabel(this.ev(e))))}`);
      details.push(`it combines ${plural(D.size(support), "hidden element")} of ${joinWords(this.space.partiesOf(support))}`);
      out.push(
        finding(RULES.linearCombination, {
          observer: k.observer,
          message,
          span: this.ev(primary).span,
          related: this.related(events, primary),
          about: inputRefs(this.space, support),
          details,
          reveals: events.map((e) => this.ev(e).name),
        }),
      );
    };
    for (const g of generic.values()) {
      const primary = g.events[0]!;
      out.push(
        finding(RULES.linearCombination, {
          observer: k.observer,
          message: `${k.observer} learns ${g.count === 1 ? "a linear combination" : `${g.count} independent linear combinations`} of ${describeDeps(this.space, g.support)} with coefficients from its own data, and none of these elements individually`,
          span: this.ev(primary).span,
          related: this.related(g.events, primary),
          about: inputRefs(this.space, g.support),
          details: [`it combines ${plural(D.size(g.support), "hidden element")} of ${joinWords(this.space.partiesOf(g.support))}; with more such reveals (or fewer unknowns) it could solve for them`],
          reveals: g.events.map((e) => this.ev(e).name),
        }),
      );
    }
    for (const g of groups.values()) emit(g.terms, g.events, true);
    // Ungrouped combinations: show a few, then count the rest in one finding.
    const shown = singles.slice(0, 5);
    for (const s of shown) emit([s.terms], s.events, false);
    if (singles.length > shown.length) {
      const rest = singles.slice(shown.length);
      const support = D.fromIds(rest.flatMap((t) => [...t.terms.keys()]));
      const events = [...new Set(rest.flatMap((r) => r.events))].sort((a, b) => a - b);
      out.push(
        finding(RULES.linearCombination, {
          observer: k.observer,
          message: `${k.observer} learns ${plural(rest.length, "more linear combination")} of hidden elements, none of them individually`,
          span: this.ev(events[0]!).span,
          related: this.related(events, events[0]!),
          about: inputRefs(this.space, support),
          details: [`they involve ${describeDeps(this.space, support)}`],
          reveals: events.map((e) => this.ev(e).name),
        }),
      );
    }
    return out;
  }

  limitFindings(knowledge: Map<string, Knowledge>): Finding[] {
    const out: Finding[] = [];
    for (const l of this.interp.limits) {
      out.push(finding(RULES.analysisLimit, { observer: null, message: l.reason, span: l.span, related: [], about: [], details: [], reveals: [] }));
    }
    for (const k of knowledge.values()) {
      for (const fb of k.fallbacks) {
        const primary = fb.events[0]!;
        out.push(
          finding(RULES.analysisLimit, {
            observer: k.observer,
            message: `what ${k.observer} can solve from ${joinWords(fb.events.map((e) => this.evLabel(this.ev(e))))} was not computed exactly: ${fb.reason} (${plural(fb.equations, "equation")} in ${plural(fb.unknowns, "unknown")})`,
            span: this.ev(primary).span,
            related: this.related(fb.events, primary),
            about: [],
            details: ["these reveals are reported by dependence only; an exact disclosure among them would be missed"],
            reveals: fb.events.map((e) => this.ev(e).name),
          }),
        );
      }
    }
    return out;
  }
}


/** "3" for iteration 3 of a loop; "2-4" when the loop stopped at a fixpoint after iteration 2
 *  of 5 (iterations 3 and 4 repeat it); "1/0" inside nested loops (outer counter first). */
export function iterationText(ev: RevealEvent): string | undefined {
  if (ev.iterations.length === 0) return undefined;
  const counters = ev.iterations.map((x) => `${x.counter}`);
  if (ev.repeats > 0) {
    const last = ev.iterations[ev.iterations.length - 1]!.counter;
    counters[counters.length - 1] = `${last}-${last + ev.repeats}`;
  }
  return counters.join("/");
}

const ITERATION = / \(iterations? ([^)]*)\)/;

/** One finding per reveal statement, not per loop iteration: findings that differ only in
 *  the iteration of the same reveal are merged ("`accuracy` (iterations 1-9)"). */
function mergeIterations(fs: readonly Finding[]): Finding[] {
  const out: Finding[] = [];
  const groups = new Map<string, { f: Finding; iterations: string[] }>();
  for (const f of fs) {
    const m = ITERATION.exec(f.message);
    if (!m) {
      out.push(f);
      continue;
    }
    const key = [f.code, f.observer, f.span.offset, f.message.replace(ITERATION, ""), ...f.details].join("|");
    const g = groups.get(key);
    if (g) {
      g.iterations.push(m[1]!);
      g.f.reveals.push(...f.reveals);
      continue;
    }
    const copy: Finding = { ...f, reveals: [...f.reveals] };
    groups.set(key, { f: copy, iterations: [m[1]!] });
    out.push(copy);
  }
  for (const { f, iterations } of groups.values()) {
    const list = compactList(iterations);
    if (iterations.length > 1) f.message = f.message.replace(ITERATION, ` (iterations ${list})`);
  }
  return out;
}

/** "1", "2", "3-4", "6" -> "1-4, 6" for integer labels and ranges; others joined as they are. */
export function compactList(labels: readonly string[]): string {
  if (!labels.every((l) => /^\d+(-\d+)?$/.test(l))) {
    // Nested loops ("outer/inner"): first and last, and how many.
    return labels.length <= 3 ? labels.join(", ") : `${labels[0]} … ${labels[labels.length - 1]} (${labels.length} in all)`;
  }
  const xs = labels.flatMap((l) => {
    const [a, b] = l.split("-").map(Number) as [number, number | undefined];
    return b === undefined ? [a] : Array.from({ length: b - a + 1 }, (_, i) => a + i);
  });
  const parts: string[] = [];
  for (let i = 0; i < xs.length; ) {
    let j = i;
    while (j + 1 < xs.length && xs[j + 1] === xs[j]! + 1) j++;
    parts.push(j === i ? `${xs[i]}` : `${xs[i]}-${xs[j]}`);
    i = j + 1;
  }
  return parts.join(", ");
}

function expandElem(space: VarSpace, e: AbsElem): AbsElem {
  return e.k === "aff" ? expandLinear(space, e) : e;
}

function dependenceDetail(s: RevealSummary): string {
  return s.clauses.length > 0 ? s.dependence : "";
}

// ---------------------------------------------------------------- public by construction

function publicFacts(program: CheckedProgram, interp: Interpretation, views: PartyViews, source: string): PublicFact[] {
  const facts: PublicFact[] = [];
  const hash = createHash("sha256").update(source).digest("hex");
  facts.push({
    topic: "program",
    text: `the program text (${program.file}, sha256 ${hash.slice(0, 16)}…): every party runs the same program, so what is computed and revealed is common knowledge`,
  });
  facts.push({
    topic: "parties",
    text: `the compute parties ${joinWords(program.parties)}; the dealer (a runtime role) sends correlated randomness only and receives nothing`,
  });
  for (const inp of interp.space.inputs) {
    facts.push({
      topic: "inputs",
      text: `${inputName(inp)} is ${inp.info.elem}${inp.info.shape.length > 0 ? `[${inp.info.shape.join(", ")}]` : " (a scalar)"}: its owner, element type and shape (not its values)`,
      span: inp.info.span,
    });
  }
  facts.push({ topic: "precision", text: `fixed point with ${program.precision} fractional bits` });
  for (const l of interp.loops) {
    facts.push({ topic: "loops", text: `\`for ${l.counter} in ${l.from}..${l.to}\` runs ${plural(Math.max(0, l.to - l.from), "iteration")}`, span: l.span });
  }
  for (const b of interp.branches) {
    if (b.taken !== "both") facts.push({ topic: "branches", text: `this \`if\` takes its ${b.taken} branch (a public condition)`, span: b.span });
  }
  const seenOutputs = new Set<number>();
  for (const ev of interp.reveals) {
    // A reveal in a loop is one output statement, executed once per iteration.
    if (seenOutputs.has(ev.span.offset)) continue;
    seenOutputs.add(ev.span.offset);
    const times = interp.reveals.filter((r) => r.span.offset === ev.span.offset).reduce((n, r) => n + 1 + r.repeats, 0);
    facts.push({
      topic: "outputs",
      text: `\`${ev.name}\` (${typeText(ev)}) goes to ${joinWords(ev.to)}${times > 1 ? `, ${times} times (once per loop iteration)` : ""}: who receives which output, and its shape`,
      span: ev.span,
    });
  }
  if (views.available) {
    facts.push({
      topic: "traffic",
      text: `the traffic pattern: ${plural(views.rounds, "online round")}, and in each round which party sends how many elements to whom (fixed by the program and the input shapes, not by the data)`,
    });
  } else {
    facts.push({
      topic: "traffic",
      text: `the traffic pattern (rounds, message counts and sizes) is fixed by the program and the input shapes, not by the data; it could not be listed here: ${views.unavailable}`,
    });
  }
  return facts;
}
