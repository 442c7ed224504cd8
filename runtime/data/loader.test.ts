import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOG_FLOOR } from './fbank.ts';
import { type Features, type FrontEnd, evalStarts } from './frontend.ts';
import { Loader, type LoaderOptions, estimateNorm, permutation } from './loader.ts';
import { type Dataset, openDataset, sourceName } from './manifest.ts';
import { FeaturizePool } from './pool.ts';
import { type CorpusExpectation, writeTestCorpus } from './test-corpus.ts';
import { bertBaseUncased } from './tokenizer.ts';

const fe: FrontEnd = { sampleRate: 16000, melBins: 32, winMs: 25, hopMs: 10, window: 'hann', frames: 64, longAudio: 'crop' };
let dir: string, want: CorpusExpectation, ds: Dataset, pool: FeaturizePool;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flapc-loader-'));
  want = await writeTestCorpus(join(dir, 'corpus'));
  ds = openDataset(['clotho', 'audiocaps', 'jsonl', 'wds', 'folder'].map((d) => join(dir, 'corpus', d)));
  pool = new FeaturizePool(2);
});
afterAll(async () => {
  await pool.close();
  rmSync(dir, { recursive: true, force: true });
});

const options = (o: Partial<LoaderOptions> = {}): LoaderOptions => ({
  fe,
  tokenizer: bertBaseUncased(),
  maxTokens: 12,
  batch: 4,
  seed: 7,
  pool,
  cacheDir: join(dir, 'cache'),
  norm: { mean: -5, std: 4 },
  ...o,
});

async function take<T>(g: AsyncGenerator<T>, n: number): Promise<T[]> {
  const out: T[] = [];
  for await (const x of g) {
    out.push(x);
    if (out.length === n) break;
  }
  return out;
}

