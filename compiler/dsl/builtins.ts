// Built-in functions of the DSL: thin, shape-checked wrappers over the graph builder.
// Everything that can be written in the DSL itself lives in stdlib.flap instead.
import type { GraphBuilder } from '../ir/builder.ts';
import { type DType, type Shape, type Var, numel } from '../ir/types.ts';
import { erf64 } from '../ir/interp.ts';
import type { Span } from '../frontend/diagnostics.ts';
import { type InitKind, NONE, POISON, type Value, describe, fmtShape } from './values.ts';
import { WORD_VECTOR_TABLES } from '../names.ts';
import { type AttentionMode, attention, rowParts } from '../ir/nn.ts';

export interface BuiltinCtx {
  b: GraphBuilder;
  span: Span;
  /** Report an error at the call and return poison. */
  error(message: string): Value;
  /** A fresh uniform [0,1) tensor from the step's RNG key, with a seed unique to this call site. */
  rand(shape: Shape): Var;
  /** How scaled_dot_attention is lowered (the compile's choice). */
  attention: AttentionMode;
  /** The storage binding size row_parts cuts values to. */
  bindingBytes: number;
}

export interface Builtin {
  params: { name: string; default?: Value }[];
  run(c: BuiltinCtx, a: Value[]): Value;
}

const T = (v: Var): Value => ({ t: 'tensor', v });
const I = (v: number): Value => ({ t: 'int', v });

/** A tensor from a tensor or scalar operand (scalars take the dtype of `like`). */
export function tensorOf(b: GraphBuilder, v: Value, like: DType = 'f32'): Var | undefined {
  if (v.t === 'tensor') return v.v;
  if (v.t === 'int') return b.constant(v.v, [], like === 'bool' ? 'f32' : like);
  if (v.t === 'float') return b.constant(v.v, [], 'f32');
  if (v.t === 'bool') return b.constant(v.v ? 1 : 0, [], 'bool');
  return undefined;
}

export function axisOf(c: BuiltinCtx, ax: Value, rank: number, what = 'axis'): number | undefined {
  if (ax.t !== 'int') {
    c.error(`${what} must be an int, got ${describe(ax)}`);
    return undefined;
  }
  const a = ax.v < 0 ? ax.v + rank : ax.v;
  if (a < 0 || a >= rank) {
    c.error(`${what} ${ax.v} is out of range for a tensor of rank ${rank}`);
    return undefined;
  }
  return a;
}

export function intList(c: BuiltinCtx, v: Value, what: string): number[] | undefined {
  if (v.t === 'int') return [v.v];
  if (v.t !== 'list' || v.items.some((x) => x.t !== 'int')) {
    c.error(`${what} must be a list of ints, got ${describe(v)}`);
    return undefined;
  }
  return v.items.map((x) => (x as { v: number }).v);
}

function shapeArg(c: BuiltinCtx, v: Value, what = 'shape'): number[] | undefined {
  const s = intList(c, v, what);
  if (s?.some((d) => d < 0)) {
    c.error(`${what} ${fmtShape(s)} has a negative dimension`);
    return undefined;
  }
  return s;
}

function tensorArg(c: BuiltinCtx, v: Value, name: string): Var | undefined {
  if (v.t === 'poison') return undefined;
  const t = tensorOf(c.b, v);
  if (!t) c.error(`${name} must be a tensor or number, got ${describe(v)}`);
  return t;
}

const scalarMath = (f: (x: number) => number, g: (b: GraphBuilder, x: Var) => Var): Builtin => ({
  params: [{ name: 'x' }],
  run(c, [x]) {
    if (x!.t === 'int' || x!.t === 'float') return { t: 'float', v: f(x!.v) };
    const t = tensorArg(c, x!, 'x');
    if (!t) return POISON;
    if (t.dtype !== 'f32') return c.error(`expects an f32 tensor, got ${describe(x!)}`);
    return T(g(c.b, t));
  },
});

