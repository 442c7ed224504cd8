// Graph IR: an ordered list of SSA equations over statically shaped, typed values.
// Every primitive's parameters are typed here; every rule table elsewhere is keyed by Prim,
// so adding a primitive without its rules is a compile error.

export type DType = 'f32' | 'i32' | 'u32' | 'bool';
export const DTYPES: readonly DType[] = ['f32', 'i32', 'u32', 'bool'];
export type Shape = readonly number[];

/** An SSA value. `id` is unique within its graph. */
export interface Var {
  readonly id: number;
  readonly shape: Shape;
  readonly dtype: DType;
}

export type UnaryPrim = 'neg' | 'exp' | 'log' | 'sqrt' | 'rsqrt' | 'tanh' | 'sin' | 'cos' | 'abs' | 'recip' | 'erf';
export type BinaryPrim = 'add' | 'sub' | 'mul' | 'div' | 'max' | 'min' | 'pow';
export type ComparePrim = 'lt' | 'le' | 'eq';
export type ReducePrim = 'reduce_sum' | 'reduce_max';
export type ViewPrim = 'reshape' | 'transpose' | 'broadcast' | 'slice' | 'pad' | 'concat';

export const UNARY_PRIMS: readonly UnaryPrim[] = ['neg', 'exp', 'log', 'sqrt', 'rsqrt', 'tanh', 'sin', 'cos', 'abs', 'recip', 'erf'];
export const BINARY_PRIMS: readonly BinaryPrim[] = ['add', 'sub', 'mul', 'div', 'max', 'min', 'pow'];
export const COMPARE_PRIMS: readonly ComparePrim[] = ['lt', 'le', 'eq'];

/** No parameters. */
export type NoParams = Record<string, never>;

/** Parameters of each primitive. */
export interface PrimParams {
  // elementwise
  neg: NoParams;
  exp: NoParams;
  log: NoParams;
  sqrt: NoParams;
  rsqrt: NoParams;
  tanh: NoParams;
  sin: NoParams;
  cos: NoParams;
  abs: NoParams;
  recip: NoParams;
  erf: NoParams;
  add: NoParams;
  sub: NoParams;
  mul: NoParams;
  div: NoParams;
  max: NoParams;
  min: NoParams;
  pow: NoParams;
  lt: NoParams;
  le: NoParams;
  eq: NoParams;
  select: NoParams; // select(cond, onTrue, onFalse)
  cast: { dtype: DType };
  stop_gradient: NoParams; // identity forward, zero cotangent
  // sources
  constant: { value: number; shape: Shape; dtype: DType };
  iota: { shape: Shape; axis: number; dtype: DType };
  /** Counter-based uniform [0,1) numbers: a pure function of (key, seed, flat index). */
  random_uniform: { shape: Shape; seed: number };
  // reductions (reduced axes removed from the shape)
  reduce_sum: { axes: readonly number[] };
  reduce_max: { axes: readonly number[] };
  // views: index maps, free until a kernel boundary needs contiguity
  reshape: { shape: Shape };
  transpose: { perm: readonly number[] };
  /** Broadcast to `shape`: `dims[i]` is the output axis that input axis i maps to; other axes are new. */
  broadcast: { shape: Shape; dims: readonly number[] };
  slice: { start: readonly number[]; end: readonly number[] };
  pad: { lo: readonly number[]; hi: readonly number[] }; // pads with zeros
  concat: { axis: number };
  // contraction: [...batch, M, K] x [...batch, K, N] -> [...batch, M, N]
  matmul: NoParams;
  /** x: [batch..., N, rest...], idx: [batch..., I...] -> [batch..., I..., rest...] */
  gather: { batchDims: number };
  /** The transpose of gather: sums updates into a zero tensor of `shape` at idx. */
  scatter_add: { batchDims: number; shape: Shape };
  /** Stable ascending argsort along the last axis; i32 result. */
  argsort: NoParams;
  // fused attention (FlashAttention-style; ir/nn.ts attention() decides when to use it)
  /**
   * softmax(q·kᵀ·scale + (mask - 1)·1e9) · v without the scores: q [B,H,N,D], k and v [B,H,M,D],
   * optional mask [B,M] (1 = real key, 0 = padding) -> [B,H,N,D].
   */
  attention: AttentionParams;
  /** The attention rows' log-sum-exp (q, k, mask?) -> [B,H,N], for the backward pass. */
  attention_lse: AttentionParams;
  /** dq from (q, k, v, lse, delta = rowsum(dO·o), dO, mask?) -> [B,H,N,D], recomputing the scores. */
  attention_dq: AttentionParams;
  /** dk and dv from the same inputs -> [B,H,M,2,D] (index 0 of axis 3 is dk, 1 is dv). */
  attention_dkv: AttentionParams;
}

