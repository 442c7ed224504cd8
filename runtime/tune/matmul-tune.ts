// Matmul autotuner: times every matmul variant the adapter can run, on one small, one medium
// and one large shape, checks each result against a float64 product, and caches the
// fastest per size class for this adapter. The compiler receives the choice as data
// (MatmulTuning), so plans stay reproducible for a given cache.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { compileGraph, MATMUL_VARIANTS, type MatmulTuning, type MatmulVariant, usable, GraphBuilder } from '../../compiler/index.ts';
import type { Gpu } from '../gpu/device.ts';
import { Executable } from '../exec/executor.ts';
import { lcg } from '../../compiler/ir/lcg.ts';

/** Bump when variants or the method change, so stale choices are re-tuned. */
const TUNER_VERSION = 6;
/** [M, K, N] (or [batch, M, K, N]: that many products at once) of a tuning product; a number n is n x n x n. */
export type TuneShape = number | readonly [number, number, number] | readonly [number, number, number, number];
/**
 * Representative shapes of the size classes (see matmulClass): the small one is attention's
 * per-head scores (16 heads x batch of 128x16 @ 16x128: batched products are small whatever
 * their size, and B cannot be a texture there); the medium one is a transformer projection
 * at width 64 over 512 tokens, the shape most of a small FLAP's matmul time is spent on.
 */
export const TUNE_SHAPES = { small: [16, 128, 16, 128], medium: [512, 64, 256], large: 512 } as const satisfies Record<string, TuneShape>;
type SizeClass = keyof typeof TUNE_SHAPES;
const CLASSES = Object.keys(TUNE_SHAPES) as SizeClass[];
/** [batch, M, K, N]. */
const dimsOf = (s: TuneShape): readonly [number, number, number, number] => (typeof s === 'number' ? [1, s, s, s] : s.length === 3 ? [1, ...s] : s);
const describeShape = (s: TuneShape): string => {
  const [n, ...mkn] = dimsOf(s);
  return typeof s === 'number' ? `${s}³` : `${n > 1 ? `${n} x ` : ''}${mkn.join('x')}`;
};

export interface VariantTiming {
  variant: string;
  ms: number;
  gflops: number;
  firstRunMs: number;
  maxRelErr: number;
}
export interface TuningRecord {
  adapter: string;
  version: number;
  tuning: MatmulTuning;
  /** Medium matmuls could pick variants that are slow to compile on a CPU adapter (`flapc tune --long-runs`). */
  longRuns: boolean;
  timings: Record<SizeClass, VariantTiming[]>;
}

function cacheFile(gpu: Gpu): string {
  const base = process.env.FLAPC_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'flapc');
  const key = createHash('sha256')
    .update(`${gpu.report.description}|${gpu.report.device}|${gpu.report.vendor}|${JSON.stringify(gpu.caps)}`)
    .digest('hex')
    .slice(0, 16);
  return join(base, `matmul-tuning-${key}.json`);
}

export function loadTuning(gpu: Gpu): TuningRecord | undefined {
  try {
    const rec = JSON.parse(readFileSync(cacheFile(gpu), 'utf8')) as TuningRecord;
    return rec.version === TUNER_VERSION && CLASSES.every((c) => rec.tuning[c] !== undefined && usable(rec.tuning[c], gpu.caps)) ? rec : undefined;
  } catch {
    return undefined;
  }
}

function saveTuning(gpu: Gpu, rec: TuningRecord): void {
  const file = cacheFile(gpu);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(`${file}.tmp`, JSON.stringify(rec, null, 2));
  renameSync(`${file}.tmp`, file); // never leave a half-written cache
}

export interface MatmulCase {
  exe: Executable;
  a: Float32Array;
  b: Float32Array;
  /** a is [batch,] M x K, b is [batch,] K x N. */
  dims: readonly [number, number, number, number];
}

/** Compile an M×K by K×N matmul (n: n×n×n; a batch of them) with one variant forced and upload random operands. */
export async function matmulCase(gpu: Gpu, shape: TuneShape, variant: MatmulVariant): Promise<MatmulCase> {
  const [n, M, K, N] = dimsOf(shape);
  const lead = n > 1 ? [n] : [];
  const g = new GraphBuilder();
  g.output('c', g.matmul(g.input('a', [...lead, M, K]), g.input('b', [...lead, K, N])));
  const { plan } = compileGraph(g.build(), { caps: gpu.caps, matmulVariant: variant, debug: 0 });
  const exe = await Executable.create(gpu, plan);
  const rnd = lcg(12345 + M, true);
  const a = Float32Array.from({ length: n * M * K }, rnd),
    b = Float32Array.from({ length: n * K * N }, rnd);
  exe.write('a', a);
  exe.write('b', b);
  return { exe, a, b, dims: [n, M, K, N] };
}

/** Max relative error of 64 sampled entries of the GPU product against float64. */
export async function checkCase(c: MatmulCase, product?: Float32Array): Promise<number> {
  const out = product ?? (await c.exe.read('c'));
  const [n, M, K, N] = c.dims;
  let worst = 0;
  for (let t = 0; t < 64; t++) {
    const z = t % n,
      i = (t * 7919) % M,
      j = (t * 104729 + 17) % N;
    let ref = 0,
      mag = 0;
    for (let q = 0; q < K; q++) {
      const p = c.a[(z * M + i) * K + q]! * c.b[(z * K + q) * N + j]!;
      ref += p;
      mag += Math.abs(p);
    }
    worst = Math.max(worst, Math.abs(out[(z * M + i) * N + j]! - ref) / Math.max(mag, 1e-30));
  }
  return worst;
}

