// `flapc data check <manifest | folder | shard ...> [--spec spec.yaml] [--json] [--report bad.jsonl]
//  [--workers N] [--no-cache]`: reads, decodes and featurises every clip exactly as training would,
// then prints usable clips and captions, durations, caption lengths, the log-mel mean/std, and every
// bad item with its reason. Exit 0: all usable; 1: some items bad (listed); 2: unusable input.
import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { defaultCacheDir } from '../data/feature-cache.ts';
import { ManifestError } from '../data/manifest.ts';
import { buildCorpus } from '../corpus/build.ts';
import { CorpusToolError } from '../corpus/debian.ts';
import type { Size } from '../corpus/plan.ts';
import { augmentCommand } from './augment-cmd.ts';
import { type CheckReport, DEFAULT_SPEC, checkData } from '../data/check.ts';
import { tagCommand } from './tag-cmd.ts';
import { writeFamilySplit } from '../corpus/family-split.ts';

import { UserError } from '../errors.ts';
import { writeReport } from '../data/bad-report.ts';

function printReport(r: CheckReport): void {
  const s = r.seconds,
    f = (x: number): string => x.toFixed(2);
  console.log(
    `${r.usable} usable clips with ${r.captions} captions; ${r.bad.length} bad of ${r.listed} listed (${r.manifests.map((m) => `${m.path}: ${m.format}`).join(', ')})`,
  );
  console.log(
    `duration   total ${s.total >= 3600 ? `${(s.total / 3600).toFixed(2)} h` : `${(s.total / 60).toFixed(1)} min`}; min ${f(s.min)} s, p10 ${f(s.p10)}, median ${f(s.median)}, p90 ${f(s.p90)}, max ${f(s.max)} s`,
  );
  console.log(
    `           ${Object.entries(s.histogram)
      .map(([k, v]) => `${k}: ${v}`)
      .join(', ')}`,
  );
  console.log(`frames     model sees ${r.frames.model}: ${r.frames.padded} clips padded, ${r.frames.cropped} cropped`);
  console.log(
    `captions   tokens median ${r.tokens.median}, p90 ${r.tokens.p90}, max ${r.tokens.max}; ${r.tokens.truncated} captions truncated to the spec's max_tokens`,
  );
  const o = r.words.oov;
  console.log(
    `words      ${r.words.distinct} distinct${o ? `; ${(100 * o.rate).toFixed(1)} % of ${o.words} words are not in ${o.against.join(', ')} (${o.oov}${o.examples.length ? `; e.g. ${o.examples.slice(0, 6).join(', ')}` : ''})` : ''}`,
  );
  console.log(`log-mel    mean ${r.mel.mean.toFixed(4)}, std ${r.mel.std.toFixed(4)}`);
  if (r.silent.length)
    console.log(`silent     ${r.silent.length} clips are digital silence: ${r.silent.slice(0, 5).join(', ')}${r.silent.length > 5 ? ', ...' : ''}`);
  for (const sk of r.skipped) console.log(`skipped    ${sk.path}: ${sk.reason}`);
  if (r.bad.length) {
    console.log(`bad items (${r.bad.length}):`);
    for (const b of r.bad) console.log(`  ${b.item}: ${b.reason}${b.origin && b.origin !== b.item ? ` (${b.origin})` : ''}`);
  }
  console.log(`checked in ${(r.elapsedMs / 1000).toFixed(1)} s (${r.cached} clips from the feature cache)`);
}

export async function dataCommand(argv: string[], log: (s: string) => void): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'build') return buildCommand(rest, log);
  if (sub === 'augment') return augmentCommand(rest, log);
  if (sub === 'tag') return tagCommand(rest, log);
  if (sub === 'split') return splitCommand(rest);
  if (sub !== 'check') throw new UserError(`unknown data command '${sub ?? ''}' (try: flapc data check|build|augment|tag|split)`);
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      spec: { type: 'string' },
      json: { type: 'boolean' },
      report: { type: 'string' },
      workers: { type: 'string' },
      'no-cache': { type: 'boolean' },
      'oov-against': { type: 'string', multiple: true },
    },
  });
  if (positionals.length === 0) throw new UserError('data check needs at least one manifest, folder or shard');
  const workers = values.workers === undefined ? Math.min(4, availableParallelism()) : Number(values.workers);
  if (!Number.isInteger(workers) || workers < 0) throw new UserError(`--workers must be a non-negative integer, got '${values.workers}'`);
  let r: CheckReport;
  try {
    r = await checkData(positionals, {
      spec: values.spec ?? DEFAULT_SPEC,
      workers,
      cacheDir: values['no-cache'] ? null : defaultCacheDir(),
      log: values.json ? undefined : log,
      ...(values['oov-against'] && { oovAgainst: values['oov-against'] }),
    });
  } catch (e) {
    if (e instanceof ManifestError) throw new UserError(e.message);
    throw e;
  }
  if (values.report) writeReport(values.report, r.bad);
  if (values.json) console.log(JSON.stringify(r, null, 2));
  else printReport(r);
  if (r.usable === 0) {
    log('flapc: error: no usable clips');
    return 2;
  }
  return r.bad.length > 0 ? 1 : 0;
}

