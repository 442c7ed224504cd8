import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTestCorpus } from '../data/test-corpus.ts';
import { DEFAULT_SPEC, checkData } from '../data/check.ts';

const BIN = fileURLToPath(new URL('../../bin/flapc.js', import.meta.url));
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flapc-datacmd-'));
  await writeTestCorpus(dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const flapc = (args: string[]): { code: number | null; out: string; err: string } => {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd: tmpdir(), env: { ...process.env, FLAPC_CACHE_DIR: join(dir, 'cache') } });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

describe('flapc data check', () => {
  it('counts usable clips, durations and captions, and lists every bad item', async () => {
    const r = await checkData([join(dir, 'clotho'), join(dir, 'audiocaps'), join(dir, 'folder')], { spec: DEFAULT_SPEC, workers: 2, cacheDir: null });
    expect(r.usable).toBe(5 + 2 + 2);
    expect(r.captions).toBe(25 + 4 + 3);
    expect(r.bad.map((b) => b.reason).sort()).toEqual([
      'empty file',
      'missing file',
      'missing file',
      'no caption',
      'no caption',
      'not a WAV, FLAC, Ogg Vorbis or MP3 file (unrecognised header)',
      'too short: 10.0 ms of audio, one 25 ms window needed',
      'truncated WAV: data chunk declares 32000 bytes, file holds 4956',
    ]);
    expect(r.seconds.min).toBeCloseTo(0.5, 5); // folder/bell.wav
    expect(r.seconds.max).toBeCloseTo(1.5, 5); // folder/rain.wav
    expect(r.frames).toEqual({ model: 512, padded: 9, cropped: 0 });
    expect(r.skipped.length).toBe(1);
    expect(r.mel.std).toBeGreaterThan(0);
  });

  it('CLI: exit 1 with a JSONL report when items are bad, 0 when all are good, 2 for a malformed manifest', () => {
    const report = join(dir, 'bad.jsonl');
    const a = flapc(['data', 'check', join(dir, 'jsonl', 'train.jsonl'), '--report', report]);
    expect(a.code).toBe(1);
    expect(a.out).toMatch(/^2 usable clips with 3 captions; 1 bad of 3 listed/);
    expect(
      readFileSync(report, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).reason),
    ).toEqual(['missing file']);
    const b = flapc(['data', 'check', join(dir, 'folder', 'rain.wav'), '--json']);
    expect(b.code).toBe(2);
    expect(b.err).toMatch(/unknown manifest type/);
    const good = join(dir, 'good.jsonl');
    writeFileSync(good, `${JSON.stringify({ audio: join(dir, 'folder', 'rain.wav'), caption: 'rain' })}\n`);
    const c = flapc(['data', 'check', good, '--json']);
    expect(c.code).toBe(0);
    expect(JSON.parse(c.out).usable).toBe(1);
    const bad = join(dir, 'broken.jsonl');
    writeFileSync(bad, '{"audio": "a.wav"}\n[1, 2]\n');
    const d = flapc(['data', 'check', bad]);
    expect(d.code).toBe(2);
    expect(d.err.trim()).toBe(`flapc: error: ${bad}:2: each line must be a JSON object`);
    expect(d.err).not.toMatch(/\n\s+at /);
  });
});
