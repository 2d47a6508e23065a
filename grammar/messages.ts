// Turns chevrotain's recognition errors into the diagnostics people read:
// "expected an expression after '+'", "expected '}' to close the block opened at 3:12",
// "unexpected token 'reveal'" — never chevrotain's token-type dumps.
//
// Where the caret goes: for "unexpected X" at the offending token; for "expected X after Y"
// at the offending token when it is on the same line as Y, otherwise just after Y (a missing
// `=` at the end of line 3 is reported on line 3, not at the start of line 4).

import type { IToken } from "chevrotain";
import type { Span } from "./ast.js";
import type { Diagnostic } from "./diagnostic.js";
import { SyntaxCode } from "./codes.js";
import type { SyntaxErrorRecord } from "./parser.js";
import { isRealToken, tokenSpan } from "./to-ast.js";
import { KEYWORDS } from "./lexer.js";

/** How a token type is named in messages. */
const EXPECTED_TEXT: Record<string, string> = {
  Identifier: "a name",
  NumberLiteral: "a number",
  EOF: "the end of the file",
};

const CLOSERS: Record<string, { open: string; close: string; what: string }> = {
  RCurly: { open: "{", close: "}", what: "block" },
  RParen: { open: "(", close: ")", what: "'('" },
  RBracket: { open: "[", close: "]", what: "'['" },
};

const OPEN_OF: Record<string, string> = { "}": "{", ")": "(", "]": "[" };

export class SyntaxMessages {
  constructor(
    readonly file: string,
    readonly tokens: IToken[],
  ) {}

  span(t: IToken): Span {
    return tokenSpan(this.file, t);
  }

  /** The empty span just after token t (or at the start of the file). */
  after(t: IToken | undefined): Span {
    if (!isRealToken(t)) return { file: this.file, line: 1, col: 1, offset: 0, length: 0 };
    return {
      file: this.file,
      line: t.endLine ?? t.startLine ?? 1,
      col: (t.endColumn ?? t.startColumn ?? 0) + 1,
      offset: (t.endOffset ?? t.startOffset) + 1,
      length: 0,
    };
  }

  describe(t: IToken | undefined): string {
    if (!isRealToken(t)) return "the end of the file";
    const img = t.image.length > 24 ? t.image.slice(0, 24) + "…" : t.image;
    return `'${img}'`;
  }

