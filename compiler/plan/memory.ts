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
  /**
   * The least any plan could use: resident buffers (inputs, outputs) plus, at the busiest kernel,
   * every temporary alive there (written at or before it, read at or after it).
   */
  liveLowerBound: number;
}

/** Bytes of v's buffer: 4 per element, 2 for values stored as f16 (bindings stay 4-byte multiples). */
export const bufferBytes = (v: Var, half?: ReadonlySet<number>): number =>
  half?.has(v.id) ? Math.max(4, Math.ceil(numel(v.shape) / 2) * 4) : Math.max(4, numel(v.shape) * 4);

/** True when elementwise kernel k reads `id` only at the index it writes (safe to overwrite in place). */
function readsAtOwnIndex(k: Kernel, id: number, kg: KernelGraph): boolean {
  return k.kind === 'elementwise' && readsOnlyAligned(k, id, kg);
}

export function planMemory(kg: KernelGraph, half?: ReadonlySet<number>): MemoryPlan {
  const g = kg.graph;
  const bytesOf = (v: Var): number => bufferBytes(v, half);
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

  // Temporaries, largest first (greedy by size): each takes the smallest buffer none of whose
  // tensors is alive while it is (written at t0, last read at t1, both inclusive), else a new
  // one. Buffers are sized by their first, largest tensor. Measured against the live-tensor lower
  // bound: flap-tiny's training step 1.24x -> 1.08x, its evaluation 1.40x -> 1.10x, flap 1.09x -> 1.01x
  // (the earlier in-order best fit left small buffers nobody could reuse).
  const temps: { v: Var; bytes: number; t0: number; t1: number }[] = [];
  kg.kernels.forEach((k, t) => {
    for (const o of k.outputs) if (!bufferOf.has(o.id)) temps.push({ v: o, bytes: bytesOf(o), t0: t, t1: Math.max(lastRead.get(o.id) ?? t, t) });
  });
  temps.sort((x, y) => y.bytes - x.bytes || x.t0 - y.t0);
  const lives = new Map<number, { t0: number; t1: number }[]>();
  for (const tmp of temps) {
    let best = -1;
    for (const [idx, spans] of lives) {
      if (spans.some((s) => s.t0 <= tmp.t1 && tmp.t0 <= s.t1)) continue;
      if (best < 0 || buffers[idx]!.bytes < buffers[best]!.bytes) best = idx;
    }
    if (best < 0) {
      best = newBuffer(tmp.bytes, 'temp');
      lives.set(best, []);
    }
    lives.get(best)!.push({ t0: tmp.t0, t1: tmp.t1 });
    bufferOf.set(tmp.v.id, best);
  }
  return {
    buffers,
    bufferOf,
    aliases,
    copies,
    totalBytes: buffers.reduce((s, b) => s + b.bytes, 0),
    liveLowerBound: liveLowerBound(kg, buffers, producerKernel, lastRead, bytesOf),
  };
}

function liveLowerBound(
  kg: KernelGraph,
  buffers: PlannedBuffer[],
  producerKernel: Map<number, number>,
  lastRead: Map<number, number>,
  bytesOf: (v: Var) => number,
): number {
  const resident = buffers.filter((b) => b.kind !== 'temp').reduce((s, b) => s + b.bytes, 0);
  const outputIds = new Set(kg.graph.outputs.map((o) => o.v.id));
  const delta = new Array<number>(kg.kernels.length + 1).fill(0);
  for (const [id, t0] of producerKernel) {
    if (outputIds.has(id)) continue;
    const k = kg.kernels[t0]!;
    const v = k.outputs.find((o) => o.id === id)!;
    const t1 = Math.max(lastRead.get(id) ?? t0, t0);
    delta[t0]! += bytesOf(v);
    delta[t1 + 1]! -= bytesOf(v);
  }
  let live = 0,
    peak = 0;
  for (let t = 0; t < kg.kernels.length; t++) {
    live += delta[t]!;
    peak = Math.max(peak, live);
  }
  return resident + peak;
}
