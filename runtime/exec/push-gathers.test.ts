// simplify/push-gathers.ts moves each masked view's token gather ahead of the patch embedding's
// matmul. The training step must compute the same loss, gradient norm and updates (float64
// reference interpreter, both graphs), with the embedding run on the kept tokens only.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { HYPER_NAME, adamwHyper } from '../../compiler/autodiff/train-step.ts';
import { buildModel } from '../../compiler/frontend/compile-spec.ts';
import { Diagnostics, renderDiagnostics } from '../../compiler/frontend/diagnostics.ts';
import { type Tensor, interpret, tensor } from '../../compiler/ir/interp.ts';
import { type Graph, numel } from '../../compiler/ir/types.ts';
import { dce } from '../../compiler/simplify/simplify.ts';
import { lcg } from '../testing/harness.ts';
import { initParam } from '../train/init.ts';

const MICRO = fileURLToPath(new URL('./fixtures/micro-flap.yaml', import.meta.url));

function step(pushGathers: boolean): { g: Graph; out: Record<string, Tensor> } {
  const d = new Diagnostics();
  const m = buildModel(MICRO, d, undefined, undefined, { pushGathers });
  if (!m) throw new Error(renderDiagnostics(d.list, d.sources));
  const g = m.train.graph;
  const byName = new Map(m.params.map((p) => [p.name, p]));
  const r = lcg(11);
  const feed: Record<string, Tensor> = {};
  for (const i of g.inputs) {
    const p = byName.get(i.name);
    if (p) feed[i.name] = tensor(i.v.shape, Array.from(initParam(p, 1)));
    else if (i.role === 'state') feed[i.name] = tensor(i.v.shape, new Array(numel(i.v.shape)).fill(0));
  }
  const shape = (n: string): number[] => [...g.inputs.find((i) => i.name === n)!.v.shape];
  feed.mel = tensor(
    shape('mel'),
    Array.from({ length: numel(shape('mel')) }, () => Math.fround(r() * 4 - 2)),
  );
  const ts = shape('tokens');
  feed.tokens = tensor(
    ts,
    Array.from({ length: numel(ts) }, (_, k) => (k % ts[1]! < 4 ? 1 + Math.floor(r() * 299) : 0)),
    'i32',
  );
  feed['rng.key'] = tensor([], [1000], 'u32');
  feed[HYPER_NAME] = tensor([3], Array.from(adamwHyper({ beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.05, clipNorm: 1 }, 1e-3, 1)));
  return { g, out: interpret(g, feed) };
}

/** Rows of the matmuls by the patch embedding's weight. */
const embedRows = (g: Graph): number[] => {
  const w = g.inputs.find((i) => i.name === 'patch_embed.w')!.v;
  return dce(g)
    .eqns.filter((e) => e.prim === 'matmul' && e.inputs[1]!.id === w.id)
    .map((e) => e.inputs[0]!.shape[0]!);
};

describe('token gathers pushed ahead of the patch embedding', () => {
  it('micro-flap.yaml: the same step in float64, the embedding on the kept tokens only', () => {
    const pushed = step(true),
      plain = step(false);
    // 4 clips x 8 tokens embedded once; pushed: 4 x 2 kept tokens in each of the two views.
    expect(embedRows(plain.g)).toEqual([32]);
    expect(embedRows(pushed.g)).toEqual([8, 8]);
    expect(Object.keys(pushed.out).sort()).toEqual(Object.keys(plain.out).sort());
    for (const [name, t] of Object.entries(plain.out)) {
      const u = pushed.out[name]!;
      for (let k = 0; k < t.data.length; k++) {
        const a = t.data[k]!,
          b = u.data[k]!;
        expect(Math.abs(a - b), `${name}[${k}]: ${a} vs ${b}`).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(a)));
      }
    }
  });
});
