// tfjs-webgpu as a benchmark peer on the very same Dawn device (docs/design.md §8: it runs in
// Node given globalThis.navigator = { gpu }). Loaded lazily: a dev dependency, used only by bench.
import { dawnInstance, type Gpu } from '../gpu/device.ts';

export interface PeerMatmul {
  run(): void;
  sync(): Promise<void>;
  check(): Promise<Float32Array>;
  dispose(): void;
}

type TfCore = typeof import('@tensorflow/tfjs-core');
type TfWebGpu = InstanceType<typeof import('@tensorflow/tfjs-backend-webgpu').WebGPUBackend>;

/** tfjs-core with its WebGPU backend registered on flapc's device. */
export async function startTfjs(gpu: Gpu): Promise<{ tf: TfCore; backend: TfWebGpu }> {
  const g = globalThis as { navigator?: unknown };
  g.navigator ??= { gpu: dawnInstance(), userAgent: 'node' };
  let tf: TfCore;
  let WebGPUBackend: typeof import('@tensorflow/tfjs-backend-webgpu').WebGPUBackend;
  try {
    tf = await import('@tensorflow/tfjs-core');
    ({ WebGPUBackend } = await import('@tensorflow/tfjs-backend-webgpu'));
  } catch {
    throw new Error('tfjs-webgpu is not installed (npm ci installs it as a dev dependency)');
  }
  if (tf.getBackend() !== 'webgpu' || !(tf.backend() instanceof WebGPUBackend)) {
    // Its kernels are registered under the name 'webgpu'; re-register that name on our device.
    tf.removeBackend('webgpu');
    tf.registerBackend('webgpu', () => new WebGPUBackend(gpu.device, gpu.adapter.info), 10);
    if (!(await tf.setBackend('webgpu'))) throw new Error('tfjs-webgpu failed to start on this device');
  }
  return { tf, backend: tf.backend() as TfWebGpu };
}

export async function tfjsMatmul(gpu: Gpu, n: number, a: Float32Array, b: Float32Array): Promise<PeerMatmul> {
  const { tf, backend } = await startTfjs(gpu);
  const ta = tf.tensor2d(a, [n, n]),
    tb = tf.tensor2d(b, [n, n]);
  let last: import('@tensorflow/tfjs-core').Tensor | undefined;
  return {
    run() {
      last?.dispose();
      last = tf.matMul(ta, tb);
      backend.endComputePassEncoder();
      backend.submitQueue();
    },
    async sync() {
      await gpu.device.queue.onSubmittedWorkDone();
    },
    async check() {
      return (await last!.data()) as Float32Array;
    },
    dispose() {
      last?.dispose();
      ta.dispose();
      tb.dispose();
    },
  };
}
