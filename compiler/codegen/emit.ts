// Expression emitter: the WGSL for "value v at index idx", recursing through inline
// equations. Views become index arithmetic; realized values become buffer loads;
// kernel-provided locals (matmul accumulators, row reductions) stop the recursion.
import type { BinaryPrim, ComparePrim, DType, Eqn, Prim, Shape, Var } from '../ir/types.ts';
import { stridesOf } from '../ir/types.ts';

/** A multi-dimensional index into `shape`, held as per-axis i32 expressions and/or a flat one. */
export interface Idx {
  readonly shape: Shape;
  dims?: string[];
  lin?: string;
}

export interface KernelContext {
  readonly producer: ReadonlyMap<number, Eqn>;
  /** Realized value id -> WGSL storage binding name. */
  readonly buffers: ReadonlyMap<number, string>;
  /** Values this kernel writes: computed here, never loaded from their own buffer. */
  readonly writes: ReadonlySet<number>;
  /** Buffers bound as array<vec4<f32>> (scalar reads index the vec4's component). */
  readonly vec4?: ReadonlySet<number>;
  /** f32 values stored as f16 (train.precision "f16"): converted on every load and store, so
   *  all arithmetic stays f32. */
  readonly half?: ReadonlySet<number>;
}

/** A value as its buffer stores it: bools as u32, half-stored floats as f16. */
export function storeValue(ctx: KernelContext, v: Var, value: string): string {
  if (v.dtype === 'bool') return `select(0u, 1u, ${value})`;
  return ctx.half?.has(v.id) ? `f16(${value})` : value;
}

/** A vec4<f32> value as a vec4 buffer of `v` stores it. */
export function storeVec4(ctx: KernelContext, v: Var, value: string): string {
  return ctx.half?.has(v.id) ? `vec4<f16>(${value})` : value;
}

/** A vec4 loaded from `v`'s vec4 buffer, as vec4<f32>. */
export function loadVec4(ctx: KernelContext, v: Var, load: string): string {
  return ctx.half?.has(v.id) ? `vec4<f32>(${load})` : load;
}

/** The WGSL element type of v's storage binding. */
export function bindingElement(v: Var, vec4: boolean, half: boolean): string {
  if (vec4) return `vec4<${half ? 'f16' : storageType(v.dtype)}>`;
  return half ? 'f16' : storageType(v.dtype);
}

export function wgslType(d: DType): string {
  return d === 'f32' ? 'f32' : d === 'i32' ? 'i32' : d === 'u32' ? 'u32' : 'bool';
}
/** Storage element type (bool lives in u32). */
export function storageType(d: DType): string {
  return d === 'bool' ? 'u32' : wgslType(d);
}

export function literal(value: number, d: DType): string {
  switch (d) {
    case 'f32': {
      // Non-finite values cannot be WGSL constants; build them from a runtime bit pattern.
      if (Number.isNaN(value)) return 'bitcast<f32>(nonfinite_bits[0])';
      const f = Math.fround(value);
      if (f === Infinity) return 'bitcast<f32>(nonfinite_bits[1])';
      if (f === -Infinity) return 'bitcast<f32>(nonfinite_bits[2])';
      let s = String(f);
      if (!/[.e]/.test(s)) s += '.0';
      return f < 0 ? `(${s}f)` : `${s}f`;
    }
    case 'i32':
      return value === -2147483648 ? '(-2147483647i - 1i)' : value < 0 ? `(${value}i)` : `${value}i`;
    case 'u32':
      return `${value >>> 0}u`;
    case 'bool':
      return value ? 'true' : 'false';
  }
}

function castExpr(x: string, from: DType, to: DType): string {
  if (from === to) return x;
  if (to === 'bool') return `(${x} != ${literal(0, from)})`;
  if (from === 'bool') return `select(${literal(0, to)}, ${literal(1, to)}, ${x})`;
  return `${wgslType(to)}(${x})`;
}

/** WGSL helpers a kernel's preamble includes when its expressions use them. */
export type Helper = 'erf' | 'erf4' | 'rng';

