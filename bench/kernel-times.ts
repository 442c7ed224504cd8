// The slowest kernels of a spec's training step: median GPU time of each dispatch over 5
// profiled steps (timestamp queries), with its grid and the spec line that made it, plus totals
// by kernel label family. Run: node --import tsx bench/kernel-times.ts models/flap-tiny.yaml [N]
import { prepare, timedStep } from '../runtime/bench/step.ts';
import { acquireGpu } from '../runtime/gpu/device.ts';

const spec = process.argv[2];
if (!spec) throw new Error('usage: node --import tsx bench/kernel-times.ts <spec.yaml> [top N]');
const top = Number(process.argv[3] ?? 30);
const gpu = await acquireGpu();
const c = await prepare(gpu, spec);
for (let i = 0; i < 3; i++) await timedStep(c);
const runs: { label: string; ms: number }[][] = [];
for (let i = 0; i < 5; i++) {
  const p = await c.exe.profile();
  if (!p) throw new Error('this adapter has no timestamp queries');
  runs.push(p);
}
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const rows = c.model.plan.dispatches.map((d, i) => ({ d, ms: median(runs.map((r) => r[i]!.ms)) }));
const total = rows.reduce((a, r) => a + r.ms, 0);
const families = new Map<string, number>();
for (const r of rows) {
  const k = r.d.label.replace(/_[\d_]+$/, '');
  families.set(k, (families.get(k) ?? 0) + r.ms);
}
console.log(`${spec}: ${rows.length} dispatches, ${total.toFixed(1)} ms of GPU time; ${[...families].map(([k, ms]) => `${k} ${ms.toFixed(1)} ms`).join(', ')}`);
for (const r of rows.sort((a, b) => b.ms - a.ms).slice(0, top)) {
  const gflops = r.d.flops > 0 ? `${(r.d.flops / 1e9 / (r.ms / 1000)).toFixed(2).padStart(6)} GFLOP/s` : ''.padStart(14);
  console.log(`${r.ms.toFixed(1).padStart(7)} ms ${gflops}  ${r.d.label.padEnd(24)} ${JSON.stringify(r.d.workgroups).padEnd(12)} ${r.d.source ?? ''}`);
}
c.exe.destroy();
gpu.destroy();
