// The DSL's abstract syntax tree. Every node carries the span of its first token (and
// length), already mapped to the file and line where the user wrote it.
import type { Span } from '../frontend/diagnostics.ts';

export type Expr =
  | { kind: 'num'; value: number; isInt: boolean; span: Span }
  | { kind: 'str'; value: string; span: Span }
  | { kind: 'bool'; value: boolean; span: Span }
  | { kind: 'none'; span: Span }
  | { kind: 'training'; span: Span }
  | { kind: 'name'; name: string; span: Span }
  | { kind: 'list'; items: Expr[]; span: Span }
  | { kind: 'unary'; op: '-' | '!'; arg: Expr; span: Span }
  | { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr; span: Span }
  | { kind: 'call'; callee: Expr; args: Arg[]; scope?: string; span: Span }
  | { kind: 'member'; object: Expr; name: string; span: Span }
  | { kind: 'index'; object: Expr; index: Expr; span: Span };

export type BinaryOp = '+' | '-' | '*' | '/' | '//' | '%' | '@' | '**' | '==' | '!=' | '<' | '<=' | '>' | '>=' | '&&' | '||';

export interface Arg {
  name?: string;
  value: Expr;
  span: Span;
}

/** A dimension pattern in a shape annotation: a symbol, a number, `...rest`, or an expression. */
export type DimPat = { kind: 'sym'; name: string; span: Span } | { kind: 'rest'; name?: string; span: Span } | { kind: 'expr'; expr: Expr; span: Span };

export type TypeAnn =
  | { kind: 'scalar'; type: 'int' | 'float' | 'bool' | 'str'; span: Span }
  | { kind: 'tensor'; dims: DimPat[]; dtype?: 'f32' | 'i32' | 'u32' | 'bool'; span: Span };

export interface ParamDecl {
  name: string;
  type?: TypeAnn;
  default?: Expr;
  span: Span;
}

export type Stmt =
  | { kind: 'let'; names: string[]; value: Expr; span: Span }
  | { kind: 'assign'; names: string[]; value: Expr; span: Span }
  | { kind: 'param'; name: string; shape: Expr[]; init?: Expr; trainable: boolean; span: Span }
  | { kind: 'return'; values: Expr[]; span: Span }
  | { kind: 'loss'; name: string; value: Expr; weight?: Expr; span: Span }
  | { kind: 'output'; name: string; value: Expr; span: Span }
  | { kind: 'repeat'; count: Expr; label?: string; index?: string; body: Stmt[]; span: Span }
  | { kind: 'if'; cond: Expr; then: Stmt[]; else?: Stmt[]; span: Span }
  | { kind: 'expr'; value: Expr; span: Span };

export interface FnDecl {
  name: string;
  params: ParamDecl[];
  body: Stmt[];
  span: Span;
}

export interface Program {
  fns: FnDecl[];
}
