import { describe, expect, it } from 'vitest';
import { DEFAULT_PROMPT, fillPrompt, ruleRewrite, tagWords } from './augment.ts';
import { synonyms } from './thesaurus.ts';

const CASES: [string, string[]][] = [
  ['A dog barks three times.', ['dog', 'bark']],
  ['A clarinet plays the same note repeatedly while gunshots ring out in the background.', ['clarinet', 'gunshot', 'music']],
  ['A wolf growls twice, then a large black bird calls harshly a few times.', ['wolf', 'growl', 'crow', 'caw']],
  ['The muffled sound of a turkey gobbling twice.', ['turkey', 'gobble', 'distant']],
  ['A synthesized male voice speaks in German.', ['speech', 'male_voice', 'german']],
  ['Rain falls steadily on a tin roof.', []],
];

describe('offline caption augmentation', () => {
  it('is deterministic for (caption, tags, seed)', () => {
    for (const [c, t] of CASES) expect(ruleRewrite(c, t, 5)).toBe(ruleRewrite(c, t, 5));
    const outs = new Set(Array.from({ length: 12 }, (_, s) => ruleRewrite(CASES[0]![0], CASES[0]![1], s)));
    expect(outs.size).toBeGreaterThan(3); // varied across seeds
  });

  it('keeps every tag (as words), the counts and the sound sources of the caption', () => {
    for (let seed = 0; seed < 30; seed++) {
      for (const [c, tags] of CASES) {
        const out = ruleRewrite(c, tags, seed);
        for (const t of tags) expect(out.toLowerCase(), `${out} / ${t}`).toContain(tagWords(t));
        for (const word of ['dog', 'three', 'clarinet', 'gunshots', 'twice', 'wolf', 'turkey', 'german', 'rain', 'roof']) {
          if (c.toLowerCase().includes(word)) expect(out.toLowerCase(), out).toContain(word);
        }
        expect(out).toMatch(/^[A-Z].*[.]$/);
        expect(out.length).toBeGreaterThan(c.length - 5);
      }
    }
  });

  it('reorders clauses and swaps adjectives/adverbs through WordNet', () => {
    const outs = Array.from({ length: 40 }, (_, s) => ruleRewrite('A bird sings while a large dog barks loudly.', ['bird', 'dog'], s));
    expect(outs.some((o) => o.includes('While a'))).toBe(true);
    expect(outs.some((o) => /\b(big)\b/.test(o))).toBe(true); // large -> big
    expect(outs.some((o) => /\b(aloud|loud)\b/.test(o))).toBe(true); // loudly -> loud / aloud
    expect(synonyms('large')).toContain('big');
    expect(synonyms('sounding')).not.toContain('dog');
    expect(synonyms('zzzz')).toEqual([]);
  });

  it('fills the LLM prompt with the caption and the tags as words', () => {
    const p = fillPrompt(DEFAULT_PROMPT, 'A dog barks.', ['dog_bark', 'rain']);
    expect(p).toContain('Caption: A dog barks.');
    expect(p).toContain('Tags: dog bark, rain');
  });
});
