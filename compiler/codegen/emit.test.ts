// The kernel preamble is derived from the ops a kernel uses: erf's and the RNG's helpers appear
// in exactly the kernels that call them, wherever in the kernel the call sits (the helper set is
// shared by every scope of a kernel, not threaded by hand).
import { describe, expect, it } from 'vitest';
import { BASELINE_CAPS } from '../caps.ts';
import { compileGraph } from '../compile.ts';
import { GraphBuilder } from '../ir/builder.ts';
import { RNG_WGSL } from '../ir/rng.ts';
import { ERF_WGSL } from './emit.ts';
import { ERF4_WGSL } from './vectorize.ts';

/** Whether the kernel defines the helper, and whether its code (the helper's text taken out) calls it. */
const defines = (w: string, helper: string): boolean => w.includes(helper);
const calls = (w: string, helper: string, name: string): boolean => w.replace(helper, '').includes(`${name}(`);

const wgslOf = (build: (b: GraphBuilder) => void): string[] => {
  const b = new GraphBuilder();
  build(b);
  return compileGraph(b.build(), { caps: BASELINE_CAPS, debug: 0 }).plan.pipelines.map((p) => p.wgsl);
};

describe('kernel preamble', () => {
  it('includes erf_f32 (erf_v4 in vectorised kernels) only where erf is used: elementwise, inside a reduction, in a matmul epilogue', () => {
    const cases = [
      wgslOf((b) => {
        b.output('y', b.exp(b.input('x', [8, 8])));
      }),
      wgslOf((b) => {
        b.output('y', b.erf(b.input('x', [8, 8])));
      }),
      wgslOf((b) => {
        b.output('y', b.erf(b.input('x', [3, 5])));
      }),
      wgslOf((b) => {
        b.output('y', b.sum(b.erf(b.input('x', [8, 8])), [1]));
      }),
      wgslOf((b) => {
        b.output('y', b.erf(b.matmul(b.input('a', [8, 16]), b.input('w', [16, 8]))));
      }),
    ];
    // [8, 8] elementwise and its row sums run four elements at a time (erf_v4); [3, 5] one per lane
    expect(cases.map((ws) => ws.some((w) => calls(w, ERF_WGSL, 'erf_f32')))).toEqual([false, false, true, false, true]);
    expect(cases.map((ws) => ws.some((w) => calls(w, ERF4_WGSL, 'erf_v4')))).toEqual([false, true, false, true, false]);
    for (const ws of cases)
      for (const w of ws) {
        expect(defines(w, ERF_WGSL)).toBe(calls(w, ERF_WGSL, 'erf_f32'));
        expect(defines(w, ERF4_WGSL)).toBe(calls(w, ERF4_WGSL, 'erf_v4'));
      }
  });

  it('includes the RNG only in kernels that draw random numbers', () => {
    const ws = wgslOf((b) => {
      const key = b.input('rng.key', [], 'u32');
      b.output('r', b.randomUniform(key, [4, 4], 7));
      b.output('z', b.exp(b.input('x', [4, 4])));
    });
    expect(ws.filter((w) => calls(w, RNG_WGSL, 'random_uniform')).length).toBeGreaterThan(0);
    expect(ws.filter((w) => !calls(w, RNG_WGSL, 'random_uniform')).length).toBeGreaterThan(0);
    for (const w of ws) expect(defines(w, RNG_WGSL)).toBe(calls(w, RNG_WGSL, 'random_uniform'));
  });
});
