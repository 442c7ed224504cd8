// FLAP's caption augmentation: a caption plus the clip's audio-event tags become a richer caption
// that stays faithful. Offline default: deterministic rule-based rewriting (tag clause templates,
// WordNet synonyms for adjectives/adverbs, clause reordering), seeded per caption. With an LLM
// backend the same prompt goes to any OpenAI-compatible chat endpoint (llm-client.ts).
import { rng } from './midi.ts';
import { hashString } from './plan.ts';
import { synonyms } from './thesaurus.ts';
import { bertBaseUncased } from '../data/tokenizer.ts';

export const DEFAULT_PROMPT = `Rewrite this audio caption into one richer, natural sentence that stays faithful to the recording.
Mention every one of these audio-event tags in plain words, and do not add any sound that is neither in the caption nor in the tags.
Caption: {caption}
Tags: {tags}
Reply with the new caption only.`;

export function fillPrompt(template: string, caption: string, tags: string[]): string {
  return template.replaceAll('{caption}', caption).replaceAll('{tags}', tags.map(tagWords).join(', '));
}

/** `dog_bark` -> `dog bark`: tags are written as words in captions. */
export const tagWords = (t: string): string => t.replace(/[_-]+/g, ' ').trim();

const listOf = (xs: string[]): string => (xs.length <= 1 ? xs.join('') : `${xs.slice(0, -1).join(', ')} and ${xs.at(-1)}`);
const stripEnd = (s: string): string => s.trim().replace(/[.!?]+$/, '');
const lowerFirst = (s: string): string => (/^[A-Z](?![A-Z])/.test(s) ? s.charAt(0).toLowerCase() + s.slice(1) : s);
const upperFirst = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

// Substitutions that read wrong in captions even though WordNet lists them.
const KEEP = new Set([
  'tiny',
  'single',
  'muffled',
  'low',
  'high',
  'short',
  // counts are facts of the clip ("three" -> "iii" is WordNet's synonym)
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'twice',
  'several',
  'few',
  'many',
]);

/** Swaps some adjectives/adverbs for WordNet synonyms; tag words are never touched. */
function paraphrase(caption: string, protect: Set<string>, r: () => number): string {
  const vocab = bertBaseUncased().vocab;
  const words = caption.split(' ');
  for (let i = 0; i < words.length; i++) {
    const m = /^([A-Za-z]+)([^A-Za-z]*)$/.exec(words[i]!);
    if (!m) continue;
    const w = m[1]!.toLowerCase();
    // Participles read as adjectives in WordNet ("sounding" -> "looking"): never swapped.
    if (protect.has(w) || KEEP.has(w) || /(ing|ed)$/.test(w)) continue;
    const syn = synonyms(w).filter((s) => s.split(' ').every((x) => vocab.has(x)));
    if (syn.length === 0 || r() < 0.4) continue;
    const s = syn[Math.floor(r() * syn.length)]!;
    words[i] = (m[1]![0] === m[1]![0]!.toUpperCase() ? upperFirst(s) : s) + m[2]!;
    const prev = words[i - 1]?.toLowerCase();
    if (prev === 'a' || prev === 'an') words[i - 1] = (/^[aeiou]/.test(s) ? 'an' : 'a').replace(/^a/, words[i - 1]![0]!);
  }
  return words.join(' ');
}

/** "X while Y" -> "While Y, x"; "X, then Y" -> "First x, then y"; otherwise unchanged. */
function reorder(caption: string): string {
  const c = stripEnd(caption);
  let m = /^(.+?) while (.+)$/.exec(c);
  if (m) return `While ${m[2]}, ${lowerFirst(m[1]!)}`;
  m = /^(.+?), then (.+)$/.exec(c);
  if (m && !/^first /i.test(c)) return `First ${lowerFirst(m[1]!)}, then ${m[2]}`;
  return c;
}

const TEMPLATES: ((c: string, tags: string) => string)[] = [
  (c, t) => `${c}; the sounds heard are ${t}.`,
  (c, t) => `${c}, with ${t} audible.`,
  (c, t) => `Sounds of ${t}: ${lowerFirst(c)}.`,
  (c, t) => `${c}. The clip contains ${t}.`,
  (c, t) => `In a recording with ${t}, ${lowerFirst(c)}.`,
];

/** Deterministic offline rewrite: same (caption, tags, seed) -> same result. */
export function ruleRewrite(caption: string, tags: string[], seed: number): string {
  const r = rng(hashString(`${seed}\u0000${caption}\u0000${tags.join(';')}`));
  const tagList = tags.map(tagWords).filter(Boolean);
  const protect = new Set(tagList.flatMap((t) => t.toLowerCase().split(' ')));
  let c = stripEnd(caption.replace(/\s+/g, ' '));
  if (r() < 0.5) c = reorder(c);
  c = paraphrase(c, protect, r);
  if (tagList.length === 0) return `${upperFirst(c)}.`;
  const order = [...tagList];
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return upperFirst(TEMPLATES[Math.floor(r() * TEMPLATES.length)]!(upperFirst(c), listOf(order)));
}