export const NONFINITE_WGSL = 'var<private> nonfinite_bits: array<u32, 3> = array<u32, 3>(0x7fc00000u, 0x7f800000u, 0xff800000u);';

/** erf with |error| < 1.5e-7 (Abramowitz & Stegun 7.1.26), enough for f32. */
export const ERF_WGSL = `
fn erf_f32(x: f32) -> f32 {
  let a = abs(x);
  let t = 1.0f / (1.0f + 0.3275911f * a);
  let y = 1.0f - (((((1.061405429f * t - 1.453152027f) * t) + 1.421413741f) * t - 0.284496736f) * t + 0.254829592f) * t * exp(-a * a);
  return select(-y, y, x >= 0.0f);
}
`;

/** One straight-line block of WGSL statements with memoised subexpressions. */
export class Scope {
  readonly lines: string[] = [];
  private readonly memo = new Map<string, string>();
  /** Values that are plain WGSL names here (stop recursion): var id -> name or name-by-index. */
  readonly locals = new Map<number, string | ((idx: Idx) => string)>();
  /** Helpers used anywhere in this kernel (shared by every scope of it): the preamble is derived from it. */
  readonly helpers: Set<Helper>;

  constructor(
    readonly ctx: KernelContext,
    private readonly counter: { n: number; helpers?: Set<Helper> },
  ) {
    this.helpers = counter.helpers ??= new Set();
  }

  child(): Scope {
    const s = new Scope(this.ctx, this.counter);
    for (const [k, v] of this.locals) s.locals.set(k, v);
    return s;
  }

  fresh(prefix = 't'): string {
    return `${prefix}${this.counter.n++}`;
  }

  let(expr: string, prefix = 't'): string {
    if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(expr) || /^\(?-?[0-9.e+-]+[iuf]?\)?$/.test(expr)) return expr;
    const name = this.fresh(prefix);
    this.lines.push(`let ${name} = ${expr};`);
    return name;
  }

  lin(idx: Idx): string {
    if (idx.lin === undefined) {
      const st = stridesOf(idx.shape);
      const par = (d: string): string => (/^[A-Za-z0-9_]+$/.test(d) ? d : `(${d})`);
      const terms = idx.dims!.map((d, i) => (idx.shape[i] === 1 ? '' : st[i] === 1 ? par(d) : `${par(d)} * ${st[i]}`)).filter((t) => t);
      idx.lin = this.let(terms.length ? terms.join(' + ') : '0', 'l');
    }
    return idx.lin;
  }

  dims(idx: Idx): string[] {
    if (idx.dims === undefined) {
      const st = stridesOf(idx.shape);
      const lin = /^[A-Za-z_][A-Za-z0-9_]*$/.test(idx.lin!) ? idx.lin! : `(${idx.lin})`;
      idx.dims = idx.shape.map((n, i) => {
        if (n === 1) return '0';
        const q = st[i] === 1 ? lin : `(${lin} / ${st[i]})`;
        return this.let(i === 0 ? q : `${q} % ${n}`, 'd');
      });
    }
    return idx.dims;
  }

  /** WGSL expression for the value of v at idx. */
  value(v: Var, idx: Idx): string {
    const local = this.locals.get(v.id);
    if (local !== undefined) return typeof local === 'string' ? local : local(idx);
    const key = `${v.id}@${idx.dims ? idx.dims.join(',') : `#${idx.lin}`}`;
    const hit = this.memo.get(key);
    if (hit) return hit;
    const out = this.let(this.compute(v, idx));
    this.memo.set(key, out);
    return out;
  }

  private compute(v: Var, idx: Idx): string {
    const buf = this.ctx.writes.has(v.id) ? undefined : this.ctx.buffers.get(v.id);
    if (buf !== undefined) {
      const l = this.lin(idx);
      const load = this.ctx.vec4?.has(v.id) ? `${buf}[${l} / 4][${l} % 4]` : `${buf}[${l}]`;
      if (this.ctx.half?.has(v.id)) return `f32(${load})`;
      return v.dtype === 'bool' ? `(${load} != 0u)` : load;
    }
    const e = this.ctx.producer.get(v.id);
    if (!e) throw new Error(`codegen: %${v.id} is neither a buffer nor computed`);
    const rule = EMIT_RULES[e.prim] as EmitRule<Prim> | 'kernel';
    if (rule === 'kernel') throw new Error(`codegen: ${e.prim} (%${v.id}) must be realized or provided by its kernel`);
    return rule(this, e, v, idx);
  }
}

