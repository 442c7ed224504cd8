// Reverse-mode rules: one VJP per primitive. The table is typed over every Prim, so a
// primitive without a rule does not compile. A rule receives the output cotangent and
// returns one cotangent per input (null: not differentiable / zero).
import type { GraphBuilder } from '../ir/builder.ts';
import { type Eqn, type Prim, type PrimParams, type Var, IRError } from '../ir/types.ts';

export type VjpRule<P extends Prim> = (b: GraphBuilder, ins: readonly Var[], out: Var, ct: Var, params: PrimParams[P]) => (Var | null)[];

const sq = (b: GraphBuilder, x: Var): Var => b.mul(x, x);

export const VJP_RULES: { [P in Prim]: VjpRule<P> } = {
  neg: (b, _i, _o, ct) => [b.neg(ct)],
  exp: (b, _i, y, ct) => [b.mul(ct, y)],
  log: (b, [x], _o, ct) => [b.div(ct, x!)],
  sqrt: (b, _i, y, ct) => [b.div(b.mul(ct, 0.5), y)],
  rsqrt: (b, [x], y, ct) => [b.mul(b.mul(ct, -0.5), b.div(y, x!))],
  tanh: (b, _i, y, ct) => [b.mul(ct, b.sub(1, sq(b, y)))],
  sin: (b, [x], _o, ct) => [b.mul(ct, b.cos(x!))],
  cos: (b, [x], _o, ct) => [b.neg(b.mul(ct, b.sin(x!)))],
  abs: (b, [x], _o, ct) => [b.select(b.lt(x!, 0), b.neg(ct), ct)],
  recip: (b, _i, y, ct) => [b.neg(b.mul(ct, sq(b, y)))],
  erf: (b, [x], _o, ct) => [b.mul(ct, b.mul(b.exp(b.neg(sq(b, x!))), 2 / Math.sqrt(Math.PI)))],
  add: (_b, _i, _o, ct) => [ct, ct],
  sub: (b, _i, _o, ct) => [ct, b.neg(ct)],
  mul: (b, [x, y], _o, ct) => [b.mul(ct, y!), b.mul(ct, x!)],
  div: (b, [_x, y], out, ct) => [b.div(ct, y!), b.neg(b.div(b.mul(ct, out), y!))],
  // Ties send the whole cotangent to the first operand.
  max: (b, [x, y], _o, ct) => {
    const yWins = b.lt(x!, y!);
    return [b.select(yWins, 0, ct), b.select(yWins, ct, 0)];
  },
  min: (b, [x, y], _o, ct) => {
    const xWins = b.le(x!, y!);
    return [b.select(xWins, ct, 0), b.select(xWins, 0, ct)];
  },
  pow: (b, [x, y], out, ct) => [b.mul(ct, b.mul(y!, b.pow(x!, b.sub(y!, 1)))), b.mul(ct, b.mul(out, b.log(x!)))],
  lt: () => [null, null],
  le: () => [null, null],
  eq: () => [null, null],
  select: (b, [c], _o, ct) => [null, b.select(c!, ct, 0), b.select(c!, 0, ct)],
  cast: (b, [x], _o, ct) => [x!.dtype === 'f32' && ct.dtype === 'f32' ? ct : x!.dtype === 'f32' ? b.cast(ct, 'f32') : null],
  stop_gradient: () => [null],
  constant: () => [],
  iota: () => [],
  random_uniform: () => [null],
  reduce_sum: (b, [x], _o, ct, p) => [b.bind1('broadcast', [ct], { shape: x!.shape, dims: keptAxes(x!.shape.length, p.axes) })],
  reduce_max: (b, [x], out, ct, p) => {
    // Split the cotangent evenly among tied maxima.
    const dims = keptAxes(x!.shape.length, p.axes);
    const bc = (v: Var): Var => b.bind1('broadcast', [v], { shape: x!.shape, dims });
    const hit = b.cast(b.eq(x!, bc(out)), 'f32');
    const count = b.bind1('reduce_sum', [hit], { axes: p.axes });
    return [b.mul(hit, bc(b.div(ct, count)))];
  },
  reshape: (b, [x], _o, ct) => [b.reshape(ct, x!.shape)],
  transpose: (b, _i, _o, ct, p) => {
    const inv = new Array<number>(p.perm.length);
    p.perm.forEach((a, i) => {
      inv[a] = i;
    });
    return [b.transpose(ct, inv)];
  },
  broadcast: (b, [x], _o, ct, p) => {
    // Sum over new axes and over axes stretched from size 1, then restore the input shape.
    const axes = p.shape
      .map((_, i) => i)
      .filter((i) => {
        const k = p.dims.indexOf(i);
        return k < 0 || (x!.shape[k] === 1 && p.shape[i] !== 1);
      });
    const summed = axes.length ? b.bind1('reduce_sum', [ct], { axes }) : ct;
    return [b.reshape(summed, x!.shape)];
  },
  slice: (b, [x], _o, ct, p) => [
    b.pad(
      ct,
      p.start,
      x!.shape.map((d, i) => d - p.end[i]!),
    ),
  ],
  pad: (b, [x], _o, ct, p) => [
    b.slice(
      ct,
      p.lo,
      x!.shape.map((d, i) => p.lo[i]! + d),
    ),
  ],
  concat: (b, ins, _o, ct, p) => {
    let off = 0;
    return ins.map((x) => {
      const start = x.shape.map((_, i) => (i === p.axis ? off : 0));
      const end = x.shape.map((d, i) => (i === p.axis ? off + d : ct.shape[i]!));
      off += x.shape[p.axis]!;
      return b.slice(ct, start, end);
    });
  },
  matmul: (b, [x, y], _o, ct) => [b.matmul(ct, b.mT(y!)), b.matmul(b.mT(x!), ct)],
  gather: (b, [x, idx], _o, ct, p) => [b.scatterAdd(idx!, ct, x!.shape, p.batchDims), null],
  scatter_add: (b, [idx, , perm], _o, ct, p) => [null, b.gather(ct, idx!, p.batchDims), ...(perm ? [null] : [])],
  argsort: () => [null],
  // FlashAttention's backward: the scores are recomputed from q and k (with the rows'
  // log-sum-exp) instead of stored; the key mask is a selector, not differentiated.
  attention: (b, [q, k, v, mask], o, ct, p) => {
    const opt = mask ? [mask] : [];
    const lse = b.bind1('attention_lse', [q!, k!, ...opt], p);
    const delta = b.sum(b.mul(ct, o), 3);
    const g = [q!, k!, v!, lse, delta, ct, ...opt];
    const dkv = b.bind1('attention_dkv', g, p);
    const [B, H, M, , D] = dkv.shape as number[];
    const half = (i: number): Var => b.reshape(b.slice(dkv, [0, 0, 0, i, 0], [B!, H!, M!, i + 1, D!]), [B!, H!, M!, D!]);
    return [b.bind1('attention_dq', g, p), half(0), half(1), null];
  },
  attention_lse: secondOrder,
  attention_dq: secondOrder,
  attention_dkv: secondOrder,
};

function secondOrder(): never {
  throw new IRError('the fused attention backward is not differentiable (second derivatives of attention are not supported)');
}

function keptAxes(rank: number, axes: readonly number[]): number[] {
  return Array.from({ length: rank }, (_, i) => i).filter((i) => !axes.includes(i));
}

export function applyVjp(b: GraphBuilder, e: Eqn, ct: Var): (Var | null)[] {
  const rule = VJP_RULES[e.prim] as VjpRule<Prim>;
  return rule(b, e.inputs, e.outputs[0]!, ct, e.params);
}
