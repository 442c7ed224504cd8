// The corpus plan: which recordings exist at a size, which split each belongs to, and every clip
// (its recipe, duration, captions, tags). Pure and seeded: the same (size, seed) gives the same plan,
// so the CSVs are identical byte for byte whatever the machine, and rendering can resume from it.
// Splits are by recording: a recording and every clip made from it sit in one split.
import {
  type Category,
  FILE_SOURCES,
  type FileSource,
  GAME_SOURCES,
  GM_EFFECTS,
  INSTRUMENTS,
  MEGAGLEST_SOURCES,
  SENTENCES,
  SENTENCE_TOPICS,
  type Say,
  TEXTURES,
  VOICES,
  ktuberlingSources,
} from './catalog.ts';
import { type Arrangement, captionsFor } from './captions.ts';
import { OPENSFX_PKG, OPENSFX_SOURCES } from './opensfx.ts';
import { EXTRA_ENGLISH, MORE_ENGLISH } from './sentences-full.ts';
import { HOMEDECOR_PKG, MINETEST_PKG, MINETEST_SOURCES, XDECOR_PKG } from './minetest.ts';

const EXTRA_TOPICS = new Map([...EXTRA_ENGLISH, ...MORE_ENGLISH]);
import { DRUM_PATTERNS, PHRASE_KINDS, type PhraseKind, phraseWords, rng } from './midi.ts';

export type Size = 'tiny' | 'small' | 'full';
export type Split = 'train' | 'val' | 'test';

export type Render =
  | { kind: 'file'; pkg: string; path: string; repeat: boolean }
  | { kind: 'instrument'; program: number; phrase: PhraseKind; seed: number; soundfont?: 'musescore' }
  | { kind: 'drums'; pattern: string; seed: number }
  | { kind: 'effect'; program: number; note: number; seed: number }
  | { kind: 'speech'; voice: string; text: string; speed: number; pitch: number }
  | { kind: 'texture'; units: string[][]; loop: boolean };

export interface Recording {
  id: string;
  category: Category;
  tags: string[];
  say: Say[];
  render: Render;
  split?: Split;
}

export type Recipe =
  | { kind: 'single' | 'distant'; a: string; gainDb: number; seed: number }
  | { kind: 'while'; a: string; b: string; gainDb: number; bgDb: number; seed: number }
  | { kind: 'then'; a: string; b: string; gainDb: number; seed: number };

export interface ClipPlan {
  name: string; // file name, e.g. c00042.flac
  split: Split;
  seconds: number;
  recipe: Recipe;
  /** Occurrences of each one-shot source (the captions count them). */
  times: number[];
  captions: string[];
  tags: string[];
  category: Category | 'mixture';
  sources: string[];
}

export const SOUNDFONT = { pkg: 'timgm6mb-soundfont', path: 'usr/share/sounds/sf2/TimGM6mb.sf2' };
/** A second General-MIDI soundfont (full corpus): the same programs in other timbres. */
export const SOUNDFONT_FULL = { pkg: 'musescore-general-soundfont-small', path: 'usr/share/sounds/sf3/MuseScore_General_Lite.sf3' };

/** Packages each size downloads (the corpus never touches docs/design.md's reserved packages). */
export function packagesFor(size: Size): string[] {
  const p = [SOUNDFONT.pkg];
  if (size !== 'tiny') p.push('tuxpaint-stamps-default', 'wesnoth-1.16-data');
  if (size === 'full')
    p.push(
      'ktuberling-data',
      'megaglest-data',
      SOUNDFONT_FULL.pkg,
      OPENSFX_PKG,
      'extremetuxracer-data',
      'frozen-bubble-data',
      MINETEST_PKG,
      HOMEDECOR_PKG,
      XDECOR_PKG,
    );
  return p;
}

