// Test harness: run a graph on Dawn and on the float64 reference with the same inputs.
import {
  type CompileOptions,
  compileGraph,
  type Tensor,
  interpret,
  tensor,
  type DType,
  type Graph,
  type Shape,
  numel,
  type Plan,
} from '../../compiler/index.ts';
import { acquireGpu, type Gpu } from '../gpu/device.ts';
import { Executable } from '../exec/executor.ts';

let shared: Promise<Gpu> | null = null;
/** One device per test file (vitest isolates files). */
export function testGpu(): Promise<Gpu> {
  return (shared ??= acquireGpu());
}

import { lcg } from '../../compiler/ir/lcg.ts';

export { lcg };

export function randomTensor(r: () => number, shape: Shape, lo = -2, hi = 2, dtype: DType = 'f32'): Tensor {
  return tensor(
    shape,
    Array.from({ length: numel(shape) }, () => {
      const x = lo + r() * (hi - lo);
      return dtype === 'f32' ? Math.fround(x) : Math.floor(x);
    }),
    dtype,
  );
}

/** Random inputs for every graph input, by dtype (f32 in [-2,2); ints supplied by `fixed`). */
export function randomInputs(g: Graph, seed: number, fixed: Record<string, Tensor> = {}): Record<string, Tensor> {
  const r = lcg(seed);
  const out: Record<string, Tensor> = {};
  for (const i of g.inputs) out[i.name] = fixed[i.name] ?? randomTensor(r, i.v.shape, -2, 2, i.v.dtype);
  return out;
}

export interface GpuRun {
  outputs: Record<string, Float64Array>;
  plan: Plan;
}

export async function runOnGpu(g: Graph, inputs: Record<string, Tensor>, opts: Partial<CompileOptions> = {}): Promise<GpuRun> {
  const gpu = await testGpu();
  const { plan } = compileGraph(g, { caps: gpu.caps, debug: 0, ...opts });
  const exe = await Executable.create(gpu, plan);
  for (const i of plan.inputs) exe.write(i.name, inputs[i.name]!.data);
  exe.run();
  const outputs: Record<string, Float64Array> = {};
  for (const o of plan.outputs) outputs[o.name] = Float64Array.from(await exe.read(o.name));
  exe.destroy();
  return { outputs, plan };
}

/** Max |gpu - ref| / (atol + rtol·|ref|) over all elements; <= 1 passes. */
export function errorRatio(gpu: ArrayLike<number>, ref: ArrayLike<number>, rtol: number, atol: number): { ratio: number; at: number } {
  let ratio = 0,
    at = -1;
  for (let i = 0; i < ref.length; i++) {
    const a = gpu[i]!,
      b = ref[i]!;
    const r = a === b ? 0 : Number.isNaN(a) || Number.isNaN(b) ? Infinity : Math.abs(a - b) / (atol + rtol * Math.abs(b));
    if (r > ratio) {
      ratio = r;
      at = i;
    }
  }
  return { ratio, at };
}

/** f32 tolerances: relative to the float64 reference. */
export const F32_TOL = { rtol: 2e-5, atol: 1e-5 };

export function reference(g: Graph, inputs: Record<string, Tensor>): Record<string, Tensor> {
  return interpret(g, inputs);
}
