// The vector index at scale, with synthetic embeddings of the model's width (clustered unit
// vectors, as trained embeddings are): for each table size, the time to insert the rows
// (flapc's upsert path, as `flapc run embed` writes), to build the IVF-PQ index, search latency
// p50/p99 for exact and ANN search, and recall@10 of ANN against exact search.
//   LANCEDB_LOG=error node --import tsx bench/index-scale.ts [--sizes 10000,100000,1000000] [--dim 64] [--queries 100] [--nprobes 20,64] [--refine 10]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type ClipRow, VectorIndex } from '../runtime/index/store.ts';
import { lcg } from '../compiler/ir/lcg.ts';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string' },
    dim: { type: 'string' },
    queries: { type: 'string' },
    nprobes: { type: 'string' },
    refine: { type: 'string' },
    json: { type: 'boolean' },
  },
});
// 64 is what `flapc run search` probes (runtime/index/search.ts); fewer trade recall for latency.
const probes = (values.nprobes ?? '20,64').split(',').map(Number);
const refines = (values.refine ?? '10,50').split(',').map(Number);
const sizes = (values.sizes ?? '10000,100000,1000000').split(',').map(Number);
const dim = Number(values.dim ?? 64),
  nq = Number(values.queries ?? 100);

const rng = (seed: number): (() => number) => lcg(seed, true);
const normalise = (v: Float32Array): Float32Array => {
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
};
const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

const r = rng(7);
const centres = Array.from({ length: 256 }, () => normalise(Float32Array.from({ length: dim }, r)));
const point = (i: number): Float32Array => normalise(centres[i % centres.length]!.map((x) => x + 0.35 * r()));

const dir = mkdtempSync(join(tmpdir(), 'flapc-index-bench-'));
const results: object[] = [];
try {
  for (const n of sizes) {
    const ix = await VectorIndex.openForWrite(join(dir, `t${n}.lance`), {
      model: 'bench',
      spec: '-',
      specHash: 'bench',
      checkpoint: '-',
      checkpointHash: 'bench',
      dim,
      normMean: 0,
      normStd: 1,
    });
    let t = performance.now();
    for (let i = 0; i < n; i += 50_000) {
      const rows: ClipRow[] = [];
      for (let j = i; j < Math.min(n, i + 50_000); j++)
        rows.push({
          id: `c${j}`,
          path: `/audio/${j}.flac`,
          duration: 5 + (j % 6),
          captions: [],
          tags: [],
          model: 'bench',
          checkpoint_hash: 'bench',
          vector: point(j),
        });
      await ix.upsert(rows);
    }
    const insertS = (performance.now() - t) / 1000;
    const queries = Array.from({ length: nq }, (_, q) => point(q * 7919 + 3));
    const exactMs: number[] = [],
      exactTop: string[][] = [];
    for (const q of queries) {
      t = performance.now();
      exactTop.push((await ix.search(q, 10, { exact: true })).map((h) => h.id));
      exactMs.push(performance.now() - t);
    }
    t = performance.now();
    const built = await ix.buildAnnIndex(1);
    const indexS = (performance.now() - t) / 1000;
    const ann = [];
    for (const nprobes of probes)
      for (const refine of refines) {
        const ms: number[] = [];
        let hits = 0;
        for (const [k, q] of queries.entries()) {
          t = performance.now();
          const top = (await ix.search(q, 10, { nprobes, refine })).map((h) => h.id);
          ms.push(performance.now() - t);
          hits += top.filter((id) => exactTop[k]!.includes(id)).length;
        }
        ann.push({ nprobes, refine, p50: pct(ms, 50), p99: pct(ms, 99), recallAt10: hits / (10 * nq) });
      }
    const row = { rows: n, dim, insertS, indexS, built, partitions: Math.round(Math.sqrt(n)), exact: { p50: pct(exactMs, 50), p99: pct(exactMs, 99) }, ann };
    results.push(row);
    if (!values.json) {
      console.log(
        `${String(n).padStart(8)} rows: insert ${insertS.toFixed(1)} s, IVF-PQ build ${indexS.toFixed(1)} s (${row.partitions} partitions); exact p50 ${row.exact.p50.toFixed(1)} ms p99 ${row.exact.p99.toFixed(1)} ms`,
      );
      for (const a of ann)
        console.log(
          `${' '.repeat(14)}ANN nprobes ${a.nprobes} refine ${a.refine}: p50 ${a.p50.toFixed(1)} ms p99 ${a.p99.toFixed(1)} ms, recall@10 ${a.recallAt10.toFixed(3)}`,
        );
    }
    ix.close();
  }
  if (values.json) console.log(JSON.stringify(results, null, 2));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