/** Elementwise of two operands: compile-time on numbers, a graph op on tensors. */
function pairwise(f: (x: number, y: number) => number, g: (b: GraphBuilder, x: Var, y: Var) => Var): Builtin {
  return {
    params: [{ name: 'a' }, { name: 'b' }],
    run(c, [a, b]) {
      if ((a!.t === 'int' || a!.t === 'float') && (b!.t === 'int' || b!.t === 'float'))
        return a!.t === 'int' && b!.t === 'int' ? I(f(a!.v, b!.v)) : { t: 'float', v: f(a!.v, b!.v) };
      const x = tensorArg(c, a!, 'a'),
        y = tensorArg(c, b!, 'b');
      return x && y ? T(g(c.b, x, y)) : POISON;
    },
  };
}

function reduction(kind: 'sum' | 'max' | 'mean'): Builtin {
  return {
    params: [{ name: 'x' }, { name: 'axis', default: NONE }, { name: 'keepdims', default: { t: 'bool', v: false } }],
    run(c, [x, axis, keep]) {
      const t = tensorArg(c, x!, 'x');
      if (!t) return POISON;
      const r = t.shape.length;
      let axes: number[];
      if (axis!.t === 'none') axes = Array.from({ length: r }, (_, i) => i);
      else {
        const raw = intList(c, axis!, 'axis');
        if (!raw) return POISON;
        const norm = raw.map((a) => axisOf(c, I(a), r));
        if (norm.some((a) => a === undefined)) return POISON;
        axes = norm as number[];
      }
      if (keep!.t !== 'bool') return c.error(`keepdims must be true or false, got ${describe(keep!)}`);
      return T(c.b[kind](t, axes, keep!.v));
    },
  };
}

function init(kind: InitKind, params: { name: string; default?: Value }[]): Builtin {
  return {
    params,
    run(c, args) {
      const nums: number[] = [];
      for (const [i, a] of args.entries()) {
        if (a.t !== 'int' && a.t !== 'float') return c.error(`init.${kind}: ${params[i]!.name} must be a number, got ${describe(a)}`);
        nums.push(a.v);
      }
      return { t: 'init', kind, args: nums };
    },
  };
}

export const INITS: Record<string, Builtin> = {
  normal: init('normal', [{ name: 'std', default: { t: 'float', v: 0.02 } }]),
  uniform: init('uniform', [{ name: 'limit' }]),
  xavier: init('xavier', []),
  zeros: init('zeros', []),
  ones: init('ones', []),
  constant: init('constant', [{ name: 'value' }]),
  sincos_1d: init('sincos_1d', []),
  sincos_2d: init('sincos_2d', [{ name: 'rows' }, { name: 'cols' }]),
  // A pretrained table by name (compiler/names.ts WORD_VECTOR_TABLES), e.g. "glove-100d".
  word_vectors: {
    params: [{ name: 'table' }],
    run(c, [a]) {
      const known = Object.keys(WORD_VECTOR_TABLES);
      if (a?.t !== 'str') return c.error(`init.word_vectors: table must be a string (one of ${known.map((k) => `"${k}"`).join(', ')}), got ${describe(a!)}`);
      if (!WORD_VECTOR_TABLES[a.v]) return c.error(`init.word_vectors: no table "${a.v}" (known: ${known.map((k) => `"${k}"`).join(', ')})`);
      return { t: 'init', kind: 'word_vectors', args: [], table: a.v };
    },
  },
};

const DTYPE_NAMES: Record<string, DType> = { f32: 'f32', i32: 'i32', u32: 'u32', bool: 'bool' };

