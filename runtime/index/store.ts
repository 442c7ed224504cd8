// The vector index: a LanceDB database (embedded; Lance files in a folder, or an s3:// URI
// through the same code) with two tables. `clips`: one row per embedded clip (id, path,
// duration, captions, tags, model, checkpoint hash, vector). `flapc_meta`: which model built
// it (spec, spec hash, checkpoint and its hash, width, log-mel statistics), so a query is
// embedded by the same model or refused. Search is cosine; an IVF-PQ index is built once the
// table is large enough, exact (flat) search below that.
import * as lancedb from '@lancedb/lancedb';
import { Field, FixedSizeList, Float32, Float64, List, Schema, Utf8 } from 'apache-arrow';
import { UserError } from '../errors.ts';

export const CLIPS = 'clips';
const META = 'flapc_meta';
/** Below this many rows an ANN index buys nothing over exact search (and IVF-PQ cannot train well). */
export const ANN_MIN_ROWS = 10_000;

export interface IndexMeta {
  model: string;
  spec: string;
  specHash: string;
  checkpoint: string;
  checkpointHash: string;
  dim: number;
  normMean: number;
  normStd: number;
}

export interface ClipRow {
  id: string;
  path: string;
  duration: number;
  captions: string[];
  tags: string[];
  model: string;
  checkpoint_hash: string;
  vector: Float32Array;
}

export interface SearchHit {
  id: string;
  path: string;
  score: number;
  duration: number;
  captions: string[];
  tags: string[];
}

const schema = (dim: number): Schema =>
  new Schema([
    new Field('id', new Utf8(), false),
    new Field('path', new Utf8(), false),
    new Field('duration', new Float64(), false),
    new Field('captions', new List(new Field('item', new Utf8(), true)), false),
    new Field('tags', new List(new Field('item', new Utf8(), true)), false),
    new Field('model', new Utf8(), false),
    new Field('checkpoint_hash', new Utf8(), false),
    new Field('vector', new FixedSizeList(dim, new Field('item', new Float32(), true)), false),
  ]);

const isRemote = (uri: string): boolean => /^[a-z][a-z0-9+.-]*:\/\//i.test(uri);

export class VectorIndex {
  private constructor(
    readonly uri: string,
    private db: lancedb.Connection,
    private table: lancedb.Table,
    readonly meta: IndexMeta,
  ) {}

  /** Open an index for writing, creating it for `meta`'s model; refuses an index of another model. */
  static async openForWrite(uri: string, meta: IndexMeta): Promise<VectorIndex> {
    const db = await lancedb.connect(uri);
    const metaTable = await db.createEmptyTable(META, new Schema([new Field('key', new Utf8(), false), new Field('value', new Utf8(), false)]), {
      existOk: true,
    });
    const rows = (await metaTable.query().toArray()) as { key: string; value: string }[];
    const found = rows.find((r) => r.key === 'model');
    if (found) {
      const have = JSON.parse(found.value) as IndexMeta;
      checkSameModel(uri, have, meta);
    } else {
      await metaTable
        .mergeInsert('key')
        .whenMatchedUpdateAll()
        .whenNotMatchedInsertAll()
        .execute([{ key: 'model', value: JSON.stringify(meta) }]);
    }
    const table = await db.createEmptyTable(CLIPS, schema(meta.dim), { existOk: true });
    return new VectorIndex(uri, db, table, found ? (JSON.parse(found.value) as IndexMeta) : meta);
  }

  /** Open an existing index for search; a missing one says how to build it. */
  static async open(uri: string): Promise<VectorIndex> {
    const db = await lancedb.connect(uri);
    const names = await db.tableNames();
    if (!names.includes(META) || !names.includes(CLIPS)) {
      throw new UserError(
        `${uri} is not a flapc index${!isRemote(uri) ? ' (or does not exist)' : ''}: build one with flapc run embed <spec> --checkpoint FILE <audio...> --index ${uri}`,
      );
    }
    const rows = (await (await db.openTable(META)).query().toArray()) as { key: string; value: string }[];
    const m = rows.find((r) => r.key === 'model');
    if (!m) throw new UserError(`${uri}: the index records no model; embed into it again`);
    return new VectorIndex(uri, db, await db.openTable(CLIPS), JSON.parse(m.value) as IndexMeta);
  }

