// The .mpc grammar as a chevrotain CstParser with error recovery. One instance is built at
// module load (grammar analysis is the expensive part) and reused for every parse.
// It produces a concrete syntax tree only: to-ast.ts turns it into grammar/ast.ts nodes,
// and messages.ts turns chevrotain's errors into human diagnostics. Binary operators are
// parsed as a flat list `operand (op operand)*`: precedence and associativity are resolved in
// to-ast.ts, which keeps the rule depth per nesting level small (no stack overflow on deep
// but legal programs) and parsing fast.

import { CstParser, type CstNode, type IOrAlt, type IRecognitionException, type IToken, type IParserErrorMessageProvider, type TokenType } from "chevrotain";
import * as T from "./lexer.js";

/** Chevrotain lets us format messages only as strings. We pass a small JSON record through
 *  the exception message and write the human message later (messages.ts), when the whole
 *  token vector is known (to find, e.g., the `{` an expected `}` would close). */
export interface ErrorInfo {
  kind: "mismatch" | "noViableAlt" | "earlyExit" | "notAllInput";
  /** Expected token type name for "mismatch" (e.g. "RCurly"). */
  expected?: string;
  ruleName: string;
}

const tokName = (t: TokenType): string => t.name;

const messageProvider: IParserErrorMessageProvider = {
  buildMismatchTokenMessage: ({ expected, ruleName }) =>
    JSON.stringify({ kind: "mismatch", expected: tokName(expected), ruleName } satisfies ErrorInfo),
  buildNotAllInputParsedMessage: ({ ruleName }) =>
    JSON.stringify({ kind: "notAllInput", ruleName } satisfies ErrorInfo),
  buildNoViableAltMessage: ({ ruleName }) => JSON.stringify({ kind: "noViableAlt", ruleName } satisfies ErrorInfo),
  buildEarlyExitMessage: ({ ruleName }) => JSON.stringify({ kind: "earlyExit", ruleName } satisfies ErrorInfo),
};

/** Recognition errors recorded before the parser stops (see SAVE_ERROR). Well above the number
 *  of diagnostics shown, since many raw errors are echoes that index.ts drops. */
export const MAX_PARSER_ERRORS = 200;

class MpcParser extends CstParser {
  /** OR alternatives built once, not on every call (chevrotain's documented speed-up; it
   *  matters doubly under tsx, whose keep-names transform renames every `ALT: () => …`). */
  private readonly alts: Record<string, IOrAlt<unknown>[]> = {};
  private namedArg?: { GATE: () => boolean; DEF: () => void };
  private elseIf?: { GATE: () => boolean; DEF: () => void };

  /** Set when the parser gave up after MAX_PARSER_ERRORS errors: the token it stopped at. */
  stoppedAt: IToken | undefined;

  constructor() {
    super(T.allTokens, { recoveryEnabled: true, maxLookahead: 3, errorMessageProvider: messageProvider });
    this.performSelfAnalysis();
    this.limitErrors();
  }

  /** Past MAX_PARSER_ERRORS errors, jump to the end of the input: each recovery costs a
   *  follow-set search, and a file of thousands of errors (or not .mpc at all) must still be
   *  reported quickly. The partial CST built so far is kept. SAVE_ERROR and
   *  moveToTerminatedState are chevrotain internals (present in v11, not in its typings):
   *  if a later version drops them, parsing still works, only without the limit. */
  private limitErrors(): void {
    const self = this as unknown as {
      SAVE_ERROR(e: IRecognitionException): IRecognitionException;
      moveToTerminatedState(): void;
    };
    if (typeof self.SAVE_ERROR !== "function" || typeof self.moveToTerminatedState !== "function") return;
    const save = self.SAVE_ERROR.bind(this);
    self.SAVE_ERROR = (error) => {
      if (this.stoppedAt) return error;
      if (this.errors.length >= MAX_PARSER_ERRORS) {
        this.stoppedAt = error.token;
        self.moveToTerminatedState();
        return error;
      }
      return save(error);
    };
  }

