// Float64 reference interpreter: the independent oracle every GPU kernel and every
// gradient rule is tested against. Written for clarity, not speed.
import { randomUniform } from './rng.ts';
import { attentionDkvRef, attentionDqRef, attentionLseRef, attentionRef } from './interp-attention.ts';
import { type DType, type Eqn, type Graph, type Prim, type PrimParams, type Shape, IRError, numel, shapeStr, stridesOf } from './types.ts';

export interface Tensor {
  readonly shape: Shape;
  readonly dtype: DType;
  readonly data: Float64Array;
}

export function tensor(shape: Shape, data: ArrayLike<number>, dtype: DType = 'f32'): Tensor {
  if (data.length !== numel(shape)) throw new IRError(`tensor ${shapeStr(shape)} needs ${numel(shape)} values, got ${data.length}`);
  return { shape: [...shape], dtype, data: Float64Array.from(data) };
}

function make(shape: Shape, dtype: DType, f: (i: number) => number): Tensor {
  const data = new Float64Array(numel(shape));
  for (let i = 0; i < data.length; i++) data[i] = f(i);
  return { shape: [...shape], dtype, data };
}

/** Multi-index of flat index i in shape. */
function unravel(i: number, shape: Shape): number[] {
  const idx = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    const n = shape[d]!;
    idx[d] = i % n;
    i = Math.floor(i / n);
  }
  return idx;
}
function ravel(idx: readonly number[], shape: Shape): number {
  let i = 0;
  for (let d = 0; d < shape.length; d++) i = i * shape[d]! + idx[d]!;
  return i;
}

/** Round to the dtype's value set (f32 values stay f64: this is the exact reference). */
function fix(dtype: DType, x: number): number {
  switch (dtype) {
    case 'i32':
      return Math.trunc(x) | 0;
    case 'u32':
      return Math.trunc(x) >>> 0;
    case 'bool':
      return x ? 1 : 0;
    default:
      return x;
  }
}

