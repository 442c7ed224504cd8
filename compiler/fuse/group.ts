// Fusion: decide which values live in GPU buffers ("realized") and which kernel computes
// each of them. Rules, in order:
//  1. Graph inputs/outputs and the results of matmul, argsort, scatter_add and reductions are
//     realized; operands those routines read must be buffers or views of buffers.
//  2. Elementwise values are inlined into every kernel that needs them; a computed value
//     needed by two or more kernels is realized once instead.
//  3. A matmul or reduction whose result feeds only one elementwise kernel of the same shape
//     absorbs that kernel as its epilogue (bias + activation + residual in the matmul write).
//  4. Reductions over the last axis of the same rows chain into one row kernel (softmax,
//     layer norm, log-softmax, cross-entropy: one kernel each).
//  5. A kernel with more buffers than the adapter allows gets an intermediate realized.
import {
  type Eqn, type Graph, type Var, IRError, isBinary, isCompare, isReduce, isUnary, sameShape,
} from '../ir/types.ts';
import type { Kernel, KernelGraph, KernelKind } from './kernel-ir.ts';

export interface FuseOptions {
  /** Storage buffers one kernel may bind (adapter's maxStorageBuffersPerShaderStage). */
  maxBindings: number;
  /** Turn fusion rules 3 and 4 off (for tests and debugging). */
  noEpilogue?: boolean;
  noRowFusion?: boolean;
}

const isElementwise = (e: Eqn): boolean =>
  isUnary(e.prim) || isBinary(e.prim) || isCompare(e.prim) || e.prim === 'select' || e.prim === 'cast';
const isIndexView = (e: Eqn): boolean =>
  e.prim === 'reshape' || e.prim === 'transpose' || e.prim === 'broadcast' || e.prim === 'slice';
const ROUTINES = new Set(['matmul', 'argsort', 'scatter_add']);

interface Work {
  kind: KernelKind;
  root: Var;
  anchor: Eqn | null;
  stages: { reduce: Eqn; result: Var }[];
  fullRow: boolean;
}

export function fuse(g: Graph, opts: FuseOptions): KernelGraph {
  // Fuse greedily, then check the result; every problem realizes one more value and we retry.
  // `forced` only grows, so this terminates.
  const forced = new Set<number>();
  for (let attempt = 0; attempt < 10000; attempt++) {
    const kg = fuseOnce(g, opts, forced);
    if (process.env.FLAPC_FUSE_TRACE) process.stderr.write(`fuse attempt ${attempt}: ${forced.size} forced, ${kg.kernels.filter((k) => k.inputs.length + k.outputs.length > opts.maxBindings).map((k) => `${k.kind}:${k.inputs.length}`).join(",")} over\n`);
    const before = forced.size;
    const uses = new Map<number, number>();
    for (const k of kg.kernels) {
      for (const id of kernelClosure(k, kg)) {
        const e = kg.producer.get(id);
        // A routine or reduction result reached inline outside its own kernel must be a buffer.
        if (e && (ROUTINES.has(e.prim) || isReduce(e.prim)) && e !== k.anchor && !k.stages.some((s) => s.reduce === e)) forced.add(id);
        uses.set(id, (uses.get(id) ?? 0) + 1);
      }
    }
    if (forced.size > before) continue;
    // Rule 2: a value needed by several kernels is realized once, unless recomputing it is cheap.
    for (const [id, n] of uses) {
      const e = kg.producer.get(id)!;
      if (n >= 2 && (isElementwise(e) || e.prim === 'gather') && recomputeCost(id, kg) > RECOMPUTE_LIMIT) forced.add(id);
    }
    if (forced.size > before) continue;
    // Rule 5, one split per over-wide kernel per round (the kernels are independent).
    const over = kg.kernels.filter((k) => k.inputs.length + k.outputs.length > opts.maxBindings);
    if (over.length === 0) return mergeElementwise(kg, opts);
    for (const k of over) {
      const victims = splitCandidates(kg, k, opts);
      if (victims.length === 0) {
        throw new IRError(`kernel ${k.kind} writing %${k.outputs[0]!.id} needs ${k.inputs.length + k.outputs.length} storage buffers; the adapter allows ${opts.maxBindings} and it cannot be split`);
      }
      for (const v of victims) forced.add(v);
    }
  }
  throw new IRError('fusion did not converge');
}

