// `flapc run embed`: audio files, folders and manifests -> one row per clip in the vector index,
// embedded in batches through the compiled evaluation step (long clips: every chunk, averaged).
// Ids are a hash of the clip's path, so embedding the same file again replaces its row. With
// --shard i/N a worker takes the clips whose id hashes to i mod N: N workers fill one index and
// their union is exactly a single run's rows.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { UserError } from '../errors.ts';
import type { Gpu } from '../gpu/device.ts';
import { frontEndFromSpec } from '../data/frontend.ts';
import { AUDIO_EXTS, type BadItem, type Clip, openDataset, sourceName } from '../data/manifest.ts';
import { FeaturizePool } from '../data/pool.ts';
import { Embedder } from '../eval/embed.ts';
import { normOf } from '../eval/checkpoint-eval.ts';
import { type Model, modelTokenizer } from '../model/model.ts';
import { type Checkpoint, weightsFor } from '../train/state.ts';
import type { Progress } from '../train/progress.ts';
import { type ClipRow, VectorIndex } from './store.ts';
import { AUDIO_EMB } from '../../compiler/names.ts';
import { clipLoader } from '../eval/clip-loader.ts';

export interface Shard {
  index: number;
  count: number;
}

/** `i/N`, or Kubernetes Indexed Job variables; undefined means the whole set. */
export function parseShard(arg: string | undefined, env: NodeJS.ProcessEnv = process.env): Shard | undefined {
  const text =
    arg ??
    (env.JOB_COMPLETION_INDEX !== undefined && env.JOB_COMPLETION_COUNT !== undefined ? `${env.JOB_COMPLETION_INDEX}/${env.JOB_COMPLETION_COUNT}` : undefined);
  if (text === undefined) return undefined;
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const s = m && { index: Number(m[1]), count: Number(m[2]) };
  if (!s || s.count < 1 || s.index >= s.count) throw new UserError(`--shard must be i/N with 0 <= i < N, got '${text}'`);
  return s;
}

export const clipId = (c: Clip): string => createHash('sha256').update(resolveSource(c)).digest('hex').slice(0, 20);
const resolveSource = (c: Clip): string => (c.source.kind === 'file' ? resolve(c.source.path) : `${resolve(c.source.path)}:${c.source.member}`);
export const inShard = (id: string, s: Shard | undefined): boolean => !s || parseInt(id.slice(0, 8), 16) % s.count === s.index;

export function fileHash(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** Audio files (captions from a `.txt` sidecar, when there is one), folders walked recursively, manifests read. */
export function collectClips(inputs: string[]): { clips: Clip[]; bad: BadItem[] } {
  const clips: Clip[] = [],
    bad: BadItem[] = [];
  const audio = (path: string): void => {
    const side = `${path.slice(0, -extname(path).length)}.txt`;
    const captions = existsSync(side)
      ? readFileSync(side, 'utf8')
          .split('\n')
          .map((l) => l.trim())
          .filter(Boolean)
      : [];
    clips.push({ id: path, source: { kind: 'file', path }, captions, tags: [], origin: path });
  };
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (AUDIO_EXTS.includes(extname(e.name).toLowerCase())) audio(p);
    }
  };
  for (const input of inputs) {
    if (!existsSync(input)) throw new UserError(`no such file or folder: ${input}`);
    if (statSync(input).isDirectory()) walk(input);
    else if (AUDIO_EXTS.includes(extname(input).toLowerCase())) audio(input);
    else {
      const ds = openDataset([input]);
      clips.push(...ds.clips);
      bad.push(...ds.bad);
    }
  }
  const seen = new Set<string>();
  return {
    clips: clips.filter((c) => {
      const k = resolveSource(c);
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    }),
    bad,
  };
}

export interface EmbedSummary {
  index: string;
  embedded: number;
  skipped: number;
  rows: number;
  bad: BadItem[];
  seconds: number;
  clipsPerSecond: number;
  ann: boolean;
  shard?: Shard;
}

export async function embedLibrary(
  gpu: Gpu,
  model: Model,
  ck: Checkpoint,
  inputs: string[],
  o: { index: string; shard?: Shard; workers: number; ui: Progress; annMinRows?: number },
): Promise<EmbedSummary> {
  const weights = weightsFor(ck, model.params, model);
  const norm = normOf(ck);
  const all = collectClips(inputs);
  const clips = all.clips.filter((c) => inShard(clipId(c), o.shard));
  if (all.clips.length === 0) throw new UserError(`no audio found in ${inputs.join(', ')} (${AUDIO_EXTS.join(', ')} files, folders of them, or manifests)`);
  const checkpointHash = fileHash(ck.path);
  const dim = model.evalPlan.outputs.find((x) => x.name === AUDIO_EMB)?.shape[1];
  if (!dim) throw new UserError(`${model.name} has no audio_emb output to index`);
  const index = await VectorIndex.openForWrite(o.index, {
    model: model.name,
    spec: resolve(model.spec),
    specHash: model.specHash,
    checkpoint: resolve(ck.path),
    checkpointHash,
    dim,
    normMean: norm.mean,
    normStd: norm.std,
  });
  const pool = new FeaturizePool(o.workers);
  const emb = await Embedder.create(gpu, model.evalPlan, model.params, weights, 0);
  const t0 = performance.now();
  try {
    const fe = { ...frontEndFromSpec(model.audio), frames: emb.frames, longAudio: 'chunks' as const };
    const loader = clipLoader(emb, clips.length ? clips : all.clips.slice(0, 1), { fe, tokenizer: modelTokenizer(model), pool, norm });
    const out = clips.length
      ? await emb.embedAudio(loader, (done) => {
          const s = (performance.now() - t0) / 1000;
          o.ui.update(`embedding ${done}/${clips.length} clips  ${(done / Math.max(s, 1e-3)).toFixed(1)} clips/s`);
        })
      : { emb: new Float32Array(0), clips: [] as number[] };
    o.ui.done();
    const rows: ClipRow[] = out.clips.map((c, i) => ({
      id: clipId(clips[c]!),
      path: sourceName(clips[c]!.source),
      duration: loader.seconds.get(c) ?? 0,
      captions: clips[c]!.captions,
      tags: clips[c]!.tags,
      model: model.name,
      checkpoint_hash: checkpointHash,
      vector: out.emb.slice(i * emb.dim, (i + 1) * emb.dim),
    }));
    // Few, large merges: each one joins its rows against the whole table by id.
    for (let i = 0; i < rows.length; i += 50_000) await index.upsert(rows.slice(i, i + 50_000));
    const seconds = (performance.now() - t0) / 1000;
    const ann = await index.buildAnnIndex(o.annMinRows);
    return {
      index: o.index,
      embedded: rows.length,
      skipped: all.clips.length - clips.length,
      rows: await index.count(),
      bad: [...all.bad, ...(clips.length ? loader.bad : [])],
      seconds,
      clipsPerSecond: rows.length / Math.max(seconds, 1e-9),
      ann,
      ...(o.shard && { shard: o.shard }),
    };
  } finally {
    emb.destroy();
    await pool.close();
    index.close();
  }
}
