// A small corpus in every supported format, with known-bad items, for tests and `data check` demos.
// Good audio is synthesised (tones and noise bursts); compressed files come from fixtures/.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import tarStream from 'tar-stream';
import { encodeWav } from './wav-writer.ts';
import { lcg } from '../../compiler/ir/lcg.ts';

const FIX = new URL('./fixtures/', import.meta.url);

export function toneWav(hz: number, seconds: number, sr = 16000, enc: 'pcm16' | 'pcm8' | 'float32' = 'pcm16'): Uint8Array {
  const n = Math.round(seconds * sr);
  const x = new Float32Array(n);
  const noise = lcg(hz, true);
  for (let i = 0; i < n; i++) x[i] = 0.3 * Math.sin((2 * Math.PI * hz * i) / sr) + 0.02 * noise();
  return encodeWav([x], sr, enc);
}

export interface CorpusExpectation {
  /** Paths (or shard:key) that must load. */
  good: string[];
  /** Item -> reason fragment that the report must show. */
  bad: Record<string, RegExp>;
}

async function tar(path: string, members: { name: string; data: Uint8Array }[], truncateTo?: number): Promise<void> {
  const pack = tarStream.pack();
  const chunks: Buffer[] = [];
  pack.on('data', (c: unknown) => {
    chunks.push(c as Buffer);
  });
  const done = new Promise<void>((r) => pack.on('end', () => r()));
  for (const m of members) pack.entry({ name: m.name, size: m.data.length }, Buffer.from(m.data));
  pack.finalize();
  await done;
  const all = Buffer.concat(chunks);
  writeFileSync(path, truncateTo === undefined ? all : all.subarray(0, truncateTo));
}