/** Inline values are recomputed where used when this cheap (ALU ops, transcendentals x4). */
const RECOMPUTE_LIMIT = 12;
const EXPENSIVE = new Set(['exp', 'log', 'tanh', 'erf', 'sin', 'cos', 'pow', 'sqrt', 'rsqrt']);

function recomputeCost(id: number, kg: KernelGraph): number {
  let cost = 0;
  const seen = new Set<number>();
  const stack = [id];
  while (stack.length) {
    const v = stack.pop()!;
    if (seen.has(v) || (v !== id && kg.realized.has(v))) continue;
    seen.add(v);
    const e = kg.producer.get(v);
    if (!e) continue;
    cost += isElementwise(e) ? (EXPENSIVE.has(e.prim) ? 4 : 1) : e.prim === 'gather' ? 2 : 0;
    for (const x of e.inputs) stack.push(x.id);
  }
  return cost;
}

/** Non-realized values a kernel computes (excluding its reduction locals). */
function kernelClosure(k: Kernel, kg: KernelGraph): Set<number> {
  const locals = new Set(k.stages.map((s) => s.reduce.outputs[0]!.id));
  const seen = new Set<number>();
  const stack: Var[] = [...k.outputs.flatMap((o) => kg.producer.get(o.id)?.inputs ?? []), ...k.stages.flatMap((s) => [...s.reduce.inputs, s.result])];
  if (k.anchor) stack.push(...k.anchor.inputs);
  while (stack.length) {
    const v = stack.pop()!;
    if (seen.has(v.id) || kg.realized.has(v.id) || locals.has(v.id)) continue;
    seen.add(v.id);
    stack.push(...(kg.producer.get(v.id)?.inputs ?? []));
  }
  for (const s of k.stages) seen.delete(s.result.id);
  for (const o of k.outputs) seen.delete(o.id);
  return seen;
}

/**
 * Merge an elementwise kernel into a later one of the same shape that reads its output at
 * the same index, when nothing in between reads it: e.g. AdamW's moment updates and the
 * parameter update become one kernel writing three buffers.
 */
function mergeElementwise(kg: KernelGraph, opts: FuseOptions): KernelGraph {
  // Kernels keep their positions (merged-away ones become null) so "between i and j" stays
  // meaningful; candidate producers are found through an index, not a scan of all kernels.
  const kernels: (Kernel | null)[] = [...kg.kernels];
  const producerOf = new Map<number, number>();
  const readers = new Map<number, Set<number>>();
  kernels.forEach((k, i) => {
    for (const o of k!.outputs) producerOf.set(o.id, i);
    for (const v of k!.inputs) { let r = readers.get(v.id); if (!r) readers.set(v.id, (r = new Set())); r.add(i); }
  });
  for (let j = 0; j < kernels.length; j++) {
    for (;;) {
      const B = kernels[j]!;
      if (B.kind !== 'elementwise') break;
      const cands = [...new Set(B.inputs.map((v) => producerOf.get(v.id)).filter((i): i is number => i !== undefined && i < j))].sort((x, y) => y - x);
      let merged = false;
      for (const i of cands) {
        const A = kernels[i];
        if (A?.kind !== 'elementwise' || !sameShape(A.outputs[0]!.shape, B.outputs[0]!.shape)) continue;
        const aOut = A.outputs.map((o) => o.id);
        if (aOut.some((id) => [...(readers.get(id) ?? [])].some((r) => r > i && r < j && kernels[r]))) continue;
        if (!aOut.every((id) => readsOnlyAligned(B, id, kg))) continue;
        const inputs = [...A.inputs, ...B.inputs.filter((v) => !aOut.includes(v.id))]
          .filter((v, n, arr) => arr.findIndex((u) => u.id === v.id) === n).sort((x, y) => x.id - y.id);
        if (inputs.length + A.outputs.length + B.outputs.length > opts.maxBindings) continue;
        kernels[j] = { ...B, outputs: [...A.outputs, ...B.outputs], inputs };
        kernels[i] = null;
        for (const o of A.outputs) producerOf.set(o.id, j);
        for (const v of A.inputs) { readers.get(v.id)?.delete(i); let r = readers.get(v.id); if (!r) readers.set(v.id, (r = new Set())); r.add(j); }
        for (const id of aOut) readers.get(id)?.delete(j);
        merged = true;
        break;
      }
      if (!merged) break;
    }
  }
  return { ...kg, kernels: kernels.filter((k): k is Kernel => k !== null) };
}

