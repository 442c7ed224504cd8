// Initialisers: published formulas (Glorot bound, sin-cos tables as in MAE), statistics
// on large draws, and determinism.
import { describe, expect, it } from 'vitest';
import { initParam, sincos1d, sincos2d } from './init.ts';

const stats = (x: Float32Array): { mean: number; std: number; max: number } => {
  let s = 0,
    s2 = 0,
    m = 0;
  for (const v of x) {
    s += v;
    s2 += v * v;
    m = Math.max(m, Math.abs(v));
  }
  const mean = s / x.length;
  return { mean, std: Math.sqrt(s2 / x.length - mean * mean), max: m };
};

describe('parameter initialisers', () => {
  it('normal(std) has that std and mean 0', () => {
    const s = stats(initParam({ name: 'w', shape: [200, 300], init: { kind: 'normal', args: [0.02] } }, 1));
    expect(Math.abs(s.mean)).toBeLessThan(0.0005);
    expect(s.std).toBeCloseTo(0.02, 3);
  });
  it('xavier is uniform within sqrt(6 / (fan_in + fan_out)) with variance 2 / (fan_in + fan_out)', () => {
    const s = stats(initParam({ name: 'w', shape: [256, 512], init: { kind: 'xavier', args: [] } }, 1));
    const lim = Math.sqrt(6 / 768);
    expect(s.max).toBeLessThanOrEqual(lim);
    expect(s.max).toBeGreaterThan(lim * 0.99);
    expect(s.std).toBeCloseTo(Math.sqrt(2 / 768), 3);
  });
  it('zeros, ones, constant', () => {
    expect([...initParam({ name: 'a', shape: [3], init: { kind: 'zeros', args: [] } }, 0)]).toEqual([0, 0, 0]);
    expect([...initParam({ name: 'a', shape: [2], init: { kind: 'ones', args: [] } }, 0)]).toEqual([1, 1]);
    expect([...initParam({ name: 'a', shape: [], init: { kind: 'constant', args: [2.5] } }, 0)]).toEqual([2.5]);
  });
  it('is deterministic per seed and name, and differs across names and seeds', () => {
    const p = { name: 'enc.w', shape: [4, 4], init: { kind: 'normal', args: [1] } };
    expect(initParam(p, 7)).toEqual(initParam(p, 7));
    expect(initParam(p, 7)).not.toEqual(initParam(p, 8));
    expect(initParam(p, 7)).not.toEqual(initParam({ ...p, name: 'dec.w' }, 7));
  });
  it('sin-cos tables follow the transformer formula; 2-D splits the width between row and column', () => {
    const t = sincos1d(10, 8);
    // position 3, frequency index 1 of 4: w = 1 / 10000^(1/4)
    expect(t[3 * 8 + 1]).toBeCloseTo(Math.sin(3 / 10000 ** 0.25), 6);
    expect(t[3 * 8 + 4 + 1]).toBeCloseTo(Math.cos(3 / 10000 ** 0.25), 6);
    const g = sincos2d(4, 3, 8);
    const tok = 2 * 3 + 1; // row 2, column 1
    expect([...g.subarray(tok * 8, tok * 8 + 4)]).toEqual([...sincos1d(4, 4).subarray(2 * 4, 3 * 4)]);
    expect([...g.subarray(tok * 8 + 4, tok * 8 + 8)]).toEqual([...sincos1d(3, 4).subarray(4, 8)]);
  });
});