export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function voiceSay(lang: string | undefined, gender: 'male' | 'female', text: string): Say[] {
  const man = gender === 'male';
  const who: [string, string][] = man
    ? [
        ['a synthesized male voice', "a robotic man's voice"],
        ['a computer-generated male voice', 'a computer voice'],
      ]
    : [
        ['a synthesized female voice', "a robotic woman's voice"],
        ['a computer-generated female voice', 'a computer voice'],
      ];
  const inLang = lang ? ` in ${lang}` : '';
  return [
    [who[0]![0], `speaks${inLang}`, `speaking${inLang}`],
    [who[0]![1], `says a sentence${inLang}`, `saying a sentence${inLang}`],
    [who[1]![0], `talks${inLang}`, `talking${inLang}`],
    ...(lang ? [] : (SENTENCE_TOPICS[text] ?? EXTRA_TOPICS.get(text)!).map((t): Say => [who[1]![1], ...t])),
  ];
}

function speechRecording(voice: string, lang: string | undefined, gender: 'male' | 'female', k: string, text: string): Recording {
  const r = rng(hashString(`${voice}/${k}`));
  return {
    id: `speech/${voice}/${k}`,
    category: 'speech',
    tags: ['speech', gender === 'male' ? 'male_voice' : 'female_voice', ...(lang ? [lang.toLowerCase()] : ['english'])],
    say: voiceSay(lang, gender, text),
    render: { kind: 'speech', voice, text, speed: 140 + Math.floor(r() * 40), pitch: 35 + Math.floor(r() * 30) },
  };
}

const fileRecording = (f: FileSource): Recording => ({
  id: f.id,
  category: f.category,
  tags: f.tags,
  say: f.say,
  render: { kind: 'file', pkg: f.pkg, path: f.path, repeat: !!f.repeat },
});

/**
 * The recordings of a size in the order they were added to the corpus: wave 0 is everything up
 * to session 13; wave 1 (full only, session 14) adds Minetest's sounds and more English
 * sentences, each read by one of the English voices.
 */
export function recordingWaves(size: Size): Recording[][] {
  if (size !== 'full') return [recordings(size)];
  const english = VOICES.filter(([, lang]) => lang === undefined);
  const speech = MORE_ENGLISH.map(([text], j) => {
    const [voice, , gender] = english[j % english.length]!;
    return speechRecording(voice, undefined, gender, `y${j}`, text);
  });
  return [recordings(size), [...MINETEST_SOURCES.map(fileRecording), ...speech]];
}