/** B reads value `id` only through elementwise operations (so at its own output index). */
export function readsOnlyAligned(B: Kernel, id: number, kg: KernelGraph): boolean {
  let ok = true;
  const seen = new Set<string>();
  const visit = (v: Var, aligned: boolean): void => {
    const key = `${v.id}:${aligned}`;
    if (seen.has(key)) return;
    seen.add(key);
    if (v.id === id) { if (!aligned) ok = false; return; }
    if (kg.realized.has(v.id) && !B.outputs.includes(v)) return;
    const e = kg.producer.get(v.id);
    if (!e) return;
    for (const x of e.inputs) visit(x, aligned && isElementwise(e));
  };
  for (const o of B.outputs) visit(o, true);
  return ok;
}

interface GraphIndex { producer: Map<number, Eqn>; order: Map<number, number>; consumers: Map<number, Eqn[]>; outputIds: Set<number> }
/** Producer, program order and consumers of every value: the graph is the same every round. */
const graphIndex = new WeakMap<Graph, GraphIndex>();
function indexGraph(g: Graph): GraphIndex {
  let ix = graphIndex.get(g);
  if (ix) return ix;
  const producer = new Map<number, Eqn>();
  const order = new Map<number, number>();
  g.eqns.forEach((e, i) => e.outputs.forEach((o) => { producer.set(o.id, e); order.set(o.id, i); }));
  const consumers = new Map<number, Eqn[]>();
  for (const e of g.eqns) {
    for (const v of e.inputs) {
      const list = consumers.get(v.id);
      if (list) { if (!list.includes(e)) list.push(e); } else consumers.set(v.id, [e]);
    }
  }
  ix = { producer, order, consumers, outputIds: new Set(g.outputs.map((o) => o.v.id)) };
  graphIndex.set(g, ix);
  return ix;
}

