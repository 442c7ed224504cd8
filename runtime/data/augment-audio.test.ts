// Audio augmentation: each transform against its definition, the padding left alone, draws fixed
// by the key, and the loader mixing clips with their captions joined.
import { describe, expect, it } from 'vitest';
import { type AudioAugment, NO_AUGMENT, augmentCrop, joinCaptions, mixLogMel, mixPartner } from './augment-audio.ts';

const FRAMES = 20,
  BINS = 8,
  REAL = 15,
  PAD = -3;
/** A normalised crop: REAL frames of distinct values, then padding. */
const crop = (): Float32Array => Float32Array.from({ length: FRAMES * BINS }, (_, i) => (i < REAL * BINS ? 1 + i / 1000 + 0.1 * Math.sin(i) : PAD));
const run = (a: Partial<AudioAugment>, key = [1, 2, 3]): Float32Array => {
  const x = crop();
  augmentCrop({ ...NO_AUGMENT, ...a }, x, 0, BINS, REAL, 0.125, key);
  return x;
};
const padding = (x: Float32Array): number[] => [...x.subarray(REAL * BINS)];

describe('augmentCrop', () => {
  it('gain adds one dB offset (in normalised log power) to every real value, within the range', () => {
    const x = crop(),
      y = run({ gainDb: 6 });
    const d = y[0]! - x[0]!;
    for (let i = 0; i < REAL * BINS; i++) expect(y[i]! - x[i]!).toBeCloseTo(d, 5);
    expect(Math.abs(d)).toBeLessThanOrEqual(6 * (Math.LN10 / 10) * 0.125 + 1e-7);
    expect(d).not.toBe(0);
    expect(padding(y).every((v) => v === PAD)).toBe(true);
    expect(run({ gainDb: 6 })).toEqual(y); // the key fixes the draw
    expect(run({ gainDb: 6 }, [1, 2, 4])[0]).not.toBe(y[0]);
  });

  it('shift rolls whole frames of the real part and keeps every value', () => {
    const x = crop();
    const keys = [0, 1, 2, 3, 4, 5].map((k) => [9, 9, k]);
    const shifted = keys.map((k) => run({ shift: 0.5 }, k)).filter((y) => y[0] !== x[0]);
    expect(shifted.length).toBeGreaterThan(0);
    for (const y of shifted) {
      expect([...y.subarray(0, REAL * BINS)].sort()).toEqual([...x.subarray(0, REAL * BINS)].sort());
      const by = [...Array(REAL).keys()].find((s) => y[s * BINS] === x[0])!; // frame 0 moved to frame `by`
      expect(by).toBeGreaterThan(0);
      expect(by).toBeLessThanOrEqual(Math.floor(0.5 * REAL));
      for (let i = 0; i < REAL * BINS; i++) expect(y[(i + by * BINS) % (REAL * BINS)]).toBe(x[i]);
      expect(padding(y).every((v) => v === PAD)).toBe(true);
    }
  });

  it('time and frequency masks set bands of at most the width to the mean (0), only inside the audio', () => {
    let timeMasked = 0,
      freqMasked = 0;
    for (let k = 0; k < 10; k++) {
      const t = run({ timeMasks: 2, timeWidth: 4 }, [4, 4, k]);
      const zeroFrames = [...Array(REAL).keys()].filter((f) => t.subarray(f * BINS, (f + 1) * BINS).every((v) => v === 0));
      expect(zeroFrames.length).toBeLessThanOrEqual(8);
      expect([...t].filter((v) => v === 0).length).toBe(zeroFrames.length * BINS); // whole frames only
      timeMasked += zeroFrames.length;
      const f = run({ freqMasks: 1, freqWidth: 3 }, [5, 5, k]);
      const zeroBins = [...Array(BINS).keys()].filter((b) => [...Array(REAL).keys()].every((fr) => f[fr * BINS + b] === 0));
      expect(zeroBins.length).toBeLessThanOrEqual(3);
      expect([...f].filter((v) => v === 0).length).toBe(zeroBins.length * REAL); // whole bins, real frames only
      freqMasked += zeroBins.length;
      expect(padding(t).every((v) => v === PAD) && padding(f).every((v) => v === PAD)).toBe(true);
    }
    expect(timeMasked).toBeGreaterThan(0);
    expect(freqMasked).toBeGreaterThan(0);
  });
});

describe('mixing', () => {
  it('adds the two clips in power, the other at -6..0 dB', () => {
    const a = Float32Array.from([0, -2, 1, -30]),
      b = Float32Array.from([0, 1, -40, -30]);
    const m = mixLogMel(a, b, 4, [1, 1, 1]);
    const g = Math.log(Math.exp(m[0]!) - 1); // b[0] + gain
    expect(g).toBeLessThanOrEqual(1e-6);
    expect(g).toBeGreaterThanOrEqual(-6 * (Math.LN10 / 10) - 1e-6);
    for (let i = 0; i < 4; i++) expect(m[i]).toBeCloseTo(Math.log(Math.exp(a[i]!) + Math.exp(b[i]! + g)), 5);
    expect(m[2]).toBeCloseTo(1, 6); // a silent partner leaves the clip as it was
  });

  it('picks a partner with the given probability, never the clip itself', () => {
    const keys = Array.from({ length: 2000 }, (_, i) => [3, 0, i]);
    const picks = keys.map((k, i) => mixPartner({ ...NO_AUGMENT, mixProb: 0.3 }, k, i % 5, 5));
    const rate = picks.filter((p) => p !== undefined).length / picks.length;
    expect(rate).toBeGreaterThan(0.25);
    expect(rate).toBeLessThan(0.35);
    picks.forEach((p, i) => expect(p).not.toBe(i % 5));
    expect(new Set(picks.filter((p, i) => i % 5 === 0 && p !== undefined))).toEqual(new Set([1, 2, 3, 4]));
    expect(mixPartner(NO_AUGMENT, [1, 2, 3], 0, 5)).toBeUndefined();
  });

  it('joins captions with "while"', () => {
    expect(joinCaptions('A dog barks.', 'Rain falls on a roof.')).toBe('A dog barks while rain falls on a roof.');
  });
});
