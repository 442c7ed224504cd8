// Trainer behaviour a user relies on: a non-finite loss stops the run at once and names the
// kernel and spec line; --init starts from a checkpoint's weights (refusing tensors that do not
// fit unless --init-partial); the terminal gets a live line and a pipe gets plain lines.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTestCorpus } from '../data/test-corpus.ts';
import { createProgress, formatDuration } from './progress.ts';
import { loadCheckpoint } from './state.ts';

const BIN = fileURLToPath(new URL('../../bin/flapc.js', import.meta.url));
const MICRO = fileURLToPath(new URL('../exec/fixtures/micro-flap.yaml', import.meta.url));
let dir: string, env: NodeJS.ProcessEnv, spec: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flapc-trainer-'));
  await writeTestCorpus(join(dir, 'corpus'));
  env = { ...process.env, FLAPC_CACHE_DIR: join(dir, 'cache') };
  spec = join(dir, 'micro.yaml');
  writeFileSync(spec, `extends: ${MICRO}\nname: micro-trainer\ntext:\n  vocab: 30522\n`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const flapc = (args: string[]): { code: number | null; out: string; err: string } => {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env, timeout: 300_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const data = (): string[] => ['--data', join(dir, 'corpus', 'clotho')];

describe('non-finite loss', () => {
  it('stops at the step, naming the first non-finite kernel and the spec line that made it', () => {
    const nan = join(dir, 'nan.yaml');
    // Line 14, column 21: mean(log(a - 1000)) is the log of a negative number.
    writeFileSync(
      nan,
      `extends: micro.yaml
name: micro-nan
model:
  entry: nanny
  source: |
    fn nanny(mel: [train.batch, audio.frames, audio.mel_bins], tokens: [train.batch, text.max_tokens] i32) {
      let key_mask = cast(tokens != 0, "f32")
      let t = embed_tokens(tokens, text.vocab, hp.width) as token_embed
      let text_emb = l2_normalize(linear(mean_pool(t, key_mask), hp.embed) as text_proj)
      let a = mean_pool(linear(mel, hp.width) as mel_proj)
      let audio_emb = l2_normalize(linear(a, hp.embed) as audio_proj)
      param logit_scale: [] = init.constant(hp.logit_scale_init)
      loss contrastive = info_nce(audio_emb, text_emb, logit_scale)
      loss broken = mean(log(a - 1000.0))
      output audio_emb = audio_emb
      output text_emb = text_emb
    }
`,
    );
    const out = join(dir, 'run-nan');
    const r = flapc(['run', 'train', nan, ...data(), '--steps', '4', '--save-every', '1', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      /flapc: error: step 1: the loss is NaN; the first non-finite value comes from kernel #\d+ \(\w+\), made by .*nan\.yaml:14:21\. Training stopped; no checkpoint was written yet\./,
    );
    expect(existsSync(join(out, 'last.safetensors'))).toBe(false);
  });
});

describe('--init (fine-tuning)', () => {
  it('starts from weights with a fresh optimizer; refuses tensors that do not fit unless --init-partial', () => {
    const base = join(dir, 'base');
    expect(flapc(['run', 'train', spec, ...data(), '--steps', '3', '--out', base]).code).toBe(0);
    const ft = join(dir, 'ft');
    const r = flapc(['run', 'train', spec, ...data(), '--steps', '2', '--out', ft, '--init', join(base, 'last.safetensors'), '--json']);
    expect(r.code, r.err).toBe(0);
    const ck = loadCheckpoint(join(ft, 'last.safetensors'));
    expect(ck.meta.step).toBe(2);
    expect(ck.meta.totalSteps).toBe(2);
    const wider = join(dir, 'wider.yaml');
    writeFileSync(wider, `extends: ${spec}\nname: wider\nhyper:\n  embed: 12\n`);
    const refused = flapc(['run', 'train', wider, ...data(), '--steps', '1', '--out', join(dir, 'w1'), '--init', join(base, 'last.safetensors')]);
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/--init .* does not fit wider: changed shape: .*audio_proj.* Pass --init-partial/);
    const partial = flapc([
      'run',
      'train',
      wider,
      ...data(),
      '--steps',
      '1',
      '--out',
      join(dir, 'w2'),
      '--init',
      join(base, 'last.safetensors'),
      '--init-partial',
    ]);
    expect(partial.code, partial.err).toBe(0);
    expect(partial.err).toMatch(/init: changed shape: .*; these start from the spec's initialisers/);
  });
});

describe('progress', () => {
  const sink = (): { s: Writable; text: () => string } => {
    let t = '';
    return {
      s: new Writable({
        write(c, _e, cb) {
          t += String(c);
          cb();
        },
      }),
      text: () => t,
    };
  };
  it('a pipe gets plain lines (every Nth update and the last), never escape codes', () => {
    const { s, text } = sink();
    const p = createProgress({ stream: s, terminal: false, pipeEvery: 5 });
    for (let i = 1; i <= 12; i++) p.update(`step ${i}/12`);
    p.log('validation: ok');
    p.done();
    expect(text()).toBe('step 1/12\nstep 6/12\nstep 11/12\nvalidation: ok\nstep 12/12\n');
  });
  it('a terminal gets one line redrawn in place', () => {
    const { s, text } = sink();
    const p = createProgress({ stream: s, terminal: true });
    p.update('step 1/2');
    p.done();
    expect(text()).toMatch(/^\x1b\[1G.*step 1\/2.*\x1b\[0K\n$/s);
    expect(text().split('\n').length).toBe(2);
  });
  it('formats ETAs', () => {
    expect([formatDuration(42_000), formatDuration(185_000), formatDuration(3_720_000)]).toEqual(['42s', '3m 05s', '1h 02m']);
  });
});
