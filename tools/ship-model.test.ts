import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readSafetensors } from '../runtime/train/checkpoint.ts';
import { loadCheckpoint, saveCheckpoint } from '../runtime/train/state.ts';
import { fromHalf, toHalf } from '../runtime/web/weights.ts';
import { shipWeights } from './ship-model.ts';

const dir = mkdtempSync(join(tmpdir(), 'flapc-ship-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('shipping a model', () => {
  it('keeps the weights (F16) and the spec hash, drops the optimizer moments, records metrics and commands', () => {
    const w = Float32Array.from({ length: 64 }, (_, i) => Math.sin(i) * 0.1);
    const meta = {
      kind: 'train-state' as const,
      model: 'm',
      specHash: 'abc',
      step: 7,
      totalSteps: 9,
      seed: 0,
      dataEpoch: 1,
      dataPos: 2,
      normMean: -8,
      normStd: 6,
    };
    saveCheckpoint(
      join(dir, 'last.safetensors'),
      [
        { name: 'enc.w', shape: [8, 8], data: w },
        { name: 'opt.m.enc.w', shape: [8, 8], data: w },
        { name: 'opt.v.enc.w', shape: [8, 8], data: w },
      ],
      meta,
    );
    const out = join(dir, 'shipped.safetensors');
    const bytes = shipWeights(loadCheckpoint(join(dir, 'last.safetensors')), out, { test_metrics: '{"a2t":{"r1":0.1}}', commands: '["flapc run train x"]' });
    expect(bytes).toBeLessThan(64 * 2 + 2048);
    const ck = loadCheckpoint(out);
    expect([...ck.tensors.keys()]).toEqual(['enc.w']);
    expect(ck.meta).toMatchObject({ kind: 'weights', specHash: 'abc', step: 7, normMean: -8, normStd: 6 });
    expect(Array.from(ck.tensors.get('enc.w')!.data)).toEqual(Array.from(w, (x) => Math.fround(fromHalf(toHalf(x)))));
    expect(readSafetensors(out).metadata.test_metrics).toBe('{"a2t":{"r1":0.1}}');
  });
});
