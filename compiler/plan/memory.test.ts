// The memory plan without a GPU: temporaries share a buffer only when their lifetimes are
// disjoint, every buffer holds its largest tensor, and the planned total stays within 1.2x of the
// live-tensor lower bound on the shipped models (issue: "flapc compile prints planned peak and the
// live-tensor lower bound; <= 1.2x").
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BASELINE_CAPS } from '../caps.ts';
import { compileSpec } from '../frontend/compile-spec.ts';
import { Diagnostics } from '../frontend/diagnostics.ts';
import type { KernelGraph } from '../fuse/kernel-ir.ts';
import { numel } from '../ir/types.ts';
import { planMemory } from './memory.ts';

const spec = (name: string): string => fileURLToPath(new URL(`../../models/${name}.yaml`, import.meta.url));

function checkSharing(kg: KernelGraph): void {
  const m = planMemory(kg);
  const first = new Map<number, number>(),
    last = new Map<number, number>();
  kg.kernels.forEach((k, t) => {
    for (const o of k.outputs) if (!first.has(o.id)) first.set(o.id, t);
    for (const v of k.inputs) last.set(v.id, t);
  });
  const byBuffer = new Map<number, { id: number; t0: number; t1: number; bytes: number }[]>();
  for (const k of kg.kernels)
    for (const o of k.outputs) {
      const b = m.bufferOf.get(o.id)!;
      if (m.buffers[b]!.kind !== 'temp') continue;
      const t0 = first.get(o.id)!;
      const list = byBuffer.get(b) ?? [];
      list.push({ id: o.id, t0, t1: Math.max(last.get(o.id) ?? t0, t0), bytes: Math.max(4, numel(o.shape) * 4) });
      byBuffer.set(b, list);
    }
  for (const [b, list] of byBuffer) {
    for (const x of list) expect(x.bytes).toBeLessThanOrEqual(m.buffers[b]!.bytes);
    for (let i = 0; i < list.length; i++)
      for (let j = i + 1; j < list.length; j++) {
        const [x, y] = [list[i]!, list[j]!];
        expect(x.t0 > y.t1 || y.t0 > x.t1, `%${x.id} [${x.t0},${x.t1}] and %${y.id} [${y.t0},${y.t1}] share buffer ${b}`).toBe(true);
      }
  }
  expect(m.totalBytes).toBeGreaterThanOrEqual(m.liveLowerBound);
}

describe('memory plan', () => {
  for (const name of ['flap-tiny', 'clap-tiny', 'flap-tiny-2d']) {
    it(`${name}: buffers shared only by disjoint lifetimes; within 1.2x of the live-tensor lower bound`, () => {
      const d = new Diagnostics();
      const c = compileSpec(spec(name), BASELINE_CAPS, d)!;
      expect(c, d.list.map((x) => x.message).join('\n')).toBeTruthy();
      for (const [kg, plan] of [
        [c.trainKernels, c.trainPlan],
        [c.evalKernels, c.evalPlan],
      ] as const) {
        checkSharing(kg);
        expect(plan.stats.bufferBytes / plan.stats.liveBytesLowerBound!).toBeLessThanOrEqual(1.2);
      }
    });
  }
});
