import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DecodeFailure, decodeAudio, downmix, sniffFormat } from './decode.ts';
import { resample, resampledLength } from './resample.ts';
import { encodeWav } from './wav-writer.ts';

const FIX = new URL('./fixtures/', import.meta.url);
const fixture = (f: string): Uint8Array => new Uint8Array(readFileSync(new URL(f, FIX)));
const sine = (hz: number, n: number, sr: number, amp: number, phase = 0): Float32Array =>
  Float32Array.from({ length: n }, (_, i) => amp * Math.sin((2 * Math.PI * hz * i) / sr + phase));

/** Amplitude of frequency hz in x (single-bin DFT, Hann-windowed, amplitude-corrected). */
function amplitudeAt(x: Float32Array, hz: number, sr: number): number {
  let re = 0,
    im = 0,
    wsum = 0;
  for (let i = 0; i < x.length; i++) {
    const w = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (x.length - 1));
    re += w * x[i]! * Math.cos((2 * Math.PI * hz * i) / sr);
    im += w * x[i]! * Math.sin((2 * Math.PI * hz * i) / sr);
    wsum += w;
  }
  return (2 * Math.hypot(re, im)) / wsum;
}

async function failure(bytes: Uint8Array): Promise<string> {
  try {
    await decodeAudio(bytes);
  } catch (e) {
    if (e instanceof DecodeFailure) return e.message;
    throw e;
  }
  throw new Error('expected a DecodeFailure');
}

describe('WAV', () => {
  const sr = 11025,
    n = 2205;
  const left = sine(440, n, sr, 0.5),
    right = sine(1000, n, sr, 0.25, 0.3);
  for (const enc of ['pcm8', 'pcm16', 'pcm24', 'pcm32', 'float32'] as const) {
    it(`${enc} stereo decodes to within its quantisation step`, async () => {
      const d = await decodeAudio(encodeWav([left, right], sr, enc));
      expect(d.format).toBe('wav');
      expect(d.sampleRate).toBe(sr);
      expect(d.channels.length).toBe(2);
      const step = { pcm8: 1 / 128, pcm16: 1 / 32768, pcm24: 2 ** -23, pcm32: 2 ** -31, float32: 0 }[enc];
      for (const [c, want] of [
        [d.channels[0]!, left],
        [d.channels[1]!, right],
      ] as const) {
        expect(c.length).toBe(n);
        let worst = 0;
        for (let i = 0; i < n; i++) worst = Math.max(worst, Math.abs(c[i]! - want[i]!));
        expect(worst).toBeLessThanOrEqual(step + 1e-7);
      }
      const mono = downmix(d.channels);
      expect(mono[100]).toBeCloseTo((left[100]! + right[100]!) / 2, 2);
    });
  }

  it('reports empty, truncated and unrecognised files', async () => {
    const ok = encodeWav([left], sr, 'pcm16');
    expect(await failure(new Uint8Array(0))).toBe('empty file');
    expect(await failure(ok.subarray(0, 1000))).toMatch(/^truncated WAV: data chunk declares 4410 bytes, file holds 956/);
    expect(await failure(ok.subarray(0, 30))).toMatch(/^bad WAV/);
    expect(await failure(new TextEncoder().encode('hello, this is text'))).toMatch(/unrecognised header/);
  });
});

