// Graph builder: appends equations, infers shapes, and names the equation in every error.
// Binary operations broadcast numpy-style by inserting explicit `broadcast` equations,
// so every primitive downstream (interpreter, autodiff, fusion) sees equal shapes.
import { inferTypes } from './shapes.ts';
import {
  type DType,
  type Eqn,
  type Graph,
  type GraphInput,
  type GraphOutput,
  type InputRole,
  type Prim,
  type PrimParams,
  type Shape,
  type Var,
  IRError,
  sameShape,
  shapeStr,
  type EqnSource,
  formatSource,
} from './types.ts';

export type Scalar = number;
export type Operand = Var | Scalar;

export class GraphBuilder {
  private nextId = 0;
  readonly eqns: Eqn[] = [];
  private readonly inputNames = new Set<string>();
  readonly inputs: GraphInput[] = [];
  readonly outputs: GraphOutput[] = [];
  /** Source attached to equations created while it is set (the spec call, grad or optimizer). */
  source: EqnSource | undefined;

  /** " (where)" for error messages, or nothing. */
  private where(): string {
    return this.source ? ` (${formatSource(this.source)})` : '';
  }

  newVar(shape: Shape, dtype: DType): Var {
    return { id: this.nextId++, shape: [...shape], dtype };
  }

  input(name: string, shape: Shape, dtype: DType = 'f32', role: InputRole = 'data'): Var {
    if (this.inputNames.has(name)) throw new IRError(`duplicate graph input '${name}'`);
    this.inputNames.add(name);
    let types: ReturnType<typeof inferTypes>;
    try {
      types = inferTypes('constant', [], { value: 0, shape, dtype });
    } catch (e) {
      throw new IRError(`input '${name}': ${(e as Error).message}`);
    }
    const v = this.newVar(types[0]!.shape, types[0]!.dtype);
    this.inputs.push({ name, v, role });
    return v;
  }

  param(name: string, shape: Shape): Var {
    return this.input(name, shape, 'f32', 'param');
  }

  output(name: string, v: Var, updates?: string): void {
    if (this.outputs.some((o) => o.name === name)) throw new IRError(`duplicate graph output '${name}'`);
    if (updates !== undefined) {
      const target = this.inputs.find((i) => i.name === updates);
      if (!target) throw new IRError(`output '${name}' updates unknown input '${updates}'`);
      if (!sameShape(target.v.shape, v.shape) || target.v.dtype !== v.dtype) {
        throw new IRError(`output '${name}' ${v.dtype}${shapeStr(v.shape)} cannot update input '${updates}' ${target.v.dtype}${shapeStr(target.v.shape)}`);
      }
    }
    this.outputs.push(updates === undefined ? { name, v } : { name, v, updates });
  }

  build(): Graph {
    return { inputs: [...this.inputs], eqns: [...this.eqns], outputs: [...this.outputs] };
  }

  /** Append one equation; shape errors name the equation and its source. */
  bind<P extends Prim>(prim: P, inputs: readonly Var[], params: PrimParams[P]): Var[] {
    for (const v of inputs) {
      if (!v || typeof v.id !== 'number') throw new IRError(`eqn #${this.eqns.length} ${prim}: input is not a graph value`);
    }
    let types: ReturnType<typeof inferTypes>;
    try {
      types = inferTypes(prim, inputs, params);
    } catch (e) {
      const ins = inputs.map((v) => `%${v.id}:${v.dtype}${shapeStr(v.shape)}`).join(', ');
      throw new IRError(`eqn #${this.eqns.length} ${prim}(${ins})${this.where()}: ${(e as Error).message}`, this.source);
    }
    const outputs = types.map((t) => this.newVar(t.shape, t.dtype));
    const eqn: Eqn<P> =
      this.source === undefined ? { prim, inputs: [...inputs], params, outputs } : { prim, inputs: [...inputs], params, outputs, source: this.source };
    this.eqns.push(eqn as unknown as Eqn);
    return outputs;
  }

  bind1<P extends Prim>(prim: P, inputs: readonly Var[], params: PrimParams[P]): Var {
    return this.bind(prim, inputs, params)[0]!;
  }

  // ---- sources ----
  constant(value: number, shape: Shape = [], dtype: DType = 'f32'): Var {
    return this.bind1('constant', [], { value, shape: [...shape], dtype });
  }
  iota(shape: Shape, axis: number, dtype: DType = 'i32'): Var {
    return this.bind1('iota', [], { shape: [...shape], axis, dtype });
  }
  randomUniform(key: Var, shape: Shape, seed: number): Var {
    return this.bind1('random_uniform', [key], { shape: [...shape], seed });
  }

  // ---- broadcasting helpers ----
  private lift(x: Operand, like: Var): Var {
    return typeof x === 'number' ? this.constant(x, [], like.dtype) : x;
  }

