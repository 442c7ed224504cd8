// `flapc run bench step <spec...>`: the median time of a whole training step (forward, backward,
// clipping, AdamW) of each spec after warm-up, on a fixed synthetic batch, the specs timed
// round-robin in one process so their ratios are fair on a noisy machine. With --profile, one
// step of each under timestamp queries: GPU time per kernel class, the per-dispatch overhead
// (wall time the kernels do not account for) and the fraction of roofline (the step's FLOPs
// over the large-matmul GFLOP/s measured in the same run).
import { HYPER_NAME, adamwConfig, adamwHyper } from '../../compiler/index.ts';
import { LOSS, MEL, RNG_KEY, TOKENS } from '../../compiler/names.ts';
import type { Gpu } from '../gpu/device.ts';
import { Executable } from '../exec/executor.ts';
import { type Model, loadModel } from '../model/model.ts';
import { wordVectors } from '../model/word-vectors.ts';
import { initParam } from '../train/init.ts';
import { syntheticBatch } from '../train/trainer.ts';
import { benchMatmul } from './matmul.ts';

export const KERNEL_CLASSES = ['matmul', 'attention', 'reduction/row', 'elementwise', 'scatter/sort', 'optimizer'] as const;
export type KernelClass = (typeof KERNEL_CLASSES)[number];

/** The class of a dispatch, from its label and source (unfused attention counts as its matmuls and softmax rows). */
export function kernelClass(label: string, source: string | undefined): KernelClass {
  if (source === 'optimizer') return 'optimizer';
  if (label.startsWith('matmul')) return 'matmul';
  if (label.startsWith('attention')) return 'attention';
  if (label.startsWith('reduce')) return 'reduction/row';
  if (label.startsWith('scatter') || label.startsWith('argsort')) return 'scatter/sort';
  return 'elementwise';
}

export interface StepProfile {
  gpuMs: number;
  classes: Record<KernelClass, { ms: number; dispatches: number; gflop: number }>;
  /** (wall time of a step - GPU time of its kernels) / dispatches. */
  overheadUsPerDispatch: number;
  /** GPU time by the spec line that made the kernels (forward and gradient together), largest first. */
  lines: { at: string; ms: number; dispatches: number }[];
}

/** The spec line a dispatch comes from: its source without "grad of <prim> at " (the optimizer is its own line). */
export const sourceLine = (source: string | undefined): string => (source ?? '(unknown)').replace(/^grad of \S+ at /, '');

export interface StepResult {
  spec: string;
  name: string;
  batch: number;
  ms: number;
  firstStepMs: number;
  gflop: number;
  gflops: number;
  dispatches: number;
  profile?: StepProfile;
  /** Step GFLOP/s over the large matmul's (with --profile). */
  roofline?: number;
}

export interface Case {
  model: Model;
  exe: Executable;
  step: number;
}

/** A spec compiled and loaded with its seed-0 weights and the synthetic batch, ready to step. */
export async function prepare(gpu: Gpu, spec: string): Promise<Case> {
  const model = loadModel(gpu, spec);
  const exe = await Executable.create(gpu, model.plan);
  const byName = new Map(model.params.map((q) => [q.name, q]));
  for (const i of model.plan.inputs) {
    const q = byName.get(i.name);
    if (q) exe.write(i.name, initParam(q, 0, wordVectors));
    else if (i.role === 'state') exe.write(i.name, new Float32Array(i.shape.reduce((a, b) => a * b, 1)));
  }
  const b = syntheticBatch(model.plan, model.text.vocab, 0);
  exe.write(MEL, b.mel);
  exe.write(TOKENS, b.tokens);
  return { model, exe, step: 0 };
}

/** The optimizer's per-step scalars the bench uses (a small learning rate: the batch never changes). */
export const benchHyper = (c: Case, t: number): Float32Array => adamwHyper(adamwConfig(c.model.train), c.model.train.lr * 1e-3, t);

