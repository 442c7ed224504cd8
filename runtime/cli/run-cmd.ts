// `flapc run <spec.yaml | compiled-dir> [--data manifest|folder|shard ...] [--steps N] [--seed S]
// [--json]`: load a compiled plan (written by `flapc compile -o`) or compile a spec, initialise
// the parameters from the manifest, and run training steps on the GPU adapter. With data (from
// --data or the spec's `data.train`), batches come from the loader: log-mel crops and WordPiece
// captions, featurised in worker threads a few batches ahead. Without, the batch is synthetic and
// fixed (B random spectrograms, each with its own random caption), so the contrastive loss must
// fall from ln(B) as the model memorises the pairs.
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { parseArgs } from 'node:util';
import { HYPER_NAME, adamwHyper } from '../../compiler/autodiff/train-step.ts';
import { type Plan, parsePlan } from '../../compiler/plan/plan.ts';
import { compileSpec } from '../../compiler/spec/compile-spec.ts';
import { Diagnostics, renderDiagnostics } from '../../compiler/spec/diagnostics.ts';
import type { Gpu } from '../gpu/device.ts';
import { Executable, reportProfile } from '../exec/executor.ts';
import { type ParamSpec, initParam } from '../train/init.ts';
import { CompileUsageError, MANIFEST_FORMAT } from './compile-cmd.ts';
import { writeReport } from './data-cmd.ts';
import { contentHash, defaultCacheDir } from '../data/feature-cache.ts';
import { type FrontEnd, frontEndFromSpec } from '../data/frontend.ts';
import { Loader, type TrainBatch, estimateNorm } from '../data/loader.ts';
import { ManifestError, openDataset } from '../data/manifest.ts';
import { FeaturizePool } from '../data/pool.ts';
import { type WordPieceTokenizer, tokenizerFor } from '../data/tokenizer.ts';
import { evaluateRetrieval } from '../eval/evaluate.ts';
import { type RetrievalMetrics, formatMetrics } from '../eval/retrieval.ts';
import { writeSafetensors } from '../train/checkpoint.ts';
import { learningRate } from '../train/schedule.ts';
import { loadTuning } from '../tune/matmul-tune.ts';
import type { MatmulTuning } from '../../compiler/codegen/matmul.ts';

interface Loaded {
  name: string; plan: Plan; evalPlan: Plan; params: ParamSpec[]; train: Record<string, number>; vocab: number;
  audio: Record<string, unknown>; text: Record<string, unknown>; data: Record<string, unknown>; base: string;
}

function loadCompiled(dir: string): Loaded {
  const read = (f: string): string => {
    try { return readFileSync(join(dir, f), 'utf8'); } catch { throw new CompileUsageError(`${dir} has no ${f} (write one with flapc compile <spec> -o ${dir})`); }
  };
  let m: { format?: string; name: string; spec: string; params: ParamSpec[]; config: { train: Record<string, number>; text: Record<string, number>; audio: Record<string, unknown>; data: Record<string, unknown> }; plans: { train: string; eval: string } };
  try { m = JSON.parse(read('manifest.json')); } catch (e) { throw new CompileUsageError(`${dir}/manifest.json: ${(e as Error).message}`); }
  if (m.format !== MANIFEST_FORMAT) throw new CompileUsageError(`${dir}/manifest.json is not a flapc manifest`);
  let plan: Plan, evalPlan: Plan;
  try {
    plan = parsePlan(read(m.plans.train), `${dir}/${m.plans.train}`);
    evalPlan = parsePlan(read(m.plans.eval), `${dir}/${m.plans.eval}`);
  } catch (e) { throw new CompileUsageError((e as Error).message); }
  return { name: m.name, plan, evalPlan, params: m.params, train: m.config.train, vocab: m.config.text.vocab!, audio: m.config.audio, text: m.config.text, data: m.config.data ?? {}, base: dirname(m.spec) };
}

function compileFor(gpu: Gpu, spec: string, tuning: MatmulTuning | undefined): Loaded | number {
  const d = new Diagnostics();
  const c = compileSpec(spec, gpu.caps, d, undefined, tuning);
  if (!c) { process.stderr.write(`${renderDiagnostics(d.list, d.sources)}\n`); return 2; }
  const cfg = c.model.spec.config;
  return { name: cfg.name, plan: c.trainPlan, evalPlan: c.evalPlan, params: c.model.params, train: cfg.train as Record<string, number>, vocab: cfg.text.vocab as number, audio: cfg.audio, text: cfg.text, data: cfg.data, base: dirname(spec) };
}

