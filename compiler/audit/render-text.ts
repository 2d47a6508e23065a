// The audit report for people: reveals, then what each party learns (findings grouped by
// party, most severe first, each with file:line:col, the source line and a caret, like the
// compiler's diagnostics), the analysis limits, what is public by construction, each party's
// local work (values it computes alone in the clear, and where they are secret-shared), each
// party's view of the run, the policy verdict and a summary line. Deterministic
// (golden-tested).

import { excerpt, paint } from "../../grammar/diagnostic.js";
import type { PolicyResult } from "./policy.js";
import type { AuditReport, Finding } from "./report.js";
import type { LoopView, PartyView, RoundMessages } from "./plan-view.js";
import type { LocalExit, LocalLoop, LocalValue, PartyLocalWork } from "./local-work.js";
import { joinWords, opLabel } from "./describe.js";
import { compactList } from "./report.js";

export interface TextOptions {
  color?: boolean;
  policy?: PolicyResult;
}

const SEV_COLOR = { error: "1;31", warning: "1;33", info: "1;36" } as const;
const plural = (n: number, word: string, many = `${word}s`): string => `${n} ${n === 1 ? word : many}`;

export function renderText(report: AuditReport, source: string, opts: TextOptions = {}): string {
  const color = opts.color ?? false;
  const lines = source.split(/\r?\n/);
  const out: string[] = [];
  const head = (s: string): void => {
    out.push("", paint(color, "1", s));
  };
  out.push(`Audit of ${report.file}: program \`${report.program}\`, ${plural(report.parties.length, "party", "parties")} (${joinWords(report.parties)})`);
  out.push(
    `Model: semi-honest parties follow the program and deduce what they can from what they receive. "Exactly" means exactly up to fixed-point rounding (${report.precision} fractional bits).`,
  );

  head("Reveals");
  if (report.reveals.length === 0) out.push("  (none: the program reveals nothing)");
  for (const group of groupReveals(report.reveals)) {
    const r = group[0]!;
    const at = `${r.span.file}:${r.span.line}:${r.span.col}`;
    const list = r.iteration !== undefined ? compactList(group.map((g) => g.iteration!)) : "";
    const iter = r.iteration !== undefined ? ` [iteration${group.length > 1 || /[-,]/.test(list) ? "s" : ""} ${list}]` : "";
    const num = group.length > 1 ? `${r.index + 1}-${group[group.length - 1]!.index + 1}` : `${r.index + 1}`;
    out.push(`  ${num}. \`${r.name}\`${iter} -> ${r.to.join(", ")}   (${at})`);
    const kind =
      r.kind === "linear"
        ? `linear${r.formula ? `: ${r.formula}` : " in the inputs, with public coefficients"}`
        : r.kind === "non-linear"
          ? `non-linear (${r.nonlinearOps.map(opLabel).join(", ")})`
          : r.kind === "public"
            ? "public: depends on no input"
            : "analysed by dependence only";
    out.push(`     ${r.type}, ${r.visibility} before the reveal; ${kind}`);
    if (r.kind !== "public") out.push(`     ${r.dependence}`);
    const repeats = group[group.length - 1]!.repeats;
    if (repeats > 0) out.push(`     (the last ${plural(repeats, "iteration")} reached a fixpoint: they reveal values with the same dependence, not analysed separately)`);
    if (r.conditional) out.push("     (only if its branch runs: the condition could not be decided at compile time)");
  }

  head("What each party learns");
  for (const k of report.knowledge) {
    const fs = report.findings.filter((f) => f.observer === k.party);
    const recv = k.receives.length === 0 ? "receives no output" : `receives ${countNames(k.receives)}`;
    out.push(`  ${paint(color, "1", k.party)} ${recv}`);
    if (fs.length === 0) {
      out.push(
        k.learnsNothing
          ? `    nothing about other parties' inputs beyond what is public by construction`
          : `    values that depend on ${joinWords(k.dependsOn.map((d) => d.elements))}, with no finding above info level`,
      );
    }
    for (const f of fs) out.push(indent(renderFinding(f, lines, color), 4));
  }
  const general = report.findings.filter((f) => f.observer === null);
  if (general.length > 0) {
    head("Analysis limits");
    for (const f of general) out.push(indent(renderFinding(f, lines, color), 2));
  }

  head("Public by construction (every party knows this, whatever the data)");
  for (const p of report.public) out.push(`  - ${p.text}${p.span ? ` (line ${p.span.line})` : ""}`);

  head(LOCAL_HEAD);
  out.push(...localWorkLines(report.local));

  head("Each party's view during the run");
  if (!report.views.available) {
    out.push(`  The compiled plan is not available, so messages cannot be listed: ${report.views.unavailable}.`);
    out.push("  By construction every message a party receives is a share or a masked value, uniformly random to it, except the reveals above.");
  } else {
    out.push(`  Plan ${report.views.planHash.slice(0, 12)}…: ${plural(report.views.rounds, "online round")}. Shares and masked openings are uniformly random to their receiver;`);
    out.push("  only the messages marked below reconstruct something that is not (the reveals listed above).");
    for (const v of report.views.parties) out.push(...renderView(v));
  }

  if (opts.policy) {
    const p = opts.policy;
    head(`Policy ${p.file}`);
    out.push(`  ${plural(p.rules, "rule")}${p.failOn ? `, fail on ${p.failOn}` : ""}: ${p.violations.length === 0 ? "all satisfied" : plural(p.violations.length, "violation")}`);
    for (const f of p.violations) out.push(indent(renderFinding(f, lines, color), 2));
  }

  head("Summary");
  const s = report.summary;
  const pol = opts.policy ? `; ${plural(opts.policy.violations.length, "policy violation")}` : "; no policy given";
  out.push(`  ${plural(s.errors, "error")}, ${plural(s.warnings, "warning")}, ${s.infos} info${pol}`);
  return out.join("\n") + "\n";
}

