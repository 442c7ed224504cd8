// train.precision "f16": which values a training plan stores as f16. Every kernel still
// computes in f32 (loads convert up, stores round down), so only storage and memory traffic
// change: mixed precision with f32 accumulation. Kept f32:
// - graph inputs and outputs: master weights, optimizer moments, data, losses, embeddings;
// - the gradients the optimizer reads (f32 master gradients) and anything argsort ranks (rand
//   in f16 has 1024 values per octave: ties would bias the masks);
// - small values (< SMALL elements): row statistics, logits, pooled embeddings. They cost
//   little memory and carry the precision-critical parts (InfoNCE logits reach 100 * cos,
//   where f16's step is 0.06);
// - accumulating and fused-attention outputs (scatter_add's +=, attention's lse and rows).
import type { KernelGraph } from '../fuse/kernel-ir.ts';
import { numel } from '../ir/types.ts';

export type Precision = 'f32' | 'f16';
export const PRECISIONS: readonly Precision[] = ['f32', 'f16'];

/** Values below this many elements stay f32 (64 KiB of f32). */
export const SMALL = 16384;

export function halfStorage(kg: KernelGraph, minElements = SMALL): Set<number> {
  const g = kg.graph;
  const keep = new Set<number>([...g.inputs.map((i) => i.v.id), ...g.outputs.map((o) => o.v.id)]);
  const updates = new Set(g.outputs.filter((o) => o.updates !== undefined).map((o) => o.v.id));
  for (const k of kg.kernels) {
    const optimizer = k.outputs.some((o) => updates.has(o.id));
    if (optimizer || k.kind === 'argsort') for (const v of k.inputs) keep.add(v.id);
    if (k.kind === 'scatter_add' || k.kind === 'attention') for (const o of k.outputs) keep.add(o.id);
  }
  const half = new Set<number>();
  for (const k of kg.kernels) for (const o of k.outputs) if (o.dtype === 'f32' && !keep.has(o.id) && numel(o.shape) >= minElements) half.add(o.id);
  return half;
}
