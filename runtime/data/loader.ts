// Batches for training and evaluation. Clips are featurised in worker threads (FeaturizePool) a
// prefetch window ahead of the consumer, through the on-disk cache. Order, caption choice and crop
// positions depend only on (seed, epoch, position), never on timing, so a seed fixes the batches.
// Training streams epoch after epoch (each a fresh permutation) without dropping a partial last
// batch: the next epoch's first clips complete it. A clip that fails to load is reported once and
// left out of later epochs.
import { type EvalBatch, type Features, type FrontEnd, cropNormalise, evalBatches } from './features.ts';
import type { BadItem, Clip } from './manifest.ts';
import { sourceName } from './manifest.ts';
import type { FeaturizePool } from './pool.ts';
import type { WordPieceTokenizer } from './tokenizer.ts';
import { mix } from './counter-rng.ts';
import { type AudioAugment, augmentCrop, joinCaptions, mixLogMel, mixPartner } from './augment-audio.ts';

export { mix } from './counter-rng.ts';

export interface Norm {
  mean: number;
  std: number;
}

export interface LoaderOptions {
  fe: FrontEnd;
  tokenizer: WordPieceTokenizer;
  maxTokens: number;
  batch: number;
  seed: number;
  pool: FeaturizePool;
  cacheDir: string | null;
  norm: Norm;
  /** Probability of training on a clip's augmented caption instead of the original (spec: train.augmented_caption_prob). */
  augmentedProb?: number;
  /** Audio augmentation of training crops (spec: train.aug_*); none by default. */
  augment?: AudioAugment;
  /** Clips in flight ahead of the consumer (default 2 batches). */
  prefetch?: number;
  /**
   * Bytes of features kept in memory after their first load (default MEMORY_BYTES): later epochs
   * take a clip from there instead of a worker re-reading and re-hashing its file. 0 turns it off.
   */
  memoryBytes?: number;
  /** Called as clips load: (loaded, cached, failed). */
  progress?: (s: LoadStats) => void;
}

export interface LoadStats {
  loaded: number;
  cached: number;
  failed: number;
}

export interface TrainBatch {
  mel: Float32Array; // [batch, frames, melBins], normalised
  tokens: Int32Array; // [batch, maxTokens]
  clips: number[]; // index into the clip list, per row
  captions: number[]; // which caption of the clip, per row
  augmented: boolean[]; // whether that caption's augmented version was used
  epoch: number; // epoch of the batch's first row
  /** Where the stream goes on after this batch: pass it to train() to resume exactly here. */
  next: StreamPosition;
}

/** A position in the training stream: the `pos`-th clip of epoch `epoch`'s permutation. */
export interface StreamPosition {
  epoch: number;
  pos: number;
}

export type { EvalBatch } from './features.ts';

/** The clip a training clip is mixed with (train.aug_mix_prob). */
interface Partner {
  f: Features;
  clip: number;
}

/** Fisher-Yates permutation of 0..n-1 for (seed, epoch). */
export function permutation(n: number, seed: number, epoch: number): number[] {
  const p = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = mix(seed, epoch, i) % (i + 1);
    [p[i], p[j]] = [p[j]!, p[i]!];
  }
  return p;
}

/**
 * Features a loader keeps in memory by default: corpus/small's 693 training clips take ~135 MB,
 * corpus/full's ~740 MB. Without it each step's 16 clips went through a worker (read the audio
 * file, sha256 it, read the cached features, copy them across threads), CPU time taken from
 * lavapipe's two threads: the trainer's step was ~25 ms slower with data than on a fixed batch.
 */
export const MEMORY_BYTES = 1 << 30;

export class Loader {
  readonly bad: BadItem[] = [];
  readonly stats: LoadStats = { loaded: 0, cached: 0, failed: 0 };
  /** Decoded duration in seconds of each clip loaded so far, by index. */
  readonly seconds = new Map<number, number>();
  private failed = new Set<number>();
  /** Features by clip index, kept after a first load while within opts.memoryBytes. */
  private kept = new Map<number, Features>();
  private keptBytes = 0;
  private pending = new Map<number, Promise<Features | undefined>>();

  constructor(
    readonly clips: Clip[],
    readonly opts: LoaderOptions,
  ) {
    if (clips.length === 0) throw new Error('no usable clips to load');
  }

