// `flapc run bench step` (the function behind it): every spec timed, its FLOPs from the plan, and
// the profile's kernel classes covering every dispatch. Speed itself is measured in bench/, not here.
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { testGpu } from '../testing/harness.ts';
import { useTempCacheDir } from '../testing/temp-cache.ts';
import { KERNEL_CLASSES, benchStep, kernelClass, sourceLine } from './step.ts';

const MICRO = fileURLToPath(new URL('../exec/fixtures/micro-flap.yaml', import.meta.url));

describe('training-step benchmark', async () => {
  const gpu = await testGpu();
  useTempCacheDir('flapc-bench-step-');
  afterAll(() => {
    gpu.destroy();
  });

  it('classifies kernels by what they compute', () => {
    expect(kernelClass('matmul_12', 'models/flap.yaml:3:4')).toBe('matmul');
    expect(kernelClass('reduce_7', 'grad of broadcast at x')).toBe('reduction/row');
    expect(kernelClass('elementwise_1_2', undefined)).toBe('elementwise');
    expect(kernelClass('scatter_add_3', undefined)).toBe('scatter/sort');
    expect(kernelClass('argsort_9', undefined)).toBe('scatter/sort');
    expect(kernelClass('elementwise_4_5', 'optimizer')).toBe('optimizer');
    expect(sourceLine('grad of matmul at models/flap.yaml:94:19')).toBe('models/flap.yaml:94:19');
    expect(sourceLine('models/flap.yaml:94:19')).toBe('models/flap.yaml:94:19');
  });

  it('times each spec and accounts every dispatch of its step in the profile', async () => {
    const r = await benchStep(gpu, [MICRO], { steps: 3, profile: true, log: () => {} });
    const x = r.results[0]!;
    expect(x.name).toBe('micro-flap');
    expect(x.ms).toBeGreaterThan(0);
    expect(x.gflops).toBeCloseTo(x.gflop / (x.ms / 1000), 9);
    expect(x.dispatches).toBeGreaterThan(50);
    expect(r.largeMatmulGflops).toBeGreaterThan(0);
    expect(x.roofline).toBeCloseTo(x.gflops / r.largeMatmulGflops!, 9);
    if (gpu.device.features.has('timestamp-query')) {
      const p = x.profile!;
      expect(Object.keys(p.classes)).toEqual([...KERNEL_CLASSES]);
      expect(Object.values(p.classes).reduce((a, e) => a + e.dispatches, 0)).toBe(x.dispatches);
      expect(Object.values(p.classes).reduce((a, e) => a + e.gflop, 0)).toBeCloseTo(x.gflop, 6);
      expect(p.classes.matmul.dispatches).toBeGreaterThan(0);
      expect(p.classes.optimizer.dispatches).toBeGreaterThan(0);
      expect(p.lines.reduce((a, l) => a + l.dispatches, 0)).toBe(x.dispatches);
      expect(p.lines.some((l) => l.at === 'optimizer')).toBe(true);
      expect(p.lines.some((l) => /flap\.yaml:\d+:\d+$/.test(l.at))).toBe(true);
      expect(p.lines.every((l) => !l.at.startsWith('grad of'))).toBe(true);
    }
  });
});
