// Matmul autotuner: times every matmul variant the adapter can run, on one small and
// one large shape, checks each result against a float64 product, and caches the
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
const TUNER_VERSION = 4;
/** Representative shapes for the two size classes (see LARGE_MATMUL_FMAS). */
export const TUNE_SHAPES = { small: 128, large: 512 } as const;

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
  timings: Record<keyof typeof TUNE_SHAPES, VariantTiming[]>;
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
    return rec.version === TUNER_VERSION && usable(rec.tuning.small, gpu.caps) && usable(rec.tuning.large, gpu.caps) ? rec : undefined;
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
  n: number;
}

/** Compile an n×n×n matmul with one variant forced and upload random operands. */
export async function matmulCase(gpu: Gpu, n: number, variant: MatmulVariant): Promise<MatmulCase> {
  const g = new GraphBuilder();
  g.output('c', g.matmul(g.input('a', [n, n]), g.input('b', [n, n])));
  const { plan } = compileGraph(g.build(), { caps: gpu.caps, matmulVariant: variant, debug: 0 });
  const exe = await Executable.create(gpu, plan);
  const rnd = lcg(12345 + n, true);
  const a = Float32Array.from({ length: n * n }, rnd),
    b = Float32Array.from({ length: n * n }, rnd);
  exe.write('a', a);
  exe.write('b', b);
  return { exe, a, b, n };
}

/** Max relative error of 64 sampled entries of the GPU product against float64. */
export async function checkCase(c: MatmulCase, product?: Float32Array): Promise<number> {
  const out = product ?? (await c.exe.read('c'));
  let worst = 0;
  for (let t = 0; t < 64; t++) {
    const i = (t * 7919) % c.n,
      j = (t * 104729 + 17) % c.n;
    let ref = 0,
      mag = 0;
    for (let q = 0; q < c.n; q++) {
      const p = c.a[i * c.n + q]! * c.b[q * c.n + j]!;
      ref += p;
      mag += Math.abs(p);
    }
    worst = Math.max(worst, Math.abs(out[i * c.n + j]! - ref) / Math.max(mag, 1e-30));
  }
  return worst;
}

/** Time cases round-robin (so machine noise hits them alike); median ms per run. */
export interface Runnable {
  run(): void;
  sync(): Promise<void>;
}

export async function timeInterleaved(cases: Runnable[], rounds: number): Promise<number[]> {
  const samples: number[][] = cases.map(() => []);
  for (let r = 0; r < rounds; r++) {
    for (const [i, c] of cases.entries()) {
      const t0 = performance.now();
      c.run();
      await c.sync();
      samples[i]!.push(performance.now() - t0);
    }
  }
  return samples.map((s) => s.sort((x, y) => x - y)[Math.floor(s.length / 2)]!);
}

/**
 * Small matmuls are many and distinct in a training step, so compile time counts there:
 * only tiles of at most 32 accumulators per thread compete (lavapipe, uncached: 0.1-0.9 s
 * per pipeline for those, 4-17 s for subgroup16x8's 128, 10-20 s for subgroup32x8's 256).
 */
export function smallCandidate(name: string): boolean {
  const v = MATMUL_VARIANTS[name];
  return v !== undefined && v.rm * v.rn <= 32;
}

/** Relative error that marks a variant broken (f32 products over n terms stay far below it). */
const MAX_REL_ERR = 1e-4;

export async function tuneMatmul(
  gpu: Gpu,
  log: (line: string) => void = () => {},
  shapes: Record<keyof typeof TUNE_SHAPES, number> = TUNE_SHAPES,
): Promise<TuningRecord> {
  const names = Object.keys(MATMUL_VARIANTS).filter((nm) => usable(nm, gpu.caps));
  const timings = { small: [] as VariantTiming[], large: [] as VariantTiming[] };
  const tuning: MatmulTuning = { small: 'regtile4x4', large: 'regtile4x4' };
  for (const cls of ['small', 'large'] as const) {
    const n = shapes[cls];
    const cases: { name: string; c: MatmulCase; firstRunMs: number; err: number }[] = [];
    for (const nm of names.filter((x) => cls === 'large' || smallCandidate(x))) {
      log(`tuning matmul ${n}³: compiling ${nm}`);
      const c = await matmulCase(gpu, n, usable(nm, gpu.caps)!);
      const t0 = performance.now();
      c.exe.run();
      await c.exe.sync(); // lavapipe compiles the pipeline here
      const firstRunMs = performance.now() - t0;
      const err = await checkCase(c);
      if (err > MAX_REL_ERR) log(`  ${nm} rejected: max relative error ${err.toExponential(2)}`);
      cases.push({ name: nm, c, firstRunMs, err });
    }
    const ok = cases.filter((x) => x.err <= MAX_REL_ERR);
    const ms = await timeInterleaved(
      ok.map((x) => x.c.exe),
      cls === 'small' ? 15 : 11,
    );
    ok.forEach((x, i) => timings[cls].push({ variant: x.name, ms: ms[i]!, gflops: (2 * n ** 3) / (ms[i]! * 1e6), firstRunMs: x.firstRunMs, maxRelErr: x.err }));
    for (const x of cases) x.c.exe.destroy();
    timings[cls].sort((p, q) => p.ms - q.ms);
    if (timings[cls][0]) tuning[cls] = timings[cls][0].variant;
    log(`  ${n}³: ${timings[cls].map((t) => `${t.variant} ${t.gflops.toFixed(2)} GFLOP/s`).join(', ')} -> ${tuning[cls]}`);
  }
  const rec: TuningRecord = { adapter: gpu.report.description, version: TUNER_VERSION, tuning, timings };
  saveTuning(gpu, rec);
  return rec;
}

/** The cached choice, tuning once (with progress on stderr) when there is none. */
export async function tuningFor(gpu: Gpu, log: (line: string) => void): Promise<TuningRecord> {
  return loadTuning(gpu) ?? tuneMatmul(gpu, log);
}
