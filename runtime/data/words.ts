// Caption vocabulary: the distinct words of a set of captions, and how many words of other
// captions fall outside it (out-of-vocabulary rate) — the language a model was trained on versus
// the language it is queried with. Words are lower-case runs of letters, apostrophes and hyphens.

export const captionWords = (caption: string): string[] => caption.toLowerCase().match(/[a-z'-]+/g) ?? [];

/** Word -> count over `captions`. */
export function vocabulary(captions: Iterable<string>): Map<string, number> {
  const freq = new Map<string, number>();
  for (const c of captions) for (const w of captionWords(c)) freq.set(w, (freq.get(w) ?? 0) + 1);
  return freq;
}

export interface Oov {
  /** Word occurrences in the captions checked, and those not in the vocabulary. */
  words: number;
  oov: number;
  rate: number;
  /** Distinct out-of-vocabulary words, the most frequent first (at most 10). */
  examples: string[];
}

export function outOfVocabulary(captions: Iterable<string>, known: Map<string, number>): Oov {
  const missing = new Map<string, number>();
  let words = 0,
    oov = 0;
  for (const c of captions)
    for (const w of captionWords(c)) {
      words++;
      if (known.has(w)) continue;
      oov++;
      missing.set(w, (missing.get(w) ?? 0) + 1);
    }
  const examples = [...missing]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, 10)
    .map(([w]) => w);
  return { words, oov, rate: words ? oov / words : 0, examples };
}
