// The model DSL's parser: grammar.ts's CST, then the visitor that turns it into the AST. Syntax
// errors are recovered from and collected.
import { type CstNode, type IToken, EOF } from 'chevrotain';
import { DslParser } from './grammar.ts';
import type { Arg, BinaryOp, DimPat, Expr, FnDecl, ParamDecl, Program, Stmt, TypeAnn } from './ast.ts';
import * as T from './lexer.ts';
import type { Diagnostics, Span } from '../frontend/diagnostics.ts';

const parser = new DslParser();
const MAX_NESTING = 200;

/** Where the DSL text sits in its file: DSL line l, column c -> file line l + lineOffset, column c + colOffset. */
export interface SourceOrigin {
  file: string;
  lineOffset: number;
  colOffset: number;
}

type Kids = Record<string, (CstNode | IToken)[]>;
const kids = (n: CstNode): Kids => n.children as Kids;
const tok = (k: Kids, name: string, i = 0): IToken | undefined => k[name]?.[i] as IToken | undefined;
const node = (k: Kids, name: string, i = 0): CstNode | undefined => k[name]?.[i] as CstNode | undefined;
const nodes = (k: Kids, name: string): CstNode[] => (k[name] ?? []) as CstNode[];
const toks = (k: Kids, name: string): IToken[] => (k[name] ?? []) as IToken[];

/** Builds the AST; recovered (partial) CST nodes become `none` so later stages still run. */
class AstBuilder {
  constructor(private readonly at: SourceOrigin) {}

  span(t: IToken | undefined, len?: number): Span {
    if (!t || !Number.isFinite(t.startLine)) return { file: this.at.file, line: this.at.lineOffset + 1, col: this.at.colOffset + 1 };
    return { file: this.at.file, line: t.startLine! + this.at.lineOffset, col: t.startColumn! + this.at.colOffset, len: len ?? Math.max(1, t.image.length) };
  }

  firstToken(n: CstNode): IToken | undefined {
    let best: IToken | undefined;
    for (const list of Object.values(n.children)) {
      for (const c of list) {
        const t = 'image' in c ? (c as IToken) : this.firstToken(c as CstNode);
        if (t && Number.isFinite(t.startOffset) && (!best || t.startOffset < best.startOffset)) best = t;
      }
    }
    return best;
  }

  program(n: CstNode): Program {
    return { fns: nodes(kids(n), 'fnDecl').map((f) => this.fnDecl(f)) };
  }

  fnDecl(n: CstNode): FnDecl {
    const k = kids(n);
    const name = tok(k, 'Identifier');
    return { name: name?.image ?? '?', params: nodes(k, 'paramDecl').map((p) => this.paramDecl(p)), body: this.block(node(k, 'block')), span: this.span(name) };
  }

  paramDecl(n: CstNode): ParamDecl {
    const k = kids(n);
    const name = tok(k, 'Identifier');
    const t = node(k, 'typeAnn'),
      d = node(k, 'expression');
    return { name: name?.image ?? '?', span: this.span(name), ...(t && { type: this.typeAnn(t) }), ...(d && { default: this.expr(d) }) };
  }

  typeAnn(n: CstNode): TypeAnn {
    const k = kids(n);
    const first = this.firstToken(n);
    if (tok(k, 'LBracket')) {
      const dt = tok(k, 'Identifier')?.image;
      const ann: TypeAnn = { kind: 'tensor', dims: nodes(k, 'dimPat').map((d) => this.dimPat(d)), span: this.span(first) };
      if (dt) ann.dtype = dt as 'f32';
      return ann;
    }
    return { kind: 'scalar', type: (tok(k, 'Identifier')?.image ?? 'float') as 'int', span: this.span(first) };
  }

  dimPat(n: CstNode): DimPat {
    const k = kids(n);
    const dots = tok(k, 'Ellipsis');
    if (dots) {
      const id = tok(k, 'Identifier');
      return id ? { kind: 'rest', name: id.image, span: this.span(dots) } : { kind: 'rest', span: this.span(dots) };
    }
    const e = this.expr(node(k, 'expression'));
    return e.kind === 'name' ? { kind: 'sym', name: e.name, span: e.span } : { kind: 'expr', expr: e, span: e.span };
  }

  block(n: CstNode | undefined): Stmt[] {
    return n
      ? nodes(kids(n), 'statement')
          .map((s) => this.stmt(s))
          .filter((s): s is Stmt => !!s)
      : [];
  }

