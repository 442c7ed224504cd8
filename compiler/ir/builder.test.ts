// Bad input to the builder and compiler: clear errors naming the equation, never a crash
// inside WGSL compilation.
import { describe, expect, it } from 'vitest';
import { compileGraph } from '../compile.ts';
import { BASELINE_CAPS } from '../caps.ts';
import { GraphBuilder } from './builder.ts';
import { type DType, IRError } from './types.ts';
import { printGraph } from './print.ts';
import { verifyGraph } from './verify.ts';

describe('builder and compiler errors', () => {
  it('shape mismatch names the equation and both shapes', () => {
    const b = new GraphBuilder();
    b.source = { label: 'encoder.layer3' };
    const x = b.input('x', [4, 8]),
      w = b.input('w', [7, 5]);
    expect(() => b.matmul(x, w)).toThrow(/eqn #0 matmul\(%0:f32\[4,8\], %1:f32\[7,5\]\) \(encoder.layer3\): inner dims differ: \[4,8\] @ \[7,5\] \(8 vs 7\)/);
    expect(() => b.add(x, b.input('y', [3, 8]))).toThrow(/add \(encoder.layer3\): shapes \[4,8\] and \[3,8\] do not broadcast/);
  });
  it('unknown dtype is rejected with the valid list', () => {
    const b = new GraphBuilder();
    expect(() => b.input('x', [2], 'f64' as DType)).toThrow(/input 'x': unknown dtype 'f64' \(expected one of f32, i32, u32, bool\)/);
    const x = b.input('y', [2]);
    expect(() => b.cast(x, 'f16' as DType)).toThrow(/eqn #0 cast.*unknown dtype 'f16'/);
  });
  it('over-limit buffer is reported against its equation at compile time', () => {
    const b = new GraphBuilder();
    const x = b.input('x', [1024, 1024]);
    b.source = { label: 'big.outer' };
    const y = b.mul(b.reshape(x, [1024, 1024, 1]), b.input('z', [1024, 1024, 64]));
    b.output('y', y);
    expect(() => compileGraph(b.build(), { caps: BASELINE_CAPS, debug: 0 })).toThrow(
      /input 'z' \[1024,1024,64\] is 268435456 bytes; the adapter binds at most 134217728/,
    );
    const c = new GraphBuilder();
    const u = c.input('u', [1024, 1024]);
    c.source = { label: 'big.outer' };
    c.output('v', c.mul(c.broadcastTo(c.reshape(u, [1024, 1024, 1]), [1024, 1024, 64]), 2));
    expect(() => compileGraph(c.build(), { caps: BASELINE_CAPS, debug: 0 })).toThrow(
      /eqn #\d+ \w+ \(big.outer\): result \[1024,1024,64\] is 268435456 bytes; the adapter binds at most 134217728/,
    );
  });
  it('errors carry the equation source as data (a gradient keeps the spec position it came from)', () => {
    // Once a "grad of mul at m.yaml:3:5" string was parsed back with a regex into the file name
    // "grad of mul at m.yaml"; the position now travels as a SourcePos.
    const g = new GraphBuilder();
    const u = g.input('u', [1024, 1024]);
    g.source = { at: { file: 'm.yaml', line: 3, col: 5 }, gradOf: 'mul' };
    g.output('v', g.mul(g.broadcastTo(g.reshape(u, [1024, 1024, 1]), [1024, 1024, 64]), 2));
    let err: IRError | undefined;
    try {
      compileGraph(g.build(), { caps: BASELINE_CAPS, debug: 0 });
    } catch (e) {
      err = e as IRError;
    }
    expect(err).toBeInstanceOf(IRError);
    expect(err!.source).toEqual({ at: { file: 'm.yaml', line: 3, col: 5 }, gradOf: 'mul' });
    expect(err!.message).toMatch(/\(grad of mul at m\.yaml:3:5\): result \[1024,1024,64\]/);
  });
  it('verifier rejects use before definition and mistyped outputs', () => {
    const b = new GraphBuilder();
    const x = b.input('x', [3]);
    const y = b.exp(x);
    const g = b.build();
    expect(() => verifyGraph({ ...g, eqns: [{ ...g.eqns[0]!, inputs: [{ id: 99, shape: [3], dtype: 'f32' }] }] })).toThrow(/uses %99 before it is defined/);
    expect(() => verifyGraph({ ...g, eqns: [{ ...g.eqns[0]!, outputs: [{ ...y, shape: [4] }] }] })).toThrow(/declared f32\[4\], inferred f32\[3\]/);
    expect(printGraph(g)).toContain('exp(%0)');
  });
});
