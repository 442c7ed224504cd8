// A whole FLAP training step compiled from a spec (masked views, text transformer,
// InfoNCE, MAE decoder, backward, clipping, AdamW) runs on Dawn and follows the float64
// reference interpreter for several steps.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { HYPER_NAME, adamwHyper } from '../../compiler/autodiff/train-step.ts';
import { type CompileOptions, compileGraph } from '../../compiler/compile.ts';
import { type Tensor, interpret, tensor } from '../../compiler/ir/interp.ts';
import { numel } from '../../compiler/ir/types.ts';
import { buildModel } from '../../compiler/frontend/compile-spec.ts';
import { Diagnostics, renderDiagnostics } from '../../compiler/frontend/diagnostics.ts';
import { lcg, testGpu } from '../testing/harness.ts';
import { initParam } from '../train/init.ts';
import { Executable } from './executor.ts';

const FIX = fileURLToPath(new URL('./fixtures/', import.meta.url));

async function trajectories(
  spec: string,
  steps: number,
  opts: Partial<CompileOptions> = {},
): Promise<{ gpu: number[][]; ref: number[][]; halfBindings: number; pipelines: number; shared: number }> {
  const d = new Diagnostics();
  const m = buildModel(join(FIX, spec), d);
  if (!m) throw new Error(renderDiagnostics(d.list, d.sources));
  const g = m.train.graph;
  const c = m.spec.config.train;
  const gpu = await testGpu();
  const plan = compileGraph(g, { caps: gpu.caps, debug: 0, ...opts }).plan;
  const exe = await Executable.create(gpu, plan);
  const state: Record<string, Tensor> = {};
  const byName = new Map(m.params.map((p) => [p.name, p]));
  for (const i of g.inputs) {
    const p = byName.get(i.name);
    if (p) state[i.name] = tensor(i.v.shape, Array.from(initParam(p, 1)));
    else if (i.role === 'state') state[i.name] = tensor(i.v.shape, new Array(numel(i.v.shape)).fill(0));
  }
  const r = lcg(5);
  const mel = tensor(
    g.inputs.find((i) => i.name === 'mel')!.v.shape,
    Array.from({ length: numel(g.inputs.find((i) => i.name === 'mel')!.v.shape) }, () => Math.fround(r() * 4 - 2)),
  );
  const tokShape = g.inputs.find((i) => i.name === 'tokens')!.v.shape;
  // captions of different lengths, padded with 0 ([PAD])
  const tokens = tensor(
    tokShape,
    Array.from({ length: numel(tokShape) }, (_, k) => (k % tokShape[1]! < 3 + (Math.floor(k / tokShape[1]!) % 4) ? 1 + Math.floor(r() * 299) : 0)),
    'i32',
  );
  const halfBindings = plan.dispatches.reduce((a, d) => a + (d.f16Outputs?.length ?? 0), 0);
  const shared = new Set(plan.dispatches.filter((d) => d.constants).map((d) => d.pipeline)).size;
  const out = { gpu: [] as number[][], ref: [] as number[][], halfBindings, pipelines: plan.pipelines.length, shared };
  for (const [name, t] of Object.entries(state)) exe.write(name, t.data);
  const cfg = { beta1: c.beta1 as number, beta2: c.beta2 as number, eps: c.eps as number, weightDecay: c.weight_decay as number, clipNorm: c.clip as number };
  for (let step = 1; step <= steps; step++) {
    const feed: Record<string, Tensor> = {
      mel,
      tokens,
      'rng.key': tensor([], [1000], 'u32'),
      [HYPER_NAME]: tensor([3], Array.from(adamwHyper(cfg, 1e-3, step))),
    };
    for (const [k, v] of Object.entries(feed)) exe.write(k, v.data);
    exe.run();
    const names = ['loss', 'grad_norm', ...m.train.losses.map((l) => `loss.${l.name}`)];
    out.gpu.push(await Promise.all(names.map(async (n) => (await exe.read(n))[0]!)));
    const res = interpret(g, { ...state, ...feed });
    out.ref.push(names.map((n) => res[n]!.data[0]!));
    for (const o of g.outputs) if (o.updates) state[o.updates] = res[o.name]!;
  }
  exe.destroy();
  return out;
}

