// Kernel IR: one node per GPU kernel. A kernel writes realized values (GPU buffers) and
// computes everything else inline from the graph equations it owns; views are index maps.
import type { Eqn, Graph, Var } from '../ir/types.ts';

export type KernelKind = 'elementwise' | 'reduce' | 'matmul' | 'argsort' | 'scatter_add';

export interface Kernel {
  readonly kind: KernelKind;
  /** Realized values written, in binding order. Elementwise kernels may write several of one shape. */
  readonly outputs: Var[];
  /** The equation that shapes the loop nest: matmul/argsort/scatter_add, or the last reduction. */
  readonly anchor: Eqn | null;
  /**
   * Reduce kernels: reductions computed in order within one row (softmax: max then sum).
   * Each stage's `result` is the reduction's output after its fused per-row epilogue.
   */
  readonly stages: { reduce: Eqn; result: Var }[];
  /** Reduce kernels: the final output covers the full row (softmax, layer norm) rather than one value per row. */
  readonly fullRow: boolean;
  /** Realized values read. */
  readonly inputs: Var[];
}

export interface KernelGraph {
  readonly graph: Graph;
  readonly kernels: Kernel[];
  /** Every value that lives in a GPU buffer. */
  readonly realized: ReadonlySet<number>;
  /** Producing equation of each non-input value (inline values are computed from these). */
  readonly producer: ReadonlyMap<number, Eqn>;
}

export function describeKernel(k: Kernel): string {
  const outs = k.outputs.map((v) => `%${v.id}[${v.shape.join(',')}]`).join(', ');
  const ins = k.inputs.map((v) => `%${v.id}`).join(', ');
  const stages = k.stages.length > 1 ? ` stages=${k.stages.length}` : '';
  const row = k.kind === 'reduce' && k.fullRow ? ' full-row' : '';
  return `${k.kind}${stages}${row} -> ${outs} <- ${ins}`;
}
