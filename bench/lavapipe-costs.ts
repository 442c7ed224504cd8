// Micro-benchmarks of the instruction costs that shape matmul variants on CPU adapters:
// storage loads (scalar, vec4, uniform address, workgroup memory), subgroup broadcast/shuffle
// (in a loop and in straight-line code) and FMA throughput. Run: node --import tsx bench/lavapipe-costs.ts [ONLY=name,...]
import { acquireGpu } from '../runtime/gpu/device.ts';
const gpu = await acquireGpu();
const d = gpu.device;
const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
const out = d.createBuffer({ size: 1 << 22, usage });
const variants: Record<string, string> = {
  loadscalar: `@group(0) @binding(0) var<storage, read_write> C: array<f32>;
@compute @workgroup_size(64) fn main(@builtin(global_invocation_id) g: vec3<u32>) {
  var c0 = 0.0f;
  for (var k = 0u; k < 4096u; k++) { c0 += C[(g.x + k * 64u) & 262143u]; }
  C[g.x] = c0;
}`,
  loadscalar4: `@group(0) @binding(0) var<storage, read_write> C: array<f32>;
@compute @workgroup_size(64) fn main(@builtin(global_invocation_id) g: vec3<u32>) {
  var c0 = 0.0f; var c1 = 0.0f; var c2 = 0.0f; var c3 = 0.0f;
  for (var k = 0u; k < 4096u; k++) { let i = ((g.x + k * 64u) * 4u) & 262143u; c0 += C[i]; c1 += C[i+1u]; c2 += C[i+2u]; c3 += C[i+3u]; }
  C[g.x] = c0 + c1 + c2 + c3;
}`,

  wgload: `var<workgroup> W: array<vec4<f32>, 1024>;
@group(0) @binding(0) var<storage, read_write> C: array<vec4<f32>>;
@compute @workgroup_size(64) fn main(@builtin(global_invocation_id) g: vec3<u32>, @builtin(local_invocation_index) li: u32) {
  for (var i = li; i < 1024u; i += 64u) { W[i] = C[i]; }
  workgroupBarrier();
  var c0 = vec4<f32>(0.0);
  for (var k = 0u; k < 4096u; k++) { c0 += W[(g.x + k * 64u) & 1023u]; }
  C[g.x] = c0;
}`,

  bcast: `enable subgroups;
@group(0) @binding(0) var<storage, read_write> C: array<vec4<f32>>;
@compute @workgroup_size(64) fn main(@builtin(global_invocation_id) g: vec3<u32>) {
  var c0 = vec4<f32>(f32(g.x)); var c1 = c0 + 1.0; var c2 = c0 + 2.0; var c3 = c0 + 3.0;
  var a = f32(g.x) * 0.001;
  for (var k = 0u; k < 4096u; k++) { a = a * 0.999 + 0.001; let b0 = subgroupBroadcast(a, 1u); let b1 = subgroupBroadcast(a, 2u); let b2 = subgroupBroadcast(a, 3u); let b3 = subgroupBroadcast(a, 4u); c0 = fma(c0, vec4(b0), c1); c1 = fma(c1, vec4(b1), c2); c2 = fma(c2, vec4(b2), c3); c3 = fma(c3, vec4(b3), c0); }
  C[g.x] = c0 + c1 + c2 + c3;
}`,
  shuffle: `enable subgroups;
@group(0) @binding(0) var<storage, read_write> C: array<vec4<f32>>;
@compute @workgroup_size(64) fn main(@builtin(global_invocation_id) g: vec3<u32>) {
  var c0 = vec4<f32>(f32(g.x)); var c1 = c0 + 1.0; var c2 = c0 + 2.0; var c3 = c0 + 3.0;
  var a = f32(g.x) * 0.001;
  for (var k = 0u; k < 4096u; k++) { a = a * 0.999 + 0.001; let b0 = subgroupShuffle(a, 1u); let b1 = subgroupShuffle(a, 2u); let b2 = subgroupShuffle(a, 3u); let b3 = subgroupShuffle(a, 4u); c0 = fma(c0, vec4(b0), c1); c1 = fma(c1, vec4(b1), c2); c2 = fma(c2, vec4(b2), c3); c3 = fma(c3, vec4(b3), c0); }
  C[g.x] = c0 + c1 + c2 + c3;
}`,
  loaduni: `@group(0) @binding(0) var<storage, read_write> C: array<vec4<f32>>;
@compute @workgroup_size(64) fn main(@builtin(global_invocation_id) g: vec3<u32>) {
  var c0 = vec4<f32>(0.0);
  for (var k = 0u; k < 4096u; k++) { c0 += C[k & 65535u]; }
  C[g.x] = c0;
}`,

  fma: `@group(0) @binding(0) var<storage, read_write> C: array<vec4<f32>>;
@compute @workgroup_size(64) fn main(@builtin(global_invocation_id) g: vec3<u32>) {
  var c0 = vec4<f32>(f32(g.x)); var c1 = c0 + 1.0; var c2 = c0 + 2.0; var c3 = c0 + 3.0;
  let b = vec4<f32>(0.999, 0.998, 0.997, 0.996);
  for (var k = 0u; k < 4096u; k++) { c0 = fma(c0, b, b); c1 = fma(c1, b, b); c2 = fma(c2, b, b); c3 = fma(c3, b, b); c0 = fma(c0, b, b); c1 = fma(c1, b, b); c2 = fma(c2, b, b); c3 = fma(c3, b, b); }
  C[g.x] = c0 + c1 + c2 + c3;
}`,
  load: `@group(0) @binding(0) var<storage, read_write> C: array<vec4<f32>>;
@compute @workgroup_size(64) fn main(@builtin(global_invocation_id) g: vec3<u32>) {
  var c0 = vec4<f32>(0.0);
  for (var k = 0u; k < 4096u; k++) { c0 += C[(g.x + k * 64u) & 65535u]; }
  C[g.x] = c0;
}`,
};

