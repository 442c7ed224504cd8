// `flapc run train`: everything that can be checked is checked before slow work starts (run
// folder writable, nothing overwritten by accident, checkpoint to resume or start from fits the
// model, data usable), then data, pipelines, the loop, and the final evaluation.
import { augmentFromSpec } from '../data/augment-audio.ts';
import { accessSync, constants, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, renameSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { UserError } from '../errors.ts';
import type { Gpu } from '../gpu/device.ts';
import type { Dataset } from '../data/manifest.ts';
import { type Model, modelTokenizer, planInput, specPaths } from '../model/model.ts';
import { type Evaluation, evaluateRetrieval } from '../eval/evaluate.ts';
import { type TrainData, openTrainData, openUsable } from './data.ts';
import type { Progress } from './progress.ts';
import { type Checkpoint, compareWithModel, describeMismatch, loadCheckpoint } from './state.ts';
import { type StopSignal, type TrainResult, Trainer } from './trainer.ts';
import { initParam, isStored } from './init.ts';
import { wordVectors } from '../model/word-vectors.ts';
import { MEL, TOKENS } from '../../compiler/names.ts';

export interface TrainOptions {
  out?: string;
  steps?: number;
  seed: number;
  saveEvery: number;
  valEvery: number;
  data: string[];
  val: string[];
  eval: string[];
  resume: boolean;
  overwrite: boolean;
  init?: string;
  initPartial: boolean;
  save?: string;
  workers?: number;
  cache: boolean;
  command: string[];
}

export interface TrainOutcome {
  model: Model;
  out: string;
  result: TrainResult;
  data?: TrainData;
  evaluation?: { ev: Evaluation; on: string };
  dataSummary?: { clips: number; bad: number; report: string };
}

/** A folder we can write to (made if missing), or a UserError before any work. */
export function ensureWritableDir(dir: string, what: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
    const probe = join(dir, `.flapc-write-test-${process.pid}`);
    writeFileSync(probe, '');
    rmSync(probe);
  } catch (e) {
    throw new UserError(`cannot write ${what} '${dir}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

function resumeFrom(out: string, model: Model): Checkpoint {
  const path = join(out, 'last.safetensors');
  if (!existsSync(path)) throw new UserError(`nothing to resume: ${path} does not exist (start without --resume)`);
  const ck = loadCheckpoint(path);
  if (ck.meta.kind !== 'train-state') throw new UserError(`${path} holds weights only, not a training state: use --init to start from it`);
  if (ck.meta.specHash !== model.specHash)
    throw new UserError(
      `${path} was trained from another spec (spec hash ${ck.meta.specHash}; ${model.spec} has ${model.specHash}): resume with the spec it was trained from, or start a new run with --init`,
    );
  const d = compareWithModel(ck, model.params);
  if (d.missing.length || d.reshaped.length) throw new UserError(`${path} does not fit ${model.name}: ${describeMismatch(d)}`);
  return ck;
}

function initFrom(path: string, model: Model, partial: boolean, seed: number, log: (l: string) => void): Map<string, Float32Array> {
  const ck = loadCheckpoint(path);
  const d = compareWithModel(ck, model.params);
  if ((d.missing.length || d.reshaped.length) && !partial) {
    throw new UserError(
      `--init ${path} does not fit ${model.name}: ${describeMismatch(d)}. Pass --init-partial to start those tensors from the spec's initialisers`,
    );
  }
  if (d.missing.length || d.reshaped.length || d.unused.length) log(`init: ${describeMismatch(d)}; these start from the spec's initialisers`);
  const out = new Map<string, Float32Array>();
  for (const p of model.params) {
    const t = ck.tensors.get(p.name);
    if (isStored(p) && t && t.shape.join(',') === p.shape.join(',')) out.set(p.name, t.data);
    else if (isStored(p)) out.set(p.name, initParam(p, seed, wordVectors));
  }
  return out;
}

function writeRunJson(out: string, model: Model, gpu: Gpu, o: TrainOptions, steps: number): void {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  const run = {
    model: model.name,
    spec: resolve(model.spec),
    specHash: model.specHash,
    command: o.command,
    cwd: process.cwd(),
    steps,
    seed: o.seed,
    data: o.data,
    val: o.val,
    resumed: o.resume,
    init: o.init ?? null,
    adapter: gpu.report.description || gpu.report.device,
    versions: { flapc: pkg.version, node: process.version, platform: `${process.platform}-${process.arch}` },
    started: new Date().toISOString(),
    config: { train: model.train, audio: model.audio, text: model.text },
  };
  const path = join(out, 'run.json');
  writeFileSync(`${path}.tmp`, JSON.stringify(run, null, 2));
  renameSync(`${path}.tmp`, path);
}

/** The training and validation data a run folder's run.json recorded. */
function previousInputs(out: string): { data: string[]; val: string[] } | undefined {
  try {
    const r = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { data?: string[]; val?: string[] };
    return r.data?.length ? { data: r.data, val: r.val ?? [] } : undefined;
  } catch {
    return undefined;
  }
}

/** Datasets named on the command line, else in the spec. */
function inputsFor(model: Model, cli: string[], key: string): string[] {
  return cli.length > 0 ? cli : specPaths(model, key);
}

