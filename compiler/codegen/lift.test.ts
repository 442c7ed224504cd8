import { describe, expect, it } from 'vitest';
import type { Plan, PlanDispatch } from '../plan/plan.ts';
import { constantsBinding, fnv1a } from '../plan/plan.ts';
import { cutConstants, liftConstants } from './lift.ts';

const kernel = (m: number, k: number, div: number): string => `@group(0) @binding(0) var<storage, read> in0: array<f32>;
@group(0) @binding(1) var<storage, read_write> out0: array<f32>;
var<workgroup> sa: array<f32, 64>;
@compute @workgroup_size(8, 8)
fn main(@builtin(workgroup_id) wid: vec3<u32>) {
  let m0 = min(i32(wid.y) * 4, ${m - 1});
  var c = vec4<f32>();
  for (var k = 0; k < ${k}; k++) {
    let l = m0 * ${k} + k;
    let d = (l / ${div}) % 16;
    c = fma(vec4<f32>(in0[d]), vec4<f32>(1.5f), c);
  }
  out0[m0] = c[1] + f32(3u) + 2.0f;
}`;
const pipe = (label: string, wgsl: string): Plan['pipelines'][number] => ({ hash: fnv1a(wgsl), label, wgsl });
const disp = (pipeline: number, extra: Partial<PlanDispatch> = {}): PlanDispatch => ({
  pipeline,
  bindings: [
    { buffer: 0, bytes: 64 },
    { buffer: 1, bytes: 64 },
  ],
  workgroups: [1, 1, 1],
  label: `k${pipeline}`,
  flops: 0,
  ...extra,
});

describe('constant lifting', () => {
  it('cuts only unsuffixed integers of main: not divisors, moduli, template arguments, suffixed or float literals', () => {
    const c = cutConstants(kernel(640, 256, 32))!;
    // min(.., 639) and `mb * 4` ... are liftable; 32 and 16 (divisor, modulus), 64 and 8 (outside main), 1.5f, 3u, 2.0f are not
    expect(c.values).toEqual([4, 639, 0, 256, 256, 1]);
    expect(c.parts.join('#')).toContain('(l / 32) % 16');
    expect(c.parts[0]).toContain('array<f32, 64>');
    expect(c.parts.at(-1)).toContain('f32(3u) + 2.0f');
  });

  it('kernels that differ only in liftable constants share one pipeline; the differing columns become uniform slots', () => {
    const a = kernel(640, 256, 32),
      b = kernel(128, 64, 32),
      lonely = kernel(640, 256, 8); // another divisor: its own code
    const r = liftConstants([pipe('matmul_1', a), pipe('matmul_2', b), pipe('matmul_3', lonely)], [disp(0), disp(1), disp(2), disp(0)], fnv1a);
    expect(r.pipelines.length).toBe(2);
    const shared = r.pipelines[r.dispatches[0]!.pipeline]!;
    expect(r.dispatches[1]!.pipeline).toBe(r.dispatches[0]!.pipeline);
    expect(r.dispatches[3]!.pipeline).toBe(r.dispatches[0]!.pipeline);
    // 639/127 and 256/64 differ (the two 256s are one column); 4, 0 and 1 are shared and stay literal
    expect(r.dispatches[0]!.constants).toEqual([639, 256]);
    expect(r.dispatches[1]!.constants).toEqual([127, 64]);
    expect(shared.wgsl.startsWith('@group(0) @binding(2) var<uniform> flapc_k: array<vec4<i32>, 1>;\n')).toBe(true);
    expect(shared.wgsl).toContain('min(i32(wid.y) * 4, flapc_k[0].x)');
    expect(shared.wgsl).toContain('k < flapc_k[0].y; k++');
    expect(shared.wgsl).toContain('m0 * flapc_k[0].y + k');
    expect(shared.hash).toBe(fnv1a(shared.wgsl));
    // the lonely kernel is untouched
    expect(r.dispatches[2]!.constants).toBeUndefined();
    expect(r.pipelines[r.dispatches[2]!.pipeline]!.wgsl).toBe(lonely);
  });

  it('leaves non-matmul kernels and unused pipelines alone', () => {
    const a = kernel(640, 256, 32),
      b = kernel(128, 64, 32);
    const r = liftConstants([pipe('reduce_1', a), pipe('reduce_2', b)], [disp(0), disp(1)], fnv1a);
    expect(r.pipelines.map((p) => p.wgsl)).toEqual([a, b]);
    const u = liftConstants([pipe('matmul_1', a), pipe('matmul_9', b)], [disp(0)], fnv1a);
    expect(u.pipelines.map((p) => p.wgsl)).toEqual([a]);
  });

  it('texture-reading pipelines share only with each other, their constants bound after the texture', () => {
    const tex = (binding: number) => ({ texture: { buffer: 1, width: 4, height: 4, binding } });
    const a = kernel(640, 256, 32),
      b = kernel(128, 64, 32),
      c = kernel(256, 128, 32);
    // a and b read B through a texture (bound at 2, after the two buffers); c does not
    const t = liftConstants([pipe('matmul_1', a), pipe('matmul_2', b), pipe('matmul_3', c)], [disp(0, tex(2)), disp(1, tex(2)), disp(2)], fnv1a);
    expect(t.pipelines.length).toBe(2);
    expect(t.dispatches[1]!.pipeline).toBe(t.dispatches[0]!.pipeline);
    expect(t.dispatches[2]!.pipeline).not.toBe(t.dispatches[0]!.pipeline);
    expect(t.dispatches[0]!.constants).toEqual([639, 256]);
    expect(t.dispatches[2]!.constants).toBeUndefined();
    expect(t.pipelines[t.dispatches[0]!.pipeline]!.wgsl.startsWith('@group(0) @binding(3) var<uniform> flapc_k')).toBe(true);
    expect(constantsBinding(t.dispatches[0]!)).toBe(3);
    expect(constantsBinding(t.dispatches[2]!)).toBe(2);
  });
});

describe('constant lifting with directives', () => {
  it('declares the uniform after `enable f16;`, which must come first', () => {
    const f16 = (m: number): string => `enable f16;\n${kernel(m, 64, 32)}`;
    const r = liftConstants([pipe('matmul_1', f16(640)), pipe('matmul_2', f16(128))], [disp(0), disp(1)], fnv1a);
    expect(r.pipelines.length).toBe(1);
    expect(r.pipelines[0]!.wgsl.startsWith('enable f16;\n@group(0) @binding(2) var<uniform> flapc_k')).toBe(true);
  });
});