  /** Numpy broadcast of two shapes, or an error naming both. */
  static broadcastShapes(a: Shape, b: Shape): number[] {
    const r = Math.max(a.length, b.length);
    const out: number[] = [];
    for (let i = 0; i < r; i++) {
      const da = a[a.length - r + i] ?? 1,
        db = b[b.length - r + i] ?? 1;
      if (da !== db && da !== 1 && db !== 1) throw new IRError(`shapes ${shapeStr(a)} and ${shapeStr(b)} do not broadcast`);
      out.push(Math.max(da, db));
    }
    return out;
  }

  /** Broadcast x (numpy rules, aligned right) to shape. */
  broadcastTo(x: Var, shape: Shape): Var {
    if (sameShape(x.shape, shape)) return x;
    const off = shape.length - x.shape.length;
    if (off < 0) throw new IRError(`cannot broadcast ${shapeStr(x.shape)} to lower rank ${shapeStr(shape)}`);
    // Drop size-1 axes that get expanded, so the broadcast is a pure index map.
    const keep: number[] = [];
    x.shape.forEach((d, i) => {
      if (!(d === 1 && shape[off + i] !== 1)) keep.push(i);
    });
    const squeezed =
      keep.length === x.shape.length
        ? x
        : this.reshape(
            x,
            keep.map((i) => x.shape[i]!),
          );
    return this.bind1('broadcast', [squeezed], { shape: [...shape], dims: keep.map((i) => off + i) });
  }

  private binop(prim: 'add' | 'sub' | 'mul' | 'div' | 'max' | 'min' | 'pow' | 'lt' | 'le' | 'eq', a: Operand, b: Operand): Var {
    if (typeof a === 'number' && typeof b === 'number') throw new IRError(`${prim}: at least one operand must be a graph value`);
    const va = typeof a === 'number' ? this.lift(a, b as Var) : a;
    const vb = typeof b === 'number' ? this.lift(b, va) : b;
    let shape: number[];
    try {
      shape = GraphBuilder.broadcastShapes(va.shape, vb.shape);
    } catch (e) {
      throw new IRError(`eqn #${this.eqns.length} ${prim}${this.where()}: ${(e as Error).message}`, this.source);
    }
    return this.bind1(prim, [this.broadcastTo(va, shape), this.broadcastTo(vb, shape)], {});
  }

  // ---- elementwise ----
  add(a: Operand, b: Operand): Var {
    return this.binop('add', a, b);
  }
  sub(a: Operand, b: Operand): Var {
    return this.binop('sub', a, b);
  }
  mul(a: Operand, b: Operand): Var {
    return this.binop('mul', a, b);
  }
  div(a: Operand, b: Operand): Var {
    return this.binop('div', a, b);
  }
  maximum(a: Operand, b: Operand): Var {
    return this.binop('max', a, b);
  }
  minimum(a: Operand, b: Operand): Var {
    return this.binop('min', a, b);
  }
  pow(a: Operand, b: Operand): Var {
    return this.binop('pow', a, b);
  }
  lt(a: Operand, b: Operand): Var {
    return this.binop('lt', a, b);
  }
  le(a: Operand, b: Operand): Var {
    return this.binop('le', a, b);
  }
  eq(a: Operand, b: Operand): Var {
    return this.binop('eq', a, b);
  }
  neg(x: Var): Var {
    return this.bind1('neg', [x], {});
  }
  exp(x: Var): Var {
    return this.bind1('exp', [x], {});
  }
  log(x: Var): Var {
    return this.bind1('log', [x], {});
  }
  sqrt(x: Var): Var {
    return this.bind1('sqrt', [x], {});
  }
  rsqrt(x: Var): Var {
    return this.bind1('rsqrt', [x], {});
  }
  tanh(x: Var): Var {
    return this.bind1('tanh', [x], {});
  }
  sin(x: Var): Var {
    return this.bind1('sin', [x], {});
  }
  cos(x: Var): Var {
    return this.bind1('cos', [x], {});
  }
  abs(x: Var): Var {
    return this.bind1('abs', [x], {});
  }
  recip(x: Var): Var {
    return this.bind1('recip', [x], {});
  }
  erf(x: Var): Var {
    return this.bind1('erf', [x], {});
  }
  cast(x: Var, dtype: DType): Var {
    return x.dtype === dtype ? x : this.bind1('cast', [x], { dtype });
  }
  stopGradient(x: Var): Var {
    return this.bind1('stop_gradient', [x], {});
  }
  select(cond: Var, a: Operand, b: Operand): Var {
    const like = typeof a === 'number' ? (b as Var) : a;
    const va = this.lift(a, like),
      vb = this.lift(b, like);
    const shape = GraphBuilder.broadcastShapes(GraphBuilder.broadcastShapes(cond.shape, va.shape), vb.shape);
    return this.bind1('select', [this.broadcastTo(cond, shape), this.broadcastTo(va, shape), this.broadcastTo(vb, shape)], {});
  }

