// Standard MIDI files for the corpus's General-MIDI renders: a minimal SMF (format 0) writer and
// seeded phrase generators whose musical content is known, so their captions can say what plays
// ("a rising scale", "sustained chords", "a steady rock beat").
import type { Say } from './catalog.ts';

export interface Note {
  t: number;
  dur: number;
  key: number;
  vel: number;
  ch: number;
}

const vlq = (n: number): number[] => {
  const out = [n & 0x7f];
  while ((n >>= 7) > 0) out.unshift((n & 0x7f) | 0x80);
  return out;
};

/** Format-0 SMF at 480 ticks per quarter; times in seconds at the given tempo. */
export function writeSmf(notes: Note[], programs: Map<number, number>, bpm: number): Uint8Array {
  const tpq = 480,
    tickPerS = (tpq * bpm) / 60;
  const ev: { tick: number; order: number; bytes: number[] }[] = [];
  const uspq = Math.round(60e6 / bpm);
  ev.push({ tick: 0, order: 0, bytes: [0xff, 0x51, 0x03, (uspq >> 16) & 0xff, (uspq >> 8) & 0xff, uspq & 0xff] });
  for (const [ch, prog] of programs) ev.push({ tick: 0, order: 1, bytes: [0xc0 | ch, prog & 0x7f] });
  for (const n of notes) {
    const on = Math.round(n.t * tickPerS),
      off = Math.max(on + 1, Math.round((n.t + n.dur) * tickPerS));
    ev.push({ tick: on, order: 3, bytes: [0x90 | n.ch, n.key & 0x7f, n.vel & 0x7f] });
    ev.push({ tick: off, order: 2, bytes: [0x80 | n.ch, n.key & 0x7f, 0] });
  }
  ev.sort((a, b) => a.tick - b.tick || a.order - b.order);
  const body: number[] = [];
  let last = 0;
  for (const e of ev) {
    body.push(...vlq(e.tick - last), ...e.bytes);
    last = e.tick;
  }
  body.push(0, 0xff, 0x2f, 0x00);
  const u32 = (n: number): number[] => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
  return new Uint8Array([
    ...[0x4d, 0x54, 0x68, 0x64],
    ...u32(6),
    0,
    0,
    0,
    1,
    (tpq >> 8) & 0xff,
    tpq & 0xff,
    ...[0x4d, 0x54, 0x72, 0x6b],
    ...u32(body.length),
    ...body,
  ]);
}

/** Seeded uniform [0, 1) from a 32-bit state (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type PhraseKind = 'melody' | 'scale-up' | 'scale-down' | 'arpeggio' | 'chords' | 'repeated';
export const PHRASE_KINDS: PhraseKind[] = ['melody', 'scale-up', 'scale-down', 'arpeggio', 'chords', 'repeated'];

const MAJOR = [0, 2, 4, 5, 7, 9, 11],
  MINOR = [0, 2, 3, 5, 7, 8, 10];

/** Verb phrases for an instrument playing a phrase: [present, gerund] pairs. */
export function phraseWords(kind: PhraseKind, slow: boolean): [string, string][] {
  const pace = slow ? 'slow' : 'lively';
  switch (kind) {
    case 'melody':
      return [
        [`plays a ${pace} melody`, `playing a ${pace} melody`],
        ['plays a tune', 'playing a tune'],
        ['performs a short motif', 'performing a short motif'],
        ['carries a simple tune', 'carrying a simple tune'],
      ];
    case 'scale-up':
      return [
        ['plays a rising scale', 'playing a rising scale'],
        ['plays notes that climb up a scale', 'playing notes that climb up a scale'],
        ['ascends note by note', 'ascending note by note'],
        ['moves upward through a scale', 'moving upward through a scale'],
      ];
    case 'scale-down':
      return [
        ['plays a descending scale', 'playing a descending scale'],
        ['plays notes that step down a scale', 'playing notes that step down a scale'],
        ['descends note by note', 'descending note by note'],
        ['walks down a scale', 'walking down a scale'],
      ];
    case 'arpeggio':
      return [
        ['plays arpeggios', 'playing arpeggios'],
        ['plays broken chords', 'playing broken chords'],
        ['spells out chords one note at a time', 'spelling out chords one note at a time'],
        ['outlines chords with flowing notes', 'outlining chords with flowing notes'],
      ];
    case 'chords':
      return [
        ['plays a series of chords', 'playing a series of chords'],
        [`plays ${slow ? 'sustained' : 'short'} chords`, `playing ${slow ? 'sustained' : 'short'} chords`],
        ['plays harmonies', 'playing harmonies'],
        ['sounds several notes together', 'sounding several notes together'],
      ];
    case 'repeated':
      return [
        ['plays the same note repeatedly', 'playing the same note repeatedly'],
        ['repeats a single note', 'repeating a single note'],
        ['plays one pitch again and again', 'playing one pitch again and again'],
        ['sounds an unchanging note in a pulse', 'sounding an unchanging note in a pulse'],
      ];
  }
}

