// Graph clean-up before fusion: fold reshape/transpose chains, common-subexpression
// elimination, and dead-code elimination. Each pass returns a new graph.
import { type Eqn, type Graph, type Var, numel } from '../ir/types.ts';

/** Rewrite inputs through `subst` (old id -> replacement var). */
function substitute(e: Eqn, subst: Map<number, Var>): Eqn {
  if (!e.inputs.some((v) => subst.has(v.id))) return e;
  return { ...e, inputs: e.inputs.map((v) => subst.get(v.id) ?? v) };
}

function finish(g: Graph, eqns: Eqn[], subst: Map<number, Var>): Graph {
  return { inputs: g.inputs, eqns, outputs: g.outputs.map((o) => ({ ...o, v: subst.get(o.v.id) ?? o.v })) };
}

/** reshape(reshape(x)) -> reshape(x), transposes of transposes compose; reshapes to the same
 *  shape and identity transposes vanish. */
export function foldViews(g: Graph): Graph {
  const subst = new Map<number, Var>();
  const producer = new Map<number, Eqn>();
  const eqns: Eqn[] = [];
  for (const e0 of g.eqns) {
    let e = substitute(e0, subst);
    const out = e.outputs[0]!;
    if (e.prim === 'reshape') {
      const src = producer.get(e.inputs[0]!.id);
      if (src?.prim === 'reshape') e = { ...e, inputs: src.inputs };
      const x = e.inputs[0]!;
      if (x.shape.length === out.shape.length && x.shape.every((d, i) => d === out.shape[i])) {
        subst.set(out.id, x);
        continue;
      }
    }
    if (e.prim === 'transpose') {
      // transpose(transpose(x, p), q) = transpose(x, p∘q)
      const src = producer.get(e.inputs[0]!.id);
      if (src?.prim === 'transpose') {
        const p = (src.params as { perm: number[] }).perm;
        e = { ...e, inputs: src.inputs, params: { perm: (e.params as { perm: number[] }).perm.map((a) => p[a]!) } };
      }
      if ((e.params as { perm: number[] }).perm.every((a, i) => a === i)) {
        subst.set(out.id, e.inputs[0]!);
        continue;
      }
    }
    if (e.prim === 'stop_gradient') {
      subst.set(out.id, e.inputs[0]!);
      continue;
    } // only matters to autodiff
    for (const o of e.outputs) producer.set(o.id, e);
    eqns.push(e);
  }
  return finish(g, eqns, subst);
}

/** Structurally identical equations (same prim, inputs, params) compute once. */
export function cse(g: Graph): Graph {
  const subst = new Map<number, Var>();
  const seen = new Map<string, Eqn>();
  const eqns: Eqn[] = [];
  for (const e0 of g.eqns) {
    const e = substitute(e0, subst);
    const key = `${e.prim}(${e.inputs.map((v) => v.id).join(',')})${JSON.stringify(e.params)}`;
    const prev = seen.get(key);
    if (prev) {
      e.outputs.forEach((o, i) => subst.set(o.id, prev.outputs[i]!));
      continue;
    }
    seen.set(key, e);
    eqns.push(e);
  }
  return finish(g, eqns, subst);
}

/** Drop equations whose results reach no output. */
export function dce(g: Graph): Graph {
  const live = new Set(g.outputs.map((o) => o.v.id));
  const keep: Eqn[] = [];
  for (let i = g.eqns.length - 1; i >= 0; i--) {
    const e = g.eqns[i]!;
    if (!e.outputs.some((o) => live.has(o.id))) continue;
    for (const v of e.inputs) live.add(v.id);
    keep.push(e);
  }
  return { inputs: g.inputs, eqns: keep.reverse(), outputs: g.outputs };
}

/**
 * A scatter-add into a large table (the token embedding's gradient: 30522 rows from 640 token
 * positions) scans every index once per row. With the indices flattened and argsorted (stable,
 * O(n^2) in one small kernel), each row finds its run by binary search instead: O(rows log n)
 * in place of O(rows n). The sorted run keeps the positions in ascending order, the order the
 * plain kernel adds them in, so the result is bit for bit the same. Before: 21.8 ms of
 * flap-small-quick's 447 ms step (`run bench step --profile`, spec line 63).
 */
