// train.unmasked_steps (FLIP's unmasked tuning): the last N steps run the unmasked plan. The
// decoder, absent from that plan, keeps its weights and moments; the schedule restarts; a run
// killed inside the unmasked phase resumes to the uninterrupted run's losses bit for bit.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTestCorpus } from '../data/test-corpus.ts';
import { scheduledRate } from './schedule.ts';
import { loadCheckpoint } from './state.ts';
import { metricsRows, trainArgs } from './test-runs.ts';

const MICRO = fileURLToPath(new URL('../exec/fixtures/micro-flap.yaml', import.meta.url));
const STEPS = 20,
  UNMASKED = 8;
let dir: string, spec: string, env: NodeJS.ProcessEnv;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flapc-unmasked-'));
  await writeTestCorpus(join(dir, 'corpus'));
  spec = join(dir, 'micro.yaml');
  writeFileSync(spec, `extends: ${MICRO}\nname: micro-unmasked\ntext:\n  vocab: 30522\ntrain:\n  unmasked_steps: ${UNMASKED}\n  warmup: 2\n`);
  env = { ...process.env, FLAPC_CACHE_DIR: join(dir, 'cache') };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const args = (out: string, extra: string[] = []): string[] => trainArgs({ spec, data: join(dir, 'corpus', 'clotho'), steps: STEPS, saveEvery: 5 }, out, extra);
const rows = metricsRows;

describe('train.unmasked_steps', () => {
  it('schedules two phases: the masked steps decay to zero, the unmasked ones warm up again from lr / 4', () => {
    const t = { lr: 0.01, warmup: 2, unmasked_steps: 8, unmasked_lr: 0 };
    expect(scheduledRate(12, 20, t)).toBeCloseTo(0, 12); // the masked phase ends at zero
    expect(scheduledRate(13, 20, t)).toBeCloseTo(0.01 / 4, 12); // warm-up of ceil(8/10) = 1 step
    expect(scheduledRate(20, 20, t)).toBeCloseTo(0, 12);
    expect(scheduledRate(13, 20, { ...t, unmasked_lr: 0.003 })).toBeCloseTo(0.003, 12);
    expect(scheduledRate(5, 20, { ...t, unmasked_steps: 0 })).toBeCloseTo(0.01 * 0.5 * (1 + Math.cos((Math.PI * 3) / 18)), 12);
  });

  it('switches plans for the last steps, leaves the decoder as it was, and resumes inside the phase exactly', async () => {
    const whole = join(dir, 'whole');
    const r = spawnSync(process.execPath, args(whole), { env, encoding: 'utf8', timeout: 300_000 });
    expect(r.status, r.stderr).toBe(0);
    const ref = rows(whole);
    expect(ref.map((x) => x.step)).toEqual(Array.from({ length: STEPS }, (_, i) => i + 1));
    // Masked steps report the reconstruction term, unmasked ones only the contrastive one.
    expect(ref.filter((x) => 'loss.reconstruction' in x).map((x) => x.step)).toEqual(Array.from({ length: STEPS - UNMASKED }, (_, i) => i + 1));
    expect(ref[STEPS - UNMASKED]!.lr).toBeCloseTo(scheduledRate(13, STEPS, { lr: 0.001, warmup: 2, unmasked_steps: UNMASKED, unmasked_lr: 0 }), 9);

    // A checkpoint from the masked phase (step 10) and the final one: the decoder and its moments
    // did not move in the unmasked steps; the encoder did.
    const killed = join(dir, 'killed');
    const child = spawn(process.execPath, args(killed), { env, detached: true, stdio: 'ignore' });
    await new Promise<void>((resolve, reject) => {
      const t = setInterval(() => {
        const p = join(killed, 'metrics.jsonl');
        if (existsSync(p) && readFileSync(p, 'utf8').split('\n').filter(Boolean).length >= 17) {
          clearInterval(t);
          process.kill(-child.pid!, 'SIGKILL');
          resolve();
        }
      }, 5);
      child.on('exit', (code) => code !== null && reject(new Error(`training exited (${code}) early`)));
    });
    await new Promise((r2) => (child.exitCode !== null || child.signalCode ? r2(0) : child.on('exit', r2)));
    const mid = loadCheckpoint(join(killed, 'last.safetensors'));
    expect(mid.meta.step).toBe(15); // inside the unmasked phase (steps 13..20)
    const end = loadCheckpoint(join(whole, 'last.safetensors'));
    const same = (n: string): boolean => Buffer.from(mid.tensors.get(n)!.data.buffer).equals(Buffer.from(end.tensors.get(n)!.data.buffer));
    const names = [...end.tensors.keys()];
    const decoder = names.filter((n) => /decoder|mask_token/.test(n));
    expect(decoder.length).toBeGreaterThan(4);
    for (const n of decoder) expect(same(n), n).toBe(true);
    for (const n of names.filter((x) => x.startsWith('audio_encoder') || x.startsWith('opt.m.audio_encoder'))) expect(same(n), n).toBe(false);

    const again = spawnSync(process.execPath, args(killed, ['--resume']), { env, encoding: 'utf8', timeout: 300_000 });
    expect(again.status, again.stderr).toBe(0);
    const resumed = rows(killed);
    for (const key of ['loss', 'loss.contrastive', 'grad_norm', 'lr']) expect(resumed.map((x) => x[key])).toEqual(ref.map((x) => x[key]));
    const b = loadCheckpoint(join(killed, 'last.safetensors'));
    for (const [name, t] of end.tensors) expect(Buffer.from(b.tensors.get(name)!.data.buffer).equals(Buffer.from(t.data.buffer)), name).toBe(true);
  });

  it('refuses a run no longer than its unmasked steps', () => {
    const r = spawnSync(process.execPath, [...args(join(dir, 'short')).slice(0, 6), '--steps', '8', '--out', join(dir, 'short')], {
      env,
      encoding: 'utf8',
      timeout: 300_000,
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/train\.unmasked_steps \(8\) must be fewer than the run's 8 steps/);
  });
});
