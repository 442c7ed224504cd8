// Exact resume: a training process killed (SIGKILL) between checkpoints, then resumed, gives the
// same loss sequence bit for bit as an uninterrupted run on the same adapter; Ctrl-C (SIGINT)
// writes a checkpoint and exits 130; a resume with another spec is refused.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTestCorpus } from '../data/test-corpus.ts';
import { loadCheckpoint } from './state.ts';
import { FLAPC_BIN, metricsRows, trainArgs } from './test-runs.ts';

const BIN = FLAPC_BIN;
const MICRO = fileURLToPath(new URL('../exec/fixtures/micro-flap.yaml', import.meta.url));
let dir: string, spec: string, env: NodeJS.ProcessEnv;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flapc-resume-'));
  await writeTestCorpus(join(dir, 'corpus'));
  spec = join(dir, 'micro.yaml');
  writeFileSync(spec, `extends: ${MICRO}\nname: micro-resume\ntext:\n  vocab: 30522\n`);
  env = { ...process.env, FLAPC_CACHE_DIR: join(dir, 'cache') };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const STEPS = 40,
  EVERY = 10;
const args = (out: string, extra: string[] = []): string[] =>
  trainArgs({ spec, data: join(dir, 'corpus', 'clotho'), steps: STEPS, saveEvery: EVERY }, out, extra);
const rows = metricsRows;

/** Start a training process in its own process group; resolve once metrics.jsonl reaches `step`. */
function startUntil(out: string, step: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, args(out), { env, detached: true, stdio: 'ignore' });
  return new Promise((resolve, reject) => {
    const t = setInterval(() => {
      const p = join(out, 'metrics.jsonl');
      if (existsSync(p) && readFileSync(p, 'utf8').split('\n').filter(Boolean).length >= step) {
        clearInterval(t);
        resolve(child);
      }
    }, 5);
    child.on('exit', (code) => {
      clearInterval(t);
      reject(new Error(`training exited (${code}) before step ${step}`));
    });
  });
}
const exited = (c: ChildProcess): Promise<number | null> =>
  new Promise((r) => {
    if (c.exitCode !== null || c.signalCode) r(c.exitCode);
    else c.on('exit', (code) => r(code));
  });

describe('flapc run train: exact resume', () => {
  it('after SIGKILL between checkpoints, --resume reproduces the uninterrupted losses bit for bit', async () => {
    const whole = join(dir, 'whole'),
      killed = join(dir, 'killed');
    const r = spawnSync(process.execPath, args(whole), { env, encoding: 'utf8', timeout: 300_000 });
    expect(r.status, r.stderr).toBe(0);
    const reference = rows(whole);
    expect(reference.map((x) => x.step)).toEqual(Array.from({ length: STEPS }, (_, i) => i + 1));

    const child = await startUntil(killed, EVERY + 3);
    process.kill(-child.pid!, 'SIGKILL');
    await exited(child);
    const ck = loadCheckpoint(join(killed, 'last.safetensors'));
    // Killed between checkpoints: the checkpoint is behind the rows already written.
    expect(ck.meta.kind).toBe('train-state');
    expect(ck.meta.step % EVERY).toBe(0);
    expect(ck.meta.step).toBeLessThan(STEPS);
    expect(rows(killed).length).toBeGreaterThan(ck.meta.step);

    const again = spawnSync(process.execPath, args(killed, ['--resume']), { env, encoding: 'utf8', timeout: 300_000 });
    expect(again.status, again.stderr).toBe(0);
    const resumed = rows(killed);
    expect(resumed.map((x) => x.step)).toEqual(reference.map((x) => x.step));
    for (const key of ['loss', 'loss.contrastive', 'loss.reconstruction', 'grad_norm']) {
      expect(resumed.map((x) => x[key])).toEqual(reference.map((x) => x[key]));
    }
    // The final weights agree too.
    const a = loadCheckpoint(join(whole, 'last.safetensors')),
      b = loadCheckpoint(join(killed, 'last.safetensors'));
    for (const [name, t] of a.tensors) expect(Buffer.from(b.tensors.get(name)!.data.buffer).equals(Buffer.from(t.data.buffer)), name).toBe(true);
  });

  it('Ctrl-C (SIGINT) writes a checkpoint at the current step and exits 130', async () => {
    const out = join(dir, 'interrupted');
    const child = await startUntil(out, 3);
    process.kill(child.pid!, 'SIGINT');
    expect(await exited(child)).toBe(130);
    const ck = loadCheckpoint(join(out, 'last.safetensors'));
    expect(ck.meta.step).toBe(rows(out).length);
    expect(ck.meta.step).toBeGreaterThanOrEqual(3);
    // Resuming without --data goes on with the data the run was started with (run.json).
    const r = spawnSync(process.execPath, [BIN, 'run', 'train', spec, '--out', out, '--resume', '--json'], { env, encoding: 'utf8', timeout: 300_000 });
    expect(r.status, r.stderr).toBe(0);
    const summary = (JSON.parse(r.stdout.trim().split('\n').pop()!) as { summary: { steps: number; data: { clips: number } } }).summary;
    expect(summary.steps).toBe(STEPS);
    expect(summary.data.clips).toBe(9);
  });

  it('refuses to resume with another spec, to resume nothing, and to overwrite a run by accident', () => {
    const other = join(dir, 'other.yaml');
    writeFileSync(other, `extends: ${MICRO}\nname: other\ntext:\n  vocab: 30522\nhyper:\n  width: 24\n`);
    const run = (a: string[]): { code: number | null; err: string } => {
      const r = spawnSync(process.execPath, a, { env, encoding: 'utf8', timeout: 300_000 });
      return { code: r.status, err: r.stderr };
    };
    const wrong = run([BIN, 'run', 'train', other, '--data', join(dir, 'corpus', 'clotho'), '--out', join(dir, 'whole'), '--resume']);
    expect(wrong.code).toBe(2);
    expect(wrong.err).toMatch(/flapc: error: .*last\.safetensors was trained from another spec/);
    const none = run([...args(join(dir, 'empty')), '--resume']);
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/nothing to resume: .*last\.safetensors does not exist/);
    const again = run(args(join(dir, 'whole')));
    expect(again.code).toBe(2);
    expect(again.err).toMatch(/already holds a run .*--resume.*--overwrite/);
    expect(again.err).not.toMatch(/\n\s+at /); // no stack trace
  });
});
