// The tiny corpus built for real (apt download of the soundfont, fluidsynth, espeak-ng, sox):
// every clip decodes, is 5-10 s, audible and unclipped; CSVs are identical across builds; an
// interrupted build resumes; the readers load it without a bad item.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDataset } from '../data/manifest.ts';
import { buildCorpus, renderKey } from './build.ts';
import { planCorpus } from './plan.ts';
import { checkTools } from './debian.ts';
import { checkClip } from './render.ts';

const dir = mkdtempSync(join(tmpdir(), 'flapc-corpus-'));
const cacheDir = join(process.env.FLAPC_CACHE_DIR ?? join(dir, 'cache'), 'corpus');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const build = (out: string, seed = 0): ReturnType<typeof buildCorpus> => buildCorpus({ out, size: 'tiny', seed, jobs: 2, cacheDir, log: () => {} });
const csvs = (out: string): string[] => ['train', 'val', 'test'].map((s) => readFileSync(join(out, `clotho_captions_${s}.csv`), 'utf8'));

describe('flapc data build --size tiny', () => {
  it('renders every planned clip: decodes, 5-10 s, not silent, not clipped; captions non-empty', async () => {
    const out = join(dir, 'a');
    const r = await build(out);
    expect(r.clips.length).toBeGreaterThanOrEqual(30);
    expect(r.rendered).toBe(r.clips.length);
    for (const c of r.clips) {
      const k = await checkClip(join(out, c.split, c.name), c);
      expect(k.seconds).toBeGreaterThanOrEqual(5);
      expect(k.seconds).toBeLessThanOrEqual(10);
      expect(k.rmsDb).toBeGreaterThan(-50);
      expect(k.peak).toBeLessThan(0.999);
      expect(c.captions.every((x) => x.trim().length > 0)).toBe(true);
    }
    const ds = openDataset([out]);
    expect(ds.bad).toEqual([]);
    expect(ds.clips.length).toBe(r.clips.length);
    expect(ds.skipped.map((s) => s.path)).toEqual([join(out, 'tags.jsonl')]);
    const tags = readFileSync(join(out, 'tags.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { file_name: string; tags: string[] });
    expect(tags.length).toBe(r.clips.length);
    expect(tags.every((t) => t.tags.length > 0)).toBe(true);
    const stats = JSON.parse(readFileSync(join(out, 'stats.json'), 'utf8')) as { clips: number };
    expect(stats.clips).toBe(r.clips.length);
  });

  it('is deterministic (identical CSVs) and resumes: a second run keeps every clip, a lost clip is re-rendered', async () => {
    const a = join(dir, 'a'),
      b = join(dir, 'b');
    const rb = await build(b);
    expect(csvs(b)).toEqual(csvs(a));
    const again = await build(a);
    expect([again.rendered, again.reused]).toEqual([0, again.clips.length]);
    const victim = again.clips[3]!;
    rmSync(join(a, victim.split, victim.name));
    // What a killed run leaves behind: a half-written clip and a work folder.
    writeFileSync(join(a, victim.split, `${victim.name}.tmp-999.flac`), 'partial');
    mkdirSync(join(a, '.build', `work-${victim.name}`), { recursive: true });
    const resumed = await build(a);
    expect([resumed.rendered, resumed.reused]).toEqual([1, resumed.clips.length - 1]);
    expect(existsSync(join(a, victim.split, victim.name))).toBe(true);
    expect(readdirSync(join(a, '.build')).filter((f) => f.startsWith('work-'))).toEqual([]);
    expect(readdirSync(join(a, victim.split)).filter((f) => f.includes('.tmp-'))).toEqual([]);
    expect(rb.clips.length).toBe(again.clips.length);
  });

  it('names the packages to install when a tool is missing', async () => {
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      await expect(checkTools()).rejects.toThrow(
        /missing tools for the corpus build; install them with: apt-get install sox libsox-fmt-all fluidsynth espeak-ng apt dpkg/,
      );
    } finally {
      process.env.PATH = path;
    }
  });
});

describe('render key', () => {
  it('covers what the audio depends on, not the captions', () => {
    const { recordings, clips } = planCorpus('small', 0, () => 1);
    const ctx = { pkgs: new Map(), recordings: new Map(recordings.map((r) => [r.id, r])), baseDir: '' };
    const c = clips[0]!;
    const k = renderKey(c, ctx);
    expect(renderKey({ ...c, captions: ['Something else entirely.'], tags: ['x'] }, ctx)).toBe(k);
    expect(renderKey({ ...c, seconds: c.seconds + 0.1 }, ctx)).not.toBe(k);
    expect(renderKey({ ...c, recipe: { ...c.recipe, seed: c.recipe.seed + 1 } }, ctx)).not.toBe(k);
    const src = recordings.find((r) => r.id === c.sources[0])!;
    const changed = new Map(ctx.recordings).set(src.id, { ...src, render: { ...src.render, seed: 12345 } as typeof src.render });
    expect(renderKey(c, { ...ctx, recordings: changed })).not.toBe(k);
  });
});
