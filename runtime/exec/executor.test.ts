// Executor services beyond correctness: per-kernel profiling (FLAPC_DEBUG=4).
import { afterAll, describe, expect, it } from 'vitest';
import { compileGraph } from '../../compiler/compile.ts';
import { GraphBuilder } from '../../compiler/ir/builder.ts';
import * as nn from '../../compiler/ir/nn.ts';
import { testGpu } from '../testing/harness.ts';
import { Executable, reportProfile } from './executor.ts';

describe('executor profiling', async () => {
  const gpu = await testGpu();
  afterAll(() => {
    gpu.destroy();
  });

  it('times every dispatch of one run and reports them by kernel', async () => {
    const b = new GraphBuilder();
    b.output('y', nn.softmax(b, nn.linear(b, b.input('x', [16, 32]), b.param('w', [32, 8]), b.param('bb', [8]))));
    const { plan } = compileGraph(b.build(), { caps: gpu.caps, debug: 0 });
    const exe = await Executable.create(gpu, plan);
    const times = await exe.profile();
    const lines: string[] = [];
    await reportProfile(exe, (l) => lines.push(l));
    exe.destroy();
    if (!gpu.device.features.has('timestamp-query')) {
      expect(times).toBeNull();
      return;
    }
    expect(times!.map((t) => t.label)).toEqual(plan.dispatches.map((d) => d.label));
    for (const t of times!) expect(t.ms).toBeGreaterThanOrEqual(0);
    expect(lines[0]).toMatch(new RegExp(`^== per-kernel GPU time, one run: ${plan.dispatches.length} dispatches`));
    expect(lines.length).toBe(1 + new Set(plan.dispatches.map((d) => d.label)).size);
  });
});
