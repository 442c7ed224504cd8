// Shape and dtype inference: one rule per primitive. A rule validates its inputs and
// throws a plain message; the builder and verifier prefix it with the equation it belongs to.
import { type DType, type Prim, type PrimParams, type Shape, type Var, DTYPES, numel, sameShape, shapeStr } from './types.ts';

export interface OutType {
  shape: Shape;
  dtype: DType;
}
type ShapeRule<P extends Prim> = (inputs: readonly Var[], params: PrimParams[P]) => OutType[];
type PlainRule = (inputs: readonly Var[], params: object) => OutType[];

function fail(msg: string): never {
  throw new Error(msg);
}

function arity(inputs: readonly Var[], n: number): void {
  if (inputs.length !== n) fail(`expects ${n} input${n === 1 ? '' : 's'}, got ${inputs.length}`);
}

function checkDims(shape: Shape, what: string): void {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) fail(`${what} ${shapeStr(shape)} has a dimension that is not a non-negative integer`);
  }
}

function checkDtype(d: DType): void {
  if (!DTYPES.includes(d)) fail(`unknown dtype '${String(d)}' (expected one of ${DTYPES.join(', ')})`);
}

function checkAxes(axes: readonly number[], rank: number): void {
  const seen = new Set<number>();
  for (const a of axes) {
    if (!Number.isInteger(a) || a < 0 || a >= rank) fail(`axis ${a} out of range for rank ${rank}`);
    if (seen.has(a)) fail(`axis ${a} repeated`);
    seen.add(a);
  }
}

const unary: PlainRule = (ins) => {
  arity(ins, 1);
  if (ins[0]!.dtype !== 'f32') fail(`needs f32, got ${ins[0]!.dtype}`);
  return [{ shape: ins[0]!.shape, dtype: 'f32' }];
};

function sameShapes(ins: readonly Var[]): void {
  for (const v of ins.slice(1)) {
    if (!sameShape(v.shape, ins[0]!.shape)) {
      fail(`shape mismatch: ${ins.map((x) => shapeStr(x.shape)).join(' vs ')} (broadcast explicitly)`);
    }
  }
}

const binary =
  (numericOnly: boolean): PlainRule =>
  (ins) => {
    arity(ins, 2);
    sameShapes(ins);
    if (ins[0]!.dtype !== ins[1]!.dtype) fail(`dtype mismatch: ${ins[0]!.dtype} vs ${ins[1]!.dtype}`);
    if (numericOnly && ins[0]!.dtype === 'bool') fail('needs a numeric dtype, got bool');
    return [{ shape: ins[0]!.shape, dtype: ins[0]!.dtype }];
  };

const floatBinary: PlainRule = (ins) => {
  const out = binary(true)(ins, {});
  if (ins[0]!.dtype !== 'f32') fail(`needs f32, got ${ins[0]!.dtype}`);
  return out;
};

const compare: PlainRule = (ins) => {
  binary(false)(ins, {});
  return [{ shape: ins[0]!.shape, dtype: 'bool' }];
};

const reduce = (ins: readonly Var[], p: { axes: readonly number[] }): OutType[] => {
  arity(ins, 1);
  const x = ins[0]!;
  checkAxes(p.axes, x.shape.length);
  if (x.dtype === 'bool') fail('cannot reduce bool');
  return [{ shape: x.shape.filter((_, i) => !p.axes.includes(i)), dtype: x.dtype }];
};