/** A phrase of `seconds` for one instrument: returns the SMF and whether it is slow. */
export function instrumentPhrase(kind: PhraseKind, program: number, seed: number, seconds: number): { smf: Uint8Array; slow: boolean } {
  const r = rng(seed);
  const slow = r() < 0.5;
  const bpm = slow ? 60 + Math.floor(r() * 20) : 110 + Math.floor(r() * 40);
  const beat = 60 / bpm;
  const scale = r() < 0.6 ? MAJOR : MINOR;
  const root = 55 + Math.floor(r() * 12);
  const deg = (d: number): number => root + 12 * Math.floor(d / 7) + scale[((d % 7) + 7) % 7]!;
  const notes: Note[] = [];
  const vel = 70 + Math.floor(r() * 40);
  let t = 0.1;
  const end = seconds - 0.6;
  switch (kind) {
    case 'melody': {
      let d = 0;
      while (t < end) {
        const len = beat * [0.5, 1, 1, 2][Math.floor(r() * 4)]!;
        d = Math.max(-3, Math.min(10, d + Math.floor(r() * 5) - 2));
        notes.push({ t, dur: len * 0.9, key: deg(d), vel, ch: 0 });
        t += len;
      }
      break;
    }
    case 'scale-up':
    case 'scale-down': {
      const step = beat / 2;
      const n = Math.max(4, Math.floor(end / step));
      for (let i = 0; i < n; i++) notes.push({ t: 0.1 + i * step, dur: step * 0.9, key: deg(kind === 'scale-up' ? i % 15 : 14 - (i % 15)), vel, ch: 0 });
      break;
    }
    case 'arpeggio': {
      const step = beat / 2;
      for (let i = 0; t < end; i++, t += step) {
        const chord = [0, 4, 2, 5][Math.floor(i / 8) % 4]!;
        notes.push({ t, dur: step * 1.5, key: deg(chord + [0, 2, 4, 7][i % 4]!), vel, ch: 0 });
      }
      break;
    }
    case 'chords': {
      const len = slow ? beat * 4 : beat;
      for (let i = 0; t < end; i++, t += len) {
        const c = [0, 3, 4, 0, 5, 3, 4, 0][i % 8]!;
        for (const k of [0, 2, 4]) notes.push({ t, dur: len * 0.95, key: deg(c + k), vel, ch: 0 });
      }
      break;
    }
    case 'repeated': {
      const key = deg(Math.floor(r() * 5));
      for (; t < end; t += beat) notes.push({ t, dur: beat * 0.6, key, vel, ch: 0 });
      break;
    }
  }
  return { smf: writeSmf(notes, new Map([[0, program]]), bpm), slow };
}