const LOCAL_HEAD = "Local work (what one party computes alone, in the clear, from its own inputs and public values: no messages; it leaves the party only where listed)";
const MAX_LOCAL_VALUES = 40;
const MAX_LOCAL_EXITS = 10;

function loopText(loops: readonly LocalLoop[]): string | undefined {
  if (loops.length === 0) return undefined;
  const n = loops.reduce((a, l) => a * l.iterations, 1);
  return loops.length === 1
    ? `in the loop at line ${loops[0]!.line}, ${plural(n, "iteration")}`
    : `in nested loops at lines ${joinWords(loops.map((l) => `${l.line}`))}, ${plural(n, "iteration")} in all`;
}

function localValueLine(v: LocalValue): string {
  const where: string[] = [];
  if (v.generatedFor !== undefined) where.push(`generated for \`${v.generatedFor}\``);
  if (v.calls.length === 1) where.push(`in the call on line ${v.calls[0]}`);
  else if (v.calls.length > 1) where.push(`in the ${v.calls.length} calls on lines ${joinWords(v.calls.map(String))}`);
  const loop = loopText(v.loops);
  if (loop) where.push(loop);
  const name = v.name === null ? `unnamed \`${v.expr}\`` : `\`${v.name}\``;
  const expr = v.name === null ? "" : ` = ${v.expr}`;
  const from = joinWords([...v.inputs, ...v.publicValues]);
  return `${name} ${v.type} at ${v.span.line}:${v.span.col}${where.length > 0 ? ` (${where.join(", ")})` : ""}${expr}; from ${from}`;
}

function exitLoopText(loops: readonly LocalLoop[]): string {
  if (loops.length === 0) return "";
  return loops.length === 1 ? ` (inside the loop at line ${loops[0]!.line})` : ` (inside nested loops at lines ${joinWords(loops.map((l) => `${l.line}`))})`;
}

