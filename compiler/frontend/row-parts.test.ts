// stdlib's mlp and attention cut values that would not fit one storage binding into pieces of
// axis 0 (row_parts). Those paths only run at paper-scale batches, so here a micro FLAP is
// elaborated with a tiny binding size that forces them, and its whole training step (both
// losses, backward, clipping, AdamW) must compute what the uncut graph computes, in float64.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { HYPER_NAME, adamwHyper } from '../autodiff/train-step.ts';
import { type Tensor, interpret, tensor } from '../ir/interp.ts';
import { lcg } from '../ir/lcg.ts';
import { rowParts } from '../ir/nn.ts';
import { type Graph, numel } from '../ir/types.ts';
import { BASELINE_CAPS } from '../caps.ts';
import { buildModel, compileSpec } from './compile-spec.ts';
import { Diagnostics, renderDiagnostics } from './diagnostics.ts';

const MICRO = fileURLToPath(new URL('../../runtime/exec/fixtures/micro-flap.yaml', import.meta.url));

function trainGraph(bindingBytes?: number): Graph {
  const d = new Diagnostics();
  const m = buildModel(MICRO, d, undefined, bindingBytes === undefined ? undefined : { bindingBytes });
  if (!m) throw new Error(renderDiagnostics(d.list, d.sources));
  return m.train.graph;
}

function feeds(g: Graph): Record<string, Tensor> {
  const r = lcg(11, true);
  const out: Record<string, Tensor> = {};
  for (const i of g.inputs) {
    const n = numel(i.v.shape);
    if (i.name === 'tokens')
      out[i.name] = tensor(
        i.v.shape,
        Array.from({ length: n }, (_, k) => (k % 8 < 3 + (k % 3) ? 1 + ((k * 37) % 299) : 0)),
        'i32',
      );
    else if (i.name === 'rng.key') out[i.name] = tensor([], [1234], 'u32');
    else if (i.name === HYPER_NAME)
      out[i.name] = tensor(i.v.shape, Array.from(adamwHyper({ beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.05, clipNorm: 1 }, 1e-3, 1)));
    else if (i.role === 'state') out[i.name] = tensor(i.v.shape, new Array(n).fill(0));
    else
      out[i.name] = tensor(
        i.v.shape,
        Array.from({ length: n }, () => r() * 0.6),
        i.v.dtype,
      );
  }
  return out;
}

const count = (g: Graph, prim: string): number => g.eqns.filter((e) => e.prim === prim).length;

describe('row_parts: values too large for one binding are cut along axis 0', () => {
  it('counts pieces of at most the rows that fit, every piece non-empty', () => {
    expect(rowParts([64, 512], 3072)).toBe(4); // paper-scale encoder MLP at batch 64: 384 MiB
    expect(rowParts([16, 512], 3072)).toBe(1);
    expect(rowParts([4, 8], 64, 2048)).toBe(4);
    expect(rowParts([4, 8], 64, 512)).toBeUndefined(); // one row of axis 0 is 2 KiB
    for (let n = 1; n < 60; n++)
      for (let fit = 1; fit <= n; fit++) {
        const p = rowParts([n], 1, fit * 4)!;
        const step = Math.ceil(n / p);
        expect(step).toBeLessThanOrEqual(fit);
        expect(Math.ceil(n / step)).toBe(p);
      }
  });

  it('a micro FLAP step with cut MLPs and qkv products equals the uncut step in float64', () => {
    const whole = trainGraph();
    // 2 KiB bindings: the text encoder's and decoder's [4, 8, 64] MLP activations and
    // [4, 8, 48] qkv products are cut into 4 pieces; the masked audio encoder's stay whole
    const cut = trainGraph(2048);
    expect(count(cut, 'concat')).toBeGreaterThanOrEqual(count(whole, 'concat') + 3);
    expect(count(cut, 'matmul')).toBeGreaterThan(count(whole, 'matmul'));
    expect(cut.inputs.map((i) => `${i.name}${i.v.shape}`)).toEqual(whole.inputs.map((i) => `${i.name}${i.v.shape}`));
    const inputs = feeds(whole);
    const a = interpret(whole, inputs),
      b = interpret(cut, inputs);
    let compared = 0;
    for (const o of whole.outputs) {
      const x = a[o.name]!.data,
        y = b[o.name]!.data;
      expect(y.length, o.name).toBe(x.length);
      for (let i = 0; i < x.length; i++) expect(Math.abs(y[i]! - x[i]!), `${o.name}[${i}]`).toBeLessThanOrEqual(1e-12 + 1e-10 * Math.abs(x[i]!));
      compared += x.length;
    }
    // the first moments after one step are (1 - beta1) x the clipped gradients: every gradient is compared
    expect(whole.outputs.filter((o) => o.updates?.startsWith('opt.m.')).length).toBeGreaterThan(10);
    expect(compared).toBeGreaterThan(1000);
  });
});

describe('paper-scale FLAP at batch 64', () => {
  it('compiles within the baseline adapter limits (every value in one 128 MiB binding)', () => {
    const d = new Diagnostics();
    const spec = fileURLToPath(new URL('../../bench/specs/flap-b64.yaml', import.meta.url));
    const c = compileSpec(spec, BASELINE_CAPS, d);
    expect(c, renderDiagnostics(d.list, d.sources)).toBeTruthy();
    for (const plan of [c!.trainPlan, c!.evalPlan]) {
      for (const b of plan.buffers) expect(b.bytes).toBeLessThanOrEqual(BASELINE_CAPS.maxStorageBufferBindingSize);
      expect(plan.stats.bufferBytes / plan.stats.liveBytesLowerBound!).toBeLessThanOrEqual(1.2);
    }
  }, 120_000);
});
