// Executor services beyond correctness: per-kernel profiling (FLAPC_DEBUG=4), batched scalar reads.
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

  it('reads the first element of several values (outputs and inputs, f32 and i32) in one read-back', async () => {
    const b = new GraphBuilder();
    const x = b.input('x', [4, 3]);
    b.output('y', nn.linear(b, x, b.param('w', [3, 2]), b.param('bb', [2])));
    b.output('s', nn.softmax(b, x));
    b.input('ids', [5], 'i32');
    const { plan } = compileGraph(b.build(), { caps: gpu.caps, debug: 0 });
    const exe = await Executable.create(gpu, plan);
    exe.write(
      'x',
      Float32Array.from({ length: 12 }, (_, i) => i / 7 - 0.4),
    );
    exe.write(
      'w',
      Float32Array.from({ length: 6 }, (_, i) => 0.3 * i - 1),
    );
    exe.write('bb', [0.25, -0.5]);
    exe.write('ids', [-7, 2, 3, 4, 5]);
    exe.run();
    const names = ['y', 's', 'bb', 'ids', 'x'];
    const one = await exe.readScalars(names);
    const each = await Promise.all(names.map(async (n) => (await exe.read(n))[0]!));
    exe.destroy();
    expect(one).toEqual(each);
    expect(one[3]).toBe(-7);
    await expect(exe.readScalars(['nope'])).rejects.toThrow(/no value named 'nope'/);
  });
});
