// The GPU as flapc uses it, on any WebGPU host (Dawn in Node, a browser's navigator.gpu): the
// device with every limit and wanted feature the adapter offers, the limits turned into plain
// DeviceCaps for the compiler, and error scopes. No Node imports: the web page bundles this.
import type { DeviceCaps } from '../../compiler/caps.ts';
import { settle } from './quiet-wait.ts';

export class GpuError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GpuError';
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

/**
 * A pipeline to compile ahead of its first use (gpu/compile-helpers.ts): its WGSL and what one
 * dispatch of it binds. Plain data: it crosses to a helper process.
 */
export interface WarmPipeline {
  wgsl: string;
  /** The kernel's label (for reports). */
  label: string;
  /** Bytes of each storage binding, in binding order. */
  bindings: number[];
  texture?: { binding: number; width: number; height: number };
  /** The uniform of lifted constants: its binding slot and number of i32s. */
  constants?: { binding: number; count: number };
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
  /**
   * Pipelines a plan is about to create, in the order it first dispatches them: where the driver
   * compiles at first dispatch into a cache other processes read (lavapipe), helper processes
   * compile them meanwhile (gpu/compile-helpers.ts). Absent elsewhere. Returns what to call once
   * the plan's first run is done: the helpers drop what is left of these (the run compiled it).
   */
  warm?(pipelines: WarmPipeline[]): () => void;
  destroy(): void;
}

const LIMIT_NAMES = [
  'maxStorageBuffersPerShaderStage',
  'maxStorageBufferBindingSize',
  'maxBufferSize',
  'maxComputeWorkgroupStorageSize',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupSizeX',
  'maxComputeWorkgroupSizeY',
  'maxComputeWorkgroupSizeZ',
  'maxComputeWorkgroupsPerDimension',
  'maxBindGroups',
  'maxTextureDimension2D',
  'minSubgroupSize',
  'maxSubgroupSize',
] as const;
const WANTED_FEATURES = ['subgroups', 'shader-f16', 'timestamp-query'] as const;

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
    cpu:
      (a.info as GPUAdapterInfo & { isFallbackAdapter?: boolean }).isFallbackAdapter === true ||
      a.info.architecture === 'software' ||
      (a.info.vendor === 'google' && a.info.architecture === 'swiftshader'),
  };
}

export function describeAdapter(a: GPUAdapter, icd?: string): AdapterReport {
  const info = a.info;
  const limits: Record<string, number> = {};
  for (const k of LIMIT_NAMES) {
    const v = (a.limits as unknown as Record<string, number | undefined>)[k];
    if (typeof v === 'number') limits[k] = v;
  }
  return {
    vendor: info.vendor,
    architecture: info.architecture,
    device: info.device,
    description: info.description,
    features: [...a.features].map(String).sort(),
    limits,
    caps: capsOf(a),
    icd,
  };
}

/** A device with every limit and wanted feature `adapter` offers; device loss is recorded, not thrown. */
export async function gpuFromAdapter(adapter: GPUAdapter, icd?: string): Promise<Gpu> {
  const requiredFeatures = WANTED_FEATURES.filter((f) => adapter.features.has(f)) as GPUFeatureName[];
  const requiredLimits: Record<string, number> = {};
  for (const k of LIMIT_NAMES) {
    const v = (adapter.limits as unknown as Record<string, number | undefined>)[k];
    if (typeof v === 'number' && k !== 'minSubgroupSize' && k !== 'maxSubgroupSize') requiredLimits[k] = v;
  }
  const device = await adapter.requestDevice({ requiredFeatures, requiredLimits });
  const report = describeAdapter(adapter, icd);
  const gpu: Gpu = {
    device,
    adapter,
    report,
    caps: report.caps,
    pipelineCache: new Map(),
    lost: null,
    destroy() {
      device.destroy();
    },
  };
  void device.lost.then((info) => {
    if (info.reason !== 'destroyed') gpu.lost = `GPU device lost: ${info.message || info.reason}`;
  });
  device.onuncapturederror = (ev: GPUUncapturedErrorEvent): void => {
    gpu.lost ??= `GPU error: ${ev.error.message}`;
  };
  return gpu;
}

/** Run `f` inside validation and out-of-memory error scopes; throw the first error, named. */
export async function withErrorScopes<T>(gpu: Gpu, what: string, f: () => T | Promise<T>): Promise<T> {
  if (gpu.lost) throw new GpuError(gpu.lost);
  gpu.device.pushErrorScope('out-of-memory');
  gpu.device.pushErrorScope('validation');
  let result: T | undefined, failure: unknown;
  try {
    result = await settle(gpu.caps, async () => f());
  } catch (e) {
    failure = e;
  }
  const [validation, oom] = await settle(gpu.caps, async () => [await gpu.device.popErrorScope(), await gpu.device.popErrorScope()]);
  const err = validation ?? oom;
  // The scope's error names what went wrong on the GPU; it wins over an exception it caused.
  if (err) throw new GpuError(`${what}: ${err.message}`);
  if (failure !== undefined) throw failure;
  return result as T;
}