  /** Insert or replace rows by id: embedding the same clip again does not duplicate it. */
  async upsert(rows: ClipRow[]): Promise<void> {
    if (rows.length === 0) return;
    const data = rows.map((r) => ({ ...r, vector: Array.from(r.vector) }));
    // Several shard workers may commit at once: Lance's optimistic commits can conflict; retry.
    for (let attempt = 0; ; attempt++) {
      try {
        await this.table.mergeInsert('id').whenMatchedUpdateAll().whenNotMatchedInsertAll().execute(data);
        return;
      } catch (e) {
        if (attempt >= 8 || !/conflict|retry|commit/i.test((e as Error).message)) throw e;
        await new Promise((r) => setTimeout(r, 50 + Math.random() * 200 * (attempt + 1)));
      }
    }
  }

  count(): Promise<number> {
    return this.table.countRows();
  }

  /** Every row's id, path and vector (for tests and exports; the whole table is read). */
  async all(): Promise<{ id: string; path: string; vector: Float32Array }[]> {
    const rows = (await this.table.query().select(['id', 'path', 'vector']).toArray()) as { id: string; path: string; vector: { toArray(): Float32Array } }[];
    return rows.map((r) => ({ id: r.id, path: r.path, vector: Float32Array.from(r.vector.toArray()) })).sort((a, b) => a.id.localeCompare(b.id));
  }

  async hasAnnIndex(): Promise<boolean> {
    return (await this.table.listIndices()).some((i) => i.columns.includes('vector'));
  }

  /**
   * Build (or refresh) the IVF-PQ index once the table has `minRows` rows: sqrt(rows)
   * partitions, one PQ sub-vector per 8 dimensions. Returns whether an index now exists.
   */
  async buildAnnIndex(minRows = ANN_MIN_ROWS): Promise<boolean> {
    if (await this.hasAnnIndex()) {
      await this.table.optimize();
      return true;
    }
    const n = await this.count();
    if (n < minRows || n < 256) return false;
    const dim = this.meta.dim;
    const numSubVectors = [dim / 8, dim / 4, dim / 2, dim].find((s) => Number.isInteger(s) && s >= 1)!;
    await this.table.createIndex('vector', {
      config: lancedb.Index.ivfPq({ numPartitions: Math.max(1, Math.round(Math.sqrt(n))), numSubVectors, distanceType: 'cosine' }),
    });
    return true;
  }

  /**
   * Top-k by cosine similarity, best first. `exact` skips the ANN index; with the index, every
   * partition is probed and candidates are re-ranked on full vectors (refine) unless `fast`.
   */
  async search(query: Float32Array, k: number, o: { where?: string; exact?: boolean; nprobes?: number; refine?: number } = {}): Promise<SearchHit[]> {
    let q = this.table.vectorSearch(Array.from(query)).distanceType('cosine').limit(k);
    if (o.where) q = q.where(o.where);
    if (o.exact) q = q.bypassVectorIndex();
    else {
      if (o.nprobes) q = q.nprobes(o.nprobes);
      if (o.refine) q = q.refineFactor(o.refine);
    }
    let rows: Record<string, unknown>[];
    try {
      rows = await q.toArray();
    } catch (e) {
      if (o.where) throw new UserError(`--where "${o.where}": ${(e as Error).message.split('\n')[0]}`);
      throw e;
    }
    const list = (v: unknown): string[] =>
      v && typeof (v as { toArray?: unknown }).toArray === 'function' ? [...(v as { toArray(): string[] }).toArray()] : ((v as string[] | null) ?? []);
    return rows.map((r) => ({
      id: r.id as string,
      path: r.path as string,
      score: 1 - (r._distance as number),
      duration: r.duration as number,
      captions: list(r.captions),
      tags: list(r.tags),
    }));
  }

  close(): void {
    this.table.close();
    this.db.close();
  }
}

function checkSameModel(uri: string, have: IndexMeta, want: IndexMeta): void {
  if (have.specHash !== want.specHash || have.checkpointHash !== want.checkpointHash || have.dim !== want.dim) {
    throw new UserError(
      `${uri} was built by ${have.model} (spec hash ${have.specHash}, checkpoint ${have.checkpointHash.slice(0, 12)}); ` +
        `these embeddings come from ${want.model} (spec hash ${want.specHash}, checkpoint ${want.checkpointHash.slice(0, 12)}): vectors of different models cannot share an index; use another --index`,
    );
  }
}

export { checkSameModel };
