// The audio front end: encoded bytes -> mono at the spec's rate -> Kaldi log-mel [frames, mel].
// The whole clip is featurised (cached as such); cropping, padding and normalisation happen per
// batch, so one cache serves training crops, evaluation crops and chunking.
import { createHash } from 'node:crypto';
import type { AudioConfig } from '../../compiler/index.ts';
import { DecodeFailure, decodeAudio } from './decode.ts';
import { type Features, type FrontEnd, TooShort, downmix, featurizeSamples } from './features.ts';

export { type Features, type FrontEnd, cropNormalise, evalStarts, featurizeSamples } from './features.ts';

/** Bumped whenever featurisation changes, so stale cache entries are never read. */
export const FRONTEND_VERSION = 1;

export function frontEndFromSpec(audio: AudioConfig): FrontEnd {
  return {
    sampleRate: audio.sample_rate,
    melBins: audio.mel_bins,
    winMs: audio.win_ms,
    hopMs: audio.hop_ms,
    window: audio.window,
    frames: audio.frames,
    longAudio: audio.long_audio,
  };
}

/** The settings that change cached features (not `frames` or `longAudio`: those act per batch). */
export function frontEndKey(fe: FrontEnd): string {
  const s = JSON.stringify([FRONTEND_VERSION, fe.sampleRate, fe.melBins, fe.winMs, fe.hopMs, fe.window]);
  return createHash('sha256').update(s).digest('hex').slice(0, 16);
}

export async function featurize(bytes: Uint8Array, fe: FrontEnd): Promise<Features> {
  const audio = await decodeAudio(bytes);
  try {
    return featurizeSamples(downmix(audio.channels), audio.sampleRate, fe);
  } catch (e) {
    if (e instanceof TooShort) throw new DecodeFailure(e.message);
    throw e;
  }
}
