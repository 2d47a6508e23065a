// The front end's one entry point: source text -> AST + syntax diagnostics.
// `parse` never throws, whatever the input (random bytes, huge files, absurd nesting): every
// problem becomes a Diagnostic. When error recovery leaves a partial AST it is still
// returned; callers decide whether to go on (the checker runs only on error-free programs).

import type { IToken } from "chevrotain";
import type { Program, Span } from "./ast.js";
import type { Diagnostic } from "./diagnostic.js";
import { SyntaxCode } from "./codes.js";
import { tokenize, WELL_FORMED_NUMBER } from "./lexer.js";
import { parseTokens } from "./parser.js";
import { AstBuilder } from "./to-ast.js";
import { SyntaxMessages } from "./messages.js";

export { SYNTAX_CATALOGUE, SyntaxCode } from "./codes.js";
export { KEYWORDS } from "./lexer.js";

export interface ParseResult {
  program?: Program;
  diagnostics: Diagnostic[];
}

/** Deepest nesting of `(`, `[` and `{` the parser accepts. Each level costs a handful of
 *  parser frames; this keeps far below the stack limit while no real program comes close. */
export const MAX_NESTING = 100;

/** After this many syntax errors the rest are almost surely consequences (or not .mpc). */
export const MAX_DIAGNOSTICS = 50;

export function parse(source: string, file: string): ParseResult {
  try {
    return parseUnguarded(source, file);
  } catch (err) {
    // Nothing above should throw; if something does, it is our bug, not the user's, and
    // it still must not escape as a stack trace.
    const overflow = err instanceof RangeError;
    return {
      diagnostics: [
        {
          code: overflow ? SyntaxCode.NestingTooDeep : SyntaxCode.InternalError,
          severity: "error",
          message: overflow ? "the program is nested too deeply to parse" : `internal parser error: ${String((err as Error)?.message ?? err)}`,
          span: { file, line: 1, col: 1, offset: 0, length: 0 },
        },
      ],
    };
  }
}

function parseUnguarded(source: string, file: string): ParseResult {
  const diagnostics: Diagnostic[] = [];
  const lexed = tokenize(source);
  const tokSpan = (t: IToken): Span => ({
    file,
    line: t.startLine ?? 1,
    col: t.startColumn ?? 1,
    offset: t.startOffset,
    length: (t.endOffset ?? t.startOffset) - t.startOffset + 1,
  });

  for (const e of lexed.errors) {
    const text = source.slice(e.offset, e.offset + e.length);
    const many = [...text].length > 1;
    const d: Diagnostic = {
      code: SyntaxCode.UnexpectedCharacter,
      severity: "error",
      message: `unexpected character${many ? "s" : ""} '${printable(text.length > 24 ? text.slice(0, 24) + "…" : text)}'`,
      span: { file, line: e.line ?? 1, col: e.column ?? 1, offset: e.offset, length: e.length },
    };
    const hint = characterHint(text);
    if (hint) d.hint = hint;
    diagnostics.push(d);
  }
  for (const t of lexed.badTokens) {
    diagnostics.push({
      code: SyntaxCode.UnterminatedComment,
      severity: "error",
      message: "unterminated block comment",
      span: { ...tokSpan(t), length: 2 },
      hint: "close the comment with '*/'",
    });
  }
  for (const t of lexed.tokens) {
    if (t.tokenType.name !== "NumberLiteral") continue;
    const d = checkNumber(t.image, tokSpan(t));
    if (d) diagnostics.push(d);
  }

  const tooDeep = findExcessiveNesting(lexed.tokens);
  if (tooDeep) {
    diagnostics.push({
      code: SyntaxCode.NestingTooDeep,
      severity: "error",
      message: `brackets nested more than ${MAX_NESTING} deep`,
      span: tokSpan(tooDeep),
      hint: "split the expression into several `let` statements",
    });
    return { diagnostics: finish(diagnostics) };
  }

  const { cst, errors, stoppedAt } = parseTokens(lexed.tokens);
  const messages = new SyntaxMessages(file, lexed.tokens);
  // A parse error on the same line after a lexical error (a bad character, a malformed
  // number) is almost always its echo: `a & b` must not also say "expected '=' after 'b'".
  const lexicalErrorAt = new Map<number, number>(); // line -> offset of its first lexical error
  for (const d of diagnostics) {
    if (d.code === SyntaxCode.NumberOutOfRange) continue; // a whole token: no echo
    const prev = lexicalErrorAt.get(d.span.line);
    if (prev === undefined || d.span.offset < prev) lexicalErrorAt.set(d.span.line, d.span.offset);
  }
  const builder = new AstBuilder(file);
  const program = builder.program(cst);

  // Parser errors and the grammar-level errors of to-ast.ts, in file order, with echoes
  // dropped.
  const candidates: { d: Diagnostic; fromParser: boolean }[] = [];
  for (const e of errors) {
    const d = messages.diagnose(e);
    if (d) candidates.push({ d, fromParser: true });
  }
  for (const d of builder.diagnostics) candidates.push({ d, fromParser: false });
  // By line; on a line, the parser's own report first (it says where it got stuck).
  candidates.sort((a, b) => a.d.span.line - b.d.span.line || Number(b.fromParser) - Number(a.fromParser) || a.d.span.offset - b.d.span.offset);
  let lastLine = 0;
  for (const { d } of candidates) {
    // One syntax error per line: after a mistake, chevrotain's recovery often trips again on
    // the rest of the line (`let y y = concat(a, b)` is one mistake, not four). Statements are
    // a line each in practice, so this keeps every independent mistake and drops the echoes.
    if (d.span.line === lastLine) continue;
    const lexical = lexicalErrorAt.get(d.span.line);
    if (lexical !== undefined && lexical <= d.span.offset) continue;
    lastLine = d.span.line;
    diagnostics.push(d);
  }

  if (stoppedAt) {
    diagnostics.push({
      code: SyntaxCode.TooManyErrors,
      severity: "error",
      message: "too many syntax errors; the rest of the file was not parsed",
      span: Number.isFinite(stoppedAt.startOffset) ? tokSpan(stoppedAt) : messages.after(lexed.tokens.at(-1)),
    });
  }
  if (!cst.children["header"]) {
    const first = lexed.tokens[0];
    diagnostics.push({
      code: SyntaxCode.MissingHeader,
      severity: "error",
      message: "missing program header: a program starts with `program <name>`",
      span: first ? tokSpan(first) : { file, line: 1, col: 1, offset: 0, length: 0 },
      hint: "add a first line such as `program my_program`",
    });
  }
  return { program, diagnostics: finish(diagnostics) };
}

