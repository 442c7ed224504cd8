// The training stream for a model: datasets opened and checked before any GPU work, log-mel
// statistics (estimated, or a checkpoint's when resuming), and the loader positioned where the
// stream should go on.
import { type AudioAugment, isActive } from '../data/augment-audio.ts';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { AudioConfig } from '../../compiler/index.ts';
import { UserError } from '../errors.ts';
import { writeReport } from '../data/bad-report.ts';
import { contentHash, defaultCacheDir } from '../data/feature-cache.ts';
import { type FrontEnd, frontEndFromSpec } from '../data/frontend.ts';
import { Loader, type Norm, type StreamPosition, type TrainBatch, estimateNorm } from '../data/loader.ts';
import { type Dataset, openDataset } from '../data/manifest.ts';
import { FeaturizePool } from '../data/pool.ts';
import type { WordPieceTokenizer } from '../data/tokenizer.ts';

/** Open manifests and insist on at least one usable clip, naming why there is none. */
export function openUsable(inputs: string[], what: string): Dataset {
  const ds = openDataset(inputs);
  if (ds.clips.length === 0) {
    const why = ds.bad
      .slice(0, 3)
      .map((b) => `${b.item}: ${b.reason}`)
      .join('; ');
    throw new UserError(
      `no usable clips for ${what} in ${inputs.join(', ')}${ds.bad.length ? ` (${ds.bad.length} bad items, e.g. ${why})` : ' (no audio found)'}; flapc data check lists every item`,
    );
  }
  return ds;
}

export interface TrainData {
  loader: Loader;
  batches: AsyncGenerator<TrainBatch>;
  norm: Norm;
  fe: FrontEnd;
  tokenizer: WordPieceTokenizer;
  pool: FeaturizePool;
  cacheDir: string | null;
  /** JSONL list of bad items (written when there are any). */
  report: string;
  bad(): number;
  close(): Promise<void>;
}

export interface TrainDataOptions {
  audio: AudioConfig;
  augmentedProb: number;
  augment: AudioAugment;
  seed: number;
  batch: number;
  maxTokens: number;
  frames: number;
  workers: number;
  cache: boolean;
  tokenizer: WordPieceTokenizer;
  /** Known statistics (a resumed run keeps its own); estimated from the data otherwise. */
  norm?: Norm;
  start?: StreamPosition;
  log: (l: string) => void;
}

export async function openTrainData(ds: Dataset, inputs: string[], o: TrainDataOptions): Promise<TrainData> {
  const fe: FrontEnd = { ...frontEndFromSpec(o.audio), frames: o.frames };
  const cacheDir = o.cache ? defaultCacheDir() : null;
  const pool = new FeaturizePool(o.workers);
  const reportDir = join(cacheDir ? dirname(cacheDir) : process.cwd(), 'reports');
  const report = join(reportDir, `${contentHash(new TextEncoder().encode(inputs.join('\n'))).slice(0, 12)}.jsonl`);
  o.log(`data: ${ds.clips.length} clips from ${ds.manifests.map((x) => `${x.path} (${x.format})`).join(', ')}`);
  let norm = o.norm;
  if (!norm) {
    o.log('data: estimating log-mel mean/std');
    const est = await estimateNorm(ds.clips, pool, fe, cacheDir, o.seed);
    norm = { mean: est.mean, std: est.std };
    o.log(`data: log-mel mean ${norm.mean.toFixed(3)}, std ${norm.std.toFixed(3)} over ${est.clips} clips`);
  }
  const withAug = ds.clips.filter((c) => c.augmented).length;
  if (o.augmentedProb > 0) o.log(`data: ${withAug} of ${ds.clips.length} clips have augmented captions, used with probability ${o.augmentedProb}`);
  const loader = new Loader(ds.clips, {
    fe,
    tokenizer: o.tokenizer,
    maxTokens: o.maxTokens,
    batch: o.batch,
    seed: o.seed,
    pool,
    cacheDir,
    norm,
    augmentedProb: o.augmentedProb,
    augment: o.augment,
  });
  if (isActive(o.augment)) o.log(`data: audio augmentation ${JSON.stringify(o.augment)}`);
  const bad = (): number => ds.bad.length + loader.bad.length;
  const save = (): void => {
    mkdirSync(reportDir, { recursive: true });
    writeReport(report, [...ds.bad, ...loader.bad]);
  };
  if (ds.bad.length) {
    save();
    o.log(`data: ${ds.bad.length} bad items skipped, listed in ${report}`);
  }
  return {
    loader,
    batches: loader.train(Infinity, o.start),
    norm,
    fe,
    tokenizer: o.tokenizer,
    pool,
    cacheDir,
    report,
    bad,
    close: async () => {
      if (bad()) save();
      await pool.close();
    },
  };
}
