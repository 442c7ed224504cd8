// Static memory plan: every realized value gets a buffer. Inputs and outputs own theirs;
// temporaries share buffers by liveness (best fit). An output that updates an input
// (parameters, optimizer moments) is written in place when that is safe.
import { type Kernel, type KernelGraph, readsOnlyAligned } from '../fuse/kernel-ir.ts';
import { type Var, numel } from '../ir/types.ts';

export type BufferKind = 'data' | 'param' | 'state' | 'output' | 'temp';

export interface PlannedBuffer {
  index: number;
  bytes: number;
  kind: BufferKind;
  /** Graph input/output name, for resident and I/O buffers. */
  name?: string;
}

export interface MemoryPlan {
  buffers: PlannedBuffer[];
  /** Realized value id -> buffer index. */
  bufferOf: Map<number, number>;
  /** Output value id -> input value id it overwrites in place. */
  aliases: Map<number, number>;
  /** Updates that could not be done in place: copy output buffer -> input buffer after the step. */
  copies: { from: number; to: number; bytes: number }[];
  /** Peak bytes of all buffers. */
  totalBytes: number;
}

const bytesOf = (v: Var): number => Math.max(4, numel(v.shape) * 4);

/** True when elementwise kernel k reads `id` only at the index it writes (safe to overwrite in place). */
function readsAtOwnIndex(k: Kernel, id: number, kg: KernelGraph): boolean {
  return k.kind === 'elementwise' && readsOnlyAligned(k, id, kg);
}

export function planMemory(kg: KernelGraph): MemoryPlan {
  const g = kg.graph;
  const buffers: PlannedBuffer[] = [];
  const bufferOf = new Map<number, number>();
  const aliases = new Map<number, number>();
  const copies: MemoryPlan['copies'] = [];
  const newBuffer = (bytes: number, kind: BufferKind, name?: string): number => {
    buffers.push(name === undefined ? { index: buffers.length, bytes, kind } : { index: buffers.length, bytes, kind, name });
    return buffers.length - 1;
  };
  for (const i of g.inputs) bufferOf.set(i.v.id, newBuffer(bytesOf(i.v), i.role, i.name));

  const producerKernel = new Map<number, number>();
  const lastRead = new Map<number, number>();
  kg.kernels.forEach((k, t) => {
    for (const o of k.outputs) producerKernel.set(o.id, t);
    for (const v of k.inputs) lastRead.set(v.id, t);
  });

  for (const o of g.outputs) {
    if (bufferOf.has(o.v.id)) {
      // The output is an input (or another output) verbatim: copy it out.
      const b = newBuffer(bytesOf(o.v), 'output', o.name);
      copies.push({ from: bufferOf.get(o.v.id)!, to: b, bytes: bytesOf(o.v) });
      continue;
    }
    const target = o.updates !== undefined ? g.inputs.find((i) => i.name === o.updates)! : undefined;
    const t = producerKernel.get(o.v.id);
    if (target && t !== undefined && (lastRead.get(target.v.id) ?? -1) <= t && readsAtOwnIndex(kg.kernels[t]!, target.v.id, kg)) {
      aliases.set(o.v.id, target.v.id);
      bufferOf.set(o.v.id, bufferOf.get(target.v.id)!);
      continue;
    }
    const b = newBuffer(bytesOf(o.v), 'output', o.name);
    bufferOf.set(o.v.id, b);
    if (target) copies.push({ from: b, to: bufferOf.get(target.v.id)!, bytes: bytesOf(o.v) });
  }

  // Temporaries: free after their last reader, reuse the smallest free buffer that fits.
  const free: number[] = [];
  const releaseAt = new Map<number, number[]>();
  kg.kernels.forEach((k, t) => {
    for (const id of releaseAt.get(t - 1) ?? []) free.push(id);
    for (const o of k.outputs) {
      if (bufferOf.has(o.id)) continue;
      const need = bytesOf(o);
      let best = -1;
      for (let j = 0; j < free.length; j++) {
        const b = buffers[free[j]!]!;
        if (b.bytes >= need && (best < 0 || b.bytes < buffers[free[best]!]!.bytes)) best = j;
      }
      const idx = best >= 0 ? free.splice(best, 1)[0]! : newBuffer(need, 'temp');
      bufferOf.set(o.id, idx);
      const last = Math.max(lastRead.get(o.id) ?? t, t);
      releaseAt.set(last, [...(releaseAt.get(last) ?? []), idx]);
    }
  });
  return { buffers, bufferOf, aliases, copies, totalBytes: buffers.reduce((s, b) => s + b.bytes, 0) };
}
