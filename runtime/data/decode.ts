// Audio decoding: WAV through wavefile, FLAC / Ogg Vorbis / MP3 through the wasm-audio-decoders
// family (libFLAC, libvorbis, mpg123 compiled to WebAssembly). The format is sniffed from the bytes,
// not the file name. Every failure is a DecodeFailure with a reason fit for the bad-file report.
import wavefile from 'wavefile';
import { FLACDecoder } from '@wasm-audio-decoders/flac';
import { OggVorbisDecoder } from '@wasm-audio-decoders/ogg-vorbis';
import { MPEGDecoder } from 'mpg123-decoder';

export type AudioFormat = 'wav' | 'flac' | 'ogg' | 'mp3';

export interface DecodedAudio {
  format: AudioFormat;
  sampleRate: number;
  channels: Float32Array[];
}

/** A file that cannot become audio; `reason` goes into the data report verbatim. */
export class DecodeFailure extends Error {}

export function sniffFormat(b: Uint8Array): AudioFormat | undefined {
  const tag = (o: number, s: string): boolean => b.length >= o + s.length && [...s].every((c, i) => b[o + i] === c.charCodeAt(0));
  if ((tag(0, 'RIFF') || tag(0, 'RIFX')) && tag(8, 'WAVE')) return 'wav';
  if (tag(0, 'fLaC')) return 'flac';
  if (tag(0, 'OggS')) return 'ogg';
  if (tag(0, 'ID3')) {
    // An ID3v2 tag can front MP3 or (rarely) FLAC: look past it.
    if (b.length < 10) return undefined;
    const size = ((b[6]! & 0x7f) << 21) | ((b[7]! & 0x7f) << 14) | ((b[8]! & 0x7f) << 7) | (b[9]! & 0x7f);
    const rest = b.subarray(10 + size + (b[5]! & 0x10 ? 10 : 0));
    return rest.length >= 4 && rest[0] === 0x66 && rest[1] === 0x4c && rest[2] === 0x61 && rest[3] === 0x43 ? 'flac' : 'mp3';
  }
  if (b.length >= 2 && b[0] === 0xff && (b[1]! & 0xe0) === 0xe0 && (b[1]! & 0x06) !== 0) return 'mp3';
  return undefined;
}

interface WasmDecoded {
  channelData: Float32Array[];
  samplesDecoded: number;
  sampleRate: number;
  errors: { message: string }[];
}
interface WasmDecoder {
  ready: Promise<void>;
  reset(): Promise<void>;
}
type Compressed = Exclude<AudioFormat, 'wav'>;

/** The WebAssembly decoders: one instance per thread, created on first use (each instantiates a module). */
const WASM: { [F in Compressed]: { name: string; make: () => WasmDecoder; decode: (d: WasmDecoder, b: Uint8Array) => WasmDecoded | Promise<WasmDecoded> } } = {
  flac: { name: 'FLAC', make: () => new FLACDecoder(), decode: (d, b) => (d as FLACDecoder).decode(withSentinel(b)) },
  ogg: { name: 'Ogg Vorbis', make: () => new OggVorbisDecoder(), decode: (d, b) => (d as OggVorbisDecoder).decodeFile(b) },
  mp3: { name: 'MP3', make: () => new MPEGDecoder(), decode: (d, b) => (d as MPEGDecoder).decode(b) },
};
const instances = new Map<Compressed, WasmDecoder>();

// The WebAssembly decoders hold one stream's state: calls must not interleave, so they queue.
let queue: Promise<unknown> = Promise.resolve();

export function decodeAudio(bytes: Uint8Array): Promise<DecodedAudio> {
  const next = queue.then(() => decodeNow(bytes));
  queue = next.catch(() => undefined);
  return next;
}

async function decodeNow(bytes: Uint8Array): Promise<DecodedAudio> {
  if (bytes.length === 0) throw new DecodeFailure('empty file');
  const format = sniffFormat(bytes);
  if (!format) throw new DecodeFailure('not a WAV, FLAC, Ogg Vorbis or MP3 file (unrecognised header)');
  let out: DecodedAudio;
  if (format === 'wav') out = decodeWav(bytes);
  else {
    const w = WASM[format];
    let d = instances.get(format);
    if (!d) {
      d = w.make();
      instances.set(format, d);
    }
    await d.ready;
    await d.reset();
    const r = await w.decode(d, bytes);
    firstError(r.errors, w.name);
    const total = format === 'flac' ? flacTotalSamples(bytes) : 0;
    if (total > 0 && r.samplesDecoded < total)
      throw new DecodeFailure(`incomplete FLAC (truncated or corrupt): ${r.samplesDecoded} of ${total} samples decoded`);
    out = { format, sampleRate: r.sampleRate, channels: r.channelData };
  }
  const n = out.channels[0]?.length ?? 0;
  if (out.channels.length === 0 || n === 0) throw new DecodeFailure(`no audio samples decoded from the ${format.toUpperCase()} data`);
  if (!(out.sampleRate >= 1000 && out.sampleRate <= 768000)) throw new DecodeFailure(`implausible sample rate ${out.sampleRate} Hz`);
  for (const c of out.channels) {
    for (let i = 0; i < c.length; i++) if (!Number.isFinite(c[i]!)) throw new DecodeFailure(`non-finite sample at ${i} (corrupt data)`);
  }
  return out;
}

