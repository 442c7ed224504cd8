// Elementwise kernels four elements per lane, as vec4s. On lavapipe a lane's scalar load costs
// about as much as its vec4 load (bench/RESULTS.md, session 4: the cost is per load), and every
// lane pays the index arithmetic, the bounds test and the workgroup loop; AdamW's update of
// flap-small's 1.95M-row token table measured 28.8 -> 12.8 ms as vec4s in a standalone kernel
// (session 15). A kernel is vectorised when each group of four consecutive output elements can
// be read as one aligned vec4 of every value it reads, or as one scalar splat over the four:
//   - elementwise prims, reshape, constants: the four stay four consecutive, aligned elements;
//   - broadcast, transpose, slice, pad, iota: when the last axis (a multiple of 4 long) keeps
//     its place and extent, the four are consecutive in the input too; when the input does not
//     vary along the last axis, the four read one scalar (emitted by the scalar rules, splat);
//   - a slice of the last axis that starts at a multiple of 4 of a row a multiple of 4 long, and a
//     pad of the last axis by a multiple of 4 before a row a multiple of 4 long.
// Anything else (gathers, concat, random numbers, other last-axis slices) leaves the kernel scalar.
// Row reductions that give a lane a whole row use the same rules for the row's expression
// (vectorRowReads): the lane sums four elements per step, the row's reduced values splat.
import type { Kernel } from '../fuse/kernel-ir.ts';
import type { DType, Eqn, Prim, Var } from '../ir/types.ts';
import { numel } from '../ir/types.ts';
import { type Idx, type Scope, binaryRules, literal, loadVec4, storeVec4, wgslType } from './emit.ts';

/** How an input of a vectorised value is read: as vec4s at the matching index, or as one scalar for all four. */
type Mode = 'vec' | 'splat';

interface VecRule<P extends Prim> {
  /** The modes of e's inputs when e's output `v` is read four at a time; null: not vectorisable. */
  modes(e: Eqn<P>, v: Var): Mode[] | null;
  /** The vec4 WGSL of v's four elements starting at `idx` (inputs by `arg(k, mode)`). */
  emit(e: Eqn<P>, v: Var, idx: Idx, arg: (k: number, i: Idx) => string, s: Scope): string;
}

const last = (v: Var): number => v.shape[v.shape.length - 1] ?? 1;
/** The four elements lie inside one row of the last axis. */
const rowAligned = (v: Var): boolean => v.shape.length > 0 && last(v) % 4 === 0;
const vecOf = (d: DType): string => `vec4<${wgslType(d)}>`;
const splat = (d: DType, x: string): string => `${vecOf(d)}(${x})`;

const same = (n: number): Mode[] => new Array<Mode>(n).fill('vec');
const unary = (f: (a: string) => string): VecRule<Prim> => ({ modes: (e) => same(e.inputs.length), emit: (_e, _v, idx, arg) => f(arg(0, idx)) });
const binary = (f: (a: string, b: string) => string): VecRule<Prim> => ({
  modes: (e) => same(e.inputs.length),
  emit: (_e, _v, idx, arg) => f(arg(0, idx), arg(1, idx)),
});

/** An input whose axes map onto the output's (axis i of the input is output axis `to[i]`, or none). */
function mappedMode(x: Var, v: Var, lastInputAxisTo: number | undefined, sameExtent: boolean): Mode[] | null {
  if (!rowAligned(v)) return null;
  const outLast = v.shape.length - 1;
  if (lastInputAxisTo === outLast && sameExtent && x.shape[x.shape.length - 1] !== 1) return ['vec'];
  // the input does not move along the output's last axis: one value for all four
  return lastInputAxisTo === outLast && x.shape[x.shape.length - 1] !== 1 ? null : ['splat'];
}

const NO: null = null;

