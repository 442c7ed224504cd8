import { type Oov, outOfVocabulary, vocabulary } from './words.ts';
import { fileURLToPath } from 'node:url';
import { Diagnostics, loadSpec, renderDiagnostics } from '../../compiler/index.ts';
import { UserError } from '../errors.ts';
import { type FrontEnd, frontEndFromSpec } from './frontend.ts';
import { type BadItem, type Dataset, openDataset, sourceName } from './manifest.ts';
import { FeaturizePool } from './pool.ts';
import { tokenizerFor } from './tokenizer.ts';

export const DEFAULT_SPEC = fileURLToPath(new URL('../../models/flap-tiny.yaml', import.meta.url));

export function frontEndOf(specPath: string): { fe: FrontEnd; tokenizer: string; maxTokens: number; spec: string } {
  const diags = new Diagnostics();
  const spec = loadSpec(specPath, diags);
  if (!spec) throw new UserError(`spec has errors:\n${renderDiagnostics(diags.list, diags.sources)}`);
  return { fe: frontEndFromSpec(spec.config.audio), tokenizer: spec.config.text.tokenizer, maxTokens: spec.config.text.max_tokens, spec: specPath };
}

const quantile = (xs: number[], q: number): number => xs[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? 0;

export interface CheckReport {
  inputs: string[];
  spec: string;
  manifests: Dataset['manifests'];
  skipped: Dataset['skipped'];
  listed: number;
  usable: number;
  captions: number;
  bad: BadItem[];
  silent: string[];
  seconds: { total: number; min: number; p10: number; median: number; p90: number; max: number; histogram: Record<string, number> };
  frames: { model: number; padded: number; cropped: number };
  tokens: { max: number; median: number; p90: number; truncated: number };
  /** Distinct caption words; with `oovAgainst`, the words outside that manifest's captions. */
  words: { distinct: number; oov?: Oov & { against: string[] } };
  mel: { mean: number; std: number };
  cached: number;
  elapsedMs: number;
}

export async function checkData(
  inputs: string[],
  opts: { spec: string; workers: number; cacheDir: string | null; log?: (s: string) => void; oovAgainst?: string[] },
): Promise<CheckReport> {
  const t0 = performance.now();
  const { fe, tokenizer, maxTokens } = frontEndOf(opts.spec);
  const ds = openDataset(inputs);
  const tok = tokenizerFor(tokenizer);
  const pool = new FeaturizePool(opts.workers);
  const bad = [...ds.bad];
  const durations: number[] = [],
    silent: string[] = [];
  let usable = 0,
    captions = 0,
    cached = 0,
    padded = 0,
    cropped = 0,
    n = 0,
    sum = 0,
    sq = 0,
    done = 0,
    lastLog = 0;
  const tokenLens: number[] = [];
  try {
    const window = Math.max(4, opts.workers * 4);
    let next = 0;
    const inflight = new Map<number, Promise<void>>();
    const start = (i: number): void => {
      const c = ds.clips[i]!;
      inflight.set(
        i,
        pool.run({ source: c.source, fe, cacheDir: opts.cacheDir }).then((r) => {
          inflight.delete(i);
          done++;
          if (!r.ok) {
            bad.push({ item: sourceName(c.source), reason: r.reason, origin: c.origin });
            return;
          }
          usable++;
          captions += c.captions.length;
          if (r.cached) cached++;
          durations.push(r.features.seconds);
          if (r.features.silent) silent.push(sourceName(c.source));
          if (r.features.frames < fe.frames) padded++;
          else if (r.features.frames > fe.frames) cropped++;
          for (const v of r.features.mel) {
            n++;
            sum += v;
            sq += v * v;
          }
          for (const cap of c.captions) tokenLens.push(tok.tokenize(cap).length + 2);
          const now = performance.now();
          if (opts.log && (now - lastLog > 1000 || done === ds.clips.length)) {
            lastLog = now;
            opts.log(`checked ${done}/${ds.clips.length} clips, ${bad.length} bad, ${(done / ((now - t0) / 1000)).toFixed(1)} clips/s`);
          }
        }),
      );
    };
    while (next < ds.clips.length || inflight.size > 0) {
      while (next < ds.clips.length && inflight.size < window) start(next++);
      if (inflight.size > 0) await Promise.race(inflight.values());
    }
  } finally {
    await pool.close();
  }
  durations.sort((a, b) => a - b);
  tokenLens.sort((a, b) => a - b);
  // Buckets include their upper bound: a 10.00 s clip is a 5-10 s clip.
  const hist: Record<string, number> = { '<=1s': 0, '1-5s': 0, '5-10s': 0, '10-30s': 0, '>30s': 0 };
  for (const d of durations) hist[d <= 1 ? '<=1s' : d <= 5 ? '1-5s' : d <= 10 ? '5-10s' : d <= 30 ? '10-30s' : '>30s']!++;
  const mean = n ? sum / n : 0;
  return {
    inputs,
    spec: opts.spec,
    manifests: ds.manifests,
    skipped: ds.skipped,
    listed: ds.clips.length + ds.bad.length,
    usable,
    captions,
    bad,
    silent,
    seconds: {
      total: durations.reduce((a, b) => a + b, 0),
      min: durations[0] ?? 0,
      p10: quantile(durations, 0.1),
      median: quantile(durations, 0.5),
      p90: quantile(durations, 0.9),
      max: durations.at(-1) ?? 0,
      histogram: hist,
    },
    frames: { model: fe.frames, padded, cropped },
    tokens: {
      max: tokenLens.at(-1) ?? 0,
      median: quantile(tokenLens, 0.5),
      p90: quantile(tokenLens, 0.9),
      truncated: tokenLens.filter((l) => l > maxTokens).length,
    },
    words: wordStats(ds, opts.oovAgainst),
    mel: { mean, std: n ? Math.sqrt(Math.max(0, sq / n - mean * mean)) : 0 },
    cached,
    elapsedMs: Math.round(performance.now() - t0),
  };
}

function wordStats(ds: Dataset, against: string[] | undefined): CheckReport['words'] {
  const captions = ds.clips.flatMap((c) => c.captions);
  const distinct = vocabulary(captions).size;
  if (!against?.length) return { distinct };
  const known = vocabulary(openDataset(against).clips.flatMap((c) => c.captions));
  return { distinct, oov: { ...outOfVocabulary(captions, known), against } };
}