/** Exits at one place: several values shared into the same op are one line. */
function localExitLine(es: readonly LocalExit[]): string {
  const e = es[0]!;
  const tail = exitLoopText(e.loops);
  const at = `${e.span.line}:${e.span.col}`;
  const values = joinWords(es.map((x) => x.value));
  if (e.kind === "shared") {
    const also = e.alsoAt && e.alsoAt.length > 0 ? `; also used in secret computation at ${joinWords(e.alsoAt.map((s) => `${s.line}:${s.col}`))}` : "";
    return e.at.startsWith("var ") ? `${values} at ${at}, into the secret \`${e.at}\`${tail}${also}` : `${values} at ${at}, in \`${e.at}\`${tail}${also}`;
  }
  if (e.kind === "plain") return `${values} at ${at}, revealed as \`${e.at}\` to ${joinWords(e.to ?? [])}${tail}`;
  return `${values} at ${at}, revealed as \`${e.at}\`${tail}`;
}

/** Consecutive shared exits into the same op (no later uses) grouped for one line. */
function groupByPlace(es: readonly LocalExit[]): LocalExit[][] {
  const out: LocalExit[][] = [];
  for (const e of es) {
    const last = out[out.length - 1];
    const l = last?.[0];
    const alone = (x: LocalExit): boolean => x.kind !== "shared" || (x.alsoAt?.length ?? 0) > 0;
    if (l && !alone(l) && !alone(e) && l.span.offset === e.span.offset && l.span.line === e.span.line && l.span.col === e.span.col && l.at === e.at) last!.push(e);
    else out.push([e]);
  }
  return out;
}

function capped<T>(xs: readonly T[], max: number, line: (x: T) => string, what: string): string[] {
  const out = xs.slice(0, max).map((x) => `    ${line(x)}`);
  if (xs.length > max) out.push(`    … and ${plural(xs.length - max, what)} (all listed by --format json)`);
  return out;
}

/** The "Local work" section's lines (after its heading): per party, the values it computes
 *  alone, then where its inputs and those values leave it. */
export function localWorkLines(local: readonly PartyLocalWork[]): string[] {
  const out: string[] = [];
  for (const w of local) {
    const p = w.party;
    if (w.values.length === 0) out.push(`  ${p}: no local work`);
    else {
      out.push(`  ${p} computes ${plural(w.values.length, "value")} locally:`);
      out.push(...capped(w.values, MAX_LOCAL_VALUES, localValueLine, "more value"));
    }
    const shared = w.exits.filter((e) => e.kind === "shared");
    const plain = w.exits.filter((e) => e.kind === "plain");
    const own = w.exits.filter((e) => e.kind === "own");
    const only = plain.length === 0 ? " only" : "";
    if (shared.length > 0) {
      out.push(`  ${p}'s inputs and local values leave it${only} where they enter MPC (as secret shares or masked operands):`);
      out.push(...capped(groupByPlace(shared), MAX_LOCAL_EXITS, localExitLine, "more"));
    }
    if (plain.length > 0) {
      out.push(`  ${p}'s values sent to other parties in the clear (plain disclosure, A002):`);
      out.push(...capped(plain.map((e) => [e]), MAX_LOCAL_EXITS, localExitLine, "more"));
    }
    if (own.length > 0) {
      out.push(`  revealed to ${p} only (outputs that stay with it):`);
      out.push(...capped(own.map((e) => [e]), MAX_LOCAL_EXITS, localExitLine, "more"));
    }
    if (shared.length + plain.length === 0) out.push(`  nothing of ${p}'s leaves it`);
  }
  return out;
}

/** Consecutive reveals of one statement (loop iterations) with the same description. */
function groupReveals(rs: AuditReport["reveals"]): AuditReport["reveals"][] {
  const out: AuditReport["reveals"][] = [];
  for (const r of rs) {
    const last = out[out.length - 1]?.[0];
    const same =
      last !== undefined &&
      last.iteration !== undefined &&
      r.iteration !== undefined &&
      last.span.offset === r.span.offset &&
      last.kind === r.kind &&
      last.dependence === r.dependence &&
      last.formula === r.formula &&
      last.nonlinearOps.join() === r.nonlinearOps.join();
    if (same) out[out.length - 1]!.push(r);
    else out.push([r]);
  }
  return out;
}

