// Fuzzing the readers: random and mutated bytes as audio, CSV, JSONL and tar. Every input must end
// in a result or a reported failure (DecodeFailure, a bad item, a located ManifestError), never an
// uncaught exception, a crash or a hang.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runFeaturizeJob } from './featurize-job.ts';
import type { FrontEnd } from './frontend.ts';
import { mix } from './loader.ts';
import { ManifestError, openDataset } from './manifest.ts';
import { toneWav } from './test-corpus.ts';

const dir = mkdtempSync(join(tmpdir(), 'flapc-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const fe: FrontEnd = { sampleRate: 16000, melBins: 32, winMs: 25, hopMs: 10, window: 'povey', frames: 64, longAudio: 'crop' };
const FIX = new URL('./fixtures/', import.meta.url);
const seeds = (f: string): Uint8Array => new Uint8Array(readFileSync(new URL(f, FIX)));

/** Seeded mutation: flip bytes, cut, splice random runs, or repeat a chunk. */
function mutate(b: Uint8Array, seed: number): Uint8Array {
  const r = (k: number, n: number): number => (n <= 0 ? 0 : mix(seed, k) % n);
  let x = b.slice();
  const kind = r(0, 5);
  if (kind === 0) for (let i = 0; i < 1 + r(1, 20); i++) x[r(10 + i, x.length)] = r(40 + i, 256);
  else if (kind === 1) x = x.subarray(0, r(2, x.length));
  else if (kind === 2) {
    const at = r(3, x.length);
    for (let i = 0; i < 64 && at + i < x.length; i++) x[at + i] = r(100 + i, 256);
  } else if (kind === 3) {
    const at = r(4, x.length);
    x = new Uint8Array([...x.subarray(0, at), ...x.subarray(at, at + r(5, 300)), ...x.subarray(at)]);
  } else for (let i = 8; i < Math.min(x.length, 60); i++) x[i] = r(200 + i, 256); // header fields
  return x;
}

async function noThrow(bytes: Uint8Array, what: string): Promise<void> {
  const p = join(dir, 'f.bin');
  writeFileSync(p, bytes);
  const r = await runFeaturizeJob({ source: { kind: 'file', path: p }, fe, cacheDir: null });
  if (r.ok)
    expect(
      r.features.mel.every((v) => Number.isFinite(v)),
      what,
    ).toBe(true);
  else expect(typeof r.reason, what).toBe('string');
}

describe('fuzz: audio decoders', () => {
  const bases: [string, Uint8Array][] = [
    ['wav', toneWav(440, 0.3)],
    ['wav8', toneWav(440, 0.2, 8000, 'pcm8')],
    ['flac', seeds('tone-22050-stereo.flac')],
    ['ogg', seeds('tone-22050-stereo.ogg')],
    ['mp3', seeds('tone-22050-stereo.mp3')],
  ];
  for (const [name, base] of bases) {
    it(`${name}: 120 mutated files and 30 random tails after the magic`, async () => {
      for (let s = 0; s < 120; s++) await noThrow(mutate(base, s * 7919 + name.length), `${name} mutation ${s}`);
      for (let s = 0; s < 30; s++) {
        const n = mix(s, 1) % 4000;
        const rnd = Uint8Array.from({ length: n }, (_, i) => mix(s, i, 9) & 255);
        await noThrow(new Uint8Array([...base.subarray(0, 4), ...rnd]), `${name} random ${s}`);
      }
    });
  }
});

function manifestNoThrow(name: string, bytes: Uint8Array | string): void {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  try {
    const ds = openDataset([p]);
    for (const b of ds.bad) expect(typeof b.reason).toBe('string');
  } catch (e) {
    if (!(e instanceof ManifestError)) throw e;
    expect(e.message.startsWith(`${p}:`)).toBe(true);
  }
}

describe('fuzz: manifests and shards', () => {
  it('CSV: 600 mutated Clotho and AudioCaps manifests', () => {
    const clotho = new TextEncoder().encode('file_name,caption_1,caption_2,caption_3,caption_4,caption_5\na.wav,"x, y",b,c,d,e\nb.wav,q,w,e,r,t\n');
    const ac = new TextEncoder().encode('audiocap_id,youtube_id,start_time,caption\n1,abc,30,"a dog, barking"\n2,abc,30,rain\n');
    for (let s = 0; s < 300; s++) {
      manifestNoThrow('m.csv', mutate(clotho, s));
      manifestNoThrow('m.csv', mutate(ac, s + 1e6));
    }
  });

  it('JSONL: 400 mutated manifests', () => {
    const j = new TextEncoder().encode('{"audio": "a.wav", "captions": ["x", "y"], "tags": ["t"]}\n{"path": "b.flac", "caption": "z"}\n');
    for (let s = 0; s < 400; s++) manifestNoThrow('m.jsonl', mutate(j, s));
  });

  it('tar: 400 mutated and random shards', async () => {
    const tarStream = (await import('tar-stream')).default;
    const pack = tarStream.pack();
    const chunks: Buffer[] = [];
    pack.on('data', (c: unknown) => {
      chunks.push(c as Buffer);
    });
    const done = new Promise<void>((r) => pack.on('end', () => r()));
    pack.entry({ name: 'a.wav' }, Buffer.from(toneWav(300, 0.05)));
    pack.entry({ name: 'a.json' }, Buffer.from('{"caption": "hum"}'));
    pack.entry({ name: 'b.txt' }, Buffer.from('orphan'));
    pack.finalize();
    await done;
    const base = new Uint8Array(Buffer.concat(chunks));
    for (let s = 0; s < 300; s++) manifestNoThrow('s.tar', mutate(base, s));
    for (let s = 0; s < 100; s++)
      manifestNoThrow(
        's.tar',
        Uint8Array.from({ length: mix(s, 3) % 3000 }, (_, i) => mix(s, i) & 255),
      );
  });
});