  /** The diagnostic for one chevrotain error, or undefined for an error that is only a
   *  consequence of an earlier one. */
  diagnose(e: SyntaxErrorRecord): Diagnostic | undefined {
    const actual = isRealToken(e.token) ? e.token : undefined;
    const prev = isRealToken(e.previousToken) ? e.previousToken : undefined;
    const rule = e.info.ruleName;
    const parentRule = e.ruleStack.at(-2) ?? "";
    // Where "expected … after prev" goes.
    const missingAt =
      actual && (!prev || actual.startLine === prev.endLine || actual.startLine === prev.startLine)
        ? this.span(actual)
        : this.after(prev);
    const unexpected = (hint?: string): Diagnostic => {
      const d = this.diag(SyntaxCode.UnexpectedToken, actual ? `unexpected token ${this.describe(actual)}` : "unexpected end of file", actual ? this.span(actual) : this.after(prev));
      const h = hint ?? this.unexpectedHint(actual);
      if (h) d.hint = h;
      return d;
    };
    const afterPrev = prev ? ` after ${this.describe(prev)}` : "";

    if (e.info.kind === "noViableAlt" || e.info.kind === "earlyExit") {
      switch (rule) {
        case "operand":
        case "expression":
        case "argument": {
          const d = this.diag(SyntaxCode.ExpectedExpression, `expected an expression${afterPrev}`, missingAt);
          const hint =
            prev?.image === "[" && actual?.image === "]"
              ? "an array literal needs at least one element; for a zero tensor use zeros(…)"
              : this.expressionHint(actual);
          if (hint) d.hint = hint;
          return d;
        }
        case "indexItem":
          return this.diag(SyntaxCode.ExpectedExpression, `expected an index or a slice${afterPrev}`, missingAt);
        case "typeExpr":
          return this.diag(SyntaxCode.ExpectedToken, `expected a type (fixed, int or bool)${afterPrev}`, missingAt);
        case "revealStmt":
          return this.diag(SyntaxCode.ExpectedToken, `expected 'all' or a party name${afterPrev}`, missingAt);
        default:
          return unexpected();
      }
    }
    if (e.info.kind === "notAllInput") return unexpected();

    // A mismatched token: e.info.expected says which one.
    const expected = e.info.expected ?? "";
    if (expected === "EOF") return unexpected();

    // `x @ w w + b`, `mean mean(x)`, `party a b`: a name right after a complete expression on
    // the same line looks to the parser like the start of an assignment `w = …`. The mistake
    // is the name itself (an operator or a comma is missing before it), not a missing `=`.
    if (expected === "Assign" && rule === "assignStmt" && prev && this.continuesLine(prev)) {
      const d = this.diag(SyntaxCode.UnexpectedToken, `unexpected token ${this.describe(prev)}`, this.span(prev));
      d.hint = "is an operator or ',' missing before it?";
      return d;
    }

    const closer = CLOSERS[expected];
    if (closer) {
      const opener = this.findOpener(prev ?? actual, closer.open);
      const openedAt = opener ? ` opened at ${opener.startLine}:${opener.startColumn}` : "";
      const closing = (): Diagnostic => {
        const what = closer.what === "block" ? "the block" : `the ${closer.what}`;
        const d = this.diag(SyntaxCode.UnclosedDelimiter, `expected '${closer.close}' to close ${what}${openedAt}`, missingAt);
        if (opener) d.related = [{ span: this.span(opener), message: closer.what === "block" ? "the block opened here" : `the '${closer.open}' opened here` }];
        return d;
      };
      // Off the end of the file, or the next token is on a later line: the closer is missing.
      if (!actual || missingAt.length === 0) {
        // No `{` to close: chevrotain invented it while recovering from an earlier error,
        // which was reported already.
        if (!opener) return undefined;
        return closing();
      }
      switch (rule) {
        case "block":
          return unexpected();
        case "callArgs":
          return this.diag(SyntaxCode.ExpectedToken, `expected ',' or ')' after the argument, found ${this.describe(actual)}`, missingAt);
        case "fnDecl":
          return this.diag(SyntaxCode.ExpectedToken, `expected ',' or ')' after the parameter, found ${this.describe(actual)}`, missingAt);
        case "indexSuffix":
          return this.diag(SyntaxCode.ExpectedToken, `expected ',' or ']' in the index, found ${this.describe(actual)}`, missingAt);
        case "arrayLit":
          return this.diag(SyntaxCode.ExpectedToken, `expected ',' or ']' in the array, found ${this.describe(actual)}`, missingAt);
        case "typeExpr":
          return this.diag(SyntaxCode.ExpectedToken, `expected ',' or ']' in the shape, found ${this.describe(actual)}`, missingAt);
        default:
          return closing();
      }
    }

    let what = EXPECTED_TEXT[expected] ?? `'${this.labelOf(expected)}'`;
    let hint: string | undefined;
    switch (expected) {
      case "Identifier":
        what = identifierRole(rule, prev?.image);
        if (actual && isKeyword(actual)) hint = `'${actual.image}' is a keyword and cannot be used as a name`;
        break;
      case "NumberLiteral":
        if (rule === "typeExpr") what = "a dimension (a whole number)";
        if (rule === "typeExpr" && actual?.image === "]") hint = "a scalar has no brackets: write `fixed`, not `fixed[]`";
        if (rule === "header") what = "a number of fractional bits";
        break;
      case "LCurly":
        // `for i in 0 10 {`: the range lost its `..`, and `10` is where the parser noticed.
        if (parentRule === "forStmt" && !this.loopHasRange(prev)) {
          const d = this.diag(SyntaxCode.ExpectedToken, `expected '..'${afterPrev}`, missingAt);
          d.hint = "a loop range is written `a..b`, e.g. `for i in 0..10`";
          return d;
        }
        what =
          parentRule === "forStmt" ? "'{' after the loop range"
          : parentRule === "ifStmt" ? (prev?.image === "else" ? "'{' after 'else'" : "'{' after the condition of 'if'")
          : parentRule === "fnDecl" ? "'{' to start the function body"
          : "'{'";
        return this.diag(SyntaxCode.ExpectedToken, `expected ${what}`, missingAt);
      case "Assign":
        if (rule === "assignStmt" && actual?.image === ".") hint = "is 'input' missing? inputs are declared as `input party.name : type`";
        break;
      case "Dot":
        hint = "inputs are declared as `input party.name : type`, e.g. `input hospital_a.xa : fixed[569, 15]`";
        break;
      case "To":
        hint = "write `reveal e to P, Q` or `reveal e to all`";
        break;
      case "Colon":
        if (rule === "inputDecl") hint = "give the input a type, e.g. `: fixed[569, 15]`";
        break;
    }
    const d = this.diag(SyntaxCode.ExpectedToken, `expected ${what}${afterPrev}`, missingAt);
    if (hint) d.hint = hint;
    return d;
  }