/** `flapc data build --out DIR [--size tiny|small|full] [--seed N] [--jobs N] [--json]` */
function splitCommand(argv: string[]): number {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { holdout: { type: 'string' }, seed: { type: 'string' }, json: { type: 'boolean' } },
  });
  const corpus = positionals[0];
  if (!corpus || positionals.length > 1) throw new UserError('data split needs one corpus folder (written by flapc data build)');
  const share = values.holdout === undefined ? 0.12 : Number(values.holdout);
  if (!(share > 0 && share < 0.5)) throw new UserError(`--holdout must be a share between 0 and 0.5, got '${values.holdout}'`);
  const seed = values.seed === undefined ? 0 : Number(values.seed);
  if (!Number.isInteger(seed) || seed < 0) throw new UserError(`--seed must be a non-negative integer, got '${values.seed}'`);
  const r = writeFamilySplit(corpus, share, seed);
  if (values.json) console.log(JSON.stringify(r, null, 2));
  else {
    console.log(`held out ${r.families.length} source families: ${r.families.join(', ')}`);
    console.log(
      `family_train ${r.train} clips, family_val ${r.val}, family_test ${r.test} (chance R@1 ${(100 / Math.max(1, r.test)).toFixed(1)} %); ${r.dropped} clips mixing held-out and seen sources left out`,
    );
    console.log(r.files.join('\n'));
  }
  return 0;
}

async function buildCommand(argv: string[], log: (s: string) => void): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { out: { type: 'string' }, size: { type: 'string' }, seed: { type: 'string' }, jobs: { type: 'string' }, json: { type: 'boolean' } },
  });
  if (!values.out) throw new UserError('data build needs --out DIR');
  const size = (values.size ?? 'small') as Size;
  if (!['tiny', 'small', 'full'].includes(size)) throw new UserError(`--size must be tiny, small or full, got '${values.size}'`);
  const seed = values.seed === undefined ? 0 : Number(values.seed);
  const jobs = values.jobs === undefined ? availableParallelism() : Number(values.jobs);
  if (!Number.isInteger(seed) || seed < 0) throw new UserError(`--seed must be a non-negative integer, got '${values.seed}'`);
  if (!Number.isInteger(jobs) || jobs < 1) throw new UserError(`--jobs must be a positive integer, got '${values.jobs}'`);
  const out = values.out;
  if (existsSync(out) && readdirSync(out).length > 0 && !existsSync(join(out, '.build'))) {
    throw new UserError(`output folder '${out}' is not empty and is not a flapc corpus; choose another --out`);
  }
  const cacheDir = join(process.env.FLAPC_CACHE_DIR ?? join(homedir(), '.cache', 'flapc'), 'corpus');
  let r: Awaited<ReturnType<typeof buildCorpus>>;
  try {
    r = await buildCorpus({ out, size, seed, jobs, cacheDir, log });
  } catch (e) {
    if (e instanceof CorpusToolError) throw new UserError(e.message);
    throw e;
  }
  if (values.json) console.log(JSON.stringify({ out, rendered: r.rendered, reused: r.reused, stats: r.stats }, null, 2));
  else {
    const st = r.stats;
    console.log(
      `${out}: ${st.clips} clips (${Object.entries(st.perSplit)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}), ${(st.seconds.total / 3600).toFixed(2)} h, from ${st.recordings} source recordings; ${r.rendered} rendered, ${r.reused} kept`,
    );
    console.log(
      `  captions: 5 per clip, ${st.captionWords.mean} words on average, vocabulary ${st.vocabulary}; tags in ${join(out, 'tags.jsonl')}, stats in ${join(out, 'stats.json')}`,
    );
    console.log(`  train with: flapc run models/flap-tiny.yaml --data ${join(out, 'clotho_captions_train.csv')}`);
  }
  return 0;
}