/** Wave 0's recordings (see recordingWaves). */
function recordings(size: Size): Recording[] {
  const recs: Recording[] = [];
  const tiny = size === 'tiny',
    full = size === 'full';
  if (!tiny) {
    for (const f of [...FILE_SOURCES, ...(full ? [...ktuberlingSources(), ...MEGAGLEST_SOURCES, ...OPENSFX_SOURCES, ...GAME_SOURCES] : [])])
      if (!f.full || full) recs.push(fileRecording(f));
  }
  const instruments = tiny ? INSTRUMENTS.filter((i) => [0, 24, 40, 56, 73, 19].includes(i.program)) : INSTRUMENTS;
  const phrasesPer = tiny ? 2 : full ? 6 : 3;
  for (const ins of instruments) {
    for (let k = 0; k < phrasesPer; k++) {
      const phrase = PHRASE_KINDS[(hashString(ins.id) + k) % PHRASE_KINDS.length]!;
      const seed = hashString(`${ins.id}/${k}`);
      const slow = rng(seed)() < 0.5; // instrumentPhrase draws `slow` first from the same seed
      // Subjects without an article ('steel drums', 'tubular bells') are plural: 'play', not 'plays'.
      const agree = (s: string, v: string): string => (/^(a|an) /.test(s) ? v : v.replace(/^(\w+?)s\b/, '$1'));
      const say: Say[] = ins.subjects.flatMap((s) => phraseWords(phrase, slow).map(([v, g]) => [s, agree(s, v), g] as const));
      recs.push({
        id: `gm/${ins.id}/${k}`,
        category: ins.category,
        tags: [...ins.tags, 'music'],
        say,
        render: { kind: 'instrument', program: ins.program, phrase, seed },
      });
      // The full corpus plays every phrase on the second soundfont too: same notes, another timbre.
      if (full)
        recs.push({
          id: `gm-ms/${ins.id}/${k}`,
          category: ins.category,
          tags: [...ins.tags, 'music'],
          say,
          render: { kind: 'instrument', program: ins.program, phrase, seed, soundfont: 'musescore' },
        });
    }
  }
  const drums = tiny ? DRUM_PATTERNS.slice(0, 3) : DRUM_PATTERNS;
  for (const d of drums)
    for (let k = 0; k < (tiny ? 1 : full ? 4 : 2); k++) {
      recs.push({
        id: `gm/drums/${d.id}/${k}`,
        category: 'drums',
        tags: d.tags,
        say: d.say,
        render: { kind: 'drums', pattern: d.id, seed: hashString(`${d.id}/${k}`) },
      });
    }
  const effects = tiny ? GM_EFFECTS.filter((e) => e.id === 'telephone' || e.id === 'applause') : GM_EFFECTS;
  for (const e of effects)
    for (let k = 0; k < (tiny ? 1 : 2); k++) {
      recs.push({
        id: `gm/fx/${e.id}/${k}`,
        category: e.category,
        tags: e.tags,
        say: e.say,
        render: { kind: 'effect', program: e.program, note: e.note, seed: hashString(`${e.id}/${k}`) },
      });
    }
  const voices = tiny ? VOICES.filter(([, l]) => l === undefined).slice(0, 4) : VOICES;
  for (const [v, [voice, lang, gender]] of voices.entries()) {
    const sents = SENTENCES[lang ?? 'English']!;
    const per = tiny ? 2 : full ? sents.length : 3;
    const texts: [string, string][] = Array.from({ length: per }, (_, k) => [String(k), sents[(hashString(voice) + k) % sents.length]!]);
    // Full: each extra English sentence is read by one of the eight English voices.
    if (full && !lang) EXTRA_ENGLISH.forEach(([text], j) => j % 8 === v && texts.push([`x${j}`, text]));
    for (const [k, text] of texts) recs.push(speechRecording(voice, lang, gender, k, text));
  }
  for (const t of TEXTURES) {
    const vs = tiny ? t.variants.slice(0, 1) : t.variants;
    vs.forEach((v, k) =>
      recs.push({ id: `sox/${t.id}/${k}`, category: t.category, tags: t.tags, say: t.say, render: { kind: 'texture', units: v.units, loop: !!v.loop } }),
    );
  }
  return recs;
}

/**
 * 8:1:1 dealt over all recordings ordered by category, then by a seeded hash: every split gets
 * every large category, and each recording (with all its clips) lands in exactly one split.
 */
export function assignSplits(recs: Recording[], seed: number): void {
  const order = [...recs].sort(
    (a, b) =>
      (a.category < b.category ? -1 : a.category > b.category ? 1 : 0) ||
      hashString(`${seed}/${a.id}`) - hashString(`${seed}/${b.id}`) ||
      (a.id < b.id ? -1 : 1),
  );
  order.forEach((r, i) => {
    r.split = i % 10 === 8 ? 'val' : i % 10 === 9 ? 'test' : 'train';
  });
}

const MIN_GAP = 0.25; // seconds of silence between repeats of a one-shot sound

/**
 * Occurrences of a one-shot sound of `d` seconds in a `seg`-second stretch: 2..4 when they fit with
 * gaps, else once. Continuous sources (renders, long recordings) count as 1.
 */
export function occurrences(d: number | undefined, seg: number, r: () => number): number {
  if (d === undefined) return 1;
  const fit = Math.min(4, Math.floor((seg + MIN_GAP) / (d + MIN_GAP)));
  return fit < 2 ? 1 : 2 + Math.floor(r() * (fit - 1));
}

/**
 * `oneShotSeconds(id)` gives the length of a repeatable one-shot recording (measured from the
 * unpacked package, so the plan depends only on the package versions, size and seed).
 * The recordings come in waves (`recordingWaves`): each wave is dealt into splits and planned
 * with its own random stream, and its clips are numbered after the previous wave's, so a wave
 * added later leaves every earlier clip (name, split, audio recipe, captions) as it was; a
 * checkpoint trained on the earlier corpus keeps an uncontaminated test split.
 */
