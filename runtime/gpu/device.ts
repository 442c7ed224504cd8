// Dawn adapter and device acquisition (the `webgpu` npm package), with the limits and
// features the compiler depends on turned into plain DeviceCaps.
import { mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DeviceCaps } from '../../compiler/index.ts';

export class GpuError extends Error {
  constructor(message: string) { super(message); this.name = 'GpuError'; }
}

/** No adapter: exit code 3 with install instructions. */
export class NoAdapterError extends GpuError {
  constructor(detail: string) {
    super(`no WebGPU adapter found${detail ? ` (${detail})` : ''}.\n` +
      'Install a Vulkan driver. On Debian bookworm without a GPU, lavapipe from bookworm-backports works:\n' +
      '  bash scripts/setup-gpu.sh      (adds bookworm-backports and installs mesa-vulkan-drivers >= 25)\n' +
      'Mesa 22.3 from bookworm main is too old for Dawn. Also make sure XDG_RUNTIME_DIR is set.');
    this.name = 'NoAdapterError';
  }
}

export interface AdapterReport {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  features: string[];
  limits: Record<string, number>;
  caps: DeviceCaps;
  icd: string | undefined;
}

export interface Gpu {
  device: GPUDevice;
  adapter: GPUAdapter;
  report: AdapterReport;
  caps: DeviceCaps;
  /** Pipelines by WGSL hash, shared by every plan on this device. */
  pipelineCache: Map<string, Promise<GPUComputePipeline>>;
  /** Set when the device is lost; every later call fails with it. */
  lost: string | null;
  destroy(): void;
}

const LIMIT_NAMES = [
  'maxStorageBuffersPerShaderStage', 'maxStorageBufferBindingSize', 'maxBufferSize', 'maxComputeWorkgroupStorageSize',
  'maxComputeInvocationsPerWorkgroup', 'maxComputeWorkgroupSizeX', 'maxComputeWorkgroupSizeY', 'maxComputeWorkgroupSizeZ',
  'maxComputeWorkgroupsPerDimension', 'maxBindGroups', 'maxTextureDimension2D', 'minSubgroupSize', 'maxSubgroupSize',
] as const;
const WANTED_FEATURES = ['subgroups', 'shader-f16', 'timestamp-query'] as const;

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

function subgroupSizeOf(a: GPUAdapter): number {
  const info = a.info as GPUAdapterInfo & { subgroupMinSize?: number; subgroupMaxSize?: number };
  if (!a.features.has('subgroups') || !info.subgroupMinSize || info.subgroupMinSize !== info.subgroupMaxSize) return 0;
  return info.subgroupMinSize;
}

function capsOf(a: GPUAdapter): DeviceCaps {
  const l = a.limits;
  return {
    maxStorageBuffersPerShaderStage: l.maxStorageBuffersPerShaderStage,
    maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
    maxComputeWorkgroupStorageSize: l.maxComputeWorkgroupStorageSize,
    maxComputeInvocationsPerWorkgroup: l.maxComputeInvocationsPerWorkgroup,
    maxComputeWorkgroupSizeX: l.maxComputeWorkgroupSizeX,
    maxComputeWorkgroupsPerDimension: l.maxComputeWorkgroupsPerDimension,
    maxTextureDimension2D: l.maxTextureDimension2D,
    subgroups: a.features.has('subgroups'),
    subgroupSize: subgroupSizeOf(a),
    shaderF16: a.features.has('shader-f16'),
    cpu: (a.info as GPUAdapterInfo & { isFallbackAdapter?: boolean }).isFallbackAdapter === true || a.info.architecture === 'software' || a.info.vendor === 'google' && a.info.architecture === 'swiftshader',
  };
}

export function describeAdapter(a: GPUAdapter): AdapterReport {
  const info = a.info;
  const limits: Record<string, number> = {};
  for (const k of LIMIT_NAMES) {
    const v = (a.limits as unknown as Record<string, number | undefined>)[k];
    if (typeof v === 'number') limits[k] = v;
  }
  return {
    vendor: info.vendor, architecture: info.architecture, device: info.device, description: info.description,
    features: [...a.features].map(String).sort(), limits, caps: capsOf(a), icd: process.env.VK_ICD_FILENAMES,
  };
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
  try { return /^flags\s*:(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? ''; } catch { return ''; }
}

export async function requestAdapter(): Promise<GPUAdapter> {
  const gpu = await loadInstance();
  let adapter: GPUAdapter | null = null;
  try { adapter = await gpu.requestAdapter(); } catch (e) { throw new NoAdapterError((e as Error).message); }
  if (!adapter) throw new NoAdapterError(process.env.FLAPC_ADAPTER ? `none matches FLAPC_ADAPTER=${process.env.FLAPC_ADAPTER}` : '');
  return adapter;
}

/** Acquire a device with every limit and wanted feature the adapter offers. */
export async function acquireGpu(): Promise<Gpu> {
  const adapter = await requestAdapter();
  const requiredFeatures = WANTED_FEATURES.filter((f) => adapter.features.has(f)) as GPUFeatureName[];
  const requiredLimits: Record<string, number> = {};
  for (const k of LIMIT_NAMES) {
    const v = (adapter.limits as unknown as Record<string, number | undefined>)[k];
    if (typeof v === 'number' && k !== 'minSubgroupSize' && k !== 'maxSubgroupSize') requiredLimits[k] = v;
  }
  const device = await adapter.requestDevice({ requiredFeatures, requiredLimits });
  const report = describeAdapter(adapter);
  const gpu: Gpu = {
    device, adapter, report, caps: report.caps, pipelineCache: new Map(), lost: null,
    destroy() { device.destroy(); },
  };
  void device.lost.then((info) => { if (info.reason !== 'destroyed') gpu.lost = `GPU device lost: ${info.message || info.reason}`; });
  device.onuncapturederror = (ev: GPUUncapturedErrorEvent): void => { gpu.lost ??= `GPU error: ${ev.error.message}`; };
  return gpu;
}

/** Run `f` inside validation and out-of-memory error scopes; throw the first error, named. */
export async function withErrorScopes<T>(gpu: Gpu, what: string, f: () => T | Promise<T>): Promise<T> {
  if (gpu.lost) throw new GpuError(gpu.lost);
  gpu.device.pushErrorScope('out-of-memory');
  gpu.device.pushErrorScope('validation');
  let result: T;
  try { result = await f(); } finally {
    const validation = await gpu.device.popErrorScope();
    const oom = await gpu.device.popErrorScope();
    const err = validation ?? oom;
    if (err) throw new GpuError(`${what}: ${err.message}`);
  }
  return result!;
}

/** Drop the process-wide Dawn instance once every device is destroyed, so Node can exit. */
export function releaseInstance(): void { instance = null; }

/** The Dawn GPU object (navigator.gpu's equivalent), for peers such as tfjs-webgpu in benchmarks. */
export function dawnInstance(): GPU | null { return instance; }
