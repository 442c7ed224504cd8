// A training study: each run of a study file (JSON) trains one spec variant for one seed with
// `flapc run train`, then evaluates its best checkpoint (by validation mAP@10) on the test split
// with `flapc run eval --json`, and appends one JSON line to the results file. Finished runs are
// skipped, so an interrupted study continues where it stopped.
//   node --import tsx bench/study.ts bench/studies/recipe.json [--only NAME] [--seeds 0,1,2]
// Study file: { "corpus": "corpus/small", "data": "train-augmented.jsonl", "results": "...jsonl",
//   "runs": [{ "name", "spec", "steps", "set": { "train": {...}, "hyper": {...} } }] }
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';

interface Run {
  name: string;
  spec: string;
  steps: number;
  set?: Record<string, Record<string, unknown>>;
  data?: string;
  seeds?: number[];
}
interface Study {
  corpus: string;
  data: string;
  results: string;
  seeds?: number[];
  runs: Run[];
}

const { values, positionals } = parseArgs({ allowPositionals: true, options: { only: { type: 'string' }, seeds: { type: 'string' } } });
const file = positionals[0] ?? 'bench/studies/recipe.json';
const study = JSON.parse(readFileSync(file, 'utf8')) as Study;
const BIN = resolve('bin/flapc.js');
const done = new Set(
  existsSync(study.results)
    ? readFileSync(study.results, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => {
          const r = JSON.parse(l) as { name: string; seed: number };
          return `${r.name}/${r.seed}`;
        })
    : [],
);

/**
 * The run's spec: a snapshot of the spec's folder in the run folder (so editing models/ while a
 * study runs changes neither its training nor its evaluation), with `set` merged over it.
 */
function variantSpec(run: Run, out: string): string {
  const snap = join(out, 'spec');
  cpSync(dirname(resolve(run.spec)), snap, { recursive: true, filter: (f) => !f.endsWith('.ts') && basename(f) !== 'vectors' });
  const base = join(snap, basename(run.spec));
  if (!run.set) return base;
  const path = join(out, 'spec.yaml');
  writeFileSync(path, stringify({ extends: relative(out, base), ...run.set }));
  return path;
}

function flapc(args: string[]): string {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`flapc ${args.join(' ')} exited ${r.status}`);
  return r.stdout;
}

const seedsArg = values.seeds?.split(',').map(Number);
for (const run of study.runs) {
  if (values.only && !values.only.split(',').includes(run.name)) continue;
  for (const seed of seedsArg ?? run.seeds ?? study.seeds ?? [0]) {
    if (done.has(`${run.name}/${seed}`)) continue;
    const out = join('runs', 'study', `${run.name}-s${seed}`);
    mkdirSync(out, { recursive: true });
    const spec = variantSpec(run, out);
    const corpus = study.corpus;
    const t0 = performance.now();
    const lines = flapc([
      'run',
      'train',
      spec,
      '--data',
      join(corpus, run.data ?? study.data),
      '--val',
      join(corpus, 'clotho_captions_val.csv'),
      '--steps',
      String(run.steps),
      '--seed',
      String(seed),
      '--val-every',
      String(Math.max(25, Math.round(run.steps / 8))),
      '--out',
      out,
      '--overwrite',
      '--json',
    ]);
    const minutes = (performance.now() - t0) / 60000;
    const summary = (JSON.parse(lines.trim().split('\n').pop()!) as { summary: { msPerStep: number } }).summary;
    const test = JSON.parse(
      flapc(['run', 'eval', spec, '--checkpoint', join(out, 'best.safetensors'), '--data', join(corpus, 'clotho_captions_test.csv'), '--json']),
    );
    const row = {
      name: run.name,
      seed,
      spec: run.spec,
      set: run.set ?? {},
      steps: run.steps,
      ms_per_step: summary.msPerStep,
      train_minutes: minutes,
      test,
      date: new Date().toISOString(),
    };
    mkdirSync(dirname(study.results), { recursive: true });
    appendFileSync(study.results, `${JSON.stringify(row)}\n`);
    const a = test.a2t ?? test.metrics?.a2t,
      t = test.t2a ?? test.metrics?.t2a;
    console.log(
      `${run.name} seed ${seed}: ${minutes.toFixed(1)} min, A->T R@1 ${(100 * a.r1).toFixed(1)} R@10 ${(100 * a.r10).toFixed(1)}, T->A R@1 ${(100 * t.r1).toFixed(1)} R@10 ${(100 * t.r10).toFixed(1)}`,
    );
  }
}
