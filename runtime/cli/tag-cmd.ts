// `flapc data tag <manifest|folder ...> --checkpoint model.safetensors --spec spec.yaml
//  --labels labels.txt --out tags.jsonl [--top 3] [--prompt "the sound of {label}"]`: zero-shot
// audio-event tags from a trained checkpoint, so `flapc data augment` works on unlabelled data.
// Each label becomes a text prompt; each clip gets the labels whose text embeddings are nearest
// (cosine) to its audio embedding.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { compileSpec } from '../../compiler/spec/compile-spec.ts';
import { Diagnostics, renderDiagnostics } from '../../compiler/spec/diagnostics.ts';
import { tagWords } from '../corpus/augment.ts';
import { defaultCacheDir } from '../data/feature-cache.ts';
import { frontEndFromSpec } from '../data/frontend.ts';
import { Loader } from '../data/loader.ts';
import { ManifestError, openDataset, sourceName } from '../data/manifest.ts';
import { FeaturizePool } from '../data/pool.ts';
import { tokenizerFor } from '../data/tokenizer.ts';
import { Embedder } from '../eval/embed.ts';
import { acquireGpu } from '../gpu/device.ts';
import { CheckpointError, readSafetensors } from '../train/checkpoint.ts';
import { loadTuning } from '../tune/matmul-tune.ts';

export class TagUsageError extends Error {}

export function readLabels(path: string): string[] {
  let text: string;
  try { text = readFileSync(path, 'utf8'); } catch (e) { throw new TagUsageError(`cannot read labels: ${(e as Error).message}`); }
  const labels = [...new Set(text.split('\n').map((l) => l.replace(/#.*/, '').trim()).filter(Boolean))];
  if (labels.length < 2) throw new TagUsageError(`${path}: need at least two labels (one per line)`);
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
    throw new TagUsageError('usage: flapc data tag <manifest|folder ...> --checkpoint model.safetensors --spec spec.yaml --labels labels.txt --out tags.jsonl [--top 3]');
  }
  const top = values.top === undefined ? 3 : Number(values.top);
  if (!Number.isInteger(top) || top < 1) throw new TagUsageError(`--top must be a positive integer, got '${values.top}'`);
  const prompt = values.prompt ?? 'the sound of {label}';
  if (!prompt.includes('{label}')) throw new TagUsageError('--prompt must contain {label}');
  const labels = readLabels(values.labels);
  let ckpt;
  try { ckpt = readSafetensors(values.checkpoint); } catch (e) { if (e instanceof CheckpointError) throw new TagUsageError(e.message); throw e; }
  const mean = Number(ckpt.metadata.norm_mean), std = Number(ckpt.metadata.norm_std);
  if (!Number.isFinite(mean) || !(std > 0)) throw new TagUsageError(`${values.checkpoint} has no log-mel statistics (norm_mean, norm_std): save it with flapc run --data ... --save`);
  let ds;
  try { ds = openDataset(positionals); } catch (e) { if (e instanceof ManifestError) throw new TagUsageError(e.message); throw e; }
  const gpu = await acquireGpu();
  const pool = new FeaturizePool(values.workers === undefined ? 2 : Number(values.workers));
  try {
    const diags = new Diagnostics();
    const c = compileSpec(values.spec, gpu.caps, diags, undefined, loadTuning(gpu)?.tuning);
    if (!c) throw new TagUsageError(`spec has errors:\n${renderDiagnostics(diags.list, diags.sources)}`);
    for (const p of c.model.params) {
      if (!p.trainable) continue;
      const t = ckpt.tensors.get(p.name);
      if (!t) throw new TagUsageError(`${values.checkpoint} has no tensor '${p.name}' (was it trained from ${values.spec}?)`);
      if (t.shape.join(',') !== p.shape.join(',')) throw new TagUsageError(`${values.checkpoint}: '${p.name}' is [${t.shape}], the spec wants [${p.shape}]`);
    }
    const cfg = c.model.spec.config;
    const tok = tokenizerFor(cfg.text.tokenizer as string);
    const emb = await Embedder.create(gpu, c.evalPlan, c.model.params, new Map([...ckpt.tensors].map(([k, v]) => [k, v.data])), 0);
    try {
      const fe = { ...frontEndFromSpec(cfg.audio), frames: emb.frames };
      const loader = new Loader(ds.clips, { fe, tokenizer: tok, maxTokens: emb.maxTokens, batch: emb.batch, seed: 0, pool, cacheDir: defaultCacheDir(), norm: { mean, std } });
      log(`tag: embedding ${ds.clips.length} clips and ${labels.length} labels`);
      const audio = await emb.embedAudio(loader);
      const text = await emb.embedText(labels.map((l) => prompt.replaceAll('{label}', tagWords(l))), tok, 0);
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