describe('FLAP training step from a spec on Dawn vs float64 reference', () => {
  afterAll(async () => {
    (await testGpu()).destroy();
  });

  for (const spec of ['micro-flap.yaml', 'micro-flap-2d.yaml']) {
    it(`${spec}: loss, grad norm and per-loss values follow the reference for 3 steps`, async () => {
      const { gpu, ref } = await trajectories(spec, 3);
      for (let s = 0; s < ref.length; s++) {
        for (let k = 0; k < ref[s]!.length; k++) {
          const a = gpu[s]![k]!,
            b = ref[s]![k]!;
          expect(Math.abs(a - b), `step ${s + 1} value ${k}: gpu ${a} ref ${b}`).toBeLessThanOrEqual(2e-3 * Math.abs(b) + 1e-5);
        }
      }
      expect(ref[2]![0]).toBeLessThan(ref[0]![0]!); // it trains: same batch and masks, the loss falls
    }, 300_000);
  }

  // codegen/lift.ts: matmul kernels that differ only in integer constants share a pipeline and
  // read the constants from a uniform. Index arithmetic is exact, so the step must not change by
  // a single bit.
  it('micro-flap.yaml: shared matmul pipelines give bit-identical steps to one pipeline per kernel', async () => {
    const lifted = await trajectories('micro-flap.yaml', 3),
      plain = await trajectories('micro-flap.yaml', 3, { liftConstants: false });
    expect(lifted.shared).toBeGreaterThan(0);
    expect(lifted.pipelines).toBeLessThan(plain.pipelines);
    expect(plain.shared).toBe(0);
    expect(lifted.gpu).toEqual(plain.gpu);
  }, 300_000);

  // train.precision "f16" with every eligible value of the micro model stored as f16 (at real
  // sizes only values of >= 16384 elements are): each store rounds to f16's 11-bit significand
  // (unit roundoff 2^-11 = 4.9e-4) and the values pass through a dozen stores per step, so the
  // step's scalars are held to F16_RTOL = 16 unit roundoffs of the float64 reference.
  const F16_RTOL = 16 * 2 ** -11;
  it('micro-flap.yaml with f16 storage: loss, grad norm and per-loss values within f16 tolerance for 3 steps', async () => {
    const gpuCaps = (await testGpu()).caps;
    if (!gpuCaps.shaderF16) {
      // SwiftShader has no shader-f16: there the plan must be refused with the reason
      const d = new Diagnostics();
      const g = buildModel(join(FIX, 'micro-flap.yaml'), d)!.train.graph;
      expect(() => compileGraph(g, { caps: gpuCaps, debug: 0, precision: 'f16' })).toThrow('needs an adapter with the shader-f16 feature');
      return;
    }
    const { gpu, ref, halfBindings } = await trajectories('micro-flap.yaml', 3, { precision: 'f16', halfMinElements: 0 });
    expect(halfBindings).toBeGreaterThan(50);
    let worst = 0;
    for (let s = 0; s < ref.length; s++)
      for (let k = 0; k < ref[s]!.length; k++) {
        const a = gpu[s]![k]!,
          b = ref[s]![k]!;
        worst = Math.max(worst, Math.abs(a - b) / Math.abs(b));
        expect(Math.abs(a - b), `step ${s + 1} value ${k}: gpu ${a} ref ${b}`).toBeLessThanOrEqual(F16_RTOL * Math.abs(b) + 1e-5);
      }
    console.log(`f16 storage: worst relative difference from float64 ${worst.toExponential(2)}`);
    expect(gpu[2]![0]).toBeLessThan(gpu[0]![0]!);
  }, 300_000);
});
