// Fusion: decide which values live in GPU buffers ("realized") and which kernel computes
// each of them. One function per rule, in order:
//  1. seedRealized: graph inputs/outputs and the results of matmul, argsort, scatter_add, attention and
//     reductions are realized; operands those routines read must be buffers or views of buffers.
//  2. realizeShared: elementwise values are inlined into every kernel that needs them; a computed
//     value needed by two or more kernels is realized once instead (unless cheap to recompute).
//  3. fuseEpilogues: a matmul or reduction whose result feeds only one elementwise kernel of the
//     same shape absorbs that kernel as its epilogue (bias + activation + residual in the write).
//  4. fuseRows: reductions over the last axis of the same rows chain into one row kernel
//     (softmax, layer norm, log-softmax, cross-entropy: one kernel each).
//  5. splitWide: a kernel with more buffers than the adapter allows gets an intermediate realized.
// Then mergeElementwise joins aligned elementwise kernels. Every walk over inline values is
// kernel-ir.ts's walkInline with a stop rule.
import { ATTENTION_PRIMS, type Eqn, type Graph, type Var, IRError, isReduce, sameShape } from '../ir/types.ts';
import { type Kernel, type KernelGraph, type KernelKind, isElementwise, readsOnlyAligned, walkInline } from './kernel-ir.ts';

export interface FuseOptions {
  /** Storage buffers one kernel may bind (adapter's maxStorageBuffersPerShaderStage). */
  maxBindings: number;
  /** Turn fusion rules 3 and 4 off (for tests and debugging). */
  noEpilogue?: boolean;
  noRowFusion?: boolean;
}

const isIndexView = (e: Eqn): boolean => e.prim === 'reshape' || e.prim === 'transpose' || e.prim === 'broadcast' || e.prim === 'slice';
/** Primitives a kernel template computes, and the kernel kind each one anchors. */
const ROUTINES = new Map<string, KernelKind>([
  ['matmul', 'matmul'],
  ['argsort', 'argsort'],
  ['scatter_add', 'scatter_add'],
  ...ATTENTION_PRIMS.map((p): [string, KernelKind] => [p, 'attention']),
]);
/** Rounds of fusion before giving up; each round realizes at least one more value. */
const MAX_ROUNDS = 10000;

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
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const kg = fuseOnce(g, opts, forced);
    if (process.env.FLAPC_FUSE_TRACE)
      process.stderr.write(
        `fuse round ${round}: ${forced.size} forced, ${kg.kernels
          .filter((k) => k.inputs.length + k.outputs.length > opts.maxBindings)
          .map((k) => `${k.kind}:${k.inputs.length}`)
          .join(',')} over\n`,
      );
    if (realizeShared(kg, forced)) continue;
    const over = kg.kernels.filter((k) => k.inputs.length + k.outputs.length > opts.maxBindings);
    if (over.length === 0) return mergeElementwise(kg, opts);
    splitWide(kg, over, opts, forced);
  }
  throw new IRError('fusion did not converge');
}

/** Rule 2 (and routine results reached inline elsewhere): values to realize; true if any was added. */
function realizeShared(kg: KernelGraph, forced: Set<number>): boolean {
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
  if (forced.size > before) return true;
  for (const [id, n] of uses) {
    const e = kg.producer.get(id)!;
    if (n >= 2 && (isElementwise(e) || e.prim === 'gather') && recomputeCost(id, kg) > RECOMPUTE_LIMIT) forced.add(id);
  }
  return forced.size > before;
}

/** Rule 5: one split per over-wide kernel per round (the kernels are independent). */
function splitWide(kg: KernelGraph, over: Kernel[], opts: FuseOptions, forced: Set<number>): void {
  for (const k of over) {
    const victims = splitCandidates(kg, k, opts);
    if (victims.length === 0) {
      throw new IRError(
        `kernel ${k.kind} writing %${k.outputs[0]!.id} needs ${k.inputs.length + k.outputs.length} storage buffers; the adapter allows ${opts.maxBindings} and it cannot be split`,
      );
    }
    for (const v of victims) forced.add(v);
  }
}

