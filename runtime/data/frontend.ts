// The audio front end: encoded bytes -> mono at the spec's rate -> Kaldi log-mel [frames, mel].
// The whole clip is featurised (cached as such); cropping, padding and normalisation happen per
// batch, so one cache serves training crops, evaluation crops and chunking.
import { createHash } from 'node:crypto';
import { DecodeFailure, decodeAudio, downmix } from './decode.ts';
import { Fbank, LOG_FLOOR } from './fbank.ts';
import { resample } from './resample.ts';

export interface FrontEnd {
  sampleRate: number;
  melBins: number;
  winMs: number;
  hopMs: number;
  window: 'povey' | 'hann';
  /** Frames the model sees per clip (crop or pad to this). */
  frames: number;
  /** Evaluation of clips longer than `frames`: first `frames` ('crop') or every chunk, averaged ('chunks'). */
  longAudio: 'crop' | 'chunks';
}

/** Bumped whenever featurisation changes, so stale cache entries are never read. */
export const FRONTEND_VERSION = 1;

export function frontEndFromSpec(audio: Record<string, unknown>): FrontEnd {
  return {
    sampleRate: audio.sample_rate as number, melBins: audio.mel_bins as number, winMs: audio.win_ms as number,
    hopMs: audio.hop_ms as number, window: audio.window as 'povey' | 'hann', frames: audio.frames as number,
    longAudio: audio.long_audio as 'crop' | 'chunks',
  };
}

/** The settings that change cached features (not `frames` or `longAudio`: those act per batch). */
export function frontEndKey(fe: FrontEnd): string {
  const s = JSON.stringify([FRONTEND_VERSION, fe.sampleRate, fe.melBins, fe.winMs, fe.hopMs, fe.window]);
  return createHash('sha256').update(s).digest('hex').slice(0, 16);
}

export interface Features {
  /** Log-mel [frames, melBins], time-major, un-normalised. */
  mel: Float32Array;
  frames: number;
  /** Duration of the decoded audio in seconds. */
  seconds: number;
  /** True when every value is the log floor (digital silence). */
  silent: boolean;
}

const extractors = new Map<string, Fbank>();

export async function featurize(bytes: Uint8Array, fe: FrontEnd): Promise<Features> {
  const audio = await decodeAudio(bytes);
  const mono = downmix(audio.channels);
  const seconds = mono.length / audio.sampleRate;
  const x = resample(mono, audio.sampleRate, fe.sampleRate);
  // AudioMAE subtracts the clip's mean before the filterbank.
  let mean = 0;
  for (let i = 0; i < x.length; i++) mean += x[i]!;
  mean /= x.length;
  const centred = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) centred[i] = x[i]! - mean;
  const key = frontEndKey(fe);
  let fb = extractors.get(key);
  if (!fb) { fb = new Fbank({ sampleRate: fe.sampleRate, melBins: fe.melBins, winMs: fe.winMs, hopMs: fe.hopMs, window: fe.window }); extractors.set(key, fb); }
  const frames = fb.frames(centred.length);
  if (frames === 0) throw new DecodeFailure(`too short: ${(seconds * 1000).toFixed(1)} ms of audio, one ${fe.winMs} ms window needed`);
  const mel = fb.compute(centred);
  const floor = Math.fround(LOG_FLOOR);
  return { mel, frames, seconds, silent: mel.every((v) => v === floor) };
}

/**
 * The model's view of one clip: `frames` rows, normalised as AudioMAE does ((x - mean) / (2 std)).
 * Shorter clips are padded with silence (the log floor); longer ones are cropped at `start`.
 */
export function cropNormalise(f: Features, fe: FrontEnd, start: number, norm: { mean: number; std: number }, out: Float32Array, at: number): void {
  const m = fe.melBins, scale = 1 / (2 * norm.std);
  const pad = (LOG_FLOOR - norm.mean) * scale;
  const take = Math.max(0, Math.min(fe.frames, f.frames - start));
  for (let i = 0; i < take * m; i++) out[at + i] = (f.mel[start * m + i]! - norm.mean) * scale;
  out.fill(pad, at + take * m, at + fe.frames * m);
}

/** Evaluation windows of a clip: one crop at 0, or consecutive chunks covering it all. */
export function evalStarts(f: Features, fe: FrontEnd): number[] {
  if (fe.longAudio === 'crop' || f.frames <= fe.frames) return [0];
  const n = Math.ceil(f.frames / fe.frames);
  return Array.from({ length: n }, (_, i) => i * fe.frames);
}
