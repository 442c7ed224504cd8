import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { compileGraph } from '../../compiler/compile.ts';
import { buildModel } from '../../compiler/frontend/compile-spec.ts';
import { Diagnostics, renderDiagnostics } from '../../compiler/frontend/diagnostics.ts';
import { numel } from '../../compiler/ir/types.ts';
import type { Plan, PlanDispatch } from '../../compiler/plan/plan.ts';
import { AUDIO_EMB, MEL, TEXT_EMB, TOKENS } from '../../compiler/names.ts';
import { lcg, testGpu } from '../testing/harness.ts';
import { initParam } from '../train/init.ts';
import { Executable } from './executor.ts';
import { sliceFor } from './slice.ts';

// A dispatch reading buffers `reads` and writing `writes` (binding slots in that order).
const disp = (label: string, reads: number[], writes: number[], inPlace: number[] = []): PlanDispatch => ({
  pipeline: 0,
  label,
  flops: 0,
  workgroups: [1, 1, 1],
  bindings: [...reads, ...writes].map((buffer) => ({ buffer, bytes: 4 })),
  writes: writes.map((_, i) => reads.length + i),
  ...(inPlace.length > 0 && { inPlace: inPlace.map((b) => reads.length + writes.indexOf(b)) }),
});
const plan = (dispatches: PlanDispatch[], outputs: [string, number][], copies: Plan['copies'] = []): Plan => ({
  format: 'flapc-plan',
  version: 1,
  buffers: Array.from({ length: 10 }, () => ({ bytes: 4, kind: 'temp' as const })),
  pipelines: [],
  dispatches,
  copies,
  inputs: [],
  outputs: outputs.map(([name, buffer]) => ({ name, shape: [1], dtype: 'f32' as const, buffer })),
  stats: { equations: 0, kernels: 0, pipelines: 0, flops: 0, bufferBytes: 0, paramCount: 0 },
});

describe('plan slices', () => {
  it('keeps the chain an output depends on, through a buffer the planner reused for another value', () => {
    // b1 holds x (d0) until d1 reads it, then y (d2), which only output B needs.
    const p = plan(
      [disp('x', [0], [1]), disp('A', [1], [2]), disp('y', [0], [1]), disp('B', [1], [3])],
      [
        ['A', 2],
        ['B', 3],
      ],
    );
    expect(sliceFor(p, ['A'])!.dispatches).toEqual([true, true, false, false]);
    expect(sliceFor(p, ['B'])!.dispatches).toEqual([false, false, true, true]);
    expect(sliceFor(p, ['A', 'B'])!.dispatches).toEqual([true, true, true, true]);
    expect([...sliceFor(p, ['A'])!.reads]).toEqual([0]);
  });

  it('an update in place keeps what came before it; a plain overwrite does not', () => {
    const inPlace = plan([disp('init', [0], [1]), disp('bump', [4], [1], [1])], [['out', 1]]);
    expect(sliceFor(inPlace, ['out'])!.dispatches).toEqual([true, true]);
    const overwrite = plan([disp('init', [0], [1]), disp('set', [4], [1])], [['out', 1]]);
    expect(sliceFor(overwrite, ['out'])!.dispatches).toEqual([false, true]);
    expect([...sliceFor(overwrite, ['out'])!.reads]).toEqual([4]);
  });

  it('follows end-of-run copies back to the buffer they copy from', () => {
    const p = plan([disp('w', [0], [5]), disp('other', [0], [6])], [['state', 7]], [{ from: 5, to: 7, bytes: 4 }]);
    expect(sliceFor(p, ['state'])).toMatchObject({ dispatches: [true, false], copies: [true] });
  });

  it('a plan without recorded writes (an older one) gives no slice; an unknown output is an error', () => {
    const p = plan([disp('x', [0], [1])], [['x', 1]]);
    delete p.dispatches[0]!.writes;
    expect(sliceFor(p, ['x'])).toBeNull();
    expect(() => sliceFor(plan([], [['x', 1]]), ['y'])).toThrow("plan has no output 'y' (has: x)");
  });
});

// The compiled evaluation plan of a micro FLAP model: each tower alone gives bit for bit what
// the whole plan gives, and skips the other tower's dispatches.
describe('evaluation plan slices on Dawn', () => {
  afterAll(async () => {
    (await testGpu()).destroy();
  });

  it('micro-flap.yaml: audio and text embeddings from their own slices equal the full run', async () => {
    const d = new Diagnostics();
    const m = buildModel(fileURLToPath(new URL('./fixtures/micro-flap.yaml', import.meta.url)), d);
    if (!m) throw new Error(renderDiagnostics(d.list, d.sources));
    const gpu = await testGpu();
    const p = compileGraph(m.eval.graph, { caps: gpu.caps, debug: 0 }).plan;
    const exe = await Executable.create(gpu, p);
    try {
      for (const param of m.params) if (p.inputs.some((i) => i.name === param.name)) exe.write(param.name, initParam(param, 3));
      const r = lcg(9);
      const feed = (name: string, f: (k: number) => number): void => {
        const io = p.inputs.find((i) => i.name === name)!;
        exe.write(
          name,
          Array.from({ length: numel(io.shape) }, (_, k) => f(k)),
        );
      };
      feed(MEL, () => Math.fround(r() * 4 - 2));
      const maxTokens = p.inputs.find((i) => i.name === TOKENS)!.shape[1]!;
      feed(TOKENS, (k) => (k % maxTokens < 5 ? 1 + Math.floor(r() * 200) : 0));
      exe.run();
      const audio = await exe.read(AUDIO_EMB),
        text = await exe.read(TEXT_EMB);
      for (const [out, want] of [
        [AUDIO_EMB, audio],
        [TEXT_EMB, text],
      ] as const) {
        exe.run([out]);
        expect(await exe.read(out)).toEqual(want);
        const kept = exe.slice([out])!.dispatches.filter(Boolean).length;
        expect(kept, `${out}: ${kept} of ${p.dispatches.length} dispatches`).toBeLessThan(0.8 * p.dispatches.length);
      }
      expect(exe.reads(MEL, [TEXT_EMB])).toBe(false);
      expect(exe.reads(TOKENS, [AUDIO_EMB])).toBe(false);
      expect(exe.reads(MEL, [AUDIO_EMB])).toBe(true);
    } finally {
      exe.destroy();
    }
  }, 300_000);
});
