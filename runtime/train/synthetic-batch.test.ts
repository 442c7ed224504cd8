// The synthetic batch (training without data, `bench step`, the peers) holds token ids inside the
// spec's vocabulary, padding after a random length of at least 4.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BASELINE_CAPS, compileSpec, Diagnostics } from '../../compiler/index.ts';
import { syntheticBatch } from './trainer.ts';

const MICRO = fileURLToPath(new URL('../exec/fixtures/micro-flap.yaml', import.meta.url));

describe('syntheticBatch', () => {
  it('keeps every token id inside a small vocabulary (300 rows)', () => {
    const c = compileSpec(MICRO, BASELINE_CAPS, new Diagnostics())!;
    const { tokens, mel } = syntheticBatch(c.trainPlan, 300, 0);
    expect(tokens.length).toBe(4 * 8);
    expect(mel.length).toBe(4 * 64 * 32);
    for (let b = 0; b < 4; b++) {
      const row = [...tokens.slice(b * 8, b * 8 + 8)];
      const len = row.findIndex((t) => t === 0);
      expect(len === -1 || len >= 4).toBe(true);
      for (const t of row.slice(0, len === -1 ? 8 : len)) expect(t >= 1 && t < 300).toBe(true);
    }
  });
});
