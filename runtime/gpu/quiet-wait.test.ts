// Quiet waits: the global setImmediate swap is scoped, nests, restores on failure, keeps
// clearImmediate working for both kinds of handle, and on the CPU adapter a long GPU wait leaves
// the main thread idle (Dawn's tick loop runs from a timer instead of spinning).
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { testGpu } from '../testing/harness.ts';
import { quietWaits, settle } from './quiet-wait.ts';

const CPU = { cpu: true };

describe('settle', () => {
  it('swaps setImmediate only inside the window, nested windows restore once, failures restore too', async () => {
    const native = globalThis.setImmediate;
    let inner: typeof setImmediate | undefined;
    await settle(CPU, async () => {
      expect(globalThis.setImmediate).not.toBe(native);
      await settle(CPU, async () => {
        inner = globalThis.setImmediate;
      });
      expect(globalThis.setImmediate).toBe(inner);
    });
    expect(globalThis.setImmediate).toBe(native);
    await expect(settle(CPU, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(globalThis.setImmediate).toBe(native);
    await expect(
      settle(CPU, () => {
        throw new Error('sync');
      }),
    ).rejects.toThrow('sync');
    expect(globalThis.setImmediate).toBe(native);
  });

  it('leaves everything alone on a non-CPU adapter', async () => {
    const native = globalThis.setImmediate;
    await settle({ cpu: false }, async () => expect(globalThis.setImmediate).toBe(native));
    expect(quietWaits({ cpu: false })).toBe(false);
    expect(quietWaits(CPU)).toBe(true);
  });

  it('runs callbacks scheduled in the window and cancels them with clearImmediate, of either kind', async () => {
    const ran: string[] = [];
    const before = setImmediate(() => ran.push('native-cancelled'));
    await settle(CPU, async () => {
      setImmediate(() => ran.push('timed'));
      const t = setImmediate(() => ran.push('timed-cancelled'));
      clearImmediate(t);
      clearImmediate(before);
      await new Promise((r) => setTimeout(r, 10));
    });
    expect(ran).toEqual(['timed']);
  });
});

/** CPU time of the calling thread in ms (Linux: utime + stime of /proc/thread-self/stat, in clock ticks of 10 ms). */
function threadCpuMs(): number {
  const s = readFileSync('/proc/thread-self/stat', 'utf8');
  const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) * 10;
}

describe('a long GPU wait on the CPU adapter', async () => {
  const gpu = await testGpu();
  afterAll(() => gpu.destroy());

  it.runIf(gpu.caps.cpu && process.platform === 'linux')('leaves the main thread mostly idle', async () => {
    // ~0.3-1 s of lavapipe work: each of 4096 invocations runs a dependent loop of 200k steps
    const code = `@group(0) @binding(0) var<storage, read_write> out: array<f32>;
@compute @workgroup_size(64) fn main(@builtin(global_invocation_id) g: vec3u) {
  var x = f32(g.x);
  for (var i = 0u; i < 200000u; i++) { x = fract(x * 1.000001 + 0.5); }
  out[g.x] = x;
}`;
    const { device } = gpu;
    const pipeline = device.createComputePipeline({ layout: 'auto', compute: { module: device.createShaderModule({ code }), entryPoint: 'main' } });
    const buffer = device.createBuffer({ size: 4096 * 4, usage: GPUBufferUsage.STORAGE });
    const bind = device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer } }] });
    const enc = device.createCommandEncoder();
    const pass = enc.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bind);
    pass.dispatchWorkgroups(64);
    pass.end();
    const cpu0 = threadCpuMs();
    const t0 = performance.now();
    device.queue.submit([enc.finish()]);
    await settle(gpu.caps, () => device.queue.onSubmittedWorkDone());
    const wall = performance.now() - t0;
    const cpu = threadCpuMs() - cpu0;
    buffer.destroy();
    expect(wall).toBeGreaterThan(150); // long enough for the ratio to mean something
    // spinning, the main thread takes 70-90 % of the wall time (more when the machine is quiet)
    expect(cpu / wall).toBeLessThan(0.25);
  });
});
