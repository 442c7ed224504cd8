// The loader that feeds an Embedder: model-sized rows (its frames, batch and caption length) of
// the given clips, through the worker pool and the feature cache. One place for the five
// services that embed audio (evaluation, zero-shot, tags, library embedding, query by example).
import { defaultCacheDir } from '../data/feature-cache.ts';
import type { FrontEnd } from '../data/features.ts';
import { Loader, type Norm } from '../data/loader.ts';
import type { Clip } from '../data/manifest.ts';
import type { FeaturizePool } from '../data/pool.ts';
import type { WordPieceTokenizer } from '../data/wordpiece.ts';
import type { Embedder } from './embed.ts';

export interface ClipLoaderOptions {
  fe: FrontEnd;
  tokenizer: WordPieceTokenizer;
  pool: FeaturizePool;
  norm: Norm;
  /** Default: the user's feature cache. */
  cacheDir?: string | null;
  seed?: number;
}

export function clipLoader(emb: Embedder, clips: Clip[], o: ClipLoaderOptions): Loader {
  return new Loader(clips, {
    fe: { ...o.fe, frames: emb.frames },
    tokenizer: o.tokenizer,
    maxTokens: emb.maxTokens,
    batch: emb.batch,
    seed: o.seed ?? 0,
    pool: o.pool,
    cacheDir: o.cacheDir === undefined ? defaultCacheDir() : o.cacheDir,
    norm: o.norm,
    // one pass over the clips: nothing to keep for a next epoch
    memoryBytes: 0,
  });
}