export const SORTED_SCATTER_MIN_ROWS = 4096;
export function sortScatters(g: Graph, minRows = SORTED_SCATTER_MIN_ROWS): Graph {
  let next = 1 + Math.max(-1, ...g.inputs.map((i) => i.v.id), ...g.eqns.flatMap((e) => [...e.inputs, ...e.outputs].map((v) => v.id)));
  const fresh = (shape: readonly number[], dtype: Var['dtype']): Var => ({ id: next++, shape: [...shape], dtype });
  const eqns: Eqn[] = [];
  for (const e of g.eqns) {
    const p = e.params as { batchDims: number; shape: number[] };
    if (e.prim !== 'scatter_add' || e.inputs.length !== 2 || p.batchDims !== 0 || p.shape[0]! < minRows) {
      eqns.push(e);
      continue;
    }
    const [idx, upd] = [e.inputs[0]!, e.inputs[1]!];
    const n = numel(idx.shape);
    const flat = fresh([n], 'i32'),
      rows = fresh([n, ...p.shape.slice(1)], 'f32'),
      perm = fresh([n], 'i32');
    const at = e.source ? { source: e.source } : {};
    eqns.push(
      { prim: 'reshape', inputs: [idx], params: { shape: flat.shape }, outputs: [flat], ...at },
      { prim: 'reshape', inputs: [upd], params: { shape: rows.shape }, outputs: [rows], ...at },
      { prim: 'argsort', inputs: [flat], params: {}, outputs: [perm], ...at },
      { ...e, inputs: [flat, rows, perm] },
    );
  }
  return { inputs: g.inputs, eqns, outputs: g.outputs };
}

export function simplify(g: Graph, opts: { sortScatters?: boolean } = {}): Graph {
  return dce(cse(foldViews(transposeProducts(opts.sortScatters === false ? g : sortScatters(g)))));
}

/** The permutation that swaps the last two of r axes. */
const swapLast = (r: number): number[] => [...Array.from({ length: r - 2 }, (_, i) => i), r - 1, r - 2];

/**
 * (A @ B)ᵀ = Bᵀ @ Aᵀ: a product that is read only through a transpose of its last two axes is
 * computed transposed instead, so its readers see it in order. The gradient of Q @ Kᵀ with
 * respect to K came as Qᵀ @ dS, transposed back by a view, and that view kept attention's
 * dq | dk | dv assembly one element per lane (bench/RESULTS.md, session 17). The new operands are
 * transposed views (folded with any transposes they already were), which the subgroup matmul
 * reads as vec4s (codegen/matmul.ts vectorLoads).
 */
export function transposeProducts(g: Graph): Graph {
  let next = 1 + Math.max(-1, ...g.inputs.map((i) => i.v.id), ...g.eqns.flatMap((e) => [...e.inputs, ...e.outputs].map((v) => v.id)));
  const fresh = (shape: readonly number[], dtype: Var['dtype']): Var => ({ id: next++, shape: [...shape], dtype });
  const uses = new Map<number, Eqn[]>();
  for (const e of g.eqns) for (const v of e.inputs) uses.set(v.id, [...(uses.get(v.id) ?? []), e]);
  const outputs = new Set(g.outputs.map((o) => o.v.id));
  const subst = new Map<number, Var>();
  const dropped = new Set<Eqn>();
  const eqns: Eqn[] = [];
  for (const e0 of g.eqns) {
    if (dropped.has(e0)) continue;
    const e = substitute(e0, subst);
    if (e.prim !== 'matmul') {
      eqns.push(e);
      continue;
    }
    const [a, b] = e.inputs as [Var, Var];
    const y = e.outputs[0]!,
      r = y.shape.length;
    const swap = swapLast(r);
    const readers = uses.get(y.id) ?? [];
    const transposedOnly =
      readers.length > 0 && readers.every((u) => u.prim === 'transpose' && (u.params as { perm: number[] }).perm.every((d, i) => d === swap[i]));
    const sameBatch = a.shape.length === r && b.shape.length === r && a.shape.slice(0, r - 2).every((d, i) => d === b.shape[i]);
    if (!transposedOnly || !sameBatch || outputs.has(y.id)) {
      eqns.push(e);
      continue;
    }
    const at = e.source ? { source: e.source } : {};
    const view = (x: Var): Var => {
      const t = fresh(
        swap.map((d) => x.shape[d]!),
        x.dtype,
      );
      eqns.push({ prim: 'transpose', inputs: [x], params: { perm: swap }, outputs: [t], ...at });
      return t;
    };
    const bT = view(b),
      aT = view(a);
    const yT = fresh(
      swap.map((d) => y.shape[d]!),
      y.dtype,
    );
    eqns.push({ ...e, inputs: [bT, aT], outputs: [yT] });
    for (const u of readers) {
      dropped.add(u);
      subst.set(u.outputs[0]!.id, yT);
    }
  }
  return finish(g, eqns, subst);
}