  private load(i: number): Promise<Features | undefined> {
    if (this.failed.has(i)) return Promise.resolve(undefined);
    const kept = this.kept.get(i);
    if (kept) {
      this.stats.loaded++;
      this.stats.cached++;
      return Promise.resolve(kept);
    }
    // The prefetch window can reach a clip of the next epoch while its first load is in flight.
    let p = this.pending.get(i);
    if (!p) {
      p = this.fetch(i).finally(() => this.pending.delete(i));
      this.pending.set(i, p);
    }
    return p;
  }

  private async fetch(i: number): Promise<Features | undefined> {
    const c = this.clips[i]!;
    let r: Awaited<ReturnType<FeaturizePool['run']>>;
    try {
      r = await this.opts.pool.run({ source: c.source, fe: this.opts.fe, cacheDir: this.opts.cacheDir });
    } catch (e) {
      if (this.opts.pool.isClosed) return undefined; // a prefetch nobody will consume: not a bad clip
      throw e; // a broken worker pool is an internal error
    }
    if (!r.ok) {
      if (!this.failed.has(i)) {
        this.failed.add(i);
        this.bad.push({ item: sourceName(c.source), reason: r.reason, origin: c.origin });
      }
      this.stats.failed++;
    } else {
      this.seconds.set(i, r.features.seconds);
      this.stats.loaded++;
      if (r.cached) this.stats.cached++;
      this.keep(i, r.features);
    }
    this.opts.progress?.(this.stats);
    return r.ok ? r.features : undefined;
  }

  /** Keep a clip's features for its next load (fetched once: load() shares a load in flight; callers only read them). */
  private keep(i: number, f: Features): void {
    const bytes = f.mel.byteLength;
    if (this.keptBytes + bytes > (this.opts.memoryBytes ?? MEMORY_BYTES)) return;
    this.kept.set(i, f);
    this.keptBytes += bytes;
  }

  /**
   * Endless training batches from `start` (default: the beginning); `epochs` bounds the stream
   * (for tests and one-pass tools). The order is a pure function of (seed, epoch, position):
   * clips that fail keep their place and are skipped as they come, so a stream resumed at a
   * batch's `next` yields exactly the batches an uninterrupted one would.
   */
  async *train(epochs = Infinity, start: StreamPosition = { epoch: 0, pos: 0 }): AsyncGenerator<TrainBatch> {
    const { batch, seed } = this.opts;
    const depth = Math.max(1, this.opts.prefetch ?? 2 * batch);
    const n = this.clips.length;
    // The stream of (clip, epoch, position) and a window of loads running ahead of it.
    const order = (function* (self: Loader): Generator<{ clip: number; epoch: number; pos: number }> {
      for (let e = start.epoch; e < epochs; e++) {
        if (self.failed.size === n) return;
        const perm = permutation(n, seed, e);
        for (let k = e === start.epoch ? start.pos : 0; k < n; k++) yield { clip: perm[k]!, epoch: e, pos: k };
      }
    })(this);
    const window: { clip: number; epoch: number; pos: number; f: Promise<Features | undefined> }[] = [];
    const refill = (): void => {
      while (window.length < depth) {
        const n = order.next();
        if (n.done) return;
        window.push({ ...n.value, f: this.load(n.value.clip) });
      }
    };
    refill();
    let rows: { clip: number; epoch: number; pos: number; f: Features }[] = [];
    while (window.length > 0) {
      const w = window.shift()!;
      refill();
      const f = await w.f;
      if (f) rows.push({ ...w, f });
      if (rows.length < batch && window.length > 0) continue;
      if (rows.length === 0) break;
      if (rows.length < batch) break; // the stream ended (bounded epochs): no padding rows
      yield this.assemble(rows, await this.partners(rows));
      rows = [];
    }
    if (this.clips.length - this.failed.size === 0) throw new Error('every clip failed to load (see the bad-item report)');
  }

  /** The features of each row's mixing partner (train.aug_mix_prob), or undefined. */
  private partners(rows: { clip: number; epoch: number; pos: number }[]): Promise<(Partner | undefined)[]> {
    const a = this.opts.augment;
    return Promise.all(
      rows.map((r) => {
        const other = a && mixPartner(a, [this.opts.seed, r.epoch, r.pos], r.clip, this.clips.length);
        return other === undefined ? undefined : this.load(other).then((f) => f && { f, clip: other });
      }),
    );
  }