/** Sort by position and cap the count. */
function finish(diags: Diagnostic[]): Diagnostic[] {
  diags.sort((a, b) => a.span.offset - b.span.offset);
  if (diags.length <= MAX_DIAGNOSTICS) return diags;
  const kept = diags.slice(0, MAX_DIAGNOSTICS);
  const next = diags[MAX_DIAGNOSTICS]!;
  kept.push({
    code: SyntaxCode.TooManyErrors,
    severity: "error",
    message: `too many syntax errors; ${diags.length - MAX_DIAGNOSTICS} more not shown`,
    span: next.span,
  });
  return kept;
}

function checkNumber(text: string, span: Span): Diagnostic | undefined {
  if (!WELL_FORMED_NUMBER.test(text)) {
    const d: Diagnostic = { code: SyntaxCode.MalformedNumber, severity: "error", message: `malformed number '${text}'`, span };
    d.hint = /^[0-9]+(\.[0-9]+)?[eE][+-]?$/.test(text)
      ? "an exponent needs digits, e.g. `1e-3`"
      : /^0[xXbBoO]/.test(text)
        ? "numbers are written in decimal"
        : "put an operator between a number and a name, e.g. `2 * x`";
    return d;
  }
  const value = Number(text);
  if (!Number.isFinite(value)) {
    return { code: SyntaxCode.NumberOutOfRange, severity: "error", message: `number '${text}' is too large`, span };
  }
  if (/^[0-9]+$/.test(text) && !Number.isSafeInteger(value)) {
    return {
      code: SyntaxCode.NumberOutOfRange,
      severity: "error",
      message: `integer '${text}' is too large to be represented exactly (the limit is 2^53 - 1)`,
      span,
    };
  }
  return undefined;
}

/** The first opening delimiter that goes past MAX_NESTING, if any. */
function findExcessiveNesting(tokens: IToken[]): IToken | undefined {
  let depth = 0;
  for (const t of tokens) {
    const c = t.image;
    if (c === "(" || c === "[" || c === "{") {
      if (++depth > MAX_NESTING) return t;
    } else if ((c === ")" || c === "]" || c === "}") && depth > 0) depth--;
  }
  return undefined;
}

function printable(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u00a0\u200b-\u200f\u2028\u2029]/g, (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"));
}

function characterHint(text: string): string | undefined {
  switch (text[0]) {
    case "&":
      return "logical and is written '&&'";
    case "|":
      return "logical or is written '||'";
    case '"':
    case "'":
      return "the language has no strings";
    case "#":
      return "comments start with '//'";
    case "%":
      return "there is no remainder operator";
    case "\u00a0":
      return "a non-breaking space: replace it with a plain space";
    case "\u200b":
    case "\u200c":
    case "\u200d":
      return "an invisible zero-width character: delete it";
    default:
      return /[^\x00-\x7f]/.test(text) ? "names use ASCII letters, digits and '_'" : undefined;
  }
}
