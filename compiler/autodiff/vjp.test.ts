// Every VJP rule against central finite differences in float64 on the reference interpreter.
import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../ir/builder.ts';
import { type Tensor, interpret, tensor } from '../ir/interp.ts';
import { type Prim, type Shape, type Var, ALL_PRIMS, numel } from '../ir/types.ts';
import { grad } from './grad.ts';
import { lcg } from '../ir/lcg.ts';

const rng = (seed: number): (() => number) => lcg(seed);

interface Case {
  name: string;
  prim: Prim;
  /** Input shapes with value ranges [lo, hi); integer inputs are given explicitly. */
  inputs: { shape: Shape; lo?: number; hi?: number; fixed?: Tensor }[];
  build: (b: GraphBuilder, xs: Var[]) => Var;
  /** For stop_gradient: the same function with the stopped value frozen as an input `f`. */
  frozen?: (b: GraphBuilder, xs: Var[], f: Var) => Var;
}

const pos = { lo: 0.5, hi: 2 };
const un = (prim: Prim, r: { lo?: number; hi?: number } = { lo: -2, hi: 2 }): Case => ({
  name: prim,
  prim,
  inputs: [{ shape: [3, 5], ...r }],
  build: (b, [x]) => b.bind1(prim, [x!], {} as never),
});
const bi = (prim: Prim, r: { lo?: number; hi?: number } = { lo: -2, hi: 2 }): Case => ({
  name: prim,
  prim,
  inputs: [
    { shape: [4, 3], ...r },
    { shape: [4, 3], ...r },
  ],
  build: (b, [x, y]) => b.bind1(prim, [x!, y!], {} as never),
});

const CASES: Case[] = [
  un('neg'),
  un('exp'),
  un('log', pos),
  un('sqrt', pos),
  un('rsqrt', pos),
  un('tanh'),
  un('sin'),
  un('cos'),
  un('abs', { lo: 0.2, hi: 2 }),
  { ...un('abs', { lo: -2, hi: -0.2 }), name: 'abs (negative)' },
  un('recip', pos),
  un('erf'),
  bi('add'),
  bi('sub'),
  bi('mul'),
  bi('div', pos),
  bi('max'),
  bi('min'),
  bi('pow', pos),
  { name: 'select', prim: 'select', inputs: [{ shape: [6] }, { shape: [6] }, { shape: [6] }], build: (b, [c, x, y]) => b.select(b.lt(c!, 0), x!, y!) },
  {
    name: 'cast f32->f32 via i32 roundtrip is cut',
    prim: 'cast',
    inputs: [{ shape: [5] }],
    build: (b, [x]) => b.add(b.mul(x!, x!), b.cast(b.cast(x!, 'i32'), 'f32')),
  },
  // d/dx [x * stop(x^2)]: the stopped factor acts as a constant, so FD is taken with it frozen.
  {
    name: 'stop_gradient',
    prim: 'stop_gradient',
    inputs: [{ shape: [5] }],
    build: (b, [x]) => b.mul(x!, b.stopGradient(b.mul(x!, x!))),
    frozen: (b, [x], f) => b.mul(x!, f!),
  },
  { name: 'reduce_sum axes 0,2', prim: 'reduce_sum', inputs: [{ shape: [2, 3, 4] }], build: (b, [x]) => b.sum(x!, [0, 2]) },
  { name: 'reduce_max axis 1', prim: 'reduce_max', inputs: [{ shape: [3, 7] }], build: (b, [x]) => b.max(x!, 1) },
  { name: 'reshape', prim: 'reshape', inputs: [{ shape: [2, 6] }], build: (b, [x]) => b.mul(b.reshape(x!, [3, 4]), b.reshape(x!, [3, 4])) },
  { name: 'transpose', prim: 'transpose', inputs: [{ shape: [2, 3, 4] }], build: (b, [x]) => b.transpose(x!, [2, 0, 1]) },
  { name: 'broadcast (new and stretched axes)', prim: 'broadcast', inputs: [{ shape: [3, 1] }], build: (b, [x]) => b.broadcastTo(x!, [2, 3, 4]) },
  { name: 'slice', prim: 'slice', inputs: [{ shape: [4, 5] }], build: (b, [x]) => b.slice(x!, [1, 0], [3, 4]) },
  { name: 'pad', prim: 'pad', inputs: [{ shape: [2, 3] }], build: (b, [x]) => b.pad(x!, [1, 0], [0, 2]) },
  { name: 'concat', prim: 'concat', inputs: [{ shape: [2, 3] }, { shape: [2, 2] }], build: (b, [x, y]) => b.concat([x!, y!], 1) },
  { name: 'matmul batched', prim: 'matmul', inputs: [{ shape: [2, 3, 4] }, { shape: [2, 4, 5] }], build: (b, [x, y]) => b.matmul(x!, y!) },
  {
    name: 'gather (embedding)',
    prim: 'gather',
    inputs: [{ shape: [5, 3] }, { shape: [4], fixed: tensor([4], [4, 0, 4, 2], 'i32') }],
    build: (b, [x, i]) => b.gather(x!, i!, 0),
  },
  {
    name: 'gather (batched token keep)',
    prim: 'gather',
    inputs: [{ shape: [2, 5, 3] }, { shape: [2, 2], fixed: tensor([2, 2], [3, 1, 0, 4], 'i32') }],
    build: (b, [x, i]) => b.gather(x!, i!, 1),
  },
  {
    name: 'scatter_add',
    prim: 'scatter_add',
    inputs: [{ shape: [3], fixed: tensor([3], [1, 1, 0], 'i32') }, { shape: [3, 2] }],
    build: (b, [i, u]) => b.scatterAdd(i!, u!, [4, 2], 0),
  },
  {
    name: 'argsort (permutes values through gather)',
    prim: 'argsort',
    inputs: [{ shape: [2, 6] }],
    build: (b, [x]) => b.gather(x!, b.argsort(b.stopGradient(x!)), 1),
  },
  {
    name: 'random_uniform scales input',
    prim: 'random_uniform',
    inputs: [{ shape: [4] }, { shape: [], fixed: tensor([], [7], 'u32') }],
    build: (b, [x, k]) => b.mul(x!, b.randomUniform(k!, [4], 3)),
  },
  {
    name: 'attention (fused, key mask; backward via lse / dq / dkv)',
    prim: 'attention',
    inputs: [
      { shape: [2, 2, 3, 4] },
      { shape: [2, 2, 5, 4] },
      { shape: [2, 2, 5, 4] },
      { shape: [2, 5], fixed: tensor([2, 5], [1, 1, 0, 1, 0, 1, 1, 1, 1, 1]) },
    ],
    build: (b, [q, k, v, m]) => b.bind1('attention', [q!, k!, v!, m!], { scale: 0.7 }),
  },
  {
    name: 'attention (fused, no mask)',
    prim: 'attention',
    inputs: [{ shape: [1, 2, 4, 8] }, { shape: [1, 2, 3, 8] }, { shape: [1, 2, 3, 8] }],
    build: (b, [q, k, v]) => b.bind1('attention', [q!, k!, v!], { scale: 0.35 }),
  },
  { name: 'constant and iota', prim: 'iota', inputs: [{ shape: [3] }], build: (b, [x]) => b.mul(b.add(x!, b.constant(2, [3])), b.cast(b.iota([3], 0), 'f32')) },
  {
    name: 'compare ops',
    prim: 'lt',
    inputs: [{ shape: [6] }, { shape: [6] }],
    build: (b, [x, y]) => b.select(b.le(x!, y!), b.select(b.eq(x!, x!), x!, y!), b.mul(y!, 2)),
  },
];

