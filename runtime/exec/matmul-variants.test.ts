// Every matmul variant the test adapter can run, forced, vs the float64 reference: odd
// shapes (tails in m, n and k), the vec4 operand path and its scalar fallback, batches,
// transposed views, fused epilogues that re-read a vec4-bound operand, and A = B.
import { afterAll, describe, expect, it } from 'vitest';
import { MATMUL_VARIANTS, THIN_MATMUL_VARIANTS, usable } from '../../compiler/codegen/matmul.ts';
import { GraphBuilder } from '../../compiler/ir/builder.ts';
import * as nn from '../../compiler/ir/nn.ts';
import { errorRatio, randomInputs, reference, runOnGpu, testGpu } from '../testing/harness.ts';

type Build = (b: GraphBuilder) => void;
const CASES: { name: string; k: number; kernels?: number; build: Build }[] = [
  { name: '37x45 @ 45x53 (n % 4 != 0: scalar B loads)', k: 45, build: (b) => b.output('y', b.matmul(b.input('a', [37, 45]), b.input('b', [45, 53]))) },
  { name: '64x36 @ 36x40 (vec4 B, k tail)', k: 36, build: (b) => b.output('y', b.matmul(b.input('a', [64, 36]), b.input('b', [36, 40]))) },
  { name: '130x64 @ 64x132 (vec4 B, m and n tails)', k: 64, build: (b) => b.output('y', b.matmul(b.input('a', [130, 64]), b.input('b', [64, 132]))) },
  { name: '256x128 @ 128x256 (whole tiles, no guards)', k: 128, build: (b) => b.output('y', b.matmul(b.input('a', [256, 128]), b.input('b', [128, 256]))) },
  { name: 'batched 3x(21x34 @ 34x12)', k: 34, build: (b) => b.output('y', b.matmul(b.input('a', [3, 21, 34]), b.input('b', [3, 34, 12]))) },
  { name: 'transposed views', k: 19, build: (b) => b.output('y', b.matmul(b.mT(b.input('a', [2, 19, 30])), b.mT(b.input('b', [2, 23, 19])))) },
  {
    name: 'bias + gelu epilogue',
    k: 40,
    kernels: 1,
    build: (b) => b.output('y', nn.gelu(b, nn.linear(b, b.input('x', [19, 40]), b.param('w', [40, 36]), b.param('bb', [36])))),
  },
  {
    name: 'epilogue re-reads the vec4 operand',
    k: 24,
    kernels: 1,
    build: (b) => {
      const w = b.input('w', [24, 24]);
      b.output('y', b.add(b.matmul(b.input('x', [20, 24]), w), b.slice(w, [0, 0], [20, 24])));
    },
  },
  {
    name: 'A and B are one buffer',
    k: 24,
    build: (b) => {
      const x = b.input('x', [24, 24]);
      b.output('y', b.matmul(x, x));
    },
  },
  // Bᵀ read as vec4s along k (codegen/matmul.ts BLoad 'columns'), with k and n tails, and
  // attention's head views (aligned slices of one q|k|v projection) read as vec4s both ways.
  {
    name: '37x44 @ (53x44)ᵀ (Bᵀ by columns, k and n tails)',
    k: 44,
    build: (b) => b.output('y', b.matmul(b.input('a', [37, 44]), b.mT(b.input('w', [53, 44])))),
  },
  {
    name: '(44x36)ᵀ @ 44x40 (Aᵀ as vec4s along m, m and k tails)',
    k: 44,
    build: (b) => b.output('y', b.matmul(b.mT(b.input('x', [44, 36])), b.input('b', [44, 40]))),
  },
  {
    name: 'batched (2x24x64)ᵀ @ (2x40x24)ᵀ (both operands transposed)',
    k: 24,
    build: (b) => b.output('y', b.matmul(b.mT(b.input('x', [2, 24, 64])), b.mT(b.input('w', [2, 40, 24])))),
  },
  {
    name: '64x64 @ (128x64)ᵀ (Bᵀ by columns, whole tiles)',
    k: 64,
    build: (b) => b.output('y', b.matmul(b.input('a', [64, 64]), b.mT(b.input('w', [128, 64])))),
  },
  {
    name: 'heads of one q|k|v projection: Q @ Kᵀ, then P @ V',
    k: 24,
    build: (b) => {
      const qkv = b.input('qkv', [2, 24, 96]);
      const head = (i: number) => b.transpose(b.reshape(b.slice(qkv, [0, 0, i * 32], [2, 24, (i + 1) * 32]), [2, 24, 2, 16]), [0, 2, 1, 3]);
      b.output('y', b.matmul(b.matmul(head(0), b.mT(head(1))), head(2)));
    },
  },
  // Products narrower than a subgroup's columns: k split among phases of lanes (matmul.ts phaseLanes).
  { name: '70x36 @ 36x16 (16 columns: k in phases, k tail)', k: 36, build: (b) => b.output('y', b.matmul(b.input('a', [70, 36]), b.input('b', [36, 16]))) },
  { name: 'batched 3x(40x20 @ 20x8) (8 columns, k tail)', k: 20, build: (b) => b.output('y', b.matmul(b.input('a', [3, 40, 20]), b.input('b', [3, 20, 8]))) },
  { name: '64x44 @ (12x44)ᵀ (Bᵀ by columns in phases)', k: 44, build: (b) => b.output('y', b.matmul(b.input('a', [64, 44]), b.mT(b.input('w', [12, 44])))) },
  {
    name: '(36x40)ᵀ @ 36x16 + bias + gelu (phases with an epilogue)',
    k: 36,
    kernels: 1,
    build: (b) => b.output('y', nn.gelu(b, b.add(b.matmul(b.mT(b.input('x', [36, 40])), b.input('w', [36, 16])), b.input('bb', [16])))),
  },
  // Rows of B a multiple of 64 floats: texB variants read B through a texture copy here.
  { name: '96x40 @ 40x128 (B as a texture, m tail)', k: 40, build: (b) => b.output('y', b.matmul(b.input('a', [96, 40]), b.input('b', [40, 128]))) },
  { name: '33x45 @ 45x64 (B as a texture, k tail)', k: 45, build: (b) => b.output('y', b.matmul(b.input('a', [33, 45]), b.input('b', [45, 64]))) },
  {
    name: 'B as a texture + bias + gelu epilogue',
    k: 40,
    kernels: 1,
    build: (b) => b.output('y', nn.gelu(b, nn.linear(b, b.input('x', [19, 40]), b.param('w', [40, 64]), b.param('bb', [64])))),
  },
];

