import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManifestError, openDataset, sourceName } from './manifest.ts';
import { indexTar } from './tar-index.ts';
import { writeTestCorpus } from './test-corpus.ts';

let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flapc-manifest-'));
  await writeTestCorpus(dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const located = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    if (e instanceof ManifestError) return e.message;
    throw e;
  }
  throw new Error('expected a ManifestError');
};

describe('dataset readers', () => {
  it('Clotho CSV: five captions per clip, files in the split folder, metadata CSV skipped', () => {
    const ds = openDataset([join(dir, 'clotho')]);
    expect(ds.manifests.map((m) => m.format)).toEqual(['clotho']);
    expect(ds.skipped.map((s) => s.path)).toEqual([join(dir, 'clotho', 'clotho_metadata_development.csv')]);
    const beep = ds.clips.find((c) => c.id === 'beep one.wav')!;
    expect(beep.captions).toEqual([1, 2, 3, 4, 5].map((i) => `A steady beep, high pitched, take ${i}`));
    expect(beep.origin).toBe(`${join(dir, 'clotho', 'clotho_captions_development.csv')}:2`);
    // Files that exist are clips (decoding decides later); missing and caption-less rows are bad now.
    expect(ds.clips.length).toBe(9);
    expect(ds.bad.map((b) => [b.item, b.reason])).toEqual([
      [join(dir, 'clotho', 'missing.wav'), 'missing file'],
      [join(dir, 'clotho', 'nocaption.wav'), 'no caption'],
    ]);
  });

  it('Clotho CSV: event tags from a tags.jsonl beside it (as flapc data build writes)', () => {
    const sub = join(dir, 'tagged');
    mkdirSync(sub);
    copyFileSync(join(dir, 'folder', 'bell.wav'), join(sub, 'a.wav'));
    copyFileSync(join(dir, 'folder', 'rain.wav'), join(sub, 'b.wav'));
    writeFileSync(join(sub, 'clotho_captions_x.csv'), 'file_name,caption_1\na.wav,a bell\nb.wav,rain\n');
    writeFileSync(join(sub, 'tags.jsonl'), '{"file_name":"a.wav","tags":["bell","metal"]}\nnot json\n');
    const ds = openDataset([join(sub, 'clotho_captions_x.csv')]);
    expect(ds.clips.map((c) => [c.id, c.tags])).toEqual([
      ['a.wav', ['bell', 'metal']],
      ['b.wav', []],
    ]);
  });

  it('AudioCaps CSV: rows grouped by clip, several naming schemes found', () => {
    const ds = openDataset([join(dir, 'audiocaps', 'test.csv')]);
    expect(ds.manifests[0]!.format).toBe('audiocaps');
    expect(ds.clips.map((c) => [sourceName(c.source), c.captions])).toEqual([
      [join(dir, 'audiocaps', 'audio', 'abc123_30.wav'), ['A machine hums steadily', 'A steady, low hum', 'An engine idles']],
      [join(dir, 'audiocaps', 'audio', 'Yxyz789_0.wav'), ['A whistle blows']],
    ]);
    expect(ds.bad).toEqual([{ item: join(dir, 'audiocaps', 'gone999_10.wav'), reason: 'missing file', origin: `${join(dir, 'audiocaps', 'test.csv')}:5` }]);
  });

  it('JSONL: relative paths, caption or captions, tags as list or string', () => {
    const ds = openDataset([join(dir, 'jsonl', 'train.jsonl')]);
    expect(ds.clips.map((c) => [c.captions, c.tags])).toEqual([
      [['a pure tone', 'a whistle-like tone'], ['tone']],
      [['a high tone'], ['tone', 'beep']],
    ]);
    expect(ds.bad).toEqual([{ item: join(dir, 'jsonl', 'clips', 'nope.wav'), reason: 'missing file', origin: `${join(dir, 'jsonl', 'train.jsonl')}:4` }]);
  });

  it('WebDataset shards: grouped by key, json and txt captions, every problem reported', () => {
    const ds = openDataset([join(dir, 'wds')]);
    const s0 = join(dir, 'wds', 'shard-000000.tar'),
      s1 = join(dir, 'wds', 'shard-000001.tar');
    expect(ds.clips.map((c) => [sourceName(c.source), c.captions])).toEqual([
      [`${s0}:k1.flac`, ['two tones']],
      [`${s0}:sub/k2.wav`, ['a low hum', 'an electrical hum']],
      [`${s0}:k5.flac`, ['truncated flac']],
      [`${s1}:m1.wav`, ['a tone']],
    ]);
    expect(ds.bad.map((b) => b.item)).toEqual([`${s0}:k3`, `${s0}:k4`, s1]);
    expect(ds.bad[2]!.reason).toMatch(/^truncated tar: member needs 64044 bytes, 1000 remain at byte 17920; 2 members before it were read$/);
  });

  it('plain folders with .txt / .json sidecars', () => {
    const ds = openDataset([join(dir, 'folder')]);
    expect(ds.clips.map((c) => [c.id, c.captions, c.tags])).toEqual([
      ['bell', ['a bell rings'], ['bell']],
      ['rain', ['rain on a roof', 'steady rainfall'], []],
    ]);
    expect(ds.bad.map((b) => b.reason)).toEqual(['no caption']);
  });

  it('malformed manifests are located errors (file:line)', () => {
    const m = (name: string, text: string): string => {
      const p = join(dir, name);
      writeFileSync(p, text);
      return p;
    };
    const j = m('bad.jsonl', '{"audio": "x.wav", "caption": "ok"}\n{"audio": "y.wav", caption: oops}\n');
    expect(located(() => openDataset([j]))).toMatch(new RegExp(`^${j}:2: malformed JSON`));
    const j2 = m('bad2.jsonl', '{"caption": "no path"}\n');
    expect(located(() => openDataset([j2]))).toBe(`${j2}:1: no audio path (one of: audio, path, file, file_name, audio_path, wav)`);
    const c = m('bad.csv', 'file_name,caption_1\na.wav,"unterminated\n');
    expect(located(() => openDataset([c]))).toMatch(new RegExp(`^${c}:\\d+: malformed CSV`));
    const c2 = m('cols.csv', 'file_name,caption_1\na.wav,x,extra\n');
    expect(located(() => openDataset([c2]))).toMatch(new RegExp(`^${c2}:2: malformed CSV`));
    const c3 = m('other.csv', 'a,b\n1,2\n');
    expect(located(() => openDataset([c3]))).toMatch(new RegExp(`^${c3}:1: not a caption manifest`));
    expect(located(() => openDataset([join(dir, 'nowhere.csv')]))).toMatch(/no such file or folder/);
  });
});

describe('tar index', () => {
  it('finds members written by GNU tar, including long names', async () => {
    const { execFileSync } = await import('node:child_process');
    const src = join(dir, 'gnu');
    const long = `${'x'.repeat(120)}.wav`;
    execFileSync('mkdir', ['-p', join(src, 'd')]);
    writeFileSync(join(src, 'd', long), 'abc');
    writeFileSync(join(src, 'd', 'b.txt'), 'hello world');
    for (const fmt of ['gnu', 'posix']) {
      const t = join(dir, `gnu-${fmt}.tar`);
      execFileSync('tar', ['-cf', t, `--format=${fmt}`, '-C', src, 'd']);
      const idx = indexTar(t);
      expect(idx.error).toBeUndefined();
      expect(idx.members.map((m) => [m.name, m.size]).sort()).toEqual([
        ['d/b.txt', 11],
        [`d/${long}`, 3],
      ]);
    }
  });
});
