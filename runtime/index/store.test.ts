// The vector index without a GPU: upserts replace rows by id, the model check refuses another
// model's vectors, a missing index says how to build one, and the IVF-PQ index returns the same
// top-k as exact search on a small table (every partition probed, candidates re-ranked).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../errors.ts';
import { type ClipRow, type IndexMeta, VectorIndex } from './store.ts';
import { lcg } from '../../compiler/ir/lcg.ts';

const dir = mkdtempSync(join(tmpdir(), 'flapc-index-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const DIM = 32;
const meta: IndexMeta = {
  model: 'm',
  spec: '/x/m.yaml',
  specHash: 'aaaa',
  checkpoint: '/x/m.safetensors',
  checkpointHash: 'c0ffee',
  dim: DIM,
  normMean: -5,
  normStd: 3,
};
const rng = (seed: number): (() => number) => lcg(seed, true);
function unit(r: () => number): Float32Array {
  const v = Float32Array.from({ length: DIM }, r);
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
}
const row = (i: number, v: Float32Array): ClipRow => ({
  id: `id${String(i).padStart(5, '0')}`,
  path: `/audio/${i}.wav`,
  duration: i % 10,
  captions: i % 3 ? [`clip ${i}`] : [],
  tags: [],
  model: 'm',
  checkpoint_hash: 'c0ffee',
  vector: v,
});

describe('vector index (LanceDB)', () => {
  it('upserts by id, filters with --where and refuses another model', async () => {
    const uri = join(dir, 'small.lance');
    const r = rng(1);
    const ix = await VectorIndex.openForWrite(uri, meta);
    const rows = Array.from({ length: 20 }, (_, i) => row(i, unit(r)));
    await ix.upsert(rows);
    await ix.upsert(rows.slice(0, 5));
    expect(await ix.count()).toBe(20);
    const hits = await ix.search(rows[7]!.vector, 3);
    expect(hits[0]!.id).toBe('id00007');
    expect(hits[0]!.score).toBeCloseTo(1, 5);
    expect(hits[0]!.score).toBeGreaterThanOrEqual(hits[1]!.score);
    const filtered = await ix.search(rows[7]!.vector, 20, { where: 'duration > 6' });
    expect(filtered.every((h) => h.duration > 6)).toBe(true);
    expect(filtered.length).toBe(6);
    ix.close();
    await expect(VectorIndex.openForWrite(uri, { ...meta, checkpointHash: 'beef' })).rejects.toThrow(
      /was built by m .*vectors of different models cannot share an index/,
    );
    const again = await VectorIndex.open(uri);
    expect(again.meta).toEqual(meta);
    again.close();
  });

  it('a missing index says how to build one', async () => {
    await expect(VectorIndex.open(join(dir, 'nothing.lance'))).rejects.toThrow(UserError);
    await expect(VectorIndex.open(join(dir, 'nothing.lance'))).rejects.toThrow(/flapc run embed .* --index/);
  });

  it('IVF-PQ search returns the same top-10 as exact search on a small table', async () => {
    const ix = await VectorIndex.openForWrite(join(dir, 'ann.lance'), meta);
    const r = rng(2);
    // Clustered data, as embeddings are: 20 centres, points near them.
    const centres = Array.from({ length: 20 }, () => unit(r));
    const rows = Array.from({ length: 1200 }, (_, i) => {
      const c = centres[i % 20]!;
      const v = c.map((x) => x + 0.25 * r());
      const n = Math.hypot(...v);
      return row(
        i,
        v.map((x) => x / n),
      );
    });
    await ix.upsert(rows);
    expect(await ix.buildAnnIndex(1000)).toBe(true);
    expect(await ix.hasAnnIndex()).toBe(true);
    for (let q = 0; q < 10; q++) {
      const query = unit(r);
      const exact = await ix.search(query, 10, { exact: true });
      const ann = await ix.search(query, 10, { nprobes: 64, refine: 50 });
      expect(ann.map((h) => h.id)).toEqual(exact.map((h) => h.id));
    }
    ix.close();
  });
});
