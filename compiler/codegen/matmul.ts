// Matmul templates. Operands are read through the same index machinery as everything
// else (so transposed views cost nothing extra to express); the epilogue (bias, activation,
// residual) is evaluated on the accumulator registers before the single write.
import type { Kernel } from '../fuse/kernel-ir.ts';
import type { Eqn } from '../ir/types.ts';
import { numel } from '../ir/types.ts';
import type { Idx, Scope } from './emit.ts';
import type { DeviceCaps } from './wgsl.ts';

/**
 * regtile: each thread owns an RM×RN register tile and streams operands from storage:
 *   no workgroup memory or barriers (fast where barriers are costly, e.g. CPU adapters).
 * shared: workgroup tiles staged in workgroup memory (classic discrete-GPU layout).
 */
export interface MatmulVariant {
  kind: 'regtile' | 'shared';
  /** Threads per workgroup along n and m. */
  wx: number;
  wy: number;
  /** Register tile per thread (rows, cols). */
  rm: number;
  rn: number;
  /** k-tile staged per iteration (shared variant). */
  kt: number;
}

export const MATMUL_VARIANTS: Record<string, MatmulVariant> = {
  regtile4x4: { kind: 'regtile', wx: 8, wy: 8, rm: 4, rn: 4, kt: 1 },
  regtile8x4: { kind: 'regtile', wx: 8, wy: 8, rm: 8, rn: 4, kt: 1 },
  shared4x4: { kind: 'shared', wx: 16, wy: 16, rm: 4, rn: 4, kt: 16 },
};

export function chooseMatmulVariant(_e: Eqn, caps: DeviceCaps): MatmulVariant {
  const v = MATMUL_VARIANTS.regtile4x4!;
  return v.wx * v.wy <= caps.maxComputeInvocationsPerWorkgroup ? v : { ...v, wx: 4, wy: 4 };
}

