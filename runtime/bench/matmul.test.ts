// `flapc run bench matmul` (the function behind it): every usable variant and tfjs-webgpu on the
// same device, each result checked against float64, the tuned choice marked, its ratio to
// tfjs computed, and a per-dispatch overhead. Speed itself is measured in bench/, not here.
import { afterAll, describe, expect, it } from 'vitest';
import { MATMUL_VARIANTS, usable } from '../../compiler/codegen/matmul.ts';
import { testGpu } from '../testing/harness.ts';
import { useTempCacheDir } from '../testing/temp-cache.ts';
import { tuneMatmul } from '../tune/matmul-tune.ts';
import { benchMatmul } from './matmul.ts';

describe('matmul benchmark', async () => {
  const gpu = await testGpu();
  useTempCacheDir('flapc-bench-');
  afterAll(() => {
    gpu.destroy();
  });

  it('times every usable variant and tfjs-webgpu on one device, each checked, with the tuned choice and ratio', async () => {
    const rec = await tuneMatmul(gpu, () => {}, { small: 16, medium: [24, 8, 16], large: 24 });
    const { results, perDispatchUs } = await benchMatmul(gpu, { sizes: [36, 64], rounds: 3, json: true, tfjs: true, log: () => {} });
    const names = Object.keys(MATMUL_VARIANTS).filter((n) => usable(n, gpu.caps));
    expect(results.map((r) => r.size)).toEqual([36, 64]);
    for (const r of results) {
      expect(r.entries.map((e) => e.name).sort()).toEqual([...names, 'tfjs-webgpu'].sort());
      for (const e of r.entries) {
        expect(e.maxRelErr, e.name).toBeLessThan(1e-5);
        expect(e.gflops, e.name).toBeGreaterThan(0);
        expect(e.msPerRun).toBeCloseTo((2 * r.size ** 3) / (e.gflops * 1e6), 6);
      }
      expect(r.chosen).toBe(rec.tuning.small); // 36³ and 64³ are in the small class
      const mine = r.entries.find((e) => e.name === r.chosen)!.gflops,
        peer = r.entries.find((e) => e.name === 'tfjs-webgpu')!.gflops;
      expect(r.chosenVsTfjs).toBeCloseTo(mine / peer, 9);
    }
    expect(perDispatchUs).toBeGreaterThan(0);
  }, 300_000);
});
