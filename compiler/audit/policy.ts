// Audit policies: what parties must not learn, checked against the audit's findings so that
// `mpc audit --policy FILE` can gate CI. The format (docs/audit.md) is one rule per line:
//
//   # comments run to the end of the line
//   hospital_a must not learn hospital_b.y              no element exactly computable
//   hospital_a must not learn anything about hospital_b.y   no revealed value depends on it
//   nobody learns model_owner.w1                         every party except the owner
//   nobody learns anything about model_owner.w1[0:5, :]  an element selection (Python slices)
//   fail on error                                        any error-level finding fails
//   fail on warning                                      any error- or warning-level finding fails
//
// or the same lines as JSON: {"rules": ["nobody learns model_owner.w1"], "failOn": "error"}.
// A malformed policy is a PolicyError naming file:line:col; it never silently passes.

import type { Span } from "../../grammar/ast.js";
import type { CheckedProgram } from "../check/typed.js";
import type { InputVars, VarSpace } from "./absval.js";
import * as D from "./depset.js";
import type { DepSet } from "./depset.js";
import { describeElements } from "./describe.js";
import type { AuditInternals, Finding } from "./report.js";
import { inputRef } from "./report.js";
import { RULES, type Severity } from "./rules.js";
import { strides } from "./tensor-ops.js";

export class PolicyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PolicyError";
  }
}

export interface PolicyRule {
  /** The rule as written. */
  text: string;
  line: number;
  /** A party, or "nobody" (every party but the input's owner). */
  observer: string;
  /** exact: no element may be computable exactly; anything: no received value may depend on it. */
  level: "exact" | "anything";
  party: string;
  input: string;
  /** The element selection as written (`[0:5, :]`), if any. */
  selectionText?: string;
  /** Per axis [start, end) after resolution; undefined = the whole input. */
  selection?: [number, number][];
}

export interface Policy {
  file: string;
  rules: PolicyRule[];
  failOn?: Severity;
}

export interface PolicyResult {
  file: string;
  rules: number;
  failOn?: Severity;
  violations: Finding[];
}

const IDENT = "[A-Za-z_][A-Za-z0-9_]*";
const RULE_RE = new RegExp(
  `^(?:(${IDENT})\\s+must\\s+not\\s+learn|(nobody)\\s+learns)\\s+(anything\\s+about\\s+)?(${IDENT})\\.(${IDENT})\\s*(\\[[^\\]]*\\])?$`,
);

/** Parse a policy file's text (line format or JSON). */
export function parsePolicy(text: string, file: string): Policy {
  const trimmed = text.trim();
  if (trimmed.startsWith("{")) {
    let json: unknown;
    try {
      json = JSON.parse(trimmed);
    } catch (err) {
      throw new PolicyError(`${file}: not valid JSON: ${(err as Error).message}`);
    }
    const obj = json as { rules?: unknown; failOn?: unknown };
    if (!Array.isArray(obj.rules) || !obj.rules.every((r) => typeof r === "string")) {
      throw new PolicyError(`${file}: a JSON policy is {"rules": ["<rule>", …], "failOn": "error" | "warning"}`);
    }
    const lines = [...(obj.rules as string[])];
    if (obj.failOn !== undefined) {
      if (obj.failOn !== "error" && obj.failOn !== "warning") throw new PolicyError(`${file}: failOn must be "error" or "warning"`);
      lines.push(`fail on ${obj.failOn}`);
    }
    return parseLines(lines, file, true);
  }
  return parseLines(text.split(/\r?\n/), file, false);
}