describe('compressed formats (fixtures made with sox, oggenc and lame)', () => {
  // Left: 440 Hz at 0.5, right: 1000 Hz at 0.25; 0.6 s at 22050 Hz.
  for (const [file, tol] of [
    ['tone-22050-stereo.flac', 0.002],
    ['tone-22050-stereo.ogg', 0.05],
    ['tone-22050-stereo.mp3', 0.05],
  ] as const) {
    it(file, async () => {
      const bytes = fixture(file);
      const d = await decodeAudio(bytes);
      expect(d.format).toBe(sniffFormat(bytes));
      expect(d.sampleRate).toBe(22050);
      expect(d.channels.length).toBe(2);
      // Lossy codecs pad: the length is 0.6 s up to one codec frame.
      expect(Math.abs(d.channels[0]!.length - 13230)).toBeLessThanOrEqual(file.endsWith('.mp3') ? 1152 * 2 : 0);
      const mid = (c: Float32Array): Float32Array => c.subarray(2000, 11000);
      expect(amplitudeAt(mid(d.channels[0]!), 440, 22050)).toBeCloseTo(0.5, 1);
      expect(Math.abs(amplitudeAt(mid(d.channels[0]!), 440, 22050) - 0.5)).toBeLessThan(tol * 10);
      expect(Math.abs(amplitudeAt(mid(d.channels[1]!), 1000, 22050) - 0.25)).toBeLessThan(tol * 10);
      expect(amplitudeAt(mid(d.channels[0]!), 1000, 22050)).toBeLessThan(0.01);
    });
  }

  it('24-bit FLAC at 48 kHz', async () => {
    const d = await decodeAudio(fixture('tone-48000-mono-24.flac'));
    expect([d.sampleRate, d.channels.length, d.channels[0]!.length]).toEqual([48000, 1, 19200]);
    expect(Math.abs(amplitudeAt(d.channels[0]!.subarray(1000, 18000), 3000, 48000) - 0.5)).toBeLessThan(0.01);
  });

  it('decodes the last frame of a sox-written FLAC (a frame codec-parser drops when flushing)', async () => {
    const d = await decodeAudio(fixture('sox-last-frame.flac'));
    expect([d.sampleRate, d.channels.length, d.channels[0]!.length]).toEqual([16000, 1, 97600]); // soxi: 97600 samples
  });

  it('a truncated or corrupted FLAC is a failure, not short audio', async () => {
    const b = fixture('tone-22050-stereo.flac');
    expect(await failure(b.subarray(0, b.length >> 1))).toMatch(/FLAC/);
    const bad = b.slice();
    for (let i = 200; i < bad.length; i += 7) bad[i] ^= 0x5a;
    expect(await failure(bad)).toMatch(/FLAC/);
  });
});

describe('resample', () => {
  it('keeps a tone below both Nyquist rates (44.1 kHz -> 16 kHz and 8 kHz -> 16 kHz)', () => {
    for (const [from, to, hz] of [
      [44100, 16000, 1000],
      [8000, 16000, 440],
      [22050, 16000, 5000],
      [48000, 16000, 6000],
      [44100, 16001, 3000],
    ] as const) {
      // 16001: too many phases, interpolated kernel
      const x = sine(hz, from, from, 0.5);
      const y = resample(x, from, to);
      expect(y.length).toBe(resampledLength(x.length, from, to));
      // Away from the edges, y equals the same tone sampled at the new rate.
      let worst = 0;
      for (let i = 200; i < y.length - 200; i++) worst = Math.max(worst, Math.abs(y[i]! - 0.5 * Math.sin((2 * Math.PI * hz * i) / to)));
      expect(worst, `${from}->${to} ${hz} Hz`).toBeLessThan(2e-3);
    }
  });

  it('loses at most 1 dB at 7/8 of the new Nyquist rate (transition band)', () => {
    const y = resample(sine(7000, 48000, 48000, 0.5), 48000, 16000);
    const a = amplitudeAt(y.subarray(200, y.length - 200), 7000, 16000);
    expect(20 * Math.log10(a / 0.5)).toBeGreaterThan(-1);
  });

  it('removes content above the new Nyquist rate instead of aliasing it', () => {
    const x = sine(11000, 44100, 44100, 0.5); // would alias to 5 kHz at 16 kHz
    const y = resample(x, 44100, 16000);
    expect(amplitudeAt(y.subarray(200, y.length - 200), 5000, 16000)).toBeLessThan(0.5e-3); // > 60 dB down
  });

  it('is the identity at equal rates', () => {
    const x = sine(300, 100, 16000, 1);
    expect(resample(x, 16000, 16000)).toBe(x);
  });
});

describe('concurrent decoding', () => {
  it('gives the same samples when many decodes of every format overlap', async () => {
    const files = ['tone-22050-stereo.flac', 'tone-22050-stereo.ogg', 'tone-22050-stereo.mp3', 'tone-48000-mono-24.flac'].map(fixture);
    const one = await Promise.all(files.map((f) => decodeAudio(f)));
    const many = await Promise.all(Array.from({ length: 24 }, (_, i) => decodeAudio(files[i % files.length]!)));
    many.forEach((d, i) => expect(Array.from(d.channels[0]!)).toEqual(Array.from(one[i % files.length]!.channels[0]!)));
  });
});
