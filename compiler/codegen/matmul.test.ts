// Codegen decisions of the subgroup matmul that matter for speed on CPU adapters (no GPU
// needed here; the Dawn results of every variant are checked in runtime/exec/matmul-variants).
import { describe, expect, it } from 'vitest';
import { compileGraph } from '../compile.ts';
import { GraphBuilder } from '../ir/builder.ts';
import * as nn from '../ir/nn.ts';
import { MATMUL_VARIANTS, THIN_MATMUL_VARIANTS, chooseMatmulVariant, matmulClass, phaseLanes, usable } from './matmul.ts';
import { BASELINE_CAPS } from '../caps.ts';

const CAPS = { ...BASELINE_CAPS, maxComputeInvocationsPerWorkgroup: 1024, subgroups: true, subgroupSize: 8, cpu: true };

function matmulWgsl(build: (b: GraphBuilder) => void, variant = 'subgroup16x8'): string[] {
  const b = new GraphBuilder();
  build(b);
  const { plan } = compileGraph(b.build(), { caps: CAPS, matmulVariant: usable(variant, CAPS)!, debug: 0 });
  return plan.dispatches.map((d) => plan.pipelines[d.pipeline]!.wgsl).filter((w) => /subgroup(Broadcast|Shuffle)\(/.test(w));
}

describe('subgroup matmul codegen', () => {
  it('stores the product as vec4s when the output row length is a multiple of 4', () => {
    const [w] = matmulWgsl((b) => b.output('y', b.matmul(b.input('a', [30, 16]), b.input('b', [16, 40]))));
    expect(w).toMatch(/out0: array<vec4<f32>>/);
    expect(w).not.toMatch(/out0\[[^\]]*\] = c\d+_\d\[/); // no per-component stores
  });

  it('stores a fused epilogue (bias + gelu) as vec4s too', () => {
    const [w] = matmulWgsl((b) => b.output('y', nn.gelu(b, nn.linear(b, b.input('x', [19, 40]), b.param('w', [40, 36]), b.param('bb', [36])))));
    expect(w).toMatch(/out0: array<vec4<f32>>/);
    expect(w).toMatch(/= vec4<f32>\(o0, o1, o2, o3\)/);
  });

  it('falls back to scalar stores when a row is not a multiple of 4', () => {
    const [w] = matmulWgsl((b) => b.output('y', b.matmul(b.input('a', [30, 16]), b.input('b', [16, 42]))));
    expect(w).toMatch(/out0: array<f32>/);
  });

  it('a texB variant reads B through a texture the plan fills, where B allows it', () => {
    const plan = (n: number, batch: number[] = []): ReturnType<typeof compileGraph>['plan'] => {
      const b = new GraphBuilder();
      b.output('y', b.matmul(b.input('a', [...batch, 30, 16]), b.input('b', [...batch, 16, n])));
      return compileGraph(b.build(), { caps: CAPS, matmulVariant: usable('subgroup32x8t', CAPS)!, debug: 0 }).plan;
    };
    const p = plan(128);
    const [d] = p.dispatches;
    expect(d!.texture).toEqual({ buffer: p.inputs.find((i) => i.name === 'b')!.buffer, width: 32, height: 16, binding: d!.bindings.length });
    const w = p.pipelines[d!.pipeline]!.wgsl;
    expect(w).toMatch(/var bT: texture_2d<f32>;/);
    expect(w).toMatch(/textureLoad\(bT, /);
    expect(w).not.toMatch(/= in1\[\(/); // no storage loads of B left
    for (const q of [plan(96), plan(128, [2])]) {
      // rows not a multiple of 64; a batch
      expect(q.dispatches[0]!.texture).toBeUndefined();
      expect(q.pipelines[q.dispatches[0]!.pipeline]!.wgsl).not.toMatch(/texture/);
    }
  });

  it('texture loads take an opaque mip level on a 16-wide CPU adapter only (lavapipe bugs both ways)', () => {
    const wgslFor = (caps: typeof CAPS): string => {
      const b = new GraphBuilder();
      b.output('y', b.matmul(b.input('a', [30, 16]), b.input('b', [16, 128])));
      const { plan } = compileGraph(b.build(), { caps, matmulVariant: usable('subgroup32x8t', caps)!, debug: 0 });
      return plan.pipelines[plan.dispatches[0]!.pipeline]!.wgsl;
    };
    const allLevels = (w: string, level: string): boolean =>
      w
        .split('textureLoad(')
        .slice(1)
        .every((t) => t.split(';')[0]!.endsWith(`, ${level})`));
    const cpu16 = wgslFor({ ...CAPS, subgroupSize: 16 });
    expect(cpu16).toMatch(/let opaque_zero = /);
    expect(cpu16).toMatch(/textureLoad\(/);
    expect(allLevels(cpu16, 'opaque_zero')).toBe(true);
    for (const w of [wgslFor(CAPS), wgslFor({ ...CAPS, subgroupSize: 16, cpu: false })]) {
      expect(w).toMatch(/textureLoad\(/);
      expect(allLevels(w, '0')).toBe(true);
    }
  });

  // B loads (matmul.ts BLoad): the scalar gather of four columns per k is the fallback only.
  const scalarB = /let b\d+ = vec4<f32>\(t\d+, t\d+, t\d+, t\d+\)/;
  const heads = (b: GraphBuilder, qkv: ReturnType<GraphBuilder['input']>, i: number) =>
    b.transpose(b.reshape(b.slice(qkv, [0, 0, i * 32], [2, 24, (i + 1) * 32]), [2, 24, 2, 16]), [0, 2, 1, 3]);

  it('reads Bᵀ (dY @ Wᵀ) as vec4s along k, four columns regrouped, rolled or not', () => {
    for (const variant of ['subgroup8x4t', 'subgroup8x4tr', 'subgroup16x8']) {
      const [w] = matmulWgsl((b) => b.output('y', b.matmul(b.input('dy', [30, 64]), b.mT(b.input('w', [40, 64])))), variant);
      expect(w, variant).toMatch(/in1: array<vec4<f32>>/);
      expect(w, variant).toMatch(/vec4<f32>\(t\d+\[3\], t\d+\[3\], t\d+\[3\], t\d+\[3\]\)/);
      expect(w, variant).not.toMatch(scalarB);
    }
    // k not a multiple of 4: no vec4 along k
    const [odd] = matmulWgsl((b) => b.output('y', b.matmul(b.input('dy', [30, 62]), b.mT(b.input('w', [40, 62])))));
    expect(odd).toMatch(scalarB);
  });

  it('reads Aᵀ (Xᵀ @ dY) as vec4s along m, where m is a multiple of 4', () => {
    const [w] = matmulWgsl((b) => b.output('y', b.matmul(b.mT(b.input('x', [64, 40])), b.input('dy', [64, 36]))));
    expect(w).toMatch(/in0: array<vec4<f32>>/);
    expect(w).toMatch(/subgroupBroadcast\(\w+\[3\], /);
    const [odd] = matmulWgsl((b) => b.output('y', b.matmul(b.mT(b.input('x', [64, 42])), b.input('dy', [64, 36]))));
    expect(odd).toMatch(/in0: array<f32>/);
  });

  it("reads attention's head views as vec4s: Q @ Kᵀ along k, P @ V along B's rows", () => {
    const [scores] = matmulWgsl((b) => {
      const qkv = b.input('qkv', [2, 24, 96]);
      b.output('s', b.matmul(heads(b, qkv, 0), b.mT(heads(b, qkv, 1))));
    });
    expect(scores).toMatch(/in0: array<vec4<f32>>/);
    expect(scores).not.toMatch(scalarB);
    const [pv] = matmulWgsl((b) => b.output('o', b.matmul(b.input('p', [2, 2, 24, 24]), heads(b, b.input('qkv', [2, 24, 96]), 2))));
    expect(pv).toMatch(/array<vec4<f32>>/);
    expect(pv).not.toMatch(scalarB);
  });

  it('splits k among phases of lanes where N is narrower than the subgroup columns, not otherwise', () => {
    const narrow = (n: number, variant: string): string =>
      matmulWgsl((b) => b.output('y', b.matmul(b.input('a', [64, 32]), b.input('b', [32, n]))), variant)[0]!;
    for (const variant of ['subgroup8x4t', 'subgroup8x4tr']) {
      expect(narrow(16, variant), variant).toMatch(/subgroupShuffleXor\(c0_0, 4u\)/);
      expect(narrow(16, variant), variant).toMatch(/if \(lane >= 4\) \{ return; \}/);
      expect(narrow(32, variant), variant).not.toMatch(/subgroupShuffleXor/);
    }
    expect(phaseLanes(16, 8, { rm: 8, rn: 4 })).toBe(4);
    expect(phaseLanes(16, 16, { rm: 16, rn: 4 })).toBe(4);
    expect(phaseLanes(40, 16, { rm: 8, rn: 4 })).toBe(16);
    expect(phaseLanes(16, 16, { rm: 32, rn: 8 })).toBe(16); // 32-row tiles: no phases
    expect(phaseLanes(8, 8, { rm: 8, rn: 8 })).toBe(4); // at least 4: a phase holds a quad of Bᵀ's k
  });

  it('every subgroup variant is usable with an 8-wide subgroup', () => {
    for (const [name, v] of Object.entries(MATMUL_VARIANTS)) if (v.kind === 'subgroup') expect(usable(name, CAPS)?.wx).toBe(8);
  });
});

describe('matmul size classes', () => {
  const eqn = (a: number[], bShape: number[]) => {
    const b = new GraphBuilder();
    b.output('y', b.matmul(b.input('a', a), b.input('b', bShape)));
    return b.build().eqns.find((e) => e.prim === 'matmul')!;
  };
  const tuning = { small: 'regtile4x4', medium: 'subgroup32x8t', large: 'subgroup16x8' };

  it('unbatched projections of at least 2^20 multiply-adds are medium; batched products stay small', () => {
    expect(matmulClass(eqn([640, 64], [64, 256]))).toBe('medium');
    expect(matmulClass(eqn([64, 40, 16], [64, 16, 40]))).toBe('small'); // attention's per-head scores
    expect(matmulClass(eqn([32, 32], [32, 32]))).toBe('small');
    expect(matmulClass(eqn([1024, 512], [512, 512]))).toBe('large');
  });

  it('each class gets its tuned variant; a record without medium gives medium the small choice', () => {
    expect(chooseMatmulVariant(eqn([640, 64], [64, 256]), CAPS, tuning).texB).toBe(true);
    expect(chooseMatmulVariant(eqn([64, 40, 16], [64, 16, 40]), CAPS, tuning).kind).toBe('regtile');
    expect(chooseMatmulVariant(eqn([640, 64], [64, 256]), CAPS, { small: 'regtile8x4', large: 'subgroup16x8' })).toEqual(MATMUL_VARIANTS.regtile8x4);
  });

  it('thin products: 16-row tile for short M; for narrow N the tuned tile where it splits k, else regtile_n16', () => {
    const scoresV = eqn([4, 128, 16], [4, 16, 128]); // M 128, N 128: the tuned choice
    const pv = eqn([4, 128, 128], [4, 128, 16]); // N 16
    const short = eqn([4, 8, 64], [4, 64, 128]); // M 8
    const small = (s: string) => ({ small: s, large: 'subgroup16x8' });
    expect(chooseMatmulVariant(scoresV, CAPS, small('subgroup8x4t'))).toEqual(usable('subgroup8x4t', CAPS));
    expect(chooseMatmulVariant(pv, CAPS, small('subgroup8x4t'))).toEqual(usable('subgroup8x4t', CAPS));
    expect(chooseMatmulVariant(pv, CAPS, small('subgroup32x8t'))).toEqual(THIN_MATMUL_VARIANTS.regtile_n16);
    expect(chooseMatmulVariant(pv, CAPS, small('regtile4x4'))).toEqual(THIN_MATMUL_VARIANTS.regtile_n16);
    expect(chooseMatmulVariant(short, CAPS, small('subgroup8x4t'))).toEqual(THIN_MATMUL_VARIANTS.regtile_m16);
  });
});
