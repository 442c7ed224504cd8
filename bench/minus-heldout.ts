// A training manifest of one corpus without every clip that shares a source recording with
// another corpus's validation or test clips, so that a model trained on the bigger corpus can be
// scored on the smaller one's held-out split without having heard its sources (flapc's corpora
// split by source; bench/studies/recipe8.json).
// Run: node --import tsx bench/minus-heldout.ts <train.jsonl> <its tags.jsonl> <held-out tags.jsonl> <out.jsonl>
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';

const [train, trainTags, heldTags, out] = process.argv.slice(2);
if (!train || !trainTags || !heldTags || !out)
  throw new Error('usage: node --import tsx bench/minus-heldout.ts <train.jsonl> <its tags.jsonl> <held-out tags.jsonl> <out.jsonl>');

interface TagRow {
  file_name: string;
  split: string;
  sources: string[];
}
const rows = (file: string): string[] => readFileSync(file, 'utf8').split('\n').filter(Boolean);
const tags = (file: string): TagRow[] => rows(file).map((l) => JSON.parse(l) as TagRow);

const held = new Set(
  tags(heldTags)
    .filter((r) => r.split === 'val' || r.split === 'test')
    .flatMap((r) => r.sources),
);
const sourcesOf = new Map(tags(trainTags).map((r) => [r.file_name, r.sources]));
const kept: string[] = [];
let dropped = 0;
for (const line of rows(train)) {
  const id = basename((JSON.parse(line) as { id: string }).id);
  const sources = sourcesOf.get(id);
  if (!sources) throw new Error(`${train}: ${id} is not in ${trainTags}`);
  if (sources.some((s) => held.has(s))) dropped++;
  else kept.push(line);
}
writeFileSync(`${out}.tmp`, `${kept.join('\n')}\n`);
renameSync(`${out}.tmp`, out);
console.log(`${out}: ${kept.length} clips kept, ${dropped} dropped (they share one of ${held.size} held-out source recordings)`);
