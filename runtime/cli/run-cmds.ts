// `flapc run train | eval | embed | search | report`: turn parsed options into service calls
// (runtime/train, runtime/eval, runtime/index, runtime/report) and print what they return.
import { acquireGpu } from '../gpu/device.ts';
import { UserError } from '../errors.ts';
import { loadModel, resolveCheckpoint } from '../model/model.ts';
import { openUsable } from '../train/data.ts';
import { createProgress } from '../train/progress.ts';
import type { StopSignal } from '../train/trainer.ts';
import { trainModel } from '../train/run.ts';
import { loadCheckpoint, weightsFor } from '../train/state.ts';
import { evaluateCheckpoint } from '../eval/checkpoint-eval.ts';
import { type RetrievalMetrics, formatMetrics } from '../eval/retrieval.ts';
import { embedLibrary, parseShard } from '../index/embed-library.ts';
import { embedQuery, locateModel, search } from '../index/search.ts';
import { VectorIndex } from '../index/store.ts';
import { writeReport } from '../report/report.ts';
import { specPaths } from '../model/model.ts';
import { buildSite } from '../web/site.ts';
import { serveSite } from '../web/serve.ts';
import { loadPortableModel } from '../model/model.ts';

/** Options as commander parses them (runtime/cli/main.ts declares them). */
export interface TrainOpts {
  data?: string[];
  val?: string[];
  eval?: string[];
  out?: string;
  steps?: string;
  seed: string;
  saveEvery: string;
  valEvery: string;
  resume?: boolean;
  overwrite?: boolean;
  init?: string;
  initPartial?: boolean;
  save?: string;
  workers?: string;
  cache: boolean;
  json?: boolean;
}
export interface EvalOpts {
  checkpoint?: string;
  data?: string[];
  zeroShot?: string;
  prompt: string;
  workers?: string;
  json?: boolean;
  longAudio?: string;
}
export interface EmbedOpts {
  checkpoint?: string;
  index: string;
  shard?: string;
  workers?: string;
  json?: boolean;
}
export interface WebOpts {
  checkpoint?: string;
  out: string;
  weights: 'f32' | 'f16';
  serve?: boolean;
  port: string;
  json?: boolean;
}
export interface SearchOpts {
  index: string;
  k: string;
  audio?: string;
  where?: string;
  checkpoint?: string;
  spec?: string;
  json?: boolean;
}

const int = (v: string | undefined, flag: string, min = 1): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new UserError(`${flag} must be an integer >= ${min}, got '${v}'`);
  return n;
};

/** JSON shape of retrieval metrics: recalls as fractions. */
export function metricsJson(m: RetrievalMetrics): object {
  const d = (x: RetrievalMetrics['a2t']) => ({ r1: x.r1, r5: x.r5, r10: x.r10, map10: x.map10, meanRank: x.meanRank, medianRank: x.medianRank });
  return { a2t: d(m.a2t), t2a: d(m.t2a), clips: m.clips, captions: m.captions };
}

export async function trainCommand(spec: string, o: TrainOpts, argv: string[]): Promise<number> {
  const opts = {
    ...(o.out && { out: o.out }),
    ...(o.steps && { steps: int(o.steps, '--steps')! }),
    seed: int(o.seed, '--seed', 0)!,
    saveEvery: int(o.saveEvery, '--save-every')!,
    valEvery: int(o.valEvery, '--val-every')!,
    data: o.data ?? [],
    val: o.val ?? [],
    eval: o.eval ?? [],
    resume: !!o.resume,
    overwrite: !!o.overwrite,
    ...(o.init && { init: o.init }),
    initPartial: !!o.initPartial,
    ...(o.save && { save: o.save }),
    ...(o.workers && { workers: int(o.workers, '--workers', 0)! }),
    cache: o.cache,
    command: ['flapc', ...argv],
  };
  if (opts.resume && opts.init) throw new UserError('--resume and --init exclude each other: --resume continues a run, --init starts a new one from weights');
  const ui = createProgress({ quiet: !!o.json });
  const emit = o.json
    ? (row: object): void => {
        console.log(JSON.stringify(row));
      }
    : (): void => {};
  const stop: StopSignal = { stopped: false };
  // The first Ctrl-C checkpoints after the current step; one more (not the launcher's echo of the first) abandons.
  let firstAt = 0;
  const onSigint = (): void => {
    if (!stop.stopped) {
      firstAt = Date.now();
      stop.stopped = true;
      ui.log('interrupted: finishing this step and writing a checkpoint (Ctrl-C again to abandon it)');
    } else if (Date.now() - firstAt > 1000) process.exit(130);
  };
  const gpu = await acquireGpu();
  process.on('SIGINT', onSigint);
  try {
    const model = loadModel(gpu, spec);
    const r = await trainModel(gpu, model, opts, ui, emit, stop);
    const res = r.result;
    const summary = {
      model: model.name,
      adapter: gpu.report.description,
      out: r.out,
      steps: res.steps,
      startStep: res.startStep,
      interrupted: res.interrupted,
      msPerStep: res.msPerStep,
      firstStepMs: res.firstStepMs,
      first: res.first,
      last: res.last,
      best: res.best ?? null,
      checkpoint: res.lastCheckpoint,
      data: r.dataSummary ?? 'synthetic fixed batch',
      ...(r.evaluation && { evaluation: { metrics: r.evaluation.ev.metrics, on: r.evaluation.on, bad: r.evaluation.ev.bad.length } }),
    };
    if (o.json) console.log(JSON.stringify({ summary }));
    else printTrainSummary(summary, r, res.interrupted);
    return res.interrupted ? 130 : 0;
  } finally {
    process.off('SIGINT', onSigint);
    gpu.destroy();
  }
}

