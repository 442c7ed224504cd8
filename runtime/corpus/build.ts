// `flapc data build`: fetch the source packages, render every recording's base, plan the corpus
// (seeded; uses the bases' measured lengths), render the clips in parallel, and write Clotho-format
// CSVs per split, tags.jsonl and stats.json. Clips already rendered for the same recipe are kept, so
// an interrupted build resumes; the CSVs depend only on the plan, so a seed gives identical files.
import { type Oov, outOfVocabulary, vocabulary } from '../data/words.ts';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkTools, fetchPackage } from './debian.ts';
import { OPENSFX_PKG, splitOpensfx } from './opensfx.ts';
import { type ClipPlan, type Recording, type Size, type Split, packagesFor, planCorpus } from './plan.ts';
import { RATE, type RenderContext, renderBase, renderClip, seconds } from './render.ts';

export interface BuildOptions {
  out: string;
  size: Size;
  seed: number;
  jobs: number;
  cacheDir: string;
  log: (s: string) => void;
}
export interface BuildResult {
  clips: ClipPlan[];
  recordings: Recording[];
  rendered: number;
  reused: number;
  stats: CorpusStats;
}

const SPLITS: Split[] = ['train', 'val', 'test'];

/** Writes via a temporary sibling so readers never see half a file. */
function writeAtomic(path: string, text: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

const csvField = (s: string): string => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

export function clothoCsv(clips: ClipPlan[]): string {
  const rows = ['file_name,caption_1,caption_2,caption_3,caption_4,caption_5'];
  for (const c of clips) rows.push([c.name, ...c.captions].map(csvField).join(','));
  return `${rows.join('\n')}\n`;
}

export interface CorpusStats {
  size: Size;
  seed: number;
  clips: number;
  perSplit: Record<string, number>;
  perCategory: Record<string, number>;
  seconds: { total: number; min: number; mean: number; max: number };
  captionWords: { min: number; mean: number; max: number };
  vocabulary: number;
  /** Distinct words of the training split's captions, and the test captions' words outside them. */
  trainVocabulary: number;
  testOov: Oov;
  topWords: [string, number][];
  recordings: number;
  recordingsPerSplit: Record<string, number>;
}

export function corpusStats(size: Size, seed: number, clips: ClipPlan[], recs: Recording[]): CorpusStats {
  const count = (xs: string[]): Record<string, number> => {
    const m: Record<string, number> = {};
    for (const x of [...xs].sort()) m[x] = (m[x] ?? 0) + 1;
    return m;
  };
  const secs = clips.map((c) => c.seconds);
  const words = clips.flatMap((c) => c.captions.map((s) => s.toLowerCase().match(/[a-z'-]+/g) ?? []));
  const freq = new Map<string, number>();
  for (const w of words.flat()) freq.set(w, (freq.get(w) ?? 0) + 1);
  const lens = words.map((w) => w.length);
  const trainWords = vocabulary(clips.filter((c) => c.split === 'train').flatMap((c) => c.captions));
  return {
    size,
    seed,
    clips: clips.length,
    perSplit: count(clips.map((c) => c.split)),
    perCategory: count(clips.map((c) => c.category)),
    seconds: {
      total: Math.round(secs.reduce((a, b) => a + b, 0) * 10) / 10,
      min: Math.min(...secs),
      mean: Math.round((secs.reduce((a, b) => a + b, 0) / secs.length) * 100) / 100,
      max: Math.max(...secs),
    },
    captionWords: { min: Math.min(...lens), mean: Math.round((lens.reduce((a, b) => a + b, 0) / lens.length) * 100) / 100, max: Math.max(...lens) },
    vocabulary: freq.size,
    trainVocabulary: trainWords.size,
    testOov: outOfVocabulary(
      clips.filter((c) => c.split === 'test').flatMap((c) => c.captions),
      trainWords,
    ),
    topWords: [...freq].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 25),
    recordings: recs.length,
    recordingsPerSplit: count(recs.map((r) => r.split!)),
  };
}

/** Runs `f` over items with at most `jobs` in flight. */
async function parallel<T>(items: T[], jobs: number, f: (x: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      await f(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, jobs) }, worker));
}

export async function buildCorpus(o: BuildOptions): Promise<BuildResult> {
  await checkTools();
  const t0 = performance.now();
  const pkgs = new Map<string, string>();
  for (const p of packagesFor(o.size)) pkgs.set(p, await fetchPackage(p, o.cacheDir, o.log, p === OPENSFX_PKG ? splitOpensfx : undefined));
  // Plan from the recordings' measured lengths (one-shots are counted in the captions).
  const recs0 = planCorpus(o.size, o.seed, () => 1).recordings;
  const ctx: RenderContext = { pkgs, recordings: new Map(recs0.map((r) => [r.id, r])), baseDir: join(o.cacheDir, 'bases') };
  const oneShots = recs0.filter((r) => r.render.kind === 'file' && r.render.repeat);
  const lengths = new Map<string, number>();
  o.log(`rendering ${recs0.length} source recordings`);
  await parallel(recs0, o.jobs, async (r) => {
    const b = await renderBase(r, ctx);
    if (oneShots.includes(r)) lengths.set(r.id, await seconds(b));
  });
  const { recordings, clips } = planCorpus(o.size, o.seed, (id) => {
    const d = lengths.get(id);
    if (d === undefined) throw new Error(`no measured length for ${id}`);
    return d;
  });
  ctx.recordings = new Map(recordings.map((r) => [r.id, r]));
  // Render the clips; a clip whose recipe was rendered before (same hash) is kept.
  for (const s of SPLITS) mkdirSync(join(o.out, s), { recursive: true });
  const state = join(o.out, '.build');
  mkdirSync(state, { recursive: true });
  // Leftovers of an interrupted run: half-written clips and work folders are never reused.
  for (const f of readdirSync(state)) if (f.startsWith('work-')) rmSync(join(state, f), { recursive: true, force: true });
  for (const s of SPLITS) for (const f of readdirSync(join(o.out, s))) if (f.includes('.tmp-')) rmSync(join(o.out, s, f), { force: true });
  let rendered = 0,
    reused = 0,
    done = 0,
    last = 0;
  o.log(`rendering ${clips.length} clips with ${o.jobs} jobs`);
  await parallel(clips, o.jobs, async (c) => {
    const key = renderKey(c, ctx);
    const out = join(o.out, c.split, c.name),
      mark = join(state, `${c.name}.done`);
    if (existsSync(out) && existsSync(mark) && readFileSync(mark, 'utf8') === key) reused++;
    else {
      rmSync(mark, { force: true });
      await renderClip(c, ctx, out, join(state, `work-${c.name}`));
      writeFileSync(mark, key);
      rendered++;
    }
    done++;
    const now = performance.now();
    if (now - last > 2000 || done === clips.length) {
      last = now;
      o.log(`clips ${done}/${clips.length} (${rendered} rendered, ${reused} kept) ${((now - t0) / 1000).toFixed(0)} s`);
    }
  });
  for (const s of SPLITS) writeAtomic(join(o.out, `clotho_captions_${s}.csv`), clothoCsv(clips.filter((c) => c.split === s)));
  writeAtomic(
    join(o.out, 'tags.jsonl'),
    `${clips.map((c) => JSON.stringify({ file_name: c.name, split: c.split, tags: c.tags, category: c.category, sources: c.sources })).join('\n')}\n`,
  );
  const stats = corpusStats(o.size, o.seed, clips, recordings);
  writeAtomic(join(o.out, 'stats.json'), `${JSON.stringify(stats, null, 2)}\n`);
  return { clips, recordings, rendered, reused, stats };
}

/**
 * What a clip's audio depends on: its name, recipe, length and repeat counts and its sources'
 * render specs, not its captions or tags, so rewording descriptions re-renders nothing.
 */
export function renderKey(c: ClipPlan, ctx: RenderContext): string {
  const sources = c.sources.map((id) => ctx.recordings.get(id)?.render);
  return createHash('sha256')
    .update(JSON.stringify([c.name, c.split, c.seconds, c.recipe, c.times, sources, RATE]))
    .digest('hex')
    .slice(0, 16);
}
