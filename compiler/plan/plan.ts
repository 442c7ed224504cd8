// The plan: everything `flapc run` needs to execute a compiled graph, as plain JSON.
// It is the contract between compiler/ and runtime/.
import type { DType, InputRole, Shape } from '../ir/types.ts';
import type { BufferKind } from './memory.ts';

export interface PlanPipeline {
  hash: string;
  label: string;
  wgsl: string;
}

export interface PlanDispatch {
  pipeline: number;
  /** Buffer index per binding slot, with the byte size to bind. */
  bindings: { buffer: number; bytes: number }[];
  workgroups: [number, number, number];
  label: string;
  flops: number;
  /** Copy this buffer into an rgba32float texture (width × height texels, rows of 4 floats)
   *  right before the dispatch, and bind it at `binding` (matmul variants that read B so). */
  texture?: { buffer: number; width: number; height: number; binding: number };
  /** Where the spec wrote the equation that produces the kernel's first output ("file:line:col"),
   *  when the DSL made it: the trainer names it when that output turns non-finite. */
  source?: string;
  /** Binding slots of the f32 values this dispatch writes (the trainer's non-finite check reads them). */
  f32Outputs?: number[];
  /** Bindings of f16-stored outputs (train.precision "f16"), checked the same way. */
  f16Outputs?: number[];
  /** Binding slots this dispatch writes; the others it only reads. With `inPlace`, the written
   *  slots that also read their old contents (an update in place). The executor uses them to run
   *  only the dispatches an output depends on (e.g. the text tower alone for a caption). */
  writes?: number[];
  inPlace?: number[];
  /** i32 constants of a pipeline shared by kernels that differ only in them (codegen/lift.ts):
   *  a uniform buffer bound after `bindings` and the texture (constantsBinding), read as
   *  `flapc_k: array<vec4<i32>, n>`. */
  constants?: number[];
}

/** The binding slot of a dispatch's lifted constants: after its buffers and its texture. */
export function constantsBinding(d: Pick<PlanDispatch, 'bindings' | 'texture'>): number {
  return d.bindings.length + (d.texture ? 1 : 0);
}

export interface PlanIO {
  name: string;
  shape: Shape;
  dtype: DType;
  buffer: number;
}

export interface Plan {
  format: 'flapc-plan';
  version: 1;
  buffers: { bytes: number; kind: BufferKind; name?: string }[];
  pipelines: PlanPipeline[];
  dispatches: PlanDispatch[];
  /** Buffer copies after the last dispatch (state updates that could not run in place). */
  copies: { from: number; to: number; bytes: number }[];
  inputs: (PlanIO & { role: InputRole })[];
  outputs: (PlanIO & { updates?: string })[];
  stats: PlanStats;
}

export interface PlanStats {
  equations: number;
  kernels: number;
  pipelines: number;
  flops: number;
  bufferBytes: number;
  /** The least memory any plan of these kernels could use (resident buffers + peak live temporaries). */
  liveBytesLowerBound?: number;
  paramCount: number;
}

export function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  let h2 = 0x9747b28c;
  for (let i = text.length - 1; i >= 0; i--) {
    h2 ^= text.charCodeAt(i);
    h2 = Math.imul(h2, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0') + h2.toString(16).padStart(8, '0');
}

export function serializePlan(p: Plan): string {
  return JSON.stringify(p);
}

export function parsePlan(text: string, where = 'plan'): Plan {
  let p: unknown;
  try {
    p = JSON.parse(text);
  } catch (e) {
    throw new Error(`${where}: not valid JSON (${(e as Error).message})`);
  }
  const q = p as Partial<Plan>;
  if (q.format !== 'flapc-plan' || q.version !== 1) throw new Error(`${where}: not a flapc plan (format/version mismatch)`);
  if (!Array.isArray(q.buffers) || !Array.isArray(q.pipelines) || !Array.isArray(q.dispatches))
    throw new Error(`${where}: plan is missing buffers/pipelines/dispatches`);
  return q as Plan;
}
