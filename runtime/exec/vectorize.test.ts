// Elementwise kernels four elements per lane and row reductions four elements per step
// (compiler/codegen/vectorize.ts) on Dawn: every vector rule against the float64 reference and
// against the same graph compiled one element per lane (bit for bit where the order of the
// arithmetic is the same: all but sums, which add four partial sums), and the kernels that must
// stay scalar do.
import { afterAll, describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../compiler/ir/builder.ts';
import type { Var } from '../../compiler/ir/types.ts';
import { F32_TOL, errorRatio, randomInputs, reference, runOnGpu, testGpu } from '../testing/harness.ts';

interface Case {
  name: string;
  build: (b: GraphBuilder) => Var;
  /** Whether the kernel that computes y runs four elements per lane (or step). */
  vector: boolean;
  /** Sums in another order: equal to the one-per-lane kernel within f32 tolerance, not bit for bit. */
  reordered?: boolean;
  /**
   * A sum of thousands of terms: F32_TOL against float64 is out of reach of any f32 summation
   * order there (pairwise f32 summation of the same inputs lands 1-4x outside it on random data),
   * so the kernel's worst error is held to that of pairwise summation (Higham, "Accuracy and
   * Stability of Numerical Algorithms", 4.2) instead, both for the vector and the one-per-lane kernel.
   */
  pairwise?: { rows: number; cols: number };
  /** Against float64 (default F32_TOL). */
  tol?: { rtol: number; atol: number };
}

// WGSL guarantees sin and cos only to 2^-11 absolute on [-pi, pi] (SwiftShader uses that latitude).
const TRIG_TOL = { rtol: 0, atol: 2 ** -11 };

const VECTOR_MARKS = ['let e0 = gid * 4;', '(k0 * 4)', 'let colc = min(col, '];

const CASES: Case[] = [
  {
    name: 'unary prims',
    vector: true,
    build: (b) => {
      const x = b.input('x', [4, 8]);
      const p = b.add(b.abs(x), 0.5);
      const parts = [b.neg(x), b.exp(x), b.log(p), b.sqrt(p), b.rsqrt(p), b.tanh(b.mul(x, 9)), b.recip(p), b.erf(x)];
      return parts.reduce((a, c) => b.add(a, c));
    },
  },
  { name: 'sin', vector: true, tol: TRIG_TOL, build: (b) => b.sin(b.input('x', [4, 8])) },
  { name: 'cos', vector: true, tol: TRIG_TOL, build: (b) => b.cos(b.input('x', [4, 8])) },
  {
    name: 'binary prims, compare and select',
    vector: true,
    build: (b) => {
      const x = b.input('x', [3, 12]),
        y = b.input('y', [3, 12]);
      const p = b.add(b.abs(y), 0.25);
      const s = b.add(b.add(b.sub(x, y), b.mul(x, y)), b.add(b.div(x, p), b.pow(p, x)));
      return b.add(s, b.select(b.lt(x, y), b.maximum(x, y), b.select(b.le(y, x), b.minimum(x, y), b.select(b.eq(x, x), x, y))));
    },
  },
  {
    name: 'row vector broadcast (vec4 reads) and column broadcast (one scalar for four)',
    vector: true,
    build: (b) => b.add(b.mul(b.input('x', [6, 16]), b.input('row', [16])), b.input('col', [6, 1])),
  },
  {
    name: 'scalar broadcast and constants',
    vector: true,
    build: (b) => b.mul(b.add(b.input('x', [5, 8]), b.input('s', [])), 3),
  },
  {
    name: 'transpose that keeps the last axis',
    vector: true,
    build: (b) => b.add(b.transpose(b.input('x', [2, 3, 8]), [1, 0, 2]), b.input('y', [3, 2, 8])),
  },
  {
    name: 'slice of leading axes',
    vector: true,
    build: (b) => b.mul(b.slice(b.input('x', [6, 2, 8]), [1, 0, 0], [5, 2, 8]), 2),
  },
  {
    name: 'iota along the last axis and along another, cast to f32',
    vector: true,
    build: (b) => b.add(b.input('x', [3, 8]), b.add(b.cast(b.iota([3, 8], 1), 'f32'), b.mul(b.cast(b.iota([3, 8], 0), 'f32'), 10))),
  },
  {
    name: 'bool and i32 through casts',
    vector: true,
    build: (b) => {
      const x = b.input('x', [4, 4]);
      const i = b.add(b.cast(b.mul(x, 3), 'i32'), b.cast(b.lt(x, 0), 'i32'));
      return b.add(b.cast(i, 'f32'), b.cast(b.cast(b.abs(x), 'bool'), 'f32'));
    },
  },
  {
    name: 'reshape between elementwise ops',
    vector: true,
    build: (b) => b.mul(b.reshape(b.exp(b.input('x', [4, 6, 4])), [24, 4]), b.input('w', [24, 4])),
  },
  { name: 'a last-axis slice stays scalar', vector: false, build: (b) => b.mul(b.slice(b.input('x', [4, 10]), [0, 1], [4, 9]), 2) },
  {
    name: 'a last-axis slice from a multiple of 4 (a head cut from a q|k|v row)',
    vector: true,
    build: (b) => b.mul(b.slice(b.input('x', [3, 2, 24]), [1, 0, 8], [3, 2, 16]), 2),
  },
  {
    name: 'last-axis pads by multiples of 4 (a slice gradient: dq | dk | dv), and a pad of a leading axis',
    vector: true,
    build: (b) => {
      const x = b.input('x', [3, 8]);
      const parts = b.add(b.add(b.pad(x, [0, 0], [0, 16]), b.pad(b.input('y', [3, 8]), [0, 8], [0, 8])), b.pad(b.input('z', [3, 8]), [0, 16], [0, 0]));
      return b.add(parts, b.pad(b.input('w', [1, 24]), [2, 0], [0, 0]));
    },
  },
  { name: 'a last-axis pad by 2 stays scalar', vector: false, build: (b) => b.mul(b.pad(b.input('x', [3, 8]), [0, 2], [0, 2]), 2) },
  { name: 'a transpose of the last axis stays scalar', vector: false, build: (b) => b.add(b.transpose(b.input('x', [8, 4]), [1, 0]), 1) },
  { name: 'a size that is not a multiple of 4 stays scalar', vector: false, build: (b) => b.exp(b.input('x', [3, 5])) },
  {
    name: 'row sum of an elementwise expression with a broadcast row',
    vector: true,
    reordered: true,
    build: (b) => b.sum(b.mul(b.exp(b.input('x', [9, 2, 20])), b.input('w', [20])), [2]),
  },
  { name: 'row max', vector: true, build: (b) => b.max(b.add(b.input('x', [7, 12]), b.input('c', [7, 1])), [1]) },
  {
    name: 'softmax rows (two stages and a full-row output)',
    vector: true,
    reordered: true,
    build: (b) => {
      const x = b.input('x', [6, 3, 16]);
      const e = b.exp(b.sub(x, b.max(x, [2], true)));
      return b.div(e, b.sum(e, [2], true));
    },
  },
  {
    name: 'layer norm rows',
    vector: true,
    reordered: true,
    build: (b) => {
      const x = b.input('x', [10, 32]);
      const c = b.sub(x, b.mean(x, [1], true));
      return b.add(b.mul(b.mul(c, b.rsqrt(b.add(b.mean(b.mul(c, c), [1], true), 1e-5))), b.input('g', [32])), b.input('bias', [32]));
    },
  },
  // column reductions (a bias gradient): four columns per lane, phases of k meeting in workgroup
  // memory, or one phase on CPU adapters (both forms run in each case)
  { name: 'column sum', vector: true, reordered: true, build: (b) => b.sum(b.input('x', [12, 8]), [0]) },
  {
    name: 'column sum over two leading axes of an expression with a broadcast row',
    vector: true,
    reordered: true,
    build: (b) => b.sum(b.mul(b.add(b.input('x', [3, 50, 16]), 1), b.input('c', [16])), [0, 1]),
  },
  { name: 'column max (a partial last workgroup)', vector: true, build: (b) => b.max(b.input('x', [300, 260]), [0]) },
  {
    name: 'column sum of a bias gradient size',
    vector: true,
    reordered: true,
    pairwise: { rows: 2048, cols: 256 },
    build: (b) => b.sum(b.input('x', [16, 128, 256]), [0, 1]),
  },
  { name: 'a sum over a middle axis stays scalar', vector: false, build: (b) => b.sum(b.input('x', [4, 6, 8]), [1]) },
  { name: 'a column sum of odd width stays scalar', vector: false, build: (b) => b.sum(b.input('x', [12, 10]), [0]) },
  { name: 'a row sum of odd length stays scalar', vector: false, build: (b) => b.sum(b.input('x', [12, 10]), [1]) },
];

/** Column sums of a rows x cols matrix, as f32 on the GPU, by pairwise summation in f32 (halves, recursively). */
function pairwiseColumnSums(x: ArrayLike<number>, rows: number, cols: number): Float32Array {
  const f = Math.fround;
  const sum = (c: number, lo: number, hi: number): number =>
    hi - lo === 1 ? f(x[lo * cols + c]!) : f(sum(c, lo, (lo + hi) >> 1) + sum(c, (lo + hi) >> 1, hi));
  return Float32Array.from({ length: cols }, (_, c) => sum(c, 0, rows));
}

describe('elementwise kernels four elements per lane', () => {
  afterAll(async () => {
    (await testGpu()).destroy();
  });

  CASES.forEach((c, n) => {
    it(c.name, async () => {
      const b = new GraphBuilder();
      b.output('y', c.build(b));
      const g = b.build();
      const inputs = randomInputs(g, 300 + n);
      const gpu = await testGpu();
      const vec = await runOnGpu(g, inputs),
        scalar = await runOnGpu(g, inputs, { vectorize: false });
      const marked = (p: typeof vec.plan): boolean => p.pipelines.some((q) => VECTOR_MARKS.some((m) => q.wgsl.includes(m)));
      expect(marked(vec.plan)).toBe(c.vector);
      expect(marked(scalar.plan)).toBe(false);
      const runs = [vec];
      // column sums: both forms on every adapter (one lane per column group on CPU adapters,
      // phases meeting in workgroup memory on others)
      const column = (p: typeof vec.plan): boolean => p.pipelines.some((q) => q.wgsl.includes('let colc = min(col, '));
      if (column(vec.plan)) {
        const barrier = (p: typeof vec.plan): boolean => p.pipelines.some((q) => q.wgsl.includes('workgroupBarrier();'));
        expect(barrier(vec.plan)).toBe(!gpu.caps.cpu);
        const other = await runOnGpu(g, inputs, { caps: { ...gpu.caps, cpu: !gpu.caps.cpu } });
        expect(barrier(other.plan)).toBe(gpu.caps.cpu);
        runs.push(other);
      }
      const ref = reference(g, inputs).y!;
      for (const run of runs) {
        if (c.pairwise) {
          const worst = (y: ArrayLike<number>): number => Math.max(...Array.from(ref.data, (r, j) => Math.abs(y[j]! - r)));
          const pw = pairwiseColumnSums(inputs.x!.data, c.pairwise.rows, c.pairwise.cols);
          // measured (5 seeds): blocked 3.4-4.5e-5, one-per-lane tree 3.9-4.5e-5, pairwise 5.8-6.4e-5
          expect(worst(run.outputs.y!)).toBeLessThanOrEqual(worst(pw));
          expect(worst(scalar.outputs.y!)).toBeLessThanOrEqual(worst(pw));
          continue;
        }
        const tol = c.tol ?? F32_TOL;
        const { ratio, at } = errorRatio(run.outputs.y!, ref.data, tol.rtol, tol.atol);
        expect(ratio, `worst at ${at}: gpu ${run.outputs.y![at]} ref ${ref.data[at]}`).toBeLessThanOrEqual(1);
        if (!c.reordered) expect(run.outputs.y).toEqual(scalar.outputs.y);
        else expect(errorRatio(run.outputs.y!, scalar.outputs.y!, F32_TOL.rtol, F32_TOL.atol).ratio).toBeLessThanOrEqual(1);
      }
    });
  });
});