export async function trainModel(gpu: Gpu, model: Model, o: TrainOptions, ui: Progress, emit: (row: object) => void, stop: StopSignal): Promise<TrainOutcome> {
  const out = o.out ?? join('runs', model.name);
  // --- checks before slow work
  ensureWritableDir(out, 'the run folder');
  if (o.save) {
    // A file's folder must exist (as for any output file); run folders are made.
    if (!existsSync(dirname(o.save))) throw new UserError(`cannot write --save ${o.save}: the folder '${dirname(o.save)}' does not exist`);
    ensureWritableDir(dirname(o.save), 'the folder of --save');
  }
  if (!o.resume && !o.overwrite && existsSync(join(out, 'last.safetensors')))
    throw new UserError(`${out} already holds a run (last.safetensors): pass --resume to continue it, --overwrite to start again, or another --out`);
  const resume = o.resume ? resumeFrom(out, model) : undefined;
  const steps = o.steps ?? (resume?.meta.totalSteps || model.train.steps);
  if (resume && resume.meta.step >= steps)
    throw new UserError(`${out}/last.safetensors already finished step ${resume.meta.step} of ${steps}: pass a larger --steps to train on`);
  if (model.train.unmasked_steps >= steps)
    throw new UserError(`train.unmasked_steps (${model.train.unmasked_steps}) must be fewer than the run's ${steps} steps: they are its last steps`);
  const seed = resume ? resume.meta.seed : o.seed;
  const init = o.init ? initFrom(o.init, model, o.initPartial, seed, ui.log) : undefined;
  // A resumed run goes on with the data it was started with, unless told otherwise.
  const before = resume && !o.data.length ? previousInputs(out) : undefined;
  const trainInputs = before?.data ?? inputsFor(model, o.data, 'train'),
    valInputs = o.val.length || !before ? inputsFor(model, o.val, 'val') : before.val;
  const evalInputs = inputsFor(model, o.eval, 'eval');
  const tokenizer = trainInputs.length || valInputs.length || evalInputs.length ? modelTokenizer(model) : undefined;
  const ds = trainInputs.length ? openUsable(trainInputs, 'training') : undefined;
  const val = valInputs.length ? openUsable(valInputs, 'validation') : undefined;
  const evalDs = evalInputs.length ? openUsable(evalInputs, 'evaluation') : undefined;
  if ((val || evalDs) && !ds) throw new UserError('validation and evaluation need training data (--data) for the log-mel statistics');
  writeRunJson(out, model, gpu, { ...o, data: trainInputs.map((p) => resolve(p)), val: valInputs.map((p) => resolve(p)) }, steps);
  // --- slow work
  const mel = planInput(model.plan, MEL),
    tokens = planInput(model.plan, TOKENS);
  const norm = resume?.meta.normMean !== undefined ? { mean: resume.meta.normMean, std: resume.meta.normStd! } : undefined;
  const workers = o.workers ?? Math.min(2, availableParallelism());
  const data =
    ds &&
    (await openTrainData(ds, trainInputs, {
      audio: model.audio,
      augmentedProb: model.train.augmented_caption_prob,
      augment: augmentFromSpec(model.train),
      seed,
      batch: tokens.shape[0]!,
      maxTokens: tokens.shape[1]!,
      frames: mel.shape[1]!,
      workers,
      cache: o.cache,
      tokenizer: tokenizer!,
      ...(norm && { norm }),
      ...(resume && { start: { epoch: resume.meta.dataEpoch, pos: resume.meta.dataPos } }),
      log: ui.log,
    }));
  try {
    ui.log(
      `${model.name}: ${model.plan.dispatches.length} kernels, ${model.plan.pipelines.length} pipelines, ${model.variants}; creating pipelines${resume ? `; resuming at step ${resume.meta.step} of ${steps}` : ''}`,
    );
    const trainer = await Trainer.create(
      gpu,
      model,
      data,
      {
        out,
        steps,
        seed,
        saveEvery: o.saveEvery,
        valEvery: o.valEvery,
        ...(resume && { resume }),
        ...(init && { init }),
        ...(val && { val }),
        ...(o.save && { save: o.save }),
      },
      ui,
      emit,
    );
    let result: TrainResult;
    try {
      result = await trainer.run(stop);
    } finally {
      trainer.destroy();
    }
    const evaluation = evalDs && !result.interrupted ? await finalEval(gpu, model, result, data!, evalDs, evalInputs, seed, ui) : undefined;
    return {
      model,
      out,
      result,
      ...(data && { data, dataSummary: { clips: data.loader.clips.length, bad: data.bad(), report: data.report } }),
      ...(evaluation && { evaluation }),
    };
  } finally {
    await data?.close();
  }
}

async function finalEval(
  gpu: Gpu,
  model: Model,
  r: TrainResult,
  d: TrainData,
  ds: Dataset,
  inputs: string[],
  seed: number,
  ui: Progress,
): Promise<{ ev: Evaluation; on: string }> {
  const ev = await evaluateRetrieval(gpu, model.evalPlan, model.params, r.trained, ds, {
    fe: d.fe,
    norm: d.norm,
    tokenizer: d.tokenizer,
    pool: d.pool,
    cacheDir: d.cacheDir,
    seed,
    log: ui.log,
  });
  return { ev, on: inputs.join(', ') };
}
