// Clotho-style captions from the reviewed descriptions: five per clip, varied in sentence shape and
// wording, and only ever saying what the clip's recipe guarantees is audible (the source's sound,
// how many times it repeats, whether it is distant, what plays in the background or after it).
import type { Say } from './catalog.ts';

const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

export interface Event {
  say: Say[] /** How often a one-shot sound occurs in the clip (1 = once or continuous). */;
  times: number;
}

function times(n: number): string[] {
  if (n <= 1) return [''];
  if (n === 2) return [' twice', ' two times'];
  if (n === 3) return [' three times', ' a few times'];
  return [' repeatedly', ' several times', ' over and over'];
}

type Shape = (s: Say, m: string) => string;
const SINGLE: Shape[] = [
  ([s, v], m) => `${cap(s)} ${v}${m}.`,
  ([s, , g], m) => `The sound of ${s} ${g}${m}.`,
  ([s, , g], m) => `${cap(s)} can be heard ${g}${m}.`,
  ([s, v], m) => `In this clip, ${s} ${v}${m}.`,
  ([s, , g], m) => `${cap(s)} ${g}${m}.`,
  ([s, , g], m) => `A recording of ${s} ${g}${m}.`,
  ([s, , g], m) => `We hear ${s} ${g}${m}.`,
  ([s, , g], m) => `You can hear ${s} ${g}${m}.`,
  ([s, , g], m) => `A short clip of ${s} ${g}${m}.`,
  ([s, , g], m) => `Someone recorded ${s} ${g}${m}.`,
  ([s, , g], m) => `This recording captures ${s} ${g}${m}.`,
  ([s, v], m) => `Here, ${s} ${v}${m}.`,
  ([s, , g], m) => `Listen to ${s} ${g}${m}.`,
  ([s, , g], m) => `There is the sound of ${s} ${g}${m}.`,
  ([s, , g], m) => `An audio clip of ${s} ${g}${m}.`,
  ([s, v], m) => `In this recording, ${s} ${v}${m}.`,
  ([s, , g], m) => `The audio features ${s} ${g}${m}.`,
  ([s, , g], m) => `What we hear is ${s} ${g}${m}.`,
];

type Shape2 = (a: Say, b: Say, ma: string, mb: string) => string;
const WHILE: Shape2[] = [
  ([s, v], [t, w], ma) => `${cap(s)} ${v}${ma} while ${t} ${w} in the background.`,
  ([s, , g], [t, , h], ma) => `${cap(s)} ${g}${ma} with ${t} ${h} in the background.`,
  ([s, v], [t, w], ma) => `${cap(t)} ${w} as ${s} ${v}${ma}.`,
  ([s, , g], [t, , h], ma) => `The sound of ${s} ${g}${ma} over ${t} ${h}.`,
  ([s, v], [t, w], ma) => `${cap(s)} ${v}${ma} and ${t} ${w} at the same time.`,
  ([s, v], [t, , h], ma) => `Against a background of ${t} ${h}, ${s} ${v}${ma}.`,
  ([s, v], [t, , h], ma) => `${cap(s)} ${v}${ma}, accompanied by ${t} ${h}.`,
  ([s, , g], [t, w], ma) => `While ${t} ${w} behind it, we hear ${s} ${g}${ma}.`,
  ([s, v], [t, , h], ma) => `${cap(s)} ${v}${ma} amid ${t} ${h}.`,
  ([s, , g], [t, w], ma) => `${cap(t)} ${w} quietly beneath ${s} ${g}${ma}.`,
  ([s, v], [t, w], ma) => `In the foreground ${s} ${v}${ma}, and ${t} ${w} behind.`,
];
const THEN: Shape2[] = [
  ([s, v], [t, w], ma, mb) => `${cap(s)} ${v}${ma}, then ${t} ${w}${mb}.`,
  ([s, v], [t, , h], ma, mb) => `${cap(s)} ${v}${ma}, followed by ${t} ${h}${mb}.`,
  ([s, v], [t, w], ma, mb) => `First ${s} ${v}${ma} and then ${t} ${w}${mb}.`,
  ([s, , g], [t, , h], ma, mb) => `${cap(s)} ${g}${ma} followed by ${t} ${h}${mb}.`,
  ([s, v], [t, w], ma, mb) => `After ${s} ${v}${ma}, ${t} ${w}${mb}.`,
  ([s, v], [t, w], ma, mb) => `${cap(s)} ${v}${ma}; afterwards ${t} ${w}${mb}.`,
  ([s, v], [t, w], ma, mb) => `${cap(s)} ${v}${ma} before ${t} ${w}${mb}.`,
  ([s, , g], [t, , h], ma, mb) => `The clip begins with ${s} ${g}${ma} and ends with ${t} ${h}${mb}.`,
  ([s, v], [t, w], ma, mb) => `${cap(s)} ${v}${ma}, and later ${t} ${w}${mb}.`,
  ([s, v], [t, w], ma, mb) => `${cap(s)} ${v}${ma}; next, ${t} ${w}${mb}.`,
  ([s, , g], [t, , h], ma, mb) => `${cap(s)} ${g}${ma} gives way to ${t} ${h}${mb}.`,
  ([s, v], [t, w], ma, mb) => `Shortly after ${s} ${v}${ma}, ${t} ${w}${mb}.`,
];
const DISTANT: Shape[] = [
  ([s, v], m) => `${cap(s)} ${v}${m} in the distance.`,
  ([s, , g], m) => `The muffled sound of ${s} ${g}${m}.`,
  ([s, , g], m) => `${cap(s)} ${g}${m} far away.`,
  ([s, v], m) => `From far away, ${s} ${v}${m}.`,
  ([s, , g], m) => `The distant sound of ${s} ${g}${m}.`,
  ([s, v], m) => `Faintly, ${s} ${v}${m} somewhere far off.`,
  ([s, , g], m) => `A faraway recording of ${s} ${g}${m}.`,
  ([s, , g], m) => `We hear ${s} ${g}${m} from a long way off.`,
  ([s, v], m) => `Off in the distance, ${s} ${v}${m}.`,
  ([s, v], m) => `${cap(s)} ${v}${m}, barely audible.`,
  ([s, , g], m) => `A remote, hushed sound of ${s} ${g}${m}.`,
];

/** Seeded Fisher-Yates over candidate captions; the first five distinct ones win. */
function pick(cands: string[], r: () => number, n = 5): string[] {
  const c = [...new Set(cands)];
  for (let i = c.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [c[i], c[j]] = [c[j]!, c[i]!];
  }
  if (c.length < n) throw new Error(`only ${c.length} distinct captions for a clip (need ${n}): ${c[0]}`);
  return c.slice(0, n);
}

export type Arrangement = { kind: 'single' | 'distant'; a: Event } | { kind: 'while' | 'then'; a: Event; b: Event };

export function captionsFor(arr: Arrangement, r: () => number): string[] {
  const cands: string[] = [];
  if (arr.kind === 'single' || arr.kind === 'distant') {
    const shapes = arr.kind === 'single' ? SINGLE : DISTANT;
    for (const f of shapes) for (const s of arr.a.say) for (const m of times(arr.a.times)) cands.push(f(s, m));
  } else {
    const { kind, a: ea, b: eb } = arr as Extract<Arrangement, { b: Event }>;
    for (const f of kind === 'while' ? WHILE : THEN) {
      for (const a of ea.say)
        for (const b of eb.say) for (const ma of times(ea.times)) for (const mb of kind === 'then' ? times(eb.times) : ['']) cands.push(f(a, b, ma, mb));
    }
  }
  return pick(cands, r);
}