/** Writes the corpus under `dir` (one sub-folder per format) and says what a reader must find. */
export async function writeTestCorpus(dir: string): Promise<CorpusExpectation> {
  const good: string[] = [];
  const bad: Record<string, RegExp> = {};
  const fixture = (f: string): Uint8Array => new Uint8Array(readFileSync(new URL(f, FIX)));

  // Clotho: development split in development/.
  const clotho = join(dir, 'clotho'),
    dev = join(clotho, 'development');
  mkdirSync(dev, { recursive: true });
  writeFileSync(join(dev, 'beep one.wav'), toneWav(440, 1.2));
  writeFileSync(join(dev, 'two.wav'), toneWav(880, 0.7, 22050, 'pcm8'));
  copyFileSync(new URL('tone-22050-stereo.flac', FIX), join(dev, 'three.flac'));
  copyFileSync(new URL('tone-22050-stereo.ogg', FIX), join(dev, 'four.ogg'));
  copyFileSync(new URL('tone-22050-stereo.mp3', FIX), join(dev, 'five.mp3'));
  writeFileSync(join(dev, 'empty.wav'), new Uint8Array(0));
  writeFileSync(join(dev, 'truncated.wav'), toneWav(300, 1).subarray(0, 5000));
  writeFileSync(join(dev, 'garbage.wav'), new TextEncoder().encode('this is not audio at all'));
  writeFileSync(join(dev, 'tiny.wav'), toneWav(300, 0.01));
  writeFileSync(join(dev, 'nocaption.wav'), toneWav(500, 0.5));
  const caps = (s: string): string => Array.from({ length: 5 }, (_, i) => `"${s}, take ${i + 1}"`).join(',');
  writeFileSync(
    join(clotho, 'clotho_captions_development.csv'),
    `${[
      'file_name,caption_1,caption_2,caption_3,caption_4,caption_5',
      `beep one.wav,${caps('A steady beep, high pitched')}`,
      `two.wav,${caps('A tone rings out')}`,
      `three.flac,${caps('Two tones play together')}`,
      `four.ogg,${caps('Two tones in stereo')}`,
      `five.mp3,${caps('A chord of two sine tones')}`,
      `empty.wav,${caps('nothing')}`,
      `truncated.wav,${caps('cut short')}`,
      `garbage.wav,${caps('text pretending to be sound')}`,
      `tiny.wav,${caps('a click')}`,
      `missing.wav,${caps('a file that is not there')}`,
      'nocaption.wav,,,,,',
    ].join('\n')}\n`,
  );
  // Clotho's metadata CSV sits beside the captions and must be skipped, not read as captions.
  writeFileSync(join(clotho, 'clotho_metadata_development.csv'), 'file_name,keywords,sound_id\nbeep one.wav,beep,1\n');
  for (const f of ['beep one.wav', 'two.wav', 'three.flac', 'four.ogg', 'five.mp3']) good.push(join(dev, f));
  Object.assign(bad, {
    [join(dev, 'empty.wav')]: /empty file/,
    [join(dev, 'truncated.wav')]: /truncated WAV/,
    [join(dev, 'garbage.wav')]: /unrecognised header/,
    [join(dev, 'tiny.wav')]: /too short/,
    [join(clotho, 'missing.wav')]: /missing file/,
    [join(clotho, 'nocaption.wav')]: /no caption/,
  });

  // AudioCaps: one row per caption, audio named <youtube_id>_<start>.wav under audio/.
  const ac = join(dir, 'audiocaps'),
    acAudio = join(ac, 'audio');
  mkdirSync(acAudio, { recursive: true });
  writeFileSync(join(acAudio, 'abc123_30.wav'), toneWav(600, 1.0));
  writeFileSync(join(acAudio, 'Yxyz789_0.wav'), toneWav(1200, 0.8, 8000));
  writeFileSync(
    join(ac, 'test.csv'),
    `${[
      'audiocap_id,youtube_id,start_time,caption',
      '1,abc123,30,A machine hums steadily',
      '2,abc123,30,"A steady, low hum"',
      '3,xyz789,0,A whistle blows',
      '4,gone999,10,A dog barks',
      '5,abc123,30,An engine idles',
    ].join('\n')}\n`,
  );
  good.push(join(acAudio, 'abc123_30.wav'), join(acAudio, 'Yxyz789_0.wav'));
  bad[join(ac, 'gone999_10.wav')] = /missing file/;

  // JSONL with paths relative to the manifest.
  const jl = join(dir, 'jsonl');
  mkdirSync(join(jl, 'clips'), { recursive: true });
  writeFileSync(join(jl, 'clips', 'a.wav'), toneWav(700, 0.9, 16000, 'float32'));
  writeFileSync(join(jl, 'clips', 'b.flac'), fixture('tone-48000-mono-24.flac'));
  writeFileSync(
    join(jl, 'train.jsonl'),
    `${[
      JSON.stringify({ audio: 'clips/a.wav', captions: ['a pure tone', 'a whistle-like tone'], tags: ['tone'] }),
      '',
      JSON.stringify({ path: 'clips/b.flac', caption: 'a high tone', tags: 'tone;beep' }),
      JSON.stringify({ audio: 'clips/nope.wav', caption: 'never recorded' }),
    ].join('\n')}\n`,
  );
  good.push(join(jl, 'clips', 'a.wav'), join(jl, 'clips', 'b.flac'));
  bad[join(jl, 'clips', 'nope.wav')] = /missing file/;

  // WebDataset: two shards, the second cut short in its last member.
  const wds = join(dir, 'wds');
  mkdirSync(wds, { recursive: true });
  const enc = new TextEncoder();
  await tar(join(wds, 'shard-000000.tar'), [
    { name: 'k1.flac', data: fixture('tone-22050-stereo.flac') },
    { name: 'k1.json', data: enc.encode(JSON.stringify({ captions: ['two tones'], tags: ['tone'] })) },
    { name: 'sub/k2.wav', data: toneWav(250, 1.1) },
    { name: 'sub/k2.txt', data: enc.encode('a low hum\nan electrical hum\n') },
    { name: 'k3.json', data: enc.encode(JSON.stringify({ caption: 'orphan caption' })) },
    { name: 'k4.wav', data: toneWav(350, 0.6) },
    { name: 'k4.json', data: enc.encode('{not json') },
    { name: 'k5.flac', data: fixture('tone-22050-stereo.flac').subarray(0, 3000) },
    { name: 'k5.txt', data: enc.encode('truncated flac') },
  ]);
  await tar(
    join(wds, 'shard-000001.tar'),
    [
      { name: 'm1.wav', data: toneWav(450, 0.5) },
      { name: 'm1.txt', data: enc.encode('a tone') },
      { name: 'm2.wav', data: toneWav(550, 2.0) },
      { name: 'm2.txt', data: enc.encode('a longer tone') },
    ],
    17920 + 512 + 1000,
  ); // cut 1000 bytes into m2.wav's data
  const s0 = join(wds, 'shard-000000.tar'),
    s1 = join(wds, 'shard-000001.tar');
  good.push(`${s0}:k1`, `${s0}:sub/k2`, `${s1}:m1`);
  Object.assign(bad, {
    [`${s0}:k3`]: /no audio member/,
    [`${s0}:k4`]: /malformed JSON/,
    [`${s0}:k5`]: /incomplete FLAC \(truncated or corrupt\)/,
    [s1]: /truncated tar/,
  });

  // A plain folder with sidecars.
  const folder = join(dir, 'folder');
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'rain.wav'), toneWav(150, 1.5));
  writeFileSync(join(folder, 'rain.txt'), 'rain on a roof\nsteady rainfall\n');
  writeFileSync(join(folder, 'bell.wav'), toneWav(1500, 0.5));
  writeFileSync(join(folder, 'bell.json'), JSON.stringify({ captions: ['a bell rings'], tags: ['bell'] }));
  writeFileSync(join(folder, 'mute.wav'), toneWav(100, 0.5));
  good.push(join(folder, 'rain.wav'), join(folder, 'bell.wav'));
  bad[join(folder, 'mute.wav')] = /no caption/;
  return { good, bad };
}
