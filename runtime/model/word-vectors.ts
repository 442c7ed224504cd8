// Pretrained word vectors for init.word_vectors(name): models/vectors/<name>.safetensors holds one
// F16 row per token id of the table's tokenizer (compiler/names.ts WORD_VECTOR_TABLES), derived
// from the source vectors by tools/derive-word-vectors.ts. Tokens without a vector (word pieces
// "##ing", special and unused tokens) have zero rows. Read once per process, on first use.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { WORD_VECTOR_TABLES } from '../../compiler/names.ts';
import { UserError } from '../errors.ts';
import { parseSafetensors } from '../web/weights.ts';

export const VECTORS_DIR = fileURLToPath(new URL('../../models/vectors/', import.meta.url));
const cache = new Map<string, { rows: number; dim: number; data: Float32Array }>();

/** The table `name` as [rows, dim] float32, zero-padded (or cut) to `rows` rows. */
export function wordVectors(name: string, rows: number): Float32Array {
  const meta = WORD_VECTOR_TABLES[name];
  if (!meta) throw new UserError(`no word-vector table '${name}' (known: ${Object.keys(WORD_VECTOR_TABLES).join(', ')})`);
  let t = cache.get(name);
  if (!t) {
    const path = `${VECTORS_DIR}${name}.safetensors`;
    if (!existsSync(path))
      throw new UserError(`the word-vector table ${path} is missing (derive it with tools/derive-word-vectors.ts, see docs/word-vectors.md)`);
    const file = readFileSync(path);
    const v = parseSafetensors(file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength)).tensors.get('vectors');
    if (v?.shape.length !== 2 || v.shape[1] !== meta.dim) throw new UserError(`${path} has no [rows, ${meta.dim}] 'vectors' tensor`);
    t = { rows: v.shape[0]!, dim: meta.dim, data: v.data };
    cache.set(name, t);
  }
  if (rows === t.rows) return t.data.slice();
  const out = new Float32Array(rows * t.dim);
  out.set(t.data.subarray(0, Math.min(rows, t.rows) * t.dim));
  return out;
}