export function matmulBody(k: Kernel, s: Scope, v: MatmulVariant, caps: DeviceCaps): { body: string; dispatch: [number, number, number]; flops: number } {
  const e = k.anchor!;
  const [a, b] = [e.inputs[0]!, e.inputs[1]!];
  const r = a.shape.length;
  const M = a.shape[r - 2]!, K = a.shape[r - 1]!, N = b.shape[r - 1]!;
  const batchShape = a.shape.slice(0, r - 2);
  const batch = numel(batchShape);
  const tileM = v.wy * v.rm, tileN = v.wx * v.rn;
  const gx = Math.ceil(N / tileN), gy = Math.ceil(M / tileM);
  if (batch > caps.maxComputeWorkgroupsPerDimension || gx > caps.maxComputeWorkgroupsPerDimension || gy > caps.maxComputeWorkgroupsPerDimension) {
    throw new Error(`matmul ${a.shape.join('x')} @ ${b.shape.join('x')} needs more workgroups than the adapter allows`);
  }
  const lines: string[] = [];
  const top = s.child();
  const bdims = top.dims({ shape: batchShape, lin: 'bz' });
  lines.push(...top.lines.splice(0));
  const aIdx = (m: string, kk: string): Idx => ({ shape: a.shape, dims: [...bdims, m, kk] });
  const bIdx = (kk: string, n: string): Idx => ({ shape: b.shape, dims: [...bdims, kk, n] });
  for (let i = 0; i < v.rm; i++) lines.push(`let ma${i} = min(m0 + ${i}, ${M - 1});`);
  for (let j = 0; j < v.rn; j++) lines.push(`let na${j} = min(n0 + ${j}, ${N - 1});`);
  for (let i = 0; i < v.rm; i++) lines.push(`var c${i} = vec${v.rn === 4 ? 4 : v.rn}<f32>();`);

  if (v.kind === 'regtile') {
    const loop = top.child();
    const av = Array.from({ length: v.rm }, (_, i) => loop.value(a, aIdx(`ma${i}`, 'k')));
    const bv = Array.from({ length: v.rn }, (_, j) => loop.value(b, bIdx('k', `na${j}`)));
    lines.push(`for (var k = 0; k < ${K}; k++) {`, ...loop.lines.map((l) => '  ' + l),
      `  let bk = vec${v.rn}<f32>(${bv.join(', ')});`,
      ...av.map((x, i) => `  c${i} = fma(vec${v.rn}<f32>(${x}), bk, c${i});`), '}');
    s.usesRng ||= loop.usesRng; s.usesErf ||= loop.usesErf;
  } else {
    // Stage a tileM×kt slab of A and a kt×tileN slab of B per iteration.
    const nThreads = v.wx * v.wy;
    const load = top.child();
    const aLoads: string[] = [], bLoads: string[] = [];
    for (let t = 0; t < Math.ceil((tileM * v.kt) / nThreads); t++) {
      const sl = `(tid + ${t * nThreads})`;
      const ak = load.let(`${sl} % ${v.kt}`, 'q'), am = load.let(`${sl} / ${v.kt}`, 'q');
      const gm = load.let(`min(mb + ${am}, ${M - 1})`, 'q'), gk = load.let(`min(k0 + ${ak}, ${K - 1})`, 'q');
      const val = load.value(a, aIdx(gm, gk));
      aLoads.push(`if (${am} < ${tileM}) { sa[${am} * ${v.kt} + ${ak}] = select(0.0f, ${val}, k0 + ${ak} < ${K}); }`);
    }
    for (let t = 0; t < Math.ceil((tileN * v.kt) / nThreads); t++) {
      const sl = `(tid + ${t * nThreads})`;
      const bn = load.let(`${sl} % ${tileN}`, 'q'), bk = load.let(`${sl} / ${tileN}`, 'q');
      const gn = load.let(`min(nb + ${bn}, ${N - 1})`, 'q'), gk = load.let(`min(k0 + ${bk}, ${K - 1})`, 'q');
      const val = load.value(b, bIdx(gk, gn));
      bLoads.push(`if (${bk} < ${v.kt}) { sb[${bk} * ${tileN} + ${bn}] = select(0.0f, ${val}, k0 + ${bk} < ${K}); }`);
    }
    s.usesRng ||= load.usesRng; s.usesErf ||= load.usesErf;
    lines.push(`for (var k0 = 0; k0 < ${K}; k0 += ${v.kt}) {`, ...load.lines.map((l) => '  ' + l), ...aLoads.map((l) => '  ' + l),
      ...bLoads.map((l) => '  ' + l), '  workgroupBarrier();',
      `  for (var kk = 0; kk < ${v.kt}; kk++) {`,
      `    let bk = vec${v.rn}<f32>(${Array.from({ length: v.rn }, (_, j) => `sb[kk * ${tileN} + i32(lid.x) * ${v.rn} + ${j}]`).join(', ')});`,
      ...Array.from({ length: v.rm }, (_, i) => `    c${i} = fma(vec${v.rn}<f32>(sa[(i32(lid.y) * ${v.rm} + ${i}) * ${v.kt} + kk]), bk, c${i});`),
      '  }', '  workgroupBarrier();', '}');
  }

  // Epilogue: the kernel's root value at each output position, with the product as a local.
  const out = k.outputs[0]!;
  const buf = s.ctx.buffers.get(out.id)!;
  for (let i = 0; i < v.rm; i++) {
    for (let j = 0; j < v.rn; j++) {
      const ep = top.child();
      ep.locals.set(e.outputs[0]!.id, `c${i}[${j}]`);
      const val = ep.value(out, { shape: out.shape, dims: [...bdims, `(m0 + ${i})`, `(n0 + ${j})`], lin: `(bz * ${M * N} + (m0 + ${i}) * ${N} + n0 + ${j})` });
      s.usesRng ||= ep.usesRng; s.usesErf ||= ep.usesErf;
      lines.push(`if (m0 + ${i} < ${M} && n0 + ${j} < ${N}) {`, ...ep.lines.map((l) => '  ' + l),
        `  ${buf}[bz * ${M * N} + (m0 + ${i}) * ${N} + n0 + ${j}] = ${val};`, '}');
    }
  }
  const shared = v.kind === 'shared'
    ? `var<workgroup> sa: array<f32, ${tileM * v.kt}>;\nvar<workgroup> sb: array<f32, ${v.kt * tileN}>;\n` : '';
  const body = `${shared}@compute @workgroup_size(${v.wx}, ${v.wy})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let bz = i32(wid.z);
  let mb = i32(wid.y) * ${tileM};
  let nb = i32(wid.x) * ${tileN};
  let tid = i32(lid.y * ${v.wx}u + lid.x);
  let m0 = mb + i32(lid.y) * ${v.rm};
  let n0 = nb + i32(lid.x) * ${v.rn};
${lines.map((l) => '  ' + l).join('\n')}
}`;
  return { body, dispatch: [gx, gy, Math.max(batch, 1)], flops: 2 * batch * M * N * K };
}