/** Gaussian noise from a small LCG (Box-Muller): synthetic but reproducible. */
function noise(n: number, seed: number, scale = 1): Float32Array {
  let s = seed >>> 0;
  const u = (): number => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return (s + 1) / 4294967297; };
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = scale * Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
  return out;
}

export async function runCommand(gpu: Gpu, argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv, allowPositionals: true,
    options: { steps: { type: 'string' }, seed: { type: 'string' }, json: { type: 'boolean' }, data: { type: 'string', multiple: true }, eval: { type: 'string', multiple: true }, save: { type: 'string' }, workers: { type: 'string' }, 'no-cache': { type: 'boolean' } },
  });
  if (positionals.length !== 1) throw new CompileUsageError('usage: flapc run <spec.yaml | compiled-dir> [--data manifest|folder|shard ...] [--eval manifest ...] [--save model.safetensors] [--steps N] [--seed S] [--workers N] [--json]');
  const steps = values.steps === undefined ? 30 : Number(values.steps);
  const seed = values.seed === undefined ? 0 : Number(values.seed);
  if (!Number.isInteger(steps) || steps < 1) throw new CompileUsageError(`--steps must be a positive integer, got '${values.steps}'`);
  if (!Number.isInteger(seed) || seed < 0) throw new CompileUsageError(`--seed must be a non-negative integer, got '${values.seed}'`);
  const target = positionals[0]!;
  if (!existsSync(target)) throw new CompileUsageError(`no such spec or compiled directory: ${target}`);
  const log = (l: string): void => { if (!values.json) process.stderr.write(`${l}\n`); };
  const t0 = performance.now();
  const compiled = statSync(target).isDirectory();
  const tuned = compiled ? undefined : loadTuning(gpu)?.tuning;
  const loaded = compiled ? loadCompiled(target) : compileFor(gpu, target, tuned);
  if (typeof loaded === 'number') return loaded;
  const { plan, params } = loaded;
  // Check the data settings before the (slow) pipeline creation.
  if ((values.data?.length ?? 0) > 0 || specPaths(loaded, 'train').length > 0) checkVocab(loaded);
  const variants = tuned ? `matmul variants tuned for this adapter (small ${tuned.small}, large ${tuned.large})` : 'default matmul variants (`flapc tune` picks them for this adapter)';
  log(`${loaded.name}: ${plan.dispatches.length} kernels, ${plan.pipelines.length} pipelines, ${variants}; creating pipelines`);
  const exe = await Executable.create(gpu, plan);
  const byName = new Map(params.map((p) => [p.name, p]));
  for (const i of plan.inputs) {
    const p = byName.get(i.name);
    if (p) exe.write(i.name, initParam(p, seed));
    else if (i.role === 'state') exe.write(i.name, new Float32Array(i.shape.reduce((a, b) => a * b, 1)));
  }
  const input = (n: string): Plan['inputs'][number] | undefined => plan.inputs.find((i) => i.name === n);
  const mel = input('mel'), tokens = input('tokens');
  if (!mel || !tokens) throw new CompileUsageError("flapc run needs a model whose entry takes 'mel' and 'tokens' inputs");
  const [B, L] = tokens.shape as [number, number];
  const data = await openData(loaded, values.data, { seed, batch: B, maxTokens: L, frames: mel.shape[1]!, workers: values.workers, cache: !values['no-cache'], log });
  if (!data) {
    // Caption b: a random length (4..L) of random word ids; padded with 0 ([PAD]).
    const tok = new Int32Array(B * L);
    const r = noise(B * L * 2, seed + 7);
    for (let b = 0; b < B; b++) {
      const len = 4 + Math.floor(Math.abs(r[b]!) * 1000) % Math.max(1, L - 3);
      for (let j = 0; j < L; j++) tok[b * L + j] = j < len ? 1000 + Math.floor(Math.abs(r[B + b * L + j]!) * 1e6) % Math.max(1, loaded.vocab - 1000) : 0;
    }
    exe.write('mel', noise(mel.shape.reduce((a, b) => a * b, 1), seed + 3));
    exe.write('tokens', tok);
  }
  const tr = loaded.train;
  const cfg = { beta1: tr.beta1!, beta2: tr.beta2!, eps: tr.eps!, weightDecay: tr.weight_decay!, clipNorm: tr.clip! };
  const lossNames = plan.outputs.map((o) => o.name).filter((n) => n.startsWith('loss.'));
  const history: Record<string, number>[] = [];
  let firstStepMs = 0;
  const t1 = performance.now();
  let epoch = 0;
  // Time the trainer spends waiting for the loader after step 1 (the GPU idles for it).
  let dataWaitMs = 0;
  for (let step = 1; step <= steps; step++) {
    if (data) {
      const tw = performance.now();
      const nb = await data.batches.next();
      if (step > 1) dataWaitMs += performance.now() - tw;
      if (nb.done) throw new Error('the data stream ended');
      exe.write('mel', nb.value.mel);
      exe.write('tokens', nb.value.tokens);
      epoch = nb.value.epoch;
    }
    const ts = performance.now();
    const lr = learningRate(step, steps, tr.lr!, tr.warmup!);
    if (input('rng.key')) exe.write('rng.key', new Uint32Array([seed * 100003 + step]));
    exe.write(HYPER_NAME, adamwHyper(cfg, lr, step));
    exe.run();
    const rec: Record<string, number> = { step };
    for (const n of ['loss', 'grad_norm', ...lossNames]) rec[n] = (await exe.read(n))[0]!;
    history.push(rec);
    if (step === 1) firstStepMs = performance.now() - ts;
    log(`step ${String(step).padStart(4)}/${steps}${data ? ` ep ${epoch}` : ''}  loss ${rec.loss!.toFixed(4)}  ${lossNames.map((n) => `${n.slice(5)} ${rec[n]!.toFixed(4)}`).join('  ')}  grad-norm ${rec.grad_norm!.toFixed(3)}${step === 1 ? `  (first step ${(firstStepMs / 1000).toFixed(1)} s: pipelines compile on first use)` : ''}`);
  }
  const msPerStep = steps > 1 ? (performance.now() - t1 - firstStepMs) / (steps - 1) : firstStepMs;
  if (Number(process.env.FLAPC_DEBUG ?? 0) >= 4) await reportProfile(exe);
  // Trained values of every trainable parameter: for the checkpoint and the evaluation step.
  const trained = new Map<string, Float32Array>();
  for (const p of params) if (p.trainable) trained.set(p.name, (await exe.read(p.name)) as Float32Array);
  exe.destroy();
  if (values.save) {
    writeSafetensors(values.save, params.filter((p) => p.trainable).map((p) => ({ name: p.name, shape: [...p.shape], data: trained.get(p.name)! })), {
      format: 'flapc', model: loaded.name, steps: String(steps), seed: String(seed),
      ...(data ? { norm_mean: String(data.norm.mean), norm_std: String(data.norm.std) } : {}),
    });
    log(`saved ${values.save}`);
  }
  let evaluation: { metrics: RetrievalMetrics; bad: number; on: string } | undefined;
  const evalInputs = values.eval && values.eval.length > 0 ? values.eval : specPaths(loaded, 'eval');
  if (evalInputs.length > 0) {
    if (!data) throw new CompileUsageError('--eval needs training data (--data) for the log-mel statistics and the data pipeline');
    const r = await evaluateRetrieval(gpu, loaded.evalPlan, params, trained, evalInputs, { fe: data.fe, norm: data.norm, tokenizer: data.tokenizer, pool: data.pool, cacheDir: data.cacheDir, seed, log });
    evaluation = { metrics: r.metrics, bad: r.bad.length, on: evalInputs.join(', ') };
  }
  await data?.close();
  const first = history[0]!, last = history[history.length - 1]!;
  const dataDesc = data ? { clips: data.loader.clips.length, bad: data.bad(), report: data.report, epochs: epoch + 1, norm: data.norm, waitMsPerStep: steps > 1 ? dataWaitMs / (steps - 1) : 0 } : 'synthetic fixed batch';
  const summary = { model: loaded.name, adapter: gpu.report.description, kernels: plan.dispatches.length, steps, msPerStep, firstStepMs, setupMs: t1 - t0, first, last, history, data: dataDesc, evaluation, checkpoint: values.save };
  if (values.json) console.log(JSON.stringify(summary, null, 2));
  else {
    console.log(data
      ? `${loaded.name} on ${summary.adapter}: ${steps} training steps of ${B} clip/caption pairs from ${data.loader.clips.length} clips (epoch ${epoch + 1}); ${data.bad()} bad items skipped${data.bad() ? ` (listed in ${data.report})` : ''}`
      : `${loaded.name} on ${summary.adapter}: ${steps} training steps on a synthetic fixed batch of ${B} clip/caption pairs`);
    console.log(`  loss ${first.loss!.toFixed(4)} -> ${last.loss!.toFixed(4)}${lossNames.map((n) => `; ${n.slice(5)} ${first[n]!.toFixed(4)} -> ${last[n]!.toFixed(4)}`).join('')} (chance level for the contrastive loss: ln ${B} = ${Math.log(B).toFixed(4)})`);
    console.log(`  ${msPerStep.toFixed(0)} ms/step after a first step of ${(firstStepMs / 1000).toFixed(1)} s${data ? ` (of which ${(dataWaitMs / Math.max(1, steps - 1)).toFixed(0)} ms waiting for data)` : ''}; setup (compile + pipelines) ${((t1 - t0) / 1000).toFixed(1)} s`);
    if (evaluation) console.log(formatMetrics(evaluation.metrics, evaluation.on) + (evaluation.bad ? `\n  (${evaluation.bad} evaluation items could not be loaded)` : ''));
  }
  return 0;
}

