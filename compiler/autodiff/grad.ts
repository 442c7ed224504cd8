// Reverse-mode differentiation over the graph IR: walk equations backwards, apply each
// primitive's VJP, sum cotangents. Backward equations are appended to the same builder,
// so the result is one ordinary graph that fusion treats like the forward pass.
import type { GraphBuilder } from '../ir/builder.ts';
import { type Var, IRError, numel, shapeStr } from '../ir/types.ts';
import { applyVjp } from './vjp.ts';

/** Gradients of scalar `loss` with respect to each of `wrt` (zeros where unconnected). */
export function grad(b: GraphBuilder, loss: Var, wrt: readonly Var[]): Var[] {
  if (loss.dtype !== 'f32' || numel(loss.shape) !== 1) {
    throw new IRError(`grad: loss must be an f32 scalar, got ${loss.dtype}${shapeStr(loss.shape)}`);
  }
  const forward = [...b.eqns];
  // Only equations that depend on a wrt value and feed the loss need a backward rule.
  const dependsOnWrt = new Set(wrt.map((v) => v.id));
  for (const e of forward) {
    if (e.prim !== 'stop_gradient' && e.inputs.some((v) => dependsOnWrt.has(v.id))) for (const o of e.outputs) dependsOnWrt.add(o.id);
  }
  const feedsLoss = new Set([loss.id]);
  for (let i = forward.length - 1; i >= 0; i--) {
    const e = forward[i]!;
    if (e.outputs.some((o) => feedsLoss.has(o.id))) for (const v of e.inputs) feedsLoss.add(v.id);
  }

  const cts = new Map<number, Var>();
  const addCt = (v: Var, ct: Var): void => {
    const prev = cts.get(v.id);
    cts.set(v.id, prev ? b.add(prev, ct) : ct);
  };
  const saved = b.source;
  cts.set(loss.id, b.constant(1, loss.shape));
  for (let i = forward.length - 1; i >= 0; i--) {
    const e = forward[i]!;
    const out = e.outputs[0]!;
    const ct = cts.get(out.id);
    if (!ct || !dependsOnWrt.has(out.id) || !feedsLoss.has(out.id)) continue;
    b.source = { ...(e.source?.at && { at: e.source.at }), gradOf: e.prim };
    const inCts = applyVjp(b, e, ct);
    e.inputs.forEach((v, k) => {
      const c = inCts[k];
      if (c && dependsOnWrt.has(v.id) && v.dtype === 'f32') addCt(v, c);
    });
  }
  b.source = saved;
  return wrt.map((v) => cts.get(v.id) ?? b.bind1('broadcast', [b.constant(0)], { shape: v.shape, dims: [] }));
}