  // ---- reductions ----
  private axesOf(x: Var, axes: number | readonly number[] | undefined): number[] {
    const list = axes === undefined ? x.shape.map((_, i) => i) : typeof axes === 'number' ? [axes] : [...axes];
    return list.map((a) => (a < 0 ? a + x.shape.length : a)).sort((p, q) => p - q);
  }
  private keep(x: Var, r: Var, axes: number[], keepdims: boolean): Var {
    return keepdims
      ? this.reshape(
          r,
          x.shape.map((d, i) => (axes.includes(i) ? 1 : d)),
        )
      : r;
  }
  sum(x: Var, axes?: number | readonly number[], keepdims = false): Var {
    const ax = this.axesOf(x, axes);
    return this.keep(x, this.bind1('reduce_sum', [x], { axes: ax }), ax, keepdims);
  }
  max(x: Var, axes?: number | readonly number[], keepdims = false): Var {
    const ax = this.axesOf(x, axes);
    return this.keep(x, this.bind1('reduce_max', [x], { axes: ax }), ax, keepdims);
  }
  mean(x: Var, axes?: number | readonly number[], keepdims = false): Var {
    const ax = this.axesOf(x, axes);
    const n = ax.reduce((acc, a) => acc * x.shape[a]!, 1);
    // Scale before restoring kept dims, so the scale fuses into the reduction's epilogue.
    return this.keep(x, this.mul(this.sum(x, ax), 1 / n), ax, keepdims);
  }

  // ---- views ----
  reshape(x: Var, shape: Shape): Var {
    const s = [...shape];
    const hole = s.indexOf(-1);
    if (hole >= 0) {
      const known = s.reduce((a, d, i) => (i === hole ? a : a * d), 1);
      s[hole] = known === 0 ? 0 : x.shape.reduce((a, d) => a * d, 1) / known;
    }
    return sameShape(s, x.shape) ? x : this.bind1('reshape', [x], { shape: s });
  }
  transpose(x: Var, perm?: readonly number[]): Var {
    const p = perm ?? x.shape.map((_, i) => x.shape.length - 1 - i);
    return p.every((a, i) => a === i) ? x : this.bind1('transpose', [x], { perm: [...p] });
  }
  /** Swap the last two axes. */
  mT(x: Var): Var {
    const r = x.shape.length;
    return this.transpose(x, [...x.shape.slice(0, r - 2).map((_, i) => i), r - 1, r - 2]);
  }
  slice(x: Var, start: readonly number[], end: readonly number[]): Var {
    return this.bind1('slice', [x], { start: [...start], end: [...end] });
  }
  pad(x: Var, lo: readonly number[], hi: readonly number[]): Var {
    return this.bind1('pad', [x], { lo: [...lo], hi: [...hi] });
  }
  concat(xs: readonly Var[], axis: number): Var {
    return xs.length === 1 ? xs[0]! : this.bind1('concat', xs, { axis });
  }

  // ---- contractions and routines ----
  /** Matmul with numpy-style batch broadcasting of leading dims. */
  matmul(a: Var, b: Var): Var {
    if (a.shape.length < 2 || b.shape.length < 2) {
      throw new IRError(
        `eqn #${this.eqns.length} matmul${this.where()}: operands must have rank >= 2, got ${shapeStr(a.shape)} and ${shapeStr(b.shape)}`,
        this.source,
      );
    }
    if (b.shape.length === 2 && a.shape.length > 2) {
      // [..., M, K] @ [K, N]: fold the batch into rows, so the weight is never broadcast
      // (its gradient is then one matmul, not a batch of them summed).
      const K = a.shape[a.shape.length - 1]!;
      const rows = a.shape.slice(0, -1).reduce((p, d) => p * d, 1);
      const flat = this.matmul(this.reshape(a, [rows, K]), b);
      return this.reshape(flat, [...a.shape.slice(0, -1), b.shape[1]!]);
    }
    const ba = a.shape.slice(0, -2),
      bb = b.shape.slice(0, -2);
    const batch = GraphBuilder.broadcastShapes(ba, bb);
    const aa = this.broadcastTo(a, [...batch, ...a.shape.slice(-2)]);
    const bv = this.broadcastTo(b, [...batch, ...b.shape.slice(-2)]);
    return this.bind1('matmul', [aa, bv], {});
  }
  gather(x: Var, idx: Var, batchDims = 0): Var {
    return this.bind1('gather', [x, idx], { batchDims });
  }
  scatterAdd(idx: Var, updates: Var, shape: Shape, batchDims = 0): Var {
    return this.bind1('scatter_add', [idx, updates], { batchDims, shape: [...shape] });
  }
  argsort(x: Var): Var {
    return this.bind1('argsort', [x], {});
  }
}
