// A training study: each run of a study file (JSON) trains one spec variant for one seed with
// `flapc run train`, then evaluates its best checkpoint (by validation mAP@10) on the test split
// with `flapc run eval --json`, and appends one JSON line to the results file. Finished runs are
// skipped, so an interrupted study continues where it stopped.
//   node --import tsx bench/study.ts bench/studies/recipe.json [--only NAME] [--seeds 0,1,2]
// Study file: { "corpus": "corpus/small", "data": "train-augmented.jsonl", "results": "...jsonl",
//   "runs": [{ "name", "spec", "steps", "set": { "train": {...}, "hyper": {...} } }] }
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createRequire } from 'node:module';
import { stringify } from 'yaml';

interface Run {
  name: string;
  spec: string;
  steps: number;
  set?: Record<string, Record<string, unknown>>;
  data?: string;
  /** Validation and test manifests (relative to the corpus; default the Clotho CSVs). */
  val?: string;
  test?: string;
  seeds?: number[];
}
interface Study {
  /** How the runs' step counts were chosen (documentation only). */
  budget?: string;
  corpus: string;
  data: string;
  results: string;
  seeds?: number[];
  runs: Run[];
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { only: { type: 'string' }, seeds: { type: 'string' }, summary: { type: 'boolean' }, plot: { type: 'string' } },
});
const file = positionals[0] ?? 'bench/studies/recipe.json';
const study = JSON.parse(readFileSync(file, 'utf8')) as Study;
if (values.summary || values.plot) {
  if (values.summary) console.log(summarize(study));
  if (values.plot) writeFileSync(values.plot, plotPage(study));
  process.exit(0);
}
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
 * study runs changes neither its training nor its evaluation), with `set` merged over it. A spec
 * elsewhere in the repository (bench/specs/) keeps its path under the snapshot beside a copy of
 * models/, so an `extends: ../../models/...` still resolves.
 */
