import { describe, expect, it } from 'vitest';
import { learningRate } from './schedule.ts';

describe('learning-rate schedule', () => {
  it('warms up linearly, then decays along a cosine to zero at the last step', () => {
    expect(learningRate(1, 1000, 1e-3, 100)).toBeCloseTo(1e-5, 12);
    expect(learningRate(50, 1000, 1e-3, 100)).toBeCloseTo(5e-4, 12);
    expect(learningRate(100, 1000, 1e-3, 100)).toBeCloseTo(1e-3, 12);
    expect(learningRate(550, 1000, 1e-3, 100)).toBeCloseTo(5e-4, 12); // half-way through the decay
    expect(learningRate(1000, 1000, 1e-3, 100)).toBeCloseTo(0, 12);
    for (let s = 101; s < 1000; s++) expect(learningRate(s + 1, 1000, 1e-3, 100)).toBeLessThanOrEqual(learningRate(s, 1000, 1e-3, 100));
  });
  it('caps the warm-up at a quarter of a short run', () => {
    expect(learningRate(10, 40, 1, 50)).toBeCloseTo(1, 12);
    expect(learningRate(5, 40, 1, 50)).toBeCloseTo(0.5, 12);
  });
});