  private assemble(rows: { clip: number; epoch: number; pos: number; f: Features }[], partners: (Partner | undefined)[] = []): TrainBatch {
    const last = rows[rows.length - 1]!;
    const next = last.pos + 1 < this.clips.length ? { epoch: last.epoch, pos: last.pos + 1 } : { epoch: last.epoch + 1, pos: 0 };
    const { fe, maxTokens, seed, norm, tokenizer } = this.opts;
    const per = fe.frames * fe.melBins;
    const mel = new Float32Array(rows.length * per);
    const tokens = new Int32Array(rows.length * maxTokens);
    const captions: number[] = [];
    const augmented: boolean[] = [];
    rows.forEach((r, b) => {
      const clip = this.clips[r.clip]!;
      const cap = mix(seed, r.epoch, r.pos, 1) % clip.captions.length;
      const slack = r.f.frames - fe.frames;
      const start = slack > 0 ? mix(seed, r.epoch, r.pos, 2) % (slack + 1) : 0;
      const key = [seed, r.epoch, r.pos];
      const other = partners[b];
      const take = Math.max(0, Math.min(fe.frames, r.f.frames - start));
      if (other) {
        // Mixed in power over the overlap of the two crops; the rest is this clip alone.
        const oStart = other.f.frames > fe.frames ? mix(seed, r.epoch, r.pos, 6) % (other.f.frames - fe.frames + 1) : 0;
        const overlap = Math.min(take, other.f.frames - oStart) * fe.melBins;
        const raw = r.f.mel.slice(start * fe.melBins, (start + take) * fe.melBins);
        raw.set(mixLogMel(raw, other.f.mel.subarray(oStart * fe.melBins), overlap, key));
        cropNormalise({ ...r.f, mel: raw, frames: take }, fe, 0, norm, mel, b * per);
      } else cropNormalise(r.f, fe, start, norm, mel, b * per);
      if (this.opts.augment) augmentCrop(this.opts.augment, mel, b * per, fe.melBins, take, 1 / (2 * norm.std), key);
      const useAug = clip.augmented && mix(seed, r.epoch, r.pos, 3) / 2 ** 32 < (this.opts.augmentedProb ?? 0);
      let text = (useAug ? clip.augmented! : clip.captions)[cap]!;
      if (other) {
        const o = this.clips[other.clip]!;
        text = joinCaptions(text, o.captions[mix(seed, r.epoch, r.pos, 7) % o.captions.length]!);
      }
      tokens.set(tokenizer.encode(text, maxTokens), b * maxTokens);
      augmented.push(!!useAug);
      captions.push(cap);
    });
    return { mel, tokens, clips: rows.map((r) => r.clip), captions, augmented, epoch: rows[0]!.epoch, next };
  }

  /** Every clip once, in order, as model-sized rows (crop at 0, or all chunks): for embedding. */
  evalAudio(): AsyncGenerator<EvalBatch> {
    const { fe, batch, norm } = this.opts;
    const depth = Math.max(1, this.opts.prefetch ?? 2 * batch);
    const self = this;
    // Loads run a window ahead; rows are cut in clip order.
    const loaded = async function* (): AsyncGenerator<{ clip: number; f: Features | undefined }> {
      const pending: Promise<Features | undefined>[] = [];
      let next = 0;
      const refill = (): void => {
        while (pending.length < depth && next < self.clips.length) pending.push(self.load(next++));
      };
      refill();
      for (let i = 0; i < self.clips.length; i++) {
        const f = await pending.shift()!;
        refill();
        yield { clip: i, f };
      }
    };
    return evalBatches(loaded(), fe, norm, batch);
  }
}

/** Dataset mean/std of log-mel values over the real (unpadded) frames of up to `max` clips. */
export async function estimateNorm(
  clips: Clip[],
  pool: FeaturizePool,
  fe: FrontEnd,
  cacheDir: string | null,
  seed: number,
  max = 256,
): Promise<Norm & { clips: number }> {
  const pick = permutation(clips.length, seed, 0x6e6f726d).slice(0, max);
  let n = 0,
    sum = 0,
    sq = 0,
    used = 0;
  const results = await Promise.all(pick.map((i) => pool.run({ source: clips[i]!.source, fe, cacheDir })));
  for (const r of results) {
    if (!r.ok) continue;
    used++;
    for (const v of r.features.mel) {
      n++;
      sum += v;
      sq += v * v;
    }
  }
  if (n === 0) throw new Error('no clip could be loaded to estimate the feature mean and std');
  const mean = sum / n;
  return { mean, std: Math.sqrt(Math.max(1e-12, sq / n - mean * mean)), clips: used };
}