  // ------------------------------------------------------------ program and items

  program = this.RULE("program", () => {
    this.OPTION(() => this.SUBRULE(this.header));
    this.MANY(() => {
      this.OR((this.alts["program1"] ??= [{ ALT: () => this.SUBRULE(this.item) }, { ALT: () => this.CONSUME(T.Semicolon) }]));
    });
  });

  header = this.RULE("header", () => {
    this.CONSUME(T.Program);
    this.CONSUME(T.Identifier);
    this.OPTION(() => {
      this.CONSUME(T.Precision);
      this.CONSUME(T.NumberLiteral);
    });
  });

  item = this.RULE("item", () => {
    this.OR((this.alts["item1"] ??= [
      { ALT: () => this.SUBRULE(this.partyDecl) },
      { ALT: () => this.SUBRULE(this.inputDecl) },
      { ALT: () => this.SUBRULE(this.constDecl) },
      { ALT: () => this.SUBRULE(this.fnDecl) },
      { ALT: () => this.SUBRULE(this.statement) },
    ]));
  });

  partyDecl = this.RULE("partyDecl", () => {
    this.CONSUME(T.Party);
    this.CONSUME(T.Identifier);
    this.MANY(() => {
      this.CONSUME(T.Comma);
      this.CONSUME2(T.Identifier);
    });
  });

  inputDecl = this.RULE("inputDecl", () => {
    this.CONSUME(T.Input);
    this.CONSUME(T.Identifier, { LABEL: "owner" });
    this.CONSUME(T.Dot);
    this.CONSUME2(T.Identifier, { LABEL: "name" });
    this.CONSUME(T.Colon);
    this.SUBRULE(this.typeExpr);
  });

