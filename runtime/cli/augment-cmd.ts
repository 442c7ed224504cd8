// `flapc data augment <manifest|folder ...> --tags tags.jsonl --out augmented.jsonl [--seed N]
//  [--llm URL --model NAME [--api-key K] [--prompt FILE] [--concurrency N] [--timeout MS] [--retries N]]`
// Rewrites every caption with the clip's tags (offline rules by default, an OpenAI-compatible LLM
// when given) into a JSONL manifest that keeps the originals beside the augmented captions. A failed
// or refused request keeps the original caption and is counted.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_PROMPT, fillPrompt, ruleRewrite } from '../corpus/augment.ts';
import { LlmClient } from '../corpus/llm-client.ts';
import { type Clip, ManifestError, openDataset } from '../data/manifest.ts';

import { UserError } from '../errors.ts';

export interface AugmentSummary { clips: number; captions: number; augmented: number; kept: number; cached: number; untagged: number; reasons: Record<string, number>; backend: string }

/** tags.jsonl: {"file_name" | "id" | "audio": ..., "tags": [...]} per line, matched by file name. */
export function readTags(path: string): Map<string, string[]> {
  const m = new Map<string, string[]>();
  let text: string;
  try { text = readFileSync(path, 'utf8'); } catch (e) { throw new UserError(`cannot read tags file: ${(e as Error).message}`); }
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    let o: Record<string, unknown>;
    try { o = JSON.parse(line); } catch (e) { throw new UserError(`${path}:${i + 1}: malformed JSON: ${(e as Error).message}`); }
    const key = [o.file_name, o.id, o.audio].find((x) => typeof x === 'string') as string | undefined;
    const tags = Array.isArray(o.tags) ? o.tags.filter((t): t is string => typeof t === 'string') : typeof o.tags === 'string' ? o.tags.split(';') : undefined;
    if (!key || !tags) throw new UserError(`${path}:${i + 1}: each line needs file_name (or id/audio) and tags`);
    m.set(basename(key), tags);
  });
  return m;
}

export async function augment(inputs: string[], opts: {
  tags: Map<string, string[]>; out: string; seed: number; llm?: LlmClient; prompt: string; log?: (s: string) => void;
}): Promise<AugmentSummary> {
  let ds: ReturnType<typeof openDataset>;
  try { ds = openDataset(inputs); } catch (e) { if (e instanceof ManifestError) throw new UserError(e.message); throw e; }
  if (ds.clips.some((c) => c.source.kind !== 'file')) throw new UserError('augment writes a JSONL manifest of audio files; WebDataset shards are not supported as its input');
  const s: AugmentSummary = { clips: ds.clips.length, captions: 0, augmented: 0, kept: 0, cached: 0, untagged: 0, reasons: {}, backend: opts.llm ? `llm:${opts.llm.o.model}` : 'rules' };
  const outDir = dirname(resolve(opts.out));
  let done = 0, last = 0;
  const lines = await Promise.all(ds.clips.map(async (c: Clip) => {
    const path = (c.source as { path: string }).path;
    const tags = opts.tags.get(basename(path)) ?? opts.tags.get(c.id) ?? [];
    if (tags.length === 0) s.untagged++;
    const augmented = await Promise.all(c.captions.map(async (cap) => {
      s.captions++;
      if (!opts.llm) { s.augmented++; return ruleRewrite(cap, tags, opts.seed); }
      const r = await opts.llm.complete(fillPrompt(opts.prompt, cap, tags), cap, tags);
      if (r.ok) { s.augmented++; if (r.cached) s.cached++; return r.text; }
      s.kept++;
      const why = r.reason.replace(/:.*$/, '');
      s.reasons[why] = (s.reasons[why] ?? 0) + 1;
      return cap;
    }));
    done++;
    const now = performance.now();
    if (opts.log && (now - last > 2000 || done === ds.clips.length)) { last = now; opts.log(`augmented ${done}/${ds.clips.length} clips`); }
    const audio = isAbsolute(path) ? relative(outDir, path) : relative(outDir, resolve(path));
    return JSON.stringify({ audio, id: c.id, captions: c.captions, augmented, tags });
  }));
  const tmp = `${opts.out}.tmp-${process.pid}`;
  writeFileSync(tmp, lines.join('\n') + (lines.length ? '\n' : ''));
  renameSync(tmp, opts.out);
  return s;
}

export async function augmentCommand(argv: string[], log: (s: string) => void): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv, allowPositionals: true,
    options: {
      tags: { type: 'string' }, out: { type: 'string' }, seed: { type: 'string' }, llm: { type: 'string' }, model: { type: 'string' }, 'api-key': { type: 'string' },
      prompt: { type: 'string' }, concurrency: { type: 'string' }, timeout: { type: 'string' }, retries: { type: 'string' }, json: { type: 'boolean' },
    },
  });
  if (positionals.length === 0 || !values.tags || !values.out) throw new UserError('usage: flapc data augment <manifest|folder ...> --tags tags.jsonl --out augmented.jsonl [--llm URL --model NAME]');
  const num = (v: string | undefined, d: number, what: string, min: number): number => {
    const n = v === undefined ? d : Number(v);
    if (!Number.isInteger(n) || n < min) throw new UserError(`--${what} must be an integer >= ${min}, got '${v}'`);
    return n;
  };
  if (values.llm && !values.model) throw new UserError('--llm needs --model NAME');
  let prompt = DEFAULT_PROMPT;
  if (values.prompt) {
    try { prompt = readFileSync(values.prompt, 'utf8'); } catch (e) { throw new UserError(`cannot read prompt template: ${(e as Error).message}`); }
    if (!prompt.includes('{caption}')) throw new UserError(`${values.prompt}: the prompt template must contain {caption} (and usually {tags})`);
  }
  const llm = values.llm ? new LlmClient({
    baseUrl: values.llm, model: values.model!, apiKey: values['api-key'] ?? process.env.OPENAI_API_KEY, timeoutMs: num(values.timeout, 60_000, 'timeout', 1),
    retries: num(values.retries, 3, 'retries', 0), backoffMs: 500, concurrency: num(values.concurrency, 4, 'concurrency', 1),
    cacheDir: join(process.env.FLAPC_CACHE_DIR ?? join(homedir(), '.cache', 'flapc'), 'llm'),
  }) : undefined;
  const s = await augment(positionals, { tags: readTags(values.tags), out: values.out, seed: num(values.seed, 0, 'seed', 0), llm, prompt, log: values.json ? undefined : log });
  if (values.json) console.log(JSON.stringify(s, null, 2));
  else {
    console.log(`${values.out}: ${s.captions} captions of ${s.clips} clips via ${s.backend}: ${s.augmented} augmented (${s.cached} from cache), ${s.kept} kept original${s.kept ? ` (${Object.entries(s.reasons).map(([k, v]) => `${k}: ${v}`).join(', ')})` : ''}`);
    if (s.untagged) console.log(`  ${s.untagged} clips had no tags in ${values.tags}`);
  }
  return 0;
}