function fuseOnce(g: Graph, opts: FuseOptions, forced: ReadonlySet<number>): KernelGraph {
  const { producer, order, consumers, outputIds } = indexGraph(g);

  const realized = new Set<number>([...g.inputs.map((i) => i.v.id), ...outputIds, ...forced]);
  for (const e of g.eqns) {
    if (ROUTINES.has(e.prim) || isReduce(e.prim)) realized.add(e.outputs[0]!.id);
    if (ROUTINES.has(e.prim)) {
      for (let v of e.inputs) {
        while (!realized.has(v.id) && producer.get(v.id) && isIndexView(producer.get(v.id)!)) v = producer.get(v.id)!.inputs[0]!;
        realized.add(v.id);
      }
    }
  }

  // Inline values each realized root computes (stopping at buffers).
  const closure = (root: Var, locals: ReadonlySet<number> = new Set()): Set<number> => {
    const seen = new Set<number>();
    const stack = [...(producer.get(root.id)?.inputs ?? [])];
    while (stack.length) {
      const v = stack.pop()!;
      if (realized.has(v.id) || locals.has(v.id) || seen.has(v.id)) continue;
      seen.add(v.id);
      stack.push(...producer.get(v.id)!.inputs);
    }
    return seen;
  };

  // One work item per realized, computed value, in program order.
  let work: Work[] = g.eqns.filter((e) => realized.has(e.outputs[0]!.id)).map((e) => {
    const root = e.outputs[0]!;
    if (ROUTINES.has(e.prim)) return { kind: e.prim as KernelKind, root, anchor: e, stages: [], fullRow: false };
    if (isReduce(e.prim)) return { kind: 'reduce', root, anchor: e, stages: [{ reduce: e, result: root }], fullRow: false };
    return { kind: 'elementwise', root, anchor: null, stages: [], fullRow: false };
  });
  const workByRoot = new Map(work.map((w) => [w.root.id, w]));
  const onlyUsedWithin = (v: Var, set: ReadonlySet<number>, extra: readonly Eqn[] = []): boolean =>
    !outputIds.has(v.id) && (consumers.get(v.id) ?? []).every((c) => set.has(c.outputs[0]!.id) || extra.includes(c));
  // Kernels whose results the values in `cl` read directly: the only possible merge partners.
  const feeders = (cl: ReadonlySet<number>, self: Work): Work[] => {
    const out = new Set<Work>();
    for (const id of cl) {
      for (const x of producer.get(id)?.inputs ?? []) {
        const a = workByRoot.get(x.id);
        if (a && a !== self) out.add(a);
      }
    }
    return [...out].sort((p, q) => order.get(p.root.id)! - order.get(q.root.id)!);
  };
  const dropped = new Set<Work>();
  const drop = (a: Work): void => { workByRoot.delete(a.root.id); dropped.add(a); };

  // Rule 3: matmul / reduction epilogues.
  if (!opts.noEpilogue) {
    for (const w of work) {
      if (w.kind !== 'elementwise' || !workByRoot.has(w.root.id)) continue;
      const cl = closure(w.root);
      cl.add(w.root.id);
      for (const a of feeders(cl, w)) {
        if (forced.has(a.root.id) || (a.kind !== 'matmul' && a.kind !== 'reduce') || a.stages.length > 1 || !sameShape(a.root.shape, w.root.shape)) continue;
        if (!onlyUsedWithin(a.root, cl)) continue;
        // Every value between the anchor and the root must be elementwise (same index).
        const dependents = [...cl].filter((id) => dependsOn(id, a.root.id, producer, realized));
        if (!dependents.every((id) => isElementwise(producer.get(id)!))) continue;
        if (!dependents.includes(w.root.id)) continue;
        realized.delete(a.root.id);
        w.kind = a.kind; w.anchor = a.anchor; w.stages = a.stages.map((s) => ({ ...s, result: s.result.id === a.root.id ? w.root : s.result }));
        drop(a);
        break;
      }
    }
  }

  // Rule 4: chain last-axis reductions over the same rows into one row kernel.
  if (!opts.noRowFusion) {
    let changed = true;
    const rowClosure = new Map<Work, { stages: number; set: Set<number>; feeders: Work[] }>();
    while (changed) {
      changed = false;
      for (const w of work) {
        if (!workByRoot.has(w.root.id)) continue;
        const rowShape = w.kind === 'elementwise' ? w.root.shape : w.kind === 'reduce' && w.stages.length ? w.stages[0]!.reduce.inputs[0]!.shape : null;
        if (!rowShape || rowShape.length === 0) continue;
        if (w.kind === 'reduce' && !isLastAxis(w.stages[0]!.reduce)) continue;
        for (;;) {
          // A work's closure changes only when it absorbs a feeder (others' merges never
          // reach into it: an absorbed value was used by the absorbing work alone).
          let cl = rowClosure.get(w);
          if (!cl || cl.stages !== w.stages.length) {
            const locals = new Set(w.stages.map((s) => s.reduce.outputs[0]!.id));
            const set = closure(w.root, locals);
            for (const s of w.stages) for (const id of closure(s.reduce.outputs[0]!, locals)) set.add(id);
            for (const s of w.stages) for (const id of closure(s.result, locals)) set.add(id);
            set.add(w.root.id);
            cl = { stages: w.stages.length, set, feeders: feeders(set, w) };
            rowClosure.set(w, cl);
          }
          const clSet = cl.set;
          const feeder = cl.feeders.find((a) => workByRoot.has(a.root.id) && !forced.has(a.root.id) && a.kind === 'reduce' && a.stages.length > 0 &&
            a.stages.every((s) => isLastAxis(s.reduce) && sameShape(s.reduce.inputs[0]!.shape, rowShape)) &&
            (consumers.get(a.root.id) ?? []).length > 0 && onlyUsedWithin(a.root, clSet) &&
            rowAligned(a.root, rowShape, w.root, consumers, clSet));
          if (!feeder) break;
          realized.delete(feeder.root.id);
          w.stages = [...feeder.stages, ...w.stages];
          if (w.kind === 'elementwise') { w.kind = 'reduce'; w.fullRow = true; w.anchor = w.stages[w.stages.length - 1]!.reduce; }
          drop(feeder);
          changed = true;
        }
      }
    }
  }

  work = work.filter((w) => !dropped.has(w));
  work.sort((a, b) => order.get(a.root.id)! - order.get(b.root.id)!);
  // Inputs on first use: rounds that only discover values to realize never need them.
  const kernels: Kernel[] = work.map((w) => {
    let inputs: Var[] | undefined;
    return {
      kind: w.kind, outputs: [w.root], anchor: w.anchor, stages: w.stages, fullRow: w.fullRow,
      get inputs(): Var[] { return (inputs ??= kernelInputs(w, producer, realized)); },
    };
  });
  return { graph: g, kernels, realized, producer };
}

