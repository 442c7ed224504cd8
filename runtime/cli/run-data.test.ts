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
beforeAll(async () => { dir = mkdtempSync(join(tmpdir(), 'flapc-rundata-')); await writeTestCorpus(join(dir, 'corpus')); });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const flapc = (args: string[]): { code: number | null; out: string; err: string } => {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, FLAPC_CACHE_DIR: join(dir, 'cache') }, timeout: 300_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

describe('flapc run --data', () => {
  it('trains from decoded clips, skips bad items and writes them to the report', () => {
    const spec = join(dir, 'micro-bert.yaml');
    writeFileSync(spec, `extends: ${MICRO}\nname: micro-bert\ntext:\n  vocab: 30522\n`);
    const r = flapc(['run', spec, '--data', join(dir, 'corpus', 'clotho'), '--data', join(dir, 'corpus', 'folder'), '--steps', '3', '--json']);
    expect(r.code, r.err).toBe(0);
    const s = JSON.parse(r.out) as { data: { clips: number; bad: number; report: string; epochs: number }; history: { loss: number }[] };
    expect(s.data.clips).toBe(9 + 2);
    // Clotho: 2 found while listing + 4 while decoding; folder: 1 caption-less file.
    expect(s.data.bad).toBe(7);
    const report = readFileSync(s.data.report, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { item: string; reason: string });
    expect(report.length).toBe(7);
    expect(report.map((b) => b.reason)).toContain('empty file');
    expect(s.history.every((h) => Number.isFinite(h.loss))).toBe(true);
  });

  it('refuses a spec whose vocabulary is smaller than the tokenizer', () => {
    const r = flapc(['run', MICRO, '--data', join(dir, 'corpus', 'folder'), '--steps', '1']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/text\.vocab \(300\) is smaller than the bert-base-uncased vocabulary \(30522\)/);
  });
});