  stmt(n: CstNode): Stmt | undefined {
    const [[kind, list]] = Object.entries(n.children) as [string, CstNode[]][];
    const s = list?.[0];
    if (!s || !kind) return undefined;
    const k = kids(s);
    const first = this.span(this.firstToken(s));
    const exprs = nodes(k, 'expression');
    switch (kind) {
      case 'letStmt':
      case 'assignStmt':
        return { kind: kind === 'letStmt' ? 'let' : 'assign', names: toks(k, 'Identifier').map((t) => t.image), value: this.expr(exprs[0]), span: first };
      case 'paramStmt': {
        const name = tok(k, 'Identifier');
        const init = nodes(k, 'expression').length > 0 && tok(k, 'Equals') ? this.expr(node(k, 'expression', nodes(k, 'expression').length - 1)) : undefined;
        const shape = (tok(k, 'Equals') ? exprs.slice(0, -1) : exprs).map((e) => this.expr(e));
        return { kind: 'param', name: name?.image ?? '?', shape, trainable: !tok(k, 'Buffer'), span: this.span(name), ...(init && { init }) };
      }
      case 'returnStmt':
        return { kind: 'return', values: exprs.map((e) => this.expr(e)), span: first };
      case 'lossStmt': {
        const w = exprs[1];
        return {
          kind: 'loss',
          name: tok(k, 'Identifier')?.image ?? '?',
          value: this.expr(exprs[0]),
          span: this.span(tok(k, 'Identifier')),
          ...(w && { weight: this.expr(w) }),
        };
      }
      case 'outputStmt':
        return { kind: 'output', name: tok(k, 'Identifier')?.image ?? '?', value: this.expr(exprs[0]), span: this.span(tok(k, 'Identifier')) };
      case 'repeatStmt': {
        const label = tok(k, 'Identifier')?.image;
        return { kind: 'repeat', count: this.expr(exprs[0]), body: this.block(node(k, 'block')), span: first, ...(label && { label }) };
      }
      case 'ifStmt':
        return this.ifStmt(s);
      case 'exprStmt':
        return { kind: 'expr', value: this.expr(node(k, 'postfixExpr')), span: first };
      default:
        return undefined;
    }
  }

  ifStmt(s: CstNode): Stmt {
    const k = kids(s);
    const blocks = nodes(k, 'block');
    const nested = node(k, 'ifStmt');
    // biome-ignore lint/suspicious/noThenProperty: an if statement's branches are `then` and `else` in the AST
    const st: Stmt = { kind: 'if', cond: this.expr(node(k, 'expression')), then: this.block(blocks[0]), span: this.span(this.firstToken(s)) };
    if (nested) st.else = [this.ifStmt(nested)];
    else if (blocks[1]) st.else = this.block(blocks[1]);
    return st;
  }

  expr(n: CstNode | undefined): Expr {
    if (!n) return { kind: 'none', span: this.span(undefined) };
    const k = kids(n);
    switch (n.name) {
      case 'expression':
        return this.expr(node(k, 'orExpr'));
      case 'orExpr':
        return this.chain(n, 'andExpr', ['OrOr']);
      case 'andExpr':
        return this.chain(n, 'cmpExpr', ['AndAnd']);
      case 'cmpExpr':
        return this.chain(n, 'addExpr', ['EqEq', 'NotEq', 'LessEq', 'GreaterEq', 'Less', 'Greater']);
      case 'addExpr':
        return this.chain(n, 'mulExpr', ['Plus', 'Minus']);
      case 'mulExpr':
        return this.chain(n, 'unaryExpr', ['Star', 'SlashSlash', 'Slash', 'Percent', 'At']);
      case 'unaryExpr': {
        const op = tok(k, 'Minus') ?? tok(k, 'Bang');
        if (op) return { kind: 'unary', op: op.image as '-', arg: this.expr(node(k, 'unaryExpr')), span: this.span(op) };
        return this.expr(node(k, 'powExpr'));
      }
      case 'powExpr': {
        const base = this.expr(node(k, 'postfixExpr'));
        const exp = node(k, 'unaryExpr');
        return exp ? { kind: 'binary', op: '**', left: base, right: this.expr(exp), span: this.span(tok(k, 'StarStar')) } : base;
      }
      case 'postfixExpr':
        return this.postfix(n);
      case 'primary':
        return this.primary(n);
      default:
        return { kind: 'none', span: this.span(this.firstToken(n)) };
    }
  }

  /** Left-associative operator chain: operands and operators interleave by source offset. */
  chain(n: CstNode, operand: string, ops: string[]): Expr {
    const k = kids(n);
    const args = nodes(k, operand);
    const opToks = ops.flatMap((o) => toks(k, o)).sort((a, b) => a.startOffset - b.startOffset);
    let e = this.expr(args[0]);
    opToks.forEach((op, i) => {
      e = { kind: 'binary', op: op.image as BinaryOp, left: e, right: this.expr(args[i + 1]), span: this.span(op) };
    });
    return e;
  }

