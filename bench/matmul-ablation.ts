// Where a subgroup matmul's time goes on this adapter: the compiler's own WGSL for an n³
// product, timed round-robin against copies with one cost removed (results wrong on purpose,
// timing only), plus wider register tiles that the variant table does not carry.
//   node --import tsx bench/matmul-ablation.ts [--n 1024] [--variant subgroup32x8] [--rounds 5]
import { parseArgs } from 'node:util';
import { compileGraph } from '../compiler/compile.ts';
import { type MatmulVariant, usable } from '../compiler/codegen/matmul.ts';
import { GraphBuilder } from '../compiler/ir/builder.ts';
import { acquireGpu } from '../runtime/gpu/device.ts';
import { timeInterleaved } from '../runtime/tune/matmul-tune.ts';

const { values } = parseArgs({
  options: { n: { type: 'string', default: '1024' }, variant: { type: 'string', default: 'subgroup32x8' }, rounds: { type: 'string', default: '5' } },
});
const n = Number(values.n);
const gpu = await acquireGpu();
const d = gpu.device;
const base = usable(values.variant!, gpu.caps);
if (base?.kind !== 'subgroup') throw new Error(`${values.variant} is not a subgroup variant this adapter can run`);

function kernelOf(v: MatmulVariant): { wgsl: string; grid: [number, number, number] } {
  const g = new GraphBuilder();
  g.output('c', g.matmul(g.input('a', [n, n]), g.input('b', [n, n])));
  const { plan } = compileGraph(g.build(), { caps: gpu.caps, matmulVariant: v, debug: 0 });
  const [disp] = plan.dispatches;
  return { wgsl: plan.pipelines[disp!.pipeline]!.wgsl, grid: disp!.workgroups as [number, number, number] };
}

const main = kernelOf(base);
// Keep every binding referenced so the layout stays the same when a load is removed.
const keep = (w: string): string => w.replace(/(fn main\([^{]*\{)/, '$1\n  _ = in0[0]; _ = in1[0];');
/** The product stored one component at a time, as before vec4 stores (same values). */
function scalarStores(w: string): string {
  return w
    .replace('out0: array<vec4<f32>>', 'out0: array<f32>')
    .replace(/out0\[\((.*)\) \/ 4\] = (c\d+_\d+);/g, (_m, at: string, c: string) => [0, 1, 2, 3].map((t) => `out0[${at} + ${t}] = ${c}[${t}];`).join(' '));
}
/** B read with textureLoad from an rgba32float copy of it (gallivm's texel fetch path). */
function textureB(w: string): string {
  const loads = new RegExp(`in1\\[\\(bz \\* ${n * n} \\+ (\\w+) \\* ${n} \\+ min\\((\\w+), ${n - 4}\\)\\) / 4\\]`, 'g');
  return w
    .replace('var<storage, read> in1: array<vec4<f32>>;', 'var<storage, read> in1: array<vec4<f32>>;\n@group(0) @binding(3) var bT: texture_2d<f32>;')
    .replace(/(fn main\([^{]*\{)/, '$1\n  _ = in1[0];')
    .replace(loads, `textureLoad(bT, vec2<i32>(min($2, ${n - 4}) / 4, $1), 0)`);
}
const cases: { name: string; wgsl: string; grid: [number, number, number] }[] = [
  { name: `${values.variant}`, ...main },
  { name: 'without broadcasts', wgsl: main.wgsl.replace(/subgroupBroadcast\((\w+), \d+u\)/g, '$1'), grid: main.grid },
  { name: 'without B loads', wgsl: keep(main.wgsl.replace(/in1\[[^\]]*\]/g, 'vec4<f32>(f32(k0), 1.0f, 2.0f, 3.0f)')), grid: main.grid },
  { name: 'shuffle, not broadcast', wgsl: main.wgsl.replace(/subgroupBroadcast\((\w+), (\d+)u\)/g, 'subgroupShuffle($1, $2u)'), grid: main.grid },
  { name: 'scalar stores (session 3)', wgsl: scalarStores(main.wgsl), grid: main.grid },
  ...(textureB(main.wgsl).includes('textureLoad') ? [{ name: 'B from a texture', wgsl: textureB(main.wgsl), grid: main.grid }] : []),
  { name: `${base.rm}x${base.rn * 2} (wider lanes)`, ...kernelOf({ ...base, rn: base.rn * 2 }) },
  // The first kernel again, last in each round: shows any bias from the position in a round.
  { name: `${values.variant} (again)`, ...main },
];

const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
const bufs = [0, 1, 2].map(() => d.createBuffer({ size: n * n * 4, usage }));
const rnd = Float32Array.from({ length: n * n }, (_, i) => ((i * 7919) % 1000) / 1000 - 0.5);
d.queue.writeBuffer(bufs[0]!, 0, rnd);
d.queue.writeBuffer(bufs[1]!, 0, rnd);
const bTex = d.createTexture({ size: [n / 4, n], format: 'rgba32float', usage: GPUTextureUsage.TEXTURE_BINDING | GPUTextureUsage.COPY_DST });
const runs = [];
for (const c of cases) {
  const t0 = performance.now();
  const p = await d.createComputePipelineAsync({ layout: 'auto', compute: { module: d.createShaderModule({ code: c.wgsl }), entryPoint: 'main' } });
  const textured = c.wgsl.includes('texture_2d');
  const entries: GPUBindGroupEntry[] = bufs.map((buffer, i) => ({ binding: i, resource: { buffer } }));
  if (textured) entries.push({ binding: 3, resource: bTex.createView() });
  const bg = d.createBindGroup({ layout: p.getBindGroupLayout(0), entries });
  const r = {
    run(): void {
      const e = d.createCommandEncoder();
      // The copy into the texture is part of every timed run (a real kernel would need it too).
      if (textured) e.copyBufferToTexture({ buffer: bufs[1]!, bytesPerRow: n * 4 }, { texture: bTex }, [n / 4, n]);
      const pass = e.beginComputePass();
      pass.setPipeline(p);
      pass.setBindGroup(0, bg);
      pass.dispatchWorkgroups(...c.grid);
      pass.end();
      d.queue.submit([e.finish()]);
    },
    sync: () => d.queue.onSubmittedWorkDone(),
  };
  r.run();
  await r.sync();
  process.stderr.write(`${c.name}: compiled and first run in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  runs.push(r);
}
const ms = await timeInterleaved(runs, Number(values.rounds));
if (gpu.lost) throw new Error(gpu.lost); // a rejected command would time as "fast"
console.log(`matmul ${n}³ on ${gpu.report.description}, median of ${values.rounds} interleaved rounds:`);
cases.forEach((c, i) =>
  console.log(`  ${c.name.padEnd(26)} ${ms[i]!.toFixed(1).padStart(8)} ms  ${((2 * n ** 3) / (ms[i]! * 1e6)).toFixed(2).padStart(6)} GFLOP/s`),
);
gpu.destroy();
process.exit(0);