/** "`accuracy` (x10), `w`, `b`". */
function countNames(names: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const n of names) counts.set(n, (counts.get(n) ?? 0) + 1);
  return [...counts].map(([n, c]) => (c > 1 ? `\`${n}\` (x${c})` : `\`${n}\``)).join(", ");
}

function indent(s: string, n: number): string {
  const pad = " ".repeat(n);
  return s
    .split("\n")
    .map((l) => pad + l)
    .join("\n");
}

/** `file:line:col: severity[CODE]: message`, the source line, a caret, then notes. */
export function renderFinding(f: Finding, lines: readonly string[], color: boolean): string {
  const out = [`${f.span.file}:${f.span.line}:${f.span.col}: ${paint(color, SEV_COLOR[f.severity], `${f.severity}[${f.code}]`)}: ${f.message}`];
  out.push(...excerpt(f.span, lines, color, SEV_COLOR[f.severity]));
  for (const d of f.details) out.push(`  = note: ${d}`);
  for (const r of f.related) {
    out.push(`  = note: ${r.message} at ${r.span.file}:${r.span.line}:${r.span.col}`);
  }
  return out.join("\n");
}

function roundLine(m: RoundMessages): string {
  const what =
    m.kind === "masked"
      ? `masked values${m.origins.length > 0 ? ` (${m.origins.join(", ")})` : ""}: uniformly random`
      : m.kind === "reveal"
        ? `shares of ${m.outputs.length === 1 ? "the reveal" : "the reveals"} ${m.outputs.map((o) => `\`${o}\``).join(", ")}: together they give the revealed value${m.outputs.length === 1 ? "" : "s"}`
        : `${m.outputs.map((o) => `\`${o}\``).join(", ") || "a private value"} in the clear (plain disclosure)`;
  return `round ${m.round}: ${plural(m.messages, "message")} from ${m.from.join(", ")}, ${plural(m.elements, "element")} — ${what}`;
}

/** Round lines; a second kind in the same round rides in the same messages. */
function roundLines(ms: readonly RoundMessages[], prefix: string): string[] {
  return ms.map((m, i) => {
    const line = roundLine(m);
    return prefix + (i > 0 && ms[i - 1]!.round === m.round ? line.replace(/^round (\d+): [^,]*, /, "round $1, in the same messages: ") : line);
  });
}

function renderView(v: PartyView): string[] {
  const out = [
    `  ${v.party} receives ${plural(v.messages, "message")} (${plural(v.elements, "element")}) in total; ${v.nonRandomMessages === 0 ? "all uniformly random to it" : `all uniformly random to it except the reveal shares (or plain values) in ${plural(v.nonRandomMessages, "message")}`}; the dealer prepares ${plural(v.dealerItems, "correlated-randomness item")} for it (offline)`,
  ];
  const MAX = 12;
  out.push(...roundLines(v.rounds.slice(0, MAX), "    "));
  if (v.rounds.length > MAX) {
    const rest = v.rounds.slice(MAX);
    out.push(`    … ${plural(rest.length, "more round")} (${plural(rest.reduce((a, m) => a + m.messages, 0), "message")}, ${rest.every((m) => m.kind === "masked") ? "all masked" : "some reveals"})`);
  }
  for (const l of v.loops) out.push(...renderLoop(l));
  return out;
}

function renderLoop(l: LoopView): string[] {
  const where = l.src ? ` at line ${l.src.line}` : "";
  const per = l.perIteration;
  const masked = per.every((m) => m.kind === "masked");
  const out = [
    `    loop${where}: ${plural(l.count, "iteration")} of ${plural(l.roundsPerIteration, "round")}; ${plural(l.messages, "message")} (${plural(l.elements, "element")}) in all, ${masked ? "all masked: uniformly random" : "including reveals"}`,
  ];
  if (!masked || per.length <= 6) out.push(...roundLines(per.slice(0, 12), "      per iteration, "));
  return out;
}
