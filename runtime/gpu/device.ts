// The Node host: Dawn (the `webgpu` npm package) as the WebGPU implementation, adapter choice by
// FLAPC_ADAPTER, XDG_RUNTIME_DIR for Vulkan, and lavapipe advice. gpu.ts is the host-neutral part.
import { mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompileHelpers, helperCount } from './compile-helpers.ts';
import { type Gpu, GpuError, type WarmPipeline, gpuFromAdapter } from './gpu.ts';

export { type AdapterReport, type Gpu, GpuError, describeAdapter, gpuFromAdapter, withErrorScopes } from './gpu.ts';

/** No adapter: exit code 3 with install instructions. */
export class NoAdapterError extends GpuError {
  constructor(detail: string) {
    super(
      `no WebGPU adapter found${detail ? ` (${detail})` : ''}.\n` +
        'Install a Vulkan driver. On Debian bookworm without a GPU, lavapipe from bookworm-backports works:\n' +
        '  bash scripts/setup-gpu.sh      (adds bookworm-backports and installs mesa-vulkan-drivers >= 25)\n' +
        'Mesa 22.3 from bookworm main is too old for Dawn. Also make sure XDG_RUNTIME_DIR is set.',
    );
    this.name = 'NoAdapterError';
  }
}

// Keep the Dawn instance referenced for the life of the process: if it is garbage
// collected while a device lives, lavapipe aborts.
let instance: GPU | null = null;

async function loadInstance(): Promise<GPU> {
  if (!process.env.XDG_RUNTIME_DIR) {
    const dir = join(tmpdir(), `flapc-xdg-${process.getuid?.() ?? 0}`);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    process.env.XDG_RUNTIME_DIR = dir;
  }
  if (!instance) {
    const mod = await import('webgpu');
    Object.assign(globalThis, mod.globals);
    const flags: string[] = [];
    const name = process.env.FLAPC_ADAPTER;
    if (name) flags.push(`adapter=${name}`);
    instance = mod.create(flags);
  }
  return instance;
}

/**
 * Advice for lavapipe on an AVX-512 CPU: it runs 8-wide (256-bit) subgroups unless
 * LP_NATIVE_VECTOR_WIDTH=512 is set before the driver loads. 16 wide, large matmuls run
 * ~1.6x faster (bench/RESULTS.md), but pipelines compile ~3x slower the first time, so it
 * stays a choice for the user rather than a default.
 */
export function vectorWidthHint(device: string, cpuFlags: string = cpuFlagsLine()): string | undefined {
  if (!/^llvmpipe.*-256-bits/.test(device) || !/\bavx512f\b/.test(cpuFlags)) return undefined;
  return 'this CPU has AVX-512: LP_NATIVE_VECTOR_WIDTH=512 gives lavapipe 16-wide subgroups (large matmuls ~1.6x faster; first pipeline compiles ~3x slower)';
}

function cpuFlagsLine(): string {
  try {
    return /^flags\s*:(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? '';
  } catch {
    return '';
  }
}

export async function requestAdapter(): Promise<GPUAdapter> {
  const gpu = await loadInstance();
  let adapter: GPUAdapter | null = null;
  try {
    adapter = await gpu.requestAdapter();
  } catch (e) {
    throw new NoAdapterError((e as Error).message);
  }
  if (!adapter) throw new NoAdapterError(process.env.FLAPC_ADAPTER ? `none matches FLAPC_ADAPTER=${process.env.FLAPC_ADAPTER}` : '');
  return adapter;
}

/**
 * Acquire a device with every limit and wanted feature the adapter offers; on lavapipe, with
 * helper processes that compile a plan's pipelines while it runs (compile-helpers.ts).
 */
export async function acquireGpu(): Promise<Gpu> {
  const gpu = await gpuFromAdapter(await requestAdapter(), process.env.VK_ICD_FILENAMES);
  const { count, why } = helperCount(gpu.report);
  if (Number(process.env.FLAPC_DEBUG ?? 0) >= 3) console.error(`[gpu] compile helpers: ${count}${why ? ` (${why})` : ''}`);
  if (count === 0) return gpu;
  const helpers = new CompileHelpers(count);
  const destroy = gpu.destroy.bind(gpu);
  return Object.assign(gpu, {
    warm: (pipelines: WarmPipeline[]) => helpers.warm(pipelines),
    destroy: () => {
      void helpers.stop();
      destroy();
    },
  });
}

/** Drop the process-wide Dawn instance once every device is destroyed, so Node can exit. */
export function releaseInstance(): void {
  instance = null;
}

/** The Dawn GPU object (navigator.gpu's equivalent), for peers such as tfjs-webgpu in benchmarks. */
export function dawnInstance(): GPU | null {
  return instance;
}
