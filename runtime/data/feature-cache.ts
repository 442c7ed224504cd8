// On-disk feature cache: one file per clip, keyed by the sha256 of the encoded bytes and the
// front-end settings, so a renamed file hits and an edited one misses. Files are written to a
// temporary name and renamed, so an interrupted run never leaves a partial entry.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Features } from './frontend.ts';

const MAGIC = 0x464d4c46; // "FLMF"
const HEADER_INTS = 4; // magic, frames, melBins, flags (bit 0: silent); then seconds as f64

export function defaultCacheDir(): string {
  return join(process.env.FLAPC_CACHE_DIR ?? join(homedir(), '.cache', 'flapc'), 'features');
}

export function contentHash(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export class FeatureCache {
  constructor(
    readonly dir: string,
    readonly frontEndKey: string,
  ) {}

  private path(hash: string): string {
    return join(this.dir, this.frontEndKey, hash.slice(0, 2), `${hash}.mel`);
  }

  get(hash: string, melBins: number): Features | undefined {
    let buf: Buffer;
    try {
      buf = readFileSync(this.path(hash));
    } catch {
      return undefined;
    }
    if (buf.length < HEADER_INTS * 4 + 8) return undefined;
    const [magic, frames, bins, flags] = [0, 4, 8, 12].map((o) => buf.readInt32LE(o)) as [number, number, number, number];
    if (magic !== MAGIC || bins !== melBins || buf.length !== HEADER_INTS * 4 + 8 + frames * bins * 4) return undefined;
    const seconds = buf.readDoubleLE(HEADER_INTS * 4);
    const mel = new Float32Array(frames * bins);
    new Uint8Array(mel.buffer).set(buf.subarray(HEADER_INTS * 4 + 8));
    return { mel, frames, seconds, silent: (flags & 1) !== 0 };
  }

  put(hash: string, f: Features): void {
    const p = this.path(hash);
    mkdirSync(join(p, '..'), { recursive: true });
    const buf = Buffer.alloc(HEADER_INTS * 4 + 8 + f.mel.byteLength);
    [MAGIC, f.frames, f.mel.length / f.frames, f.silent ? 1 : 0].forEach((v, i) => buf.writeInt32LE(v, i * 4));
    buf.writeDoubleLE(f.seconds, HEADER_INTS * 4);
    buf.set(new Uint8Array(f.mel.buffer, f.mel.byteOffset, f.mel.byteLength), HEADER_INTS * 4 + 8);
    const tmp = `${p}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    writeFileSync(tmp, buf);
    renameSync(tmp, p);
  }
}