export interface DrumPattern {
  id: string;
  tags: string[];
  say: Say[];
  hits: (step: number) => number[];
  stepsPerBeat: number;
}
// GM percussion keys on channel 10: 36 kick, 38 snare, 39 clap, 42 closed hi-hat, 54 tambourine,
// 56 cowbell, 60/61 bongos, 76/77 wood blocks.
export const DRUM_PATTERNS: DrumPattern[] = [
  {
    id: 'rock-beat',
    tags: ['drums', 'drum_kit'],
    stepsPerBeat: 2,
    hits: (s) => [42, ...(s % 4 === 0 ? [36] : []), ...(s % 4 === 2 ? [38] : [])],
    say: [
      ['a drum kit', 'plays a steady rock beat', 'playing a steady rock beat'],
      ['drums', 'keep a steady beat', 'keeping a steady beat'],
      ['a drummer', 'plays kick, snare and hi-hat', 'playing kick, snare and hi-hat'],
    ],
  },
  {
    id: 'hi-hat',
    tags: ['hi_hat', 'drums'],
    stepsPerBeat: 4,
    hits: () => [42],
    say: [
      ['a hi-hat', 'ticks in a fast rhythm', 'ticking in a fast rhythm'],
      ['a closed hi-hat', 'plays a fast steady pattern', 'playing a fast steady pattern'],
      ['a drummer', 'taps a hi-hat cymbal', 'tapping a hi-hat cymbal'],
    ],
  },
  {
    id: 'bongos',
    tags: ['bongo', 'drums'],
    stepsPerBeat: 2,
    hits: (s) => [[60, 61, 61, 60, 61, 60, 61, 61][s % 8]!],
    say: [
      ['bongos', 'play a quick pattern', 'playing a quick pattern'],
      ['hand drums', 'are played in a rhythm', 'being played in a rhythm'],
      ['a percussionist', 'slaps a pair of bongos', 'slapping a pair of bongos'],
    ],
  },
  {
    id: 'claps',
    tags: ['clapping'],
    stepsPerBeat: 1,
    hits: () => [39],
    say: [
      ['hands', 'clap in a steady rhythm', 'clapping in a steady rhythm'],
      ['someone', 'claps to a beat', 'clapping to a beat'],
      ['a person', 'keeps time by clapping', 'keeping time by clapping'],
    ],
  },
  {
    id: 'cowbell',
    tags: ['cowbell'],
    stepsPerBeat: 1,
    hits: () => [56],
    say: [
      ['a cowbell', 'is struck in rhythm', 'being struck in rhythm'],
      ['a cowbell', 'clanks steadily', 'clanking steadily'],
      ['a metal bell', 'clonks on every beat', 'clonking on every beat'],
    ],
  },
  {
    id: 'tambourine',
    tags: ['tambourine'],
    stepsPerBeat: 2,
    hits: () => [54],
    say: [
      ['a tambourine', 'jingles in rhythm', 'jingling in rhythm'],
      ['a tambourine', 'is shaken to a beat', 'being shaken to a beat'],
      ['tambourine zils', 'rattle on the beat', 'rattling on the beat'],
    ],
  },
  {
    id: 'woodblock',
    tags: ['wood_block'],
    stepsPerBeat: 1,
    hits: (s) => [s % 2 ? 77 : 76],
    say: [
      ['a wood block', 'is tapped in rhythm', 'being tapped in rhythm'],
      ['wooden knocks', 'tick steadily', 'ticking steadily'],
      ['a percussionist', 'clicks two wood blocks', 'clicking two wood blocks'],
    ],
  },
];

export function drumPhrase(p: DrumPattern, seed: number, seconds: number): Uint8Array {
  const r = rng(seed);
  const bpm = 80 + Math.floor(r() * 60);
  const step = 60 / bpm / p.stepsPerBeat;
  const notes: Note[] = [];
  for (let s = 0, t = 0.1; t < seconds - 0.4; s++, t += step) {
    for (const key of p.hits(s)) notes.push({ t, dur: step * 0.8, key, vel: 80 + Math.floor(r() * 30), ch: 9 });
  }
  return writeSmf(notes, new Map(), bpm);
}

/** A GM effect program held or repeated for the clip. */
export function effectPhrase(program: number, note: number, seed: number, seconds: number): Uint8Array {
  const r = rng(seed);
  const notes: Note[] = [];
  const len = 1.5 + r() * 2;
  for (let t = 0.1; t < seconds - 0.5; t += len + 0.2 + r() * 0.5) notes.push({ t, dur: Math.min(len, seconds - 0.3 - t), key: note, vel: 100, ch: 0 });
  return writeSmf(notes, new Map([[0, program]]), 120);
}
