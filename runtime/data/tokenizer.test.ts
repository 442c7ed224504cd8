import { describe, expect, it } from 'vitest';
import { CLS_ID, PAD_ID, SEP_ID, UNK_ID, bertBaseUncased } from './tokenizer.ts';

const tok = bertBaseUncased();
const pieces = (s: string): string[] => tok.tokenize(s).map((i) => tok.tokens[i]!);

// Expected ids are those of the reference tokenizer (HuggingFace BertTokenizer, bert-base-uncased),
// as published in its documentation and widely reproduced.
describe('bert-base-uncased WordPiece', () => {
  it('has the reference vocabulary and special ids', () => {
    expect(tok.size).toBe(30522);
    expect([tok.vocab.get('[PAD]'), tok.vocab.get('[UNK]'), tok.vocab.get('[CLS]'), tok.vocab.get('[SEP]'), tok.vocab.get('[MASK]')]).toEqual([
      0, 100, 101, 102, 103,
    ]);
    expect([tok.vocab.get('dog'), tok.vocab.get('the'), tok.vocab.get('.'), tok.vocab.get('##ing'), tok.vocab.get('##s')]).toEqual([
      3899, 1996, 1012, 2075, 2015,
    ]);
  });

  it('encodes reference sentences to the reference ids', () => {
    expect(Array.from(tok.encode('Hello, my dog is cute', 8))).toEqual([101, 7592, 1010, 2026, 3899, 2003, 10140, 102]);
    expect(tok.tokenize('the quick brown fox jumps over the lazy dog')).toEqual([1996, 4248, 2829, 4419, 14523, 2058, 1996, 13971, 3899]);
    expect(pieces('I have a new GPU!')).toEqual(['i', 'have', 'a', 'new', 'gp', '##u', '!']);
    expect(pieces('unaffable')).toEqual(['una', '##ffa', '##ble']);
  });

  it('splits punctuation, including ASCII symbols that Unicode does not call punctuation', () => {
    expect(pieces("A dog barks; a car's horn honks!")).toEqual(['a', 'dog', 'bark', '##s', ';', 'a', 'car', "'", 's', 'horn', 'hon', '##ks', '!']);
    expect(pieces('$5 ^_^ (x)')).toEqual(['$', '5', '^', '_', '^', '(', 'x', ')']);
    expect(pieces('well...yes—no')).toEqual(['well', '.', '.', '.', 'yes', '—', 'no']);
  });

  it('lower-cases and strips accents', () => {
    expect(tok.tokenize('Café NAÏVE résumé')).toEqual([7668, 15743, 13746]);
    expect(tok.tokenize('cafe naive resume')).toEqual([7668, 15743, 13746]);
  });

  it('cleans control characters and odd whitespace', () => {
    expect(pieces('dog\u0000\u200b barks\t\nloudly\u00a0now')).toEqual(['dog', 'bark', '##s', 'loudly', 'now']);
    expect(pieces('   ')).toEqual([]);
  });

  it('maps words it cannot piece together, and over-long words, to [UNK]', () => {
    expect(tok.tokenize('dog \u{1F415} dog')).toEqual([3899, UNK_ID, 3899]);
    expect(tok.tokenize('a'.repeat(101))).toEqual([UNK_ID]);
    expect(tok.tokenize('a'.repeat(100)).length).toBeGreaterThan(1);
  });

  it('truncates long captions to max_tokens, keeping [CLS] and [SEP], and pads with 0', () => {
    const long = 'a dog barks '.repeat(40);
    const ids = tok.encode(long, 16);
    expect(ids.length).toBe(16);
    expect(ids[0]).toBe(CLS_ID);
    expect(ids[15]).toBe(SEP_ID);
    expect(Array.from(ids.subarray(1, 5))).toEqual([1037, 3899, 11286, 2015]);
    const short = tok.encode('rain', 6);
    expect(Array.from(short)).toEqual([CLS_ID, tok.vocab.get('rain'), SEP_ID, PAD_ID, PAD_ID, PAD_ID]);
    expect(Array.from(tok.encode('', 3))).toEqual([CLS_ID, SEP_ID, PAD_ID]);
    expect(tok.decode(tok.encode('Birds chirping, wind!', 12))).toBe('birds chirping , wind !');
  });
});