function variantSpec(run: Run, out: string): string {
  const rel = relative(process.cwd(), resolve(run.spec));
  const inRepo = !rel.startsWith('..') && !isAbsolute(rel) && dirname(rel) !== 'models';
  const snap = join(out, 'spec');
  const copy = (from: string, to: string): void => cpSync(from, to, { recursive: true, filter: (f) => !f.endsWith('.ts') && basename(f) !== 'vectors' });
  let base: string;
  if (inRepo) {
    copy('models', join(snap, 'models'));
    copy(dirname(rel), join(snap, dirname(rel)));
    base = join(snap, rel);
  } else {
    copy(dirname(resolve(run.spec)), snap);
    base = join(snap, basename(run.spec));
  }
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
      join(corpus, run.val ?? 'clotho_captions_val.csv'),
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
      flapc(['run', 'eval', spec, '--checkpoint', join(out, 'best.safetensors'), '--data', join(corpus, run.test ?? 'clotho_captions_test.csv'), '--json']),
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

interface Row {
  name: string;
  seed: number;
  steps: number;
  ms_per_step: number;
  train_minutes: number;
  test: { a2t: Record<string, number>; t2a: Record<string, number>; clips: number };
}

/** Mean ± sample standard deviation (± omitted for one value). */
function meanSd(xs: number[], scale = 100, digits = 1): string {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  if (xs.length < 2) return (m * scale).toFixed(digits);
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
  return `${(m * scale).toFixed(digits)} ± ${(sd * scale).toFixed(digits)}`;
}

function readRows(study: Study): Row[] {
  if (!existsSync(study.results)) return [];
  return readFileSync(study.results, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Row);
}

/** A Markdown table of the study's results, one line per run in the study's order. */
export function summarize(study: Study): string {
  const rows = readRows(study);
  const lines = [
    '| run | seeds | steps | ms/step | train min | A→T R@1 | A→T R@10 | T→A R@1 | T→A R@10 | mAP@10 (mean of both) |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  // Every run of the results file, in the order they finished (studies may share one file).
  for (const name of [...new Set(rows.map((r) => r.name))]) {
    const rs = rows.filter((r) => r.name === name);
    const run = { name };
    const col = (f: (r: Row) => number, scale = 100, d = 1): string => meanSd(rs.map(f), scale, d);
    lines.push(
      `| ${run.name} | ${rs.map((r) => r.seed).join(',')} | ${rs[0]!.steps} | ${col((r) => r.ms_per_step, 1, 0)} | ${col((r) => r.train_minutes, 1, 1)} | ${col((r) => r.test.a2t.r1!)} | ${col((r) => r.test.a2t.r10!)} | ${col((r) => r.test.t2a.r1!)} | ${col((r) => r.test.t2a.r10!)} | ${col((r) => (r.test.a2t.map10! + r.test.t2a.map10!) / 2)} |`,
    );
  }
  return lines.join('\n');
}

/**
 * An offline HTML page with the study's test R@1 and R@10 per run (both directions): the mean of
 * the seeds as bars, each seed as a dot. uPlot draws it (inlined); tools/screenshot.ts turns it
 * into a PNG.
 */
export function plotPage(study: Study): string {
  const require = createRequire(import.meta.url);
  const js = readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8');
  const css = readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8');
  const rows = readRows(study);
  const runs = [...new Set(rows.map((r) => r.name))];
  const of = (name: string, f: (r: Row) => number): number[] => rows.filter((r) => r.name === name).map((r) => 100 * f(r));
  const metric = (k: string) => ({ a2t: runs.map((n) => of(n, (r) => r.test.a2t[k]!)), t2a: runs.map((n) => of(n, (r) => r.test.t2a[k]!)) });
  const data = {
    runs,
    charts: [
      { title: 'R@1 (%)', ...metric('r1') },
      { title: 'R@10 (%)', ...metric('r10') },
    ],
  };
  return `<!doctype html><html><head><meta charset="utf-8"><title>${study.results}</title><style>${css}body{font:13px system-ui,sans-serif;margin:16px}h3{margin:8px 0}</style></head>
<body><h3>Test retrieval per run on ${study.corpus}: bars = mean over seeds, dots = each seed</h3><div id="c"></div><script>${js}</script>
<script>const d = ${JSON.stringify(data)};
const x = d.runs.map((_, i) => i);
const mean = (v) => v.reduce((a, b) => a + b, 0) / v.length;
const seedsAt = (s, off) => { const xs = [], ys = []; s.forEach((v, i) => v.forEach((y) => { xs.push(i + off); ys.push(y); })); return [xs, ys]; };
const bars = (align) => uPlot.paths.bars({ size: [0.35, 80], align });
for (const c of d.charts) {
  const el = document.createElement('div'); document.getElementById('c').appendChild(el);
  const [ax, ay] = seedsAt(c.a2t, -0.17), [tx, ty] = seedsAt(c.t2a, 0.17);
  const opts = { title: c.title, width: Math.max(640, 190 * d.runs.length), height: 300, mode: 2,
    scales: { x: { time: false, range: [-0.6, d.runs.length - 0.4] }, y: { range: [0, Math.max(5, ...ay, ...ty) * 1.15] } },
    axes: [{ values: (u, sp) => sp.map((v) => (Number.isInteger(v) ? d.runs[v] ?? '' : '')), splits: () => x, size: 40, font: '11px system-ui' }, {}],
    series: [{}, { label: 'A→T', fill: '#1f5fbf88', stroke: '#1f5fbf', paths: bars(-1), points: { show: false } },
      { label: 'T→A', fill: '#d9582b88', stroke: '#d9582b', paths: bars(1), points: { show: false } },
      { label: 'A→T seeds', stroke: '#0b2e66', paths: uPlot.paths.points(), points: { show: true, size: 6, fill: '#0b2e66' } },
      { label: 'T→A seeds', stroke: '#7a2a0c', paths: uPlot.paths.points(), points: { show: true, size: 6, fill: '#7a2a0c' } }] };
  new uPlot(opts, [null, [x, c.a2t.map(mean)], [x, c.t2a.map(mean)], [ax, ay], [tx, ty]], el);
}
document.body.dataset.chartsDrawn = String(d.charts.length);
</script></body></html>`;
}
