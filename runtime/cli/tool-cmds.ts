// The machine-facing commands: doctor, demo, tune and the matmul benchmark. Each parses its own
// words (main.ts shows their --help) and prints.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { UserError } from '../errors.ts';
import { NoAdapterError, acquireGpu, describeAdapter, requestAdapter, vectorWidthHint } from '../gpu/device.ts';
import { TUNE_SHAPES, loadTuning, tuneMatmul } from '../tune/matmul-tune.ts';
import { benchMatmul } from '../bench/matmul.ts';
import { benchStep } from '../bench/step.ts';
import { benchStepVs, checkPeerNames, type PeerTiming, type VsResult } from '../bench/step-vs.ts';
import { runDemo } from '../demo/demo.ts';

/** Progress lines go to stderr so --json output stays clean. */
const progress = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

const positiveInt = (v: string | undefined, dflt: number, flag: string): number => {
  const n = v === undefined ? dflt : Number(v);
  if (!Number.isInteger(n) || n < 1) throw new UserError(`${flag} must be a positive integer, got '${v}'`);
  return n;
};

export async function doctorCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { json: { type: 'boolean' }, all: { type: 'boolean' } } });
  if (values.all) return doctorAll(!!values.json);
  const adapter = await requestAdapter();
  const r = describeAdapter(adapter, process.env.VK_ICD_FILENAMES);
  const hint = vectorWidthHint(r.device);
  if (values.json) {
    console.log(JSON.stringify({ ...r, hints: hint ? [hint] : [] }, null, 2));
    return 0;
  }
  console.log(`adapter: ${r.description || r.device || '(unnamed)'}  vendor: ${r.vendor || '-'}  architecture: ${r.architecture || '-'}`);
  console.log(`vulkan icd: ${r.icd ?? '(system default)'}`);
  console.log(`features: ${r.features.join(', ')}`);
  for (const [k, v] of Object.entries(r.limits)) console.log(`  ${k.padEnd(36)} ${v}`);
  if (hint) console.log(`hint: ${hint}`);
  return 0;
}

/** Each Vulkan driver in its own process (the ICD is chosen at process start). */
function doctorAll(json: boolean): number {
  const dirs = ['/usr/share/vulkan/icd.d', '/etc/vulkan/icd.d'];
  const icds = dirs.filter(existsSync).flatMap((d) =>
    readdirSync(d)
      .filter((f) => f.endsWith('.json'))
      .map((f) => `${d}/${f}`),
  );
  if (existsSync('/usr/lib/chromium/vk_swiftshader_icd.json')) icds.push('/usr/lib/chromium/vk_swiftshader_icd.json');
  const main = fileURLToPath(new URL('./main.ts', import.meta.url));
  // tsx by absolute URL: a bare '--import tsx' resolves from the caller's working directory.
  const tsx = import.meta.resolve('tsx');
  const found: unknown[] = [];
  for (const icd of icds) {
    const r = spawnSync(process.execPath, ['--import', tsx, main, 'doctor', '--json'], {
      env: { ...process.env, VK_ICD_FILENAMES: icd },
      encoding: 'utf8',
      timeout: 60_000,
    });
    if (r.status !== 0) continue;
    try {
      const rep = JSON.parse(r.stdout) as { description: string; vendor: string; caps: unknown };
      found.push({ ...rep, icd });
      if (!json) console.log(`${icd}\n  ${rep.description || '(unnamed)'} (vendor ${rep.vendor || '-'})`);
    } catch {
      /* not an adapter report */
    }
  }
  if (json) console.log(JSON.stringify(found, null, 2));
  if (found.length === 0) throw new NoAdapterError('no Vulkan driver produced an adapter');
  return 0;
}

export async function demoCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { steps: { type: 'string' }, json: { type: 'boolean' } } });
  const steps = positiveInt(values.steps, 200, '--steps');
  const gpu = await acquireGpu();
  try {
    await runDemo(gpu, steps, !!values.json);
  } finally {
    gpu.destroy();
  }
  return 0;
}

export async function tuneCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { json: { type: 'boolean' }, 'if-missing': { type: 'boolean' }, 'long-runs': { type: 'boolean' } },
  });
  const longRuns = !!values['long-runs'];
  const gpu = await acquireGpu();
  try {
    // --if-missing: keep a valid cached choice for this adapter (scripts call it every run), made with the same --long-runs.
    const cached = values['if-missing'] ? loadTuning(gpu) : undefined;
    const rec = (cached?.longRuns === longRuns ? cached : undefined) ?? (await tuneMatmul(gpu, progress, TUNE_SHAPES, longRuns));
    if (values.json) console.log(JSON.stringify(rec, null, 2));
    else console.log(`matmul variants for ${rec.adapter}: small -> ${rec.tuning.small}, medium -> ${rec.tuning.medium}, large -> ${rec.tuning.large} (cached)`);
  } finally {
    gpu.destroy();
  }
  return 0;
}

export async function benchCommand(argv: string[]): Promise<number> {
  const [what, ...rest] = argv;
  if (what === 'step') return benchStepCommand(rest);
  if (what !== 'matmul') throw new UserError(`unknown benchmark '${what ?? ''}' (try: flapc run bench matmul | step)`);
  const { values } = parseArgs({
    args: rest,
    options: { sizes: { type: 'string' }, rounds: { type: 'string' }, json: { type: 'boolean' }, tfjs: { type: 'boolean' } },
  });
  const sizes = (values.sizes ?? '256,512,1024').split(',').map(Number);
  if (sizes.some((s) => !Number.isInteger(s) || s < 1)) throw new UserError(`--sizes must be positive integers, got '${values.sizes}'`);
  const rounds = positiveInt(values.rounds, 10, '--rounds');
  const gpu = await acquireGpu();
  try {
    await benchMatmul(gpu, { sizes, rounds, json: !!values.json, tfjs: !!values.tfjs, log: progress });
  } finally {
    gpu.destroy();
  }
  return 0;
}

