// The elaborator's operators and call binding: compile-time arithmetic on scalars, graph ops
// (with broadcasting) on tensors, and matching call arguments to parameters. They report errors
// through the host (the Elaborator), which they know only by this interface.
import type { GraphBuilder } from '../ir/builder.ts';
import type { Var } from '../ir/types.ts';
import type { Span } from '../frontend/diagnostics.ts';
import type { Arg } from './ast.ts';
import { tensorOf } from './builtins.ts';
import { POISON, type Value, describe, fmtShape } from './values.ts';

export interface ElabHost {
  readonly b: GraphBuilder;
  error(message: string, span: Span): Value;
}

/** Match call arguments to parameters: positional then named; reports arity errors. */
export function bindArgs(
  el: ElabHost,
  fname: string,
  params: { name: string; hasDefault: boolean }[],
  args: { a: Arg; v: Value }[],
  span: Span,
): (Value | undefined)[] | null {
  const out: (Value | undefined)[] = params.map(() => undefined);
  let ok = true;
  let pos = 0;
  for (const { a, v } of args) {
    if (a.name === undefined) {
      if (pos >= params.length) {
        el.error(`${fname} takes at most ${params.length} argument${params.length === 1 ? '' : 's'}, got ${args.filter((x) => !x.a.name).length}`, a.span);
        ok = false;
        break;
      }
      out[pos++] = v;
      continue;
    }
    const i = params.findIndex((p) => p.name === a.name);
    if (i < 0) {
      el.error(`${fname} has no parameter '${a.name}' (parameters: ${params.map((p) => p.name).join(', ') || 'none'})`, a.span);
      ok = false;
      continue;
    }
    if (out[i] !== undefined) {
      el.error(`argument '${a.name}' of ${fname} is given twice`, a.span);
      ok = false;
      continue;
    }
    out[i] = v;
  }
  params.forEach((p, i) => {
    if (ok && out[i] === undefined && !p.hasDefault) {
      el.error(`missing argument '${p.name}' in call to ${fname}`, span);
      ok = false;
    }
  });
  return ok ? out : null;
}

/** Operators: compile-time arithmetic on scalars, graph ops (with broadcasting) on tensors. */
export function binaryOp(el: ElabHost, op: string, a: Value, b: Value, span: Span): Value {
  if (a.t === 'poison' || b.t === 'poison') return POISON;
  const num = (x: Value): x is { t: 'int' | 'float'; v: number } => x.t === 'int' || x.t === 'float';
  if (op === '&&' || op === '||') {
    if (a.t === 'bool' && b.t === 'bool') return { t: 'bool', v: op === '&&' ? a.v && b.v : a.v || b.v };
    return el.error(`'${op}' needs two bools, got ${describe(a)} and ${describe(b)}`, span);
  }
  if (num(a) && num(b)) return scalarOp(el, op, a, b, span);
  if ((op === '==' || op === '!=') && a.t !== 'tensor' && b.t !== 'tensor') {
    const eq = a.t === b.t && JSON.stringify(a) === JSON.stringify(b);
    return { t: 'bool', v: op === '==' ? eq : !eq };
  }
  if (op === '+' && a.t === 'list' && b.t === 'list') return { t: 'list', items: [...a.items, ...b.items] };
  if (a.t !== 'tensor' && b.t !== 'tensor') return el.error(`cannot apply '${op}' to ${describe(a)} and ${describe(b)}`, span);
  const like = a.t === 'tensor' ? a.v.dtype : b.t === 'tensor' ? b.v.dtype : 'f32';
  const x = tensorOf(el.b, a, like),
    y = tensorOf(el.b, b, like);
  if (!x || !y) return el.error(`cannot apply '${op}' to ${describe(a)} and ${describe(b)}`, span);
  if (op === '@') return matmul(el, x, y, span);
  if (x.dtype !== y.dtype) return el.error(`'${op}' mixes dtypes ${x.dtype} and ${y.dtype} (use cast(x, "f32"))`, span);
  const shape = broadcastShapes(x.shape, y.shape);
  if (!shape) return el.error(`shapes ${fmtShape(x.shape)} and ${fmtShape(y.shape)} do not broadcast for '${op}'`, span);
  const B = el.b;
  const T = (v: Var): Value => ({ t: 'tensor', v });
  if (x.dtype === 'bool' && !['==', '!='].includes(op)) return el.error(`'${op}' is not defined on bool tensors`, span);
  switch (op) {
    case '+':
      return T(B.add(x, y));
    case '-':
      return T(B.sub(x, y));
    case '*':
      return T(B.mul(x, y));
    case '/':
      return x.dtype === 'f32' ? T(B.div(x, y)) : el.error(`'/' needs f32 tensors, got ${x.dtype}`, span);
    case '**': {
      if (b.t === 'int' && b.v >= 1 && b.v <= 4) {
        let r = x;
        for (let i = 1; i < b.v; i++) r = B.mul(r, x);
        return T(r);
      }
      return T(B.pow(x, y));
    }
    case '<':
      return T(B.lt(x, y));
    case '<=':
      return T(B.le(x, y));
    case '>':
      return T(B.lt(y, x));
    case '>=':
      return T(B.le(y, x));
    case '==':
      return T(B.eq(x, y));
    case '!=':
      return T(B.eq(B.eq(x, y), B.constant(0, [], 'bool')));
    default:
      return el.error(`'${op}' is not defined on tensors`, span);
  }
}

