// `parse` on broken input: random mutations of valid programs (token deletion, duplication,
// swap, truncation, inserted bytes) and plain random bytes never throw, finish quickly, and
// report diagnostics whose spans (and the partial AST's spans) are real places in the file.

import test from "ava";
import fc from "fast-check";
import { parse } from "../../grammar/index.js";
import { SYNTAX_CATALOGUE } from "../../grammar/codes.js";
import { tokenize } from "../../grammar/lexer.js";
import { allSpans, lineStarts, spanProblem, VALID_PROGRAMS } from "./helpers.js";

/** Generous: a small program parses in about a millisecond; this only catches blow-ups
 *  (exponential recovery, runaway loops) on a loaded 2-core machine. */
const TIME_BOUND_MS = 200;

const CODES = new Set(SYNTAX_CATALOGUE.map((e) => e.code));

type Mutation =
  | { kind: "delete"; at: number }
  | { kind: "duplicate"; at: number }
  | { kind: "swap"; at: number; with: number }
  | { kind: "truncate"; at: number }
  | { kind: "insert"; at: number; bytes: number[] };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant("delete" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("duplicate" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("swap" as const), at: fc.nat(), with: fc.nat() }),
  fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("insert" as const), at: fc.nat(), bytes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 8 }) }),
);

/** Apply one mutation; token positions come from the real lexer, so deletions and swaps
 *  act on whole tokens as a person's typo or a bad merge would. */
function mutate(source: string, m: Mutation): string {
  const tokens = tokenize(source).tokens;
  if (m.kind === "truncate") return source.slice(0, m.at % (source.length + 1));
  if (m.kind === "insert") {
    const at = m.at % (source.length + 1);
    return source.slice(0, at) + String.fromCharCode(...m.bytes) + source.slice(at);
  }
  if (tokens.length === 0) return source;
  const t = tokens[m.at % tokens.length]!;
  const start = t.startOffset;
  const end = t.startOffset + t.image.length;
  if (m.kind === "delete") return source.slice(0, start) + source.slice(end);
  if (m.kind === "duplicate") return source.slice(0, end) + " " + t.image + source.slice(end);
  const u = tokens[m.with % tokens.length]!;
  if (u === t) return source;
  const [a, b] = t.startOffset < u.startOffset ? [t, u] : [u, t];
  const aEnd = a.startOffset + a.image.length;
  const bEnd = b.startOffset + b.image.length;
  return source.slice(0, a.startOffset) + b.image + source.slice(aEnd, b.startOffset) + a.image + source.slice(bEnd);
}

/** Why a parse result is not acceptable for `source`, or undefined. */
function resultProblem(source: string): string | undefined {
  const t0 = performance.now();
  let r: ReturnType<typeof parse>;
  try {
    r = parse(source, "fuzz.mpc");
  } catch (err) {
    return `parse threw: ${String(err)}`;
  }
  let ms = performance.now() - t0;
  // A genuine blow-up repeats; a pause of the shared machine (GC, other processes) does not:
  // the bound applies to the fastest of three runs.
  for (let retry = 0; retry < 2 && ms > TIME_BOUND_MS; retry++) {
    const t1 = performance.now();
    parse(source, "fuzz.mpc");
    ms = Math.min(ms, performance.now() - t1);
  }
  if (ms > TIME_BOUND_MS) return `parse took ${ms.toFixed(0)} ms`;
  if (!r.program && r.diagnostics.length === 0) return "neither a program nor a diagnostic";
  const starts = lineStarts(source);
  for (const d of r.diagnostics) {
    if (!CODES.has(d.code)) return `unknown code ${d.code}`;
    // Messages are for people: no chevrotain dumps, no JSON, no token-type names.
    if (/-->|Expecting|"kind"|Identifier|NumberLiteral|RCurly|LParen|undefined|NaN/.test(d.message)) return `raw message: ${d.message}`;
    const p = spanProblem(source, starts, d.span) ?? d.related?.map((x) => spanProblem(source, starts, x.span)).find(Boolean);
    if (p) return `diagnostic "${d.message}": ${p}`;
  }
  if (r.program) {
    for (const s of allSpans(r.program)) {
      const p = spanProblem(source, starts, s);
      if (p) return `AST span: ${p}`;
    }
  }
  return undefined;
}

test("the seed programs parse cleanly", (t) => {
  for (const src of VALID_PROGRAMS) {
    const r = parse(src, "seed.mpc");
    t.deepEqual(r.diagnostics, []);
    t.is(resultProblem(src), undefined);
  }
});

test("mutated programs never make parse throw, hang or misplace a span", (t) => {
  fc.assert(
    fc.property(fc.constantFrom(...VALID_PROGRAMS), fc.array(mutation, { minLength: 1, maxLength: 4 }), (seed, mutations) => {
      const source = mutations.reduce(mutate, seed);
      const problem = resultProblem(source);
      if (problem) throw new Error(`${problem}\nsource: ${JSON.stringify(source)}`);
    }),
    { numRuns: 400 },
  );
  t.pass();
});

test("random bytes and random token soup never make parse throw", (t) => {
  const soupToken = fc.constantFrom(
    "program", "p", "party", "input", ".", ":", "fixed", "[", "]", "(", ")", "{", "}", ",", "let", "var", "=", "==",
    "for", "in", "..", "if", "else", "reveal", "as", "to", "all", "return", "fn", "const", "1", "0.5", "+", "-", "*",
    "@", "!", "&&", "||", "<", ";", "\n", "//", "/*", "*/", "x", "sum", "axis",
  );
  fc.assert(
    fc.property(
      fc.oneof(
        fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 300 }).map((b) => String.fromCharCode(...b)),
        fc.string({ unit: "binary", maxLength: 200 }),
        fc.array(soupToken, { maxLength: 120 }).map((ts) => ts.join(" ")),
      ),
      (source) => {
        const problem = resultProblem(source);
        if (problem) throw new Error(`${problem}\nsource: ${JSON.stringify(source)}`);
      },
    ),
    { numRuns: 400 },
  );
  t.pass();
});

test("pathological shapes stay fast and report errors", (t) => {
  const cases = [
    "program p\n" + "let x = (".repeat(2_000),
    "program p\n" + "[".repeat(100_000),
    "program p\nlet x = " + "1 + ".repeat(20_000),
    "program p\n" + "}".repeat(10_000),
    "program p\n" + "reveal ".repeat(5_000),
    "\u0000".repeat(50_000),
    "program p\n/*" + "x".repeat(100_000),
  ];
  for (const src of cases) {
    const t0 = performance.now();
    const r = parse(src, "p.mpc");
    const ms = performance.now() - t0;
    t.true(r.diagnostics.length > 0, src.slice(0, 30));
    t.true(ms < 2_000, `${ms.toFixed(0)} ms for ${JSON.stringify(src.slice(0, 30))}`);
    t.is(resultProblem(src.slice(0, 5_000)), undefined);
  }
});
