// flapc command line: the only place that wires compiler/ and runtime/ together.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { IRError } from '../../compiler/ir/types.ts';
import { GpuError, NoAdapterError, acquireGpu, describeAdapter, releaseInstance, requestAdapter, vectorWidthHint } from '../gpu/device.ts';
import { benchMatmul } from './bench-matmul.ts';
import { runDemo } from './demo.ts';
import { CompileUsageError, compileCommand } from './compile-cmd.ts';
import { runCommand } from './run-cmd.ts';
import { DataUsageError, dataCommand } from './data-cmd.ts';
import { AugmentUsageError } from './augment-cmd.ts';
import { TagUsageError } from './tag-cmd.ts';
import { loadTuning, tuneMatmul } from '../tune/matmul-tune.ts';

/** Progress lines go to stderr so --json output stays clean. */
const progress = (line: string): void => { process.stderr.write(`${line}\n`); };

const USAGE = `flapc — FLAP as config files, compiled to WGSL, run on any GPU through Dawn

usage:
  flapc doctor [--json] [--all]        show the WebGPU adapter (exit 3 if none); --all lists every Vulkan driver's adapter
  flapc demo [--steps N] [--json]       train a small model on the GPU and print loss and accuracy
  flapc run <spec.yaml | compiled-dir> [--data manifest|folder|shard ...] [--eval manifest ...] [--save model.safetensors]
                [--steps N] [--seed S] [--workers N] [--json]
                                        compile (or load) a model and train it on the GPU from the data (--data,
                                        else the spec's data.train; with neither, a synthetic fixed batch); then
                                        save a safetensors checkpoint and print retrieval metrics (R@k, mAP@10)
  flapc run bench matmul [--sizes 256,512,1024] [--rounds N] [--tfjs] [--json]
                                        GFLOP/s of every matmul variant (and tfjs-webgpu) on this adapter,
                                        first-run (pipeline compile) time and per-dispatch overhead
  flapc compile <spec.yaml> [-o outdir] [--emit summary|ir|kernels|wgsl|plan] [--graph train|eval]
                [--target adapter|baseline] [--json]
                                        check a spec and compile its training and evaluation steps
  flapc tune [--if-missing] [--json]    time the matmul variants on this adapter and cache the fastest
  flapc data check <manifest|folder|shard...> [--spec spec.yaml] [--json] [--report bad.jsonl] [--workers N] [--no-cache]
                                        decode and featurise every clip as training would; print usable clips,
                                        durations, caption lengths, log-mel mean/std and every bad item
                                        (Clotho/AudioCaps CSV, JSONL, WebDataset .tar, folders with .txt/.json
                                        sidecars); exit 1 if any item is bad, 2 if none is usable
  flapc data build --out DIR [--size tiny|small|full] [--seed N] [--jobs N] [--json]
                                        build the offline corpus from Debian packages (sound effects, General-MIDI
                                        renders, espeak-ng speech, sox textures and mixtures): Clotho CSVs per
                                        split, tags.jsonl, stats.json; resumes an interrupted build
  flapc data augment <manifest|folder ...> --tags tags.jsonl --out augmented.jsonl [--seed N]
                [--llm URL --model NAME [--prompt FILE] [--concurrency N] [--timeout MS] [--retries N]]
                                        rewrite captions with the clips' event tags (offline rules, or an
                                        OpenAI-compatible chat endpoint with an on-disk cache)
  flapc data tag <manifest|folder ...> --checkpoint model.safetensors --spec spec.yaml --labels labels.txt
                --out tags.jsonl [--top 3] [--prompt "the sound of {label}"]
                                        zero-shot event tags from a trained checkpoint (for data augment)
options: --adapter NAME (or FLAPC_ADAPTER) picks an adapter by name; FLAPC_DEBUG=1..4 prints IR, kernels, WGSL, timings`;

class UsageError extends Error {}

async function doctor(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { json: { type: 'boolean' }, all: { type: 'boolean' } } });
  if (values.all) return doctorAll(!!values.json);
  const adapter = await requestAdapter();
  const r = describeAdapter(adapter);
  const hint = vectorWidthHint(r.device);
  if (values.json) { console.log(JSON.stringify({ ...r, hints: hint ? [hint] : [] }, null, 2)); return 0; }
  console.log(`adapter: ${r.description || r.device || '(unnamed)'}  vendor: ${r.vendor || '-'}  architecture: ${r.architecture || '-'}`);
  console.log(`vulkan icd: ${r.icd ?? '(system default)'}`);
  console.log(`features: ${r.features.join(', ')}`);
  for (const [k, v] of Object.entries(r.limits)) console.log(`  ${k.padEnd(36)} ${v}`);
  if (hint) console.log(`hint: ${hint}`);
  return 0;
}