function scalarOp(el: ElabHost, op: string, a: { t: 'int' | 'float'; v: number }, b: { t: 'int' | 'float'; v: number }, span: Span): Value {
  const ints = a.t === 'int' && b.t === 'int';
  const n = (v: number): Value => (ints && Number.isInteger(v) ? { t: 'int', v } : { t: 'float', v });
  switch (op) {
    case '+':
      return n(a.v + b.v);
    case '-':
      return n(a.v - b.v);
    case '*':
      return n(a.v * b.v);
    case '/':
      return b.v === 0 ? el.error('division by zero', span) : { t: 'float', v: a.v / b.v };
    case '//':
      return b.v === 0 ? el.error('division by zero', span) : n(Math.floor(a.v / b.v));
    case '%':
      return b.v === 0 ? el.error('division by zero', span) : n(a.v - b.v * Math.floor(a.v / b.v));
    case '**':
      return n(a.v ** b.v);
    case '<':
      return { t: 'bool', v: a.v < b.v };
    case '<=':
      return { t: 'bool', v: a.v <= b.v };
    case '>':
      return { t: 'bool', v: a.v > b.v };
    case '>=':
      return { t: 'bool', v: a.v >= b.v };
    case '==':
      return { t: 'bool', v: a.v === b.v };
    case '!=':
      return { t: 'bool', v: a.v !== b.v };
    default:
      return el.error(`'${op}' is not defined on numbers`, span);
  }
}

export function broadcastShapes(a: readonly number[], b: readonly number[]): number[] | null {
  const r = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < r; i++) {
    const x = a[a.length - r + i] ?? 1,
      y = b[b.length - r + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) return null;
    out.push(x === 1 ? y : x);
  }
  return out;
}

function matmul(el: ElabHost, x: Var, y: Var, span: Span): Value {
  if (x.dtype !== 'f32' || y.dtype !== 'f32') return el.error(`'@' needs f32 tensors, got ${x.dtype} and ${y.dtype}`, span);
  if (x.shape.length < 2 || y.shape.length < 2) return el.error(`'@' needs tensors of rank >= 2, got ${fmtShape(x.shape)} @ ${fmtShape(y.shape)}`, span);
  const k1 = x.shape[x.shape.length - 1]!,
    k2 = y.shape[y.shape.length - 2]!;
  if (k1 !== k2) return el.error(`'@' inner dimensions differ: ${fmtShape(x.shape)} @ ${fmtShape(y.shape)} (${k1} vs ${k2})`, span);
  if (!broadcastShapes(x.shape.slice(0, -2), y.shape.slice(0, -2)))
    return el.error(`'@' batch dimensions do not broadcast: ${fmtShape(x.shape)} @ ${fmtShape(y.shape)}`, span);
  return { t: 'tensor', v: el.b.matmul(x, y) };
}