describe('loader over the bad-file corpus', () => {
  it('loads every good file and names every bad one with its reason', async () => {
    const loader = new Loader(ds.clips, options({ cacheDir: null }));
    const seen = new Set<number>();
    for await (const b of loader.train(1)) for (const c of b.clips) seen.add(c);
    // One epoch without a partial last batch: the rest are still loaded, just not yet batched.
    const loadedNames = ds.clips.filter((_, i) => !loader.bad.some((b) => b.item === sourceName(ds.clips[i]!.source))).map((c) => sourceName(c.source));
    const stripExt = (s: string): string => s.replace(/\.(wav|flac|ogg|mp3)$/, '');
    for (const g of want.good)
      expect(
        loadedNames.map((n) => (n.includes('.tar:') ? stripExt(n) : n)),
        g,
      ).toContain(g);
    const report = [...ds.bad, ...loader.bad];
    for (const [item, reason] of Object.entries(want.bad)) {
      const hit = report.find((b) => b.item === item || stripExt(b.item) === item);
      expect(hit, `bad item ${item} must be reported`).toBeDefined();
      expect(hit!.reason, item).toMatch(reason);
    }
    expect(loadedNames.length).toBe(want.good.length);
    expect(report.length).toBe(Object.keys(want.bad).length);
    expect(seen.size).toBeGreaterThanOrEqual(want.good.length - 3);
  });

  it('batches have the model shapes: normalised log-mel padded with silence, [CLS] ... [SEP] tokens', async () => {
    const loader = new Loader(ds.clips, options());
    const [b] = await take(loader.train(), 1);
    expect(b!.mel.length).toBe(4 * 64 * 32);
    expect(b!.tokens.length).toBe(4 * 12);
    for (let r = 0; r < 4; r++) expect(b!.tokens[r * 12]).toBe(101);
    const pad = (LOG_FLOOR + 5) / 8;
    // The 0.7 s clip 'two.wav' has 68 frames >= 64: no padding; a 0.5 s clip (48 frames) is padded.
    expect(b!.mel.every((v) => Number.isFinite(v))).toBe(true);
    const row = b!.clips.findIndex((c) => ds.clips[c]!.id === 'two.wav');
    if (row >= 0) expect(b!.mel[row * 64 * 32 + 63 * 32]).not.toBe(Math.fround(pad));
  });

  it('is deterministic for a seed and differs across seeds', async () => {
    const a = await take(new Loader(ds.clips, options()).train(), 4);
    const b = await take(new Loader(ds.clips, options()).train(), 4);
    const c = await take(new Loader(ds.clips, options({ seed: 8 })).train(), 4);
    expect(a.map((x) => x.clips)).toEqual(b.map((x) => x.clips));
    expect(a.map((x) => x.captions)).toEqual(b.map((x) => x.captions));
    expect(a.every((x, i) => x.mel.every((v, j) => v === b[i]!.mel[j]))).toBe(true);
    expect(a.map((x) => x.clips)).not.toEqual(c.map((x) => x.clips));
  });

  it('streams across epochs without dropping clips and skips failed clips after their first failure', async () => {
    const loader = new Loader(ds.clips, options());
    const batches = await take(loader.train(), 12);
    const live = ds.clips.length - loader.bad.length;
    const flat = batches.flatMap((b) => b.clips);
    // The first `live` rows are exactly epoch 0's permutation of the loadable clips.
    const failed = new Set(loader.bad.map((b) => b.item));
    const epoch0 = permutation(ds.clips.length, 7, 0).filter((i) => !failed.has(sourceName(ds.clips[i]!.source)));
    expect(flat.slice(0, live)).toEqual(epoch0);
    expect(new Set(flat.slice(live, 2 * live)).size).toBe(live);
    expect(batches.some((b) => b.epoch === 1)).toBe(true);
  });

  it('later epochs take clips from memory, not the workers, and yield the same batches', async () => {
    const counting = (): { pool: FeaturizePool; calls: () => number } => {
      let n = 0;
      const p = {
        run: (job: Parameters<FeaturizePool['run']>[0]) => {
          n++;
          return pool.run(job);
        },
        get isClosed() {
          return pool.isClosed;
        },
      };
      return { pool: p as unknown as FeaturizePool, calls: () => n };
    };
    const epochs = 3;
    const kept = counting();
    const none = counting();
    const a = await take(new Loader(ds.clips, options({ pool: kept.pool })).train(epochs), 1000);
    const b = await take(new Loader(ds.clips, options({ pool: none.pool, memoryBytes: 0 })).train(epochs), 1000);
    expect(a.length).toBeGreaterThan(ds.clips.length / 2);
    expect(a.map((x) => x.clips)).toEqual(b.map((x) => x.clips));
    expect(a.every((x, i) => x.mel.every((v, j) => v === b[i]!.mel[j]) && x.tokens.every((v, j) => v === b[i]!.tokens[j]))).toBe(true);
    // Each clip goes to a worker once (a bad one fails once and is skipped after); without memory, every epoch.
    expect(kept.calls()).toBe(ds.clips.length);
    expect(none.calls()).toBeGreaterThan(2 * ds.clips.length);
    // A budget of a few clips' features keeps those: the others go to the workers every epoch.
    const few = counting();
    await take(new Loader(ds.clips, options({ pool: few.pool, memoryBytes: 40_000 })).train(epochs), 1000);
    expect(few.calls()).toBeGreaterThan(kept.calls());
    expect(few.calls()).toBeLessThan(none.calls());
  });

  it('the second pass reads every clip from the feature cache, with identical features', async () => {
    const cacheDir = join(dir, 'cache2');
    const first = new Loader(ds.clips, options({ cacheDir }));
    const a = await take(first.evalAudio(), 100);
    // The corpus holds one file twice (three.flac and shard k1.flac): content keys may share it.
    expect(first.stats.cached).toBeLessThanOrEqual(1);
    const second = new Loader(ds.clips, options({ cacheDir }));
    const b = await take(second.evalAudio(), 100);
    expect(second.stats.cached).toBe(second.stats.loaded);
    expect(second.stats.loaded).toBe(want.good.length);
    expect(a.map((x) => Array.from(x.mel))).toEqual(b.map((x) => Array.from(x.mel)));
    expect(readdirSync(cacheDir).length).toBe(1); // one front-end key
  });

  it('evaluation: crop takes one row per clip, chunks covers long clips with several rows', async () => {
    const long = ds.clips.filter((c) => c.id === 'bell' || c.id === 'rain'); // 0.5 s and 1.5 s (148 frames)
    const crop = await take(new Loader(long, options()).evalAudio(), 10);
    expect(crop.flatMap((b) => b.clips.slice(0, b.valid))).toEqual([0, 1]);
    const chunks = await take(new Loader(long, options({ fe: { ...fe, longAudio: 'chunks' } })).evalAudio(), 10);
    expect(chunks.flatMap((b) => b.clips.slice(0, b.valid))).toEqual([0, 1, 1, 1]);
  });

  it('chunks are full windows spread evenly over the clip, never padded past its end', () => {
    const f = (frames: number): Features => ({ mel: new Float32Array(0), frames, seconds: frames / 100, silent: false });
    const chunks: FrontEnd = { ...fe, frames: 512, longAudio: 'chunks' };
    expect(evalStarts(f(600), chunks)).toEqual([0, 88]);
    expect(evalStarts(f(1024), chunks)).toEqual([0, 512]);
    expect(evalStarts(f(1100), chunks)).toEqual([0, 294, 588]);
    expect(evalStarts(f(512), chunks)).toEqual([0]);
    expect(evalStarts(f(300), chunks)).toEqual([0]);
    expect(evalStarts(f(1100), { ...chunks, longAudio: 'crop' })).toEqual([0]);
  });

  it('estimates the dataset mean and std from a seeded sample', async () => {
    const n = await estimateNorm(ds.clips, pool, fe, null, 1);
    expect(n.clips).toBe(want.good.length);
    expect(n.mean).toBeLessThan(0);
    expect(n.std).toBeGreaterThan(0.5);
  });
});