export const SHAPE_RULES: { [P in Prim]: ShapeRule<P> } = {
  neg: (ins) => {
    arity(ins, 1);
    if (ins[0]!.dtype === 'bool' || ins[0]!.dtype === 'u32') fail(`cannot negate ${ins[0]!.dtype}`);
    return [{ shape: ins[0]!.shape, dtype: ins[0]!.dtype }];
  },
  abs: (ins) => {
    arity(ins, 1);
    if (ins[0]!.dtype === 'bool') fail('cannot take abs of bool');
    return [{ shape: ins[0]!.shape, dtype: ins[0]!.dtype }];
  },
  exp: unary,
  log: unary,
  sqrt: unary,
  rsqrt: unary,
  tanh: unary,
  sin: unary,
  cos: unary,
  recip: unary,
  erf: unary,
  add: binary(true),
  sub: binary(true),
  mul: binary(true),
  div: binary(true),
  max: binary(true),
  min: binary(true),
  pow: floatBinary,
  lt: compare,
  le: compare,
  eq: compare,
  select: (ins) => {
    arity(ins, 3);
    sameShapes(ins);
    if (ins[0]!.dtype !== 'bool') fail(`condition must be bool, got ${ins[0]!.dtype}`);
    if (ins[1]!.dtype !== ins[2]!.dtype) fail(`branch dtypes differ: ${ins[1]!.dtype} vs ${ins[2]!.dtype}`);
    return [{ shape: ins[1]!.shape, dtype: ins[1]!.dtype }];
  },
  cast: (ins, p) => {
    arity(ins, 1);
    checkDtype(p.dtype);
    return [{ shape: ins[0]!.shape, dtype: p.dtype }];
  },
  stop_gradient: (ins) => {
    arity(ins, 1);
    return [{ shape: ins[0]!.shape, dtype: ins[0]!.dtype }];
  },
  constant: (ins, p) => {
    arity(ins, 0);
    checkDims(p.shape, 'shape');
    checkDtype(p.dtype);
    if (!Number.isFinite(p.value) && p.dtype !== 'f32') fail(`non-finite constant for ${p.dtype}`);
    return [{ shape: p.shape, dtype: p.dtype }];
  },
  iota: (ins, p) => {
    arity(ins, 0);
    checkDims(p.shape, 'shape');
    checkDtype(p.dtype);
    checkAxes([p.axis], p.shape.length);
    return [{ shape: p.shape, dtype: p.dtype }];
  },
  random_uniform: (ins, p) => {
    arity(ins, 1);
    if (ins[0]!.dtype !== 'u32' || ins[0]!.shape.length !== 0) fail(`key must be a u32 scalar, got ${ins[0]!.dtype}${shapeStr(ins[0]!.shape)}`);
    checkDims(p.shape, 'shape');
    if (!Number.isInteger(p.seed) || p.seed < 0 || p.seed > 0xffffffff) fail(`seed must be a u32, got ${p.seed}`);
    return [{ shape: p.shape, dtype: 'f32' }];
  },
  reduce_sum: reduce,
  reduce_max: reduce,
  reshape: (ins, p) => {
    arity(ins, 1);
    checkDims(p.shape, 'target shape');
    if (numel(p.shape) !== numel(ins[0]!.shape)) fail(`cannot reshape ${shapeStr(ins[0]!.shape)} to ${shapeStr(p.shape)}: sizes differ`);
    return [{ shape: p.shape, dtype: ins[0]!.dtype }];
  },
  transpose: (ins, p) => {
    arity(ins, 1);
    const r = ins[0]!.shape.length;
    if (p.perm.length !== r) fail(`perm [${p.perm.join(',')}] has length ${p.perm.length}, input rank is ${r}`);
    checkAxes(p.perm, r);
    return [{ shape: p.perm.map((a) => ins[0]!.shape[a]!), dtype: ins[0]!.dtype }];
  },
  broadcast: (ins, p) => {
    arity(ins, 1);
    checkDims(p.shape, 'target shape');
    const x = ins[0]!;
    if (p.dims.length !== x.shape.length) fail(`dims [${p.dims.join(',')}] must have one entry per input axis (${x.shape.length})`);
    checkAxes(p.dims, p.shape.length);
    for (let i = 0; i < p.dims.length; i++) {
      if (i > 0 && p.dims[i]! <= p.dims[i - 1]!) fail('dims must be increasing');
      const d = x.shape[i]!,
        t = p.shape[p.dims[i]!]!;
      if (d !== t && d !== 1) fail(`cannot broadcast ${shapeStr(x.shape)} to ${shapeStr(p.shape)}: axis ${i} is ${d}, target ${t}`);
    }
    return [{ shape: p.shape, dtype: x.dtype }];
  },
  slice: (ins, p) => {
    arity(ins, 1);
    const s = ins[0]!.shape;
    if (p.start.length !== s.length || p.end.length !== s.length) fail(`start/end must have rank ${s.length}`);
    const out = s.map((d, i) => {
      const a = p.start[i]!,
        b = p.end[i]!;
      if (!Number.isInteger(a) || !Number.isInteger(b) || a < 0 || b > d || a > b) fail(`bad slice [${a}:${b}] on axis ${i} of size ${d}`);
      return b - a;
    });
    return [{ shape: out, dtype: ins[0]!.dtype }];
  },
  pad: (ins, p) => {
    arity(ins, 1);
    const s = ins[0]!.shape;
    if (p.lo.length !== s.length || p.hi.length !== s.length) fail(`lo/hi must have rank ${s.length}`);
    for (const v of [...p.lo, ...p.hi]) if (!Number.isInteger(v) || v < 0) fail('padding must be non-negative integers');
    return [{ shape: s.map((d, i) => d + p.lo[i]! + p.hi[i]!), dtype: ins[0]!.dtype }];
  },
  concat: (ins, p) => {
    if (ins.length < 1) fail('expects at least one input');
    const s0 = ins[0]!.shape;
    checkAxes([p.axis], s0.length);
    let total = 0;
    for (const v of ins) {
      if (v.dtype !== ins[0]!.dtype) fail(`dtype mismatch: ${v.dtype} vs ${ins[0]!.dtype}`);
      if (v.shape.length !== s0.length || v.shape.some((d, i) => i !== p.axis && d !== s0[i])) {
        fail(`shapes ${ins.map((x) => shapeStr(x.shape)).join(', ')} differ outside axis ${p.axis}`);
      }
      total += v.shape[p.axis]!;
    }
    return [{ shape: s0.map((d, i) => (i === p.axis ? total : d)), dtype: ins[0]!.dtype }];
  },
  matmul: (ins) => {
    arity(ins, 2);
    const [a, b] = [ins[0]!, ins[1]!];
    if (a.dtype !== 'f32' || b.dtype !== 'f32') fail(`needs f32 operands, got ${a.dtype} and ${b.dtype}`);
    if (a.shape.length < 2 || a.shape.length !== b.shape.length) fail(`operands must have equal rank >= 2, got ${shapeStr(a.shape)} and ${shapeStr(b.shape)}`);
    const r = a.shape.length;
    for (let i = 0; i < r - 2; i++) if (a.shape[i] !== b.shape[i]) fail(`batch dims differ: ${shapeStr(a.shape)} vs ${shapeStr(b.shape)}`);
    if (a.shape[r - 1] !== b.shape[r - 2]) fail(`inner dims differ: ${shapeStr(a.shape)} @ ${shapeStr(b.shape)} (${a.shape[r - 1]} vs ${b.shape[r - 2]})`);
    return [{ shape: [...a.shape.slice(0, r - 1), b.shape[r - 1]!], dtype: 'f32' }];
  },
  gather: (ins, p) => {
    arity(ins, 2);
    const [x, idx] = [ins[0]!, ins[1]!];
    const bd = p.batchDims;
    if (idx.dtype !== 'i32') fail(`indices must be i32, got ${idx.dtype}`);
    if (!Number.isInteger(bd) || bd < 0 || bd >= x.shape.length || bd > idx.shape.length) fail(`batchDims ${bd} out of range`);
    for (let i = 0; i < bd; i++) if (x.shape[i] !== idx.shape[i]) fail(`batch dims differ: ${shapeStr(x.shape)} vs indices ${shapeStr(idx.shape)}`);
    return [{ shape: [...x.shape.slice(0, bd), ...idx.shape.slice(bd), ...x.shape.slice(bd + 1)], dtype: x.dtype }];
  },
  scatter_add: (ins, p) => {
    // A third input, the indices' stable argsort, selects the sorted kernel (simplify.ts
    // sortScatters); it takes flat indices into the first axis.
    if (ins.length !== 2 && ins.length !== 3) fail(`expects 2 or 3 inputs, got ${ins.length}`);
    const [idx, upd, perm] = [ins[0]!, ins[1]!, ins[2]];
    if (perm && (perm.dtype !== 'i32' || !sameShape(perm.shape, idx.shape) || idx.shape.length !== 1 || p.batchDims !== 0))
      fail(
        `a sort order needs flat indices, batchDims 0 and an i32 order of their shape; got ${shapeStr(perm.shape)} ${perm.dtype} for indices ${shapeStr(idx.shape)}`,
      );
    if (idx.dtype !== 'i32') fail(`indices must be i32, got ${idx.dtype}`);
    checkDims(p.shape, 'shape');
    const bd = p.batchDims;
    if (!Number.isInteger(bd) || bd < 0 || bd >= p.shape.length || bd > idx.shape.length) fail(`batchDims ${bd} out of range`);
    const want = [...p.shape.slice(0, bd), ...idx.shape.slice(bd), ...p.shape.slice(bd + 1)];
    if (!sameShape(want, upd.shape)) fail(`updates ${shapeStr(upd.shape)} must have shape ${shapeStr(want)}`);
    if (upd.dtype !== 'f32') fail(`updates must be f32, got ${upd.dtype}`);
    return [{ shape: p.shape, dtype: 'f32' }];
  },
  argsort: (ins) => {
    arity(ins, 1);
    if (ins[0]!.shape.length < 1) fail('needs rank >= 1');
    if (ins[0]!.dtype === 'bool') fail('cannot sort bool');
    return [{ shape: ins[0]!.shape, dtype: 'i32' }];
  },
  attention: (ins, p) => {
    const { q } = attentionOperands(ins, ['q', 'k', 'v'], p.scale);
    return [{ shape: q.shape, dtype: 'f32' }];
  },
  attention_lse: (ins, p) => {
    const { q } = attentionOperands(ins, ['q', 'k'], p.scale);
    return [{ shape: q.shape.slice(0, 3), dtype: 'f32' }];
  },
  attention_dq: (ins, p) => {
    const { q } = attentionOperands(ins, GRAD_OPERANDS, p.scale);
    return [{ shape: q.shape, dtype: 'f32' }];
  },
  attention_dkv: (ins, p) => {
    const { q, k } = attentionOperands(ins, GRAD_OPERANDS, p.scale);
    return [{ shape: [...k.shape.slice(0, 3), 2, q.shape[3]!], dtype: 'f32' }];
  },
};