async function benchStepCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { steps: { type: 'string' }, json: { type: 'boolean' }, profile: { type: 'boolean' }, vs: { type: 'string' } },
  });
  if (positionals.length === 0) throw new UserError('bench step needs at least one spec');
  for (const s of positionals) if (!existsSync(s)) throw new UserError(`no such spec: ${s}`);
  const steps = positiveInt(values.steps, 10, '--steps');
  if (values.vs !== undefined && (positionals.length !== 1 || values.profile))
    throw new UserError('--vs compares one spec with its peers (without --profile: profile it on its own)');
  const vs = values.vs?.split(',').filter(Boolean);
  if (vs) await checkPeerNames(vs);
  const gpu = await acquireGpu();
  try {
    if (vs) {
      const r = await benchStepVs(gpu, positionals[0]!, vs, { steps, log: progress });
      if (values.json) console.log(JSON.stringify(vsJson(r), null, 2));
      else printVs(r);
      return 0;
    }
    const r = await benchStep(gpu, positionals, { steps, profile: !!values.profile, log: progress });
    if (values.json) console.log(JSON.stringify(r, null, 2));
    else printStepBench(r);
  } finally {
    gpu.destroy();
  }
  return 0;
}

/** --vs --json: the issue's shape, `{"flapc": {"ms"}, "<peer>": {"ms"}, "gflop", "adapter"}`, plus the loss checks. */
function vsJson(r: VsResult): Record<string, unknown> {
  return { spec: r.spec, adapter: r.adapter, gflop: r.gflop, batch: r.batch, flapc: r.flapc, ...r.peers, notes: r.notes };
}

function printVs(r: VsResult): void {
  console.log(`adapter: ${r.adapter}`);
  console.log(`${r.spec}: batch ${r.batch}, ${r.gflop.toFixed(2)} GFLOP per step`);
  const line = (name: string, t: PeerTiming): string =>
    `  ${name.padEnd(12)} ${t.ms.toFixed(1).padStart(8)} ms/step  ${(r.gflop / (t.ms / 1000)).toFixed(2).padStart(6)} GFLOP/s  first step ${(t.firstStepMs / 1000).toFixed(1)} s  loss ${t.loss.toFixed(6)}`;
  console.log(line('flapc', r.flapc));
  for (const [name, t] of Object.entries(r.peers)) {
    if ('error' in t) {
      console.log(`  ${name.padEnd(12)} not run: ${t.error}`);
      continue;
    }
    if (t.lossOk === false) {
      console.log(`  ${name.padEnd(12)} not timed: its first-step loss ${t.loss.toFixed(6)} differs from flapc's ${r.flapc.loss.toFixed(6)}`);
      continue;
    }
    const check = t.lossOk === null ? 'loss not comparable' : 'same loss';
    const ratio = t.ms / r.flapc.ms;
    const vs = ratio >= 1 ? `flapc ${ratio.toFixed(2)}x faster` : `flapc ${(1 / ratio).toFixed(2)}x slower`;
    console.log(`${line(name, t)} (${check})  ${vs}`);
  }
  for (const n of r.notes) console.log(`  note: ${n}`);
}

function printStepBench(r: Awaited<ReturnType<typeof benchStep>>): void {
  console.log(`adapter: ${r.adapter}`);
  const base = r.results[0]!.ms;
  for (const x of r.results)
    console.log(
      `${x.spec}: ${x.ms.toFixed(1)} ms/step (batch ${x.batch}, ${(x.batch / (x.ms / 1000)).toFixed(1)} clips/s, ${x.gflop.toFixed(2)} GFLOP, ${x.gflops.toFixed(2)} GFLOP/s, ${x.dispatches} kernels; first step ${(x.firstStepMs / 1000).toFixed(1)} s)${r.results.length > 1 ? `  ${(base / x.ms).toFixed(2)}x the first` : ''}`,
    );
  if (r.largeMatmulGflops) console.log(`large matmul (512³, tuned): ${r.largeMatmulGflops.toFixed(2)} GFLOP/s`);
  for (const x of r.results) {
    const p = x.profile;
    if (!p) continue;
    console.log(
      `${x.spec}: GPU ${p.gpuMs.toFixed(1)} ms of ${x.ms.toFixed(1)} ms; overhead ${p.overheadUsPerDispatch.toFixed(0)} µs/dispatch; roofline ${(100 * (x.roofline ?? 0)).toFixed(1)} %`,
    );
    for (const [k, e] of Object.entries(p.classes))
      if (e.dispatches)
        console.log(
          `  ${k.padEnd(14)} ${e.ms.toFixed(1).padStart(8)} ms  ${((100 * e.ms) / p.gpuMs).toFixed(1).padStart(5)} %  ${String(e.dispatches).padStart(4)} kernels  ${e.gflop.toFixed(2).padStart(6)} GFLOP  ${e.ms > 0 ? (e.gflop / (e.ms / 1000)).toFixed(2) : '-'} GFLOP/s`,
        );
    console.log('  by spec line (forward + gradient):');
    for (const l of p.lines.slice(0, 8))
      console.log(
        `  ${l.ms.toFixed(1).padStart(8)} ms  ${((100 * l.ms) / p.gpuMs).toFixed(1).padStart(5)} %  ${String(l.dispatches).padStart(4)} kernels  ${l.at}`,
      );
  }
}
