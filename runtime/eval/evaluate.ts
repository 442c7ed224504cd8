// Retrieval evaluation of a model on a manifest: embed every loadable clip (evaluation crop or
// chunk average) and every caption of those clips with the compiled evaluation step, then the
// metrics of design.md section 6. Clips that fail to load are reported, not scored.
import type { Plan } from '../../compiler/plan/plan.ts';
import type { Gpu } from '../gpu/device.ts';
import { LOG_FLOOR } from '../data/fbank.ts';
import type { FrontEnd } from '../data/frontend.ts';
import { Loader, type Norm } from '../data/loader.ts';
import { type BadItem, openDataset } from '../data/manifest.ts';
import type { FeaturizePool } from '../data/pool.ts';
import type { WordPieceTokenizer } from '../data/tokenizer.ts';
import type { ParamSpec } from '../train/init.ts';
import { Embedder } from './embed.ts';
import { type RetrievalMetrics, retrievalMetrics } from './retrieval.ts';

export interface EvalContext {
  fe: FrontEnd; norm: Norm; tokenizer: WordPieceTokenizer; pool: FeaturizePool; cacheDir: string | null; seed: number; log: (s: string) => void;
}

export async function evaluateRetrieval(gpu: Gpu, plan: Plan, params: ParamSpec[], values: Map<string, Float32Array>, inputs: string[], ctx: EvalContext): Promise<{ metrics: RetrievalMetrics; bad: BadItem[] }> {
  const ds = openDataset(inputs);
  if (ds.clips.length === 0) throw new Error(`no usable clips to evaluate in ${inputs.join(', ')}`);
  const emb = await Embedder.create(gpu, plan, params, values, ctx.seed);
  try {
    const fe = { ...ctx.fe, frames: emb.frames };
    const loader = new Loader(ds.clips, { fe, tokenizer: ctx.tokenizer, maxTokens: emb.maxTokens, batch: emb.batch, seed: ctx.seed, pool: ctx.pool, cacheDir: ctx.cacheDir, norm: ctx.norm });
    ctx.log(`eval: embedding ${ds.clips.length} clips`);
    const audio = await emb.embedAudio(loader);
    const texts: string[] = [], capClip: number[] = [];
    audio.clips.forEach((c, i) => { for (const t of ds.clips[c]!.captions) { texts.push(t); capClip.push(i); } });
    ctx.log(`eval: embedding ${texts.length} captions`);
    const text = await emb.embedText(texts, ctx.tokenizer, (LOG_FLOOR - ctx.norm.mean) / (2 * ctx.norm.std));
    return { metrics: retrievalMetrics(audio.emb, text, capClip, emb.dim), bad: [...ds.bad, ...loader.bad] };
  } finally {
    emb.destroy();
  }
}