describe('augmented captions', () => {
  it('are used with the spec probability, deterministically per (seed, epoch, position)', async () => {
    const clips = ds.clips
      .filter((c) => c.source.kind === 'file' && c.id !== 'tiny.wav')
      .slice(0, 4)
      .map((c) => ({ ...c, augmented: c.captions.map((x) => `augmented ${x}`) }));
    const rows = async (p: number): Promise<boolean[]> => (await take(new Loader(clips, options({ augmentedProb: p })).train(), 6)).flatMap((b) => b.augmented);
    expect((await rows(0)).some(Boolean)).toBe(false);
    expect((await rows(1)).every(Boolean)).toBe(true);
    const half = await rows(0.5);
    expect(half).toEqual(await rows(0.5));
    const frac = half.filter(Boolean).length / half.length;
    expect(frac).toBeGreaterThan(0.2);
    expect(frac).toBeLessThan(0.8);
    const [b] = await take(new Loader(clips, options({ augmentedProb: 1 })).train(), 1);
    expect(bertBaseUncased().decode(b!.tokens.subarray(0, 12)).startsWith('augmented')).toBe(true);
  });
});

describe('audio augmentation in the loader', () => {
  it('mixes clips with their captions joined, deterministically for a seed', async () => {
    const clips = ds.clips.filter((c) => c.source.kind === 'file' && c.id !== 'tiny.wav').slice(0, 4);
    const augment = { gainDb: 3, shift: 0.2, timeMasks: 1, timeWidth: 4, freqMasks: 1, freqWidth: 4, mixProb: 1 };
    const [a] = await take(new Loader(clips, options({ augment, maxTokens: 48 })).train(), 1);
    const [b] = await take(new Loader(clips, options({ augment, maxTokens: 48 })).train(), 1);
    const [plain] = await take(new Loader(clips, options({ maxTokens: 48 })).train(), 1);
    expect(a!.mel).toEqual(b!.mel);
    expect(a!.tokens).toEqual(b!.tokens);
    expect(a!.clips).toEqual(plain!.clips); // augmentation does not change the order
    expect(a!.mel).not.toEqual(plain!.mel);
    const text = bertBaseUncased().decode(a!.tokens.subarray(0, 48));
    expect(text).toContain(' while ');
  });
});
