// Shared by the grammar tests: a compact printer for expressions (so precedence tests read as
// `((a - b) - c)`), span checks against the source text, and a few valid programs.

import type { Expr, Span } from "../../grammar/ast.js";
import type { Diagnostic } from "../../grammar/diagnostic.js";

/** Fully parenthesised rendering of an expression. */
export function show(e: Expr): string {
  switch (e.kind) {
    case "NumberLit":
      return e.text;
    case "BoolLit":
      return String(e.value);
    case "Ident":
      return e.name;
    case "MemberExpr":
      return `${e.object.text}.${e.property.text}`;
    case "UnaryExpr":
      return `(${e.op}${show(e.operand)})`;
    case "BinaryExpr":
      return `(${show(e.left)} ${e.op} ${show(e.right)})`;
    case "CallExpr":
      return `${e.callee.text}(${e.args.map((a) => (a.name ? `${a.name.text}=` : "") + show(a.value)).join(", ")})`;
    case "IndexExpr":
      return `${show(e.object)}[${e.indices
        .map((i) => (i.kind === "Index" ? show(i.value) : `${i.start ? show(i.start) : ""}:${i.end ? show(i.end) : ""}`))
        .join(", ")}]`;
    case "ArrayLit":
      return `[${e.elements.map(show).join(", ")}]`;
  }
}

/** The text a span covers. */
export const textOf = (source: string, s: Span): string => source.slice(s.offset, s.offset + s.length);

/** Offsets at which each line starts (lines end at `\n`, as in the lexer and the renderer). */
export function lineStarts(source: string): number[] {
  const starts = [0];
  for (let i = 0; i < source.length; i++) if (source[i] === "\n") starts.push(i + 1);
  return starts;
}

/** Why a span is not a valid span of `source` (undefined when it is): inside the file, and
 *  its line:col is where its offset is. */
export function spanProblem(source: string, starts: number[], s: Span): string | undefined {
  if (!Number.isInteger(s.offset) || !Number.isInteger(s.length) || !Number.isInteger(s.line) || !Number.isInteger(s.col))
    return `non-integer span ${JSON.stringify(s)}`;
  if (s.offset < 0 || s.length < 0 || s.offset + s.length > source.length) return `span outside the file: ${JSON.stringify(s)}`;
  if (s.line < 1 || s.line > starts.length) return `line out of range: ${JSON.stringify(s)}`;
  const col = s.offset - starts[s.line - 1]! + 1;
  const lineEnd = s.line < starts.length ? starts[s.line]! - 1 : source.length;
  if (col !== s.col) return `col ${s.col} but offset ${s.offset} is col ${col} of line ${s.line}`;
  if (s.offset > lineEnd) return `offset past the end of line ${s.line}: ${JSON.stringify(s)}`;
  return undefined;
}

/** Every span in an AST (node spans, opSpan, toSpan), found by walking plain objects. */
export function allSpans(root: unknown): Span[] {
  const out: Span[] = [];
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const v = stack.pop();
    if (Array.isArray(v)) {
      for (const x of v) stack.push(x);
    } else if (v && typeof v === "object") {
      for (const [k, x] of Object.entries(v)) {
        if (k === "span" || k === "opSpan" || k === "toSpan") out.push(x as Span);
        else stack.push(x);
      }
    }
  }
  return out;
}

/** `line:col code message` for compact assertions. */
export const brief = (d: Diagnostic): string => `${d.span.line}:${d.span.col} ${d.code} ${d.message}`;

export const FEATURE_AGGREGATION = `program feature_aggregation            // two hospitals, same patients, different features
party hospital_a, hospital_b

input hospital_a.xa : fixed[569, 15]
input hospital_b.xb : fixed[569, 15]
input hospital_b.y  : fixed[569, 1]

let x = concat(xa, xb, axis = 1)       // secret: mixes two owners' data
var w = zeros(30, 1)                   // public start
for epoch in 0..10 {                   // loop bounds are public
  let p = sigmoid(x @ w)
  w = w - 0.5 / 569 * transpose(x) @ (p - y)
}
reveal w to hospital_a, hospital_b
`;

/** Valid programs that together use every construct: the seeds of the mutation test. */
export const VALID_PROGRAMS: readonly string[] = [
  FEATURE_AGGREGATION,
  `program augment precision 20
party c0, c1, c2
input c0.x0 : fixed[190, 30]
input c1.x1 : fixed[190, 30]
input c2.flags : bool[3]
input c2.n : int
const rows = 569; const lr = 0.5
fn standardise(x) {
  let centred = x - mean(x, axis = 0)
  return centred / sqrt(mean(centred * centred, axis = 0))
}
/* pooled:
   all three centres */
let x = concat(standardise(x0), standardise(x1), axis = 0)
var b = 0.0
for epoch in 0..rows / 100 {
  if epoch < 2 && !flags[0] || n >= 3 { b = b + lr * 1e-3 }
  else if epoch == 4 { b = -b }
  else { b = b - x[0, 1:3, :][0, 0] }
}
reveal [b, b] as pair to c0, c1
reveal c0.x0[:2, 5:] as head to all
reveal b to all
`,
  `program millionaires
party alice, bob
input alice.wealth : int
input bob.wealth2 : int
let richer = wealth > bob.wealth2
reveal select(richer, 1, 0) as alice_richer to alice, bob
`,
];
