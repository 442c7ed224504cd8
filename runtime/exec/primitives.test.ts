// Every primitive on Dawn vs the float64 reference, fresh random inputs, several shapes
// (including sizes that are not multiples of any tile or workgroup size).
import { afterAll, describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../compiler/ir/builder.ts';
import { type Tensor, tensor } from '../../compiler/ir/interp.ts';
import { ALL_PRIMS, type Prim, type Shape, type Var, numel } from '../../compiler/ir/types.ts';
import { F32_TOL, errorRatio, lcg, randomInputs, reference, runOnGpu, testGpu } from '../testing/harness.ts';

interface Case {
  name: string;
  prims: Prim[];
  inputs: { shape: Shape; dtype?: 'f32' | 'i32' | 'u32'; lo?: number; hi?: number; ints?: (r: () => number, i: number) => number }[];
  build: (b: GraphBuilder, xs: Var[]) => Var;
  /** Relative/absolute tolerance in units of f32 epsilon-scaled defaults (reductions and matmul grow with length). */
  tol?: { rtol: number; atol: number };
}

const SHAPES: Shape[] = [[7], [3, 37], [2, 5, 129]];
const POS = { lo: 0.25, hi: 3 };
const TRIG: string[] = ['sin', 'cos'];
const unaryCases: Case[] = (['neg', 'exp', 'log', 'sqrt', 'rsqrt', 'tanh', 'sin', 'cos', 'abs', 'recip', 'erf'] as const).flatMap((p) =>
  SHAPES.map((shape) => ({
    name: `${p} ${shape.join('x')}`,
    prims: [p],
    inputs: [{ shape, ...(['log', 'sqrt', 'rsqrt', 'recip'].includes(p) ? POS : TRIG.includes(p) ? { lo: -3.14, hi: 3.14 } : { lo: -4, hi: 4 }) }],
    build: (b: GraphBuilder, [x]: Var[]) => b.bind1(p, [x!], {}),
    // WGSL guarantees sin/cos only to 2^-11 absolute on [-pi, pi] (SwiftShader uses that latitude).
    ...(TRIG.includes(p) ? { tol: { rtol: 0, atol: 2 ** -11 } } : {}),
  })),
);
const binaryCases: Case[] = (['add', 'sub', 'mul', 'div', 'max', 'min', 'pow'] as const).flatMap((p) =>
  SHAPES.map((shape) => ({
    name: `${p} ${shape.join('x')}`,
    prims: [p],
    inputs: [
      { shape, ...(p === 'pow' ? POS : {}) },
      { shape, ...(p === 'div' || p === 'pow' ? POS : {}) },
    ],
    build: (b: GraphBuilder, [x, y]: Var[]) => b.bind1(p, [x!, y!], {}),
  })),
);

const ints =
  (n: number) =>
  (r: () => number): number =>
    Math.floor(r() * n);
const CASES: Case[] = [
  ...unaryCases,
  ...binaryCases,
  {
    name: 'compare + select',
    prims: ['lt', 'le', 'eq', 'select'],
    inputs: [{ shape: [5, 33] }, { shape: [5, 33] }],
    build: (b, [x, y]) => b.select(b.lt(x!, y!), b.select(b.le(y!, x!), x!, y!), b.select(b.eq(x!, x!), b.mul(x!, 2), y!)),
  },
  {
    name: 'cast f32->i32->f32 and bool',
    prims: ['cast'],
    inputs: [{ shape: [41], lo: -9, hi: 9 }],
    build: (b, [x]) => b.add(b.cast(b.cast(x!, 'i32'), 'f32'), b.cast(b.lt(x!, 0), 'f32')),
  },
  {
    name: 'i32 arithmetic',
    prims: ['add', 'mul', 'max'],
    inputs: [
      { shape: [3, 11], dtype: 'i32', ints: ints(50) },
      { shape: [3, 11], dtype: 'i32', ints: ints(50) },
    ],
    build: (b, [x, y]) => b.maximum(b.mul(b.add(x!, y!), y!), x!),
  },
  {
    name: 'constant and iota',
    prims: ['constant', 'iota'],
    inputs: [{ shape: [4, 9] }],
    build: (b, [x]) => b.add(b.mul(x!, b.constant(1.5, [4, 9])), b.cast(b.iota([4, 9], 1), 'f32')),
  },
  {
    name: 'random_uniform matches the reference bit for bit',
    prims: ['random_uniform'],
    inputs: [{ shape: [], dtype: 'u32', ints: () => 12345 }],
    build: (b, [k]) => b.randomUniform(k!, [3, 1000], 77),
    tol: { rtol: 0, atol: 0 },
  },
  { name: 'stop_gradient', prims: ['stop_gradient'], inputs: [{ shape: [10] }], build: (b, [x]) => b.stopGradient(b.exp(x!)) },
  ...([[0], [1], [0, 2], [2], [1, 2], [0, 1, 2]] as number[][]).flatMap((axes) => [
    {
      name: `reduce_sum axes ${axes} of 6x37x19`,
      prims: ['reduce_sum'] as Prim[],
      inputs: [{ shape: [6, 37, 19] }],
      build: (b: GraphBuilder, [x]: Var[]) => b.sum(x!, axes),
      tol: { rtol: 1e-5, atol: 1e-4 },
    },
    {
      name: `reduce_max axes ${axes} of 6x37x19`,
      prims: ['reduce_max'] as Prim[],
      inputs: [{ shape: [6, 37, 19] }],
      build: (b: GraphBuilder, [x]: Var[]) => b.max(x!, axes),
    },
  ]),
  {
    name: 'reduce_sum long row (workgroup path)',
    prims: ['reduce_sum'],
    inputs: [{ shape: [3, 5000] }],
    build: (b, [x]) => b.sum(x!, 1),
    tol: { rtol: 1e-5, atol: 1e-3 },
  },
  { name: 'reduce_max long row (workgroup path)', prims: ['reduce_max'], inputs: [{ shape: [2, 3001] }], build: (b, [x]) => b.max(x!, 1) },
  // few rows of medium length: the workgroup path sized to the row (8, 16 and 128 lanes)
  { name: 'reduce_sum few medium rows (8 lanes)', prims: ['reduce_sum'], inputs: [{ shape: [3, 64] }], build: (b, [x]) => b.sum(x!, 1) },
  { name: 'reduce_max few medium rows (16 lanes)', prims: ['reduce_max'], inputs: [{ shape: [5, 100] }], build: (b, [x]) => b.max(x!, 1) },
  {
    name: 'reduce_sum few rows over axis 0 (128 lanes)',
    prims: ['reduce_sum'],
    inputs: [{ shape: [700, 9] }],
    build: (b, [x]) => b.sum(x!, 0),
    tol: { rtol: 1e-5, atol: 1e-4 },
  },
  {
    name: 'reshape + transpose',
    prims: ['reshape', 'transpose'],
    inputs: [{ shape: [6, 35] }],
    build: (b, [x]) => b.transpose(b.reshape(x!, [2, 3, 5, 7]), [3, 1, 0, 2]),
  },
  // Per-axis indices cross a reshape group by group (emit.ts reshapeIndex): axes split, merged,
  // both at once (6x10 -> 4x15 is one group), and size-1 axes on either side.
  {
    name: 'reshape groups: split, merge, one group of 2 -> 2 axes, size-1 axes',
    prims: ['reshape', 'transpose'],
    inputs: [{ shape: [6, 1, 10] }],
    build: (b, [x]) => b.transpose(b.reshape(b.transpose(b.reshape(x!, [1, 4, 15]), [0, 2, 1]), [3, 5, 1, 4]), [2, 3, 1, 0]),
  },
  {
    name: "reshape groups: a matmul reads attention's head-merged view (transpose then merge)",
    prims: ['reshape', 'transpose', 'matmul'],
    inputs: [{ shape: [2, 3, 9, 5] }, { shape: [15, 6] }],
    build: (b, [x, w]) => b.matmul(b.reshape(b.transpose(x!, [0, 2, 1, 3]), [18, 15]), w!),
  },
  { name: 'broadcast', prims: ['broadcast'], inputs: [{ shape: [5, 1] }, { shape: [3, 5, 7] }], build: (b, [x, y]) => b.add(x!, y!) },
  { name: 'slice', prims: ['slice'], inputs: [{ shape: [9, 40] }], build: (b, [x]) => b.slice(x!, [2, 3], [7, 39]) },
  { name: 'pad', prims: ['pad'], inputs: [{ shape: [4, 6] }], build: (b, [x]) => b.pad(x!, [1, 0], [2, 3]) },
  { name: 'concat', prims: ['concat'], inputs: [{ shape: [3, 4] }, { shape: [3, 1] }, { shape: [3, 7] }], build: (b, [x, y, z]) => b.concat([x!, y!, z!], 1) },
  ...(
    [
      [1, 1, 1],
      [7, 13, 5],
      [33, 65, 17],
      [64, 64, 64],
      [100, 37, 129],
    ] as const
  ).map(([M, K, N]) => ({
    name: `matmul ${M}x${K} @ ${K}x${N}`,
    prims: ['matmul'] as Prim[],
    inputs: [{ shape: [M, K] }, { shape: [K, N] }],
    build: (b: GraphBuilder, [x, y]: Var[]) => b.matmul(x!, y!),
    tol: { rtol: 1e-5, atol: 1e-4 * Math.sqrt(K) },
  })),
  {
    name: 'matmul batched 3x(21x34 @ 34x10)',
    prims: ['matmul'],
    inputs: [{ shape: [3, 21, 34] }, { shape: [3, 34, 10] }],
    build: (b, [x, y]) => b.matmul(x!, y!),
    tol: { rtol: 1e-5, atol: 1e-3 },
  },
  {
    name: 'matmul of transposed views',
    prims: ['matmul', 'transpose'],
    inputs: [{ shape: [2, 19, 30] }, { shape: [2, 23, 19] }],
    build: (b, [x, y]) => b.matmul(b.mT(x!), b.mT(y!)),
    tol: { rtol: 1e-5, atol: 1e-3 },
  },
  {
    name: 'gather (embedding lookup)',
    prims: ['gather'],
    inputs: [{ shape: [50, 6] }, { shape: [4, 9], dtype: 'i32', ints: ints(50) }],
    build: (b, [x, i]) => b.gather(x!, i!, 0),
  },
  {
    name: 'gather (batched, token keep)',
    prims: ['gather'],
    inputs: [{ shape: [3, 20, 5] }, { shape: [3, 7], dtype: 'i32', ints: ints(20) }],
    build: (b, [x, i]) => b.gather(x!, i!, 1),
  },
  {
    name: 'scatter_add (duplicates sum)',
    prims: ['scatter_add'],
    inputs: [{ shape: [3, 9], dtype: 'i32', ints: ints(6) }, { shape: [3, 9, 4] }],
    build: (b, [i, u]) => b.scatterAdd(i!, u!, [3, 6, 4], 1),
  },
  {
    // >= SORTED_SCATTER_MIN_ROWS rows: simplify.ts sortScatters routes it through argsort and
    // the binary-search kernel (rows no index hits stay zero; ids 0 and the last row occur).
    name: 'scatter_add into a large table (sorted kernel, duplicates sum)',
    prims: ['scatter_add', 'argsort'],
    inputs: [{ shape: [4, 50], dtype: 'i32', ints: (r, j) => (j === 0 ? 0 : j === 1 ? 4999 : Math.floor(r() * 40) * 125) }, { shape: [4, 50, 3] }],
    build: (b, [i, u]) => b.scatterAdd(i!, u!, [5000, 3], 0),
  },
  {
    name: 'argsort rows (stable, with ties)',
    prims: ['argsort'],
    inputs: [{ shape: [4, 77], lo: 0, hi: 5 }],
    build: (b, [x]) => b.argsort(b.cast(b.cast(x!, 'i32'), 'f32')),
    tol: { rtol: 0, atol: 0 },
  },
  {
    name: 'argsort of random keys (token shuffle)',
    prims: ['argsort', 'random_uniform'],
    inputs: [{ shape: [], dtype: 'u32', ints: () => 9 }],
    build: (b, [k]) => b.argsort(b.randomUniform(k!, [5, 64], 1)),
    tol: { rtol: 0, atol: 0 },
  },
  // The fused attention primitives one at a time (runtime/exec/attention.test.ts checks them
  // against the unfused decomposition, with gradients); lse/delta inputs are arbitrary here.
  ...(['attention', 'attention_lse', 'attention_dq', 'attention_dkv'] as const).map(
    (p): Case => ({
      name: `${p} (key mask)`,
      prims: [p],
      inputs: [
        { shape: [2, 2, 9, 8], lo: -1, hi: 1 },
        { shape: [2, 2, 11, 8], lo: -1, hi: 1 },
        { shape: [2, 2, 11, 8] },
        { shape: [2, 2, 9], lo: 1, hi: 3 },
        { shape: [2, 2, 9] },
        { shape: [2, 2, 9, 8] },
        { shape: [2, 11], ints: (_r, i) => (i % 11 < 8 ? 1 : 0) },
      ],
      build: (b, [q, k, v, lse, delta, dO, mask]) => {
        const ins = p === 'attention' ? [q!, k!, v!, mask!] : p === 'attention_lse' ? [q!, k!, mask!] : [q!, k!, v!, lse!, delta!, dO!, mask!];
        return b.bind1(p, ins, { scale: 0.35 });
      },
      tol: { rtol: 1e-4, atol: 1e-4 },
    }),
  ),
];

describe('primitives on Dawn vs float64 reference', () => {
  afterAll(async () => {
    (await testGpu()).destroy();
  });

  it('every primitive has a case', () => {
    const covered = new Set(CASES.flatMap((c) => c.prims));
    expect(ALL_PRIMS.filter((p) => !covered.has(p))).toEqual([]);
  });

  CASES.forEach((c, n) => {
    it(c.name, async () => {
      const b = new GraphBuilder();
      const xs = c.inputs.map((s, i) => b.input(`x${i}`, s.shape, s.dtype ?? 'f32'));
      b.output('y', c.build(b, xs));
      const g = b.build();
      const r = lcg(1000 + n);
      const fixed: Record<string, Tensor> = {};
      c.inputs.forEach((s, i) => {
        if (s.ints)
          fixed[`x${i}`] = tensor(
            s.shape,
            Array.from({ length: numel(s.shape) }, (_, j) => s.ints!(r, j)),
            s.dtype ?? 'f32',
          );
        else
          fixed[`x${i}`] = tensor(
            s.shape,
            Array.from({ length: numel(s.shape) }, () => Math.fround((s.lo ?? -2) + r() * ((s.hi ?? 2) - (s.lo ?? -2)))),
          );
      });
      const inputs = randomInputs(g, n, fixed);
      const ref = reference(g, inputs).y!;
      const { outputs } = await runOnGpu(g, inputs);
      const exact = ref.dtype !== 'f32';
      const tol = exact ? { rtol: 0, atol: 0 } : (c.tol ?? F32_TOL);
      const { ratio, at } = errorRatio(outputs.y!, ref.data, tol.rtol, tol.atol);
      expect(ratio, `worst at ${at}: gpu ${outputs.y![at]} ref ${ref.data[at]}`).toBeLessThanOrEqual(1);
    });
  });

  // The sorted scatter adds each row's updates in ascending position order, as the plain kernel
  // does, so the two agree bit for bit (the embedding gradient of a step does not change).
  it('scatter_add into a large table: the sorted kernel equals the plain one bit for bit', async () => {
    const b = new GraphBuilder();
    const i = b.input('i', [8, 40], 'i32'),
      u = b.input('u', [8, 40, 5], 'f32');
    b.output('y', b.scatterAdd(i, u, [6000, 5], 0));
    const g = b.build();
    const r = lcg(77);
    const inputs = randomInputs(g, 77, {
      i: tensor(
        [8, 40],
        Array.from({ length: 320 }, () => Math.floor(r() * 90) * 61),
        'i32',
      ),
    });
    const sorted = await runOnGpu(g, inputs),
      plain = await runOnGpu(g, inputs, { sortScatters: false });
    expect(sorted.plan.dispatches.some((d) => d.label.startsWith('argsort'))).toBe(true);
    expect(plain.plan.dispatches.some((d) => d.label.startsWith('argsort'))).toBe(false);
    expect(sorted.outputs.y).toEqual(plain.outputs.y);
  });
});