function makeInputs(c: Case, r: () => number): Tensor[] {
  return c.inputs.map(
    (s) =>
      s.fixed ??
      tensor(
        s.shape,
        Array.from({ length: numel(s.shape) }, () => (s.lo ?? -2) + r() * ((s.hi ?? 2) - (s.lo ?? -2))),
      ),
  );
}

describe('VJP rules vs central finite differences (float64)', () => {
  it('every primitive is covered by a case', () => {
    const covered = new Set(CASES.map((c) => c.prim));
    for (const c of CASES) covered.add(c.prim);
    // Primitives reached inside other cases' graphs.
    for (const p of ['constant', 'broadcast', 'le', 'eq', 'attention_lse', 'attention_dq', 'attention_dkv'] as Prim[]) covered.add(p);
    expect(ALL_PRIMS.filter((p) => !covered.has(p))).toEqual([]);
  });

  for (const c of CASES) {
    it(c.name, () => {
      const r = rng(c.name.length * 7919 + 13);
      const ins = makeInputs(c, r);
      const b = new GraphBuilder();
      const xs = c.inputs.map((s, i) => b.input(`x${i}`, s.shape, s.fixed?.dtype ?? 'f32'));
      const out = c.build(b, xs);
      // Random cotangent weights, so no rule is tested only against ones.
      const w = b.input('w', out.shape);
      const loss = b.sum(b.mul(out, w));
      const diffIdx = c.inputs.map((s, i) => (s.fixed ? -1 : i)).filter((i) => i >= 0);
      const grads = grad(
        b,
        loss,
        diffIdx.map((i) => xs[i]!),
      );
      b.output('loss', loss);
      grads.forEach((g, k) => b.output(`g${k}`, g));
      const g = b.build();
      const env: Record<string, Tensor> = {
        w: tensor(
          out.shape,
          Array.from({ length: numel(out.shape) }, () => r() * 2 - 1),
        ),
      };
      ins.forEach((t, i) => {
        env[`x${i}`] = t;
      });
      const res = interpret(g, env);
      const h = 1e-6;
      let fdGraph = g;
      if (c.frozen) {
        const fb = new GraphBuilder();
        const fx = c.inputs.map((s, i) => fb.input(`x${i}`, s.shape, s.fixed?.dtype ?? 'f32'));
        const fw = fb.input('w', out.shape);
        const fOut = c.frozen(fb, fx, fb.input('f', out.shape));
        fb.output('loss', fb.sum(fb.mul(fOut, fw)));
        fdGraph = fb.build();
        env.f = tensor(
          out.shape,
          ins[0]!.data.map((v) => v * v),
        );
      }
      diffIdx.forEach((i, k) => {
        const analytic = res[`g${k}`]!.data;
        for (let j = 0; j < ins[i]!.data.length; j++) {
          const orig = ins[i]!.data[j]!;
          ins[i]!.data[j] = orig + h;
          const fp = interpret(fdGraph, env).loss!.data[0]!;
          ins[i]!.data[j] = orig - h;
          const fm = interpret(fdGraph, env).loss!.data[0]!;
          ins[i]!.data[j] = orig;
          const numeric = (fp - fm) / (2 * h);
          expect(Math.abs(analytic[j]! - numeric), `d/dx${i}[${j}]: analytic ${analytic[j]} numeric ${numeric}`).toBeLessThan(
            1e-6 * Math.max(1, Math.abs(numeric)),
          );
        }
      });
    });
  }
});