export function planCorpus(size: Size, seed: number, oneShotSeconds: (id: string) => number): { recordings: Recording[]; clips: ClipPlan[] } {
  const recs: Recording[] = [],
    clips: ClipPlan[] = [];
  recordingWaves(size).forEach((wave, w) => {
    if (wave.length === 0) return;
    assignSplits(wave, seed);
    recs.push(...wave);
    clips.push(...planWave(wave, size, seed, w, clips.length, oneShotSeconds));
  });
  return { recordings: recs, clips };
}

/** The clips of one wave of recordings, numbered from `offset` + 1. */
function planWave(recs: Recording[], size: Size, seed: number, wave: number, offset: number, oneShotSeconds: (id: string) => number): ClipPlan[] {
  const r = rng(hashString(wave === 0 ? `corpus/${size}/${seed}` : `corpus/${size}/${seed}/wave${wave}`));
  const singlesPer = size === 'tiny' ? 1 : size === 'full' ? 3 : 2;
  const shot = (rec: Recording): number | undefined => (rec.render.kind === 'file' && rec.render.repeat ? oneShotSeconds(rec.id) : undefined);
  const length = (): number => Math.round(50 + r() * 50) / 10;
  const drafts: { split: Split; seconds: number; recipe: Recipe; arr: Arrangement; sources: Recording[] }[] = [];
  for (const rec of recs) {
    for (let k = 0; k < singlesPer; k++) {
      const distant = k === 1 && r() < 0.35;
      const seconds = length();
      const times = occurrences(shot(rec), seconds, r);
      drafts.push({
        split: rec.split!,
        seconds,
        sources: [rec],
        arr: { kind: distant ? 'distant' : 'single', a: { say: rec.say, times } },
        recipe: { kind: distant ? 'distant' : 'single', a: rec.id, gainDb: -(1 + Math.floor(r() * 9)), seed: Math.floor(r() * 2 ** 31) },
      });
    }
  }
  // About a third of all clips are mixtures of two recordings from the same split.
  const mixtures = Math.round(drafts.length / 2);
  for (const split of ['train', 'val', 'test'] as const) {
    const pool = recs.filter((x) => x.split === split);
    const n = Math.round((mixtures * pool.length) / recs.length);
    for (let i = 0; i < n && pool.length > 1; i++) {
      const a = pool[Math.floor(r() * pool.length)]!;
      const others = pool.filter((x) => x.category !== a.category);
      if (others.length === 0) continue;
      const b = others[Math.floor(r() * others.length)]!;
      const kind = r() < 0.5 ? 'while' : 'then';
      const seconds = length();
      // 'then': A fills the first half, B the second; 'while': B is a bed under the whole clip.
      const ta = occurrences(shot(a), kind === 'then' ? seconds / 2 : seconds, r);
      const tb = kind === 'then' ? occurrences(shot(b), seconds / 2, r) : 1;
      const gainDb = -(1 + Math.floor(r() * 6)),
        s = Math.floor(r() * 2 ** 31);
      drafts.push({
        split,
        seconds,
        sources: [a, b],
        arr: { kind, a: { say: a.say, times: ta }, b: { say: b.say, times: tb } },
        recipe: kind === 'while' ? { kind, a: a.id, b: b.id, gainDb, bgDb: -(8 + Math.floor(r() * 7)), seed: s } : { kind, a: a.id, b: b.id, gainDb, seed: s },
      });
    }
  }
  // Shuffle so clip numbers do not reveal the source or the split.
  for (let i = drafts.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [drafts[i], drafts[j]] = [drafts[j]!, drafts[i]!];
  }
  return drafts.map((d, k): ClipPlan => {
    const i = offset + k;
    const cr = rng(hashString(`${seed}/clip/${i}`));
    const a = d.arr;
    return {
      name: `c${String(i + 1).padStart(5, '0')}.flac`,
      split: d.split,
      seconds: d.seconds,
      recipe: d.recipe,
      times: a.kind === 'while' || a.kind === 'then' ? [a.a.times, a.b.times] : [a.a.times],
      captions: captionsFor(a, cr),
      tags: [...new Set([...d.sources.flatMap((s) => s.tags), ...(a.kind === 'distant' ? ['distant'] : [])])].sort(),
      category: d.sources.length === 1 ? d.sources[0]!.category : 'mixture',
      sources: d.sources.map((s) => s.id),
    };
  });
}
