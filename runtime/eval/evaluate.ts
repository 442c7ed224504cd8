// Retrieval evaluation of a model on a dataset: embed every loadable clip (evaluation crop or
// chunk average) and every caption of those clips with the compiled evaluation step, then the
// metrics of docs/design.md section 6. Clips that fail to load are reported, not scored.
import type { Plan } from '../../compiler/index.ts';
import type { Gpu } from '../gpu/device.ts';
import { silenceLevel } from '../data/features.ts';
import type { FrontEnd } from '../data/frontend.ts';
import type { Norm } from '../data/loader.ts';
import { type BadItem, type Clip, type Dataset, sourceName } from '../data/manifest.ts';
import type { FeaturizePool } from '../data/pool.ts';
import type { WordPieceTokenizer } from '../data/tokenizer.ts';
import type { ParamSpec } from '../train/init.ts';
import { Embedder } from './embed.ts';
import { type RetrievalMetrics, retrievalMetrics } from './retrieval.ts';
import { clipLoader } from './clip-loader.ts';

export interface EvalContext {
  fe: FrontEnd;
  norm: Norm;
  tokenizer: WordPieceTokenizer;
  pool: FeaturizePool;
  cacheDir: string | null;
  seed: number;
  log: (s: string) => void;
}

export interface Evaluation {
  metrics: RetrievalMetrics;
  bad: BadItem[];
  /** The scored clips (in embedding order), their normalised embeddings [clips, dim] and captions [captions, dim]. */
  clips: Clip[];
  audio: Float32Array;
  text: Float32Array;
  captions: string[];
  captionClip: number[];
  dim: number;
}

export { silenceLevel } from '../data/features.ts';

export async function evaluateRetrieval(
  gpu: Gpu,
  plan: Plan,
  params: ParamSpec[],
  values: Map<string, Float32Array>,
  ds: Dataset,
  ctx: EvalContext,
): Promise<Evaluation> {
  const emb = await Embedder.create(gpu, plan, params, values, ctx.seed);
  try {
    const loader = clipLoader(emb, ds.clips, ctx);
    ctx.log(`eval: embedding ${ds.clips.length} clips`);
    const audio = await emb.embedAudio(loader);
    const captions: string[] = [],
      captionClip: number[] = [];
    audio.clips.forEach((c, i) => {
      for (const t of ds.clips[c]!.captions) {
        captions.push(t);
        captionClip.push(i);
      }
    });
    ctx.log(`eval: embedding ${captions.length} captions`);
    const text = await emb.embedText(captions, ctx.tokenizer, silenceLevel(ctx.norm));
    return {
      metrics: retrievalMetrics(audio.emb, text, captionClip, emb.dim),
      bad: [...ds.bad, ...loader.bad],
      clips: audio.clips.map((c) => ds.clips[c]!),
      audio: audio.emb,
      text,
      captions,
      captionClip,
      dim: emb.dim,
    };
  } finally {
    emb.destroy();
  }
}

/** Text->audio R@1 and R@10 per tag (clips carrying the tag, each caption a query). */
export function recallByTag(ev: Evaluation): { tag: string; clips: number; queries: number; r1: number; r10: number }[] {
  const { audio, text, captionClip, dim, clips } = ev;
  const n = clips.length;
  const rankOf = (q: number): number => {
    const score = (i: number): number => {
      let d = 0;
      for (let k = 0; k < dim; k++) d += text[q * dim + k]! * audio[i * dim + k]!;
      return d;
    };
    const t = captionClip[q]!,
      st = score(t);
    let r = 1;
    for (let i = 0; i < n; i++) {
      const s = score(i);
      if (s > st || (s === st && i < t)) r++;
    }
    return r;
  };
  const byTag = new Map<string, { clips: Set<number>; ranks: number[] }>();
  captionClip.forEach((c, q) => {
    const r = rankOf(q);
    for (const tag of clips[c]!.tags) {
      const e = byTag.get(tag) ?? { clips: new Set(), ranks: [] };
      e.clips.add(c);
      e.ranks.push(r);
      byTag.set(tag, e);
    }
  });
  return [...byTag]
    .map(([tag, e]) => ({
      tag,
      clips: e.clips.size,
      queries: e.ranks.length,
      r1: e.ranks.filter((r) => r <= 1).length / e.ranks.length,
      r10: e.ranks.filter((r) => r <= 10).length / e.ranks.length,
    }))
    .sort((a, b) => b.clips - a.clips || a.tag.localeCompare(b.tag));
}

/** Cosine similarity of the first `n` clips with their first captions: the report's heatmap. */
export function similaritySample(ev: Evaluation, n = 16): { clips: string[]; captions: string[]; sim: number[][] } {
  const m = Math.min(n, ev.clips.length),
    { dim } = ev;
  const first = Array.from({ length: m }, (_, i) => ev.captionClip.indexOf(i));
  const sim = Array.from({ length: m }, (_, i) =>
    first.map((q) => {
      let d = 0;
      for (let k = 0; k < dim; k++) d += ev.audio[i * dim + k]! * ev.text[q * dim + k]!;
      return Math.round(d * 1e4) / 1e4;
    }),
  );
  return { clips: ev.clips.slice(0, m).map((c) => sourceName(c.source).split('/').pop()!), captions: first.map((q) => ev.captions[q]!), sim };
}
