// One pipeline built and dispatched once, for the compile helpers and bench/pipeline-compile.ts.
import type { Gpu, WarmPipeline } from './gpu.ts';
import { settle } from './quiet-wait.ts';

/**
 * Create `p` and run one workgroup of it on zero buffers: lavapipe compiles at the first
 * dispatch. Returns the milliseconds spent creating the pipeline (the rest is the dispatch).
 */
export async function compileOnce(gpu: Gpu, p: WarmPipeline): Promise<number> {
  const d = gpu.device;
  const t0 = performance.now();
  const module = d.createShaderModule({ code: p.wgsl });
  const pipeline = await settle(gpu.caps, () => d.createComputePipelineAsync({ layout: 'auto', compute: { module, entryPoint: 'main' } }));
  const createMs = performance.now() - t0;
  const buffers = p.bindings.map((bytes) => d.createBuffer({ size: Math.max(16, Math.ceil(bytes / 16) * 16), usage: GPUBufferUsage.STORAGE }));
  const entries: GPUBindGroupEntry[] = buffers.map((buffer, binding) => ({ binding, resource: { buffer } }));
  const t = p.texture;
  const texture = t ? d.createTexture({ size: [t.width, t.height], format: 'rgba32float', usage: GPUTextureUsage.TEXTURE_BINDING }) : undefined;
  if (t && texture) entries.push({ binding: t.binding, resource: texture.createView() });
  if (p.constants) {
    const k = d.createBuffer({ size: Math.ceil(p.constants.count / 4) * 16, usage: GPUBufferUsage.UNIFORM });
    buffers.push(k);
    entries.push({ binding: p.constants.binding, resource: { buffer: k } });
  }
  const enc = d.createCommandEncoder();
  const pass = enc.beginComputePass();
  pass.setPipeline(pipeline);
  pass.setBindGroup(0, d.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries }));
  pass.dispatchWorkgroups(1, 1, 1);
  pass.end();
  d.queue.submit([enc.finish()]);
  await settle(gpu.caps, () => d.queue.onSubmittedWorkDone());
  for (const b of buffers) b.destroy();
  texture?.destroy();
  return createMs;
}
