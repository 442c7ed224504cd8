// What the first training step costs on an adapter that compiles pipelines at first use
// (lavapipe): each distinct pipeline of the spec's training plan is created and dispatched once
// in turn, on zero buffers, and timed (as a compile helper does, runtime/gpu/compile-helpers.ts);
// totals by kernel class, then the slowest pipelines.
// Run with the driver's shader cache off to see the cold cost:
//   MESA_SHADER_CACHE_DISABLE=true node --import tsx bench/pipeline-compile.ts models/flap-tiny.yaml
import { acquireGpu } from '../runtime/gpu/device.ts';
import { loadModel } from '../runtime/model/model.ts';
import { firstUses } from '../runtime/exec/executor.ts';
import { compileOnce } from '../runtime/gpu/compile-once.ts';

const spec = process.argv[2];
if (!spec) throw new Error('usage: node --import tsx bench/pipeline-compile.ts <spec.yaml>');
const gpu = await acquireGpu();
const plan = loadModel(gpu, spec).plan;
const rows: { label: string; ms: number; chars: number }[] = [];
let createMs = 0;
for (const p of firstUses(plan)) {
  const t0 = performance.now();
  createMs += await compileOnce(gpu, p);
  rows.push({ label: p.label, ms: performance.now() - t0, chars: p.wgsl.length });
}
const total = rows.reduce((a, r) => a + r.ms, 0);
console.log(
  `${spec}: ${rows.length} pipelines, ${(total / 1000).toFixed(1)} s (creating them: ${(createMs / 1000).toFixed(1)} s; the rest is the first dispatch)`,
);
const classes = new Map<string, { n: number; ms: number; chars: number }>();
for (const r of rows) {
  const k = r.label.replace(/_[\d_]+$/, '');
  const c = classes.get(k) ?? { n: 0, ms: 0, chars: 0 };
  c.n++;
  c.ms += r.ms;
  c.chars += r.chars;
  classes.set(k, c);
}
for (const [k, c] of [...classes].sort((a, b) => b[1].ms - a[1].ms))
  console.log(
    `  ${k.padEnd(14)} ${String(c.n).padStart(4)} pipelines ${(c.ms / 1000).toFixed(1).padStart(6)} s  ${(c.ms / c.n).toFixed(0).padStart(5)} ms each  ${Math.round(c.chars / c.n)} WGSL chars each`,
  );
console.log('slowest:');
for (const r of rows.sort((a, b) => b.ms - a.ms).slice(0, 8)) console.log(`  ${r.ms.toFixed(0).padStart(6)} ms  ${r.label} (${r.chars} chars)`);
gpu.destroy();
