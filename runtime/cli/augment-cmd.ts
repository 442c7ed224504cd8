// `flapc data augment <manifest|folder ...> --tags tags.jsonl --out augmented.jsonl [--seed N]
//  [--llm URL --model NAME [--api-key K] [--prompt FILE] [--concurrency N] [--timeout MS] [--retries N]]`
// Rewrites every caption with the clip's tags (offline rules by default, an OpenAI-compatible LLM
// when given) into a JSONL manifest that keeps the originals beside the augmented captions. A failed
// or refused request keeps the original caption and is counted.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_PROMPT } from '../corpus/augment.ts';
import { LlmClient } from '../corpus/llm-client.ts';

import { UserError } from '../errors.ts';
import { augment, readTags } from '../corpus/augment-dataset.ts';

export async function augmentCommand(argv: string[], log: (s: string) => void): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      tags: { type: 'string' },
      out: { type: 'string' },
      seed: { type: 'string' },
      llm: { type: 'string' },
      model: { type: 'string' },
      'api-key': { type: 'string' },
      prompt: { type: 'string' },
      concurrency: { type: 'string' },
      timeout: { type: 'string' },
      retries: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  if (positionals.length === 0 || !values.tags || !values.out)
    throw new UserError('usage: flapc data augment <manifest|folder ...> --tags tags.jsonl --out augmented.jsonl [--llm URL --model NAME]');
  const num = (v: string | undefined, d: number, what: string, min: number): number => {
    const n = v === undefined ? d : Number(v);
    if (!Number.isInteger(n) || n < min) throw new UserError(`--${what} must be an integer >= ${min}, got '${v}'`);
    return n;
  };
  if (values.llm && !values.model) throw new UserError('--llm needs --model NAME');
  let prompt = DEFAULT_PROMPT;
  if (values.prompt) {
    try {
      prompt = readFileSync(values.prompt, 'utf8');
    } catch (e) {
      throw new UserError(`cannot read prompt template: ${(e as Error).message}`);
    }
    if (!prompt.includes('{caption}')) throw new UserError(`${values.prompt}: the prompt template must contain {caption} (and usually {tags})`);
  }
  const llm = values.llm
    ? new LlmClient({
        baseUrl: values.llm,
        model: values.model!,
        apiKey: values['api-key'] ?? process.env.OPENAI_API_KEY,
        timeoutMs: num(values.timeout, 60_000, 'timeout', 1),
        retries: num(values.retries, 3, 'retries', 0),
        backoffMs: 500,
        concurrency: num(values.concurrency, 4, 'concurrency', 1),
        cacheDir: join(process.env.FLAPC_CACHE_DIR ?? join(homedir(), '.cache', 'flapc'), 'llm'),
      })
    : undefined;
  const s = await augment(positionals, {
    tags: readTags(values.tags),
    out: values.out,
    seed: num(values.seed, 0, 'seed', 0),
    llm,
    prompt,
    log: values.json ? undefined : log,
  });
  if (values.json) console.log(JSON.stringify(s, null, 2));
  else {
    console.log(
      `${values.out}: ${s.captions} captions of ${s.clips} clips via ${s.backend}: ${s.augmented} augmented (${s.cached} from cache), ${s.kept} kept original${
        s.kept
          ? ` (${Object.entries(s.reasons)
              .map(([k, v]) => `${k}: ${v}`)
              .join(', ')})`
          : ''
      }`,
    );
    if (s.untagged) console.log(`  ${s.untagged} clips had no tags in ${values.tags}`);
  }
  return 0;
}
