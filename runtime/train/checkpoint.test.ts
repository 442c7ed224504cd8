import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CheckpointError, readSafetensors, writeSafetensors } from './checkpoint.ts';
import { fromHalf, toHalf } from '../web/weights.ts';

const dir = mkdtempSync(join(tmpdir(), 'flapc-ckpt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('safetensors checkpoints', () => {
  it('writes and reads F16 weights (shipped models), widened exactly to the nearest half', () => {
    const p = join(dir, 'half.safetensors');
    const w = Float32Array.from([0.1, -2.5, 65504, 1e-5, Math.PI]);
    writeSafetensors(p, [{ name: 'w', shape: [5], data: w }], { kind: 'weights' }, undefined, 'F16');
    const buf = readFileSync(p);
    const h = JSON.parse(buf.subarray(8, 8 + Number(buf.readBigUInt64LE(0))).toString()) as Record<string, { dtype: string; data_offsets: number[] }>;
    expect(h.w!.dtype).toBe('F16');
    expect(h.w!.data_offsets).toEqual([0, 10]);
    const r = readSafetensors(p).tensors.get('w')!.data;
    expect(Array.from(r)).toEqual(Array.from(w, (x) => Math.fround(fromHalf(toHalf(x)))));
    for (let i = 0; i < 5; i++) expect(Math.abs(r[i]! - w[i]!)).toBeLessThanOrEqual(Math.abs(w[i]!) * 2 ** -11 + 2 ** -25);
  });

  it('round-trips tensors and metadata, with the standard layout', () => {
    const p = join(dir, 'a.safetensors');
    const w = Float32Array.from({ length: 6 }, (_, i) => i * 0.5 - 1),
      s = new Float32Array([3.25]);
    writeSafetensors(
      p,
      [
        { name: 'enc.w', shape: [2, 3], data: w },
        { name: 'scale', shape: [], data: s },
      ],
      { spec: 'flap-tiny', step: '10' },
    );
    const r = readSafetensors(p);
    expect(Array.from(r.tensors.get('enc.w')!.data)).toEqual(Array.from(w));
    expect(r.tensors.get('scale')!.shape).toEqual([]);
    expect(r.metadata).toEqual({ spec: 'flap-tiny', step: '10' });
    // Layout: u64 header length, JSON header, data at the offsets it names.
    const buf = readFileSync(p);
    const len = Number(buf.readBigUInt64LE(0));
    const h = JSON.parse(buf.subarray(8, 8 + len).toString()) as Record<string, { dtype: string; data_offsets: number[] }>;
    expect(h['enc.w']).toEqual({ dtype: 'F32', shape: [2, 3], data_offsets: [0, 24] });
    expect(buf.readFloatLE(8 + len + 4)).toBe(w[1]);
    expect((8 + len) % 8).toBe(0);
  });

  it('rejects truncated and foreign files with a clear error', () => {
    const p = join(dir, 'b.safetensors');
    writeSafetensors(p, [{ name: 'x', shape: [4], data: new Float32Array(4) }]);
    const full = readFileSync(p);
    writeFileSync(join(dir, 'cut'), full.subarray(0, full.length - 4));
    expect(() => readSafetensors(join(dir, 'cut'))).toThrow(CheckpointError);
    writeFileSync(join(dir, 'text'), 'hello world, not a checkpoint');
    expect(() => readSafetensors(join(dir, 'text'))).toThrow(/not a safetensors file/);
    expect(() => readSafetensors(join(dir, 'missing'))).toThrow(/cannot read checkpoint/);
  });
});

describe('atomic checkpoint writes', () => {
  it('a write that fails part-way (a full disk) leaves the previous checkpoint intact and no temporary file', () => {
    const sub = join(dir, 'atomic');
    mkdirSync(sub);
    const p = join(sub, 'last.safetensors');
    writeSafetensors(p, [{ name: 'w', shape: [3], data: new Float32Array([1, 2, 3]) }], { step: '10' });
    const before = readFileSync(p);
    let calls = 0;
    const fullDisk = {
      write: (_fd: number, _d: Uint8Array): void => {
        if (++calls > 1) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      },
    };
    expect(() => writeSafetensors(p, [{ name: 'w', shape: [3], data: new Float32Array([4, 5, 6]) }], { step: '20' }, fullDisk)).toThrow(
      /could not write .*last\.safetensors: ENOSPC.*\(the previous file is unchanged\)/,
    );
    expect(readFileSync(p).equals(before)).toBe(true);
    expect(readdirSync(sub)).toEqual(['last.safetensors']);
    expect(readSafetensors(p).metadata.step).toBe('10');
  });
});