// Abramowitz–Stegun 7.1.26 is too coarse for a reference; use a series / continued fraction.
export function erf64(x: number): number {
  const ax = Math.abs(x);
  if (ax < 2.5) {
    // Maclaurin series: erf(x) = 2/sqrt(pi) * sum (-1)^n x^(2n+1) / (n! (2n+1))
    let term = ax,
      sum = ax;
    for (let n = 1; n < 80; n++) {
      term *= (-ax * ax) / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    return Math.sign(x) * (2 / Math.sqrt(Math.PI)) * sum;
  }
  // erfc continued fraction (Lentz) for large |x|
  let f = ax,
    C = ax,
    D = 0;
  for (let n = 1; n < 200; n++) {
    const an = n / 2;
    D = ax + an * D;
    D = 1 / D;
    C = ax + an / C;
    const delta = C * D;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  const erfc = Math.exp(-ax * ax) / Math.sqrt(Math.PI) / f;
  return Math.sign(x) * (1 - erfc);
}

type EvalRule<P extends Prim> = (ins: Tensor[], params: PrimParams[P], eqn: Eqn) => Tensor[];
type PlainRule = (ins: Tensor[], params: object, eqn: Eqn) => Tensor[];

const un =
  (f: (x: number) => number): PlainRule =>
  ([x]) => [make(x!.shape, x!.dtype, (i) => fix(x!.dtype, f(x!.data[i]!)))];
const bin =
  (f: (a: number, b: number, dt: DType) => number): PlainRule =>
  ([a, b]) => [make(a!.shape, a!.dtype, (i) => fix(a!.dtype, f(a!.data[i]!, b!.data[i]!, a!.dtype)))];
const cmp =
  (f: (a: number, b: number) => boolean): PlainRule =>
  ([a, b]) => [make(a!.shape, 'bool', (i) => (f(a!.data[i]!, b!.data[i]!) ? 1 : 0))];

function reduceRule(init: number, f: (acc: number, x: number) => number): (ins: Tensor[], p: { axes: readonly number[] }) => Tensor[] {
  return ([x], p) => {
    const outShape = x!.shape.filter((_, i) => !p.axes.includes(i));
    const out = new Float64Array(numel(outShape)).fill(init);
    for (let i = 0; i < x!.data.length; i++) {
      const idx = unravel(i, x!.shape).filter((_, d) => !p.axes.includes(d));
      const o = ravel(idx, outShape);
      out[o] = f(out[o]!, x!.data[i]!);
    }
    return [{ shape: outShape, dtype: x!.dtype, data: out }];
  };
}

/** Build an output by mapping each output multi-index to a value. */
function gen(shape: Shape, dtype: DType, f: (idx: number[]) => number): Tensor {
  return make(shape, dtype, (i) => f(unravel(i, shape)));
}

export const EVAL_RULES: { [P in Prim]: EvalRule<P> } = {
  neg: un((x) => -x),
  exp: un(Math.exp),
  log: un(Math.log),
  sqrt: un(Math.sqrt),
  rsqrt: un((x) => 1 / Math.sqrt(x)),
  tanh: un(Math.tanh),
  sin: un(Math.sin),
  cos: un(Math.cos),
  abs: un(Math.abs),
  recip: un((x) => 1 / x),
  erf: un(erf64),
  add: bin((a, b) => a + b),
  sub: bin((a, b) => a - b),
  mul: bin((a, b) => a * b),
  div: bin((a, b, dt) => (dt === 'f32' ? a / b : Math.trunc(a / b))),
  max: bin((a, b) => Math.max(a, b)),
  min: bin((a, b) => Math.min(a, b)),
  pow: bin((a, b) => a ** b),
  lt: cmp((a, b) => a < b),
  le: cmp((a, b) => a <= b),
  eq: cmp((a, b) => a === b),
  select: ([c, a, b]) => [make(a!.shape, a!.dtype, (i) => (c!.data[i] ? a!.data[i]! : b!.data[i]!))],
  cast: ([x], p) => [make(x!.shape, p.dtype, (i) => fix(p.dtype, x!.data[i]!))],
  stop_gradient: ([x]) => [x!],
  constant: (_, p) => [make(p.shape, p.dtype, () => fix(p.dtype, p.value))],
  iota: (_, p) => [gen(p.shape, p.dtype, (idx) => idx[p.axis]!)],
  random_uniform: ([key], p) => [make(p.shape, 'f32', (i) => randomUniform(key!.data[0]!, p.seed, i))],
  reduce_sum: reduceRule(0, (a, x) => a + x),
  reduce_max: reduceRule(-Infinity, (a, x) => Math.max(a, x)),
  reshape: ([x], p) => [{ shape: [...p.shape], dtype: x!.dtype, data: x!.data }],
  transpose: ([x], p) => {
    const outShape = p.perm.map((a) => x!.shape[a]!);
    const st = stridesOf(x!.shape);
    return [gen(outShape, x!.dtype, (idx) => x!.data[idx.reduce((s, v, d) => s + v * st[p.perm[d]!]!, 0)]!)];
  },
  broadcast: ([x], p) => [
    gen(
      p.shape,
      x!.dtype,
      (idx) =>
        x!.data[
          ravel(
            p.dims.map((od, i) => (x!.shape[i] === 1 ? 0 : idx[od]!)),
            x!.shape,
          )
        ]!,
    ),
  ],
  slice: ([x], p) => [
    gen(
      p.end.map((e, i) => e - p.start[i]!),
      x!.dtype,
      (idx) =>
        x!.data[
          ravel(
            idx.map((v, d) => v + p.start[d]!),
            x!.shape,
          )
        ]!,
    ),
  ],
  pad: ([x], p) => [
    gen(
      x!.shape.map((d, i) => d + p.lo[i]! + p.hi[i]!),
      x!.dtype,
      (idx) => {
        const src = idx.map((v, d) => v - p.lo[d]!);
        return src.every((v, d) => v >= 0 && v < x!.shape[d]!) ? x!.data[ravel(src, x!.shape)]! : 0;
      },
    ),
  ],
  concat: (xs, p) => {
    const outShape = xs[0]!.shape.map((d, i) => (i === p.axis ? xs.reduce((s, x) => s + x.shape[p.axis]!, 0) : d));
    return [
      gen(outShape, xs[0]!.dtype, (idx) => {
        let k = idx[p.axis]!;
        for (const x of xs) {
          const n = x.shape[p.axis]!;
          if (k < n)
            return x.data[
              ravel(
                idx.map((v, d) => (d === p.axis ? k : v)),
                x.shape,
              )
            ]!;
          k -= n;
        }
        throw new Error('unreachable');
      }),
    ];
  },
  matmul: ([a, b]) => {
    const r = a!.shape.length,
      M = a!.shape[r - 2]!,
      K = a!.shape[r - 1]!,
      N = b!.shape[r - 1]!;
    const batch = numel(a!.shape.slice(0, r - 2));
    const out = new Float64Array(batch * M * N);
    for (let z = 0; z < batch; z++) {
      for (let m = 0; m < M; m++) {
        for (let n = 0; n < N; n++) {
          let acc = 0;
          for (let k = 0; k < K; k++) acc += a!.data[z * M * K + m * K + k]! * b!.data[z * K * N + k * N + n]!;
          out[z * M * N + m * N + n] = acc;
        }
      }
    }
    return [{ shape: [...a!.shape.slice(0, r - 1), N], dtype: 'f32', data: out }];
  },
  gather: ([x, idx], p, eqn) => {
    const bd = p.batchDims,
      outShape = eqn.outputs[0]!.shape,
      nIdx = idx!.shape.length - bd;
    return [
      gen(outShape, x!.dtype, (o) => {
        const batch = o.slice(0, bd),
          irest = o.slice(bd, bd + nIdx),
          rest = o.slice(bd + nIdx);
        const j = idx!.data[ravel([...batch, ...irest], idx!.shape)]!;
        if (!(j >= 0 && j < x!.shape[bd]!)) throw new IRError(`gather: index ${j} out of range [0, ${x!.shape[bd]})`);
        return x!.data[ravel([...batch, j, ...rest], x!.shape)]!;
      }),
    ];
  },
  scatter_add: ([idx, upd], p) => {
    const bd = p.batchDims,
      nIdx = idx!.shape.length - bd;
    const out = new Float64Array(numel(p.shape));
    for (let i = 0; i < upd!.data.length; i++) {
      const u = unravel(i, upd!.shape);
      const batch = u.slice(0, bd),
        irest = u.slice(bd, bd + nIdx),
        rest = u.slice(bd + nIdx);
      const j = idx!.data[ravel([...batch, ...irest], idx!.shape)]!;
      if (!(j >= 0 && j < p.shape[bd]!)) throw new IRError(`scatter_add: index ${j} out of range [0, ${p.shape[bd]})`);
      out[ravel([...batch, j, ...rest], p.shape)]! += upd!.data[i]!;
    }
    return [{ shape: [...p.shape], dtype: 'f32', data: out }];
  },
  argsort: ([x]) => {
    const n = x!.shape[x!.shape.length - 1]!,
      rows = x!.data.length / Math.max(n, 1);
    const out = new Float64Array(x!.data.length);
    for (let r = 0; r < rows; r++) {
      const order = Array.from({ length: n }, (_, i) => i);
      order.sort((i, j) => x!.data[r * n + i]! - x!.data[r * n + j]! || i - j); // stable
      order.forEach((v, i) => {
        out[r * n + i] = v;
      });
    }
    return [{ shape: x!.shape, dtype: 'i32', data: out }];
  },
  attention: (ins, p) => [attentionRef(ins, p.scale)],
  attention_lse: (ins, p) => [attentionLseRef(ins, p.scale)],
  attention_dq: (ins, p) => [attentionDqRef(ins, p.scale)],
  attention_dkv: (ins, p) => [attentionDkvRef(ins, p.scale)],
};

export function evalEqn(eqn: Eqn, ins: Tensor[]): Tensor[] {
  const rule = EVAL_RULES[eqn.prim] as EvalRule<Prim>;
  return rule(ins, eqn.params, eqn);
}

/** Run a graph on named inputs; returns named outputs. */
export function interpret(g: Graph, inputs: Record<string, Tensor>): Record<string, Tensor> {
  const env = new Map<number, Tensor>();
  for (const gi of g.inputs) {
    const t = inputs[gi.name];
    if (!t) throw new IRError(`missing input '${gi.name}'`);
    if (t.data.length !== numel(gi.v.shape)) throw new IRError(`input '${gi.name}' must have shape ${shapeStr(gi.v.shape)}, got ${shapeStr(t.shape)}`);
    env.set(gi.v.id, { shape: gi.v.shape, dtype: gi.v.dtype, data: t.data });
  }
  for (const e of g.eqns) {
    const ins = e.inputs.map((v) => {
      const t = env.get(v.id);
      if (!t) throw new IRError(`${e.prim}: value %${v.id} used before definition`);
      return t;
    });
    const outs = evalEqn(e, ins);
    e.outputs.forEach((v, i) => env.set(v.id, outs[i]!));
  }
  const result: Record<string, Tensor> = {};
  for (const o of g.outputs) result[o.name] = env.get(o.v.id)!;
  return result;
}