const GRAD_OPERANDS = ['q', 'k', 'v', 'lse', 'delta', 'dO'] as const;

/**
 * The fused-attention operands: q [B,H,N,D], k and v [B,H,M,D], lse and delta [B,H,N], dO like q,
 * in the order named, then an optional key mask [B,M]; all f32.
 */
function attentionOperands(ins: readonly Var[], names: readonly string[], scale: number): { q: Var; k: Var } {
  if (ins.length !== names.length && ins.length !== names.length + 1) fail(`expects ${names.join(', ')} and an optional key mask, got ${ins.length} inputs`);
  if (!Number.isFinite(scale)) fail(`scale must be finite, got ${scale}`);
  const q = ins[0]!,
    k = ins[1]!;
  if (q.shape.length !== 4) fail(`q must be [B, H, N, D], got ${shapeStr(q.shape)}`);
  const [B, H, N, D] = q.shape as [number, number, number, number];
  const M = k.shape[2] ?? -1;
  const want: Record<string, Shape> = { q: q.shape, k: [B, H, M, D], v: [B, H, M, D], lse: [B, H, N], delta: [B, H, N], dO: q.shape, mask: [B, M] };
  [...names, 'mask'].forEach((name, i) => {
    const v = ins[i];
    if (!v) return;
    if (v.dtype !== 'f32') fail(`${name} must be f32, got ${v.dtype}`);
    if (!sameShape(v.shape, want[name]!)) fail(`${name} must be ${shapeStr(want[name]!)}, got ${shapeStr(v.shape)}`);
  });
  return { q, k };
}

export function inferTypes<P extends Prim>(prim: P, inputs: readonly Var[], params: PrimParams[P]): OutType[] {
  const rule = SHAPE_RULES[prim] as ShapeRule<P> | undefined;
  if (!rule) fail(`unknown primitive '${String(prim)}'`);
  return rule(inputs, params);
}
