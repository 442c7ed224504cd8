// Rendering planned clips with sox, fluidsynth and espeak-ng: each recording becomes a 16 kHz mono
// "base" once; a clip arranges bases into exactly `seconds` (repeats with gaps, a background bed,
// one after the other, or distance: low-pass + reverb + quieter), normalises the peak and is
// written as FLAC. Every clip is decoded back and checked (length, not silent, not clipped).
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { decodeAudio } from '../data/decode.ts';
import { DRUM_PATTERNS, drumPhrase, effectPhrase, instrumentPhrase, rng } from './midi.ts';
import { type ClipPlan, type Recording, SOUNDFONT, SOUNDFONT_FULL, hashString } from './plan.ts';
import { CorpusToolError } from './debian.ts';

const exec = promisify(execFile);
export const RATE = 16000;
const RENDER_SECONDS = 10.5; // instrument, drum, effect and texture bases are cut from this
const MIN_GAP = 0.25;

async function tool(cmd: string, args: string[]): Promise<void> {
  try {
    await exec(cmd, args, { maxBuffer: 16 << 20 });
  } catch (e) {
    const err = e as { code?: string; stderr?: string };
    if (err.code === 'ENOENT') throw new CorpusToolError(`${cmd} not found (apt-get install ${cmd === 'sox' ? 'sox libsox-fmt-all' : cmd})`);
    throw new CorpusToolError(`${cmd} ${args.join(' ')}: ${(err.stderr ?? String(e)).trim().split('\n').slice(-3).join(' ')}`);
  }
}
const sox = (...args: string[]): Promise<void> => tool('sox', ['-V1', ...args]);
const OUT = ['-r', String(RATE), '-c', '1', '-b', '16'];

export interface RenderContext {
  /** Unpacked package roots by package name. */
  pkgs: Map<string, string>;
  recordings: Map<string, Recording>;
  /** Where bases are kept across clips (and resumed builds). */
  baseDir: string;
}

/** The recording as 16 kHz mono WAV; cached by a hash of its render description. */
export async function renderBase(rec: Recording, ctx: RenderContext): Promise<string> {
  const out = join(ctx.baseDir, `${hashString(JSON.stringify(rec.render)).toString(16)}-${rec.id.replace(/[^A-Za-z0-9]+/g, '_')}.wav`);
  if (existsSync(out)) return out;
  mkdirSync(ctx.baseDir, { recursive: true });
  const tmp = `${out}.tmp-${process.pid}.wav`;
  const r = rec.render;
  const scratch = `${out}.src-${process.pid}`;
  try {
    switch (r.kind) {
      case 'file': {
        const root = ctx.pkgs.get(r.pkg);
        if (!root) throw new CorpusToolError(`package ${r.pkg} is not unpacked`);
        await sox(join(root, r.path), ...OUT, tmp);
        break;
      }
      case 'instrument':
      case 'drums':
      case 'effect': {
        const smf =
          r.kind === 'instrument'
            ? instrumentPhrase(r.phrase, r.program, r.seed, RENDER_SECONDS).smf
            : r.kind === 'drums'
              ? drumPhrase(DRUM_PATTERNS.find((d) => d.id === r.pattern)!, r.seed, RENDER_SECONDS)
              : effectPhrase(r.program, r.note, r.seed, RENDER_SECONDS);
        writeFileSync(`${scratch}.mid`, smf);
        const font = r.kind === 'instrument' && r.soundfont === 'musescore' ? SOUNDFONT_FULL : SOUNDFONT;
        const sf2 = join(ctx.pkgs.get(font.pkg) ?? '', font.path);
        await tool('fluidsynth', ['-ni', '-q', '-g', '0.6', '-r', String(RATE), '-F', `${scratch}.wav`, sf2, `${scratch}.mid`]);
        await sox(`${scratch}.wav`, ...OUT, tmp);
        break;
      }
      case 'speech':
        await tool('espeak-ng', ['-v', r.voice, '-s', String(r.speed), '-p', String(r.pitch), '-w', `${scratch}.wav`, r.text]);
        await sox(`${scratch}.wav`, ...OUT, tmp);
        break;
      case 'texture': {
        if (!r.loop) {
          const [first, ...rest] = r.units[0]!;
          await sox('-n', ...OUT, tmp, first!, String(RENDER_SECONDS), ...rest);
        } else {
          const units: string[] = [];
          for (const [i, u] of r.units.entries()) {
            const f = `${scratch}-${i}.wav`;
            await sox('-n', ...OUT, f, ...u);
            units.push(f);
          }
          await sox(...units, `${scratch}-unit.wav`);
          const d = await seconds(`${scratch}-unit.wav`);
          await sox(`${scratch}-unit.wav`, tmp, 'repeat', String(Math.ceil(RENDER_SECONDS / d)));
        }
        break;
      }
    }
    renameSync(tmp, out);
    return out;
  } finally {
    for (const f of [tmp, `${scratch}.mid`, `${scratch}.wav`, `${scratch}-unit.wav`, ...[0, 1, 2, 3].map((i) => `${scratch}-${i}.wav`)])
      rmSync(f, { force: true });
  }
}

export async function seconds(wav: string): Promise<number> {
  const { stdout } = await exec('soxi', ['-D', wav]).catch(async () => exec('sox', ['--i', '-D', wav]));
  return Number(stdout.trim());
}