/** Time cases round-robin (so machine noise hits them alike); median ms per run. */
export interface Runnable {
  run(): void;
  sync(): Promise<void>;
}

/**
 * `reps` runs per sample, waited for once: a wait costs about a millisecond on lavapipe (the
 * quiet wait's timer), as much as a 512x64x256 product, so short products are timed in batches.
 */
export async function timeInterleaved(cases: Runnable[], rounds: number, reps = 1): Promise<number[]> {
  const samples: number[][] = cases.map(() => []);
  for (let r = 0; r < rounds; r++) {
    for (const [i, c] of cases.entries()) {
      const t0 = performance.now();
      for (let k = 0; k < reps; k++) c.run();
      await c.sync();
      samples[i]!.push((performance.now() - t0) / reps);
    }
  }
  return samples.map((s) => s.sort((x, y) => x - y)[Math.floor(s.length / 2)]!);
}

/**
 * Small matmuls are many and distinct in a training step, so compile time counts there:
 * only tiles of at most 32 accumulators per thread compete (lavapipe, uncached: 0.15-0.45 s
 * per pipeline for those, 0.4-1 s for subgroup16x4t's 64, 2.5-4.5 s for subgroup16x8's 128,
 * 7 s for subgroup32x8t's 256; bench/RESULTS.md, session 16).
 */
export function smallCandidate(name: string): boolean {
  const v = MATMUL_VARIANTS[name];
  return v !== undefined && v.rm * v.rn <= 32;
}

/**
 * The variants a size class considers. Small and medium matmuls on a CPU adapter keep to the
 * quickly compiled tiles unless `longRuns` lets medium ones use any: with subgroup32x8t
 * flap-tiny's first step took 150 s from an empty shader cache instead of ~20 s (50 fused matmul
 * pipelines of 30-58k WGSL characters, 2.8 s of LLVM each; bench/RESULTS.md, session 15).
 */
export function candidate(cls: SizeClass, name: string, cpu: boolean, longRuns: boolean): boolean {
  if (cls === 'large') return true;
  if (cls === 'medium' && (longRuns || !cpu)) return true;
  return smallCandidate(name);
}

/** Relative error that marks a variant broken (f32 products over n terms stay far below it). */
const MAX_REL_ERR = 1e-4;

export async function tuneMatmul(
  gpu: Gpu,
  log: (line: string) => void = () => {},
  shapes: Record<SizeClass, TuneShape> = TUNE_SHAPES,
  longRuns = false,
): Promise<TuningRecord> {
  const names = Object.keys(MATMUL_VARIANTS).filter((nm) => usable(nm, gpu.caps));
  const timings: TuningRecord['timings'] = { small: [], medium: [], large: [] };
  const tuning: MatmulTuning = { small: 'regtile4x4', medium: 'regtile4x4', large: 'regtile4x4' };
  for (const cls of CLASSES) {
    const shape = shapes[cls];
    const [n, M, K, N] = dimsOf(shape);
    const cases: { name: string; c: MatmulCase; firstRunMs: number; err: number }[] = [];
    for (const nm of names.filter((x) => candidate(cls, x, gpu.caps.cpu, longRuns))) {
      log(`tuning matmul ${describeShape(shape)}: compiling ${nm}`);
      const c = await matmulCase(gpu, shape, usable(nm, gpu.caps)!);
      const t0 = performance.now();
      c.exe.run();
      await c.exe.sync(); // lavapipe compiles the pipeline here
      const firstRunMs = performance.now() - t0;
      const err = await checkCase(c);
      if (err > MAX_REL_ERR) log(`  ${nm} rejected: max relative error ${err.toExponential(2)}`);
      cases.push({ name: nm, c, firstRunMs, err });
    }
    const ok = cases.filter((x) => x.err <= MAX_REL_ERR);
    // about 20 ms of GPU work per sample in each class on lavapipe
    const ms = await timeInterleaved(
      ok.map((x) => x.c.exe),
      cls === 'small' ? 15 : 11,
      { small: 16, medium: 8, large: 2 }[cls],
    );
    ok.forEach((x, i) =>
      timings[cls].push({ variant: x.name, ms: ms[i]!, gflops: (2 * n * M * K * N) / (ms[i]! * 1e6), firstRunMs: x.firstRunMs, maxRelErr: x.err }),
    );
    for (const x of cases) x.c.exe.destroy();
    timings[cls].sort((p, q) => p.ms - q.ms);
    if (timings[cls][0]) tuning[cls] = timings[cls][0].variant;
    log(`  ${describeShape(shape)}: ${timings[cls].map((t) => `${t.variant} ${t.gflops.toFixed(2)} GFLOP/s`).join(', ')} -> ${tuning[cls]}`);
  }
  const rec: TuningRecord = { adapter: gpu.report.description, version: TUNER_VERSION, tuning, longRuns, timings };
  saveTuning(gpu, rec);
  return rec;
}

/** The cached choice, tuning once (with progress on stderr) when there is none. */
export async function tuningFor(gpu: Gpu, log: (line: string) => void): Promise<TuningRecord> {
  return loadTuning(gpu) ?? tuneMatmul(gpu, log);
}
