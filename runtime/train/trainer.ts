// The trainer: one compiled training step run for N steps from a data stream, with a run
// folder that makes the run inspectable and resumable:
//   last.safetensors   weights + AdamW moments + step + stream position + spec hash + log-mel
//                      statistics, written atomically every --save-every steps and at the end
//   best.safetensors   weights with the best validation mAP@10 (mean of both directions)
//   metrics.jsonl      one row per step (loss terms, logit scale, lr, grad norm, speed, data
//                      wait) and one per validation
//   run.json           spec, command line, adapter, versions
//   validation.json    the last validation's metrics, a similarity sample and recall per tag
// Resuming restores everything a step depends on (weights, moments, step, stream position,
// statistics; the RNG is counter-based on the step), so on one adapter the losses after a
// resume equal an uninterrupted run's bit for bit.
import { appendFileSync, existsSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { HYPER_NAME, type Plan, adamwConfig, adamwHyper } from '../../compiler/index.ts';
import { UserError } from '../errors.ts';
import type { Gpu } from '../gpu/device.ts';
import { Executable, reportProfile } from '../exec/executor.ts';
import type { Dataset } from '../data/manifest.ts';
import { type Model, planInput } from '../model/model.ts';
import { type Evaluation, evaluateRetrieval, recallByTag, similaritySample } from '../eval/evaluate.ts';
import { initParam, isStored } from './init.ts';
import { wordVectors } from '../model/word-vectors.ts';
import { type Progress, formatDuration } from './progress.ts';
import { scheduledRate } from './schedule.ts';
import { type Checkpoint, saveCheckpoint } from './state.ts';
import { EMA_EVERY, WeightAverage } from './ema.ts';
import type { TrainData } from './data.ts';
import type { Tensor } from './checkpoint.ts';
import { gaussian } from '../../compiler/ir/lcg.ts';
import { GRAD_NORM, LOSS, LOSS_PREFIX, MEL, RNG_KEY, TOKENS } from '../../compiler/names.ts';

export interface TrainPlan {
  out: string;
  steps: number;
  seed: number;
  saveEvery: number;
  valEvery: number;
  /** Where to start: a training state (--resume) or weights only (--init). */
  resume?: Checkpoint;
  init?: Map<string, Float32Array>;
  val?: Dataset;
  save?: string;
}

export interface StepRow {
  step: number;
  loss: number;
  grad_norm: number;
  lr: number;
  ms: number;
  clips_per_s: number;
  data_wait_ms: number;
  epoch: number;
  elapsed_s: number;
  logit_scale?: number;
  [term: string]: number | undefined;
}
export interface ValRow {
  step: number;
  seconds: number;
  val: { a2t: Record<string, number>; t2a: Record<string, number>; map10: number; clips: number; captions: number };
}

export interface TrainResult {
  steps: number;
  startStep: number;
  interrupted: boolean;
  msPerStep: number;
  firstStepMs: number;
  first?: StepRow;
  last?: StepRow;
  best?: { step: number; map10: number };
  trained: Map<string, Float32Array>;
  lastCheckpoint: string;
}

export class NonFiniteError extends UserError {}

/** A seeded batch of Gaussian log-mels and random captions (4..L tokens) in the plan's shapes. */
export function syntheticBatch(plan: Plan, vocab: number, seed: number): { mel: Float32Array; tokens: Int32Array } {
  const mel = planInput(plan, MEL),
    tokens = planInput(plan, TOKENS);
  const [B, L] = tokens.shape as [number, number];
  // Seed offsets keep the caption and spectrogram draws independent of each other.
  const r = gaussian(B * L * 2, seed + 7);
  const tok = new Int32Array(B * L);
  // ids past WordPiece's special and unused rows where the vocabulary has them, else from 1;
  // always inside the table (a 300-row test vocabulary once got id 1000)
  const first = vocab > 1000 ? 1000 : 1;
  for (let b = 0; b < B; b++) {
    const len = 4 + (Math.floor(Math.abs(r[b]!) * 1000) % Math.max(1, L - 3));
    for (let j = 0; j < L; j++) tok[b * L + j] = j < len ? first + (Math.floor(Math.abs(r[B + b * L + j]!) * 1e6) % Math.max(1, vocab - first)) : 0;
  }
  return {
    mel: gaussian(
      mel.shape.reduce((a, b) => a * b, 1),
      seed + 3,
    ),
    tokens: tok,
  };
}

/** Interrupt requests (SIGINT): the loop stops after the current step and checkpoints. */
export interface StopSignal {
  stopped: boolean;
}

const LOGIT_SCALE_MAX = Math.log(100); // the clamp of info_nce in stdlib.flap
/** Names of the averaged weights in last.safetensors (train.ema_decay), so a resume continues the average. */
const EMA_PREFIX = 'ema.';

/**
 * The RNG key of a step: distinct for every (seed, step) pair up to 100003 steps, and a pure
 * function of them, so a resumed run draws the same masks as an uninterrupted one.
 */
export const rngKey = (seed: number, step: number): number => (seed * 100003 + step) >>> 0;

export class Trainer {
  private readonly metricsPath: string;
  private best: { step: number; map10: number } | undefined;
  private lastEval: Evaluation | undefined;
  /** The executable that runs the steps: `exe`, or the unmasked plan's in the last train.unmasked_steps. */
  private active: Executable;
  /** train.ema_decay > 0: the averaged weights validated, kept and saved (ema.ts). */
  private readonly ema: WeightAverage | undefined;

  private constructor(
    private gpu: Gpu,
    private model: Model,
    private exe: Executable,
    private data: TrainData | undefined,
    private p: TrainPlan,
    private ui: Progress,
    private emit: (row: object) => void,
  ) {
    this.metricsPath = join(p.out, 'metrics.jsonl');
    this.active = exe;
    const decay = model.train.ema_decay;
    if (decay > 0) {
      const restored = new Map<string, Float32Array>();
      for (const [n, t] of p.resume?.tensors ?? []) if (n.startsWith(EMA_PREFIX)) restored.set(n.slice(EMA_PREFIX.length), t.data);
      this.ema = new WeightAverage(decay, p.resume?.meta.step ?? 0, restored);
    }
  }

  /**
   * From here on train with the unmasked plan (FLIP's tuning). It hands weights, buffers and AdamW
   * moments over by name; what it lacks (the decoder) stays in `exe`, unchanged, and is saved from there.
   */
  private async enterUnmasked(): Promise<void> {
    const tune = await Executable.create(this.gpu, this.model.unmaskedPlan!);
    tune.enableSnapshots();
    for (const i of tune.plan.inputs) if (i.role !== 'data') tune.write(i.name, await this.exe.read(i.name));
    if (!this.data) for (const n of [MEL, TOKENS]) tune.write(n, await this.exe.read(n));
    this.active = tune;
    this.ui.log(`step ${this.unmaskedFrom() + 1}: the last ${this.model.train.unmasked_steps} steps train on every token (train.unmasked_steps)`);
  }

  private unmaskedFrom(): number {
    return this.model.unmaskedPlan ? this.p.steps - this.model.train.unmasked_steps : Number.POSITIVE_INFINITY;
  }

  /** The executable holding the current value of an input (the unmasked plan's when it has it). */
  private holder(name: string): Executable {
    return this.active.plan.inputs.some((i) => i.name === name) ? this.active : this.exe;
  }

  static async create(gpu: Gpu, model: Model, data: TrainData | undefined, p: TrainPlan, ui: Progress, emit: (row: object) => void): Promise<Trainer> {
    const exe = await Executable.create(gpu, model.plan);
    exe.enableSnapshots();
    const t = new Trainer(gpu, model, exe, data, p, ui, emit);
    t.initialise();
    return t;
  }

  /** Spec initialisers, then --init weights or the resumed state on top. */
  private initialise(): void {
    const { plan, params } = this.model;
    const byName = new Map(params.map((q) => [q.name, q]));
    const from = this.p.resume ? new Map([...this.p.resume.tensors].map(([n, t]) => [n, t.data])) : (this.p.init ?? new Map());
    for (const i of plan.inputs) {
      const q = byName.get(i.name);
      const v = from.get(i.name);
      if (v) this.exe.write(i.name, v);
      else if (q) this.exe.write(i.name, initParam(q, this.p.seed, wordVectors));
      else if (i.role === 'state') this.exe.write(i.name, new Float32Array(i.shape.reduce((a, b) => a * b, 1)));
    }
    if (!this.data) this.writeSyntheticBatch();
  }

  /** No data: a fixed synthetic batch the model must memorise (the loss falls from ln B). */
  private writeSyntheticBatch(): void {
    const b = syntheticBatch(this.model.plan, this.model.text.vocab, this.p.seed);
    this.exe.write(MEL, b.mel);
    this.exe.write(TOKENS, b.tokens);
  }

  async run(stop: StopSignal): Promise<TrainResult> {
    const { steps, saveEvery, valEvery } = this.p;
    const start = this.p.resume?.meta.step ?? 0;
    this.trimMetrics(start);
    const batch = planInput(this.model.plan, TOKENS).shape[0]!;
    const lossTerms = (exe: Executable): string[] => exe.plan.outputs.map((o) => o.name).filter((n) => n.startsWith(LOSS_PREFIX));
    const hasScale = this.model.plan.inputs.some((i) => i.name === 'logit_scale');
    const t0 = performance.now();
    let first: StepRow | undefined,
      last: StepRow | undefined,
      firstStepMs = 0,
      stream = this.p.resume ? { epoch: this.p.resume.meta.dataEpoch, pos: this.p.resume.meta.dataPos } : { epoch: 0, pos: 0 };
    let step = start;
    while (step < steps && !stop.stopped) {
      step++;
      if (step > this.unmaskedFrom() && this.active === this.exe) await this.enterUnmasked();
      const exe = this.active;
      const lossNames = lossTerms(exe);
      const tw = performance.now();
      let epoch = 0;
      if (this.data) {
        const nb = await this.data.batches.next();
        if (nb.done) throw new Error('the data stream ended');
        exe.write(MEL, nb.value.mel);
        exe.write(TOKENS, nb.value.tokens);
        epoch = nb.value.epoch;
        stream = nb.value.next;
      }
      const ts = performance.now();
      const lr = scheduledRate(step, steps, this.model.train);
      if (exe.plan.inputs.some((i) => i.name === RNG_KEY)) exe.write(RNG_KEY, new Uint32Array([rngKey(this.p.seed, step)]));
      exe.write(HYPER_NAME, adamwHyper(adamwConfig(this.model.train), lr, step));
      exe.run();
      const scalars = await exe.readScalars([LOSS, GRAD_NORM, ...lossNames, ...(hasScale ? ['logit_scale'] : [])]);
      const row: StepRow = {
        step,
        loss: scalars[0]!,
        grad_norm: scalars[1]!,
        lr,
        ms: 0,
        clips_per_s: 0,
        data_wait_ms: ts - tw,
        epoch,
        elapsed_s: 0,
      };
      lossNames.forEach((n, k) => {
        row[n] = scalars[2 + k]!;
      });
      if (!Number.isFinite(row.loss) || !Number.isFinite(row.grad_norm)) await this.nonFinite(step, row);
      if (hasScale) row.logit_scale = Math.exp(Math.min(scalars[2 + lossNames.length]!, LOGIT_SCALE_MAX));
      row.ms = performance.now() - ts;
      row.clips_per_s = batch / ((performance.now() - tw) / 1000);
      row.elapsed_s = (performance.now() - t0) / 1000;
      if (step === start + 1) firstStepMs = row.ms;
      first ??= row;
      last = row;
      this.record(row);
      this.showProgress(row, lossNames, start, t0);
      if (this.ema && step % EMA_EVERY === 0) this.ema.update(step, await this.readWeights());
      if (this.p.val && (step % valEvery === 0 || step === steps)) await this.validate(step);
      if (step % saveEvery === 0 && step < steps) await this.saveState(step, stream);
    }
    this.ui.done();
    if (Number(process.env.FLAPC_DEBUG ?? 0) >= 4) await reportProfile(this.active, this.ui.log);
    const lastCheckpoint = await this.saveState(step, stream);
    const done = step - start;
    const msPerStep = done > 1 ? (performance.now() - t0 - firstStepMs) / (done - 1) : firstStepMs;
    const trained = await this.weightsToUse(step);
    if (this.p.save) saveCheckpoint(this.p.save, this.tensors(trained), { ...this.meta(step, stream), kind: 'weights' });
    if (this.lastEval) this.writeValidation(this.lastEval, step);
    return { steps: step, startStep: start, interrupted: step < steps, msPerStep, firstStepMs, first, last, best: this.best, trained, lastCheckpoint };
  }

  /** End of the first step of this process: pipelines compile during it, so the ETA leaves it out. */
  private firstDone = 0;

  private showProgress(row: StepRow, lossNames: string[], start: number, t0: number): void {
    const { steps } = this.p;
    const done = row.step - start;
    if (done === 1) this.firstDone = performance.now();
    const per = done > 1 ? (performance.now() - this.firstDone) / (done - 1) : performance.now() - t0;
    const eta = per * (steps - row.step);
    const terms = lossNames.map((n) => `${n.slice(5)} ${(row[n] as number).toFixed(4)}`).join(' ');
    this.ui.update(
      `step ${row.step}/${steps}  loss ${row.loss.toFixed(4)} (${terms})  ${row.clips_per_s.toFixed(1)} clips/s  ${row.ms.toFixed(0)} ms/step  ETA ${formatDuration(eta)}`,
    );
  }

  /** metrics.jsonl keeps the rows up to `step` (a resumed run rewrites the ones after its checkpoint). */
  private trimMetrics(step: number): void {
    if (!existsSync(this.metricsPath)) return;
    if (step === 0) {
      writeFileSync(this.metricsPath, '');
      return;
    }
    const keep = readFileSync(this.metricsPath, 'utf8')
      .split('\n')
      .filter((l) => {
        if (!l.trim()) return false;
        try {
          return (JSON.parse(l) as { step: number }).step <= step;
        } catch {
          return false;
        } // a row cut by a kill
      });
    writeFileSync(this.metricsPath, keep.map((l) => `${l}\n`).join(''));
  }

  private record(row: object): void {
    appendFileSync(this.metricsPath, `${JSON.stringify(row)}\n`);
    this.emit(row);
  }

  /** Undo the step, replay it one kernel at a time and name the first non-finite value. */
  private async nonFinite(step: number, row: StepRow): Promise<never> {
    this.ui.done();
    this.active.restoreSnapshot();
    const where = await this.active.locateNonFinite();
    const what = !Number.isFinite(row.loss) ? `the loss is ${row.loss}` : `the gradient norm is ${row.grad_norm}`;
    const at = !where
      ? 'replaying the step found no non-finite value (a non-deterministic fault?)'
      : 'input' in where
        ? `the input '${where.input}' holds non-finite values`
        : `the first non-finite value comes from kernel #${where.dispatch} (${where.label})${where.source ? `, made by ${where.source}` : ''}`;
    const ck = existsSync(join(this.p.out, 'last.safetensors'))
      ? `the last good checkpoint is ${join(this.p.out, 'last.safetensors')}`
      : 'no checkpoint was written yet';
    throw new NonFiniteError(`step ${step}: ${what}; ${at}. Training stopped; ${ck}.`);
  }

  /** The weights a run validates and saves: the average (brought up to `step`) or the weights themselves. */
  private async weightsToUse(step: number): Promise<Map<string, Float32Array>> {
    const w = await this.readWeights();
    if (!this.ema) return w;
    this.ema.update(step, w);
    return this.ema.values!;
  }

  private async readWeights(): Promise<Map<string, Float32Array>> {
    const out = new Map<string, Float32Array>();
    for (const q of this.model.params) if (isStored(q)) out.set(q.name, (await this.holder(q.name).read(q.name)) as Float32Array);
    return out;
  }

  private tensors(values: Map<string, Float32Array>): Tensor[] {
    const shapes = new Map(this.model.plan.inputs.map((i) => [i.name, [...i.shape]]));
    const shapeOf = (name: string): number[] => shapes.get(name) ?? shapes.get(name.slice(EMA_PREFIX.length))!;
    return [...values].map(([name, data]) => ({ name, shape: shapeOf(name), data }));
  }

  private meta(step: number, stream: { epoch: number; pos: number }) {
    return {
      model: this.model.name,
      specHash: this.model.specHash,
      step,
      totalSteps: this.p.steps,
      seed: this.p.seed,
      dataEpoch: stream.epoch,
      dataPos: stream.pos,
      ...(this.data && { normMean: this.data.norm.mean, normStd: this.data.norm.std }),
    };
  }

  /** last.safetensors: weights and moments, so --resume continues exactly. */
  private async saveState(step: number, stream: { epoch: number; pos: number }): Promise<string> {
    const values = await this.readWeights();
    if (this.ema) {
      this.ema.update(step, values);
      for (const [n, v] of this.ema.values!) values.set(`${EMA_PREFIX}${n}`, v);
    }
    for (const i of this.model.plan.inputs) if (i.role === 'state') values.set(i.name, (await this.holder(i.name).read(i.name)) as Float32Array);
    const path = join(this.p.out, 'last.safetensors');
    saveCheckpoint(path, this.tensors(values), { ...this.meta(step, stream), kind: 'train-state' });
    return path;
  }

  private async validate(step: number): Promise<void> {
    const d = this.data!;
    const t = performance.now();
    const weights = await this.weightsToUse(step);
    const ev = await evaluateRetrieval(this.gpu, this.model.evalPlan, this.model.params, weights, this.p.val!, {
      fe: d.fe,
      norm: d.norm,
      tokenizer: d.tokenizer,
      pool: d.pool,
      cacheDir: d.cacheDir,
      seed: this.p.seed,
      log: () => {},
    });
    const m = ev.metrics;
    const map10 = (m.a2t.map10 + m.t2a.map10) / 2;
    const pick = (x: typeof m.a2t): Record<string, number> => ({
      r1: x.r1,
      r5: x.r5,
      r10: x.r10,
      map10: x.map10,
      meanRank: x.meanRank,
      medianRank: x.medianRank,
    });
    const row: ValRow = {
      step,
      seconds: (performance.now() - t) / 1000,
      val: { a2t: pick(m.a2t), t2a: pick(m.t2a), map10, clips: m.clips, captions: m.captions },
    };
    this.record(row);
    this.lastEval = ev;
    const better = !this.best || map10 > this.best.map10;
    if (better) {
      this.best = { step, map10 };
      saveCheckpoint(join(this.p.out, 'best.safetensors'), this.tensors(weights), { ...this.meta(step, { epoch: 0, pos: 0 }), kind: 'weights' });
    }
    this.ui.log(
      `validation at step ${step}: mAP@10 ${(100 * map10).toFixed(1)}  A->T R@1 ${(100 * m.a2t.r1).toFixed(1)} R@10 ${(100 * m.a2t.r10).toFixed(1)}  T->A R@1 ${(100 * m.t2a.r1).toFixed(1)} R@10 ${(100 * m.t2a.r10).toFixed(1)}${better ? '  (best so far: best.safetensors)' : ''}`,
    );
  }

  private writeValidation(ev: Evaluation, step: number): void {
    const out = { step, metrics: ev.metrics, similarity: similaritySample(ev), byTag: recallByTag(ev) };
    const path = join(this.p.out, 'validation.json');
    writeFileSync(`${path}.tmp`, JSON.stringify(out));
    renameSync(`${path}.tmp`, path);
  }

  destroy(): void {
    if (this.active !== this.exe) this.active.destroy();
    this.exe.destroy();
  }
}
