// Audio augmentation for training batches, on log-mel crops (the cache holds log-mels, not
// waveforms), seeded: every draw is mix(seed, epoch, position, k), so a seed fixes the batches and
// a resumed run sees the same augmented clips. Spec knobs (train.aug_*, all off by default):
//   gain_db      a gain drawn uniformly from [-g, +g] dB: adds g·ln(10)/10 to every log power
//   shift        a circular time shift of the crop by up to this fraction of its frames
//   time/freq masks  SpecAugment: up to N bands of at most W frames / bins set to the mean (0 after
//                normalisation); FLAP's token dropping already hides patches, so they are off there
//   mix_prob     the probability that a clip is mixed with another clip of the corpus (in power:
//                log(e^a + e^(b + gain)), the other at -6..0 dB), their captions joined by "while"
import { mix } from './counter-rng.ts';

export interface AudioAugment {
  gainDb: number;
  shift: number;
  timeMasks: number;
  timeWidth: number;
  freqMasks: number;
  freqWidth: number;
  mixProb: number;
}

export const NO_AUGMENT: AudioAugment = { gainDb: 0, shift: 0, timeMasks: 0, timeWidth: 0, freqMasks: 0, freqWidth: 0, mixProb: 0 };

/** The spec's train.aug_* keys as an AudioAugment. */
export function augmentFromSpec(t: {
  aug_gain_db: number;
  aug_shift: number;
  aug_time_masks: number;
  aug_time_width: number;
  aug_freq_masks: number;
  aug_freq_width: number;
  aug_mix_prob: number;
}): AudioAugment {
  return {
    gainDb: t.aug_gain_db,
    shift: t.aug_shift,
    timeMasks: t.aug_time_masks,
    timeWidth: t.aug_time_width,
    freqMasks: t.aug_freq_masks,
    freqWidth: t.aug_freq_width,
    mixProb: t.aug_mix_prob,
  };
}

export const isActive = (a: AudioAugment): boolean =>
  a.gainDb > 0 || a.shift > 0 || (a.timeMasks > 0 && a.timeWidth > 0) || (a.freqMasks > 0 && a.freqWidth > 0) || a.mixProb > 0;

/** A uniform draw in [0, 1) for draw k of the clip at (seed, epoch, pos). */
const draw = (key: readonly number[], k: number): number => mix(...key, 100 + k) / 2 ** 32;

/** Whether this clip is mixed, and with which clip of `n` (never itself). */
export function mixPartner(a: AudioAugment, key: readonly number[], self: number, n: number): number | undefined {
  if (a.mixProb <= 0 || n < 2 || draw(key, 0) >= a.mixProb) return undefined;
  const other = mix(...key, 99) % (n - 1);
  return other >= self ? other + 1 : other;
}

/** log(e^a + e^(b + g)) over the first `frames` rows of two raw log-mel crops; g in [-6, 0] dB. */
export function mixLogMel(a: Float32Array, b: Float32Array, len: number, key: readonly number[]): Float32Array {
  const g = -6 * draw(key, 1) * (Math.LN10 / 10);
  const out = new Float32Array(len);
  for (let i = 0; i < len; i++) {
    const x = a[i]!,
      y = b[i]! + g;
    const m = Math.max(x, y);
    out[i] = m + Math.log(Math.exp(x - m) + Math.exp(y - m));
  }
  return out;
}

/** "A dog barks." + "Rain falls." -> "A dog barks while rain falls." */
export function joinCaptions(a: string, b: string): string {
  const head = a.trim().replace(/[.!?\s]+$/, '');
  const tail = b.trim();
  return `${head} while ${tail.charAt(0).toLowerCase()}${tail.slice(1)}`;
}

/**
 * Gain, shift and masks on a normalised crop in place: from `out[at]` on, `real` frames of
 * `bins` values are audio (the padding after them is not touched).
 * `scale` is the normalisation's 1 / (2 std), which turns a dB gain into normalised units.
 */
export function augmentCrop(a: AudioAugment, out: Float32Array, at: number, bins: number, real: number, scale: number, key: readonly number[]): void {
  if (real <= 0) return;
  const view = out.subarray(at, at + real * bins);
  if (a.gainDb > 0) {
    const db = (2 * draw(key, 2) - 1) * a.gainDb;
    const add = db * (Math.LN10 / 10) * scale;
    for (let i = 0; i < view.length; i++) view[i] = view[i]! + add;
  }
  if (a.shift > 0) {
    const by = Math.floor(draw(key, 3) * (Math.floor(a.shift * real) + 1));
    if (by > 0) view.set(Float32Array.from({ length: view.length }, (_, i) => view[(i - by * bins + view.length) % view.length]!));
  }
  for (let m = 0; m < a.timeMasks && a.timeWidth > 0; m++) {
    const w = Math.floor(draw(key, 10 + 2 * m) * (a.timeWidth + 1));
    const t0 = Math.floor(draw(key, 11 + 2 * m) * Math.max(1, real - w + 1));
    view.fill(0, t0 * bins, Math.min(real, t0 + w) * bins);
  }
  for (let m = 0; m < a.freqMasks && a.freqWidth > 0; m++) {
    const w = Math.floor(draw(key, 40 + 2 * m) * (a.freqWidth + 1));
    const f0 = Math.floor(draw(key, 41 + 2 * m) * Math.max(1, bins - w + 1));
    for (let t = 0; t < real; t++) view.fill(0, t * bins + f0, t * bins + Math.min(bins, f0 + w));
  }
}
