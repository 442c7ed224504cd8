// FLAP's caption augmentation over a dataset: every caption rewritten with the clip's tags
// (offline rules, or an OpenAI-compatible LLM with an on-disk cache) into a JSONL manifest that
// keeps the originals beside the augmented captions. A failed or refused request keeps the
// original caption and is counted. runtime/cli/augment-cmd.ts parses the flags and prints.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, relative, resolve } from 'node:path';
import { fillPrompt, ruleRewrite } from './augment.ts';
import type { LlmClient } from './llm-client.ts';
import { type Clip, ManifestError, openDataset } from '../data/manifest.ts';
import { UserError } from '../errors.ts';

export interface AugmentSummary {
  clips: number;
  captions: number;
  augmented: number;
  kept: number;
  cached: number;
  untagged: number;
  reasons: Record<string, number>;
  backend: string;
}

/** tags.jsonl: {"file_name" | "id" | "audio": ..., "tags": [...]} per line, matched by file name. */
export function readTags(path: string): Map<string, string[]> {
  const m = new Map<string, string[]>();
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UserError(`cannot read tags file: ${(e as Error).message}`);
  }
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    let o: Record<string, unknown>;
    try {
      o = JSON.parse(line);
    } catch (e) {
      throw new UserError(`${path}:${i + 1}: malformed JSON: ${(e as Error).message}`);
    }
    const key = [o.file_name, o.id, o.audio].find((x) => typeof x === 'string') as string | undefined;
    const tags = Array.isArray(o.tags) ? o.tags.filter((t): t is string => typeof t === 'string') : typeof o.tags === 'string' ? o.tags.split(';') : undefined;
    if (!key || !tags) throw new UserError(`${path}:${i + 1}: each line needs file_name (or id/audio) and tags`);
    m.set(basename(key), tags);
  });
  return m;
}

export async function augment(
  inputs: string[],
  opts: {
    tags: Map<string, string[]>;
    out: string;
    seed: number;
    llm?: LlmClient;
    prompt: string;
    log?: (s: string) => void;
  },
): Promise<AugmentSummary> {
  let ds: ReturnType<typeof openDataset>;
  try {
    ds = openDataset(inputs);
  } catch (e) {
    if (e instanceof ManifestError) throw new UserError(e.message);
    throw e;
  }
  if (ds.clips.some((c) => c.source.kind !== 'file'))
    throw new UserError('augment writes a JSONL manifest of audio files; WebDataset shards are not supported as its input');
  const s: AugmentSummary = {
    clips: ds.clips.length,
    captions: 0,
    augmented: 0,
    kept: 0,
    cached: 0,
    untagged: 0,
    reasons: {},
    backend: opts.llm ? `llm:${opts.llm.o.model}` : 'rules',
  };
  const outDir = dirname(resolve(opts.out));
  let done = 0,
    last = 0;
  const lines = await Promise.all(
    ds.clips.map(async (c: Clip) => {
      const path = (c.source as { path: string }).path;
      const tags = opts.tags.get(basename(path)) ?? opts.tags.get(c.id) ?? [];
      if (tags.length === 0) s.untagged++;
      const augmented = await Promise.all(
        c.captions.map(async (cap) => {
          s.captions++;
          if (!opts.llm) {
            s.augmented++;
            return ruleRewrite(cap, tags, opts.seed);
          }
          const r = await opts.llm.complete(fillPrompt(opts.prompt, cap, tags), cap, tags);
          if (r.ok) {
            s.augmented++;
            if (r.cached) s.cached++;
            return r.text;
          }
          s.kept++;
          const why = r.reason.replace(/:.*$/, '');
          s.reasons[why] = (s.reasons[why] ?? 0) + 1;
          return cap;
        }),
      );
      done++;
      const now = performance.now();
      if (opts.log && (now - last > 2000 || done === ds.clips.length)) {
        last = now;
        opts.log(`augmented ${done}/${ds.clips.length} clips`);
      }
      const audio = isAbsolute(path) ? relative(outDir, path) : relative(outDir, resolve(path));
      return JSON.stringify({ audio, id: c.id, captions: c.captions, augmented, tags });
    }),
  );
  const tmp = `${opts.out}.tmp-${process.pid}`;
  writeFileSync(tmp, lines.join('\n') + (lines.length ? '\n' : ''));
  renameSync(tmp, opts.out);
  return s;
}
