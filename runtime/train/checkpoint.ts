// Checkpoints as safetensors (https://huggingface.co/docs/safetensors): an 8-byte little-endian
// header length, a JSON header {name: {dtype, shape, data_offsets}, __metadata__: {...}}, then the
// raw little-endian tensor bytes. Written to a temporary file and renamed: no partial checkpoint.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';

export interface Tensor { name: string; shape: number[]; data: Float32Array }
export class CheckpointError extends Error {}

export function writeSafetensors(path: string, tensors: Tensor[], metadata: Record<string, string> = {}): void {
  const header: Record<string, unknown> = { __metadata__: metadata };
  let off = 0;
  for (const t of tensors) {
    const n = t.shape.reduce((a, b) => a * b, 1);
    if (n !== t.data.length) throw new Error(`tensor ${t.name}: shape [${t.shape}] holds ${n} values, data has ${t.data.length}`);
    header[t.name] = { dtype: 'F32', shape: t.shape, data_offsets: [off, off + 4 * n] };
    off += 4 * n;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (json.length % 8)) % 8);   // keep the data 8-byte aligned
  const head = Buffer.from(json, 'utf8');
  const buf = Buffer.alloc(8 + head.length + off);
  buf.writeBigUInt64LE(BigInt(head.length), 0);
  head.copy(buf, 8);
  let o = 8 + head.length;
  for (const t of tensors) { Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength).copy(buf, o); o += t.data.byteLength; }
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, buf);
  renameSync(tmp, path);
}

export function readSafetensors(path: string): { tensors: Map<string, Tensor>; metadata: Record<string, string> } {
  let buf: Buffer;
  try { buf = readFileSync(path); } catch (e) { throw new CheckpointError(`cannot read checkpoint ${path}: ${(e as Error).message}`); }
  if (buf.length < 8) throw new CheckpointError(`${path}: not a safetensors file (too short)`);
  const len = Number(buf.readBigUInt64LE(0));
  if (len > buf.length - 8 || len > 100 << 20) throw new CheckpointError(`${path}: not a safetensors file (header length ${len})`);
  let header: Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] } | Record<string, string>>;
  try { header = JSON.parse(buf.subarray(8, 8 + len).toString('utf8')); } catch { throw new CheckpointError(`${path}: malformed safetensors header`); }
  const base = 8 + len;
  const tensors = new Map<string, Tensor>();
  for (const [name, v] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const t = v as { dtype: string; shape: number[]; data_offsets: [number, number] };
    if (t.dtype !== 'F32') throw new CheckpointError(`${path}: tensor ${name} is ${t.dtype}; flapc checkpoints hold F32`);
    const [s, e] = t.data_offsets ?? [];
    const n = (t.shape ?? []).reduce((a, b) => a * b, 1);
    if (!(Number.isInteger(s) && Number.isInteger(e) && e! - s! === 4 * n && base + e! <= buf.length)) throw new CheckpointError(`${path}: tensor ${name} has bad offsets`);
    const data = new Float32Array(n);
    new Uint8Array(data.buffer).set(buf.subarray(base + s!, base + e!));
    tensors.set(name, { name, shape: t.shape, data });
  }
  return { tensors, metadata: (header.__metadata__ ?? {}) as Record<string, string> };
}
