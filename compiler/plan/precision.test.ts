// train.precision "f16": which values are stored as f16, what that does to the memory plan and
// kernels, and the located error on an adapter without shader-f16. (The numbers a step computes
// with f16 storage are checked against float64 in runtime/exec/spec-step.test.ts.)
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BASELINE_CAPS } from '../caps.ts';
import { compileGraph } from '../compile.ts';
import { buildModel, compileSpec } from '../frontend/compile-spec.ts';
import { Diagnostics, renderDiagnostics } from '../frontend/diagnostics.ts';
import { numel } from '../ir/types.ts';
import type { Plan } from './plan.ts';
import { SMALL, halfStorage } from './precision.ts';

const F16_CAPS = { ...BASELINE_CAPS, shaderF16: true };
const TINY = fileURLToPath(new URL('../../models/flap-tiny.yaml', import.meta.url));
const TINY_F16 = fileURLToPath(new URL('../../bench/specs/flap-tiny-f16.yaml', import.meta.url));

function tinyTrain() {
  const d = new Diagnostics();
  const m = buildModel(TINY, d);
  if (!m) throw new Error(renderDiagnostics(d.list, d.sources));
  return m.train.graph;
}

/** Binding slots of dispatch i that write f32 values (outputs are the read_write bindings that
 *  are not inputs; found through the plan's own buffers, independent of f32Outputs). */
function f32Floats(p: Plan, i: number): number[] {
  const d = p.dispatches[i]!;
  const wgsl = p.pipelines[d.pipeline]!.wgsl;
  return d.bindings.flatMap((_, slot) => {
    const m = new RegExp(`@binding\\(${slot}\\) var<storage, read_write> out\\d+: array<(f32|f16|vec4<f32>|vec4<f16>)>`).exec(wgsl);
    return m ? [slot] : [];
  });
}

describe('f16 storage', () => {
  it('stores large temporaries as f16 and keeps weights, moments, gradients AdamW reads, argsort keys and small values f32', () => {
    const g = tinyTrain();
    const { kernelGraph: kg } = compileGraph(g, { caps: F16_CAPS, debug: 0 });
    const half = halfStorage(kg);
    expect(half.size).toBeGreaterThan(100);
    const io = new Set([...g.inputs.map((i) => i.v.id), ...g.outputs.map((o) => o.v.id)]);
    const updates = new Set(g.outputs.filter((o) => o.updates).map((o) => o.v.id));
    for (const k of kg.kernels) {
      for (const o of k.outputs) {
        if (!half.has(o.id)) continue;
        expect(io.has(o.id)).toBe(false);
        expect(o.dtype).toBe('f32');
        expect(numel(o.shape)).toBeGreaterThanOrEqual(SMALL);
        expect(['scatter_add', 'attention']).not.toContain(k.kind);
      }
      if (k.kind === 'argsort' || k.outputs.some((o) => updates.has(o.id))) for (const v of k.inputs) expect(half.has(v.id)).toBe(false);
    }
  });

  it('halves the temporaries in the memory plan; kernels declare f16 bindings and enable f16', () => {
    const g = tinyTrain();
    const f32 = compileGraph(g, { caps: F16_CAPS, debug: 0 }).plan;
    const f16 = compileGraph(g, { caps: F16_CAPS, debug: 0, precision: 'f16' }).plan;
    const temp = (p: typeof f32): number => p.buffers.filter((b) => b.kind === 'temp').reduce((a, b) => a + b.bytes, 0);
    const resident = (p: typeof f32): number => p.buffers.filter((b) => b.kind !== 'temp').reduce((a, b) => a + b.bytes, 0);
    expect(resident(f16)).toBe(resident(f32));
    expect(temp(f16)).toBeLessThan(0.62 * temp(f32));
    expect(f16.stats.bufferBytes / f16.stats.liveBytesLowerBound!).toBeLessThanOrEqual(1.2);
    const halfKernels = f16.pipelines.filter((p) => /array<(vec4<)?f16>/.test(p.wgsl));
    expect(halfKernels.length).toBeGreaterThan(50);
    for (const p of halfKernels) expect(p.wgsl.startsWith('enable f16;')).toBe(true);
    expect(f32.pipelines.some((p) => p.wgsl.includes('f16'))).toBe(false);
    expect(f16.dispatches.some((d) => (d.f16Outputs?.length ?? 0) > 0)).toBe(true);
    // the trainer's non-finite hunt reads every float output, f32 or f16, and nothing else
    for (const p of [f32, f16])
      p.dispatches.forEach((d, i) => {
        const listed = [...(d.f32Outputs ?? []), ...(d.f16Outputs ?? [])].sort();
        const floats = f32Floats(p, i);
        expect(listed, `dispatch ${i} ${d.label}`).toEqual(floats);
      });
    expect(f32.dispatches.every((d) => d.f16Outputs === undefined)).toBe(true);
  });

  it('is refused, at the knob, on an adapter without shader-f16', () => {
    const d = new Diagnostics();
    expect(compileSpec(TINY_F16, BASELINE_CAPS, d)).toBeUndefined();
    const text = renderDiagnostics(d.list, d.sources);
    expect(text).toContain('flap-tiny-f16.yaml:');
    expect(text).toContain('train.precision "f16" needs an adapter with the shader-f16 feature');
    expect(text).toContain('precision: "f16"');
  });
});
