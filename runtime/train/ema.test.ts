// The weight average of train.ema_decay: its arithmetic (pure), and a run that uses it resumes
// to the same saved average bit for bit as an uninterrupted run, and saves other weights than
// the run's last ones.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTestCorpus } from '../data/test-corpus.ts';
import { WeightAverage } from './ema.ts';
import { loadCheckpoint } from './state.ts';
import { trainArgs } from './test-runs.ts';

describe('WeightAverage', () => {
  it('starts as the first weights, then decays by d to the power of the steps since the last update', () => {
    const a = new WeightAverage(0.5);
    a.update(10, new Map([['w', Float32Array.of(4, 8)]]));
    expect([...a.values!.get('w')!]).toEqual([4, 8]);
    a.update(12, new Map([['w', Float32Array.of(0, 0)]]));
    expect([...a.values!.get('w')!]).toEqual([1, 2]); // 0.5² of the old, 0.75 of zero
    a.update(12, new Map([['w', Float32Array.of(100, 100)]])); // the same step again: no change
    expect([...a.values!.get('w')!]).toEqual([1, 2]);
  });
});

const MICRO = fileURLToPath(new URL('../exec/fixtures/micro-flap.yaml', import.meta.url));
let dir: string, env: NodeJS.ProcessEnv;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flapc-ema-'));
  await writeTestCorpus(join(dir, 'corpus'));
  env = { ...process.env, FLAPC_CACHE_DIR: join(dir, 'cache') };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const args = (spec: string, out: string, extra: string[] = []): string[] =>
  trainArgs({ spec, data: join(dir, 'corpus', 'clotho'), steps: 80, saveEvery: 10 }, out, extra);

function train(spec: string, out: string, extra: string[] = []): void {
  const r = spawnSync(process.execPath, args(spec, out, extra), { env, encoding: 'utf8', timeout: 300_000 });
  expect(r.status, r.stderr).toBe(0);
}

/** A run killed (SIGKILL) once its metrics reach step 25, past the checkpoint of step 20. */
function killedAt25(spec: string, out: string): Promise<void> {
  const child = spawn(process.execPath, args(spec, out), { env, stdio: 'ignore' });
  return new Promise((resolve, reject) => {
    const t = setInterval(() => {
      const p = join(out, 'metrics.jsonl');
      if (existsSync(p) && readFileSync(p, 'utf8').split('\n').filter(Boolean).length >= 25) {
        clearInterval(t);
        child.kill('SIGKILL');
        child.on('exit', () => resolve());
      }
    }, 5);
    child.on('exit', (code) => {
      clearInterval(t);
      if (code !== null) reject(new Error(`training exited (${code}) before step 25`));
    });
  });
}

describe('flapc run train with train.ema_decay', () => {
  it('saves the average (not the last weights), and a run killed and resumed saves the same average bit for bit', async () => {
    const spec = join(dir, 'ema.yaml');
    writeFileSync(spec, `extends: ${MICRO}\nname: micro-ema\ntext:\n  vocab: 30522\ntrain:\n  ema_decay: 0.9\n`);
    const whole = join(dir, 'whole'),
      parts = join(dir, 'parts');
    train(spec, whole, ['--save', join(dir, 'whole.safetensors')]);
    await killedAt25(spec, parts);
    train(spec, parts, ['--resume', '--save', join(dir, 'parts.safetensors')]);
    const a = loadCheckpoint(join(dir, 'whole.safetensors')),
      b = loadCheckpoint(join(dir, 'parts.safetensors')),
      last = loadCheckpoint(join(whole, 'last.safetensors'));
    const name = [...a.tensors.keys()].find((n) => n.includes('patch_embed'))!;
    expect([...b.tensors.get(name)!.data]).toEqual([...a.tensors.get(name)!.data]);
    expect([...last.tensors.get(`ema.${name}`)!.data]).toEqual([...a.tensors.get(name)!.data]);
    expect([...last.tensors.get(name)!.data]).not.toEqual([...a.tensors.get(name)!.data]);
  }, 300_000);
});