interface OpenedData {
  loader: Loader; batches: AsyncGenerator<TrainBatch>; norm: { mean: number; std: number }; report: string; bad: () => number; close: () => Promise<void>;
  fe: FrontEnd; tokenizer: WordPieceTokenizer; pool: FeaturizePool; cacheDir: string | null;
}

function checkVocab(m: Loaded): WordPieceTokenizer {
  const tokenizer = tokenizerFor(m.text.tokenizer as string);
  if (tokenizer.size > m.vocab) throw new CompileUsageError(`the spec's text.vocab (${m.vocab}) is smaller than the ${m.text.tokenizer as string} vocabulary (${tokenizer.size}): token ids would fall outside the embedding table`);
  return tokenizer;
}

/** The spec's data.train / data.eval paths (a string or a list), relative to the spec file. */
function specPaths(m: Loaded, key: 'train' | 'eval'): string[] {
  const v = m.data[key];
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).map((p) => (isAbsolute(String(p)) ? String(p) : join(m.base, String(p))));
}

/** The training stream from --data or the spec's data.train; undefined when neither names data. */
async function openData(m: Loaded, cli: string[] | undefined, o: { seed: number; batch: number; maxTokens: number; frames: number; workers?: string; cache: boolean; log: (l: string) => void }): Promise<OpenedData | undefined> {
  const inputs = cli && cli.length > 0 ? cli : specPaths(m, 'train');
  if (inputs.length === 0) return undefined;
  const workers = o.workers === undefined ? Math.min(2, availableParallelism()) : Number(o.workers);
  if (!Number.isInteger(workers) || workers < 0) throw new CompileUsageError(`--workers must be a non-negative integer, got '${o.workers}'`);
  let ds;
  try { ds = openDataset(inputs); } catch (e) { if (e instanceof ManifestError) throw new CompileUsageError(e.message); throw e; }
  if (ds.clips.length === 0) throw new CompileUsageError(`no usable clips in ${inputs.join(', ')} (${ds.bad.length} bad items; see flapc data check)`);
  const tokenizer = checkVocab(m);
  const fe: FrontEnd = { ...frontEndFromSpec(m.audio), frames: o.frames };
  const cacheDir = o.cache ? defaultCacheDir() : null;
  const pool = new FeaturizePool(workers);
  const reportDir = join(cacheDir ? dirname(cacheDir) : process.cwd(), 'reports');
  const report = join(reportDir, `${contentHash(new TextEncoder().encode(inputs.join('\n'))).slice(0, 12)}.jsonl`);
  o.log(`data: ${ds.clips.length} clips from ${ds.manifests.map((x) => `${x.path} (${x.format})`).join(', ')}; estimating log-mel mean/std`);
  const norm = await estimateNorm(ds.clips, pool, fe, cacheDir, o.seed);
  o.log(`data: log-mel mean ${norm.mean.toFixed(3)}, std ${norm.std.toFixed(3)} over ${norm.clips} clips`);
  const augmentedProb = Number(m.train.augmented_caption_prob ?? 0);
  const withAug = ds.clips.filter((c) => c.augmented).length;
  if (augmentedProb > 0) o.log(`data: ${withAug} of ${ds.clips.length} clips have augmented captions, used with probability ${augmentedProb}`);
  const loader = new Loader(ds.clips, { fe, tokenizer, maxTokens: o.maxTokens, batch: o.batch, seed: o.seed, pool, cacheDir, norm, augmentedProb });
  const bad = (): number => ds.bad.length + loader.bad.length;
  const save = (): void => { mkdirSync(reportDir, { recursive: true }); writeReport(report, [...ds.bad, ...loader.bad]); };
  if (ds.bad.length) { save(); o.log(`data: ${ds.bad.length} bad items skipped, listed in ${report}`); }
  return { loader, batches: loader.train(), norm: { mean: norm.mean, std: norm.std }, report, bad, fe, tokenizer, pool, cacheDir, close: async () => { if (bad()) save(); await pool.close(); } };
}
