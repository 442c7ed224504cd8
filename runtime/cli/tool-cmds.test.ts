// `flapc doctor --all` from outside the repository: it spawns one child per Vulkan driver, and
// those children once resolved tsx from the caller's working directory (and found none).
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../bin/flapc.js', import.meta.url));

describe('flapc doctor --all', () => {
  it('lists the adapters of every driver when run from another folder', () => {
    const r = spawnSync(process.execPath, [BIN, 'doctor', '--all', '--json'], { cwd: tmpdir(), encoding: 'utf8', timeout: 180_000 });
    expect(r.status, r.stderr).toBe(0);
    const found = JSON.parse(r.stdout) as { icd: string; description: string }[];
    expect(found.length).toBeGreaterThanOrEqual(1);
    expect(found.some((a) => /llvmpipe|SwiftShader/i.test(a.description))).toBe(true);
  });
});
