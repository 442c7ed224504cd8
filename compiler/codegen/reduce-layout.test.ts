// Which layout a row reduction gets, read from its WGSL (runtime/exec/primitives.test.ts runs
// both layouts against the float64 interpreter): barriers cost compile time on CPU adapters.
import { describe, expect, it } from 'vitest';
import { BASELINE_CAPS } from '../caps.ts';
import { compileGraph } from '../compile.ts';
import { GraphBuilder } from '../ir/builder.ts';

const rowSum = (rows: number, k: number): string => {
  const b = new GraphBuilder();
  b.output('y', b.sum(b.mul(b.input('x', [rows, k]), b.input('z', [rows, k])), 1));
  const plan = compileGraph(b.build(), { caps: BASELINE_CAPS, debug: 0 }).plan;
  expect(plan.pipelines.length).toBe(1);
  return plan.pipelines[0]!.wgsl;
};

describe('row reduction layout', () => {
  it('few short rows (a gradient-norm piece: 1 row of 64) run one thread per row, with no barrier', () => {
    for (const [rows, k] of [
      [1, 64],
      [16, 255],
      [4096, 64],
    ] as const)
      expect(rowSum(rows, k), `${rows}x${k}`).not.toContain('workgroupBarrier');
  });

  it('few long rows, and any row of 1024 or more, get a workgroup per row', () => {
    for (const [rows, k] of [
      [1, 256],
      [16, 4096],
      [4096, 1024],
    ] as const)
      expect(rowSum(rows, k), `${rows}x${k}`).toContain('workgroupBarrier');
  });
});
