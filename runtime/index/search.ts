// `flapc run search`: embed a text (or an audio file) with the model the index records and
// return the nearest clips. The spec and checkpoint are found where the index says (or where
// --spec/--checkpoint point, if they moved) and must be the very ones that built it.
import { existsSync } from 'node:fs';
import { UserError } from '../errors.ts';
import type { Gpu } from '../gpu/device.ts';
import { frontEndFromSpec } from '../data/frontend.ts';
import { FeaturizePool } from '../data/pool.ts';
import { Embedder } from '../eval/embed.ts';
import { silenceLevel } from '../eval/evaluate.ts';
import { loadModel, modelTokenizer } from '../model/model.ts';
import { loadCheckpoint, weightsFor } from '../train/state.ts';
import { collectClips, fileHash } from './embed-library.ts';
import type { SearchHit, VectorIndex } from './store.ts';
import { clipLoader } from '../eval/clip-loader.ts';

export interface SearchRequest {
  index: string;
  text?: string;
  audio?: string;
  k: number;
  where?: string;
  spec?: string;
  checkpoint?: string;
  exact?: boolean;
}

/** Where the model lives, checked before the GPU starts. */
export function locateModel(index: VectorIndex, r: SearchRequest): { spec: string; checkpoint: string } {
  const spec = r.spec ?? index.meta.spec,
    checkpoint = r.checkpoint ?? index.meta.checkpoint;
  if (!existsSync(spec)) throw new UserError(`the spec that built ${r.index} is not at ${spec} any more: pass --spec`);
  if (!existsSync(checkpoint)) throw new UserError(`the checkpoint that built ${r.index} is not at ${checkpoint} any more: pass --checkpoint`);
  if (fileHash(checkpoint) !== index.meta.checkpointHash)
    throw new UserError(`${checkpoint} is not the checkpoint that built ${r.index} (its hash differs): queries must be embedded by the same model`);
  if (r.audio && !existsSync(r.audio)) throw new UserError(`no such audio file: ${r.audio}`);
  return { spec, checkpoint };
}

export async function embedQuery(gpu: Gpu, index: VectorIndex, where: { spec: string; checkpoint: string }, r: SearchRequest): Promise<Float32Array> {
  const model = loadModel(gpu, where.spec);
  if (model.specHash !== index.meta.specHash)
    throw new UserError(`${where.spec} is not the spec that built ${r.index} (spec hash ${model.specHash}, the index has ${index.meta.specHash})`);
  const ck = loadCheckpoint(where.checkpoint);
  const emb = await Embedder.create(gpu, model.evalPlan, model.params, weightsFor(ck, model.params, model), 0);
  const norm = { mean: index.meta.normMean, std: index.meta.normStd };
  try {
    if (r.text !== undefined) return await emb.embedText([r.text], modelTokenizer(model), silenceLevel(norm));
    const pool = new FeaturizePool(1);
    try {
      const { clips } = collectClips([r.audio!]);
      const fe = { ...frontEndFromSpec(model.audio), frames: emb.frames, longAudio: 'chunks' as const };
      const loader = clipLoader(emb, clips, { fe, tokenizer: modelTokenizer(model), pool, norm });
      const out = await emb.embedAudio(loader);
      if (out.clips.length === 0) throw new UserError(`cannot use ${r.audio} as a query: ${loader.bad[0]?.reason ?? 'it did not decode'}`);
      return out.emb;
    } finally {
      await pool.close();
    }
  } finally {
    emb.destroy();
  }
}

export async function search(index: VectorIndex, query: Float32Array, r: SearchRequest): Promise<SearchHit[]> {
  // refine 50: recall@10 0.99 at 10^6 rows for +2.5 ms p50 over refine 10 (0.82); bench/RESULTS.md.
  return index.search(query, r.k, { ...(r.where && { where: r.where }), ...(r.exact && { exact: true }), nprobes: 64, refine: 50 });
}
