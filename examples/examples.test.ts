// Every example runs on the test corpus with a micro model, so none of them can rot.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTestCorpus } from '../runtime/data/test-corpus.ts';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const MICRO = fileURLToPath(new URL('../runtime/exec/fixtures/micro-flap.yaml', import.meta.url));
let dir: string, corpus: string, base: string, env: NodeJS.ProcessEnv;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flapc-examples-'));
  corpus = join(dir, 'corpus');
  await writeTestCorpus(corpus);
  base = join(dir, 'micro.yaml');
  writeFileSync(base, `extends: ${MICRO}\nname: micro-example\ntext:\n  vocab: 30522\n`);
  env = { ...process.env, FLAPC_CACHE_DIR: join(dir, 'cache') };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sh = (script: string, vars: Record<string, string>): { code: number | null; out: string; err: string } => {
  const r = spawnSync('bash', [join(HERE, script)], { encoding: 'utf8', cwd: dir, env: { ...env, ...vars }, timeout: 600_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

describe('examples/', () => {
  it('train-your-own.sh, then compare-checkpoints.sh, embed-and-search.sh and zero-shot.sh on its checkpoints', () => {
    const out = join(dir, 'runs', 'my-flap');
    const t = sh('train-your-own.sh', {
      TRAIN: join(corpus, 'clotho'),
      VAL: join(corpus, 'folder'),
      BASE: base,
      OUT: out,
      STEPS: '4',
      VAL_EVERY: '2',
      SAVE_EVERY: '2',
    });
    expect(t.code, t.err).toBe(0);
    expect(t.out).toMatch(/retrieval on .*folder: 2 clips/);
    expect(existsSync(join(out, 'report.html'))).toBe(true);
    const spec = `${out}.yaml`;
    const c = sh('compare-checkpoints.sh', {
      SPEC_A: spec,
      CKPT_A: join(out, 'best.safetensors'),
      CKPT_B: join(out, 'last.safetensors'),
      EVAL_DATA: join(corpus, 'folder'),
    });
    expect(c.code, c.err).toBe(0);
    expect(c.out).toMatch(/a2t r1\s+\d+\.\d\s+\d+\.\d/);
    const e = sh('embed-and-search.sh', {
      AUDIO: join(corpus, 'folder'),
      SPEC: spec,
      CKPT: join(out, 'best.safetensors'),
      INDEX: join(dir, 'sounds.lance'),
      QUERY: 'rain',
    });
    expect(e.code, e.err).toBe(0);
    expect(e.out).toMatch(/embedded 3 clips/);
    expect(e.out).toMatch(/"results"/);
    writeFileSync(join(corpus, 'folder', 'labels.csv'), 'file_name,label\nbell.wav,bell\nrain.wav,rain\n');
    const z = sh('zero-shot.sh', { LABELS: join(corpus, 'folder', 'labels.csv'), SPEC: spec, CKPT: join(out, 'best.safetensors') });
    expect(z.code, z.err).toBe(0);
    expect(z.out).toMatch(/zero-shot classification: accuracy \d+\.\d % on 2 clips, 2 labels/);
  });

  it('api.ts compiles a spec, trains three steps and embeds text', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(HERE, 'api.ts'), base], { encoding: 'utf8', env, timeout: 300_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/micro-example: \d+ parameters/);
    expect(r.stdout.match(/step \d: loss \d+\.\d+/g)?.length).toBe(3);
    expect(r.stdout).toMatch(/text embeddings: 8-d, cosine\(dog, rain\) = -?\d\.\d{3}/);
  });
});
