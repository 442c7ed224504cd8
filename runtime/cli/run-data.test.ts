// `flapc run --data`: a FLAP step trained from real decoded clips through the loader, on Dawn.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTestCorpus } from '../data/test-corpus.ts';

const BIN = fileURLToPath(new URL('../../bin/flapc.js', import.meta.url));
const MICRO = fileURLToPath(new URL('../exec/fixtures/micro-flap.yaml', import.meta.url));
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flapc-rundata-'));
  await writeTestCorpus(join(dir, 'corpus'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `--json` prints one JSON line per step, then {"summary": ...}; the old single object had both. */
const summary = <T>(out: string): T & { history: { loss: number }[] } => {
  const lines = out
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { ...(lines[lines.length - 1]!.summary as T), history: lines.filter((l) => 'loss' in l) as { loss: number }[] };
};
let runs = 0;
const outDir = (): string[] => ['--out', join(dir, `run${runs++}`)];

const flapc = (args: string[]): { code: number | null; out: string; err: string } => {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, FLAPC_CACHE_DIR: join(dir, 'cache') }, timeout: 300_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

describe('flapc run --data', () => {
  it('trains from decoded clips, skips bad items and writes them to the report', () => {
    const spec = join(dir, 'micro-bert.yaml');
    writeFileSync(spec, `extends: ${MICRO}\nname: micro-bert\ntext:\n  vocab: 30522\n`);
    const ckpt = join(dir, 'micro.safetensors');
    const r = flapc([
      'run',
      spec,
      '--data',
      join(dir, 'corpus', 'clotho'),
      '--data',
      join(dir, 'corpus', 'folder'),
      '--steps',
      '3',
      '--json',
      ...outDir(),
      '--save',
      ckpt,
      '--eval',
      join(dir, 'corpus', 'folder'),
      '--eval',
      join(dir, 'corpus', 'audiocaps'),
    ]);
    expect(r.code, r.err).toBe(0);
    const s = summary<{
      data: { clips: number; bad: number; report: string; epochs: number };
      evaluation: { metrics: { clips: number; captions: number; a2t: { r1: number; queries: number }; t2a: { r10: number; queries: number } }; bad: number };
    }>(r.out);
    expect(s.data.clips).toBe(9 + 2);
    // Clotho: 2 found while listing + 4 while decoding; folder: 1 caption-less file.
    expect(s.data.bad).toBe(7);
    const report = readFileSync(s.data.report, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { item: string; reason: string });
    expect(report.length).toBe(7);
    expect(report.map((b) => b.reason)).toContain('empty file');
    expect(s.history.every((h) => Number.isFinite(h.loss))).toBe(true);
    // Retrieval on 2 + 2 clips (folder: rain, bell; audiocaps: two clips, 4 captions), 1 missing item reported.
    expect(s.evaluation.metrics).toMatchObject({ clips: 4, captions: 7, a2t: { queries: 4 }, t2a: { queries: 7, r10: 1 } });
    expect(s.evaluation.bad).toBe(2);
    // Zero-shot tags from the checkpoint.
    writeFileSync(join(dir, 'labels.txt'), '# event labels\ndog_bark\nrain\nbell\nengine\n\nwhistle\n');
    const out = join(dir, 'tags.jsonl');
    const t = flapc([
      'data',
      'tag',
      join(dir, 'corpus', 'folder'),
      '--checkpoint',
      ckpt,
      '--spec',
      spec,
      '--labels',
      join(dir, 'labels.txt'),
      '--out',
      out,
      '--top',
      '2',
    ]);
    expect(t.code, t.err).toBe(0);
    const lines = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { file_name: string; tags: string[]; scores: number[] });
    expect(lines.map((l) => l.file_name)).toEqual(['bell.wav', 'rain.wav']);
    for (const l of lines) {
      expect(l.tags.length).toBe(2);
      for (const tag of l.tags) expect(['dog_bark', 'rain', 'bell', 'engine', 'whistle']).toContain(tag);
      expect(l.scores[0]!).toBeGreaterThanOrEqual(l.scores[1]!);
    }
    const again = flapc([
      'data',
      'tag',
      join(dir, 'corpus', 'folder'),
      '--checkpoint',
      ckpt,
      '--spec',
      spec,
      '--labels',
      join(dir, 'labels.txt'),
      '--out',
      `${out}2`,
      '--top',
      '2',
    ]);
    expect(again.code).toBe(0);
    expect(readFileSync(`${out}2`, 'utf8')).toBe(readFileSync(out, 'utf8'));
    // A checkpoint from another model is refused with the tensor it lacks.
    const other = join(dir, 'other.yaml');
    writeFileSync(other, `extends: ${MICRO}\nname: other\ntext:\n  vocab: 30522\nhyper:\n  width: 24\n`);
    const bad = flapc(['data', 'tag', join(dir, 'corpus', 'folder'), '--checkpoint', ckpt, '--spec', other, '--labels', join(dir, 'labels.txt'), '--out', out]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/flapc: error: .*micro\.safetensors does not fit other: changed shape: [\w.]+ is \[.*\] in the checkpoint, \[.*\] in the spec/);
  });

  it("takes its data from the spec's data.train and data.eval (paths relative to the spec)", () => {
    const spec = join(dir, 'with-data.yaml');
    writeFileSync(spec, `extends: ${MICRO}\nname: with-data\ntext:\n  vocab: 30522\ndata:\n  train: corpus/folder\n  eval: [corpus/folder]\n`);
    const r = flapc(['run', spec, '--steps', '1', '--json', ...outDir()]);
    expect(r.code, r.err).toBe(0);
    const s = summary<{ data: { clips: number }; evaluation: { metrics: { clips: number }; on: string } }>(r.out);
    expect(s.data.clips).toBe(2);
    expect(s.evaluation.metrics.clips).toBe(2);
    expect(s.evaluation.on).toBe(join(dir, 'corpus', 'folder'));
  });

  it('refuses a spec whose vocabulary is smaller than the tokenizer', () => {
    const r = flapc(['run', MICRO, '--data', join(dir, 'corpus', 'folder'), '--steps', '1', ...outDir()]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/text\.vocab \(300\) is smaller than the bert-base-uncased vocabulary \(30522\)/);
  });
});