/** Each Vulkan driver in its own process (the ICD is chosen at process start). */
function doctorAll(json: boolean): number {
  const dirs = ['/usr/share/vulkan/icd.d', '/etc/vulkan/icd.d'];
  const icds = dirs.filter(existsSync).flatMap((d) => readdirSync(d).filter((f) => f.endsWith('.json')).map((f) => `${d}/${f}`));
  if (existsSync('/usr/lib/chromium/vk_swiftshader_icd.json')) icds.push('/usr/lib/chromium/vk_swiftshader_icd.json');
  const self = fileURLToPath(import.meta.url);
  const found: unknown[] = [];
  for (const icd of icds) {
    const r = spawnSync(process.execPath, ['--import', 'tsx', self, 'doctor', '--json'], {
      env: { ...process.env, VK_ICD_FILENAMES: icd }, encoding: 'utf8', timeout: 60_000,
    });
    if (r.status !== 0) continue;
    try {
      const rep = JSON.parse(r.stdout) as { description: string; vendor: string; caps: unknown };
      found.push({ ...rep, icd });
      if (!json) console.log(`${icd}\n  ${rep.description || '(unnamed)'} (vendor ${rep.vendor || '-'})`);
    } catch { /* not an adapter report */ }
  }
  if (json) console.log(JSON.stringify(found, null, 2));
  if (found.length === 0) throw new NoAdapterError('no Vulkan driver produced an adapter');
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const adapterAt = argv.indexOf('--adapter');
  if (adapterAt >= 0) {
    if (!argv[adapterAt + 1]) throw new UsageError('--adapter needs a name');
    process.env.FLAPC_ADAPTER = argv[adapterAt + 1];
    argv = [...argv.slice(0, adapterAt), ...argv.slice(adapterAt + 2)];
  }
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case 'doctor': return doctor(rest);
    case 'demo': {
      const { values } = parseArgs({ args: rest, options: { steps: { type: 'string' }, json: { type: 'boolean' } } });
      const steps = values.steps === undefined ? 200 : Number(values.steps);
      if (!Number.isInteger(steps) || steps < 1) throw new UsageError(`--steps must be a positive integer, got '${values.steps}'`);
      const gpu = await acquireGpu();
      try { await runDemo(gpu, steps, !!values.json); } finally { gpu.destroy(); }
      return 0;
    }
    case 'run': {
      if (rest[0] !== 'bench') {
        const gpu = await acquireGpu();
        try { return await runCommand(gpu, rest); } finally { gpu.destroy(); }
      }
      if (rest[1] !== 'matmul') throw new UsageError(`unknown benchmark '${rest[1] ?? ''}' (try: flapc run bench matmul)`);
      const { values } = parseArgs({ args: rest.slice(2), options: { sizes: { type: 'string' }, rounds: { type: 'string' }, json: { type: 'boolean' }, tfjs: { type: 'boolean' } } });
      const sizes = (values.sizes ?? '256,512,1024').split(',').map(Number);
      if (sizes.some((s) => !Number.isInteger(s) || s < 1)) throw new UsageError(`--sizes must be positive integers, got '${values.sizes}'`);
      const rounds = values.rounds === undefined ? 10 : Number(values.rounds);
      if (!Number.isInteger(rounds) || rounds < 1) throw new UsageError(`--rounds must be a positive integer, got '${values.rounds}'`);
      const gpu = await acquireGpu();
      try { await benchMatmul(gpu, { sizes, rounds, json: !!values.json, tfjs: !!values.tfjs, log: progress }); } finally { gpu.destroy(); }
      return 0;
    }
    case 'compile': return compileCommand(rest);
    case 'data': return dataCommand(rest, progress);
    case 'tune': {
      const { values } = parseArgs({ args: rest, options: { json: { type: 'boolean' }, 'if-missing': { type: 'boolean' } } });
      const gpu = await acquireGpu();
      try {
        // --if-missing: keep a valid cached choice for this adapter (scripts call it every run).
        const rec = (values['if-missing'] ? loadTuning(gpu) : undefined) ?? await tuneMatmul(gpu, progress);
        if (values.json) console.log(JSON.stringify(rec, null, 2));
        else console.log(`matmul variants for ${rec.adapter}: small -> ${rec.tuning.small}, large -> ${rec.tuning.large} (cached)`);
      } finally { gpu.destroy(); }
      return 0;
    }
    case undefined: case 'help': case '--help': case '-h': console.log(USAGE); return cmd ? 0 : 2;
    default: throw new UsageError(`unknown command '${cmd}'\n\n${USAGE}`);
  }
}

main(process.argv.slice(2)).then((code) => { releaseInstance(); process.exitCode = code; }, (e: unknown) => {
  releaseInstance();
  if (e instanceof NoAdapterError) { console.error(`flapc: ${e.message}`); process.exitCode = 3; return; }
  if (e instanceof UsageError || e instanceof CompileUsageError || e instanceof DataUsageError || e instanceof AugmentUsageError || e instanceof TagUsageError || e instanceof IRError || e instanceof GpuError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    console.error(`flapc: error: ${(e as Error).message}`);
    process.exitCode = 2;
    return;
  }
  console.error(e);   // an internal bug: keep the stack
  process.exitCode = 1;
});