/** Inline values are recomputed where used when this cheap (ALU ops, transcendentals x4, buffer reads x3). */
const RECOMPUTE_LIMIT = 12;
/**
 * Each buffer a recomputation reads. Without it (0, until session 10) a residual stream was never
 * realized: every layer norm re-summed it from all earlier blocks' outputs, so each block's kernels
 * differed and read up to a dozen buffers. At 3, flap-tiny's training step has 234 distinct
 * pipelines instead of 284 (row reductions 86 instead of 138), its first step from an empty Mesa
 * cache takes 23 s instead of 31-33 s, and the step time moved within noise (+3.9 %, +2.9 % and
 * -3.0 % in three alternations; bench/RESULTS.md). 2, 4 and 6 gave 237, 236 and 230 pipelines; 6 also 25 %
 * more memory.
 */
const LOAD_COST = 3;
const EXPENSIVE = new Set(['exp', 'log', 'tanh', 'erf', 'sin', 'cos', 'pow', 'sqrt', 'rsqrt']);
const opCost = (e: Eqn | undefined): number => (!e ? 0 : isElementwise(e) ? (EXPENSIVE.has(e.prim) ? 4 : 1) : e.prim === 'gather' ? 2 : 0);

function recomputeCost(id: number, kg: KernelGraph): number {
  const e = kg.producer.get(id);
  let cost = opCost(e);
  walkInline(
    e?.inputs ?? [],
    kg.producer,
    (v) => kg.realized.has(v.id),
    (v, stopped) => {
      cost += stopped ? (kg.realized.has(v.id) ? LOAD_COST : 0) : opCost(kg.producer.get(v.id));
    },
  );
  return cost;
}

/** Non-realized values a kernel computes (excluding its reduction locals, stage results and outputs). */
function kernelClosure(k: Kernel, kg: KernelGraph): Set<number> {
  const locals = new Set(k.stages.map((s) => s.reduce.outputs[0]!.id));
  const start: Var[] = [...k.outputs.flatMap((o) => kg.producer.get(o.id)?.inputs ?? []), ...k.stages.flatMap((s) => [...s.reduce.inputs, s.result])];
  if (k.anchor) start.push(...k.anchor.inputs);
  const out = new Set<number>();
  walkInline(
    start,
    kg.producer,
    (v) => kg.realized.has(v.id) || locals.has(v.id),
    (v, stopped) => {
      if (!stopped) out.add(v.id);
    },
  );
  for (const s of k.stages) out.delete(s.result.id);
  for (const o of k.outputs) out.delete(o.id);
  return out;
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
    for (const v of k!.inputs) {
      let r = readers.get(v.id);
      if (!r) readers.set(v.id, (r = new Set()));
      r.add(i);
    }
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
          .filter((v, n, arr) => arr.findIndex((u) => u.id === v.id) === n)
          .sort((x, y) => x.id - y.id);
        if (inputs.length + A.outputs.length + B.outputs.length > opts.maxBindings) continue;
        kernels[j] = { ...B, outputs: [...A.outputs, ...B.outputs], inputs };
        kernels[i] = null;
        for (const o of A.outputs) producerOf.set(o.id, j);
        for (const v of A.inputs) {
          readers.get(v.id)?.delete(i);
          let r = readers.get(v.id);
          if (!r) readers.set(v.id, (r = new Set()));
          r.add(j);
        }
        for (const id of aOut) readers.get(id)?.delete(j);
        merged = true;
        break;
      }
      if (!merged) break;
    }
  }
  return { ...kg, kernels: kernels.filter((k): k is Kernel => k !== null) };
}

interface GraphIndex {
  producer: Map<number, Eqn>;
  order: Map<number, number>;
  consumers: Map<number, Eqn[]>;
  outputIds: Set<number>;
}
/** Producer, program order and consumers of every value: the graph is the same every round. */
const graphIndex = new WeakMap<Graph, GraphIndex>();
function indexGraph(g: Graph): GraphIndex {
  let ix = graphIndex.get(g);
  if (ix) return ix;
  const producer = new Map<number, Eqn>();
  const order = new Map<number, number>();
  g.eqns.forEach((e, i) =>
    e.outputs.forEach((o) => {
      producer.set(o.id, e);
      order.set(o.id, i);
    }),
  );
  const consumers = new Map<number, Eqn[]>();
  for (const e of g.eqns) {
    for (const v of e.inputs) {
      const list = consumers.get(v.id);
      if (list) {
        if (!list.includes(e)) list.push(e);
      } else consumers.set(v.id, [e]);
    }
  }
  ix = { producer, order, consumers, outputIds: new Set(g.outputs.map((o) => o.v.id)) };
  graphIndex.set(g, ix);
  return ix;
}

