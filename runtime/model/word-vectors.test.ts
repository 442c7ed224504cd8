// The derived GloVe table (models/vectors/glove-100d.safetensors): its mapping from the tokenizer's
// ids, its semantics, and a model that starts from it carrying it in its checkpoints unchanged.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { deriveTable } from '../../tools/derive-word-vectors.ts';
import { bertBaseUncased } from '../data/tokenizer.ts';
import { writeTestCorpus } from '../data/test-corpus.ts';
import { loadCheckpoint } from '../train/state.ts';
import { wordVectors } from './word-vectors.ts';

const D = 100;
const tok = bertBaseUncased();
const table = wordVectors('glove-100d', tok.size);
const row = (w: string): Float32Array => {
  const i = tok.vocab.get(w);
  if (i === undefined) throw new Error(`${w} is not a token`);
  return table.subarray(i * D, (i + 1) * D);
};
const cos = (a: string, b: string): number => row(a).reduce((s, x, i) => s + x * row(b)[i]!, 0);
const norm = (w: string): number => Math.sqrt(cos(w, w));
const same = (a: Float32Array, b: Float32Array): boolean =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

describe('word vectors', () => {
  it('derives one L2-normalised row per whole-word token the source knows, zeros elsewhere', () => {
    const src = { dimensions: 2, vectors: { dog: [3, 4], cat: [0, 2], '##s': [1, 1] } };
    const { data, found } = deriveTable(['[PAD]', 'dog', '##s', 'cat', 'unknownword', 'constructor'], src);
    expect(found).toBe(2);
    expect([...data]).toEqual([0, 0, 0.6, 0.8, 0, 0, 0, 1, 0, 0, 0, 0].map(Math.fround));
  });

  it('the shipped table: bert-base-uncased rows, unit norm for words, zero for pieces and specials', () => {
    expect(table.length).toBe(tok.size * D);
    for (const w of ['dog', 'rain', 'engine', 'guitar', 'the']) expect(norm(w)).toBeCloseTo(1, 2);
    for (const w of ['[PAD]', '[CLS]', '[SEP]', '##ing', '[unused0]']) expect(norm(w)).toBe(0);
    let rows = 0;
    for (let i = 0; i < tok.size; i++) if (table.subarray(i * D, (i + 1) * D).some((x) => x !== 0)) rows++;
    expect(rows).toBeGreaterThan(20000);
    // Padding to a larger vocabulary adds zero rows.
    const wide = wordVectors('glove-100d', tok.size + 3);
    expect(wide.subarray(tok.size * D).every((x) => x === 0)).toBe(true);
    expect(same(wide.subarray(0, tok.size * D), table)).toBe(true);
  });

  it('puts related sound words nearer than unrelated ones', () => {
    expect(cos('dog', 'cat')).toBeGreaterThan(0.7);
    expect(cos('dog', 'violin')).toBeLessThan(0.3);
    expect(cos('rain', 'thunder')).toBeGreaterThan(cos('rain', 'guitar'));
    expect(cos('engine', 'car')).toBeGreaterThan(cos('engine', 'bird'));
  });

  it('a model started from the table keeps it fixed and carries it in its checkpoints', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flapc-wv-'));
    try {
      await writeTestCorpus(join(dir, 'corpus'));
      const micro = fileURLToPath(new URL('../exec/fixtures/micro-flap.yaml', import.meta.url));
      const spec = join(dir, 'glove.yaml');
      writeFileSync(spec, `extends: ${micro}\nname: micro-glove\ntext:\n  vocab: 30522\nhyper:\n  word_vectors: "glove-100d"\n`);
      const bin = fileURLToPath(new URL('../../bin/flapc.js', import.meta.url));
      const data = join(dir, 'corpus', 'clotho');
      const env = { ...process.env, FLAPC_CACHE_DIR: join(dir, 'cache') };
      const r = spawnSync(
        process.execPath,
        [bin, 'run', 'train', spec, '--data', data, '--val', data, '--steps', '3', '--val-every', '3', '--out', join(dir, 'run')],
        {
          env,
          encoding: 'utf8',
          timeout: 300_000,
        },
      );
      expect(r.status, r.stderr).toBe(0);
      for (const f of ['best', 'last']) {
        const ck = loadCheckpoint(join(dir, 'run', `${f}.safetensors`));
        expect(same(ck.tensors.get('word_vectors')!.data, table)).toBe(true);
        expect(ck.tensors.has('word_proj.w')).toBe(true);
      }
      const ev = spawnSync(process.execPath, [bin, 'run', 'eval', spec, '--checkpoint', join(dir, 'run', 'best.safetensors'), '--data', data, '--json'], {
        env,
        encoding: 'utf8',
        timeout: 300_000,
      });
      expect(ev.status, ev.stderr).toBe(0);
      expect(JSON.parse(ev.stdout).clips).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