/**
 * `seg` seconds of one recording: `times` occurrences of a one-shot with random gaps (as planned),
 * or the recording once from its start, cut or padded with silence.
 */
async function segment(base: string, d: number, times: number, seg: number, r: () => number, out: string): Promise<void> {
  if (times >= 2) {
    const slack = Math.max(0, seg - times * d - (times - 1) * MIN_GAP);
    const w = Array.from({ length: times + 1 }, () => r());
    const sum = w.reduce((a, b) => a + b, 0);
    const parts: string[] = [];
    for (let i = 0; i < times; i++) {
      const before = (i === 0 ? 0 : MIN_GAP) + (slack * w[i]!) / sum;
      const f = `${out}.occ${i}.wav`;
      await sox(base, f, 'pad', before.toFixed(4), '0');
      parts.push(f);
    }
    await sox(...parts, out, 'pad', '0', String(seg), 'trim', '0', seg.toFixed(4));
    for (const p of parts) rmSync(p, { force: true });
  } else {
    const lead = d < seg ? r() * Math.min(1, seg - d) : 0;
    await sox(base, out, 'pad', lead.toFixed(4), String(seg), 'trim', '0', seg.toFixed(4));
  }
}

/** Renders one planned clip to `outPath` (FLAC), via a temporary file. */
export async function renderClip(c: ClipPlan, ctx: RenderContext, outPath: string, work: string): Promise<void> {
  mkdirSync(work, { recursive: true });
  const r = rng(c.recipe.seed);
  const base = async (id: string): Promise<{ path: string; d: number }> => {
    const rec = ctx.recordings.get(id);
    if (!rec) throw new Error(`clip ${c.name}: unknown recording ${id}`);
    const path = await renderBase(rec, ctx);
    return { path, d: await seconds(path) };
  };
  const T = c.seconds;
  const mixed = join(work, 'mixed.wav');
  const rc = c.recipe;
  const a = await base(rc.a);
  if (rc.kind === 'single' || rc.kind === 'distant') {
    await segment(a.path, a.d, c.times[0]!, T, r, mixed);
  } else if (rc.kind === 'then') {
    const half = T / 2;
    const b = await base(rc.b);
    await segment(a.path, a.d, c.times[0]!, half, r, join(work, 'a.wav'));
    await segment(b.path, b.d, c.times[1]!, T - half, r, join(work, 'b.wav'));
    await sox(join(work, 'a.wav'), join(work, 'b.wav'), mixed);
  } else if (rc.kind === 'while') {
    const b = await base(rc.b);
    await segment(a.path, a.d, c.times[0]!, T, r, join(work, 'a.wav'));
    // The bed repeats a short recording to cover the clip (its count is not captioned).
    const bedTimes = b.d < T / 2 ? Math.max(1, Math.floor((T + MIN_GAP) / (b.d + MIN_GAP))) : 1;
    await segment(b.path, b.d, bedTimes, T, r, join(work, 'b.wav'));
    await sox(join(work, 'a.wav'), join(work, 'a-n.wav'), 'norm', '-1');
    await sox(join(work, 'b.wav'), join(work, 'b-n.wav'), 'norm', String(rc.bgDb));
    await sox('-m', join(work, 'a-n.wav'), join(work, 'b-n.wav'), mixed);
  }
  const fx = rc.kind === 'distant' ? ['lowpass', '700', 'reverb', '40', 'norm', String(rc.gainDb - 6)] : ['norm', String(rc.gainDb)];
  const tmp = `${outPath}.tmp-${process.pid}.flac`;
  await sox(mixed, ...OUT, tmp, ...fx, 'fade', 't', '0.01', T.toFixed(4), '0.05', 'trim', '0', T.toFixed(4));
  await checkClip(tmp, c);
  renameSync(tmp, outPath);
  rmSync(work, { recursive: true, force: true });
}

export interface ClipCheck {
  seconds: number;
  rmsDb: number;
  peak: number;
}

/** Decodes a rendered clip and enforces the corpus's promises (5-10 s, audible, unclipped). */
export async function checkClip(path: string, c: Pick<ClipPlan, 'name' | 'seconds'>): Promise<ClipCheck> {
  const d = await decodeAudio(new Uint8Array(readFileSync(path)));
  const x = d.channels[0]!;
  const secs = x.length / d.sampleRate;
  let sq = 0,
    peak = 0;
  for (const v of x) {
    sq += v * v;
    peak = Math.max(peak, Math.abs(v));
  }
  const rmsDb = 10 * Math.log10(sq / x.length + 1e-20);
  const why =
    d.sampleRate !== RATE || d.channels.length !== 1
      ? `${d.sampleRate} Hz x ${d.channels.length} channels`
      : Math.abs(secs - c.seconds) > 0.01 || secs < 5 || secs > 10
        ? `${secs.toFixed(3)} s, planned ${c.seconds} s`
        : rmsDb < -50
          ? `nearly silent (RMS ${rmsDb.toFixed(1)} dBFS)`
          : peak >= 0.999
            ? `clipped (peak ${peak.toFixed(4)})`
            : undefined;
  if (why) throw new Error(`rendered clip ${c.name} is wrong: ${why}`);
  return { seconds: secs, rmsDb, peak };
}