/** What one round of rules 1, 3 and 4 share: the graph's index, the realized set and the work list. */
interface Round {
  g: Graph;
  opts: FuseOptions;
  forced: ReadonlySet<number>;
  producer: Map<number, Eqn>;
  order: Map<number, number>;
  consumers: Map<number, Eqn[]>;
  outputIds: Set<number>;
  realized: Set<number>;
  work: Work[];
  workByRoot: Map<number, Work>;
  dropped: Set<Work>;
}

function fuseOnce(g: Graph, opts: FuseOptions, forced: ReadonlySet<number>): KernelGraph {
  const ix = indexGraph(g);
  const realized = seedRealized(g, ix, forced);
  // One work item per realized, computed value, in program order.
  const work: Work[] = g.eqns
    .filter((e) => realized.has(e.outputs[0]!.id))
    .map((e) => {
      const root = e.outputs[0]!;
      if (ROUTINES.has(e.prim)) return { kind: ROUTINES.get(e.prim)!, root, anchor: e, stages: [], fullRow: false };
      if (isReduce(e.prim)) return { kind: 'reduce', root, anchor: e, stages: [{ reduce: e, result: root }], fullRow: false };
      return { kind: 'elementwise', root, anchor: null, stages: [], fullRow: false };
    });
  const r: Round = { g, opts, forced, ...ix, realized, work, workByRoot: new Map(work.map((w) => [w.root.id, w])), dropped: new Set() };
  if (!opts.noEpilogue) fuseEpilogues(r);
  if (!opts.noRowFusion) fuseRows(r);
  return toKernels(r);
}

/** Rule 1. */
function seedRealized(g: Graph, ix: GraphIndex, forced: ReadonlySet<number>): Set<number> {
  const { producer } = ix;
  const realized = new Set<number>([...g.inputs.map((i) => i.v.id), ...ix.outputIds, ...forced]);
  for (const e of g.eqns) {
    if (ROUTINES.has(e.prim) || isReduce(e.prim)) realized.add(e.outputs[0]!.id);
    if (ROUTINES.has(e.prim)) {
      for (let v of e.inputs) {
        while (!realized.has(v.id) && producer.get(v.id) && isIndexView(producer.get(v.id)!)) v = producer.get(v.id)!.inputs[0]!;
        realized.add(v.id);
      }
    }
  }
  return realized;
}

/** Inline values a realized root computes (stopping at buffers and the given locals). */
function closure(r: Round, root: Var, locals: ReadonlySet<number> = new Set()): Set<number> {
  const out = new Set<number>();
  walkInline(
    r.producer.get(root.id)?.inputs ?? [],
    r.producer,
    (v) => r.realized.has(v.id) || locals.has(v.id),
    (v, stopped) => {
      if (!stopped) out.add(v.id);
    },
  );
  return out;
}

/** Work items whose results the values in `cl` read directly: the only possible merge partners. */
function feeders(r: Round, cl: ReadonlySet<number>, self: Work): Work[] {
  const out = new Set<Work>();
  for (const id of cl) {
    for (const x of r.producer.get(id)?.inputs ?? []) {
      const a = r.workByRoot.get(x.id);
      if (a && a !== self) out.add(a);
    }
  }
  return [...out].sort((p, q) => r.order.get(p.root.id)! - r.order.get(q.root.id)!);
}

const onlyUsedWithin = (r: Round, v: Var, set: ReadonlySet<number>): boolean =>
  !r.outputIds.has(v.id) && (r.consumers.get(v.id) ?? []).every((c) => set.has(c.outputs[0]!.id));
const drop = (r: Round, a: Work): void => {
  r.workByRoot.delete(a.root.id);
  r.dropped.add(a);
};

