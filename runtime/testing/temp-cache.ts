// Tests that write the tuner cache get a fresh FLAPC_CACHE_DIR, removed after the file's tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

export function useTempCacheDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  process.env.FLAPC_CACHE_DIR = dir;
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    delete process.env.FLAPC_CACHE_DIR;
  });
  return dir;
}
