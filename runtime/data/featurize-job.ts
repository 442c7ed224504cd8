// One clip through the front end, with the cache: what a loader worker does per job. Every
// failure becomes a reason string for the bad-item report.
import { FeatureCache, contentHash } from './feature-cache.ts';
import { type Features, type FrontEnd, featurize, frontEndKey } from './frontend.ts';
import { type ClipSource, readClipBytes } from './manifest.ts';

export interface FeaturizeJob {
  source: ClipSource;
  fe: FrontEnd;
  cacheDir: string | null;
}
export type FeaturizeResult = { ok: true; features: Features; cached: boolean; bytes: number } | { ok: false; reason: string };

export async function runFeaturizeJob(job: FeaturizeJob): Promise<FeaturizeResult> {
  let bytes: Uint8Array;
  try {
    bytes = readClipBytes(job.source);
  } catch (e) {
    const code = (e as { code?: string }).code;
    return { ok: false, reason: code === 'ENOENT' ? 'missing file' : `cannot read: ${(e as Error).message}` };
  }
  if (bytes.length === 0) return { ok: false, reason: 'empty file' };
  const cache = job.cacheDir ? new FeatureCache(job.cacheDir, frontEndKey(job.fe)) : undefined;
  const hash = cache ? contentHash(bytes) : '';
  const hit = cache?.get(hash, job.fe.melBins);
  if (hit) return { ok: true, features: hit, cached: true, bytes: bytes.length };
  try {
    const features = await featurize(bytes, job.fe);
    cache?.put(hash, features);
    return { ok: true, features, cached: false, bytes: bytes.length };
  } catch (e) {
    // Decoders are third-party WebAssembly: anything they throw on a file is that file's problem.
    return { ok: false, reason: (e as Error).message || String(e) };
  }
}