/** Rule 3: matmul / reduction epilogues. */
function fuseEpilogues(r: Round): void {
  for (const w of r.work) {
    if (w.kind !== 'elementwise' || !r.workByRoot.has(w.root.id)) continue;
    const cl = closure(r, w.root);
    cl.add(w.root.id);
    for (const a of feeders(r, cl, w)) {
      if (r.forced.has(a.root.id) || (a.kind !== 'matmul' && a.kind !== 'reduce') || a.stages.length > 1 || !sameShape(a.root.shape, w.root.shape)) continue;
      if (!onlyUsedWithin(r, a.root, cl)) continue;
      // Every value between the anchor and the root must be elementwise (same index).
      const dependents = [...cl].filter((id) => dependsOn(r, id, a.root.id));
      if (!dependents.every((id) => isElementwise(r.producer.get(id)!))) continue;
      if (!dependents.includes(w.root.id)) continue;
      r.realized.delete(a.root.id);
      w.kind = a.kind;
      w.anchor = a.anchor;
      w.stages = a.stages.map((s) => ({ ...s, result: s.result.id === a.root.id ? w.root : s.result }));
      drop(r, a);
      break;
    }
  }
}

/** Whether value `id` is computed (inline) from `target`. */
function dependsOn(r: Round, id: number, target: number): boolean {
  const start = r.producer.get(id)?.outputs.find((o) => o.id === id);
  if (!start) return id === target;
  return walkInline(
    [start],
    r.producer,
    (v) => v.id !== id && r.realized.has(v.id),
    (v) => v.id === target,
  );
}

/** The row closure of a row-kernel candidate: every inline value of its root and its stages. */
function rowClosureOf(r: Round, w: Work): Set<number> {
  const locals = new Set(w.stages.map((s) => s.reduce.outputs[0]!.id));
  const set = closure(r, w.root, locals);
  for (const s of w.stages) for (const id of closure(r, s.reduce.outputs[0]!, locals)) set.add(id);
  for (const s of w.stages) for (const id of closure(r, s.result, locals)) set.add(id);
  set.add(w.root.id);
  return set;
}

/** Rule 4: chain last-axis reductions over the same rows into one row kernel. */
function fuseRows(r: Round): void {
  let changed = true;
  const rowClosure = new Map<Work, { stages: number; set: Set<number>; feeders: Work[] }>();
  while (changed) {
    changed = false;
    for (const w of r.work) {
      if (!r.workByRoot.has(w.root.id)) continue;
      const rowShape = w.kind === 'elementwise' ? w.root.shape : w.kind === 'reduce' && w.stages.length ? w.stages[0]!.reduce.inputs[0]!.shape : null;
      if (!rowShape || rowShape.length === 0) continue;
      if (w.kind === 'reduce' && !isLastAxis(w.stages[0]!.reduce)) continue;
      for (;;) {
        // A work's closure changes only when it absorbs a feeder (others' merges never
        // reach into it: an absorbed value was used by the absorbing work alone).
        let cl = rowClosure.get(w);
        if (!cl || cl.stages !== w.stages.length) {
          const set = rowClosureOf(r, w);
          cl = { stages: w.stages.length, set, feeders: feeders(r, set, w) };
          rowClosure.set(w, cl);
        }
        const clSet = cl.set;
        const feeder = cl.feeders.find(
          (a) =>
            r.workByRoot.has(a.root.id) &&
            !r.forced.has(a.root.id) &&
            a.kind === 'reduce' &&
            a.stages.length > 0 &&
            a.stages.every((s) => isLastAxis(s.reduce) && sameShape(s.reduce.inputs[0]!.shape, rowShape)) &&
            (r.consumers.get(a.root.id) ?? []).length > 0 &&
            onlyUsedWithin(r, a.root, clSet) &&
            rowAligned(a.root, rowShape, w.root, r.consumers, clSet),
        );
        if (!feeder) break;
        r.realized.delete(feeder.root.id);
        w.stages = [...feeder.stages, ...w.stages];
        if (w.kind === 'elementwise') {
          w.kind = 'reduce';
          w.fullRow = true;
          w.anchor = w.stages[w.stages.length - 1]!.reduce;
        }
        drop(r, feeder);
        changed = true;
      }
    }
  }
}