/** WGSL for one element of an equation's output at `idx`, from its inputs' values. */
type EmitRule<P extends Prim> = (s: Scope, e: Eqn<P>, v: Var, idx: Idx) => string;

const unary =
  (f: (a: string) => string): EmitRule<Prim> =>
  (s, e, _v, idx) =>
    f(s.value(e.inputs[0]!, idx));
const binary =
  (f: (a: string, b: string) => string): EmitRule<Prim> =>
  (s, e, _v, idx) =>
    f(s.value(e.inputs[0]!, idx), s.value(e.inputs[1]!, idx));
/** WGSL of the two-operand prims: the same text for scalars and for vec4s (codegen/vectorize.ts). */
export const BINARY_WGSL: { [P in BinaryPrim | ComparePrim]: (a: string, b: string) => string } = {
  add: (a, b) => `(${a} + ${b})`,
  sub: (a, b) => `(${a} - ${b})`,
  mul: (a, b) => `(${a} * ${b})`,
  div: (a, b) => `(${a} / ${b})`,
  max: (a, b) => `max(${a}, ${b})`,
  min: (a, b) => `min(${a}, ${b})`,
  pow: (a, b) => `pow(${a}, ${b})`,
  lt: (a, b) => `(${a} < ${b})`,
  le: (a, b) => `(${a} <= ${b})`,
  eq: (a, b) => `(${a} == ${b})`,
};

/** A rule per two-operand prim, each made by `make` from the prim's WGSL. */
export function binaryRules<R>(make: (f: (a: string, b: string) => string) => R): { [P in BinaryPrim | ComparePrim]: R } {
  const out = {} as { [P in BinaryPrim | ComparePrim]: R };
  for (const p of Object.keys(BINARY_WGSL) as (BinaryPrim | ComparePrim)[]) out[p] = make(BINARY_WGSL[p]);
  return out;
}

/** An input read at the output's own index (elementwise and identity prims). */
const same = (s: Scope, e: Eqn, k: number, idx: Idx): string => s.value(e.inputs[k]!, idx);

/**
 * Codegen for every primitive: an inline expression rule, or 'kernel' for the ones a kernel
 * template computes (matmul, reductions, argsort, scatter-add). Typed over Prim, so a new
 * primitive does not compile until it has an entry here.
 */