function isLastAxis(e: Eqn): boolean {
  const axes = (e.params as { axes: readonly number[] }).axes;
  return axes.length === 1 && axes[0] === e.inputs[0]!.shape.length - 1;
}

/**
 * Every use of per-row value v stays per-row (elementwise or reshape over [rows] or [rows,1])
 * until it is broadcast back along the last axis, or it is the kernel's own per-row output.
 * Then, inside a row kernel, v is only ever needed at the current row.
 */
function rowAligned(v: Var, rowShape: readonly number[], root: Var, consumers: Map<number, Eqn[]>, cl: ReadonlySet<number>): boolean {
  const rows = rowShape.slice(0, -1);
  const perRow = (s: readonly number[]): boolean => sameShape(s, rows) || sameShape(s, [...rows, 1]);
  const uses = consumers.get(v.id) ?? [];
  if (v.id === root.id) return true;
  if (uses.length === 0) return false;
  return uses.every((c) => {
    const out = c.outputs[0]!;
    if (!cl.has(out.id)) return false;
    if (c.prim === 'broadcast') {
      return sameShape(out.shape, rowShape) && c.inputs[0]!.shape.length === rows.length &&
        (c.params as { dims: readonly number[] }).dims.every((d, i) => d === i);
    }
    if ((isElementwise(c) || c.prim === 'reshape') && perRow(out.shape)) return rowAligned(out, rowShape, root, consumers, cl);
    return false;
  });
}

function dependsOn(id: number, target: number, producer: ReadonlyMap<number, Eqn>, realized: ReadonlySet<number>): boolean {
  const stack = [id];
  const seen = new Set<number>();
  while (stack.length) {
    const v = stack.pop()!;
    if (v === target) return true;
    if (seen.has(v)) continue;
    seen.add(v);
    const e = producer.get(v);
    if (!e) continue;
    for (const x of e.inputs) if (x.id === target || !realized.has(x.id)) stack.push(x.id);
  }
  return false;
}

/** Buffers a kernel reads: walk inline values from its outputs and stage prologues. */
function kernelInputs(w: Work, producer: ReadonlyMap<number, Eqn>, realized: ReadonlySet<number>): Var[] {
  const locals = new Set(w.stages.map((s) => s.reduce.outputs[0]!.id));
  const found = new Map<number, Var>();
  const seen = new Set<number>();
  const start: Var[] = [...(producer.get(w.root.id)?.inputs ?? []), ...w.stages.flatMap((s) => s.reduce.inputs)];
  if (w.anchor && !w.stages.length) start.push(...w.anchor.inputs);
  const stack = [...start];
  while (stack.length) {
    const v = stack.pop()!;
    if (seen.has(v.id)) continue;
    seen.add(v.id);
    if (realized.has(v.id) && v.id !== w.root.id) { found.set(v.id, v); continue; }
    if (locals.has(v.id)) continue;
    const e = producer.get(v.id);
    if (e) stack.push(...e.inputs);
  }
  return [...found.values()].sort((a, b) => a.id - b.id);
}

/**
 * Inline computed values whose realization splits an over-wide kernel: the biggest
 * sub-expressions that fit one kernel each, disjoint, until the rest fits (a 403-term
 * gradient-norm sum splits in two rounds, not dozens).
 */
