// Fused vs unfused attention, forward + backward (o, dq, dk, dv of Σ o·w), by shape, on the
// current adapter: the median wall time of a run (waited for), both lowerings alternated, and
// the fused run's GPU time per kernel (timestamp queries), and each lowering's first run (where
// lavapipe compiles the pipelines; run with MESA_SHADER_CACHE_DISABLE=true for the cold cost).
//   node --import tsx bench/attention.ts [B,H,N,M,D[,mask]] ...   (default: flap-tiny's shapes)
import { grad } from '../compiler/autodiff/grad.ts';
import { compileGraph } from '../compiler/compile.ts';
import { GraphBuilder } from '../compiler/ir/builder.ts';
import { type AttentionMode, attention } from '../compiler/ir/nn.ts';
import { type Graph, numel } from '../compiler/ir/types.ts';
import { Executable } from '../runtime/exec/executor.ts';
import { acquireGpu } from '../runtime/gpu/device.ts';

const DEFAULTS = [
  '16,4,32,32,16', // audio encoder view: 32 kept tokens of 128
  '16,4,40,40,16,mask', // text encoder: 40 tokens
  '16,4,128,128,16', // decoder: every token
];
const ROUNDS = 7;

function graph(dims: number[], masked: boolean, mode: AttentionMode): Graph {
  const [B, H, N, M, D] = dims as [number, number, number, number, number];
  const b = new GraphBuilder();
  const q = b.input('q', [B, H, N, D]);
  const k = b.input('k', [B, H, M, D]);
  const v = b.input('v', [B, H, M, D]);
  const mask = masked ? b.input('mask', [B, M]) : undefined;
  const w = b.input('w', [B, H, N, D]);
  const o = attention(b, q, k, v, mask, mode);
  const gs = grad(b, b.sum(b.mul(o, w)), [q, k, v]);
  b.output('o', o);
  gs.forEach((g, i) => b.output(`g${i}`, g));
  return b.build();
}

const gpu = await acquireGpu();
for (const arg of process.argv.length > 2 ? process.argv.slice(2) : DEFAULTS) {
  const parts = arg.split(',');
  const masked = parts[5] === 'mask';
  const dims = parts.slice(0, 5).map(Number);
  const exes: Partial<Record<AttentionMode, Executable>> = {};
  const firstRun: Record<string, number> = {};
  for (const mode of ['fused', 'unfused'] as const) {
    const { plan } = compileGraph(graph(dims, masked, mode), { caps: gpu.caps, debug: 0 });
    const exe = await Executable.create(gpu, plan);
    for (const i of plan.inputs) {
      const n = numel(i.shape);
      exe.write(i.name, i.name === 'mask' ? new Float32Array(n).fill(1) : Float32Array.from({ length: n }, (_, j) => Math.sin(j * 0.37)));
    }
    // lavapipe compiles a pipeline at its first dispatch: the first run is mostly compilation
    const t0 = performance.now();
    exe.run();
    await exe.sync();
    firstRun[mode] = performance.now() - t0;
    exes[mode] = exe;
  }
  const times: Record<string, number[]> = { fused: [], unfused: [] };
  for (let r = 0; r < ROUNDS; r++) {
    for (const mode of ['fused', 'unfused'] as const) {
      const t0 = performance.now();
      exes[mode]!.run();
      await exes[mode]!.sync();
      times[mode]!.push(performance.now() - t0);
    }
  }
  const med = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
  const f = med(times.fused!),
    u = med(times.unfused!);
  console.log(
    `[${dims.join(',')}]${masked ? ' masked' : ''}: fused ${f.toFixed(1)} ms (${exes.fused!.plan.stats.kernels} kernels), unfused ${u.toFixed(1)} ms (${exes.unfused!.plan.stats.kernels} kernels): fused ${(u / f).toFixed(2)}x`,
  );
  const prof = await exes.fused!.profile();
  console.log(
    `    first run (pipeline compilation on lavapipe): fused ${(firstRun.fused! / 1000).toFixed(1)} s, unfused ${(firstRun.unfused! / 1000).toFixed(1)} s`,
  );
  for (const p of prof ?? []) if (p.label.startsWith('attention')) console.log(`    ${p.ms.toFixed(2).padStart(8)} ms  ${p.label}`);
  for (const e of Object.values(exes)) e!.destroy();
}
gpu.destroy();
