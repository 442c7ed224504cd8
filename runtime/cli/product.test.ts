// The product loop end to end on the test corpus, as a user runs it: train (with validation)
// -> eval (retrieval JSON, zero-shot) -> embed (one process, then 3 shard processes) -> search
// -> report; plus the refusals a user meets (wrong spec, another model's index, missing index,
// unwritable output) and --help without a GPU.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTestCorpus } from '../data/test-corpus.ts';
import { VectorIndex } from '../index/store.ts';

const BIN = fileURLToPath(new URL('../../bin/flapc.js', import.meta.url));
const MICRO = fileURLToPath(new URL('../exec/fixtures/micro-flap.yaml', import.meta.url));
let dir: string, spec: string, env: NodeJS.ProcessEnv, run: string, corpus: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flapc-product-'));
  corpus = join(dir, 'corpus');
  await writeTestCorpus(corpus);
  spec = join(dir, 'micro.yaml');
  writeFileSync(spec, `extends: ${MICRO}\nname: micro-product\ntext:\n  vocab: 30522\n`);
  env = { ...process.env, FLAPC_CACHE_DIR: join(dir, 'cache') };
  run = join(dir, 'run');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const flapc = (args: string[], extraEnv: NodeJS.ProcessEnv = {}): { code: number | null; out: string; err: string } => {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...env, ...extraEnv }, timeout: 300_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const flapcAsync = (args: string[]): Promise<{ code: number | null; err: string }> =>
  new Promise((resolve) => {
    const c = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    c.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    c.on('exit', (code) => resolve({ code, err }));
  });

