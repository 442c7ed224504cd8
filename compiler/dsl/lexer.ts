// Tokens of the model DSL. Newlines are insignificant: every statement starts with a
// keyword or `name =`, so statements delimit themselves; `#` starts a comment.
import { Lexer, createToken, type TokenType } from 'chevrotain';

export const Identifier = createToken({ name: 'Identifier', pattern: /[A-Za-z_][A-Za-z0-9_]*/ });
const kw = (name: string, word: string): TokenType => createToken({ name, pattern: new RegExp(`${word}\\b`), longer_alt: Identifier });

export const Fn = kw('Fn', 'fn');
export const Let = kw('Let', 'let');
export const Param = kw('Param', 'param');
export const Buffer = kw('Buffer', 'buffer');
export const Return = kw('Return', 'return');
export const Loss = kw('Loss', 'loss');
export const Weight = kw('Weight', 'weight');
export const Output = kw('Output', 'output');
export const Repeat = kw('Repeat', 'repeat');
export const As = kw('As', 'as');
export const If = kw('If', 'if');
export const Else = kw('Else', 'else');
export const True = kw('True', 'true');
export const False = kw('False', 'false');
export const None = kw('None', 'none');
export const Training = kw('Training', 'training');

export const Float = createToken({ name: 'Float', pattern: /(?:\d+\.\d*|\.\d+)(?:[eE][+-]?\d+)?|\d+[eE][+-]?\d+/ });
export const Int = createToken({ name: 'Int', pattern: /\d+/ });
export const StringLit = createToken({ name: 'StringLit', pattern: /"(?:[^"\\\n]|\\.)*"/ });

export const Arrow = createToken({ name: 'Arrow', pattern: /->/ });
export const Ellipsis = createToken({ name: 'Ellipsis', pattern: /\.\.\./ });
export const EqEq = createToken({ name: 'EqEq', pattern: /==/ });
export const NotEq = createToken({ name: 'NotEq', pattern: /!=/ });
export const LessEq = createToken({ name: 'LessEq', pattern: /<=/ });
export const GreaterEq = createToken({ name: 'GreaterEq', pattern: />=/ });
export const AndAnd = createToken({ name: 'AndAnd', pattern: /&&/ });
export const OrOr = createToken({ name: 'OrOr', pattern: /\|\|/ });
export const StarStar = createToken({ name: 'StarStar', pattern: /\*\*/ });
export const SlashSlash = createToken({ name: 'SlashSlash', pattern: /\/\// });
export const Less = createToken({ name: 'Less', pattern: /</ });
export const Greater = createToken({ name: 'Greater', pattern: />/ });
export const Equals = createToken({ name: 'Equals', pattern: /=/ });
export const Bang = createToken({ name: 'Bang', pattern: /!/ });
export const Plus = createToken({ name: 'Plus', pattern: /\+/ });
export const Minus = createToken({ name: 'Minus', pattern: /-/ });
export const Star = createToken({ name: 'Star', pattern: /\*/ });
export const Slash = createToken({ name: 'Slash', pattern: /\// });
export const Percent = createToken({ name: 'Percent', pattern: /%/ });
export const At = createToken({ name: 'At', pattern: /@/ });
export const LParen = createToken({ name: 'LParen', pattern: /\(/ });
export const RParen = createToken({ name: 'RParen', pattern: /\)/ });
export const LBracket = createToken({ name: 'LBracket', pattern: /\[/ });
export const RBracket = createToken({ name: 'RBracket', pattern: /]/ });
export const LBrace = createToken({ name: 'LBrace', pattern: /{/ });
export const RBrace = createToken({ name: 'RBrace', pattern: /}/ });
export const Comma = createToken({ name: 'Comma', pattern: /,/ });
export const Colon = createToken({ name: 'Colon', pattern: /:/ });
export const Semicolon = createToken({ name: 'Semicolon', pattern: /;/, group: Lexer.SKIPPED });
export const Dot = createToken({ name: 'Dot', pattern: /\./ });
export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /[ \t\r\n]+/, group: Lexer.SKIPPED });
export const Comment = createToken({ name: 'Comment', pattern: /#[^\n]*/, group: Lexer.SKIPPED });

export const ALL_TOKENS: TokenType[] = [
  WhiteSpace,
  Comment,
  Fn,
  Let,
  Param,
  Buffer,
  Return,
  Loss,
  Weight,
  Output,
  Repeat,
  As,
  If,
  Else,
  True,
  False,
  None,
  Training,
  Float,
  Int,
  StringLit,
  Identifier,
  Arrow,
  Ellipsis,
  EqEq,
  NotEq,
  LessEq,
  GreaterEq,
  AndAnd,
  OrOr,
  StarStar,
  SlashSlash,
  Less,
  Greater,
  Equals,
  Bang,
  Plus,
  Minus,
  Star,
  Slash,
  Percent,
  At,
  LParen,
  RParen,
  LBracket,
  RBracket,
  LBrace,
  RBrace,
  Comma,
  Colon,
  Semicolon,
  Dot,
];

export const dslLexer = new Lexer(ALL_TOKENS, { positionTracking: 'full', ensureOptimizations: false });