/** Vector codegen per primitive (null: a kernel using it stays scalar). Typed over Prim like EMIT_RULES. */
const VEC_RULES: { [P in Prim]: VecRule<P> | null } = {
  neg: unary((a) => `(-${a})`),
  exp: unary((a) => `exp(${a})`),
  log: unary((a) => `log(${a})`),
  sqrt: unary((a) => `sqrt(${a})`),
  rsqrt: unary((a) => `inverseSqrt(${a})`),
  tanh: unary((a) => `tanh(clamp(${a}, vec4<f32>(-15.0f), vec4<f32>(15.0f)))`),
  sin: unary((a) => `sin(${a})`),
  cos: unary((a) => `cos(${a})`),
  abs: unary((a) => `abs(${a})`),
  recip: unary((a) => `(1.0f / ${a})`),
  erf: {
    modes: (e) => same(e.inputs.length),
    emit: (_e, _v, idx, arg, s) => {
      s.helpers.add('erf4');
      return `erf_v4(${arg(0, idx)})`;
    },
  },
  ...binaryRules(binary),
  select: { modes: () => same(3), emit: (_e, _v, idx, arg) => `select(${arg(2, idx)}, ${arg(1, idx)}, ${arg(0, idx)})` },
  cast: {
    modes: () => same(1),
    emit: (e, v, idx, arg) => {
      const x = arg(0, idx),
        from = e.inputs[0]!.dtype,
        to = v.dtype;
      if (from === to) return x;
      if (to === 'bool') return `(${x} != ${splat(from, literal(0, from))})`;
      if (from === 'bool') return `select(${splat(to, literal(0, to))}, ${splat(to, literal(1, to))}, ${x})`;
      return `${vecOf(to)}(${x})`;
    },
  },
  stop_gradient: unary((a) => a),
  constant: { modes: () => [], emit: (e, v) => splat(v.dtype, literal(e.params.value, v.dtype)) },
  iota: {
    modes: (_e, v) => (rowAligned(v) ? [] : null),
    emit: (e, v, idx, _arg, s) => {
      const d = `${vecOf('i32')}(${s.dims(idx)[e.params.axis]!})`;
      const i = e.params.axis === v.shape.length - 1 ? `(${d} + vec4<i32>(0i, 1i, 2i, 3i))` : d;
      return v.dtype === 'i32' ? i : `${vecOf(v.dtype)}(${i})`;
    },
  },
  random_uniform: NO,
  reshape: { modes: () => ['vec'], emit: (e, _v, idx, arg, s) => arg(0, { shape: e.inputs[0]!.shape, lin: s.lin(idx) }) },
  broadcast: {
    modes: (e, v) => {
      const x = e.inputs[0]!;
      if (numel(x.shape) === 1) return ['splat'];
      const r = x.shape.length - 1;
      return mappedMode(x, v, r >= 0 ? e.params.dims[r] : undefined, x.shape[r] === last(v));
    },
    emit: (e, _v, idx, arg, s) => {
      const x = e.inputs[0]!,
        od = s.dims(idx);
      return arg(0, { shape: x.shape, dims: e.params.dims.map((o, i) => (x.shape[i] === 1 ? '0' : od[o]!)) });
    },
  },
  transpose: {
    modes: (e, v) => {
      const r = v.shape.length - 1;
      return rowAligned(v) && e.params.perm[r] === r ? ['vec'] : null;
    },
    emit: (e, _v, idx, arg, s) => {
      const od = s.dims(idx),
        dims = new Array<string>(e.params.perm.length);
      e.params.perm.forEach((a, d) => {
        dims[a] = od[d]!;
      });
      return arg(0, { shape: e.inputs[0]!.shape, dims });
    },
  },
  slice: {
    // a slice of the last axis keeps four aligned elements together when it starts at a multiple
    // of 4 of a row a multiple of 4 long (attention's heads cut from the fused q|k|v projection)
    modes: (e, v) => {
      const r = v.shape.length - 1,
        x = e.inputs[0]!;
      const whole = !e.params.start[r] && x.shape[r] === last(v);
      return rowAligned(v) && (whole || (e.params.start[r]! % 4 === 0 && last(x) % 4 === 0)) ? ['vec'] : null;
    },
    emit: (e, _v, idx, arg, s) => {
      const st = e.params.start;
      return arg(0, { shape: e.inputs[0]!.shape, dims: s.dims(idx).map((d, i) => (st[i] ? s.let(`${d} + ${st[i]}`, 'd') : d)) });
    },
  },
  pad: {
    // the gradient of a slice (attention's dq | dk | dv into the fused projection's gradient): on
    // the last axis, four aligned elements are all inside the input or all padding when the
    // padding before it and the input's extent are multiples of 4
    modes: (e, v) => {
      const r = v.shape.length - 1,
        x = e.inputs[0]!;
      return rowAligned(v) && e.params.lo[r]! % 4 === 0 && last(x) % 4 === 0 && e.params.lo.every((l) => l >= 0) ? ['vec'] : null;
    },
    emit: (e, v, idx, arg, s) => {
      const x = e.inputs[0]!,
        lo = e.params.lo,
        r = v.shape.length - 1;
      const conds: string[] = [];
      const dims = s.dims(idx).map((d, i) => {
        if (!lo[i] && x.shape[i] === v.shape[i]) return d;
        const raw = lo[i] ? s.let(`${d} - ${lo[i]}`, 'd') : d;
        conds.push(`${raw} >= 0 && ${raw} < ${x.shape[i]}`);
        // the last axis keeps the four aligned: clamp to the input's last group of four
        return s.let(`clamp(${raw}, 0, ${Math.max(x.shape[i]! - (i === r ? 4 : 1), 0)})`, 'd');
      });
      const inner = arg(0, { shape: x.shape, dims });
      return conds.length ? `select(${splat(v.dtype, literal(0, v.dtype))}, ${inner}, ${conds.join(' && ')})` : inner;
    },
  },
  concat: NO,
  gather: NO,
  reduce_sum: NO,
  reduce_max: NO,
  matmul: NO,
  scatter_add: NO,
  argsort: NO,
  attention: NO,
  attention_lse: NO,
  attention_dq: NO,
  attention_dkv: NO,
};

