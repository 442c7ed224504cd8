// What the compiler may assume about a GPU adapter: plain data, filled by the runtime from the
// adapter's limits and features (runtime/gpu/gpu.ts), so neither side imports the other's code.
/** What codegen may assume about the adapter (plain data; the compiler never sees the GPU). */
export interface DeviceCaps {
  maxStorageBuffersPerShaderStage: number;
  maxStorageBufferBindingSize: number;
  maxComputeWorkgroupStorageSize: number;
  maxComputeInvocationsPerWorkgroup: number;
  maxComputeWorkgroupSizeX: number;
  maxComputeWorkgroupsPerDimension: number;
  maxTextureDimension2D: number;
  subgroups: boolean;
  /** Lanes per subgroup when the adapter fixes it (min = max), else 0. */
  subgroupSize: number;
  /** A CPU implementation (lavapipe, SwiftShader): loop trip counts are hidden from its
   *  LLVM, which otherwise fully unrolls them (a 179-line layer-norm backward kernel took
   *  19.8 s to compile on lavapipe instead of 0.55 s). */
  cpu: boolean;
  shaderF16: boolean;
}

/** WebGPU's guaranteed minimums: what any adapter offers. */
export const BASELINE_CAPS: DeviceCaps = {
  maxStorageBuffersPerShaderStage: 8,
  maxStorageBufferBindingSize: 134217728,
  maxComputeWorkgroupStorageSize: 16384,
  maxComputeInvocationsPerWorkgroup: 256,
  maxComputeWorkgroupSizeX: 256,
  maxComputeWorkgroupsPerDimension: 65535,
  maxTextureDimension2D: 8192,
  subgroups: false,
  subgroupSize: 0,
  cpu: false,
  shaderF16: false,
};
