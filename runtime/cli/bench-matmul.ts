// `flapc run bench matmul`: GFLOP/s of the compiled matmul per size, first-dispatch
// warm-up (lavapipe compiles pipelines lazily), and fixed per-dispatch overhead.
import { compileGraph } from '../../compiler/compile.ts';
import { GraphBuilder } from '../../compiler/ir/builder.ts';
import type { Gpu } from '../gpu/device.ts';
import { Executable } from '../exec/executor.ts';

export interface MatmulResult { size: number; gflops: number; msPerRun: number; warmupMs: number }

async function timeRuns(exe: Executable, reps: number): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) exe.run();
  await exe.sync();
  return (performance.now() - t0) / reps;
}

export async function benchMatmul(gpu: Gpu, sizes: number[], reps: number, json: boolean): Promise<MatmulResult[]> {
  const results: MatmulResult[] = [];
  for (const n of sizes) {
    const b = new GraphBuilder();
    b.output('c', b.matmul(b.input('a', [n, n]), b.input('b', [n, n])));
    const { plan } = compileGraph(b.build(), { caps: gpu.caps, debug: 0 });
    const exe = await Executable.create(gpu, plan);
    const fill = (k: number): Float32Array => Float32Array.from({ length: n * n }, (_, i) => ((i * 2654435761 + k) % 1000) / 1000 - 0.5);
    exe.write('a', fill(1)); exe.write('b', fill(2));
    const w0 = performance.now();
    exe.run(); await exe.sync();
    const warmupMs = performance.now() - w0;
    const ms = await timeRuns(exe, Math.max(1, Math.min(reps, Math.ceil(2000 / Math.max(1, warmupMs)))));
    const r = { size: n, gflops: (2 * n * n * n) / (ms * 1e6), msPerRun: ms, warmupMs };
    results.push(r);
    if (!json) console.log(`matmul ${n}x${n}: ${r.gflops.toFixed(2)} GFLOP/s  (${ms.toFixed(2)} ms/run, first run ${warmupMs.toFixed(0)} ms)`);
    exe.destroy();
  }
  // Fixed cost of one tiny dispatch, measured as (100 dispatches - 1 dispatch) / 99 in one submit each.
  const tiny = new GraphBuilder();
  let v = tiny.input('x', [4]);
  const one = new GraphBuilder();
  one.output('y', one.add(one.input('x', [4]), 1));
  for (let i = 0; i < 100; i++) v = tiny.add(tiny.reshape(tiny.sum(tiny.reshape(v, [1, 4]), 0), [4]), 1);
  tiny.output('y', v);
  const exeMany = await Executable.create(gpu, compileGraph(tiny.build(), { caps: gpu.caps, debug: 0 }).plan);
  const exeOne = await Executable.create(gpu, compileGraph(one.build(), { caps: gpu.caps, debug: 0 }).plan);
  exeMany.write('x', [1, 2, 3, 4]); exeOne.write('x', [1, 2, 3, 4]);
  await timeRuns(exeMany, 3); await timeRuns(exeOne, 3);
  const many = await timeRuns(exeMany, 20), single = await timeRuns(exeOne, 20);
  const dispatches = exeMany.plan.dispatches.length;
  const perDispatchUs = ((many - single) / (dispatches - 1)) * 1000;
  exeMany.destroy(); exeOne.destroy();
  if (json) console.log(JSON.stringify({ adapter: gpu.report.description, results, perDispatchUs, submitMs: single }, null, 2));
  else console.log(`per-dispatch overhead: ${perDispatchUs.toFixed(1)} µs (${dispatches} dispatches in one submit); submit + wait for 1 dispatch: ${single.toFixed(3)} ms`);
  return results;
}