/**
 * The values an elementwise kernel reads as vec4s, or undefined when it cannot run four
 * elements per lane. Pure in the kernel's structure, so cached kernels decide the same way.
 */
export function vectorReads(k: Kernel, producer: ReadonlyMap<number, Eqn>): Set<number> | undefined {
  if (k.kind !== 'elementwise' || k.outputs.some((o) => numel(o.shape) % 4 !== 0)) return undefined;
  return readsOf(k.outputs, k, producer, new Set());
}

/**
 * The same for a reduce kernel with one lane per row (`onePerRow`, the row layout's choice): each
 * stage reduces the last axis, a multiple of 4 long, so a lane sums its row four at a time; the
 * row's reduced values are scalars for all four. Undefined when it cannot.
 */
export function vectorRowReads(k: Kernel, producer: ReadonlyMap<number, Eqn>, onePerRow: boolean): Set<number> | undefined {
  if (k.kind !== 'reduce' || !onePerRow) return undefined;
  const lastAxisOnly = (e: Eqn): boolean => {
    const x = e.inputs[0]!,
      axes = (e.params as { axes: readonly number[] }).axes;
    return axes.length === 1 && axes[0] === x.shape.length - 1 && last(x) % 4 === 0;
  };
  if (!k.stages.every((st) => lastAxisOnly(st.reduce))) return undefined;
  const rowValues = new Set(k.stages.flatMap((st) => [st.reduce.outputs[0]!.id, st.result.id]));
  const roots = [...k.stages.map((st) => st.reduce.inputs[0]!), ...(k.fullRow ? [k.outputs[0]!] : [])];
  return readsOf(roots, k, producer, rowValues);
}

/**
 * Column sums (a bias's gradient: [tokens, width] -> [width]): a reduce kernel of one stage over
 * leading axes whose last axis, kept and a multiple of 4 long, is read four columns at a time, and
 * whose one output is the reduction itself. Returns the values read as vec4s, or undefined.
 */
export function vectorColumnReads(k: Kernel, producer: ReadonlyMap<number, Eqn>): Set<number> | undefined {
  if (k.kind !== 'reduce' || k.stages.length !== 1 || k.fullRow || k.outputs.length !== 1) return undefined;
  const r = k.stages[0]!.reduce;
  const x = r.inputs[0]!;
  const axes = [...(r.params as { axes: readonly number[] }).axes].sort((a, b) => a - b);
  const leading = axes.length > 0 && axes.length < x.shape.length && axes.every((a, i) => a === i);
  if (!leading || last(x) % 4 !== 0 || k.outputs[0]!.id !== r.outputs[0]!.id) return undefined;
  return readsOf([x], k, producer, new Set());
}