  typeExpr = this.RULE("typeExpr", () => {
    this.OR((this.alts["typeExpr1"] ??= [
      { ALT: () => this.CONSUME(T.Fixed, { LABEL: "elem" }) },
      { ALT: () => this.CONSUME(T.Int, { LABEL: "elem" }) },
      { ALT: () => this.CONSUME(T.Bool, { LABEL: "elem" }) },
    ]));
    this.OPTION(() => {
      this.CONSUME(T.LBracket);
      this.CONSUME(T.NumberLiteral);
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.CONSUME2(T.NumberLiteral);
      });
      this.CONSUME(T.RBracket);
    });
  });

  constDecl = this.RULE("constDecl", () => {
    this.CONSUME(T.Const);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Assign);
    this.SUBRULE(this.expression);
  });

  fnDecl = this.RULE("fnDecl", () => {
    this.CONSUME(T.Fn);
    this.CONSUME(T.Identifier, { LABEL: "name" });
    this.CONSUME(T.LParen);
    this.OPTION(() => {
      this.CONSUME2(T.Identifier, { LABEL: "param" });
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.CONSUME3(T.Identifier, { LABEL: "param" });
      });
    });
    this.CONSUME(T.RParen);
    this.SUBRULE(this.block);
  });

  // ------------------------------------------------------------ statements

  block = this.RULE("block", () => {
    this.CONSUME(T.LCurly);
    this.MANY(() => {
      this.OR((this.alts["block1"] ??= [{ ALT: () => this.SUBRULE(this.statement) }, { ALT: () => this.CONSUME(T.Semicolon) }]));
    });
    this.CONSUME(T.RCurly);
  });

  statement = this.RULE("statement", () => {
    this.OR((this.alts["statement1"] ??= [
      { ALT: () => this.SUBRULE(this.letStmt) },
      { ALT: () => this.SUBRULE(this.assignStmt) },
      { ALT: () => this.SUBRULE(this.forStmt) },
      { ALT: () => this.SUBRULE(this.ifStmt) },
      { ALT: () => this.SUBRULE(this.revealStmt) },
      { ALT: () => this.SUBRULE(this.returnStmt) },
    ]));
  });

  letStmt = this.RULE("letStmt", () => {
    this.OR((this.alts["letStmt1"] ??= [{ ALT: () => this.CONSUME(T.Let, { LABEL: "kw" }) }, { ALT: () => this.CONSUME(T.Var, { LABEL: "kw" }) }]));
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Assign);
    this.SUBRULE(this.expression);
  });

  assignStmt = this.RULE("assignStmt", () => {
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Assign);
    this.SUBRULE(this.expression);
  });

  forStmt = this.RULE("forStmt", () => {
    this.CONSUME(T.For);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.In);
    this.SUBRULE(this.expression, { LABEL: "from" });
    // The range's `..` is optional here so that `for i in n { … }` (a forgotten range) is one
    // error, reported by to-ast.ts, and the loop body still parses as a body.
    this.OPTION(() => {
      this.CONSUME(T.DotDot);
      this.SUBRULE2(this.expression, { LABEL: "to" });
    });
    this.SUBRULE(this.block);
  });

  /** `if c {…} else if d {…} else {…}` as a flat list, so a long else-if chain does not
   *  nest parser calls; to-ast.ts builds the nested IfStmt. */
  ifStmt = this.RULE("ifStmt", () => {
    this.CONSUME(T.If);
    this.SUBRULE(this.expression, { LABEL: "cond" });
    this.SUBRULE(this.block, { LABEL: "then" });
    this.MANY(
      (this.elseIf ??= {
      GATE: () => this.LA(2).tokenType === T.If,
      DEF: () => {
        this.CONSUME(T.Else, { LABEL: "elseIf" });
        this.CONSUME2(T.If);
        this.SUBRULE2(this.expression, { LABEL: "cond" });
        this.SUBRULE2(this.block, { LABEL: "then" });
      },
    }),
    );
    this.OPTION(() => {
      this.CONSUME2(T.Else);
      this.SUBRULE3(this.block, { LABEL: "elseBlock" });
    });
  });

  revealStmt = this.RULE("revealStmt", () => {
    this.CONSUME(T.Reveal);
    this.SUBRULE(this.expression);
    this.OPTION(() => {
      this.CONSUME(T.As);
      this.CONSUME(T.Identifier, { LABEL: "asName" });
    });
    this.CONSUME(T.To);
    this.OR((this.alts["revealStmt1"] ??= [
      { ALT: () => this.CONSUME(T.All) },
      {
        ALT: () => {
          this.CONSUME2(T.Identifier, { LABEL: "receiver" });
          this.MANY(() => {
            this.CONSUME(T.Comma);
            this.CONSUME3(T.Identifier, { LABEL: "receiver" });
          });
        },
      },
    ]));
  });

  returnStmt = this.RULE("returnStmt", () => {
    this.CONSUME(T.Return);
    this.SUBRULE(this.expression);
  });

  // ------------------------------------------------------------ expressions

  expression = this.RULE("expression", () => {
    this.SUBRULE(this.operand);
    this.MANY(() => {
      this.CONSUME(T.BinaryOperator);
      this.SUBRULE2(this.operand);
    });
  });

  /** Prefix operators, a primary, then index suffixes: `-x[0]` is `-(x[0])`. One rule for
   *  all three (and for names, calls and qualified names) because every leaf of every
   *  expression passes through it: fewer rule calls is most of the parser's speed. */
  operand = this.RULE("operand", () => {
    this.MANY(() => this.CONSUME(T.UnaryOperator));
    this.OR((this.alts["operand1"] ??= [
      { ALT: () => this.CONSUME(T.NumberLiteral) },
      { ALT: () => this.CONSUME(T.True) },
      { ALT: () => this.CONSUME(T.False) },
      {
        ALT: () => {
          this.CONSUME(T.Identifier);
          this.OPTION(() => {
            this.OR2((this.alts["operand2"] ??= [
              { ALT: () => this.SUBRULE(this.callArgs) },
              {
                ALT: () => {
                  this.CONSUME(T.Dot);
                  this.CONSUME2(T.Identifier, { LABEL: "property" });
                },
              },
            ]));
          });
        },
      },
      { ALT: () => this.SUBRULE(this.parenExpr) },
      { ALT: () => this.SUBRULE(this.arrayLit) },
    ]));
    this.MANY2(() => this.SUBRULE(this.indexSuffix));
  });

  indexSuffix = this.RULE("indexSuffix", () => {
    this.CONSUME(T.LBracket);
    this.SUBRULE(this.indexItem);
    this.MANY(() => {
      this.CONSUME(T.Comma);
      this.SUBRULE2(this.indexItem);
    });
    this.CONSUME(T.RBracket);
  });

  indexItem = this.RULE("indexItem", () => {
    this.OR((this.alts["indexItem1"] ??= [
      {
        ALT: () => {
          this.CONSUME(T.Colon);
          this.OPTION(() => this.SUBRULE(this.expression, { LABEL: "end" }));
        },
      },
      {
        ALT: () => {
          this.SUBRULE2(this.expression, { LABEL: "start" });
          this.OPTION2(() => {
            this.CONSUME2(T.Colon);
            this.OPTION3(() => this.SUBRULE3(this.expression, { LABEL: "end" }));
          });
        },
      },
    ]));
  });

  callArgs = this.RULE("callArgs", () => {
    this.CONSUME(T.LParen);
    this.OPTION(() => {
      this.SUBRULE(this.argument);
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.SUBRULE2(this.argument);
      });
    });
    this.CONSUME(T.RParen);
  });

  argument = this.RULE("argument", () => {
    this.OPTION(
      (this.namedArg ??= {
        GATE: () => this.LA(2).tokenType === T.Assign,
        DEF: () => {
          this.CONSUME(T.Identifier, { LABEL: "argName" });
          this.CONSUME(T.Assign);
        },
      }),
    );
    this.SUBRULE(this.expression);
  });

  parenExpr = this.RULE("parenExpr", () => {
    this.CONSUME(T.LParen);
    this.SUBRULE(this.expression);
    this.CONSUME(T.RParen);
  });

  arrayLit = this.RULE("arrayLit", () => {
    this.CONSUME(T.LBracket);
    this.SUBRULE(this.expression);
    this.MANY(() => {
      this.CONSUME(T.Comma);
      this.SUBRULE2(this.expression);
    });
    this.CONSUME(T.RBracket);
  });
}

