import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveCheckpoint } from './model.ts';

const dir = mkdtempSync(join(tmpdir(), 'flapc-default-ck-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the default checkpoint', () => {
  it('is the weights shipped beside the spec, unless --checkpoint names one', () => {
    const spec = join(dir, 'shipped.yaml');
    writeFileSync(spec, 'name: shipped\n');
    writeFileSync(join(dir, 'shipped.safetensors'), '');
    expect(resolveCheckpoint(spec, undefined)).toBe(join(dir, 'shipped.safetensors'));
    expect(resolveCheckpoint(spec, 'mine.safetensors')).toBe('mine.safetensors');
  });

  it('is refused with a clear message when nothing is shipped', () => {
    const spec = join(dir, 'bare.yaml');
    writeFileSync(spec, 'name: bare\n');
    expect(() => resolveCheckpoint(spec, undefined)).toThrow(/--checkpoint is needed: .*bare\.yaml has no shipped weights beside it/);
    expect(() => resolveCheckpoint(dir, undefined)).toThrow(/--checkpoint is needed/); // a compiled directory
  });
});