// Generated: FMA throughput with few vs many FMAs per loop iteration, and a subgroup
// broadcast inside a loop vs in straight-line code (gallivm takes a slower path under a loop's
// execution mask), each against the same code without the broadcast.
const acc8 = Array.from({ length: 8 }, (_, j) => `var c${j} = vec4<f32>(f32(g.x) + ${j}.0);`).join(' ');
const sum8 = 'C[g.x] = c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7;';
const head = `enable subgroups;
@group(0) @binding(0) var<storage, read_write> C: array<vec4<f32>>;
@compute @workgroup_size(64) fn main(@builtin(global_invocation_id) g: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let oz = min(i32(nwg.z) - 1, 0);
  let b = vec4<f32>(0.999, 0.998, 0.997, 0.996);
  var x = f32(g.x) * 0.001;
  ${acc8}`;
const fmas = (n: number): string => Array.from({ length: n }, (_, i) => `c${i % 8} = fma(c${i % 8}, b, b);`).join(' ');
variants.fma64 = `${head}\n  for (var k = 0; k < 64 + oz; k++) { ${fmas(64)} }\n  ${sum8}\n}`;
const bcBody = (bc: boolean, reps = 32): string =>
  Array.from(
    { length: reps },
    () =>
      `${Array.from({ length: 8 }, (_, j) => `c${j} = fma(vec4<f32>(${bc ? `subgroupBroadcast(x, ${j}u)` : 'x'}), b, c${j});`).join(' ')} x = x * 0.999 + 0.001;`,
  ).join('\n    ');
variants.bcloop = `${head}\n  for (var k = 0; k < 16 + oz; k++) {\n    ${bcBody(true)}\n  }\n  ${sum8}\n}`;
variants.nobcloop = `${head}\n  for (var k = 0; k < 16 + oz; k++) {\n    ${bcBody(false)}\n  }\n  ${sum8}\n}`;
variants.bcstraight = `${head}\n  ${bcBody(true, 256)}\n  ${sum8}\n}`;
variants.nobcstraight = `${head}\n  ${bcBody(false, 256)}\n  ${sum8}\n}`;
const groups = 1024; // 65536 threads
for (const [name, code] of Object.entries(variants)) {
  if (process.env.ONLY && !process.env.ONLY.split(',').includes(name)) continue;
  const p = await d.createComputePipelineAsync({ layout: 'auto', compute: { module: d.createShaderModule({ code }), entryPoint: 'main' } });
  const bg = d.createBindGroup({ layout: p.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer: out } }] });
  const run = async () => {
    const enc = d.createCommandEncoder();
    const pass = enc.beginComputePass();
    pass.setPipeline(p);
    pass.setBindGroup(0, bg);
    pass.dispatchWorkgroups(groups);
    pass.end();
    d.queue.submit([enc.finish()]);
    await d.queue.onSubmittedWorkDone();
  };
  await run();
  const t = performance.now();
  await run();
  const ms = performance.now() - t;
  // Units per lane-iteration: fma 32 scalar FMAs; bcast/shuffle 4 ops (+16 FMAs); loads 1 (loadscalar4: 4 scalar loads).
  // Units per lane for the generated kernels (their loops run a different number of times).
  const total: Record<string, [number, string]> = {
    fma64: [64 * 64 * 4, 'G scalar FMA/s'],
    bcloop: [16 * 256, 'G broadcast+vec4 FMA/s'],
    nobcloop: [16 * 256, 'G vec4 FMA/s'],
    bcstraight: [2048, 'G broadcast+vec4 FMA/s'],
    nobcstraight: [2048, 'G vec4 FMA/s'],
  };
  if (total[name]) {
    const [units, label] = total[name]!;
    console.log(name.padEnd(12), `${ms.toFixed(1)} ms`, ((groups * 64 * units) / ms / 1e6).toFixed(2), label);
    continue;
  }
  const unit: Record<string, [number, string]> = {
    fma: [32, 'G scalar FMA/s'],
    bcast: [4, 'G broadcasts/s (with 16 FMAs each 4)'],
    shuffle: [4, 'G shuffles/s (with 16 FMAs each 4)'],
    loadscalar: [1, 'G scalar loads/s'],
    loadscalar4: [4, 'G scalar loads/s'],
    load: [1, 'G vec4 loads/s'],
    loaduni: [1, 'G vec4 loads/s (same address)'],
    wgload: [1, 'G workgroup vec4 loads/s'],
  };
  const [per, label] = unit[name]!;
  console.log(name.padEnd(12), `${ms.toFixed(1)} ms`, ((groups * 64 * 4096 * per) / ms / 1e6).toFixed(2), label);
}
d.destroy();
process.exit(0);
