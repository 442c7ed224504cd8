// Data pipeline throughput: clips/s for decode + resample + log-mel, cold (nothing cached) and
// cached (second pass over the feature cache), through the worker pool as training uses it, plus a
// single-thread breakdown per stage. 10 s clips, flap-tiny's front end (16 kHz, 64 mel bins).
//   node --import tsx bench/data-throughput.ts [--clips 48] [--workers 2] [--json]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { decodeAudio, downmix } from '../runtime/data/decode.ts';
import { Fbank } from '../runtime/data/fbank.ts';
import type { FrontEnd } from '../runtime/data/frontend.ts';
import { FeaturizePool } from '../runtime/data/pool.ts';
import { resample } from '../runtime/data/resample.ts';
import { encodeWav } from '../runtime/data/wav-writer.ts';
import { lcg } from '../compiler/ir/lcg.ts';

const { values } = parseArgs({ options: { clips: { type: 'string' }, workers: { type: 'string' }, json: { type: 'boolean' } } });
const CLIPS = Number(values.clips ?? 48),
  WORKERS = Number(values.workers ?? 2);
const fe: FrontEnd = { sampleRate: 16000, melBins: 64, winMs: 25, hopMs: 10, window: 'hann', frames: 512, longAudio: 'crop' };
const dir = mkdtempSync(join(tmpdir(), 'flapc-bench-data-'));

function signal(sr: number, seconds: number, seed: number): Float32Array {
  const x = new Float32Array(sr * seconds);
  const noise = lcg(seed, true);
  for (let i = 0; i < x.length; i++) x[i] = 0.3 * Math.sin((2 * Math.PI * (200 + seed * 37) * i) / sr) + 0.05 * noise();
  return x;
}

const hasSox = ((): boolean => {
  try {
    execFileSync('sox', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
type Kind = 'wav 16k mono' | 'wav 44.1k stereo' | 'flac 44.1k stereo' | 'mp3 44.1k stereo';
const kinds: Kind[] = hasSox ? ['wav 16k mono', 'wav 44.1k stereo', 'flac 44.1k stereo', 'mp3 44.1k stereo'] : ['wav 16k mono', 'wav 44.1k stereo'];

function makeClip(kind: Kind, i: number): string {
  if (kind === 'wav 16k mono') {
    const p = join(dir, `c${i}.wav`);
    writeFileSync(p, encodeWav([signal(16000, 10, i)], 16000));
    return p;
  }
  const wav = join(dir, `c${i}-44.wav`);
  writeFileSync(wav, encodeWav([signal(44100, 10, i), signal(44100, 10, i + 1000)], 44100));
  if (kind === 'wav 44.1k stereo') return wav;
  const out = join(dir, `c${i}.${kind.slice(0, 4).trim()}`);
  execFileSync('sox', [wav, ...(kind.startsWith('mp3') ? ['-C', '128'] : []), out]);
  return out;
}

async function passes(paths: string[], cacheDir: string): Promise<{ cold: number; cached: number }> {
  const pool = new FeaturizePool(WORKERS);
  try {
    const run = async (): Promise<number> => {
      const t = performance.now();
      const rs = await Promise.all(paths.map((p) => pool.run({ source: { kind: 'file', path: p }, fe, cacheDir })));
      if (rs.some((r) => !r.ok)) throw new Error('a benchmark clip failed to load');
      return paths.length / ((performance.now() - t) / 1000);
    };
    await pool.run({ source: { kind: 'file', path: paths[0]! }, fe, cacheDir: null }); // worker start-up, not throughput
    return { cold: await run(), cached: await run() };
  } finally {
    await pool.close();
  }
}

const rows: Record<string, unknown>[] = [];
try {
  for (const kind of kinds) {
    const paths = Array.from({ length: CLIPS }, (_, i) => makeClip(kind, i));
    // Single-thread stage breakdown on one clip (median of 5).
    const bytes = new Uint8Array(readFileSync(paths[0]!));
    const fb = new Fbank({ sampleRate: 16000, melBins: 64, winMs: 25, hopMs: 10, window: 'hann' });
    const med = (f: () => unknown): number => {
      const ts: number[] = [];
      for (let k = 0; k < 5; k++) {
        const t = performance.now();
        f();
        ts.push(performance.now() - t);
      }
      return ts.sort((a, b) => a - b)[2]!;
    };
    let decoded = await decodeAudio(bytes);
    const tDec: number[] = [];
    for (let k = 0; k < 5; k++) {
      const t = performance.now();
      decoded = await decodeAudio(bytes);
      tDec.push(performance.now() - t);
    }
    const mono = downmix(decoded.channels);
    const tRes = med(() => resample(mono, decoded.sampleRate, 16000));
    const x16 = resample(mono, decoded.sampleRate, 16000);
    const tMel = med(() => fb.compute(x16));
    const { cold, cached } = await passes(paths, join(dir, `cache-${kinds.indexOf(kind)}`));
    rows.push({
      kind,
      clips: CLIPS,
      workers: WORKERS,
      coldClipsPerS: cold,
      cachedClipsPerS: cached,
      decodeMs: tDec.sort((a, b) => a - b)[2],
      resampleMs: tRes,
      logMelMs: tMel,
    });
    if (!values.json) console.error(`${kind}: cold ${cold.toFixed(1)} clips/s, cached ${cached.toFixed(1)} clips/s`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

if (values.json) console.log(JSON.stringify(rows, null, 2));
else {
  console.log(`| input (10 s clips) | cold clips/s (${WORKERS} workers) | cached clips/s | decode ms | resample ms | log-mel ms (1 thread) |`);
  console.log('|---|---|---|---|---|---|');
  for (const r of rows)
    console.log(
      `| ${r.kind} | ${(r.coldClipsPerS as number).toFixed(1)} | ${(r.cachedClipsPerS as number).toFixed(1)} | ${(r.decodeMs as number).toFixed(1)} | ${(r.resampleMs as number).toFixed(1)} | ${(r.logMelMs as number).toFixed(1)} |`,
    );
}
