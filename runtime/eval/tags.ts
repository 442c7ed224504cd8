// Zero-shot audio-event tags from a trained checkpoint (for `flapc data augment` on unlabelled
// data): each label becomes a text prompt; each clip gets the labels whose text embeddings are
// nearest (cosine) to its audio embedding. runtime/cli/tag-cmd.ts parses the flags and writes.
import { basename } from 'node:path';
import { tagWords } from '../corpus/augment.ts';
import { frontEndFromSpec } from '../data/frontend.ts';
import { type BadItem, type Dataset, sourceName } from '../data/manifest.ts';
import { FeaturizePool } from '../data/pool.ts';
import type { Gpu } from '../gpu/gpu.ts';
import { type Model, modelTokenizer } from '../model/model.ts';
import { type Checkpoint, weightsFor } from '../train/state.ts';
import { normOf } from './checkpoint-eval.ts';
import { Embedder } from './embed.ts';
import { silenceLevel } from './evaluate.ts';
import { clipLoader } from './clip-loader.ts';

/** Indices of the k largest scores, best first (ties: lower index first). */
export function topK(scores: Float64Array | number[], k: number): number[] {
  return Array.from(scores, (s, i) => [s, i] as const)
    .sort((a, b) => b[0] - a[0] || a[1] - b[1])
    .slice(0, k)
    .map((x) => x[1]);
}

export interface TagRow {
  file_name: string;
  id: string;
  tags: string[];
  scores: number[];
}

export async function zeroShotTags(
  gpu: Gpu,
  model: Model,
  ck: Checkpoint,
  ds: Dataset,
  labels: string[],
  o: { top: number; prompt: string; workers: number; log: (l: string) => void },
): Promise<{ rows: TagRow[]; bad: BadItem[] }> {
  const weights = weightsFor(ck, model.params, model);
  const norm = normOf(ck);
  const tok = modelTokenizer(model);
  const pool = new FeaturizePool(o.workers);
  const emb = await Embedder.create(gpu, model.evalPlan, model.params, weights, 0);
  try {
    const fe = frontEndFromSpec(model.audio);
    const loader = clipLoader(emb, ds.clips, { fe, tokenizer: tok, pool, norm });
    o.log(`tag: embedding ${ds.clips.length} clips and ${labels.length} labels`);
    const audio = await emb.embedAudio(loader);
    const text = await emb.embedText(
      labels.map((l) => o.prompt.replaceAll('{label}', tagWords(l))),
      tok,
      silenceLevel(norm),
    );
    const rows = audio.clips.map((clip, i) => {
      const scores = labels.map((_, j) => {
        let d = 0;
        for (let k = 0; k < emb.dim; k++) d += audio.emb[i * emb.dim + k]! * text[j * emb.dim + k]!;
        return d;
      });
      const best = topK(scores, Math.min(o.top, labels.length));
      const c0 = ds.clips[clip]!;
      return {
        file_name: basename(sourceName(c0.source)),
        id: c0.id,
        tags: best.map((j) => labels[j]!),
        scores: best.map((j) => Math.round(scores[j]! * 1e4) / 1e4),
      };
    });
    return { rows, bad: [...ds.bad, ...loader.bad] };
  } finally {
    emb.destroy();
    await pool.close();
  }
}