describe('matmul variants on Dawn vs float64 reference', async () => {
  const gpu = await testGpu();
  afterAll(() => {
    gpu.destroy();
  });
  const names = [...Object.keys(MATMUL_VARIANTS), ...Object.keys(THIN_MATMUL_VARIANTS)].filter((n) => usable(n, gpu.caps));

  it('the subgroup variant is offered wherever the adapter fixes its subgroup size', () => {
    expect(names.includes('subgroup16x8')).toBe(gpu.caps.subgroups && gpu.caps.subgroupSize >= 4);
    expect(names).toContain('regtile4x4');
  });

  for (const name of names) {
    CASES.forEach((c, n) => {
      it(`${name}: ${c.name}`, async () => {
        const b = new GraphBuilder();
        c.build(b);
        const g = b.build();
        const inputs = randomInputs(g, 500 + n);
        const ref = reference(g, inputs).y!;
        const { outputs, plan } = await runOnGpu(g, inputs, { matmulVariant: usable(name, gpu.caps)! });
        if (c.kernels) expect(plan.dispatches.length).toBe(c.kernels);
        const { ratio, at } = errorRatio(outputs.y!, ref.data, 1e-5, 1e-4 * Math.sqrt(c.k));
        expect(ratio, `worst at ${at}: gpu ${outputs.y![at]} ref ${ref.data[at]}`).toBeLessThanOrEqual(1);
      });
    });
  }

  // Two products that differ only in M share one pipeline (codegen/lift.ts), their sizes in a
  // uniform bound after the texture where B is read through one.
  for (const name of names) {
    it(`${name}: two products of other sizes through one lifted pipeline`, async () => {
      const b = new GraphBuilder();
      b.output('y1', b.matmul(b.input('a1', [96, 40]), b.input('b1', [40, 128])));
      b.output('y2', b.matmul(b.input('a2', [33, 40]), b.input('b2', [40, 128])));
      const g = b.build();
      const inputs = randomInputs(g, 700);
      const ref = reference(g, inputs);
      const { outputs, plan } = await runOnGpu(g, inputs, { matmulVariant: usable(name, gpu.caps)! });
      expect(plan.dispatches.length).toBe(2);
      expect(plan.dispatches[0]!.pipeline).toBe(plan.dispatches[1]!.pipeline);
      expect(plan.dispatches.every((d) => d.constants !== undefined)).toBe(true);
      expect(plan.dispatches.every((d) => d.texture !== undefined)).toBe(usable(name, gpu.caps)!.texB === true);
      for (const o of ['y1', 'y2']) {
        const { ratio, at } = errorRatio(outputs[o]!, ref[o]!.data, 1e-5, 1e-4 * Math.sqrt(40));
        expect(ratio, `${o} worst at ${at}`).toBeLessThanOrEqual(1);
      }
    });
  }

  // train.precision "f16": a product stored as f16 and read back as A and as B (B's rows are 128
  // floats, the texture path where B is f32: from f16 storage it must take the vec4 path). Each
  // output element is held to the first-order bound of rounding h to f16, u * sum_k |h_ik| |c_kj|
  // (u = 2^-11), plus the f32 tolerance above.
  const absMatmul = (x: ArrayLike<number>, y: ArrayLike<number>, m: number, k: number, n: number): Float64Array => {
    const out = new Float64Array(m * n);
    for (let i = 0; i < m; i++) for (let q = 0; q < k; q++) for (let j = 0; j < n; j++) out[i * n + j]! += Math.abs(x[i * k + q]!) * Math.abs(y[q * n + j]!);
    return out;
  };
  for (const name of gpu.caps.shaderF16 ? names : []) {
    for (const epilogue of [false, true]) {
      it(`${name}: h = ${epilogue ? 'gelu(a @ b + bias)' : 'a @ b'} stored f16, then h @ c and d @ h`, async () => {
        const b = new GraphBuilder();
        const a = b.input('a', [40, 36]);
        const w = b.input('b', [36, 128]);
        let h = b.matmul(a, w);
        if (epilogue) h = nn.gelu(b, b.add(h, b.input('bias', [128])));
        b.output('y1', b.matmul(h, b.input('c', [128, 52])));
        b.output('y2', b.matmul(b.input('d', [44, 40]), h));
        const g = b.build();
        const inputs = randomInputs(g, 900);
        const hb = new GraphBuilder();
        let hh = hb.matmul(hb.input('a', [40, 36]), hb.input('b', [36, 128]));
        if (epilogue) hh = nn.gelu(hb, hb.add(hh, hb.input('bias', [128])));
        hb.output('h', hh);
        const href = reference(hb.build(), inputs).h!.data;
        const ref = reference(g, inputs);
        const { outputs, plan } = await runOnGpu(g, inputs, { matmulVariant: usable(name, gpu.caps)!, precision: 'f16', halfMinElements: 0 });
        expect(plan.dispatches.some((d) => d.f16Outputs?.length)).toBe(true);
        // only f32 buffers are copied into textures (here b, an input), never the f16 h
        for (const d of plan.dispatches) if (d.texture) expect(plan.buffers[d.texture.buffer]!.kind).not.toBe('temp');
        const u = 2 ** -11;
        const bounds = { y1: absMatmul(href, inputs.c!.data, 40, 128, 52), y2: absMatmul(inputs.d!.data, href, 44, 40, 128) };
        for (const [o, k] of [
          ['y1', 128],
          ['y2', 40],
        ] as const) {
          const got = outputs[o]!,
            want = ref[o]!.data,
            bound = bounds[o];
          for (let i = 0; i < want.length; i++) {
            const tol = u * bound[i]! + 1e-4 * Math.sqrt(k) + 1e-5 * Math.abs(want[i]!);
            expect(Math.abs(got[i]! - want[i]!), `${o}[${i}]: gpu ${got[i]} ref ${want[i]}`).toBeLessThanOrEqual(tol);
          }
        }
        // first use compiles three f16 matmul pipelines: 94 s for subgroup32x8t with 16-wide subgroups in CI
      }, 300_000);
    }
  }
});