/** One training step, waited for (the loss read back, as the trainer does): its loss and wall time. */
export async function timedStep(c: Case): Promise<{ loss: number; ms: number }> {
  const t0 = performance.now();
  c.step++;
  if (c.model.plan.inputs.some((i) => i.name === RNG_KEY)) c.exe.write(RNG_KEY, new Uint32Array([c.step]));
  c.exe.write(HYPER_NAME, benchHyper(c, c.step));
  c.exe.run();
  const loss = (await c.exe.read(LOSS))[0]!;
  return { loss, ms: performance.now() - t0 };
}

const step = async (c: Case): Promise<number> => (await timedStep(c)).ms;

/** Per-dispatch GPU times: the median of `runs` profiled steps (one step's timestamps vary by ±30 % on lavapipe). */
async function profileOf(c: Case, ms: number, runs = 5): Promise<StepProfile | undefined> {
  const all: { label: string; ms: number }[][] = [];
  for (let r = 0; r < runs; r++) {
    const t = await c.exe.profile();
    if (!t) return undefined;
    all.push(t);
  }
  const times = all[0]!.map((t, i) => ({ label: t.label, ms: all.map((a) => a[i]!.ms).sort((x, y) => x - y)[Math.floor(runs / 2)]! }));
  const classes = Object.fromEntries(KERNEL_CLASSES.map((k) => [k, { ms: 0, dispatches: 0, gflop: 0 }])) as StepProfile['classes'];
  const lines = new Map<string, { at: string; ms: number; dispatches: number }>();
  c.model.plan.dispatches.forEach((d, i) => {
    const e = classes[kernelClass(d.label, d.source)];
    e.ms += times[i]!.ms;
    e.dispatches++;
    e.gflop += (d.flops ?? 0) / 1e9;
    const at = sourceLine(d.source);
    const l = lines.get(at) ?? { at, ms: 0, dispatches: 0 };
    l.ms += times[i]!.ms;
    l.dispatches++;
    lines.set(at, l);
  });
  const gpuMs = times.reduce((a, t) => a + t.ms, 0);
  return {
    gpuMs,
    classes,
    overheadUsPerDispatch: (1000 * Math.max(0, ms - gpuMs)) / times.length,
    lines: [...lines.values()].sort((a, b) => b.ms - a.ms),
  };
}

export async function benchStep(
  gpu: Gpu,
  specs: string[],
  o: { steps: number; profile: boolean; log: (l: string) => void },
): Promise<{ adapter: string; results: StepResult[]; largeMatmulGflops?: number }> {
  const cases: Case[] = [];
  const first: number[] = [];
  for (const s of specs) {
    o.log(`${s}: compiling, then the first step (pipelines compile on first use)`);
    const c = await prepare(gpu, s);
    first.push(await step(c));
    await step(c); // warm-up
    cases.push(c);
  }
  const samples = cases.map(() => [] as number[]);
  for (let r = 0; r < o.steps; r++) {
    o.log(`timing round ${r + 1}/${o.steps}`);
    for (const [i, c] of cases.entries()) samples[i]!.push(await step(c));
  }
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  let large: number | undefined;
  if (o.profile) {
    o.log('measuring the large matmul for the roofline');
    const m = await benchMatmul(gpu, { sizes: [512], rounds: 5, json: true, tfjs: false, log: o.log, quiet: true });
    const r = m.results[0]!;
    large = r.entries.find((e) => e.name === r.chosen)!.gflops;
  }
  const results: StepResult[] = [];
  for (const [i, c] of cases.entries()) {
    const ms = median(samples[i]!);
    const gflop = c.model.plan.stats.flops / 1e9;
    const profile = o.profile ? await profileOf(c, ms) : undefined;
    results.push({
      spec: specs[i]!,
      name: c.model.name,
      batch: c.model.train.batch,
      ms,
      firstStepMs: first[i]!,
      gflop,
      gflops: gflop / (ms / 1000),
      dispatches: c.model.plan.dispatches.length,
      ...(profile && { profile }),
      ...(large && { roofline: gflop / (ms / 1000) / large }),
    });
    c.exe.destroy();
  }
  return { adapter: gpu.report.description, results, ...(large && { largeMatmulGflops: large }) };
}