describe('flapc run: train -> eval -> embed -> search -> report', () => {
  it('train writes the run folder: checkpoints, per-step metrics, validation rows, run.json', () => {
    const r = flapc([
      'run',
      'train',
      spec,
      '--data',
      join(corpus, 'clotho'),
      '--val',
      join(corpus, 'folder'),
      '--steps',
      '6',
      '--val-every',
      '3',
      '--out',
      run,
    ]);
    expect(r.code, r.err).toBe(0);
    expect(r.err).not.toMatch(/artificially reduced/); // Dawn's chatter is filtered
    expect(r.err).not.toMatch(/\x1b\[/); // a pipe gets plain lines
    for (const f of ['last.safetensors', 'best.safetensors', 'metrics.jsonl', 'run.json', 'validation.json']) expect(existsSync(join(run, f)), f).toBe(true);
    const rows = readFileSync(join(run, 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const steps = rows.filter((x) => !('val' in x));
    expect(steps.map((x) => x.step)).toEqual([1, 2, 3, 4, 5, 6]);
    for (const k of ['loss', 'loss.contrastive', 'loss.reconstruction', 'logit_scale', 'lr', 'grad_norm', 'ms', 'clips_per_s', 'data_wait_ms'])
      expect(typeof steps[0]![k], k).toBe('number');
    expect(rows.filter((x) => 'val' in x).map((x) => x.step)).toEqual([3, 6]);
    const info = JSON.parse(readFileSync(join(run, 'run.json'), 'utf8')) as {
      spec: string;
      command: string[];
      adapter: string;
      versions: { flapc: string; node: string };
    };
    expect(info.command.slice(0, 3)).toEqual(['flapc', 'run', 'train']);
    expect(info.adapter.length).toBeGreaterThan(0);
    expect(info.versions.node).toBe(process.version);
  });

  it('eval --json prints retrieval metrics with recalls as fractions and names bad items', () => {
    const evalJson = (...more: string[]) =>
      flapc(['run', 'eval', spec, '--checkpoint', join(run, 'last.safetensors'), '--data', join(corpus, 'folder'), ...more, '--json']);
    const r = evalJson('--data', join(corpus, 'audiocaps'));
    expect(r.code, r.err).toBe(0);
    const m = JSON.parse(r.out) as {
      a2t: Record<string, number>;
      t2a: Record<string, number>;
      clips: number;
      captions: number;
      bad: { path: string; reason: string }[];
    };
    expect(Object.keys(m.a2t).sort()).toEqual(['map10', 'meanRank', 'medianRank', 'r1', 'r10', 'r5']);
    expect(m.clips).toBe(4);
    expect(m.captions).toBe(7);
    expect(m.t2a.r10).toBe(1); // 4 clips: every caption's clip is in the top 10
    for (const x of [m.a2t.r1, m.t2a.r1, m.a2t.map10]) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThanOrEqual(1);
    }
    expect(m.bad.length).toBe(2);
    expect(m.bad[0]).toEqual({ path: expect.any(String), reason: expect.any(String) });
    // every window of the longer clips, averaged: the same clips are scored
    const chunks = evalJson('--long-audio', 'chunks');
    expect(chunks.code, chunks.err).toBe(0);
    expect((JSON.parse(chunks.out) as { clips: number }).clips).toBe((JSON.parse(evalJson().out) as { clips: number }).clips);
  });

  it('eval --zero-shot gives accuracy and a confusion table; a mismatched spec is refused', () => {
    const labels = join(dir, 'labels.csv');
    writeFileSync(labels, 'file_name,label\ncorpus/folder/bell.wav,bell\ncorpus/folder/rain.wav,rain\ncorpus/folder/missing.wav,rain\n');
    const r = flapc(['run', 'eval', spec, '--checkpoint', join(run, 'best.safetensors'), '--zero-shot', labels, '--json']);
    expect(r.code, r.err).toBe(0);
    const z = JSON.parse(r.out) as {
      zeroShot: { accuracy: number; clips: number; labels: string[]; confusion: number[][] };
      bad: { path: string; reason: string }[];
    };
    expect(z.zeroShot.labels).toEqual(['bell', 'rain']);
    expect(z.zeroShot.clips).toBe(2);
    expect(z.zeroShot.confusion.flat().reduce((a, b) => a + b, 0)).toBe(2);
    expect([0, 0.5, 1]).toContain(z.zeroShot.accuracy);
    expect(z.bad).toEqual([{ path: join(corpus, 'folder', 'missing.wav'), reason: 'file not found' }]);
    const other = join(dir, 'other.yaml');
    writeFileSync(other, `extends: ${MICRO}\nname: other\ntext:\n  vocab: 30522\nhyper:\n  width: 24\n`);
    const bad = flapc(['run', 'eval', other, '--checkpoint', join(run, 'last.safetensors'), '--data', join(corpus, 'folder')]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/flapc: error: .*last\.safetensors does not fit other: changed shape: /);
  });

  it('embed fills a LanceDB index; re-embedding adds no rows; search ranks by cosine with the same model', () => {
    const index = join(dir, 'one.lance');
    const e = flapc([
      'run',
      'embed',
      spec,
      '--checkpoint',
      join(run, 'last.safetensors'),
      join(corpus, 'folder'),
      join(corpus, 'clotho'),
      '--index',
      index,
      '--json',
    ]);
    expect(e.code, e.err).toBe(0);
    const s = JSON.parse(e.out) as { embedded: number; rows: number; clipsPerSecond: number; bad: { path: string; reason: string }[] };
    // folder: bell, rain, mute (caption-less files are fine here); clotho's audio folder: 10 files,
    // of which 4 cannot be used (empty, garbage, too short, truncated), each named.
    expect(s.embedded).toBe(9);
    expect(s.rows).toBe(9);
    expect(s.bad.length).toBe(4);
    expect(s.clipsPerSecond).toBeGreaterThan(0);
    const again = flapc(['run', 'embed', spec, '--checkpoint', join(run, 'last.safetensors'), join(corpus, 'folder'), '--index', index, '--json']);
    expect(again.code, again.err).toBe(0);
    expect((JSON.parse(again.out) as { rows: number }).rows).toBe(s.rows);
    const q = flapc(['run', 'search', '--index', index, 'rain falling on a roof', '-k', '5', '--json']);
    expect(q.code, q.err).toBe(0);
    const hits = (JSON.parse(q.out) as { results: { id: string; path: string; score: number }[] }).results;
    expect(hits.length).toBe(5);
    for (let i = 1; i < hits.length; i++) expect(hits[i - 1]!.score).toBeGreaterThanOrEqual(hits[i]!.score);
    const byAudio = flapc(['run', 'search', '--index', index, '--audio', join(corpus, 'folder', 'rain.wav'), '-k', '1', '--json']);
    expect(byAudio.code, byAudio.err).toBe(0);
    const top = (JSON.parse(byAudio.out) as { results: { path: string; score: number }[] }).results[0]!;
    expect(top.path).toBe(join(corpus, 'folder', 'rain.wav'));
    expect(top.score).toBeCloseTo(1, 4);
    // Another checkpoint (one more step of training) may neither add to this index nor embed its queries.
    const other = join(dir, 'run-other');
    expect(flapc(['run', 'train', spec, '--data', join(corpus, 'clotho'), '--steps', '1', '--out', other]).code).toBe(0);
    const refused = flapc(['run', 'embed', spec, '--checkpoint', join(other, 'last.safetensors'), join(corpus, 'folder'), '--index', index]);
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/vectors of different models cannot share an index/);
    const wrongQ = flapc(['run', 'search', '--index', index, 'rain', '--checkpoint', join(other, 'last.safetensors')]);
    expect(wrongQ.code).toBe(2);
    expect(wrongQ.err).toMatch(/is not the checkpoint that built/);
  });

  it('3 shard processes fill one index with exactly the rows (and bytes) of a single run', async () => {
    const single = join(dir, 'single.lance'),
      sharded = join(dir, 'sharded.lance');
    const inputs = [join(corpus, 'folder'), join(corpus, 'clotho'), join(corpus, 'jsonl', 'train.jsonl')];
    const one = flapc(['run', 'embed', spec, '--checkpoint', join(run, 'last.safetensors'), ...inputs, '--index', single, '--json']);
    expect(one.code, one.err).toBe(0);
    const shards = await Promise.all(
      [0, 1, 2].map((i) =>
        flapcAsync(['run', 'embed', spec, '--checkpoint', join(run, 'last.safetensors'), ...inputs, '--index', sharded, '--shard', `${i}/3`, '--json']),
      ),
    );
    for (const s of shards) expect(s.code, s.err).toBe(0);
    const a = await VectorIndex.open(single),
      b = await VectorIndex.open(sharded);
    const ra = await a.all(),
      rb = await b.all();
    a.close();
    b.close();
    expect(rb.map((r) => r.id)).toEqual(ra.map((r) => r.id));
    ra.forEach((r, i) => expect(Buffer.from(rb[i]!.vector.buffer).equals(Buffer.from(r.vector.buffer)), r.path).toBe(true));
    // Kubernetes Indexed Job variables select the same slice as --shard.
    const viaEnv = flapc(['run', 'embed', spec, '--checkpoint', join(run, 'last.safetensors'), ...inputs, '--index', join(dir, 'k8s.lance'), '--json'], {
      JOB_COMPLETION_INDEX: '1',
      JOB_COMPLETION_COUNT: '3',
    });
    expect(viaEnv.code, viaEnv.err).toBe(0);
    expect((JSON.parse(viaEnv.out) as { shard: { index: number; count: number } }).shard).toEqual({ index: 1, count: 3 });
  });

  it('report writes one self-contained HTML file', () => {
    const r = flapc(['run', 'report', run]);
    expect(r.code, r.err).toBe(0);
    const html = readFileSync(join(run, 'report.html'), 'utf8');
    expect(html).toMatch(/uPlot/);
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=/); // nothing fetched
    expect(html).toMatch(/Similarity: validation clips/);
  });

  it('refuses bad input before work starts, with one located message and no stack trace', () => {
    const cases: [string[], RegExp][] = [
      [['run', 'search', '--index', join(dir, 'nope.lance'), 'dogs'], /not a flapc index .*flapc run embed/],
      [
        ['run', 'train', spec, '--data', join(corpus, 'clotho'), '--save', join(dir, 'nonexistent', 'dir', 'x.safetensors'), '--out', join(dir, 'r2')],
        /cannot write --save .*x\.safetensors: the folder '.*nonexistent\/dir' does not exist/,
      ],
      [
        ['run', 'train', spec, '--data', join(corpus, 'clotho'), '--out', join(spec, 'run')],
        /cannot write the run folder '.*micro\.yaml\/run': (ENOTDIR|EEXIST)/,
      ],
      [['run', 'train', spec, '--data', join(dir, 'empty-folder-that-is-missing')], /no usable clips|no such|not found/i],
      [['run', 'eval', spec, '--checkpoint', join(dir, 'none.safetensors'), '--data', join(corpus, 'folder')], /cannot read checkpoint/],
      [
        ['run', 'eval', spec, '--checkpoint', join(run, 'last.safetensors'), '--data', join(corpus, 'folder'), '--long-audio', 'all'],
        /--long-audio must be crop or chunks, not 'all'/,
      ],
      [
        ['run', 'embed', spec, '--checkpoint', join(run, 'last.safetensors'), join(corpus, 'folder'), '--index', join(dir, 'x.lance'), '--shard', '3/3'],
        /--shard must be i\/N/,
      ],
    ];
    for (const [args, want] of cases) {
      const r = flapc(args);
      expect(r.code, `${args.join(' ')}\n${r.err}`).toBe(2);
      expect(r.err).toMatch(want);
      expect(r.err).not.toMatch(/\n\s+at /);
    }
    expect(existsSync(join(dir, 'r2', 'last.safetensors'))).toBe(false);
  });

  it('every command answers --help without starting the GPU', () => {
    for (const cmd of [
      [],
      ['run'],
      ['run', 'train'],
      ['run', 'eval'],
      ['run', 'embed'],
      ['run', 'search'],
      ['run', 'report'],
      ['run', 'bench'],
      ['compile'],
      ['data', 'check'],
      ['data', 'build'],
      ['data', 'augment'],
      ['data', 'tag'],
      ['doctor'],
      ['tune'],
      ['demo'],
    ]) {
      // An adapter name that matches nothing: any GPU start would fail.
      const r = flapc([...cmd, '--help'], { FLAPC_ADAPTER: 'no-such-adapter' });
      expect(r.code, cmd.join(' ')).toBe(0);
      expect(r.out, cmd.join(' ')).toMatch(/^Usage: flapc/);
      expect(r.err).toBe('');
    }
    expect(flapc(['run', 'train', '--help']).out).toMatch(/Example/);
  });
});
