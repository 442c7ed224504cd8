// Fuzzing the front end: 10,000 mutations of valid specs (tokens dropped, swapped and
// duplicated, random bytes, deep nesting, huge numbers, YAML damage). Every run must end
// in success or diagnostics: never an uncaught exception, never a hang.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { buildModel } from '../compiler/frontend/compile-spec.ts';
import { Diagnostics } from '../compiler/frontend/diagnostics.ts';

const DIR = fileURLToPath(new URL('.', import.meta.url));
const SEEDS = [
  'v03-mlp-layernorm',
  'v04-repeat-layers',
  'v07-random-drop-1d',
  'v09-reconstruction',
  'v11-tuple-return',
  'v19-attention-key-mask',
  'v20-boolean-logic',
  'v23-rest-dims',
].map((n) => readFileSync(join(DIR, 'cases', `${n}.yaml`), 'utf8').replace('extends: ../base.yaml', `extends: ${join(DIR, 'base.yaml')}`));
const RUNS = Number(process.env.FLAPC_FUZZ_RUNS ?? 10_000);

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x9e3779b9) >>> 0;
    return s / 2 ** 32;
  };
}

const SNIPPETS = [
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  ',',
  '=',
  'let',
  'fn',
  'repeat 3 {',
  'if training {',
  'else',
  '@',
  '**',
  '//',
  '-',
  '!',
  '"',
  '#',
  '99999999999999999999999',
  '1e999',
  '-0',
  '0.0',
  'none',
  'as',
  'loss',
  'param',
  'return',
  ':',
  '...',
  '\t',
  '\n',
  'hp.',
  'init.',
  'x',
  'mel',
  '\u00e9',
  '\u0000',
];

function mutate(text: string, r: () => number): string {
  const toks = text.split(/(\s+|[()[\]{},=:@])/).filter((t) => t !== '');
  const pick = (): number => Math.floor(r() * toks.length);
  const kind = Math.floor(r() * 10);
  switch (kind) {
    case 0:
      toks.splice(pick(), 1 + Math.floor(r() * 3));
      break; // drop tokens
    case 1: {
      const i = pick(),
        j = pick();
      [toks[i], toks[j]] = [toks[j]!, toks[i]!];
      break;
    } // swap
    case 2: {
      const i = pick();
      toks.splice(i, 0, ...toks.slice(i, i + 1 + Math.floor(r() * 4)));
      break;
    } // duplicate
    case 3:
      toks.splice(pick(), 0, SNIPPETS[Math.floor(r() * SNIPPETS.length)]!);
      break; // insert a snippet
    case 4: {
      // random bytes
      const i = Math.floor(r() * text.length);
      const bytes = Array.from({ length: 1 + Math.floor(r() * 8) }, () => String.fromCharCode(Math.floor(r() * 256))).join('');
      return text.slice(0, i) + bytes + text.slice(i);
    }
    case 5: {
      // deep nesting
      const n = Math.floor(r() * 3000);
      const i = text.indexOf('mean_pool(');
      return i < 0 ? text : `${text.slice(0, i) + '('.repeat(n)}mean_pool(${text.slice(i + 10).replace(')', `)${')'.repeat(n)}`)}`;
    }
    case 6:
      return text.replace(/\b\d+(\.\d+)?\b/, ['4096', '100000000', '-7', '0', '1e308', '3.5'][Math.floor(r() * 6)]!); // odd numbers
    case 7:
      return text.replace(/repeat (\d+)/, `repeat ${['1000000', '0', '1e9', '2'][Math.floor(r() * 4)]}`).replace(/batch: \d+/, 'batch: 100000');
    case 8: {
      const lines = text.split('\n');
      const i = Math.floor(r() * lines.length);
      lines[i] = lines[i]!.replace(/^ {2}/, '');
      return lines.join('\n');
    } // YAML indentation
    default: {
      const i = Math.floor(r() * text.length);
      return text.slice(0, i) + text.slice(i + Math.floor(r() * 40));
    } // cut a span
  }
  return toks.join('');
}

describe('front-end fuzzing', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'flapc-fuzz-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it(`${RUNS} mutated specs end in success or diagnostics`, () => {
    const r = rng(20261125);
    let ok = 0,
      diagnosed = 0,
      slowest = 0;
    const file = join(tmp, 'spec.yaml');
    for (let n = 0; n < RUNS; n++) {
      let text = SEEDS[n % SEEDS.length]!;
      const rounds = 1 + Math.floor(r() * 3);
      for (let k = 0; k < rounds; k++) text = mutate(text, r);
      writeFileSync(file, text);
      const diags = new Diagnostics();
      const t0 = performance.now();
      let m: ReturnType<typeof buildModel>;
      try {
        m = buildModel(file, diags, tmp);
      } catch (e) {
        throw new Error(`run ${n}: uncaught ${(e as Error).stack}\n--- input ---\n${text}`);
      }
      slowest = Math.max(slowest, performance.now() - t0);
      if (m) ok++;
      else {
        diagnosed++;
        if (diags.list.length === 0) throw new Error(`run ${n}: failed without a diagnostic\n--- input ---\n${text}`);
        for (const d of diags.list) expect(d.message.length).toBeGreaterThan(0);
      }
    }
    expect(ok + diagnosed).toBe(RUNS);
    expect(diagnosed).toBeGreaterThan(RUNS / 4); // the mutations really break things
    expect(slowest).toBeLessThan(10_000); // no near-hang (a hang fails the test timeout)
  }, 600_000);
});