function firstError(errors: { message: string; frameNumber?: number }[] | undefined, what: string): void {
  if (errors && errors.length > 0) {
    const e = errors[0]!;
    throw new DecodeFailure(`corrupt ${what} data: ${e.message}${errors.length > 1 ? ` (+${errors.length - 1} more errors)` : ''}`);
  }
}

/**
 * The FLAC parser (codec-parser 2.5) emits a frame only once it has seen the next frame's header,
 * and its end-of-stream flush can drop the last frame of a valid file (seen on sox-written files:
 * `flac -t` passes, 3392 of 97600 samples lost). Appending a copy of the first frame's header as a
 * sentinel lets the last real frame be emitted by the ordinary path; the sentinel never decodes.
 */
function withSentinel(b: Uint8Array): Uint8Array {
  let o = 4;
  for (let guard = 0; guard < 1024; guard++) {
    if (o + 4 > b.length) return b;
    const last = b[o]! & 0x80,
      len = (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!;
    o += 4 + len;
    if (last) break;
  }
  if (o + 32 > b.length || b[o] !== 0xff || (b[o + 1]! & 0xfe) !== 0xf8) return b;
  const out = new Uint8Array(b.length + 32);
  out.set(b);
  out.set(b.subarray(o, o + 32), b.length);
  return out;
}

/** STREAMINFO's 36-bit total sample count (0 = unknown). */
function flacTotalSamples(b: Uint8Array): number {
  if (b.length < 42 || (b[4]! & 0x7f) !== 0) return 0;
  const o = 8 + 13; // metadata header 4 + fLaC 4; total samples start 4 bits into byte 21
  return (b[o]! & 0x0f) * 2 ** 32 + ((b[o + 1]! << 24) >>> 0) + (b[o + 2]! << 16) + (b[o + 3]! << 8) + b[o + 4]!;
}

const INT_SCALE: Record<string, number> = { '16': 32768, '24': 8388608, '32': 2147483648 };

function decodeWav(bytes: Uint8Array): DecodedAudio {
  let wav: InstanceType<typeof wavefile.WaveFile>;
  try {
    wav = new wavefile.WaveFile(bytes);
  } catch (e) {
    throw new DecodeFailure(`bad WAV: ${(e as Error).message}`);
  }
  const fmt = wav.fmt as { audioFormat: number; numChannels: number; sampleRate: number };
  const data = wav.data as { chunkSize: number; samples: Uint8Array };
  if (data.chunkSize > data.samples.length)
    throw new DecodeFailure(`truncated WAV: data chunk declares ${data.chunkSize} bytes, file holds ${data.samples.length}`);
  try {
    if (fmt.audioFormat === 6) wav.fromALaw();
    else if (fmt.audioFormat === 7) wav.fromMuLaw();
    else if (fmt.audioFormat === 17) wav.fromIMAADPCM();
  } catch (e) {
    throw new DecodeFailure(`bad WAV: ${(e as Error).message}`);
  }
  const depth = (wav as unknown as { bitDepth: string }).bitDepth;
  const nch = fmt.numChannels;
  if (!(nch >= 1 && nch <= 64)) throw new DecodeFailure(`bad WAV: ${nch} channels`);
  // Little-endian 16-bit PCM (most WAVs) straight from the bytes: wavefile's generic per-sample
  // path costs ~100 ms per 10 s of 44.1 kHz stereo.
  if (depth === '16' && (wav as unknown as { container: string }).container === 'RIFF') {
    const frames = Math.floor(data.samples.length / (2 * nch));
    const v = new DataView(data.samples.buffer, data.samples.byteOffset, frames * 2 * nch);
    const channels = Array.from({ length: nch }, () => new Float32Array(frames));
    for (let i = 0, o = 0; i < frames; i++) for (let c = 0; c < nch; c++, o += 2) channels[c]![i] = v.getInt16(o, true) / 32768;
    return { format: 'wav', sampleRate: fmt.sampleRate, channels };
  }
  let raw: Float64Array | Float64Array[];
  try {
    raw = wav.getSamples(false, Float64Array) as Float64Array | Float64Array[];
  } catch (e) {
    throw new DecodeFailure(`unsupported WAV encoding (format ${fmt.audioFormat}, ${depth} bits): ${(e as Error).message}`);
  }
  const chans = nch === 1 ? [raw as Float64Array] : (raw as Float64Array[]);
  const float = depth === '32f' || depth === '64';
  const scale = depth === '8' ? 128 : INT_SCALE[depth];
  if (!float && scale === undefined) throw new DecodeFailure(`unsupported WAV sample format (${depth} bits)`);
  const channels = chans.map((c) => {
    const o = new Float32Array(c.length);
    if (float) o.set(c);
    else if (depth === '8') for (let i = 0; i < c.length; i++) o[i] = (c[i]! - 128) / 128;
    else for (let i = 0; i < c.length; i++) o[i] = c[i]! / scale!;
    return o;
  });
  return { format: 'wav', sampleRate: fmt.sampleRate, channels };
}

/** Average of the channels (the model is mono). */
export { downmix } from './features.ts';
