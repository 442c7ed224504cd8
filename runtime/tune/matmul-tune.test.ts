// The autotuner times every usable variant, verifies each against float64, caches the
// fastest per adapter, and ignores a cache it cannot trust.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { MATMUL_VARIANTS, usable } from '../../compiler/codegen/matmul.ts';
import { testGpu } from '../testing/harness.ts';
import { useTempCacheDir } from '../testing/temp-cache.ts';
import { candidate, loadTuning, smallCandidate, tuneMatmul } from './matmul-tune.ts';

describe('matmul autotuner', async () => {
  const gpu = await testGpu();
  const dir = useTempCacheDir('flapc-tune-');
  afterAll(() => {
    gpu.destroy();
  });

  it('times every usable variant, checks it, and caches the fastest per size class', async () => {
    const lines: string[] = [];
    const rec = await tuneMatmul(gpu, (l) => lines.push(l), { small: [3, 24, 8, 24], medium: [40, 12, 36], large: 40 });
    const names = Object.keys(MATMUL_VARIANTS).filter((n) => usable(n, gpu.caps));
    expect(rec.longRuns).toBe(false);
    for (const cls of ['small', 'medium', 'large'] as const) {
      const competing = names.filter((n) => candidate(cls, n, gpu.caps.cpu, false));
      expect(rec.timings[cls].map((t) => t.variant).sort()).toEqual([...competing].sort());
      for (const t of rec.timings[cls]) {
        expect(t.maxRelErr).toBeLessThan(1e-5);
        expect(t.ms).toBeGreaterThan(0);
      }
      const fastest = [...rec.timings[cls]].sort((a, b) => a.ms - b.ms)[0]!.variant;
      expect(rec.tuning[cls]).toBe(fastest);
    }
    expect(lines.some((l) => l.includes('->'))).toBe(true);
    expect(loadTuning(gpu)).toEqual(rec);
  }, 300_000);

  it('`flapc tune --if-missing` keeps the valid cached choice instead of re-tuning', () => {
    const bin = fileURLToPath(new URL('../../bin/flapc.js', import.meta.url));
    const r = spawnSync(process.execPath, [bin, 'tune', '--if-missing', '--json'], { encoding: 'utf8', env: { ...process.env, FLAPC_CACHE_DIR: dir } });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/tuning matmul/);
    expect((JSON.parse(r.stdout) as { tuning: unknown }).tuning).toEqual(loadTuning(gpu)!.tuning);
  }, 60_000);

  it('small matmuls only consider tiles that compile quickly', () => {
    expect(smallCandidate('regtile4x4')).toBe(true);
    expect(smallCandidate('regtile8x4')).toBe(true);
    expect(smallCandidate('subgroup8x4t')).toBe(true);
    expect(smallCandidate('subgroup16x4t')).toBe(false);
    expect(smallCandidate('subgroup16x8')).toBe(false);
    expect(smallCandidate('subgroup32x8t')).toBe(false);
    expect(smallCandidate('no-such-variant')).toBe(false);
  });

  it('medium matmuls on a CPU adapter consider slow-compiling tiles only with --long-runs; other adapters always', () => {
    expect(candidate('medium', 'subgroup32x8t', true, false)).toBe(false);
    expect(candidate('medium', 'regtile8x4', true, false)).toBe(true);
    expect(candidate('medium', 'subgroup8x4tr', true, false)).toBe(true);
    expect(candidate('medium', 'subgroup16x4t', true, false)).toBe(false);
    expect(candidate('medium', 'subgroup32x8t', true, true)).toBe(true);
    expect(candidate('medium', 'subgroup32x8t', false, false)).toBe(true);
    expect(candidate('small', 'subgroup32x8t', false, true)).toBe(false);
    expect(candidate('large', 'subgroup32x8t', true, false)).toBe(true);
  });

  it('ignores a corrupt or stale cache', () => {
    const [file] = readdirSync(dir).filter((f) => f.startsWith('matmul-tuning-'));
    const path = join(dir, file!);
    const rec = JSON.parse(readFileSync(path, 'utf8')) as { version: number; tuning: { large: string } };
    writeFileSync(path, JSON.stringify({ ...rec, tuning: { ...rec.tuning, large: 'no-such-variant' } }));
    expect(loadTuning(gpu)).toBeUndefined();
    writeFileSync(path, JSON.stringify({ ...rec, version: -1 }));
    expect(loadTuning(gpu)).toBeUndefined();
    writeFileSync(path, '{ not json');
    expect(loadTuning(gpu)).toBeUndefined();
  });
});