/**
 * The buffers read as vec4s when kernel k reads `x` four elements of its last axis at a time (a
 * matmul operand, codegen/matmul.ts), or undefined when it cannot: x's last axis a multiple of 4,
 * every step from the buffers to x one of the vector rules.
 */
export function vectorOperandReads(x: Var, k: Kernel, producer: ReadonlyMap<number, Eqn>): Set<number> | undefined {
  return rowAligned(x) ? readsOf([x], k, producer, new Set()) : undefined;
}

/** Buffers read as vec4s when `roots` are computed four elements at a time (`scalars`: the row's own values). */
function readsOf(roots: Var[], k: Kernel, producer: ReadonlyMap<number, Eqn>, scalars: ReadonlySet<number>): Set<number> | undefined {
  const inputs = new Set(k.inputs.map((v) => v.id));
  const written = new Set(k.outputs.map((v) => v.id));
  const reads = new Set<number>();
  const seen = new Set<number>();
  const visit = (v: Var): boolean => {
    if (seen.has(v.id) || scalars.has(v.id)) return true;
    seen.add(v.id);
    if (inputs.has(v.id) && !written.has(v.id)) {
      reads.add(v.id);
      return true;
    }
    const e = producer.get(v.id);
    const rule = e && (VEC_RULES[e.prim] as VecRule<Prim> | null);
    const modes = rule?.modes(e!, v);
    if (!modes) return false;
    return modes.every((m, i) => m === 'splat' || visit(e!.inputs[i]!));
  };
  return roots.every(visit) ? reads : undefined;
}

/** The vec4 WGSL of v's four elements from `idx` (the first of them; four-aligned in v). */
export function vectorValue(s: Scope, v: Var, idx: Idx, memo: Map<string, string>): string {
  const key = `${v.id}@${idx.dims ? idx.dims.join(',') : `#${idx.lin}`}`;
  const hit = memo.get(key);
  if (hit) return hit;
  const out = s.let(vectorCompute(s, v, idx, memo));
  memo.set(key, out);
  return out;
}

function vectorCompute(s: Scope, v: Var, idx: Idx, memo: Map<string, string>): string {
  const local = s.locals.get(v.id);
  if (typeof local === 'string') return splat(v.dtype, local); // a row's reduced value
  const buf = s.ctx.writes.has(v.id) ? undefined : s.ctx.buffers.get(v.id);
  if (buf !== undefined) {
    const l = s.lin(idx);
    const load = loadVec4(s.ctx, v, `${buf}[${l === 'e0' ? 'gid' : `(${l}) / 4`}]`);
    return v.dtype === 'bool' ? `(${load} != vec4<u32>(0u))` : load;
  }
  const e = s.ctx.producer.get(v.id)!;
  const rule = VEC_RULES[e.prim] as VecRule<Prim>;
  const modes = rule.modes(e, v)!;
  const arg = (k: number, i: Idx): string => {
    const x = e.inputs[k]!;
    return modes[k] === 'vec' ? vectorValue(s, x, i, memo) : splat(x.dtype, s.value(x, numel(x.shape) === 1 ? { shape: x.shape, lin: '0' } : i));
  };
  return rule.emit(e, v, idx, arg, s);
}

/** A vec4 result as the output's vec4 binding stores it (bools as u32s). */
export function storeVector(s: Scope, v: Var, value: string): string {
  if (v.dtype === 'bool') return `select(vec4<u32>(0u), vec4<u32>(1u), ${value})`;
  return storeVec4(s.ctx, v, value);
}

/** erf for vec4s (the scalar helper's formula, componentwise). */
export const ERF4_WGSL = `
fn erf_v4(x: vec4<f32>) -> vec4<f32> {
  let a = abs(x);
  let t = 1.0f / (1.0f + 0.3275911f * a);
  let y = 1.0f - (((((1.061405429f * t - 1.453152027f) * t) + 1.421413741f) * t - 0.284496736f) * t + 0.254829592f) * t * exp(-a * a);
  return select(-y, y, x >= vec4<f32>(0.0f));
}
`;
