// Checkpoints as safetensors (https://huggingface.co/docs/safetensors): an 8-byte little-endian
// header length, a JSON header {name: {dtype, shape, data_offsets}, __metadata__: {...}}, then the
// raw little-endian tensor bytes. docs/checkpoints.md describes what flapc stores in them.
import { fromHalf, toHalf } from '../web/weights.ts';
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { UserError } from '../errors.ts';

export interface Tensor {
  name: string;
  shape: number[];
  data: Float32Array;
}
export class CheckpointError extends UserError {}

/** How bytes reach the disk; tests swap it to make a write fail part-way (a full disk). */
export interface FileWriter {
  write(fd: number, data: Uint8Array): void;
}
const FS_WRITER: FileWriter = {
  write: (fd, data) => {
    let o = 0;
    while (o < data.length) o += writeSync(fd, data, o);
  },
};

/**
 * Write atomically: a temporary file in the same folder, fsync, rename over `path`, fsync the
 * folder. A failure at any point (full disk, I/O error) removes the temporary file and leaves a
 * previous `path` untouched.
 */
export function writeSafetensors(
  path: string,
  tensors: Tensor[],
  metadata: Record<string, string> = {},
  io: FileWriter = FS_WRITER,
  dtype: 'F32' | 'F16' = 'F32',
): void {
  const header: Record<string, unknown> = { __metadata__: metadata };
  const width = dtype === 'F16' ? 2 : 4;
  let off = 0;
  for (const t of tensors) {
    const n = t.shape.reduce((a, b) => a * b, 1);
    if (n !== t.data.length) throw new Error(`tensor ${t.name}: shape [${t.shape}] holds ${n} values, data has ${t.data.length}`);
    header[t.name] = { dtype, shape: t.shape, data_offsets: [off, off + width * n] };
    off += width * n;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (Buffer.byteLength(json) % 8)) % 8); // keep the data 8-byte aligned
  const head = Buffer.from(json, 'utf8');
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(head.length), 0);
  const tmp = join(dirname(path), `.${basename(path)}.tmp-${process.pid}`);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'w');
    io.write(fd, len);
    io.write(fd, head);
    for (const t of tensors)
      io.write(
        fd,
        dtype === 'F16' ? new Uint8Array(Uint16Array.from(t.data, toHalf).buffer) : new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength),
      );
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    rmSync(tmp, { force: true });
    throw new CheckpointError(`could not write ${path}: ${(e as Error).message}${existsSync(path) ? ' (the previous file is unchanged)' : ''}`);
  }
  try {
    const d = openSync(dirname(path), 'r');
    fsyncSync(d);
    closeSync(d);
  } catch {
    /* not every file system syncs folders */
  }
}

export function readSafetensors(path: string): { tensors: Map<string, Tensor>; metadata: Record<string, string> } {
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (e) {
    throw new CheckpointError(`cannot read checkpoint ${path}: ${(e as Error).message}`);
  }
  if (buf.length < 8) throw new CheckpointError(`${path}: not a safetensors file (too short)`);
  const len = Number(buf.readBigUInt64LE(0));
  if (len > buf.length - 8 || len > 100 << 20) throw new CheckpointError(`${path}: not a safetensors file (header length ${len})`);
  let header: Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] } | Record<string, string>>;
  try {
    header = JSON.parse(buf.subarray(8, 8 + len).toString('utf8'));
  } catch {
    throw new CheckpointError(`${path}: malformed safetensors header`);
  }
  const base = 8 + len;
  const tensors = new Map<string, Tensor>();
  for (const [name, v] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const t = v as { dtype: string; shape: number[]; data_offsets: [number, number] };
    if (t.dtype !== 'F32' && t.dtype !== 'F16') throw new CheckpointError(`${path}: tensor ${name} is ${t.dtype}; flapc checkpoints hold F32 or F16`);
    const width = t.dtype === 'F16' ? 2 : 4;
    const [s, e] = t.data_offsets ?? [];
    const n = (t.shape ?? []).reduce((a, b) => a * b, 1);
    if (!(Number.isInteger(s) && Number.isInteger(e) && e! - s! === width * n && base + e! <= buf.length))
      throw new CheckpointError(`${path}: tensor ${name} has bad offsets`);
    const data = new Float32Array(n);
    if (width === 4) new Uint8Array(data.buffer).set(buf.subarray(base + s!, base + e!));
    else for (let i = 0; i < n; i++) data[i] = fromHalf(buf.readUInt16LE(base + s! + 2 * i)); // F16 (shipped weights): widened exactly
    tensors.set(name, { name, shape: t.shape, data });
  }
  return { tensors, metadata: (header.__metadata__ ?? {}) as Record<string, string> };
}
