// Compile helpers: when they run (lavapipe, its disk cache on, a spare core), and that a helper
// process compiles what it is sent (into the driver's cache, on lavapipe), reports failures
// without stopping, and exits when told.
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileGraph } from '../../compiler/compile.ts';
import { GraphBuilder } from '../../compiler/ir/builder.ts';
import * as nn from '../../compiler/ir/nn.ts';
import { Executable, firstUses } from '../exec/executor.ts';
import { testGpu } from '../testing/harness.ts';
import { CompileHelpers, MIN_PIPELINES, helperCount } from './compile-helpers.ts';

const LAVAPIPE = { device: 'llvmpipe (LLVM 15.0.6, 256 bits)' };

describe('how many compile helpers', () => {
  it('one per spare core (at most 3) on lavapipe with its shader cache on', () => {
    expect(helperCount(LAVAPIPE, {}, 2)).toEqual({ count: 1 });
    expect(helperCount(LAVAPIPE, {}, 16)).toEqual({ count: 3 });
    expect(helperCount(LAVAPIPE, {}, 1)).toEqual({ count: 0, why: 'one core' });
  });

  it('none on other drivers, with the cache off, or when FLAPC_COMPILE_HELPERS=0; N when asked', () => {
    expect(helperCount({ device: 'SwiftShader Device (Subzero)' }, {}, 8).count).toBe(0);
    expect(helperCount(LAVAPIPE, { MESA_SHADER_CACHE_DISABLE: 'true' }, 8)).toEqual({ count: 0, why: "Mesa's shader cache is off" });
    expect(helperCount(LAVAPIPE, { MESA_SHADER_CACHE_DISABLE: '1' }, 8).count).toBe(0);
    expect(helperCount(LAVAPIPE, { MESA_SHADER_CACHE_DISABLE: 'false' }, 8).count).toBe(1 + 2);
    expect(helperCount(LAVAPIPE, { FLAPC_COMPILE_HELPERS: '0' }, 8).count).toBe(0);
    expect(helperCount(LAVAPIPE, { FLAPC_COMPILE_HELPERS: '2' }, 2).count).toBe(2);
    expect(helperCount(LAVAPIPE, { FLAPC_COMPILE_HELPERS: 'two' }, 2)).toEqual({ count: 0, why: 'FLAPC_COMPILE_HELPERS=two is not a whole number >= 0' });
  });
});

describe('compile helper processes', async () => {
  const gpu = await testGpu();
  afterAll(() => gpu.destroy());
  const b = new GraphBuilder();
  let h = b.input('x', [16, 32]);
  for (const [i, w] of [24, 40, 12, 36].entries()) h = nn.gelu(b, nn.linear(b, h, b.param(`w${i}`, [h.shape[1]!, w]), b.param(`b${i}`, [w])));
  b.output('y', nn.softmax(b, nn.layerNorm(b, h, b.param('g', [36]), b.param('bb', [36]))));
  const { plan } = compileGraph(b.build(), { caps: gpu.caps, debug: 0 });

  it('lists each pipeline once, at its first dispatch, leaving out those the device has', () => {
    const uses = firstUses(plan);
    const order = [...new Set(plan.dispatches.map((d) => plan.pipelines[d.pipeline]!.wgsl))];
    expect(uses.map((u) => u.wgsl)).toEqual(order);
    expect(uses.length).toBeGreaterThanOrEqual(MIN_PIPELINES);
    const first = plan.dispatches.find((d) => plan.pipelines[d.pipeline]!.wgsl === uses[0]!.wgsl)!;
    expect(uses[0]!.bindings).toEqual(first.bindings.map((x) => x.bytes));
    const created = new Map([[plan.pipelines[first.pipeline]!.hash, null]]);
    expect(firstUses(plan, created).map((u) => u.wgsl)).toEqual(order.slice(1));
  });

  it('compiles what it is sent (into the shader cache on lavapipe), counts a bad pipeline, and exits when stopped', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'flapc-helper-cache-'));
    const helpers = new CompileHelpers(1, { env: { ...process.env, MESA_SHADER_CACHE_DIR: cache, MESA_DISK_CACHE_MULTI_FILE: 'true' } });
    const uses = firstUses(plan);
    helpers.warm([...uses, { wgsl: '@compute @workgroup_size(1) fn main() { let x: f32 = 1; x = 2; }', label: 'bad', bindings: [] }]);
    const [report] = await helpers.idle();
    expect(report).toMatchObject({ received: uses.length + 1, compiled: uses.length, dropped: 0, failed: 1, idle: true });
    // The bad one is the last of the batch, so the helper (walking backwards) met it first and went on.
    expect(report!.error).toMatch(/./);
    if (/llvmpipe/.test(gpu.report.device)) {
      // A cache entry per file here: lavapipe stores one per pipeline when it is created and one
      // per compiled variant at its first dispatch (without the dispatch, only the first kind).
      const files = (dir: string): number =>
        readdirSync(dir, { withFileTypes: true }).reduce((n, e) => n + (e.isDirectory() ? files(join(dir, e.name)) : 1), 0);
      expect(files(cache)).toBeGreaterThanOrEqual(2 * uses.length);
    }
    await helpers.stop();
    helpers.warm(uses);
    expect(await helpers.idle()).toEqual([report]);
  });

  it('an executable hands the device its new pipelines before creating them, and says when its first run is done', async () => {
    const handed: string[][] = [];
    let done = 0;
    const spy = {
      ...gpu,
      pipelineCache: new Map(),
      warm: (p: { wgsl: string }[]) => {
        handed.push(p.map((u) => u.wgsl));
        return () => done++;
      },
    };
    const exe = await Executable.create(spy, plan);
    const again = await Executable.create(spy, plan);
    expect(handed).toEqual([firstUses(plan).map((u) => u.wgsl), []]);
    expect(done).toBe(0);
    exe.run();
    await exe.sync();
    exe.run();
    await exe.sync();
    expect(done).toBe(1);
    exe.destroy();
    again.destroy();
  });

  it('drops what is left of a batch when told', async () => {
    const helpers = new CompileHelpers(1);
    const uses = firstUses(plan);
    helpers.warm(uses.slice(0, MIN_PIPELINES))();
    const [report] = await helpers.idle();
    // The drop reaches the helper before its device is up, so it builds none; either way nothing is lost.
    expect(report!.compiled + report!.dropped).toBe(MIN_PIPELINES);
    expect(report!.dropped).toBeGreaterThan(0);
    await helpers.stop();
  });
});
