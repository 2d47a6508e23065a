// The tokens of the .mpc language and the one lexer instance that produces them.
// Keywords use `longer_alt` so that `format`, `input_x` or `allx` stay identifiers.
// This module only splits text into tokens: it never reports diagnostics itself (index.ts
// turns lexing errors, malformed numbers and unterminated comments into diagnostics).

import { createToken, Lexer, type IToken, type TokenType, type ILexingError } from "chevrotain";

// ---------------------------------------------------------------- trivia

/** Includes the byte-order mark some editors put at the start of a file. */
export const WhiteSpace = createToken({
  name: "WhiteSpace",
  pattern: /[ \t\r\n\f\v\uFEFF]+/,
  group: Lexer.SKIPPED,
  line_breaks: true,
});

export const LineComment = createToken({
  name: "LineComment",
  pattern: /\/\/[^\n]*/,
  group: Lexer.SKIPPED,
});

export const BlockComment = createToken({
  name: "BlockComment",
  pattern: /\/\*[\s\S]*?\*\//,
  group: Lexer.SKIPPED,
  line_breaks: true,
});

/** A `/*` with no closing `*\/`: kept in its own group so it becomes error E0002. */
export const UnterminatedComment = createToken({
  name: "UnterminatedComment",
  pattern: /\/\*[\s\S]*/,
  group: "errors",
  line_breaks: true,
});

// ---------------------------------------------------------------- names and numbers

export const Identifier = createToken({ name: "Identifier", pattern: /[A-Za-z_][A-Za-z0-9_]*/ });

/** `12`, `0.5`, `1e-3`, `2.5E+4`. No leading-dot form (`.5`): `.` is member access.
 *  A fraction needs a digit after the dot, so `0..10` is `0` `..` `10`.
 *  Letters glued to the digits (`2x`, `1e`, `0x10`) are part of the token, so they make one
 *  malformed number (error E0007, see index.ts) rather than a number followed by a name. */
export const NumberLiteral = createToken({
  name: "NumberLiteral",
  pattern: /[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?[A-Za-z0-9_]*/,
});

/** What a well-formed NumberLiteral looks like in full. */
export const WELL_FORMED_NUMBER = /^[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/;

// ---------------------------------------------------------------- keywords

const keywordTokens: TokenType[] = [];
function keyword(word: string): TokenType {
  const t = createToken({
    name: word[0]!.toUpperCase() + word.slice(1),
    pattern: new RegExp(word),
    longer_alt: Identifier,
    label: `'${word}'`,
  });
  keywordTokens.push(t);
  return t;
}

export const Program = keyword("program");
export const Precision = keyword("precision");
export const Party = keyword("party");
export const Input = keyword("input");
export const Const = keyword("const");
export const Let = keyword("let");
export const Var = keyword("var");
export const Fn = keyword("fn");
export const For = keyword("for");
export const In = keyword("in");
export const If = keyword("if");
export const Else = keyword("else");
export const Reveal = keyword("reveal");
export const As = keyword("as");
export const To = keyword("to");
export const All = keyword("all");
export const Return = keyword("return");
export const True = keyword("true");
export const False = keyword("false");
export const Fixed = keyword("fixed");
export const Int = keyword("int");
export const Bool = keyword("bool");

export const KEYWORDS: readonly string[] = keywordTokens.map((t) => String(t.LABEL).slice(1, -1));

// ---------------------------------------------------------------- operators and punctuation

/** Categories: the parser reads a run of binary operators as a flat list (precedence is
 *  resolved in to-ast.ts), and `-` / `!` as prefix operators. */
export const BinaryOperator = createToken({ name: "BinaryOperator", pattern: Lexer.NA });
export const UnaryOperator = createToken({ name: "UnaryOperator", pattern: Lexer.NA });

function op(name: string, text: string, categories: TokenType[] = []): TokenType {
  const escaped = text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  return createToken({ name, pattern: new RegExp(escaped), label: `'${text}'`, categories });
}

export const OrOr = op("OrOr", "||", [BinaryOperator]);
export const AndAnd = op("AndAnd", "&&", [BinaryOperator]);
export const EqEq = op("EqEq", "==", [BinaryOperator]);
export const NotEq = op("NotEq", "!=", [BinaryOperator]);
export const LessEq = op("LessEq", "<=", [BinaryOperator]);
export const Less = op("Less", "<", [BinaryOperator]);
export const GreaterEq = op("GreaterEq", ">=", [BinaryOperator]);
export const Greater = op("Greater", ">", [BinaryOperator]);
export const Plus = op("Plus", "+", [BinaryOperator]);
export const Minus = op("Minus", "-", [BinaryOperator, UnaryOperator]);
export const Star = op("Star", "*", [BinaryOperator]);
export const Slash = op("Slash", "/", [BinaryOperator]);
export const At = op("At", "@", [BinaryOperator]);
export const Bang = op("Bang", "!", [UnaryOperator]);
export const Assign = op("Assign", "=");
export const DotDot = op("DotDot", "..");
export const Dot = op("Dot", ".");
export const Comma = op("Comma", ",");
export const Colon = op("Colon", ":");
export const Semicolon = op("Semicolon", ";");
export const LParen = op("LParen", "(");
export const RParen = op("RParen", ")");
export const LBracket = op("LBracket", "[");
export const RBracket = op("RBracket", "]");
export const LCurly = op("LCurly", "{");
export const RCurly = op("RCurly", "}");

/** Order matters: comments before `/`, longer operators before their prefixes,
 *  bad numbers before numbers, keywords before identifiers. */
export const allTokens: TokenType[] = [
  WhiteSpace,
  LineComment,
  BlockComment,
  UnterminatedComment,
  NumberLiteral,
  // Longest first, so `in` does not shadow `int` / `input`.
  ...[...keywordTokens].sort((a, b) => String(b.LABEL).length - String(a.LABEL).length),
  Identifier,
  BinaryOperator,
  UnaryOperator,
  OrOr,
  AndAnd,
  EqEq,
  NotEq,
  LessEq,
  Less,
  GreaterEq,
  Greater,
  Plus,
  Minus,
  Star,
  Slash,
  At,
  Bang,
  Assign,
  DotDot,
  Dot,
  Comma,
  Colon,
  Semicolon,
  LParen,
  RParen,
  LBracket,
  RBracket,
  LCurly,
  RCurly,
];

// Line breaks are `\n` and `\r\n`, as in renderDiagnostics (a lone `\r` is not one), so the
// line:col of a token and the line the renderer prints always agree.
const mpcLexer = new Lexer(allTokens, {
  positionTracking: "full",
  ensureOptimizations: true,
  lineTerminatorsPattern: /\n|\r\n/g,
  lineTerminatorCharacters: ["\n"],
});

export interface LexResult {
  tokens: IToken[];
  /** Characters no token matches (consecutive ones grouped by chevrotain). */
  errors: ILexingError[];
  /** Tokens of the "errors" group: unterminated block comments. */
  badTokens: IToken[];
}

export function tokenize(source: string): LexResult {
  const r = mpcLexer.tokenize(source);
  const bad = (r.groups["errors"] ?? []) as IToken[];
  return { tokens: r.tokens, errors: r.errors, badTokens: bad };
}
