// The audit report as SARIF 2.1.0 (OASIS Static Analysis Results Interchange Format), for CI
// systems and code-scanning UIs: one run, the audit's rule catalogue as the driver's rules,
// one result per finding (and per policy violation) with its location and region. Levels:
// error, warning, and note for the audit's info. Columns are 1-based UTF-16 code units, as
// the front end's spans.
//
// Local work (what each party computes alone, in the clear) is not a finding — nothing is
// disclosed by it — so it is not a result (a result would raise an alert in code-scanning
// views and count toward gates). It rides in the run's property bag as `localWork`, the
// report's own list, for tools that want it; a private value sent in the clear is already a
// result (A002).

import type { Span } from "../../grammar/ast.js";
import type { PolicyResult } from "./policy.js";
import type { AuditReport, Finding } from "./report.js";
import { ALL_RULES } from "./rules.js";

export const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
const TOOL_VERSION = "0.1.0";

type Level = "error" | "warning" | "note";
const LEVEL: Record<Finding["severity"], Level> = { error: "error", warning: "warning", info: "note" };

interface Region {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
  snippet?: { text: string };
}

/** The region of a span, ending where its text ends (spans may cross lines). */
function region(span: Span, source: string): Region {
  const lines = source.split("\n");
  let endLine = span.line;
  let endColumn = span.col + Math.max(1, span.length);
  // Trust the offset only when it agrees with line and column.
  let lineStart = 0;
  for (let l = 1; l < span.line && l <= lines.length; l++) lineStart += lines[l - 1]!.length + 1;
  if (span.line <= lines.length && lineStart + span.col - 1 === span.offset) {
    const end = span.offset + Math.max(1, span.length);
    let pos = lineStart;
    endLine = span.line;
    while (endLine <= lines.length && pos + lines[endLine - 1]!.length < end) {
      pos += lines[endLine - 1]!.length + 1;
      endLine++;
    }
    endColumn = end - pos + 1;
    const text = source.slice(span.offset, end);
    return { startLine: span.line, startColumn: span.col, endLine, endColumn, snippet: { text } };
  }
  return { startLine: span.line, startColumn: span.col, endLine, endColumn };
}

function location(span: Span, source: string, message?: string, id?: number): Record<string, unknown> {
  const loc: Record<string, unknown> = {
    physicalLocation: {
      artifactLocation: { uri: encodeURI(span.file.replace(/\\/g, "/")), uriBaseId: "%SRCROOT%", index: 0 },
      region: region(span, source),
    },
  };
  if (id !== undefined) loc["id"] = id;
  if (message !== undefined) loc["message"] = { text: message };
  return loc;
}

export function renderSarif(report: AuditReport, source: string, policy?: PolicyResult): string {
  const ruleIndex = new Map(ALL_RULES.map((r, i) => [r.code, i]));
  const result = (f: Finding): Record<string, unknown> => {
    const text = [f.message, ...f.details.map((d) => `(${d})`)].join(" ");
    const r: Record<string, unknown> = {
      ruleId: f.code,
      ruleIndex: ruleIndex.get(f.code),
      level: LEVEL[f.severity],
      message: { text },
      locations: [location(f.span, source)],
      properties: { observer: f.observer, rule: f.rule, about: f.about, reveals: f.reveals },
    };
    if (f.related.length > 0) r["relatedLocations"] = f.related.map((x, i) => location(x.span, source, x.message, i + 1));
    return r;
  };
  const findings = [...report.findings, ...(policy?.violations ?? [])];
  const sarif = {
    $schema: SARIF_SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "mpc-audit",
            fullName: "mpc audit: static leakage audit of MPC programs",
            version: TOOL_VERSION,
            rules: ALL_RULES.map((r) => ({
              id: r.code,
              name: r.name,
              shortDescription: { text: r.title },
              fullDescription: { text: r.explanation },
              defaultConfiguration: { level: LEVEL[r.severity] },
              help: { text: r.explanation },
            })),
          },
        },
        columnKind: "utf16CodeUnits",
        originalUriBaseIds: { "%SRCROOT%": { uri: "./" } },
        artifacts: [{ location: { uri: encodeURI(report.file.replace(/\\/g, "/")), uriBaseId: "%SRCROOT%" }, hashes: { "sha-256": report.sourceSha256 } }],
        results: findings.map(result),
        properties: {
          program: report.program,
          parties: report.parties,
          summary: report.summary,
          localWork: report.local,
          policyViolations: policy?.violations.length ?? null,
        },
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + "\n";
}
