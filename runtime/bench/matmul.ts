// `flapc run bench matmul`: GFLOP/s of every matmul variant this adapter can run (and of
// tfjs-webgpu on the same device with --tfjs), timed round-robin in one run so that the
// ratios are fair on a noisy machine; first-run time (lavapipe compiles pipelines at the
// first dispatch) and the fixed per-dispatch overhead.
import { compileGraph, MATMUL_VARIANTS, sizeClass, tunedName, usable, GraphBuilder } from '../../compiler/index.ts';
import { type Gpu, vectorWidthHint } from '../gpu/device.ts';
import { Executable } from '../exec/executor.ts';
import { type Runnable, checkCase, matmulCase, timeInterleaved, tuningFor } from '../tune/matmul-tune.ts';
import { tfjsMatmul } from './tfjs-peer.ts';

export interface Entry {
  name: string;
  gflops: number;
  msPerRun: number;
  firstRunMs: number;
  maxRelErr: number;
}
export interface SizeResult {
  size: number;
  chosen: string;
  entries: Entry[];
  chosenVsTfjs?: number;
}
export interface BenchOptions {
  sizes: number[];
  rounds: number;
  json: boolean;
  tfjs: boolean;
  /** Print nothing (a caller that only wants the numbers). */
  quiet?: boolean;
  log: (l: string) => void;
}

async function firstRun(r: Runnable): Promise<number> {
  const t0 = performance.now();
  r.run();
  await r.sync();
  return performance.now() - t0;
}

export async function benchMatmul(gpu: Gpu, opts: BenchOptions): Promise<{ results: SizeResult[]; perDispatchUs: number }> {
  // quiet: neither the table nor the JSON (o.json true and the final print skipped).
  const o = opts.quiet ? { ...opts, json: true } : opts;
  const { tuning } = await tuningFor(gpu, o.log);
  const names = Object.keys(MATMUL_VARIANTS).filter((nm) => usable(nm, gpu.caps));
  const results: SizeResult[] = [];
  // The device string carries lavapipe's vector width (LP_NATIVE_VECTOR_WIDTH), which sets the subgroup size.
  const adapter = { adapter: gpu.report.description, device: gpu.report.device, subgroupSize: gpu.caps.subgroupSize };
  if (!o.json) console.log(`adapter: ${adapter.adapter} (${adapter.device}), subgroup size ${adapter.subgroupSize}`);
  const hint = vectorWidthHint(adapter.device);
  if (hint && !o.json) console.log(`hint: ${hint}`);
  for (const n of o.sizes) {
    const chosen = tunedName(sizeClass(n ** 3, false), tuning);
    const runs: { name: string; r: Runnable; firstRunMs: number; maxRelErr: number; destroy(): void }[] = [];
    let ref: Awaited<ReturnType<typeof matmulCase>> | undefined;
    for (const nm of names) {
      o.log(`matmul ${n}: compiling and warming up ${nm}`);
      const c = await matmulCase(gpu, n, usable(nm, gpu.caps)!);
      const firstRunMs = await firstRun(c.exe);
      runs.push({ name: nm, r: c.exe, firstRunMs, maxRelErr: await checkCase(c), destroy: () => c.exe.destroy() });
      ref ??= c;
    }
    if (o.tfjs && ref) {
      o.log(`matmul ${n}: warming up tfjs-webgpu`);
      const peer = await tfjsMatmul(gpu, n, ref.a, ref.b);
      const firstRunMs = await firstRun(peer);
      runs.push({ name: 'tfjs-webgpu', r: peer, firstRunMs, maxRelErr: await checkCase(ref, await peer.check()), destroy: () => peer.dispose() });
    }
    const rounds = Math.max(3, Math.min(o.rounds, Math.ceil(4000 / Math.max(1, n ** 3 / 2.5e6))));
    o.log(`matmul ${n}: timing ${runs.length} contenders, ${rounds} rounds`);
    const ms = await timeInterleaved(
      runs.map((x) => x.r),
      rounds,
    );
    const entries = runs.map((x, i) => ({
      name: x.name,
      gflops: (2 * n ** 3) / (ms[i]! * 1e6),
      msPerRun: ms[i]!,
      firstRunMs: x.firstRunMs,
      maxRelErr: x.maxRelErr,
    }));
    for (const x of runs) x.destroy();
    const mine = entries.find((e) => e.name === chosen),
      peer = entries.find((e) => e.name === 'tfjs-webgpu');
    const res: SizeResult = { size: n, chosen, entries, ...(mine && peer && { chosenVsTfjs: mine.gflops / peer.gflops }) };
    results.push(res);
    if (!o.json) {
      console.log(`matmul ${n}x${n}x${n}:`);
      for (const e of entries) {
        console.log(
          `  ${(e.name + (e.name === chosen ? ' *' : '')).padEnd(16)} ${e.gflops.toFixed(2).padStart(7)} GFLOP/s  ${e.msPerRun.toFixed(2).padStart(9)} ms/run  first run ${e.firstRunMs.toFixed(0).padStart(5)} ms  max rel err ${e.maxRelErr.toExponential(1)}`,
        );
      }
      if (res.chosenVsTfjs) console.log(`  flapc (* = tuned choice) / tfjs-webgpu: ${res.chosenVsTfjs.toFixed(2)}x`);
    }
  }
  const perDispatchUs = await dispatchOverhead(gpu);
  if (o.json && !opts.quiet) console.log(JSON.stringify({ ...adapter, tuning, results, perDispatchUs }, null, 2));
  else console.log(`per-dispatch overhead: ${perDispatchUs.toFixed(1)} µs`);
  return { results, perDispatchUs };
}

/** Fixed cost of one tiny dispatch: (100 dispatches - 1 dispatch) / 99, each in one submit. */
async function dispatchOverhead(gpu: Gpu): Promise<number> {
  const tiny = new GraphBuilder();
  let v = tiny.input('x', [4]);
  for (let i = 0; i < 100; i++) v = tiny.add(tiny.reshape(tiny.sum(tiny.reshape(v, [1, 4]), 0), [4]), 1);
  tiny.output('y', v);
  const one = new GraphBuilder();
  one.output('y', one.add(one.input('x', [4]), 1));
  const exeMany = await Executable.create(gpu, compileGraph(tiny.build(), { caps: gpu.caps, debug: 0 }).plan);
  const exeOne = await Executable.create(gpu, compileGraph(one.build(), { caps: gpu.caps, debug: 0 }).plan);
  exeMany.write('x', [1, 2, 3, 4]);
  exeOne.write('x', [1, 2, 3, 4]);
  await timeInterleaved([exeMany, exeOne], 3);
  const [many, single] = await timeInterleaved([exeMany, exeOne], 21);
  const dispatches = exeMany.plan.dispatches.length;
  exeMany.destroy();
  exeOne.destroy();
  return ((many! - single!) / (dispatches - 1)) * 1000;
}
