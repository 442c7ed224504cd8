import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkData, DEFAULT_SPEC } from './check.ts';
import { toneWav } from './test-corpus.ts';
import { captionWords, outOfVocabulary, vocabulary } from './words.ts';

describe('caption vocabulary', () => {
  it('counts distinct lower-case words and the share of other captions outside them', () => {
    expect(captionWords("A dog's bark, then rain-fall.")).toEqual(['a', "dog's", 'bark', 'then', 'rain-fall']);
    const known = vocabulary(['A dog barks.', 'Rain falls on a roof.']);
    expect(known.size).toBe(7);
    expect(known.get('a')).toBe(2);
    const o = outOfVocabulary(['A cat meows on a roof', 'A cat purrs'], known);
    expect(o).toEqual({ words: 9, oov: 4, rate: 4 / 9, examples: ['cat', 'meows', 'purrs'] });
    expect(outOfVocabulary([], known).rate).toBe(0);
  });

  it('data check reports the vocabulary and, against a training manifest, the out-of-vocabulary rate', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flapc-words-'));
    try {
      for (const f of ['a.wav', 'b.wav']) writeFileSync(join(dir, f), toneWav(440, 0.5));
      writeFileSync(join(dir, 'train.jsonl'), `${JSON.stringify({ audio: 'a.wav', caption: 'A dog barks loudly' })}\n`);
      writeFileSync(join(dir, 'test.jsonl'), `${JSON.stringify({ audio: 'b.wav', caption: 'A dog howls' })}\n`);
      const r = await checkData([join(dir, 'test.jsonl')], { spec: DEFAULT_SPEC, workers: 1, cacheDir: null, oovAgainst: [join(dir, 'train.jsonl')] });
      expect(r.words.distinct).toBe(3);
      expect(r.words.oov).toMatchObject({ words: 3, oov: 1, examples: ['howls'], against: [join(dir, 'train.jsonl')] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
