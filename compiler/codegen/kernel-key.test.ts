// The codegen cache is sound: for every kernel of real models, the cached result (WGSL,
// bindings, grid) equals what generating it from scratch gives.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { planMemory } from '../plan/memory.ts';
import { fuse } from '../fuse/group.ts';
import { simplify } from '../simplify/simplify.ts';
import { buildModel } from '../frontend/compile-spec.ts';
import { Diagnostics } from '../frontend/diagnostics.ts';
import { BASELINE_CAPS } from '../caps.ts';
import { generateKernel } from './wgsl.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CAPS = { ...BASELINE_CAPS, maxStorageBuffersPerShaderStage: 16, maxComputeInvocationsPerWorkgroup: 1024, subgroups: true, subgroupSize: 8, cpu: true };

describe('codegen cache', () => {
  for (const spec of ['models/flap-tiny.yaml', 'models/flap-tiny-2d.yaml']) {
    it(`${spec}: every cached kernel equals a fresh one, and the cache is hit`, () => {
      const m = buildModel(join(ROOT, spec), new Diagnostics())!;
      for (const g of [m.train.graph, m.eval.graph]) {
        const kg = fuse(simplify(g), { maxBindings: 16 });
        const mem = planMemory(kg);
        const cache = new Map();
        let hits = 0;
        for (const k of kg.kernels) {
          const before = cache.size;
          const cached = generateKernel(k, kg, { caps: CAPS, aliases: mem.aliases, cache });
          if (cache.size === before) hits++;
          const fresh = generateKernel(k, kg, { caps: CAPS, aliases: mem.aliases });
          expect(cached).toEqual(fresh);
        }
        if (g === m.train.graph) expect(hits).toBeGreaterThan(kg.kernels.length / 4);
      }
    }, 120_000);
  }
});
