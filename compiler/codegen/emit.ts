// Expression emitter: the WGSL for "value v at index idx", recursing through inline
// equations. Views become index arithmetic; realized values become buffer loads;
// kernel-provided locals (matmul accumulators, row reductions) stop the recursion.
import type { DType, Eqn, Shape, Var } from '../ir/types.ts';
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
}

export function wgslType(d: DType): string {
  return d === 'f32' ? 'f32' : d === 'i32' ? 'i32' : d === 'u32' ? 'u32' : 'bool';
}
/** Storage element type (bool lives in u32). */
export function storageType(d: DType): string { return d === 'bool' ? 'u32' : wgslType(d); }

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
    case 'i32': return value === -2147483648 ? '(-2147483647i - 1i)' : value < 0 ? `(${value}i)` : `${value}i`;
    case 'u32': return `${value >>> 0}u`;
    case 'bool': return value ? 'true' : 'false';
  }
}

function castExpr(x: string, from: DType, to: DType): string {
  if (from === to) return x;
  if (to === 'bool') return `(${x} != ${literal(0, from)})`;
  if (from === 'bool') return `select(${literal(0, to)}, ${literal(1, to)}, ${x})`;
  return `${wgslType(to)}(${x})`;
}

const UNARY: Record<string, (a: string) => string> = {
  neg: (a) => `(-${a})`, exp: (a) => `exp(${a})`, log: (a) => `log(${a})`, sqrt: (a) => `sqrt(${a})`,
  rsqrt: (a) => `inverseSqrt(${a})`,
  // Some drivers evaluate tanh via exp and overflow to NaN for large |x|; tanh(±15) is ±1 in f32.
  tanh: (a) => `tanh(clamp(${a}, -15.0f, 15.0f))`,
  sin: (a) => `sin(${a})`, cos: (a) => `cos(${a})`, abs: (a) => `abs(${a})`, recip: (a) => `(1.0f / ${a})`,
  erf: (a) => `erf_f32(${a})`,
};
const BINARY: Record<string, (a: string, b: string) => string> = {
  add: (a, b) => `(${a} + ${b})`, sub: (a, b) => `(${a} - ${b})`, mul: (a, b) => `(${a} * ${b})`,
  div: (a, b) => `(${a} / ${b})`, max: (a, b) => `max(${a}, ${b})`, min: (a, b) => `min(${a}, ${b})`,
  pow: (a, b) => `pow(${a}, ${b})`, lt: (a, b) => `(${a} < ${b})`, le: (a, b) => `(${a} <= ${b})`, eq: (a, b) => `(${a} == ${b})`,
};

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
  usesErf = false;
  usesRng = false;

  constructor(readonly ctx: KernelContext, private readonly counter: { n: number }) {}

  child(): Scope {
    const s = new Scope(this.ctx, this.counter);
    for (const [k, v] of this.locals) s.locals.set(k, v);
    return s;
  }

  fresh(prefix = 't'): string { return `${prefix}${this.counter.n++}`; }

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
      return v.dtype === 'bool' ? `(${load} != 0u)` : load;
    }
    const e = this.ctx.producer.get(v.id);
    if (!e) throw new Error(`codegen: %${v.id} is neither a buffer nor computed`);
    const p = e.params as Record<string, unknown>;
    const x = e.inputs[0]!;
    const same = (u: Var): string => this.value(u, idx);
    if (UNARY[e.prim]) { if (e.prim === 'erf') this.usesErf = true; return UNARY[e.prim]!(same(x)); }
    if (BINARY[e.prim]) return BINARY[e.prim]!(same(x), same(e.inputs[1]!));
    switch (e.prim) {
      case 'select': return `select(${same(e.inputs[2]!)}, ${same(e.inputs[1]!)}, ${same(x)})`;
      case 'cast': return castExpr(same(x), x.dtype, v.dtype);
      case 'stop_gradient': return same(x);
      case 'constant': return literal(p.value as number, v.dtype);
      case 'iota': return castExpr(this.dims(idx)[p.axis as number]!, 'i32', v.dtype);
      case 'random_uniform': {
        this.usesRng = true;
        const key = this.value(x, { shape: [], lin: '0', dims: [] });
        return `random_uniform(${key}, ${literal(p.seed as number, 'u32')}, u32(${this.lin(idx)}))`;
      }
      case 'reshape': return this.value(x, { shape: x.shape, lin: this.lin(idx) });
      case 'transpose': {
        const perm = p.perm as number[];
        const od = this.dims(idx);
        const dims = new Array<string>(perm.length);
        perm.forEach((a, d) => { dims[a] = od[d]!; });
        return this.value(x, { shape: x.shape, dims });
      }
      case 'broadcast': {
        const od = this.dims(idx);
        const dims = (p.dims as number[]).map((o, i) => (x.shape[i] === 1 ? '0' : od[o]!));
        return this.value(x, { shape: x.shape, dims });
      }
      case 'slice': {
        const st = p.start as number[];
        const dims = this.dims(idx).map((d, i) => (st[i] ? this.let(`${d} + ${st[i]}`, 'd') : d));
        return this.value(x, { shape: x.shape, dims });
      }
      case 'pad': {
        const lo = p.lo as number[];
        const od = this.dims(idx);
        const conds: string[] = [];
        const dims = od.map((d, i) => {
          if (!lo[i] && x.shape[i] === v.shape[i]) return d;
          const raw = lo[i] ? this.let(`${d} - ${lo[i]}`, 'd') : d;
          conds.push(`${raw} >= 0 && ${raw} < ${x.shape[i]}`);
          return this.let(`clamp(${raw}, 0, ${Math.max(x.shape[i]! - 1, 0)})`, 'd');
        });
        const inner = this.value(x, { shape: x.shape, dims });
        return conds.length ? `select(${literal(0, v.dtype)}, ${inner}, ${conds.join(' && ')})` : inner;
      }
      case 'concat': {
        const axis = p.axis as number;
        const od = this.dims(idx);
        let off = 0;
        const parts = e.inputs.map((u) => {
          const n = u.shape[axis]!;
          const k = this.let(`clamp(${od[axis]} - ${off}, 0, ${Math.max(n - 1, 0)})`, 'd');
          const val = this.value(u, { shape: u.shape, dims: od.map((d, i) => (i === axis ? k : d)) });
          const r = { val, end: off + n };
          off += n;
          return r;
        });
        let expr = parts[parts.length - 1]!.val;
        for (let i = parts.length - 2; i >= 0; i--) expr = `select(${expr}, ${parts[i]!.val}, ${od[axis]} < ${parts[i]!.end})`;
        return expr;
      }
      case 'gather': {
        const bd = p.batchDims as number;
        const idxVar = e.inputs[1]!;
        const od = this.dims(idx);
        const nI = idxVar.shape.length - bd;
        const j = this.value(idxVar, { shape: idxVar.shape, dims: od.slice(0, bd + nI) });
        const jc = this.let(`clamp(${j}, 0i, ${Math.max(x.shape[bd]! - 1, 0)}i)`, 'd');
        return this.value(x, { shape: x.shape, dims: [...od.slice(0, bd), jc, ...od.slice(bd + nI)] });
      }
      default:
        throw new Error(`codegen: ${e.prim} (%${v.id}) must be realized or provided by its kernel`);
    }
  }
}
