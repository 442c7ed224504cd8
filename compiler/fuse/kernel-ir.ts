// Kernel IR: one node per GPU kernel. A kernel writes realized values (GPU buffers) and
// computes everything else inline from the graph equations it owns; views are index maps.
import { type Eqn, type Graph, type Var, isBinary, isCompare, isUnary } from '../ir/types.ts';

export type KernelKind = 'elementwise' | 'reduce' | 'matmul' | 'argsort' | 'scatter_add' | 'attention';

export interface Kernel {
  readonly kind: KernelKind;
  /** Realized values written, in binding order. Elementwise kernels may write several of one shape. */
  readonly outputs: Var[];
  /** The equation that shapes the loop nest: matmul/argsort/scatter_add/attention_*, or the last reduction. */
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

/** Computed at its output's own index from inputs at the same index. */
export const isElementwise = (e: Eqn): boolean => isUnary(e.prim) || isBinary(e.prim) || isCompare(e.prim) || e.prim === 'select' || e.prim === 'cast';

/**
 * The one walk over inline values: from `start`, up through producing equations, visiting each
 * value once. `stop(v)` ends the walk at v (a buffer, a kernel local) without climbing further.
 * `visit` sees every value reached (stopped ones too) and may end the whole walk by returning true.
 * Returns whether a visit ended it.
 */
export function walkInline(
  start: Iterable<Var>,
  producer: ReadonlyMap<number, Eqn>,
  stop: (v: Var) => boolean,
  // biome-ignore lint/suspicious/noConfusingVoidType: visitors that only collect return nothing
  visit: (v: Var, stopped: boolean) => boolean | void = () => {},
): boolean {
  const seen = new Set<number>();
  const stack = [...start];
  while (stack.length) {
    const v = stack.pop()!;
    if (seen.has(v.id)) continue;
    seen.add(v.id);
    const stopped = stop(v);
    if (visit(v, stopped) === true) return true;
    if (!stopped) stack.push(...(producer.get(v.id)?.inputs ?? []));
  }
  return false;
}

/** Kernel B reads value `id` only through elementwise operations (so at its own output index). */
export function readsOnlyAligned(B: Kernel, id: number, kg: KernelGraph): boolean {
  let ok = true;
  const seen = new Set<string>();
  const visit = (v: Var, aligned: boolean): void => {
    const key = `${v.id}:${aligned}`;
    if (seen.has(key)) return;
    seen.add(key);
    if (v.id === id) {
      if (!aligned) ok = false;
      return;
    }
    if (kg.realized.has(v.id) && !B.outputs.includes(v)) return;
    const e = kg.producer.get(v.id);
    if (!e) return;
    for (const x of e.inputs) visit(x, aligned && isElementwise(e));
  };
  for (const o of B.outputs) visit(o, true);
  return ok;
}
