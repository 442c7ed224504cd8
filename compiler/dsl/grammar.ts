// The model DSL's grammar (docs/language.md) as a Chevrotain CST parser, with error messages in
// the language's own words. parser.ts turns its CST into the AST.
import { CstParser, type IParserErrorMessageProvider, type IToken, type TokenType, EOF } from 'chevrotain';
import * as T from './lexer.ts';

const LABELS: [TokenType, string][] = [
  [T.LParen, "'('"],
  [T.RParen, "')'"],
  [T.LBracket, "'['"],
  [T.RBracket, "']'"],
  [T.LBrace, "'{'"],
  [T.RBrace, "'}'"],
  [T.Comma, "','"],
  [T.Colon, "':'"],
  [T.Equals, "'='"],
  [T.Dot, "'.'"],
  [T.Identifier, 'a name'],
  [T.Int, 'an integer'],
  [T.Float, 'a number'],
  [T.StringLit, 'a string'],
  [T.Fn, "'fn'"],
  [T.Let, "'let'"],
  [T.Return, "'return'"],
  [T.Ellipsis, "'...'"],
];
for (const [t, l] of LABELS) (t as { LABEL?: string }).LABEL = l;
(EOF as { LABEL?: string }).LABEL = "'fn' (only functions may appear at the top level)";

const describe = (t: IToken): string => (t.tokenType === EOF ? 'the end of the model' : `'${t.image}'`);
const label = (t: TokenType): string => (t as { LABEL?: string }).LABEL ?? `'${t.name.toLowerCase()}'`;

const messages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage: ({ expected, actual }) => `expected ${label(expected)} but found ${describe(actual)}`,
  buildNotAllInputParsedMessage: ({ firstRedundant }) => `expected 'fn' to start a function, found ${describe(firstRedundant)}`,
  buildNoViableAltMessage: ({ actual, ruleName }) => `unexpected ${describe(actual[0]!)} in ${RULE_WORDS[ruleName] ?? ruleName}`,
  buildEarlyExitMessage: ({ actual, ruleName }) => `unexpected ${describe(actual[0]!)} in ${RULE_WORDS[ruleName] ?? ruleName}`,
};
const RULE_WORDS: Record<string, string> = {
  letStmt: 'a let statement (expected let name = value)',
  assignStmt: 'an assignment',
  paramStmt: 'a param declaration (param name: [dims] = init...)',
  returnStmt: 'a return statement',
  lossStmt: 'a loss statement (loss name = value [weight w])',
  outputStmt: 'an output statement (output name = value)',
  repeatStmt: 'a repeat statement (repeat n [as name] { ... })',
  ifStmt: 'an if statement',
  fnDecl: 'a function definition (fn name(params) { ... })',
  paramDecl: 'a parameter list',
  block: 'a block',
  expression: 'an expression',
  postfixExpr: 'an expression',
  statement: 'a statement (expected let, param, buffer, return, loss, output, repeat, if or an assignment)',
  primary: 'an expression',
  typeAnn: 'a type',
  dimPat: 'a shape',
  arg: 'an argument',
  unaryExpr: 'an expression',
};

export class DslParser extends CstParser {
  constructor() {
    super(T.ALL_TOKENS, { recoveryEnabled: true, errorMessageProvider: messages, maxLookahead: 3 });
    this.performSelfAnalysis();
  }

  program = this.RULE('program', () => {
    this.MANY(() => this.SUBRULE(this.fnDecl));
  });