  postfix(n: CstNode): Expr {
    const k = kids(n);
    let e = this.expr(node(k, 'primary'));
    // The suffixes' own tokens in source order drive a small state machine:
    // '(' args ')' ['as' name] | '.' name | '[' expr ']'.
    const direct = ['LParen', 'RParen', 'As', 'Identifier', 'Dot', 'LBracket', 'RBracket']
      .flatMap((nm) => toks(k, nm))
      .filter((t) => Number.isFinite(t.startOffset))
      .sort((a, b) => a.startOffset - b.startOffset);
    const args = nodes(k, 'arg'),
      idx = nodes(k, 'expression');
    let ai = 0,
      ii = 0;
    for (let i = 0; i < direct.length; i++) {
      const t = direct[i]!;
      if (t.tokenType === T.LParen) {
        const close = direct.slice(i + 1).find((x) => x.tokenType === T.RParen);
        const end = close?.startOffset ?? Infinity;
        const mine: Arg[] = [];
        while (ai < args.length && (this.firstToken(args[ai]!)?.startOffset ?? Infinity) < end) mine.push(this.arg(args[ai++]!));
        const call: Expr = { kind: 'call', callee: e, args: mine, span: e.span };
        if (close) i = direct.indexOf(close);
        if (direct[i + 1]?.tokenType === T.As && direct[i + 2]?.tokenType === T.Identifier) {
          call.scope = direct[i + 2]!.image;
          i += 2;
        }
        e = call;
      } else if (t.tokenType === T.Dot) {
        const nm = direct[i + 1]?.tokenType === T.Identifier ? direct[++i] : undefined;
        e = { kind: 'member', object: e, name: nm?.image ?? '?', span: this.span(nm ?? t) };
      } else if (t.tokenType === T.LBracket) {
        e = { kind: 'index', object: e, index: this.expr(idx[ii++]), span: this.span(t) };
      }
    }
    return e;
  }

  arg(n: CstNode): Arg {
    const k = kids(n);
    const name = tok(k, 'Identifier');
    const value = this.expr(node(k, 'expression'));
    return name ? { name: name.image, value, span: this.span(name) } : { value, span: value.span };
  }

  primary(n: CstNode): Expr {
    const k = kids(n);
    const t = this.firstToken(n);
    const span = this.span(t);
    if (tok(k, 'Float')) return { kind: 'num', value: Number(tok(k, 'Float')!.image), isInt: false, span };
    if (tok(k, 'Int')) return { kind: 'num', value: Number(tok(k, 'Int')!.image), isInt: true, span };
    if (tok(k, 'StringLit')) return { kind: 'str', value: unquote(tok(k, 'StringLit')!.image), span };
    if (tok(k, 'True') || tok(k, 'False')) return { kind: 'bool', value: !!tok(k, 'True'), span };
    if (tok(k, 'None')) return { kind: 'none', span };
    if (tok(k, 'Training')) return { kind: 'training', span };
    if (tok(k, 'Identifier')) return { kind: 'name', name: tok(k, 'Identifier')!.image, span };
    if (tok(k, 'LBracket')) return { kind: 'list', items: nodes(k, 'expression').map((e) => this.expr(e)), span };
    return this.expr(node(k, 'expression'));
  }
}

/** A string literal's value: \n, \t, \" and \\ are escapes; any other character stands for itself. */
function unquote(image: string): string {
  const ESC: Record<string, string> = { n: '\n', t: '\t', '"': '"', '\\': '\\' };
  return image.slice(1, -1).replace(/\\(.)/g, (_m, c: string) => ESC[c] ?? c);
}

/** Parse DSL text; diagnostics are added to `diags`, and a best-effort AST is returned. */
export function parseDsl(text: string, origin: SourceOrigin, diags: Diagnostics): Program {
  const b = new AstBuilder(origin);
  const lexed = T.dslLexer.tokenize(text);
  for (const e of lexed.errors) {
    const ch = text.slice(e.offset, e.offset + e.length);
    diags.error(ch.startsWith('"') ? 'unterminated string (a string must end on the line it starts)' : `unexpected character '${ch[0]}'`, {
      file: origin.file,
      line: (e.line ?? 1) + origin.lineOffset,
      col: (e.column ?? 1) + origin.colOffset,
      len: 1,
    });
  }
  // Chevrotain recurses per nesting level (brackets, runs of unary operators, ** chains):
  // refuse absurd depth with a diagnostic before it could overflow the stack.
  let depth = 0,
    unary = 0,
    pow = 0;
  for (const t of lexed.tokens) {
    if (t.tokenType === T.LParen || t.tokenType === T.LBracket || t.tokenType === T.LBrace) depth++;
    else if (t.tokenType === T.RParen || t.tokenType === T.RBracket || t.tokenType === T.RBrace) depth--;
    unary = t.tokenType === T.Minus || t.tokenType === T.Bang ? unary + 1 : 0;
    if (t.tokenType === T.StarStar) pow++;
    if (depth > MAX_NESTING || unary > MAX_NESTING || pow > MAX_NESTING) {
      diags.error(`expression nested deeper than ${MAX_NESTING} levels`, b.span(t));
      return { fns: [] };
    }
  }
  parser.input = lexed.tokens;
  const cst = parser.program();
  for (const e of parser.errors) {
    const t = e.token;
    const at = Number.isFinite(t.startLine) ? t : ((e as { previousToken?: IToken }).previousToken ?? t);
    diags.error(e.message, b.span(at, t.tokenType === EOF ? 1 : undefined));
  }
  return b.program(cst);
}