function printTrainSummary(
  s: {
    model: string;
    adapter: string;
    out: string;
    steps: number;
    startStep: number;
    msPerStep: number;
    firstStepMs: number;
    best: { step: number; map10: number } | null;
    first?: { loss: number };
    last?: { loss: number };
  },
  r: Awaited<ReturnType<typeof trainModel>>,
  interrupted: boolean,
): void {
  const d = r.dataSummary;
  console.log(
    `${s.model} on ${s.adapter}: steps ${s.startStep + 1}-${s.steps}${interrupted ? ' (interrupted)' : ''}, ${d ? `${d.clips} clips, ${d.bad} bad items skipped${d.bad ? ` (listed in ${d.report})` : ''}` : 'a synthetic fixed batch'}`,
  );
  if (s.first && s.last)
    console.log(
      `  loss ${s.first.loss.toFixed(4)} -> ${s.last.loss.toFixed(4)}; ${s.msPerStep.toFixed(0)} ms/step after a first step of ${(s.firstStepMs / 1000).toFixed(1)} s (pipelines compile on first use)`,
    );
  console.log(
    `  run folder ${s.out}: last.safetensors${s.best ? `, best.safetensors (step ${s.best.step}, mAP@10 ${(100 * s.best.map10).toFixed(1)})` : ''}, metrics.jsonl, run.json${interrupted ? `; continue with --resume --out ${s.out}` : `; see it with flapc run report ${s.out}`}`,
  );
  if (r.evaluation)
    console.log(
      formatMetrics(r.evaluation.ev.metrics, r.evaluation.on) +
        (r.evaluation.ev.bad.length ? `\n  (${r.evaluation.ev.bad.length} evaluation items could not be loaded)` : ''),
    );
}

export async function evalCommand(spec: string, o: EvalOpts): Promise<number> {
  const ck = loadCheckpoint(resolveCheckpoint(spec, o.checkpoint));
  if (!o.prompt.includes('{label}')) throw new UserError('--prompt must contain {label}');
  if (o.longAudio !== undefined && o.longAudio !== 'crop' && o.longAudio !== 'chunks')
    throw new UserError(`--long-audio must be crop or chunks, not '${o.longAudio}'`);
  const log = o.json
    ? (): void => {}
    : (l: string): void => {
        process.stderr.write(`${l}\n`);
      };
  const gpu = await acquireGpu();
  try {
    const model = loadModel(gpu, spec);
    weightsFor(ck, model.params, model); // a checkpoint of another model is refused before any data is read
    const inputs = o.data?.length ? o.data : specPaths(model, 'eval');
    if (inputs.length === 0 && !o.zeroShot)
      throw new UserError('nothing to evaluate: pass --data manifest (or set data.eval in the spec) or --zero-shot labels.csv');
    const ds = inputs.length ? openUsable(inputs, 'evaluation') : undefined;
    const r = await evaluateCheckpoint(gpu, model, ck, {
      ...(ds && { ds }),
      ...(o.zeroShot && { zeroShot: o.zeroShot }),
      prompt: o.prompt,
      workers: int(o.workers, '--workers', 0) ?? 2,
      log,
      ...(o.longAudio && { longAudio: o.longAudio as 'crop' | 'chunks' }),
    });
    const bad = [...(r.evaluation?.bad ?? []), ...(r.zeroShot?.bad ?? [])].map((b) => ({ path: b.item, reason: b.reason }));
    if (o.json) {
      console.log(
        JSON.stringify(
          {
            ...(r.evaluation && metricsJson(r.evaluation.metrics)),
            ...(r.zeroShot && {
              zeroShot: { accuracy: r.zeroShot.accuracy, clips: r.zeroShot.clips, labels: r.zeroShot.labels, confusion: r.zeroShot.confusion },
            }),
            bad,
          },
          null,
          2,
        ),
      );
      return 0;
    }
    if (r.evaluation) console.log(formatMetrics(r.evaluation.metrics, inputs.join(', ')));
    if (r.zeroShot) printConfusion(r.zeroShot);
    for (const b of bad) console.log(`  not scored: ${b.path}: ${b.reason}`);
    return 0;
  } finally {
    gpu.destroy();
  }
}