  labelOf(tokenTypeName: string): string {
    const special: Record<string, string> = {
      Assign: "=", Colon: ":", Dot: ".", DotDot: "..", Comma: ",", LParen: "(", LCurly: "{", LBracket: "[",
      Semicolon: ";",
    };
    return special[tokenTypeName] ?? tokenTypeName.toLowerCase();
  }

  unexpectedHint(t: IToken | undefined): string | undefined {
    if (!t) return undefined;
    const img = t.image;
    const i = this.indexOf(t);
    const before = this.tokens[i - 1]?.image;
    const twoBefore = this.tokens[i - 2]?.image;
    if (img === "}" || img === ")" || img === "]") return `this '${img}' has no matching '${OPEN_OF[img]}'`;
    if (img === "else") return "'else' must follow the '}' of an 'if' block";
    if (img === "program") return "the `program` header must be the first line of the file";
    if (img === "," && before === "all") return "'all' already means every party";
    if (img === "." && twoBefore === ".") return "only inputs are qualified, as `party.input`";
    if (img === "(" && twoBefore === ".") return "`party.input` is a value, not a function";
    if (t.tokenType.name === "NumberLiteral" || t.tokenType.name === "Identifier")
      return "a statement starts with a keyword (let, var, for, if, reveal, return) or `name =`; is an operator missing?";
    return undefined;
  }

  /** Why a token cannot start an expression, when there is something useful to say. */
  expressionHint(t: IToken | undefined): string | undefined {
    if (!t) return undefined;
    if (t.image === ".") {
      const next = this.tokens[this.indexOf(t) + 1];
      if (next && next.tokenType.name === "NumberLiteral" && next.startOffset === t.startOffset + 1)
        return `write fractions with a leading digit: 0.${next.image}`;
    }
    if (isKeyword(t) && !["true", "false"].includes(t.image)) return `'${t.image}' is a keyword and cannot be used as a name`;
    return undefined;
  }

  /** Whether token t follows, on its own line, a token that ends an expression (not a
   *  statement separator or the start of the file). */
  continuesLine(t: IToken): boolean {
    const i = this.indexOf(t);
    const before = i > 0 ? this.tokens[i - 1] : undefined;
    if (!before || before.endLine !== t.startLine) return false;
    return !["{", "}", ";", "(", "[", ","].includes(before.image) && before.tokenType.name !== "Program";
  }

  /** Whether the `for` header ending at token t already has its `..`. */
  loopHasRange(t: IToken | undefined): boolean {
    if (!t) return false;
    for (let i = this.indexOf(t); i >= 0; i--) {
      const img = this.tokens[i]!.image;
      if (img === "..") return true;
      if (img === "for") return false;
    }
    return false;
  }

  /** The innermost unclosed `open` delimiter at or before token t (scanning backwards). */
  findOpener(t: IToken | undefined, open: string): IToken | undefined {
    if (!t) return undefined;
    let idx = this.indexOf(t);
    const pending: string[] = [];
    for (; idx >= 0; idx--) {
      const img = this.tokens[idx]!.image;
      if (img === "}" || img === ")" || img === "]") pending.push(img);
      else if (img === "{" || img === "(" || img === "[") {
        if (pending.length > 0) pending.pop();
        else if (img === open) return this.tokens[idx];
      }
    }
    return undefined;
  }

  /** Index of token t in the token vector (binary search on offsets). */
  indexOf(t: IToken): number {
    let lo = 0;
    let hi = this.tokens.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const o = this.tokens[mid]!.startOffset;
      if (o === t.startOffset) return mid;
      if (o < t.startOffset) lo = mid + 1;
      else hi = mid - 1;
    }
    return hi;
  }

  diag(code: string, message: string, span: Span): Diagnostic {
    return { code, severity: "error", message, span };
  }
}

function isKeyword(t: IToken): boolean {
  return KEYWORDS.includes(t.image) && t.tokenType.name !== "Identifier";
}

function identifierRole(rule: string, prev: string | undefined): string {
  switch (rule) {
    case "header":
      return "the program name";
    case "partyDecl":
      return "a party name";
    case "inputDecl":
      return prev === "." ? "the input name" : "the owning party";
    case "fnDecl":
      return prev === "fn" ? "the function name" : "a parameter name";
    case "forStmt":
      return "the loop variable";
    case "revealStmt":
      return prev === "as" ? "a name for the revealed value" : "a party name";
    case "operand":
      return "an input name";
    default:
      return "a name";
  }
}
