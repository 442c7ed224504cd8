// A harder test of generalisation than the corpus's own splits (which keep each recording in one
// split, but let other recordings of the same instrument, voice or package into training): hold out
// whole source families. A family is a Debian package's recordings ("tuxpaint/...") or a render
// family ("gm/harmonica/3" -> "gm/harmonica", "speech/en-us/1" -> "speech/en-us"). Families are
// taken in a seeded order until the held-out clips reach the wanted share; a family that alone
// holds more than twice that share (a whole large package) stays in training.
//   family_test.jsonl   clips of any split whose every source is held out
//   family_train.jsonl  training-split clips with no held-out source (augmented captions kept)
//   family_val.jsonl    validation-split clips with no held-out source
// Clips that mix a held-out and a seen source are left out of all three.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { UserError } from '../errors.ts';
import { type Clip, openDataset } from '../data/manifest.ts';
import { hashString } from './plan.ts';

export const familyOf = (source: string): string => {
  const parts = source.split('/');
  return parts.length <= 2 ? parts[0]! : parts.slice(0, -1).join('/');
};

interface Tagged {
  file_name: string;
  split: string;
  sources: string[];
}

/** The held-out families: seeded order, until their clips reach `share` of all clips. */
export function holdOutFamilies(clips: { sources: string[] }[], share: number, seed: number): Set<string> {
  const count = new Map<string, number>();
  for (const c of clips) for (const f of new Set(c.sources.map(familyOf))) count.set(f, (count.get(f) ?? 0) + 1);
  const order = [...count.keys()].sort((a, b) => hashString(`${seed}/${a}`) - hashString(`${seed}/${b}`) || (a < b ? -1 : 1));
  const out = new Set<string>();
  const heldClips = (): number => clips.filter((c) => c.sources.every((s) => out.has(familyOf(s)))).length;
  for (const f of order) {
    if (heldClips() >= share * clips.length) break;
    if (count.get(f)! > 2 * share * clips.length) continue;
    out.add(f);
  }
  return out;
}

export interface FamilySplit {
  families: string[];
  train: number;
  val: number;
  test: number;
  dropped: number;
  files: string[];
}

export function writeFamilySplit(corpus: string, share: number, seed: number): FamilySplit {
  const tagsPath = join(corpus, 'tags.jsonl');
  if (!existsSync(tagsPath)) throw new UserError(`${corpus} has no tags.jsonl: build the corpus with flapc data build --out ${corpus}`);
  const tagged = readFileSync(tagsPath, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Tagged);
  const held = holdOutFamilies(tagged, share, seed);
  const bySplit = (split: string): Map<string, Clip> => {
    const aug = join(corpus, `${split}-augmented.jsonl`);
    const ds = openDataset([existsSync(aug) ? aug : join(corpus, `clotho_captions_${split}.csv`)]);
    return new Map(ds.clips.map((c) => [c.id.replace(/^.*\//, ''), c]));
  };
  const clips = { train: bySplit('train'), val: bySplit('val'), test: bySplit('test') } as Record<string, Map<string, Clip>>;
  const out: Record<'train' | 'val' | 'test', string[]> = { train: [], val: [], test: [] };
  let dropped = 0;
  for (const t of tagged) {
    const c = clips[t.split]?.get(t.file_name);
    if (c?.source.kind !== 'file') continue;
    const isHeld = t.sources.map((s) => held.has(familyOf(s)));
    const row = JSON.stringify({
      audio: relative(corpus, c.source.path),
      id: t.file_name,
      captions: c.captions,
      ...(c.augmented && { augmented: c.augmented }),
    });
    if (isHeld.every(Boolean)) out.test.push(row);
    else if (isHeld.some(Boolean)) dropped++;
    else if (t.split === 'train') out.train.push(row);
    else if (t.split === 'val') out.val.push(row);
  }
  const files = (['train', 'val', 'test'] as const).map((s) => {
    const path = join(corpus, `family_${s}.jsonl`);
    writeFileSync(`${path}.tmp`, `${out[s].join('\n')}\n`);
    renameSync(`${path}.tmp`, path);
    return path;
  });
  return { families: [...held].sort(), train: out.train.length, val: out.val.length, test: out.test.length, dropped, files };
}
