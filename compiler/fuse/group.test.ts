// Fusion on small graphs, without a GPU: which kernels come out, of what kind, writing what.
// (runtime/exec/fusion.test.ts runs fused kernels on Dawn against the float64 interpreter.)
import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../ir/builder.ts';
import * as nn from '../ir/nn.ts';
import { type Graph, IRError } from '../ir/types.ts';
import { simplify } from '../simplify/simplify.ts';
import { type FuseOptions, fuse } from './group.ts';
import type { Kernel } from './kernel-ir.ts';

const kernelsOf = (build: (b: GraphBuilder) => void, opts: Partial<FuseOptions> = {}): Kernel[] => {
  const b = new GraphBuilder();
  build(b);
  const g: Graph = simplify(b.build());
  return fuse(g, { maxBindings: 8, ...opts }).kernels;
};
const kinds = (ks: Kernel[]): string[] => ks.map((k) => `${k.kind}${k.stages.length > 1 ? `x${k.stages.length}` : ''}${k.fullRow ? ' row' : ''}`);

describe('fusion rules', () => {
  it('rule 3: bias + GELU become the matmul epilogue (one kernel); off, two', () => {
    const mlp = (b: GraphBuilder): void => {
      b.output('y', nn.gelu(b, nn.linear(b, b.input('x', [8, 16]), b.param('w', [16, 32]), b.param('bias', [32]))));
    };
    expect(kinds(kernelsOf(mlp))).toEqual(['matmul']);
    expect(kinds(kernelsOf(mlp, { noEpilogue: true }))).toEqual(['matmul', 'elementwise']);
  });

  it('rule 4: softmax and layer norm are one row kernel each; off, a kernel per reduction', () => {
    const sm = (b: GraphBuilder): void => {
      b.output('y', nn.softmax(b, b.input('x', [4, 10])));
    };
    expect(kinds(kernelsOf(sm))).toEqual(['reducex2 row']);
    expect(kinds(kernelsOf(sm, { noRowFusion: true }))).toEqual(['reduce', 'reduce', 'elementwise']);
    const ln = (b: GraphBuilder): void => {
      b.output('y', nn.layerNorm(b, b.input('x', [4, 10]), b.param('g', [10]), b.param('b', [10])));
    };
    const k = kernelsOf(ln);
    expect(k.length).toBe(1);
    expect(k[0]!.fullRow).toBe(true);
  });

  it('rule 2: an expensive value read by two kernels is realized once; a cheap one is recomputed', () => {
    const expensive = kernelsOf((b) => {
      const y = b.exp(b.exp(b.exp(b.exp(b.input('x', [6, 6])))));
      b.output('rows', b.sum(y, 1));
      b.output('cols', b.sum(y, 0));
    });
    expect(kinds(expensive)).toEqual(['elementwise', 'reduce', 'reduce']);
    const cheap = kernelsOf((b) => {
      const y = b.add(b.input('x', [6, 6]), 1);
      b.output('rows', b.sum(y, 1));
      b.output('cols', b.sum(y, 0));
    });
    expect(kinds(cheap)).toEqual(['reduce', 'reduce']);
  });

  it('rule 5: a kernel wider than the binding limit is split until every kernel fits', () => {
    const k = kernelsOf(
      (b) => {
        let s = b.input('x0', [16]);
        for (let i = 1; i < 12; i++) s = b.add(s, b.input(`x${i}`, [16]));
        b.output('y', s);
      },
      { maxBindings: 5 },
    );
    expect(k.length).toBeGreaterThan(1);
    for (const x of k) expect(x.inputs.length + x.outputs.length).toBeLessThanOrEqual(5);
    expect(() =>
      kernelsOf(
        (b) => {
          b.output('y', b.add(b.input('a', [4]), b.input('b', [4])));
        },
        { maxBindings: 2 },
      ),
    ).toThrow(IRError);
  });

  it('aligned elementwise kernels merge: AdamW-style updates write several buffers from one kernel', () => {
    const k = kernelsOf((b) => {
      const g = b.input('g', [32]),
        m = b.input('m', [32]),
        v = b.input('v', [32]);
      const m2 = b.add(b.mul(m, 0.9), b.mul(g, 0.1));
      const v2 = b.add(b.mul(v, 0.99), b.mul(b.mul(g, g), 0.01));
      b.output('m2', m2);
      b.output('v2', v2);
      b.output('p', b.div(m2, b.add(b.sqrt(v2), 1e-8)));
    });
    expect(k.length).toBe(1);
    expect(k[0]!.outputs.length).toBe(3);
  });
});
