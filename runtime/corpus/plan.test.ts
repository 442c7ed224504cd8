import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import {
  FILE_SOURCES,
  GAME_SOURCES,
  GM_EFFECTS,
  MEGAGLEST_SOURCES,
  RESERVED_PACKAGES,
  SENTENCES,
  SENTENCE_TOPICS,
  TEXTURES,
  ktuberlingSources,
} from './catalog.ts';
import { OPENSFX_SOURCES } from './opensfx.ts';
import { MINETEST_SOURCES } from './minetest.ts';
import { EXTRA_ENGLISH, MORE_ENGLISH } from './sentences-full.ts';
import { clothoCsv, corpusStats } from './build.ts';
import { type ClipPlan, occurrences, packagesFor, planCorpus } from './plan.ts';
import { rng } from './midi.ts';
import { vocabulary } from '../data/words.ts';

// One-shot lengths as measured from the packages would be; any fixed map makes the plan pure.
const lengths = (id: string): number => 0.2 + (id.length % 9) * 0.25;

describe('corpus plan', () => {
  for (const size of ['tiny', 'small', 'full'] as const) {
    it(`${size}: deterministic for a seed, different for another`, () => {
      const a = planCorpus(size, 3, lengths),
        b = planCorpus(size, 3, lengths),
        c = planCorpus(size, 4, lengths);
      for (const split of ['train', 'val', 'test'] as const) {
        const csv = (p: typeof a): string => clothoCsv(p.clips.filter((x) => x.split === split));
        expect(csv(a)).toBe(csv(b));
        expect(csv(a)).not.toBe(csv(c));
      }
    });

    it(`${size}: splits are disjoint by source recording and every split has clips`, () => {
      const p = planCorpus(size, 0, lengths);
      const splitOf = new Map(p.recordings.map((r) => [r.id, r.split]));
      for (const c of p.clips) for (const s of c.sources) expect(splitOf.get(s), `${c.name} uses ${s}`).toBe(c.split);
      const used = new Map<string, Set<string>>();
      for (const c of p.clips) for (const s of c.sources) used.set(s, (used.get(s) ?? new Set()).add(c.split));
      for (const [s, splits] of used) expect(splits.size, s).toBe(1);
      for (const split of ['train', 'val', 'test']) expect(p.clips.filter((c) => c.split === split).length).toBeGreaterThan(0);
      // About a third of the clips are mixtures of two recordings.
      const mixed = p.clips.filter((c) => c.sources.length === 2).length / p.clips.length;
      expect(mixed).toBeGreaterThan(0.25);
      expect(mixed).toBeLessThan(0.4);
    });
  }

  it('every clip: 5-10 s, five distinct non-empty captions, tags, and counts that the captions state', () => {
    const p = planCorpus('small', 0, lengths);
    const count: Record<number, RegExp> = { 2: /\b(twice|two times)\b/, 3: /\b(three times|a few times)\b/, 4: /\b(repeatedly|several times|over and over)\b/ };
    for (const c of p.clips) {
      expect(c.seconds).toBeGreaterThanOrEqual(5);
      expect(c.seconds).toBeLessThanOrEqual(10);
      expect(c.captions.length).toBe(5);
      expect(new Set(c.captions).size).toBe(5);
      for (const cap of c.captions) expect(cap).toMatch(/^[A-Z].{8,}[.]$/);
      expect(c.tags.length).toBeGreaterThan(0);
      const t = c.times[0]!;
      if (t >= 2 && c.recipe.kind !== 'then') for (const cap of c.captions) expect(cap, c.name).toMatch(count[t]!);
      if (t === 1 && c.times.length === 1) for (const cap of c.captions) expect(cap).not.toMatch(/\b(twice|two times|three times|a few times)\b/);
    }
  });

  it('repeats always fit the stretch they are counted in', () => {
    const r = rng(1);
    for (let k = 0; k < 2000; k++) {
      const d = 0.1 + r() * 4,
        seg = 2.5 + r() * 7.5;
      const n = occurrences(d, seg, r);
      if (n >= 2) expect(n * d + (n - 1) * 0.25).toBeLessThanOrEqual(seg + 1e-9);
      expect(n).toBeLessThanOrEqual(4);
    }
    expect(occurrences(undefined, 5, r)).toBe(1);
  });

  it('the reviewed table: 2-6 descriptions per source (varied nouns and verbs, issue 14), no reserved package, unique ids', () => {
    const all = [...FILE_SOURCES, ...ktuberlingSources(), ...MEGAGLEST_SOURCES, ...OPENSFX_SOURCES, ...GAME_SOURCES, ...MINETEST_SOURCES];
    for (const f of all) {
      expect(f.say.length, f.id).toBeGreaterThanOrEqual(2);
      // at most 6, so each still reaches a clip's captions: a source's two single clips draw 10 captions
      expect(f.say.length, f.id).toBeLessThanOrEqual(6);
      expect(RESERVED_PACKAGES).not.toContain(f.pkg);
    }
    for (const t of [...TEXTURES, ...GM_EFFECTS]) expect(t.say.length).toBeGreaterThanOrEqual(2);
    expect(new Set(all.map((f) => f.id)).size).toBe(all.length);
    // The full corpus adds ktuberling words, megaglest, OpenTTD and game sounds, a second soundfont
    // and more English sentences; small has none of them.
    const full = planCorpus('full', 0, lengths).recordings,
      small = planCorpus('small', 0, lengths).recordings;
    for (const pre of ['ktuberling/', 'megaglest/', 'gm-ms/', 'opensfx/', 'etr/', 'frozen-bubble/', 'minetest/', 'homedecor/', 'xdecor/']) {
      expect(
        full.some((r) => r.id.startsWith(pre)),
        pre,
      ).toBe(true);
      expect(
        small.some((r) => r.id.startsWith(pre)),
        pre,
      ).toBe(false);
    }
    expect(packagesFor('full')).toEqual([
      'timgm6mb-soundfont',
      'tuxpaint-stamps-default',
      'wesnoth-1.16-data',
      'ktuberling-data',
      'megaglest-data',
      'musescore-general-soundfont-small',
      'openttd-opensfx',
      'extremetuxracer-data',
      'frozen-bubble-data',
      'minetest-data',
      'minetest-mod-homedecor',
      'minetest-mod-xdecor',
    ]);
    expect(full.some((r) => /^speech\/[^/]+\/x\d+$/.test(r.id))).toBe(true);
    expect(small.some((r) => /^speech\/[^/]+\/x\d+$/.test(r.id))).toBe(false);
    for (const s of ['tiny', 'small', 'full'] as const) for (const p of packagesFor(s)) expect(RESERVED_PACKAGES).not.toContain(p);
  });

  it('stats count clips per split and category, durations, caption lengths and vocabulary', () => {
    const p = planCorpus('tiny', 0, lengths);
    const st = corpusStats('tiny', 0, p.clips, p.recordings);
    expect(Object.values(st.perSplit).reduce((a, b) => a + b, 0)).toBe(p.clips.length);
    expect(Object.values(st.perCategory).reduce((a, b) => a + b, 0)).toBe(p.clips.length);
    expect(st.vocabulary).toBeGreaterThan(50);
    expect(st.seconds.min).toBeGreaterThanOrEqual(5);
  });

  // 1,136 before OpenTTD's sounds, the game sounds and the extra sentences; 1,591 with them;
  // 2,022 with the second wave (Minetest's recordings and 132 more sentences, session 14).
  it("the full corpus widens the training language: at least 2,000 distinct words (issue 14's target)", () => {
    const p = planCorpus('full', 0, lengths);
    const train = vocabulary(p.clips.filter((c) => c.split === 'train').flatMap((c) => c.captions));
    expect(train.size).toBeGreaterThanOrEqual(2000);
  });

  // A wave added later must leave every earlier clip as it was, or a checkpoint trained on the
  // earlier corpus would meet its own training clips in the new test split. The digests are of
  // the plans as they stood before the second wave (session 13's corpus).
  it('a later wave leaves the earlier clips untouched: small and full wave 0 hash as before', () => {
    const digest = (clips: ClipPlan[]): string =>
      createHash('sha256')
        .update(clothoCsv(clips))
        .update(JSON.stringify(clips.map((c) => [c.split, c.recipe, c.tags])))
        .digest('hex')
        .slice(0, 16);
    expect(digest(planCorpus('small', 0, lengths).clips)).toBe('cde2a537c242e78c');
    const full = planCorpus('full', 0, lengths);
    expect(digest(full.clips.slice(0, 3983))).toBe('01dc83c33906aa99');
    // The second wave's clips come after, numbered on, and use only second-wave recordings.
    const first = new Set(full.clips.slice(0, 3983).flatMap((c) => c.sources));
    const later = full.clips.slice(3983);
    expect(later.length).toBeGreaterThan(200);
    expect(later[0]!.name).toBe('c03984.flac');
    for (const c of later) for (const s of c.sources) expect(first.has(s), `${c.name} reuses ${s}`).toBe(false);
    for (const split of ['train', 'val', 'test']) expect(later.some((c) => c.split === split)).toBe(true);
  });

  it('the second wave: sentences unlike every earlier one, Minetest files named once', () => {
    const earlier = new Set([...EXTRA_ENGLISH.map(([t]) => t), ...Object.keys(SENTENCE_TOPICS), ...Object.values(SENTENCES).flat()]);
    for (const [t, topics] of MORE_ENGLISH) {
      expect(earlier.has(t), t).toBe(false);
      expect(topics.length).toBeGreaterThanOrEqual(2);
    }
    expect(new Set(MORE_ENGLISH.map(([t]) => t)).size).toBe(MORE_ENGLISH.length);
    expect(new Set(MINETEST_SOURCES.map((f) => `${f.pkg}/${f.path}`)).size).toBe(MINETEST_SOURCES.length);
  });

  it("corpus/small's training captions use at least 1,000 distinct words (issue 14's target)", () => {
    const p = planCorpus('small', 0, lengths);
    const train = vocabulary(p.clips.filter((c) => c.split === 'train').flatMap((c) => c.captions));
    expect(train.size).toBeGreaterThanOrEqual(1000);
  });
});
