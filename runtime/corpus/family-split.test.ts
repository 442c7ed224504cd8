import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toneWav } from '../data/test-corpus.ts';
import { familyOf, holdOutFamilies, writeFamilySplit } from './family-split.ts';

describe('source-family split', () => {
  it('names families by package or render family', () => {
    expect(familyOf('tuxpaint/cat')).toBe('tuxpaint');
    expect(familyOf('gm/harmonica/3')).toBe('gm/harmonica');
    expect(familyOf('gm/drums/bongos/1')).toBe('gm/drums/bongos');
    expect(familyOf('speech/en-us/0')).toBe('speech/en-us');
  });

  it('holds out families up to the share, keeps oversized ones in training, and is seeded', () => {
    const clips = [
      ...Array.from({ length: 50 }, (_, i) => ({ sources: [`bigpkg/s${i}`] })),
      ...['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'].flatMap((f) => Array.from({ length: 5 }, (_, k) => ({ sources: [`gm/${f}/${k}`] }))),
    ];
    const held = holdOutFamilies(clips, 0.1, 0);
    expect(held.has('bigpkg')).toBe(false);
    const heldClips = clips.filter((c) => c.sources.every((s) => held.has(familyOf(s)))).length;
    expect(heldClips).toBeGreaterThanOrEqual(10);
    expect(heldClips).toBeLessThan(20);
    expect(holdOutFamilies(clips, 0.1, 0)).toEqual(held);
    expect([...holdOutFamilies(clips, 0.1, 1)]).not.toEqual([...held]);
  });

  it('writes train/val/test manifests: test all held out, train and val none, mixed clips dropped', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flapc-family-'));
    try {
      const rows: { file_name: string; split: string; sources: string[] }[] = [];
      const csv: Record<string, string[]> = { train: [], val: [], test: [] };
      const families = ['gm/a', 'gm/b', 'gm/c', 'gm/d', 'gm/e', 'gm/f', 'gm/g', 'gm/h'];
      let n = 0;
      for (const split of ['train', 'val', 'test']) mkdirSync(join(dir, split));
      for (const [i, f] of families.entries())
        for (let k = 0; k < 4; k++) {
          const split = k === 3 ? 'test' : k === 2 ? 'val' : 'train';
          const name = `c${++n}.wav`;
          writeFileSync(join(dir, split, name), toneWav(300 + 50 * i, 0.3));
          // One clip per family mixes it with the next family.
          rows.push({ file_name: name, split, sources: k === 1 ? [`${f}/${k}`, `${families[(i + 1) % 8]}/0`] : [`${f}/${k}`] });
          csv[split]!.push(`${name},sound of ${f} number ${k}`);
        }
      writeFileSync(join(dir, 'tags.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n'));
      for (const s of ['train', 'val', 'test']) writeFileSync(join(dir, `clotho_captions_${s}.csv`), `file_name,caption_1\n${csv[s]!.join('\n')}\n`);
      const r = writeFamilySplit(dir, 0.2, 0);
      expect(r.families.length).toBeGreaterThan(0);
      const read = (s: string): { audio: string; captions: string[] }[] =>
        readFileSync(join(dir, `family_${s}.jsonl`), 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l));
      const fam = (c: { captions: string[] }): string => c.captions[0]!.split(' ')[2]!;
      const test = read('test'),
        train = read('train'),
        val = read('val');
      expect(test.length).toBe(r.test);
      expect(test.every((c) => r.families.includes(fam(c)))).toBe(true);
      expect([...train, ...val].some((c) => r.families.includes(fam(c)))).toBe(false);
      expect(train.every((c) => c.audio.startsWith('train/'))).toBe(true);
      expect(r.train + r.val + r.test + r.dropped).toBeLessThanOrEqual(32);
      expect(r.dropped).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
