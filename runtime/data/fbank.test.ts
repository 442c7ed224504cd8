import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Fbank, LOG_FLOOR, fft, frameCount, melBanks, melScale, type FbankOptions } from './fbank.ts';

const FIX = new URL('./fixtures/', import.meta.url);
const opts = (o: Partial<FbankOptions> = {}): FbankOptions => ({ sampleRate: 16000, melBins: 64, winMs: 25, hopMs: 10, window: 'hann', ...o });
const tone = (hz: number, n: number, sr = 16000, amp = 0.5): Float32Array =>
  Float32Array.from({ length: n }, (_, i) => amp * Math.sin((2 * Math.PI * hz * i) / sr));

describe('fft', () => {
  it('matches a direct DFT on random input', () => {
    const n = 64;
    const x = Array.from({ length: n }, (_, i) => Math.sin(i * 1.7) + Math.cos(i * i * 0.3));
    const re = Float64Array.from(x),
      im = new Float64Array(n);
    fft(re, im);
    for (let k = 0; k < n; k++) {
      let r = 0,
        j = 0;
      for (let t = 0; t < n; t++) {
        r += x[t]! * Math.cos((-2 * Math.PI * k * t) / n);
        j += x[t]! * Math.sin((-2 * Math.PI * k * t) / n);
      }
      expect(re[k]).toBeCloseTo(r, 9);
      expect(im[k]).toBeCloseTo(j, 9);
    }
  });
});

describe('Kaldi frame counts (snip_edges)', () => {
  it('follows 1 + (N - win) / hop, whole windows only', () => {
    const fb = new Fbank(opts());
    expect([fb.win, fb.hop, fb.nfft]).toEqual([400, 160, 512]);
    expect(fb.frames(399)).toBe(0);
    expect(fb.frames(400)).toBe(1);
    expect(fb.frames(559)).toBe(1);
    expect(fb.frames(560)).toBe(2);
    expect(fb.frames(16000)).toBe(98); // 1 s -> 98 frames, as kaldi compute-fbank-feats
    expect(fb.frames(160000)).toBe(998); // 10 s -> 998
    expect(frameCount(44100, 1103, 441)).toBe(98); // 44.1 kHz: 25 ms = 1103 samples (rounded)
    expect(fb.compute(new Float32Array(16000)).length).toBe(98 * 64);
  });
});

describe('log-mel analytic checks', () => {
  it('silence and DC give the log floor everywhere', () => {
    const fb = new Fbank(opts());
    for (const x of [new Float32Array(4000), new Float32Array(4000).fill(0.3)]) {
      const f = fb.compute(x);
      expect(f.every((v) => v === Math.fround(LOG_FLOOR))).toBe(true);
    }
  });

  it('a pure tone peaks in the mel bin whose centre is nearest its frequency', () => {
    for (const [sr, bins, hz] of [
      [16000, 64, 1000],
      [16000, 128, 440],
      [16000, 128, 5000],
      [22050, 80, 2500],
    ] as const) {
      const o = opts({ sampleRate: sr, melBins: bins });
      const fb = new Fbank(o);
      const f = fb.compute(tone(hz, sr, sr));
      const mLow = melScale(20),
        d = (melScale(sr / 2) - mLow) / (bins + 1);
      const centres = Array.from({ length: bins }, (_, b) => mLow + (b + 1) * d);
      const want = centres.reduce((best, c, b) => (Math.abs(c - melScale(hz)) < Math.abs(centres[best]! - melScale(hz)) ? b : best), 0);
      const frame = 10;
      const row = Array.from(f.subarray(frame * bins, (frame + 1) * bins));
      const peak = row.indexOf(Math.max(...row));
      expect(Math.abs(peak - want), `${hz} Hz at ${sr} Hz, ${bins} bins`).toBeLessThanOrEqual(1);
      // Far from the tone the energy is at least 40 dB (ln 1e4 = 9.2) lower.
      expect(row[peak]! - row[(peak + bins / 2) % bins]!).toBeGreaterThan(9.2);
    }
  });

  it('doubling the amplitude adds ln 4 to every bin (power spectrum, no normalisation)', () => {
    const fb = new Fbank(opts());
    const a = fb.compute(tone(700, 4000, 16000, 0.25)),
      b = fb.compute(tone(700, 4000, 16000, 0.5));
    for (let i = 0; i < a.length; i++) if (a[i]! > LOG_FLOOR + 20) expect(b[i]! - a[i]!).toBeCloseTo(Math.log(4), 4);
  });

  it('mel filters are triangles that overlap into a partition of unity between centres', () => {
    const o = opts({ melBins: 40 });
    const banks = melBanks(o, 512);
    // Between the first and last centre, adjacent triangles sum to 1 at every FFT bin.
    const mLow = melScale(20),
      d = (melScale(8000) - mLow) / 41;
    for (let i = 0; i < 256; i++) {
      const m = melScale((16000 / 512) * i);
      if (m < mLow + d || m > mLow + 40 * d) continue;
      const s = banks.reduce((acc, w) => acc + w[i]!, 0);
      expect(s).toBeCloseTo(1, 9);
    }
    expect(banks.every((w) => w[256] === 0)).toBe(true);
  });
});

describe('matches the independent numpy implementation (tools/kaldi_fbank_fixture.py)', () => {
  const meta = JSON.parse(readFileSync(new URL('fbank.json', FIX), 'utf8')) as {
    signal: string;
    sample_rate: number;
    cases: { name: string; sr: number; bins: number; window: 'hann' | 'povey'; file: string; frames: number }[];
  };
  const sig = new Float32Array(readFileSync(new URL(meta.signal, FIX)).buffer.slice(0));
  for (const c of meta.cases) {
    it(c.name, () => {
      const want = new Float32Array(readFileSync(new URL(c.file, FIX)).buffer.slice(0));
      const fb = new Fbank(opts({ sampleRate: c.sr, melBins: c.bins, window: c.window }));
      const got = fb.compute(sig);
      expect(fb.frames(sig.length)).toBe(c.frames);
      expect(got.length).toBe(want.length);
      let worst = 0;
      for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!));
      // Both compute in float64 and store float32; log values are O(1..20), so 1e-4 is float32 rounding.
      expect(worst).toBeLessThan(1e-4);
    });
  }
});