/** Score scale of a fused attention (1/sqrt(D) for scaled dot-product attention). */
export interface AttentionParams {
  scale: number;
}

export type AttentionPrim = 'attention' | 'attention_lse' | 'attention_dq' | 'attention_dkv';
export const ATTENTION_PRIMS: readonly AttentionPrim[] = ['attention', 'attention_lse', 'attention_dq', 'attention_dkv'];
/** Additive score bias of a masked key: (mask - 1) * MASK_BIAS, the unfused stdlib's constant. */
export const MASK_BIAS = 1e9;

export type Prim = keyof PrimParams;

export interface Eqn<P extends Prim = Prim> {
  readonly prim: P;
  readonly inputs: readonly Var[];
  readonly params: PrimParams[P];
  readonly outputs: readonly Var[];
  /** Where the equation came from, for error messages and debug output. */
  readonly source?: EqnSource;
}

/** A position in a spec or DSL file (1-based line and column). */
export interface SourcePos {
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

/**
 * Where an equation came from: the spec call that made it (`at`), and whether the backward pass
 * (`gradOf`: the gradient of that primitive) or the optimizer made it from there.
 */
export interface EqnSource {
  readonly at?: SourcePos;
  readonly gradOf?: Prim;
  readonly optimizer?: true /** A builder user's name (e.g. a layer). */;
  readonly label?: string;
}

/** "file:line:col", "grad of mul at file:line:col", "optimizer", or the label. */
export function formatSource(s: EqnSource): string {
  const at = s.at ? `${s.at.file}:${s.at.line}:${s.at.col}` : (s.label ?? '');
  if (s.optimizer) return at ? `optimizer at ${at}` : 'optimizer';
  if (s.gradOf) return `grad of ${s.gradOf}${at ? ` at ${at}` : ''}`;
  return at;
}

/** How a graph input is fed: per-step data, a trained parameter, or resident state. */
export type InputRole = 'data' | 'param' | 'state';

export interface GraphInput {
  readonly name: string;
  readonly v: Var;
  readonly role: InputRole;
}

export interface GraphOutput {
  readonly name: string;
  readonly v: Var;
  /** When set, this output replaces the named input after each run (in-place state update). */
  readonly updates?: string;
}

export interface Graph {
  readonly inputs: readonly GraphInput[];
  readonly eqns: readonly Eqn[];
  readonly outputs: readonly GraphOutput[];
}

export const ALL_PRIMS: readonly Prim[] = [
  ...UNARY_PRIMS,
  ...BINARY_PRIMS,
  ...COMPARE_PRIMS,
  'select',
  'cast',
  'stop_gradient',
  'constant',
  'iota',
  'random_uniform',
  'reduce_sum',
  'reduce_max',
  'reshape',
  'transpose',
  'broadcast',
  'slice',
  'pad',
  'concat',
  'matmul',
  'gather',
  'scatter_add',
  'argsort',
  ...ATTENTION_PRIMS,
];

export function isUnary(p: Prim): p is UnaryPrim {
  return (UNARY_PRIMS as readonly string[]).includes(p);
}
export function isBinary(p: Prim): p is BinaryPrim {
  return (BINARY_PRIMS as readonly string[]).includes(p);
}
export function isCompare(p: Prim): p is ComparePrim {
  return (COMPARE_PRIMS as readonly string[]).includes(p);
}
export function isReduce(p: Prim): p is ReducePrim {
  return p === 'reduce_sum' || p === 'reduce_max';
}

export function numel(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function stridesOf(shape: Shape): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i]!;
  }
  return s;
}

export function shapeStr(shape: Shape): string {
  return `[${shape.join(',')}]`;
}

export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

export class IRError extends Error {
  /** The equation's source, when the error is about one: diagnostics point at `source.at`. */
  constructor(
    message: string,
    readonly source?: EqnSource,
  ) {
    super(message);
    this.name = 'IRError';
  }
}
