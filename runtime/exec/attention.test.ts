// Fused attention on Dawn against the unfused float64 reference (matmul + softmax + matmul on
// the interpreter), forward and backward, over shapes that exercise the kernels' edges: rows
// not filling a workgroup, key counts not filling a tile or a chunk, with and without a key mask.
import { afterAll, describe, expect, it } from 'vitest';
import { grad } from '../../compiler/autodiff/grad.ts';
import { BASELINE_CAPS } from '../../compiler/caps.ts';
import { compileGraph } from '../../compiler/compile.ts';
import { GraphBuilder } from '../../compiler/ir/builder.ts';
import { type Tensor, interpret, tensor } from '../../compiler/ir/interp.ts';
import { type AttentionMode, attention } from '../../compiler/ir/nn.ts';
import type { Graph, Shape } from '../../compiler/ir/types.ts';
import { errorRatio, randomInputs, runOnGpu, testGpu } from '../testing/harness.ts';

afterAll(async () => {
  (await testGpu()).destroy();
});

interface Case {
  name: string;
  /** B, H, N (queries), M (keys), D (head width) */
  dims: [number, number, number, number, number];
  masked: boolean;
}

const CASES: Case[] = [
  { name: 'text-like: 40 tokens, key mask', dims: [2, 2, 40, 40, 16], masked: true },
  { name: 'audio view: 32 kept tokens of width 16', dims: [3, 4, 32, 32, 16], masked: false },
  { name: 'decoder-like: 128 tokens (two row blocks)', dims: [1, 2, 128, 128, 16], masked: false },
  { name: 'cross: 7 queries over 45 keys (partial chunk), width 8', dims: [2, 1, 7, 45, 8], masked: true },
  { name: 'head width 32, 70 keys', dims: [1, 2, 70, 70, 32], masked: true },
  { name: 'head width 4, one key', dims: [2, 1, 5, 1, 4], masked: false },
];

/** o = attention(q, k, v, mask) and the gradients of Σ o·w with respect to q, k and v. */
function attentionGraph(c: Case, mode: AttentionMode): Graph {
  const [B, H, N, M, D] = c.dims;
  const b = new GraphBuilder();
  const q = b.input('q', [B, H, N, D]);
  const k = b.input('k', [B, H, M, D]);
  const v = b.input('v', [B, H, M, D]);
  const mask = c.masked ? b.input('mask', [B, M]) : undefined;
  const w = b.input('w', [B, H, N, D]);
  const o = attention(b, q, k, v, mask, mode);
  const [dq, dk, dv] = grad(b, b.sum(b.mul(o, w)), [q, k, v]);
  b.output('o', o);
  b.output('dq', dq!);
  b.output('dk', dk!);
  b.output('dv', dv!);
  return b.build();
}

/** A key mask whose batch row r pads its last r·⌊M/3⌋ keys (the first key is always kept). */
function maskFor(B: number, M: number): Tensor {
  const kept = (r: number): number => Math.max(1, M - r * Math.floor(M / 3));
  return tensor(
    [B, M],
    Array.from({ length: B * M }, (_, i) => (i % M < kept(Math.floor(i / M)) ? 1 : 0)),
  );
}

function inputsFor(c: Case, g: Graph, seed: number): Record<string, Tensor> {
  const [B, , , M] = c.dims;
  return randomInputs(g, seed, c.masked ? { mask: maskFor(B, M) } : {});
}

const prims = (g: Graph): string[] => [...new Set(g.eqns.map((e) => e.prim).filter((p) => p.startsWith('attention')))].sort();

describe('fused attention', () => {
  it('lowers to the attention primitives (fused) or to matmul + softmax (unfused)', () => {
    expect(prims(attentionGraph(CASES[0]!, 'fused'))).toEqual(['attention', 'attention_dkv', 'attention_dq', 'attention_lse']);
    expect(prims(attentionGraph(CASES[0]!, 'unfused'))).toEqual([]);
  });

  it('the float64 interpreter agrees with the unfused decomposition (forward and gradients)', () => {
    for (const c of CASES.slice(0, 4)) {
      const fused = attentionGraph(c, 'fused');
      const ins = inputsFor(c, fused, 7);
      const a = interpret(fused, ins);
      const r = interpret(attentionGraph(c, 'unfused'), ins);
      for (const name of ['o', 'dq', 'dk', 'dv']) {
        const { ratio, at } = errorRatio(a[name]!.data, r[name]!.data, 1e-10, 1e-12);
        expect(ratio, `${c.name} ${name}[${at}]`).toBeLessThanOrEqual(1);
      }
    }
  });

  // CPU adapters get several rows per lane and no tiles; `gpu layout` compiles the GPU kernels
  // (workgroup-memory tiles, one row per lane) for this same adapter, so both are checked here.
  const runs = [...CASES.map((c) => ({ c, gpuLayout: false })), ...[3, 5].map((i) => ({ c: CASES[i]!, gpuLayout: true }))];
  for (const [n, { c, gpuLayout }] of runs.entries()) {
    it(`${c.name}${gpuLayout ? ' (gpu layout)' : ''}: Dawn matches the unfused float64 reference`, async () => {
      const fused = attentionGraph(c, 'fused');
      const ins = inputsFor(c, fused, 100 + n);
      const ref = interpret(attentionGraph(c, 'unfused'), ins);
      const caps = (await testGpu()).caps;
      // 2 KiB of workgroup memory: tiles of a few rows, so the tile loop and its partial last tile run
      const gpuCaps = { ...caps, cpu: false, maxComputeWorkgroupStorageSize: 2048 };
      const { outputs, plan } = await runOnGpu(fused, ins, gpuLayout ? { caps: gpuCaps } : {});
      expect(plan.pipelines.some((p) => p.label.startsWith('attention'))).toBe(true);
      for (const name of ['o', 'dq', 'dk', 'dv']) {
        // Scores of |s| up to ~2·2·D·scale go through exp: f32 rounding of the row sums
        // dominates, as in the unfused kernels (same tolerances as fusion.test.ts).
        const { ratio, at } = errorRatio(outputs[name]!, ref[name]!.data, 1e-4, 1e-4);
        expect(ratio, `${name}[${at}] gpu ${outputs[name]![at]} ref ${ref[name]!.data[at]}`).toBeLessThanOrEqual(1);
      }
    });
  }

  it('never materialises the scores: no buffer of the fused step is [B,H,N,M]', () => {
    const c: Case = { name: 'big', dims: [4, 4, 256, 256, 16], masked: true };
    const scores: Shape = [4, 4, 256, 256];
    const count = (g: Graph): number => {
      const { kernelGraph } = compileGraph(g, { caps: BASELINE_CAPS, debug: 0 });
      return g.eqns.flatMap((e) => e.outputs).filter((v) => kernelGraph.realized.has(v.id) && v.shape.join() === scores.join()).length;
    };
    expect(count(attentionGraph(c, 'fused'))).toBe(0);
    expect(count(attentionGraph(c, 'unfused'))).toBeGreaterThan(0);
  });
});
