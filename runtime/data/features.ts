// The audio front end after decoding: mono samples at any rate -> the spec's rate (Kaiser sinc)
// -> Kaldi log-mel [frames, mel]; then per-batch crop/pad and normalisation. No Node imports: the
// web page runs exactly this code on samples from the browser's decoder.
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

export interface Features {
  /** Log-mel [frames, melBins], time-major, un-normalised. */
  mel: Float32Array;
  frames: number;
  /** Duration of the decoded audio in seconds. */
  seconds: number;
  /** True when every value is the log floor (digital silence). */
  silent: boolean;
}

/** Too little audio for one analysis window. */
export class TooShort extends Error {}

const extractors = new Map<string, Fbank>();

/** Mono samples at `rate` -> log-mel features with the front end's settings. */
export function featurizeSamples(mono: Float32Array, rate: number, fe: Omit<FrontEnd, 'frames' | 'longAudio'>): Features {
  const seconds = mono.length / rate;
  const x = resample(mono, rate, fe.sampleRate);
  // AudioMAE subtracts the clip's mean before the filterbank.
  let mean = 0;
  for (let i = 0; i < x.length; i++) mean += x[i]!;
  mean /= x.length;
  const centred = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) centred[i] = x[i]! - mean;
  const key = `${fe.sampleRate}/${fe.melBins}/${fe.winMs}/${fe.hopMs}/${fe.window}`;
  let fb = extractors.get(key);
  if (!fb) {
    fb = new Fbank({ sampleRate: fe.sampleRate, melBins: fe.melBins, winMs: fe.winMs, hopMs: fe.hopMs, window: fe.window });
    extractors.set(key, fb);
  }
  const frames = fb.frames(centred.length);
  if (frames === 0) throw new TooShort(`too short: ${(seconds * 1000).toFixed(1)} ms of audio, one ${fe.winMs} ms window needed`);
  const mel = fb.compute(centred);
  const floor = Math.fround(LOG_FLOOR);
  return { mel, frames, seconds, silent: mel.every((v) => v === floor) };
}

/** Average of the channels. */
export function downmix(channels: Float32Array[]): Float32Array {
  if (channels.length === 1) return channels[0]!;
  const n = Math.min(...channels.map((c) => c.length));
  const out = new Float32Array(n);
  for (const c of channels) for (let i = 0; i < n; i++) out[i] += c[i]!;
  for (let i = 0; i < n; i++) out[i] /= channels.length;
  return out;
}

/**
 * The model's view of one clip: `frames` rows, normalised as AudioMAE does ((x - mean) / (2 std)).
 * Shorter clips are padded with silence (the log floor); longer ones are cropped at `start`.
 */
export function cropNormalise(f: Features, fe: FrontEnd, start: number, norm: { mean: number; std: number }, out: Float32Array, at: number): void {
  const m = fe.melBins,
    scale = 1 / (2 * norm.std);
  const pad = (LOG_FLOOR - norm.mean) * scale;
  const take = Math.max(0, Math.min(fe.frames, f.frames - start));
  for (let i = 0; i < take * m; i++) out[at + i] = (f.mel[start * m + i]! - norm.mean) * scale;
  out.fill(pad, at + take * m, at + fe.frames * m);
}

/**
 * Evaluation windows of a clip: one crop at 0, or the fewest full windows that cover it, spread
 * evenly from its start to its end (they overlap rather than pad). Consecutive chunks with the
 * last one padded with silence scored worse than the first window alone: a 6 s clip's second
 * 5.12 s chunk is 83 % padding, an input training (random full crops) never shows; the quickstart model
 * on corpus/small's test split, A->T / T->A R@1 15.5 / 13.6 (crop), 11.9 / 8.6 (padded chunks),
 * see bench/RESULTS.md, session 13.
 */
export function evalStarts(f: Features, fe: FrontEnd): number[] {
  if (fe.longAudio === 'crop' || f.frames <= fe.frames) return [0];
  const n = Math.ceil(f.frames / fe.frames);
  const last = f.frames - fe.frames;
  return Array.from({ length: n }, (_, i) => Math.round((i * last) / (n - 1)));
}

/** The normalised log-mel value of digital silence: the neutral audio input for text-only batches. */
export const silenceLevel = (norm: { mean: number; std: number }): number => (LOG_FLOOR - norm.mean) / (2 * norm.std);

/** Model-sized rows for embedding: clip i's crop at 0 or every chunk (`clips` names each row's clip; rows past `valid` are padding). */
export interface EvalBatch {
  mel: Float32Array;
  clips: number[];
  valid: number;
}

/** Batches of evaluation rows from features as they come (undefined: a clip that could not be loaded). */
export async function* evalBatches(
  items: AsyncIterable<{ clip: number; f: Features | undefined }>,
  fe: FrontEnd,
  norm: { mean: number; std: number },
  batch: number,
): AsyncGenerator<EvalBatch> {
  const per = fe.frames * fe.melBins;
  let cur: EvalBatch = { mel: new Float32Array(batch * per), clips: [], valid: 0 };
  for await (const { clip, f } of items) {
    if (!f) continue;
    for (const start of evalStarts(f, fe)) {
      cropNormalise(f, fe, start, norm, cur.mel, cur.valid * per);
      cur.clips.push(clip);
      cur.valid++;
      if (cur.valid === batch) {
        yield cur;
        cur = { mel: new Float32Array(batch * per), clips: [], valid: 0 };
      }
    }
  }
  if (cur.valid > 0) yield cur;
}