function splitCandidates(kg: KernelGraph, k: Kernel, opts: FuseOptions): number[] {
  const cands: { id: number; leaves: number; nodes: Set<number> }[] = [];
  const stack = [...k.outputs.flatMap((o) => kg.producer.get(o.id)?.inputs ?? [])];
  const seen = new Set<number>();
  while (stack.length) {
    const v = stack.pop()!;
    if (seen.has(v.id) || kg.realized.has(v.id)) continue;
    seen.add(v.id);
    const e = kg.producer.get(v.id);
    if (!e) continue;
    if (!isIndexView(e)) {
      const { leaves, nodes } = subtree(v, kg);
      if (leaves > 1 && leaves < k.inputs.length) cands.push({ id: v.id, leaves, nodes });
    }
    stack.push(...e.inputs);
  }
  // Fitting candidates first, biggest first; then (if none fits) the biggest at all.
  cands.sort((a, b) => Number(b.leaves < opts.maxBindings) - Number(a.leaves < opts.maxBindings) || b.leaves - a.leaves);
  const chosen: typeof cands = [];
  let width = k.inputs.length + k.outputs.length;
  for (const c of cands) {
    if (width <= opts.maxBindings) break;
    if (chosen.some((x) => x.nodes.has(c.id) || c.nodes.has(x.id))) continue;
    chosen.push(c);
    width = widthWith(kg, k, new Set(chosen.map((x) => x.id)));
    if (c.leaves >= opts.maxBindings) break;
  }
  // Still too wide (e.g. 50 chosen partial sums): group the chosen values hierarchically in
  // the same round, taking sub-expressions that fit once the chosen ones count as leaves.
  for (let pass = 0; pass < 8 && width > opts.maxBindings; pass++) {
    const cut = new Set(chosen.map((x) => x.id));
    const more = cands
      .filter((c) => !cut.has(c.id) && !chosen.some((x) => x.nodes.has(c.id)))
      .map((c) => ({ c, eff: effectiveLeaves(kg, c.id, cut) }))
      .filter((x) => x.eff > 1 && x.eff < opts.maxBindings)
      .sort((a, b) => b.eff - a.eff);
    const taken: typeof cands = [];
    for (const { c } of more) {
      if (taken.some((x) => x.nodes.has(c.id) || c.nodes.has(x.id))) continue;
      taken.push(c);
    }
    if (taken.length === 0) break;
    chosen.push(...taken);
    width = widthWith(kg, k, new Set(chosen.map((x) => x.id)));
  }
  return chosen.map((c) => c.id);
}

/** Leaves under `root` when the values in `cut` count as realized. */
function effectiveLeaves(kg: KernelGraph, root: number, cut: ReadonlySet<number>): number {
  const leaves = new Set<number>();
  const seen = new Set<number>();
  const stack = [...(kg.producer.get(root)?.inputs ?? [])];
  while (stack.length) {
    const v = stack.pop()!;
    if (seen.has(v.id)) continue;
    seen.add(v.id);
    if (kg.realized.has(v.id) || cut.has(v.id)) { leaves.add(v.id); continue; }
    stack.push(...(kg.producer.get(v.id)?.inputs ?? []));
  }
  return leaves.size;
}

/** Buffers kernel k would bind if the values in `cut` were realized (shared leaves counted once). */
function widthWith(kg: KernelGraph, k: Kernel, cut: ReadonlySet<number>): number {
  const leaves = new Set<number>();
  const seen = new Set<number>();
  const stack = [...k.outputs.flatMap((o) => kg.producer.get(o.id)?.inputs ?? []), ...k.stages.flatMap((st) => st.reduce.inputs)];
  if (k.anchor && !k.stages.length) stack.push(...k.anchor.inputs);
  while (stack.length) {
    const v = stack.pop()!;
    if (seen.has(v.id)) continue;
    seen.add(v.id);
    if (kg.realized.has(v.id) || cut.has(v.id)) { leaves.add(v.id); continue; }
    if (k.stages.some((st) => st.reduce.outputs[0]!.id === v.id)) continue;
    stack.push(...(kg.producer.get(v.id)?.inputs ?? []));
  }
  for (const o of k.outputs) leaves.delete(o.id);
  return leaves.size + k.outputs.length;
}

function subtree(root: Var, kg: KernelGraph): { leaves: number; nodes: Set<number> } {
  const leaves = new Set<number>();
  const nodes = new Set<number>();
  const stack = [root];
  while (stack.length) {
    const v = stack.pop()!;
    if (nodes.has(v.id) || leaves.has(v.id)) continue;
    if (kg.realized.has(v.id)) { leaves.add(v.id); continue; }
    nodes.add(v.id);
    stack.push(...(kg.producer.get(v.id)?.inputs ?? []));
  }
  return { leaves: leaves.size, nodes };
}