export const BUILTINS: Record<string, Builtin> = {
  exp: scalarMath(Math.exp, (b, x) => b.exp(x)),
  log: scalarMath(Math.log, (b, x) => b.log(x)),
  sqrt: scalarMath(Math.sqrt, (b, x) => b.sqrt(x)),
  rsqrt: scalarMath(
    (x) => 1 / Math.sqrt(x),
    (b, x) => b.rsqrt(x),
  ),
  tanh: scalarMath(Math.tanh, (b, x) => b.tanh(x)),
  sin: scalarMath(Math.sin, (b, x) => b.sin(x)),
  cos: scalarMath(Math.cos, (b, x) => b.cos(x)),
  abs: scalarMath(Math.abs, (b, x) => b.abs(x)),
  erf: scalarMath(erf64, (b, x) => b.erf(x)),
  maximum: pairwise(Math.max, (b, x, y) => b.maximum(x, y)),
  minimum: pairwise(Math.min, (b, x, y) => b.minimum(x, y)),
  where: {
    params: [{ name: 'cond' }, { name: 'a' }, { name: 'b' }],
    run(c, [cond, a, b]) {
      const k = tensorArg(c, cond!, 'cond'),
        x = tensorArg(c, a!, 'a'),
        y = tensorArg(c, b!, 'b');
      if (!k || !x || !y) return POISON;
      if (k.dtype !== 'bool') return c.error(`where: cond must be a bool tensor (a comparison), got ${describe(cond!)}`);
      return T(c.b.select(k, x, y));
    },
  },
  sum: reduction('sum'),
  max: reduction('max'),
  mean: reduction('mean'),
  reshape: {
    params: [{ name: 'x' }, { name: 'shape' }],
    run(c, [x, shape]) {
      const t = tensorArg(c, x!, 'x');
      const s = intList(c, shape!, 'shape');
      if (!t || !s) return POISON;
      const holes = s.filter((d) => d === -1).length;
      if (holes > 1 || s.some((d) => d < -1)) return c.error(`reshape: ${fmtShape(s)} may contain at most one -1 and no other negative size`);
      const known = s.reduce((p, d) => (d === -1 ? p : p * d), 1);
      const n = numel(t.shape);
      const full = s.map((d) => (d === -1 ? (known ? n / known : 0) : d));
      if (numel(full) !== n || full.some((d) => !Number.isInteger(d)))
        return c.error(`reshape: cannot view ${fmtShape(t.shape)} (${n} elements) as ${fmtShape(s)}`);
      return T(c.b.reshape(t, full));
    },
  },
  transpose: {
    params: [{ name: 'x' }, { name: 'perm' }],
    run(c, [x, perm]) {
      const t = tensorArg(c, x!, 'x');
      const p = intList(c, perm!, 'perm');
      if (!t || !p) return POISON;
      const r = t.shape.length;
      if (p.length !== r || [...p].sort((a, b) => a - b).some((a, i) => a !== i))
        return c.error(`transpose: ${fmtShape(p)} is not a permutation of the ${r} axes of ${fmtShape(t.shape)}`);
      return T(c.b.transpose(t, p));
    },
  },
  swap: {
    params: [{ name: 'x' }, { name: 'a', default: I(-2) }, { name: 'b', default: I(-1) }],
    run(c, [x, a, b]) {
      const t = tensorArg(c, x!, 'x');
      if (!t) return POISON;
      const i = axisOf(c, a!, t.shape.length),
        j = axisOf(c, b!, t.shape.length);
      if (i === undefined || j === undefined) return POISON;
      const perm = t.shape.map((_, k) => (k === i ? j : k === j ? i : k));
      return T(c.b.transpose(t, perm));
    },
  },
  expand_dims: {
    params: [{ name: 'x' }, { name: 'axis' }],
    run(c, [x, axis]) {
      const t = tensorArg(c, x!, 'x');
      if (!t) return POISON;
      const a = axisOf(c, axis!, t.shape.length + 1);
      if (a === undefined) return POISON;
      return T(c.b.reshape(t, [...t.shape.slice(0, a), 1, ...t.shape.slice(a)]));
    },
  },
  broadcast: {
    params: [{ name: 'x' }, { name: 'shape' }],
    run(c, [x, shape]) {
      const t = tensorArg(c, x!, 'x');
      const s = shapeArg(c, shape!);
      if (!t || !s) return POISON;
      const off = s.length - t.shape.length;
      if (off < 0 || t.shape.some((d, i) => d !== 1 && d !== s[off + i])) return c.error(`broadcast: ${fmtShape(t.shape)} cannot broadcast to ${fmtShape(s)}`);
      return T(c.b.broadcastTo(t, s));
    },
  },
  concat: {
    params: [{ name: 'items' }, { name: 'axis', default: I(0) }],
    run(c, [items, axis]) {
      if (items!.t !== 'list' || items!.items.length === 0) return c.error(`concat: items must be a non-empty list of tensors, got ${describe(items!)}`);
      const ts = items!.items.map((v, i) => tensorArg(c, v, `items[${i}]`));
      if (ts.some((t) => !t)) return POISON;
      const vs = ts as Var[];
      const r = vs[0]!.shape.length;
      const a = axisOf(c, axis!, r);
      if (a === undefined) return POISON;
      for (const v of vs) {
        if (v.shape.length !== r || v.shape.some((d, i) => i !== a && d !== vs[0]!.shape[i]) || v.dtype !== vs[0]!.dtype) {
          return c.error(`concat: ${vs.map((u) => `${u.dtype}${fmtShape(u.shape)}`).join(', ')} differ outside axis ${a}`);
        }
      }
      return T(c.b.concat(vs, a));
    },
  },
  stack: {
    params: [{ name: 'items' }, { name: 'axis', default: I(0) }],
    run(c, [items, axis]) {
      if (items!.t !== 'list' || items!.items.length === 0) return c.error(`items must be a non-empty list of tensors, got ${describe(items!)}`);
      const ts = items!.items.map((v, i) => tensorArg(c, v, `items[${i}]`));
      if (ts.some((t) => !t)) return POISON;
      const vs = ts as Var[];
      if (vs.some((v) => v.dtype !== vs[0]!.dtype || v.shape.join() !== vs[0]!.shape.join()))
        return c.error(`items must share one shape and dtype, got ${vs.map((u) => `${u.dtype}${fmtShape(u.shape)}`).join(', ')}`);
      const a = axisOf(c, axis!, vs[0]!.shape.length + 1);
      if (a === undefined) return POISON;
      const sh = vs[0]!.shape;
      return T(
        c.b.concat(
          vs.map((v) => c.b.reshape(v, [...sh.slice(0, a), 1, ...sh.slice(a)])),
          a,
        ),
      );
    },
  },
  slice: {
    params: [{ name: 'x' }, { name: 'axis' }, { name: 'start' }, { name: 'end' }],
    run(c, [x, axis, start, end]) {
      const t = tensorArg(c, x!, 'x');
      if (!t) return POISON;
      const a = axisOf(c, axis!, t.shape.length);
      if (a === undefined) return POISON;
      if (start!.t !== 'int' || end!.t !== 'int') return c.error('slice: start and end must be ints');
      const n = t.shape[a]!;
      const s0 = start!.v < 0 ? start!.v + n : start!.v,
        e0 = end!.v < 0 ? end!.v + n : end!.v;
      if (s0 < 0 || e0 > n || s0 > e0) return c.error(`slice: [${start!.v}, ${end!.v}) is out of range for axis ${a} of size ${n}`);
      const st = t.shape.map(() => 0),
        en = [...t.shape];
      st[a] = s0;
      en[a] = e0;
      return T(c.b.slice(t, st, en));
    },
  },
  gather: {
    params: [{ name: 'x' }, { name: 'idx' }, { name: 'batch_dims', default: I(0) }],
    run(c, [x, idx, bd]) {
      const t = tensorArg(c, x!, 'x'),
        i = tensorArg(c, idx!, 'idx');
      if (!t || !i) return POISON;
      if (bd!.t !== 'int' || bd!.v < 0) return c.error('gather: batch_dims must be a non-negative int');
      if (i.dtype !== 'i32') return c.error(`gather: idx must be an i32 tensor, got ${describe(idx!)}`);
      const k = bd!.v;
      if (k >= t.shape.length || k > i.shape.length || t.shape.slice(0, k).some((d, j) => d !== i.shape[j])) {
        return c.error(`gather: with batch_dims=${k}, x ${fmtShape(t.shape)} and idx ${fmtShape(i.shape)} must share their first ${k} dims`);
      }
      return T(c.b.gather(t, i, k));
    },
  },
  argsort: {
    params: [{ name: 'x' }],
    run(c, [x]) {
      const t = tensorArg(c, x!, 'x');
      if (!t) return POISON;
      if (t.dtype !== 'f32' || t.shape.length === 0) return c.error(`argsort: needs an f32 tensor of rank >= 1, got ${describe(x!)}`);
      return T(c.b.argsort(t));
    },
  },
  rand: {
    params: [{ name: 'shape' }],
    run(c, [shape]) {
      const s = shapeArg(c, shape!);
      return s ? T(c.rand(s)) : POISON;
    },
  },
  iota: {
    params: [{ name: 'shape' }, { name: 'axis', default: I(0) }, { name: 'dtype', default: { t: 'str', v: 'i32' } }],
    run(c, [shape, axis, dtype]) {
      const s = shapeArg(c, shape!);
      if (!s) return POISON;
      const a = axisOf(c, axis!, s.length);
      const d = dtype!.t === 'str' ? DTYPE_NAMES[dtype!.v] : undefined;
      if (a === undefined) return POISON;
      if (!d || d === 'bool') return c.error(`iota: dtype must be "f32", "i32" or "u32", got ${describe(dtype!)}`);
      return T(c.b.iota(s, a, d));
    },
  },
  full: {
    params: [{ name: 'shape' }, { name: 'value' }],
    run(c, [shape, value]) {
      const s = shapeArg(c, shape!);
      if (!s) return POISON;
      if (value!.t !== 'int' && value!.t !== 'float') return c.error(`full: value must be a number, got ${describe(value!)}`);
      return T(c.b.constant(value!.v, s, 'f32'));
    },
  },
  zeros: {
    params: [{ name: 'shape' }],
    run(c, [shape]) {
      const s = shapeArg(c, shape!);
      return s ? T(c.b.constant(0, s, 'f32')) : POISON;
    },
  },
  ones: {
    params: [{ name: 'shape' }],
    run(c, [shape]) {
      const s = shapeArg(c, shape!);
      return s ? T(c.b.constant(1, s, 'f32')) : POISON;
    },
  },
  cast: {
    params: [{ name: 'x' }, { name: 'dtype' }],
    run(c, [x, dtype]) {
      const t = tensorArg(c, x!, 'x');
      const d = dtype!.t === 'str' ? DTYPE_NAMES[dtype!.v] : undefined;
      if (!t) return POISON;
      if (!d) return c.error(`cast: dtype must be one of "f32", "i32", "u32", "bool", got ${describe(dtype!)}`);
      return T(c.b.cast(t, d));
    },
  },
  // Fused or not by the compile's attention mode (ir/nn.ts attention); q [B,H,N,D], k and v
  // [B,H,M,D] (k is not transposed), key_mask [B,M].
  scaled_dot_attention: {
    params: [{ name: 'q' }, { name: 'k' }, { name: 'v' }, { name: 'key_mask', default: NONE }],
    run(c, [q, k, v, mask]) {
      const [tq, tk, tv] = [tensorArg(c, q!, 'q'), tensorArg(c, k!, 'k'), tensorArg(c, v!, 'v')];
      if (!tq || !tk || !tv) return POISON;
      const tm = mask!.t === 'none' ? undefined : tensorArg(c, mask!, 'key_mask');
      if (mask!.t !== 'none' && !tm) return POISON;
      if (tq.shape.length !== 4) return c.error(`q must be [B, H, N, D], got ${fmtShape(tq.shape)}`);
      const [B, H, , D] = tq.shape as number[];
      const M = tk.shape[2] ?? 0;
      for (const [name, t] of [
        ['k', tk],
        ['v', tv],
      ] as const) {
        if (t.shape.length !== 4 || t.shape[0] !== B || t.shape[1] !== H || t.shape[2] !== M || t.shape[3] !== D) {
          return c.error(`${name} must be [${B}, ${H}, M, ${D}] like q (keys not transposed), got ${fmtShape(t.shape)}`);
        }
      }
      if (tm && (tm.shape.length !== 2 || tm.shape[0] !== B || tm.shape[1] !== M)) return c.error(`key_mask must be [${B}, ${M}], got ${fmtShape(tm.shape)}`);
      return T(attention(c.b, tq, tk, tv, tm, c.attention));
    },
  },
  stop_gradient: {
    params: [{ name: 'x' }],
    run(c, [x]) {
      const t = tensorArg(c, x!, 'x');
      return t ? T(c.b.stopGradient(t)) : POISON;
    },
  },
  shape: {
    params: [{ name: 'x' }],
    run(c, [x]) {
      const t = tensorArg(c, x!, 'x');
      return t ? { t: 'list', items: t.shape.map(I) } : POISON;
    },
  },
  dim: {
    params: [{ name: 'x' }, { name: 'axis' }],
    run(c, [x, axis]) {
      const t = tensorArg(c, x!, 'x');
      if (!t) return POISON;
      const a = axisOf(c, axis!, t.shape.length);
      return a === undefined ? POISON : I(t.shape[a]!);
    },
  },
  // How many pieces axis 0 of x must be cut into (each of ceil(dim(x, 0) / parts) rows) so that
  // a value with x's leading dims and a last axis of `width` f32 fits one storage binding of the
  // baseline adapter (128 MiB). stdlib's mlp and attention cut their widest values by it.
  row_parts: {
    params: [{ name: 'x' }, { name: 'width' }],
    run(c, [x, width]) {
      const t = tensorArg(c, x!, 'x');
      if (!t) return POISON;
      if (width!.t !== 'int' || width!.v < 1) return c.error(`row_parts: width must be a positive int, got ${describe(width!)}`);
      const lead = t.shape.length > 1 ? t.shape.slice(0, -1) : [1];
      const parts = rowParts(lead, width!.v, c.bindingBytes);
      if (parts === undefined)
        return c.error(
          `row_parts: one row of axis 0 of ${fmtShape(lead)} x ${width!.v} f32 is larger than a storage binding (${c.bindingBytes} bytes); cut the value along another axis`,
        );
      return I(parts);
    },
  },
  rank: {
    params: [{ name: 'x' }],
    run(c, [x]) {
      const t = tensorArg(c, x!, 'x');
      return t ? I(t.shape.length) : POISON;
    },
  },
  len: {
    params: [{ name: 'x' }],
    run(c, [x]) {
      return x!.t === 'list' || x!.t === 'tuple' ? I(x!.items.length) : c.error(`len: needs a list, got ${describe(x!)}`);
    },
  },
  int: {
    params: [{ name: 'x' }],
    run(c, [x]) {
      return x!.t === 'int' || x!.t === 'float' ? I(Math.floor(x!.v + 1e-9)) : c.error(`int: needs a number, got ${describe(x!)}`);
    },
  },
  float: {
    params: [{ name: 'x' }],
    run(c, [x]) {
      return x!.t === 'int' || x!.t === 'float' ? { t: 'float', v: x!.v } : c.error(`float: needs a number, got ${describe(x!)}`);
    },
  },
  defined: {
    params: [{ name: 'x' }],
    run(_c, [x]) {
      return { t: 'bool', v: x!.t !== 'none' };
    },
  },
  error: {
    params: [{ name: 'message' }],
    run(c, [m]) {
      return c.error(m!.t === 'str' ? m!.v : describe(m!));
    },
  },
};