const EMIT_RULES: { [P in Prim]: EmitRule<P> | 'kernel' } = {
  neg: unary((a) => `(-${a})`),
  exp: unary((a) => `exp(${a})`),
  log: unary((a) => `log(${a})`),
  sqrt: unary((a) => `sqrt(${a})`),
  rsqrt: unary((a) => `inverseSqrt(${a})`),
  // Some drivers evaluate tanh via exp and overflow to NaN for large |x|; tanh(±15) is ±1 in f32.
  tanh: unary((a) => `tanh(clamp(${a}, -15.0f, 15.0f))`),
  sin: unary((a) => `sin(${a})`),
  cos: unary((a) => `cos(${a})`),
  abs: unary((a) => `abs(${a})`),
  recip: unary((a) => `(1.0f / ${a})`),
  erf: (s, e, v, idx) => {
    s.helpers.add('erf');
    return unary((a) => `erf_f32(${a})`)(s, e, v, idx);
  },
  ...binaryRules(binary),
  select: (s, e, _v, idx) => `select(${same(s, e, 2, idx)}, ${same(s, e, 1, idx)}, ${same(s, e, 0, idx)})`,
  cast: (s, e, v, idx) => castExpr(same(s, e, 0, idx), e.inputs[0]!.dtype, v.dtype),
  stop_gradient: (s, e, _v, idx) => same(s, e, 0, idx),
  constant: (_s, e, v) => literal(e.params.value, v.dtype),
  iota: (s, e, v, idx) => castExpr(s.dims(idx)[e.params.axis]!, 'i32', v.dtype),
  random_uniform: (s, e, _v, idx) => {
    s.helpers.add('rng');
    const key = s.value(e.inputs[0]!, { shape: [], lin: '0', dims: [] });
    return `random_uniform(${key}, ${literal(e.params.seed, 'u32')}, u32(${s.lin(idx)}))`;
  },
  reshape: (s, e, _v, idx) => s.value(e.inputs[0]!, { shape: e.inputs[0]!.shape, lin: s.lin(idx) }),
  transpose: (s, e, _v, idx) => {
    const x = e.inputs[0]!,
      od = s.dims(idx);
    const dims = new Array<string>(e.params.perm.length);
    e.params.perm.forEach((a, d) => {
      dims[a] = od[d]!;
    });
    return s.value(x, { shape: x.shape, dims });
  },
  broadcast: (s, e, _v, idx) => {
    const x = e.inputs[0]!,
      od = s.dims(idx);
    return s.value(x, { shape: x.shape, dims: e.params.dims.map((o, i) => (x.shape[i] === 1 ? '0' : od[o]!)) });
  },
  slice: (s, e, _v, idx) => {
    const x = e.inputs[0]!,
      st = e.params.start;
    return s.value(x, { shape: x.shape, dims: s.dims(idx).map((d, i) => (st[i] ? s.let(`${d} + ${st[i]}`, 'd') : d)) });
  },
  pad: (s, e, v, idx) => {
    const x = e.inputs[0]!,
      lo = e.params.lo,
      od = s.dims(idx);
    const conds: string[] = [];
    const dims = od.map((d, i) => {
      if (!lo[i] && x.shape[i] === v.shape[i]) return d;
      const raw = lo[i] ? s.let(`${d} - ${lo[i]}`, 'd') : d;
      conds.push(`${raw} >= 0 && ${raw} < ${x.shape[i]}`);
      return s.let(`clamp(${raw}, 0, ${Math.max(x.shape[i]! - 1, 0)})`, 'd');
    });
    const inner = s.value(x, { shape: x.shape, dims });
    return conds.length ? `select(${literal(0, v.dtype)}, ${inner}, ${conds.join(' && ')})` : inner;
  },
  concat: (s, e, _v, idx) => {
    const axis = e.params.axis,
      od = s.dims(idx);
    let off = 0;
    const parts = e.inputs.map((u) => {
      const n = u.shape[axis]!;
      const k = s.let(`clamp(${od[axis]} - ${off}, 0, ${Math.max(n - 1, 0)})`, 'd');
      const val = s.value(u, { shape: u.shape, dims: od.map((d, i) => (i === axis ? k : d)) });
      const r = { val, end: off + n };
      off += n;
      return r;
    });
    let expr = parts[parts.length - 1]!.val;
    for (let i = parts.length - 2; i >= 0; i--) expr = `select(${expr}, ${parts[i]!.val}, ${od[axis]} < ${parts[i]!.end})`;
    return expr;
  },
  gather: (s, e, _v, idx) => {
    const x = e.inputs[0]!,
      bd = e.params.batchDims,
      idxVar = e.inputs[1]!,
      od = s.dims(idx);
    const nI = idxVar.shape.length - bd;
    const j = s.value(idxVar, { shape: idxVar.shape, dims: od.slice(0, bd + nI) });
    const jc = s.let(`clamp(${j}, 0i, ${Math.max(x.shape[bd]! - 1, 0)}i)`, 'd');
    return s.value(x, { shape: x.shape, dims: [...od.slice(0, bd), jc, ...od.slice(bd + nI)] });
  },
  reduce_sum: 'kernel',
  reduce_max: 'kernel',
  matmul: 'kernel',
  scatter_add: 'kernel',
  argsort: 'kernel',
  attention: 'kernel',
  attention_lse: 'kernel',
  attention_dq: 'kernel',
  attention_dkv: 'kernel',
};
