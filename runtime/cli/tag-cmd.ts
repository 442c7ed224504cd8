// `flapc data tag <manifest|folder ...> --checkpoint model.safetensors --spec spec.yaml
//  --labels labels.txt --out tags.jsonl [--top 3] [--prompt "the sound of {label}"]`: zero-shot
// audio-event tags from a trained checkpoint, so `flapc data augment` works on unlabelled data.
// Each label becomes a text prompt; each clip gets the labels whose text embeddings are nearest
// (cosine) to its audio embedding.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { tagWords } from '../corpus/augment.ts';
import { defaultCacheDir } from '../data/feature-cache.ts';
import { frontEndFromSpec } from '../data/frontend.ts';
import { Loader } from '../data/loader.ts';
import { ManifestError, openDataset, sourceName } from '../data/manifest.ts';
import { FeaturizePool } from '../data/pool.ts';
import { Embedder } from '../eval/embed.ts';
import { normOf } from '../eval/checkpoint-eval.ts';
import { silenceLevel } from '../eval/evaluate.ts';
import { acquireGpu } from '../gpu/device.ts';
import { loadModel, modelTokenizer } from '../model/model.ts';
import { loadCheckpoint, weightsFor } from '../train/state.ts';

import { UserError } from '../errors.ts';

export function readLabels(path: string): string[] {
  let text: string;
  try { text = readFileSync(path, 'utf8'); } catch (e) { throw new UserError(`cannot read labels: ${(e as Error).message}`); }
  const labels = [...new Set(text.split('\n').map((l) => l.replace(/#.*/, '').trim()).filter(Boolean))];
  if (labels.length < 2) throw new UserError(`${path}: need at least two labels (one per line)`);
  return labels;
}

/** Indices of the k largest scores, best first (ties: lower index first). */
export function topK(scores: Float64Array | number[], k: number): number[] {
  return Array.from(scores, (s, i) => [s, i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]).slice(0, k).map((x) => x[1]);
}

export async function tagCommand(argv: string[], log: (s: string) => void): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv, allowPositionals: true,
    options: { checkpoint: { type: 'string' }, spec: { type: 'string' }, labels: { type: 'string' }, out: { type: 'string' }, top: { type: 'string' }, prompt: { type: 'string' }, workers: { type: 'string' } },
  });
  if (positionals.length === 0 || !values.checkpoint || !values.spec || !values.labels || !values.out) {
    throw new UserError('usage: flapc data tag <manifest|folder ...> --checkpoint model.safetensors --spec spec.yaml --labels labels.txt --out tags.jsonl [--top 3]');
  }
  const top = values.top === undefined ? 3 : Number(values.top);
  if (!Number.isInteger(top) || top < 1) throw new UserError(`--top must be a positive integer, got '${values.top}'`);
  const prompt = values.prompt ?? 'the sound of {label}';
  if (!prompt.includes('{label}')) throw new UserError('--prompt must contain {label}');
  const labels = readLabels(values.labels);
  const ckpt = loadCheckpoint(values.checkpoint);
  const norm = normOf(ckpt);
  let ds: ReturnType<typeof openDataset>;
  try { ds = openDataset(positionals); } catch (e) { if (e instanceof ManifestError) throw new UserError(e.message); throw e; }
  const gpu = await acquireGpu();
  const pool = new FeaturizePool(values.workers === undefined ? 2 : Number(values.workers));
  try {
    const model = loadModel(gpu, values.spec);
    const weights = weightsFor(ckpt, model.params, model);
    const tok = modelTokenizer(model);
    const emb = await Embedder.create(gpu, model.evalPlan, model.params, weights, 0);
    try {
      const fe = { ...frontEndFromSpec(model.audio), frames: emb.frames };
      const loader = new Loader(ds.clips, { fe, tokenizer: tok, maxTokens: emb.maxTokens, batch: emb.batch, seed: 0, pool, cacheDir: defaultCacheDir(), norm });
      log(`tag: embedding ${ds.clips.length} clips and ${labels.length} labels`);
      const audio = await emb.embedAudio(loader);
      const text = await emb.embedText(labels.map((l) => prompt.replaceAll('{label}', tagWords(l))), tok, silenceLevel(norm));
      const lines = audio.clips.map((clip, i) => {
        const scores = labels.map((_, j) => { let d = 0; for (let k = 0; k < emb.dim; k++) d += audio.emb[i * emb.dim + k]! * text[j * emb.dim + k]!; return d; });
        const best = topK(scores, Math.min(top, labels.length));
        const c0 = ds.clips[clip]!;
        return JSON.stringify({ file_name: basename(sourceName(c0.source)), id: c0.id, tags: best.map((j) => labels[j]), scores: best.map((j) => Math.round(scores[j]! * 1e4) / 1e4) });
      });
      const tmp = `${values.out}.tmp-${process.pid}`;
      writeFileSync(tmp, lines.join('\n') + (lines.length ? '\n' : ''));
      renameSync(tmp, values.out);
      const bad = [...ds.bad, ...loader.bad];
      console.log(`${values.out}: top-${top} tags for ${audio.clips.length} clips from ${labels.length} labels${bad.length ? `; ${bad.length} items could not be loaded (flapc data check lists them)` : ''}`);
    } finally { emb.destroy(); }
  } finally {
    await pool.close();
    gpu.destroy();
  }
  return 0;
}