function parseLines(lines: readonly string[], file: string, json: boolean): Policy {
  const policy: Policy = { file, rules: [] };
  lines.forEach((raw, i) => {
    const line = raw.replace(/#.*$/, "").trim().replace(/\s+/g, " ");
    if (line === "") return;
    const where = json ? `${file}: rule ${i + 1}` : `${file}:${i + 1}:${raw.search(/\S/) + 1}`;
    const fail = /^fail on (error|warning)$/.exec(line);
    if (fail) {
      const sev = fail[1] as Severity;
      if (policy.failOn === undefined || sev === "warning") policy.failOn = sev;
      return;
    }
    const m = RULE_RE.exec(line);
    if (!m) {
      throw new PolicyError(
        `${where}: cannot read \`${line}\`; expected \`PARTY must not learn [anything about] OWNER.INPUT[…]\`, \`nobody learns [anything about] OWNER.INPUT[…]\` or \`fail on error|warning\``,
      );
    }
    const rule: PolicyRule = {
      text: line,
      line: i + 1,
      observer: m[1] ?? "nobody",
      level: m[3] ? "anything" : "exact",
      party: m[4]!,
      input: m[5]!,
    };
    if (m[6]) rule.selectionText = m[6];
    policy.rules.push(rule);
  });
  return policy;
}

/** Resolve names and selections against the program; errors name the rule's line. */
export function resolvePolicy(policy: Policy, program: CheckedProgram): Policy {
  for (const rule of policy.rules) {
    const where = `${policy.file}:${rule.line}`;
    if (rule.observer !== "nobody" && !program.parties.includes(rule.observer)) {
      throw new PolicyError(`${where}: \`${rule.observer}\` is not a party of program ${program.name} (parties: ${program.parties.join(", ")})`);
    }
    const inp = program.inputs.find((x) => x.party === rule.party && x.name === rule.input);
    if (!inp) {
      const names = program.inputs.map((x) => `${x.party}.${x.name}`).join(", ");
      throw new PolicyError(`${where}: program ${program.name} has no input ${rule.party}.${rule.input} (inputs: ${names})`);
    }
    if (rule.observer === rule.party) {
      throw new PolicyError(`${where}: ${rule.observer} owns ${rule.party}.${rule.input}; a party always knows its own input`);
    }
    if (rule.selectionText) rule.selection = parseSelection(rule.selectionText, inp.shape, where);
  }
  return policy;
}

function parseSelection(raw: string, shape: readonly number[], where: string): [number, number][] {
  const items = raw.slice(1, -1).split(",").map((s) => s.trim());
  if (items.length > shape.length) throw new PolicyError(`${where}: ${items.length} indices for an input of rank ${shape.length}`);
  return shape.map((dim, a): [number, number] => {
    const item = items[a] ?? ":";
    const norm = (s: string, dflt: number): number => {
      if (s === "") return dflt;
      if (!/^-?\d+$/.test(s)) throw new PolicyError(`${where}: \`${item}\` is not an index or a slice`);
      const v = Number(s);
      return v < 0 ? v + dim : v;
    };
    if (item.includes(":")) {
      const [s, e] = item.split(":") as [string, string];
      const start = Math.max(0, norm(s.trim(), 0));
      const end = Math.min(dim, norm(e.trim(), dim));
      if (start >= end) throw new PolicyError(`${where}: the slice \`${item}\` selects nothing on an axis of ${dim}`);
      return [start, end];
    }
    const i = norm(item, 0);
    if (i < 0 || i >= dim) throw new PolicyError(`${where}: index ${item} is out of range for an axis of ${dim}`);
    return [i, i + 1];
  });
}

/** The selected elements of an input as a dependence set. */
function selectionSet(inp: InputVars, sel: [number, number][] | undefined): DepSet {
  if (!sel) return D.range(inp.base, inp.base + inp.size);
  const st = strides(inp.info.shape);
  const ids: number[] = [];
  const rec = (axis: number, offset: number): void => {
    if (axis === sel.length) {
      ids.push(inp.base + offset);
      return;
    }
    for (let i = sel[axis]![0]; i < sel[axis]![1]; i++) rec(axis + 1, offset + i * st[axis]!);
  };
  rec(0, 0);
  return D.fromIds(ids);
}

/** Check every rule against the audit; each broken (rule, observer) pair is one finding. */
export function checkPolicy(policy: Policy, internals: AuditInternals): PolicyResult {
  const { interp, knowledge } = internals;
  const space: VarSpace = interp.space;
  const violations: Finding[] = [];
  for (const rule of policy.rules) {
    const inp = space.inputByName(rule.party, rule.input)!;
    const sel = selectionSet(inp, rule.selection);
    const observers = rule.observer === "nobody" ? interp.program.parties.filter((p) => p !== rule.party) : [rule.observer];
    for (const obs of observers) {
      const k = knowledge.get(obs)!;
      const ruleRef = `\`${rule.text}\` (${policy.file}:${rule.line})`;
      if (rule.level === "exact") {
        const hit = [...k.determined.values()].filter((d) => D.has(sel, d.id));
        if (hit.length === 0) continue;
        const set = D.fromIds(hit.map((d) => d.id));
        const events = [...new Set(hit.flatMap((d) => d.events))].sort((a, b) => a - b);
        violations.push(violation(interp.reveals.map((r) => r.span), events, obs, inp, set, `${ruleRef} is broken: ${obs} can compute ${describeElements(inp, set)} exactly`, hit[0]!.derivation, interp.reveals.map((r) => r.name)));
      } else {
        const events: number[] = [];
        let set = D.EMPTY;
        for (const [e, deps] of k.hiddenDepsByEvent) {
          const x = D.intersect(deps, sel);
          if (x.length === 0) continue;
          events.push(e);
          set = D.union(set, x);
        }
        if (events.length === 0) continue;
        events.sort((a, b) => a - b);
        violations.push(
          violation(
            interp.reveals.map((r) => r.span),
            events,
            obs,
            inp,
            set,
            `${ruleRef} is broken: ${events.map((e) => `\`${interp.reveals[e]!.name}\``).join(", ")}, received by ${obs}, depend${events.length === 1 ? "s" : ""} on ${describeElements(inp, set)}`,
            undefined,
            interp.reveals.map((r) => r.name),
          ),
        );
      }
    }
  }
  const out: PolicyResult = { file: policy.file, rules: policy.rules.length, violations };
  if (policy.failOn) out.failOn = policy.failOn;
  return out;
}

function violation(
  spans: readonly Span[],
  events: readonly number[],
  obs: string,
  inp: InputVars,
  set: DepSet,
  message: string,
  derivation: string | undefined,
  names: readonly string[],
): Finding {
  const r = RULES.policyViolation;
  return {
    code: r.code,
    rule: r.name,
    severity: r.severity,
    observer: obs,
    message,
    span: spans[events[0]!]!,
    related: events.slice(1).map((e) => ({ span: spans[e]!, message: `reveal \`${names[e]}\` also contributes` })),
    about: [inputRef(inp, set)],
    details: derivation ? [`for example: ${derivation}`] : [],
    reveals: events.map((e) => names[e]!),
  };
}