/** Kernels in program order; inputs on first use (rounds that only find values to realize never need them). */
function toKernels(r: Round): KernelGraph {
  const work = r.work.filter((w) => !r.dropped.has(w)).sort((a, b) => r.order.get(a.root.id)! - r.order.get(b.root.id)!);
  const kernels: Kernel[] = work.map((w) => {
    let inputs: Var[] | undefined;
    return {
      kind: w.kind,
      outputs: [w.root],
      anchor: w.anchor,
      stages: w.stages,
      fullRow: w.fullRow,
      get inputs(): Var[] {
        return (inputs ??= kernelInputs(w, r.producer, r.realized));
      },
    };
  });
  return { graph: r.g, kernels, realized: r.realized, producer: r.producer };
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
      return (
        sameShape(out.shape, rowShape) && c.inputs[0]!.shape.length === rows.length && (c.params as { dims: readonly number[] }).dims.every((d, i) => d === i)
      );
    }
    if ((isElementwise(c) || c.prim === 'reshape') && perRow(out.shape)) return rowAligned(out, rowShape, root, consumers, cl);
    return false;
  });
}

/** Buffers a kernel reads: walk inline values from its outputs and stage prologues. */
function kernelInputs(w: Work, producer: ReadonlyMap<number, Eqn>, realized: ReadonlySet<number>): Var[] {
  const locals = new Set(w.stages.map((s) => s.reduce.outputs[0]!.id));
  const start: Var[] = [...(producer.get(w.root.id)?.inputs ?? []), ...w.stages.flatMap((s) => s.reduce.inputs)];
  if (w.anchor && !w.stages.length) start.push(...w.anchor.inputs);
  const isBuffer = (v: Var): boolean => realized.has(v.id) && v.id !== w.root.id;
  const found = new Map<number, Var>();
  walkInline(
    start,
    producer,
    (v) => isBuffer(v) || locals.has(v.id),
    (v) => {
      if (isBuffer(v)) found.set(v.id, v);
    },
  );
  return [...found.values()].sort((a, b) => a.id - b.id);
}

/**
 * Inline computed values whose realization splits an over-wide kernel: the biggest
 * sub-expressions that fit one kernel each, disjoint, until the rest fits (a 403-term
 * gradient-norm sum splits in two rounds, not dozens).
 */
function splitCandidates(kg: KernelGraph, k: Kernel, opts: FuseOptions): number[] {
  const cands: { id: number; leaves: number; nodes: Set<number> }[] = [];
  walkInline(
    k.outputs.flatMap((o) => kg.producer.get(o.id)?.inputs ?? []),
    kg.producer,
    (v) => kg.realized.has(v.id),
    (v, stopped) => {
      const e = kg.producer.get(v.id);
      if (stopped || !e || isIndexView(e)) return;
      const { leaves, nodes } = subtree(v, kg);
      if (leaves > 1 && leaves < k.inputs.length) cands.push({ id: v.id, leaves, nodes });
    },
  );
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
  walkInline(
    kg.producer.get(root)?.inputs ?? [],
    kg.producer,
    (v) => kg.realized.has(v.id) || cut.has(v.id),
    (v, stopped) => {
      if (stopped) leaves.add(v.id);
    },
  );
  return leaves.size;
}

/** Buffers kernel k would bind if the values in `cut` were realized (shared leaves counted once). */
function widthWith(kg: KernelGraph, k: Kernel, cut: ReadonlySet<number>): number {
  const isLeaf = (v: Var): boolean => kg.realized.has(v.id) || cut.has(v.id);
  const start = [...k.outputs.flatMap((o) => kg.producer.get(o.id)?.inputs ?? []), ...k.stages.flatMap((st) => st.reduce.inputs)];
  if (k.anchor && !k.stages.length) start.push(...k.anchor.inputs);
  const leaves = new Set<number>();
  walkInline(
    start,
    kg.producer,
    (v) => isLeaf(v) || k.stages.some((st) => st.reduce.outputs[0]!.id === v.id),
    (v) => {
      if (isLeaf(v)) leaves.add(v.id);
    },
  );
  for (const o of k.outputs) leaves.delete(o.id);
  return leaves.size + k.outputs.length;
}

function subtree(root: Var, kg: KernelGraph): { leaves: number; nodes: Set<number> } {
  const leaves = new Set<number>();
  const nodes = new Set<number>();
  walkInline(
    [root],
    kg.producer,
    (v) => kg.realized.has(v.id),
    (v, stopped) => {
      (stopped ? leaves : nodes).add(v.id);
    },
  );
  return { leaves: leaves.size, nodes };
}