const parser = new MpcParser();

/** One recognition error, as chevrotain reports it, with our ErrorInfo decoded. */
export interface SyntaxErrorRecord {
  info: ErrorInfo;
  token: IToken;
  previousToken: IToken | undefined;
  ruleStack: string[];
}

export interface CstResult {
  cst: CstNode;
  errors: SyntaxErrorRecord[];
  /** The token where parsing stopped after too many errors, if it did. */
  stoppedAt?: IToken;
}

/** Parse a token vector (from lexer.ts). Chevrotain recovers from errors itself; we only
 *  decode what it recorded. */
export function parseTokens(tokens: IToken[]): CstResult {
  parser.input = tokens;
  parser.stoppedAt = undefined;
  const cst = parser.program();
  const errors: SyntaxErrorRecord[] = parser.errors.map((e) => {
    let info: ErrorInfo;
    try {
      info = JSON.parse(e.message) as ErrorInfo;
    } catch {
      info = { kind: "noViableAlt", ruleName: e.context?.ruleStack?.at(-1) ?? "program" };
    }
    const prev = (e as { previousToken?: IToken }).previousToken;
    return { info, token: e.token, previousToken: prev, ruleStack: e.context?.ruleStack ?? [] };
  });
  const stoppedAt = parser.stoppedAt;
  parser.input = [];
  return stoppedAt ? { cst, errors, stoppedAt } : { cst, errors };
}