function printConfusion(z: { labels: string[]; accuracy: number; clips: number; confusion: number[][] }): void {
  console.log(
    `zero-shot classification: accuracy ${(100 * z.accuracy).toFixed(1)} % on ${z.clips} clips, ${z.labels.length} labels (chance ${(100 / z.labels.length).toFixed(1)} %)`,
  );
  const names = z.labels.map((l, i) => `${i + 1} ${l}`);
  const w = Math.max('true \\ predicted'.length, ...names.map((n) => n.length));
  console.log(`  ${'true \\ predicted'.padEnd(w)}  ${z.labels.map((_, j) => String(j + 1).padStart(4)).join('')}`);
  z.confusion.forEach((row, i) => console.log(`  ${names[i]!.padEnd(w)}  ${row.map((n) => String(n).padStart(4)).join('')}`));
}

export async function embedCommand(spec: string, inputs: string[], o: EmbedOpts): Promise<number> {
  const shard = parseShard(o.shard);
  const ck = loadCheckpoint(resolveCheckpoint(spec, o.checkpoint));
  const ui = createProgress({ quiet: !!o.json });
  const gpu = await acquireGpu();
  try {
    const model = loadModel(gpu, spec);
    const r = await embedLibrary(gpu, model, ck, inputs, { index: o.index, ...(shard && { shard }), workers: int(o.workers, '--workers', 0) ?? 2, ui });
    if (o.json) {
      console.log(JSON.stringify({ ...r, bad: r.bad.map((b) => ({ path: b.item, reason: b.reason })) }, null, 2));
      return 0;
    }
    console.log(
      `${r.index}: embedded ${r.embedded} clips in ${r.seconds.toFixed(1)} s (${r.clipsPerSecond.toFixed(1)} clips/s)${shard ? `, shard ${shard.index}/${shard.count} (${r.skipped} clips belong to other shards)` : ''}; the index holds ${r.rows} clips, ${r.ann ? 'with an IVF-PQ index' : 'searched exactly'}`,
    );
    for (const b of r.bad) console.log(`  skipped ${b.item}: ${b.reason}`);
    return 0;
  } finally {
    gpu.destroy();
  }
}

export async function searchCommand(query: string | undefined, o: SearchOpts): Promise<number> {
  if ((query === undefined) === (o.audio === undefined)) throw new UserError('search needs a text query or --audio FILE (one of them)');
  const k = int(o.k, '-k')!;
  const index = await VectorIndex.open(o.index);
  try {
    const req = {
      index: o.index,
      k,
      ...(query !== undefined && { text: query }),
      ...(o.audio && { audio: o.audio }),
      ...(o.where && { where: o.where }),
      ...(o.spec && { spec: o.spec }),
      ...(o.checkpoint && { checkpoint: o.checkpoint }),
    };
    const where = locateModel(index, req);
    const gpu = await acquireGpu();
    let q: Float32Array;
    try {
      q = await embedQuery(gpu, index, where, req);
    } finally {
      gpu.destroy();
    }
    const hits = await search(index, q, req);
    if (o.json) {
      console.log(JSON.stringify({ query: query ?? o.audio, model: index.meta.model, results: hits }, null, 2));
      return 0;
    }
    if (hits.length === 0) console.log('no results');
    hits.forEach((h, i) =>
      console.log(`${String(i + 1).padStart(3)}. ${h.score.toFixed(3)}  ${h.path}  (${h.duration.toFixed(1)} s)${h.captions[0] ? `  "${h.captions[0]}"` : ''}`),
    );
    return 0;
  } finally {
    index.close();
  }
}

export async function reportCommand(dir: string): Promise<number> {
  console.log(writeReport(dir));
  return 0;
}

export async function webCommand(spec: string, o: WebOpts): Promise<number> {
  const port = int(o.port, '--port', 0)!;
  const ck = loadCheckpoint(resolveCheckpoint(spec, o.checkpoint));
  // No GPU here: the plan is compiled for the WebGPU baseline, to run on the visitor's adapter.
  const model = loadPortableModel(spec);
  const r = await buildSite(model, ck, o.out, { weights: o.weights });
  if (o.json) console.log(JSON.stringify(r, null, 2));
  else {
    const kib = (b: number): string => `${(b / 1024).toFixed(0)} KiB`;
    console.log(`${r.out}/: ${r.files.map((f) => `${f.name} ${kib(f.bytes)}`).join(', ')}`);
  }
  if (!o.serve) return 0;
  const { url } = await serveSite(o.out, port);
  process.stderr.write(`serving ${o.out}/ at ${url} (127.0.0.1 only; Ctrl-C stops)\n`);
  await new Promise<void>((done) => {
    process.once('SIGINT', () => done());
    process.once('SIGTERM', () => done());
  });
  return 0;
}