  fnDecl = this.RULE('fnDecl', () => {
    this.CONSUME(T.Fn);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.LParen);
    this.MANY_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.paramDecl) });
    this.CONSUME(T.RParen);
    this.SUBRULE(this.block);
  });

  paramDecl = this.RULE('paramDecl', () => {
    this.CONSUME(T.Identifier);
    this.OPTION(() => {
      this.CONSUME(T.Colon);
      this.SUBRULE(this.typeAnn);
    });
    this.OPTION2(() => {
      this.CONSUME(T.Equals);
      this.SUBRULE(this.expression);
    });
  });

  typeAnn = this.RULE('typeAnn', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.LBracket);
          this.MANY_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.dimPat) });
          this.CONSUME(T.RBracket);
          this.OPTION(() => this.CONSUME(T.Identifier));
        },
      },
      { ALT: () => this.CONSUME2(T.Identifier) },
    ]);
  });

  dimPat = this.RULE('dimPat', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Ellipsis);
          this.OPTION(() => this.CONSUME(T.Identifier));
        },
      },
      { ALT: () => this.SUBRULE(this.expression) },
    ]);
  });

  block = this.RULE('block', () => {
    this.CONSUME(T.LBrace);
    this.MANY(() => this.SUBRULE(this.statement));
    this.CONSUME(T.RBrace);
  });

  statement = this.RULE('statement', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.letStmt) },
      { ALT: () => this.SUBRULE(this.paramStmt) },
      { ALT: () => this.SUBRULE(this.returnStmt) },
      { ALT: () => this.SUBRULE(this.lossStmt) },
      { ALT: () => this.SUBRULE(this.outputStmt) },
      { ALT: () => this.SUBRULE(this.repeatStmt) },
      { ALT: () => this.SUBRULE(this.ifStmt) },
      { ALT: () => this.SUBRULE(this.assignStmt) },
      { ALT: () => this.SUBRULE(this.exprStmt) },
    ]);
  });

  /** A call evaluated for its effect, e.g. error("..."). */
  exprStmt = this.RULE('exprStmt', () => {
    this.SUBRULE(this.postfixExpr);
  });

  letStmt = this.RULE('letStmt', () => {
    this.CONSUME(T.Let);
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.CONSUME(T.Identifier) });
    this.CONSUME(T.Equals);
    this.SUBRULE(this.expression);
  });

  assignStmt = this.RULE('assignStmt', () => {
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.CONSUME(T.Identifier) });
    this.CONSUME(T.Equals);
    this.SUBRULE(this.expression);
  });

  paramStmt = this.RULE('paramStmt', () => {
    this.OR([{ ALT: () => this.CONSUME(T.Param) }, { ALT: () => this.CONSUME(T.Buffer) }]);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Colon);
    this.CONSUME(T.LBracket);
    this.MANY_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.expression) });
    this.CONSUME(T.RBracket);
    this.OPTION(() => {
      this.CONSUME(T.Equals);
      this.SUBRULE2(this.expression);
    });
  });

  returnStmt = this.RULE('returnStmt', () => {
    this.CONSUME(T.Return);
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.expression) });
  });

  lossStmt = this.RULE('lossStmt', () => {
    this.CONSUME(T.Loss);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Equals);
    this.SUBRULE(this.expression);
    this.OPTION(() => {
      this.CONSUME(T.Weight);
      this.SUBRULE2(this.expression);
    });
  });

  outputStmt = this.RULE('outputStmt', () => {
    this.CONSUME(T.Output);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Equals);
    this.SUBRULE(this.expression);
  });

  repeatStmt = this.RULE('repeatStmt', () => {
    this.CONSUME(T.Repeat);
    this.SUBRULE(this.expression);
    this.OPTION(() => {
      this.CONSUME(T.As);
      this.CONSUME(T.Identifier);
    });
    this.SUBRULE(this.block);
  });

  ifStmt = this.RULE('ifStmt', () => {
    this.CONSUME(T.If);
    this.SUBRULE(this.expression);
    this.SUBRULE(this.block);
    this.OPTION(() => {
      this.CONSUME(T.Else);
      this.OR([{ ALT: () => this.SUBRULE(this.ifStmt) }, { ALT: () => this.SUBRULE2(this.block) }]);
    });
  });

  expression = this.RULE('expression', () => {
    this.SUBRULE(this.orExpr);
  });
  orExpr = this.RULE('orExpr', () => {
    this.SUBRULE(this.andExpr);
    this.MANY(() => {
      this.CONSUME(T.OrOr);
      this.SUBRULE2(this.andExpr);
    });
  });
  andExpr = this.RULE('andExpr', () => {
    this.SUBRULE(this.cmpExpr);
    this.MANY(() => {
      this.CONSUME(T.AndAnd);
      this.SUBRULE2(this.cmpExpr);
    });
  });
  cmpExpr = this.RULE('cmpExpr', () => {
    this.SUBRULE(this.addExpr);
    this.OPTION(() => {
      this.OR([
        { ALT: () => this.CONSUME(T.EqEq) },
        { ALT: () => this.CONSUME(T.NotEq) },
        { ALT: () => this.CONSUME(T.LessEq) },
        { ALT: () => this.CONSUME(T.GreaterEq) },
        { ALT: () => this.CONSUME(T.Less) },
        { ALT: () => this.CONSUME(T.Greater) },
      ]);
      this.SUBRULE2(this.addExpr);
    });
  });
  addExpr = this.RULE('addExpr', () => {
    this.SUBRULE(this.mulExpr);
    this.MANY(() => {
      this.OR([{ ALT: () => this.CONSUME(T.Plus) }, { ALT: () => this.CONSUME(T.Minus) }]);
      this.SUBRULE2(this.mulExpr);
    });
  });
  mulExpr = this.RULE('mulExpr', () => {
    this.SUBRULE(this.unaryExpr);
    this.MANY(() => {
      this.OR([
        { ALT: () => this.CONSUME(T.Star) },
        { ALT: () => this.CONSUME(T.SlashSlash) },
        { ALT: () => this.CONSUME(T.Slash) },
        { ALT: () => this.CONSUME(T.Percent) },
        { ALT: () => this.CONSUME(T.At) },
      ]);
      this.SUBRULE2(this.unaryExpr);
    });
  });
  unaryExpr = this.RULE('unaryExpr', () => {
    this.OR([
      {
        ALT: () => {
          this.OR2([{ ALT: () => this.CONSUME(T.Minus) }, { ALT: () => this.CONSUME(T.Bang) }]);
          this.SUBRULE(this.unaryExpr);
        },
      },
      { ALT: () => this.SUBRULE(this.powExpr) },
    ]);
  });
  powExpr = this.RULE('powExpr', () => {
    this.SUBRULE(this.postfixExpr);
    this.OPTION(() => {
      this.CONSUME(T.StarStar);
      this.SUBRULE(this.unaryExpr);
    });
  });
  postfixExpr = this.RULE('postfixExpr', () => {
    this.SUBRULE(this.primary);
    this.MANY(() => {
      this.OR([
        {
          ALT: () => {
            this.CONSUME(T.LParen);
            this.MANY_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.arg) });
            this.CONSUME(T.RParen);
            // `f(x) as q` names the call's parameter scope; `repeat n as layers {` keeps its `as`.
            this.OPTION({
              GATE: () => this.LA(3).tokenType !== T.LBrace,
              DEF: () => {
                this.CONSUME(T.As);
                this.CONSUME(T.Identifier);
              },
            });
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.Dot);
            this.CONSUME2(T.Identifier);
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.LBracket);
            this.SUBRULE(this.expression);
            this.CONSUME(T.RBracket);
          },
        },
      ]);
    });
  });
  arg = this.RULE('arg', () => {
    this.OR([
      {
        GATE: () => this.LA(2).tokenType === T.Equals,
        ALT: () => {
          this.CONSUME(T.Identifier);
          this.CONSUME(T.Equals);
          this.SUBRULE(this.expression);
        },
      },
      { ALT: () => this.SUBRULE2(this.expression) },
    ]);
  });
  primary = this.RULE('primary', () => {
    this.OR([
      { ALT: () => this.CONSUME(T.Float) },
      { ALT: () => this.CONSUME(T.Int) },
      { ALT: () => this.CONSUME(T.StringLit) },
      { ALT: () => this.CONSUME(T.True) },
      { ALT: () => this.CONSUME(T.False) },
      { ALT: () => this.CONSUME(T.None) },
      { ALT: () => this.CONSUME(T.Training) },
      { ALT: () => this.CONSUME(T.Identifier) },
      {
        ALT: () => {
          this.CONSUME(T.LParen);
          this.SUBRULE(this.expression);
          this.CONSUME(T.RParen);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.LBracket);
          this.MANY_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE2(this.expression) });
          this.CONSUME(T.RBracket);
        },
      },
    ]);
  });
}
