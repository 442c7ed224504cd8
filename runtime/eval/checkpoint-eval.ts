// `flapc run eval`: a saved checkpoint's retrieval metrics on a dataset and, optionally,
// zero-shot classification from a `file_name,label` CSV (each label becomes the prompt
// "the sound of {label}"; a clip's prediction is the nearest prompt).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { UserError } from '../errors.ts';
import type { Gpu } from '../gpu/device.ts';
import { defaultCacheDir } from '../data/feature-cache.ts';
import { frontEndFromSpec } from '../data/frontend.ts';
import type { Norm } from '../data/loader.ts';
import type { BadItem, Clip, Dataset } from '../data/manifest.ts';
import { FeaturizePool } from '../data/pool.ts';
import { type Model, modelTokenizer } from '../model/model.ts';
import { type Checkpoint, weightsFor } from '../train/state.ts';
import { Embedder } from './embed.ts';
import { type Evaluation, evaluateRetrieval, silenceLevel } from './evaluate.ts';
import { clipLoader } from './clip-loader.ts';

export interface ZeroShotResult {
  labels: string[];
  accuracy: number;
  clips: number;
  /** confusion[true][predicted] counts, in `labels` order. */
  confusion: number[][];
  bad: BadItem[];
}

export function normOf(ck: Checkpoint): Norm {
  const { normMean, normStd } = ck.meta;
  if (normMean === undefined || !Number.isFinite(normMean) || !(normStd! > 0))
    throw new UserError(`${ck.path} has no log-mel statistics (norm_mean, norm_std): it was not trained on data`);
  return { mean: normMean, std: normStd! };
}

/** `file_name,label` rows; audio paths relative to the CSV's folder. Unreadable rows are named. */
export function readLabelCsv(path: string): { clips: Clip[]; bad: BadItem[] } {
  let rows: Record<string, string>[];
  try {
    rows = parseCsv(readFileSync(path, 'utf8'), { columns: true, skip_empty_lines: true, trim: true }) as Record<string, string>[];
  } catch (e) {
    throw new UserError(`${path}: not a file_name,label CSV (${(e as Error).message})`);
  }
  if (rows.length === 0 || !('file_name' in rows[0]!) || !('label' in rows[0]!))
    throw new UserError(`${path}: needs a header with file_name and label columns`);
  const clips: Clip[] = [],
    bad: BadItem[] = [];
  rows.forEach((r, i) => {
    const file = isAbsolute(r.file_name!) ? r.file_name! : join(dirname(path), r.file_name!);
    const origin = `${path}:${i + 2}`;
    if (!r.label) bad.push({ item: file, reason: 'no label', origin });
    else if (!existsSync(file)) bad.push({ item: file, reason: 'file not found', origin });
    else clips.push({ id: r.file_name!, source: { kind: 'file', path: file }, captions: [r.label], tags: [r.label], origin });
  });
  return { clips, bad };
}

export interface EvalRun {
  evaluation?: Evaluation;
  zeroShot?: ZeroShotResult;
}

export async function evaluateCheckpoint(
  gpu: Gpu,
  model: Model,
  ck: Checkpoint,
  o: {
    ds?: Dataset;
    zeroShot?: string;
    prompt: string;
    workers: number;
    log: (l: string) => void;
    /** Clips longer than the model's window: the first window, or every window averaged (default: the spec's audio.long_audio). */
    longAudio?: 'crop' | 'chunks';
  },
): Promise<EvalRun> {
  const weights = weightsFor(ck, model.params, model);
  const norm = normOf(ck);
  const tokenizer = modelTokenizer(model);
  const zs = o.zeroShot ? readLabelCsv(o.zeroShot) : undefined;
  if (zs && zs.clips.length === 0)
    throw new UserError(
      `${o.zeroShot}: no usable rows (${zs.bad
        .map((b) => `${b.item}: ${b.reason}`)
        .slice(0, 3)
        .join('; ')})`,
    );
  const pool = new FeaturizePool(o.workers);
  const fe = { ...frontEndFromSpec(model.audio), ...(o.longAudio && { longAudio: o.longAudio }) };
  try {
    const ctx = { fe, norm, tokenizer, pool, cacheDir: defaultCacheDir(), seed: 0, log: o.log };
    const evaluation = o.ds ? await evaluateRetrieval(gpu, model.evalPlan, model.params, weights, o.ds, ctx) : undefined;
    const zeroShot = zs ? await zeroShotClassify(gpu, model, weights, zs, { ...ctx, prompt: o.prompt }) : undefined;
    return { ...(evaluation && { evaluation }), ...(zeroShot && { zeroShot }) };
  } finally {
    await pool.close();
  }
}

async function zeroShotClassify(
  gpu: Gpu,
  model: Model,
  weights: Map<string, Float32Array>,
  zs: { clips: Clip[]; bad: BadItem[] },
  ctx: {
    fe: ReturnType<typeof frontEndFromSpec>;
    norm: Norm;
    tokenizer: ReturnType<typeof modelTokenizer>;
    pool: FeaturizePool;
    cacheDir: string | null;
    prompt: string;
    log: (l: string) => void;
  },
): Promise<ZeroShotResult> {
  const labels = [...new Set(zs.clips.map((c) => c.captions[0]!))].sort();
  const emb = await Embedder.create(gpu, model.evalPlan, model.params, weights, 0);
  try {
    const loader = clipLoader(emb, zs.clips, ctx);
    ctx.log(`zero-shot: ${zs.clips.length} clips, ${labels.length} labels`);
    const audio = await emb.embedAudio(loader);
    const text = await emb.embedText(
      labels.map((l) => ctx.prompt.replaceAll('{label}', l.replaceAll('_', ' '))),
      ctx.tokenizer,
      silenceLevel(ctx.norm),
    );
    const confusion = labels.map(() => labels.map(() => 0));
    let right = 0;
    audio.clips.forEach((c, i) => {
      let best = 0,
        bestScore = -Infinity;
      labels.forEach((_, j) => {
        let d = 0;
        for (let k = 0; k < emb.dim; k++) d += audio.emb[i * emb.dim + k]! * text[j * emb.dim + k]!;
        if (d > bestScore) {
          bestScore = d;
          best = j;
        }
      });
      const truth = labels.indexOf(zs.clips[c]!.captions[0]!);
      confusion[truth]![best]!++;
      if (truth === best) right++;
    });
    return { labels, accuracy: audio.clips.length ? right / audio.clips.length : 0, clips: audio.clips.length, confusion, bad: [...zs.bad, ...loader.bad] };
  } finally {
    emb.destroy();
  }
}
