// The checkpoint format as documented (docs/checkpoints.md), read back by numpy alone: a Python
// reader that knows only the layout finds every tensor, shape, value and metadata key.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeSafetensors } from './checkpoint.ts';
import { CHECKPOINT_VERSION, loadCheckpoint, saveCheckpoint } from './state.ts';

const dir = mkdtempSync(join(tmpdir(), 'flapc-numpy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// The reader from docs/checkpoints.md, printing what it found as JSON.
const READER = `
import json, struct, sys
import numpy as np
buf = open(sys.argv[1], 'rb').read()
n = struct.unpack('<Q', buf[:8])[0]
header = json.loads(buf[8:8 + n])
meta = header.pop('__metadata__')
base = 8 + n
tensors = {k: np.frombuffer(buf[base + v['data_offsets'][0]: base + v['data_offsets'][1]], '<f4').reshape(v['shape'])
           for k, v in header.items()}
print(json.dumps({'meta': meta, 'aligned': base % 8 == 0,
                  'tensors': {k: {'shape': list(t.shape), 'values': [float(x) for x in t.reshape(-1)]} for k, t in tensors.items()}}))
`;

describe('checkpoint format', () => {
  it('numpy reads a training state from the documented layout alone', () => {
    const p = join(dir, 'last.safetensors');
    const w = Float32Array.from({ length: 12 }, (_, i) => Math.fround(Math.sin(i) * 1e-3));
    const tensors = [
      { name: 'text_proj.w', shape: [3, 4], data: w },
      { name: 'logit_scale', shape: [], data: new Float32Array([2.6592600345611572]) },
      { name: 'opt.m.text_proj.w', shape: [3, 4], data: w.map((x) => x / 10) },
      { name: 'opt.v.text_proj.w', shape: [3, 4], data: w.map((x) => x * x) },
    ];
    saveCheckpoint(p, tensors, {
      kind: 'train-state',
      model: 'flap-tiny',
      specHash: '0123456789abcdef',
      step: 120,
      totalSteps: 400,
      seed: 3,
      dataEpoch: 2,
      dataPos: 17,
      normMean: -6.25,
      normStd: 4.5,
    });
    const r = spawnSync('python3', ['-c', READER, p], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const got = JSON.parse(r.stdout) as { meta: Record<string, string>; aligned: boolean; tensors: Record<string, { shape: number[]; values: number[] }> };
    expect(got.aligned).toBe(true);
    expect(got.meta).toEqual({
      format: 'flapc',
      format_version: String(CHECKPOINT_VERSION),
      kind: 'train-state',
      model: 'flap-tiny',
      spec_hash: '0123456789abcdef',
      step: '120',
      total_steps: '400',
      seed: '3',
      data_epoch: '2',
      data_pos: '17',
      norm_mean: '-6.25',
      norm_std: '4.5',
    });
    for (const t of tensors) {
      expect(got.tensors[t.name]!.shape).toEqual(t.shape);
      expect(got.tensors[t.name]!.values).toEqual(Array.from(t.data));
    }
    // And flapc reads it back the same way.
    const ck = loadCheckpoint(p);
    expect(ck.meta).toMatchObject({ step: 120, dataEpoch: 2, dataPos: 17, normMean: -6.25 });
  });

  it('refuses a newer format version with a clear message and reads version 1 files as weights', () => {
    const p = join(dir, 'future.safetensors');
    saveCheckpoint(p, [{ name: 'w', shape: [1], data: new Float32Array([1]) }], {
      kind: 'weights',
      model: 'm',
      specHash: 'x',
      step: 1,
      totalSteps: 1,
      seed: 0,
      dataEpoch: 0,
      dataPos: 0,
    });
    // Rewrite the version field in place (same length keeps the layout valid).
    const buf = fs.readFileSync(p);
    fs.writeFileSync(p, Buffer.from(buf.toString('latin1').replace(`"format_version":"${CHECKPOINT_VERSION}"`, '"format_version":"9"'), 'latin1'));
    expect(() => loadCheckpoint(p)).toThrow(/is checkpoint format 9; this flapc reads formats 1-2: upgrade flapc/);
    // Version 1, as `flapc run --save` wrote it before run folders.
    const old = join(dir, 'v1.safetensors');
    writeSafetensors(old, [{ name: 'w', shape: [1], data: new Float32Array([1]) }], {
      format: 'flapc',
      model: 'm',
      steps: '7',
      seed: '0',
      norm_mean: '-5',
      norm_std: '2',
    });
    const v1 = loadCheckpoint(old);
    expect(v1.version).toBe(1);
    expect(v1.meta).toMatchObject({ kind: 'weights', step: 7, specHash: '', normMean: -5, normStd: 2 });
  });
});
