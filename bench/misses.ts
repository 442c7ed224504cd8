// Where a checkpoint's text->audio misses go on a corpus split: for each caption whose top-1 clip
// is wrong, is that clip the other render of the same source recordings (a "sibling": the
// catalog renders most sources twice, e.g. near and far), another source of the same category,
// or another category? Separates "cannot tell near from far" from "does not know the sound".
// Run: node --import tsx bench/misses.ts <spec> <checkpoint> <manifest> [tags.jsonl]
//   (tags default: tags.jsonl beside the manifest, as `flapc data build` writes it)
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { openDataset } from '../runtime/data/manifest.ts';
import { evaluateCheckpoint } from '../runtime/eval/checkpoint-eval.ts';
import { similarity } from '../runtime/eval/retrieval.ts';
import { acquireGpu } from '../runtime/gpu/device.ts';
import { loadModel } from '../runtime/model/model.ts';
import { loadCheckpoint } from '../runtime/train/state.ts';

const [spec, checkpoint, manifest, tagsArg] = process.argv.slice(2);
if (!spec || !checkpoint || !manifest) throw new Error('usage: node --import tsx bench/misses.ts <spec> <checkpoint> <manifest> [tags.jsonl]');
const tags = new Map<string, { sources: string; category: string }>();
for (const line of readFileSync(tagsArg ?? join(dirname(manifest), 'tags.jsonl'), 'utf8')
  .split('\n')
  .filter(Boolean)) {
  const r = JSON.parse(line) as { file_name: string; sources: string[]; category: string };
  tags.set(r.file_name, { sources: [...r.sources].sort().join('+'), category: r.category });
}

const gpu = await acquireGpu();
const model = loadModel(gpu, spec);
const run = await evaluateCheckpoint(gpu, model, loadCheckpoint(checkpoint), {
  ds: openDataset([manifest]),
  prompt: 'the sound of {label}',
  workers: 2,
  log: () => {},
});
const ev = run.evaluation!;
const info = ev.clips.map((c) => {
  const t = tags.get(basename(c.id));
  if (!t) throw new Error(`${c.id}: not in the tags file`);
  return t;
});
const nc = info.length;
const nq = ev.captionClip.length;
const sim = similarity(ev.text, nq, ev.audio, nc, ev.dim);
const n = { hit: 0, sibling: 0, sameCategory: 0, otherCategory: 0, withSibling: 0 };
for (let q = 0; q < nq; q++) {
  let best = 0;
  for (let c = 1; c < nc; c++) if (sim[q * nc + c]! > sim[q * nc + best]!) best = c;
  const want = info[ev.captionClip[q]!]!;
  if (info.some((t, c) => c !== ev.captionClip[q] && t.sources === want.sources)) n.withSibling++;
  const got = info[best]!;
  if (best === ev.captionClip[q]) n.hit++;
  else if (got.sources === want.sources) n.sibling++;
  else if (got.category === want.category) n.sameCategory++;
  else n.otherCategory++;
}
const pct = (k: number): string => `${((100 * k) / nq).toFixed(1)} %`;
console.log(`${nq} captions of ${nc} clips (${n.withSibling} captions of a clip whose sibling render is also here)`);
console.log(`top-1 right: ${n.hit} (${pct(n.hit)})`);
console.log(`top-1 the sibling render: ${n.sibling} (${pct(n.sibling)})`);
console.log(`top-1 another source, same category: ${n.sameCategory} (${pct(n.sameCategory)})`);
console.log(`top-1 another category: ${n.otherCategory} (${pct(n.otherCategory)})`);
process.exit(0);
