// Compiling a plan's pipelines on the other cores while its first step runs.
//
// lavapipe compiles a pipeline with LLVM at its first dispatch, on the one thread that runs the
// queue: flap-tiny's first training step is ~28 s of that on a 2-core AVX2 host (195 pipelines,
// bench/RESULTS.md), while the second core idles. Compiles land in Mesa's on-disk shader cache,
// which other processes read at their own first dispatch. So when a plan is about to run, helper
// processes (compile-helper-process.ts) compile its pipelines too, each walking its share from
// the last first-use backwards while the step walks forwards from the first: they meet in the
// middle, and from there each finds the other's work in the cache. Measured with one helper on
// the 2-core host: first step 27.9 / 30.4 s -> 15.8 s. Only where it can pay: a lavapipe adapter,
// the disk cache on, a spare core, and enough new pipelines to be worth a process.
// FLAPC_COMPILE_HELPERS=N sets the number of helpers (0: none).
import { type ChildProcess, fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { AdapterReport, WarmPipeline } from './gpu.ts';

/** Fewer new pipelines than this compile faster than a helper process starts (~1 s). */
export const MIN_PIPELINES = 8;
/** A helper per spare core, up to this many. */
const MAX_HELPERS = 3;

const truthy = (v: string | undefined): boolean => v !== undefined && /^(1|true|yes)$/i.test(v.trim());

/** How many helper processes to run for this adapter (0: none), and why not when none. */
export function helperCount(
  report: Pick<AdapterReport, 'device'>,
  env: NodeJS.ProcessEnv = process.env,
  cores: number = availableParallelism(),
): { count: number; why?: string } {
  const asked = env.FLAPC_COMPILE_HELPERS?.trim() || undefined;
  const n = asked === undefined ? undefined : Number(asked);
  if (n !== undefined && !(Number.isInteger(n) && n >= 0)) return { count: 0, why: `FLAPC_COMPILE_HELPERS=${asked} is not a whole number >= 0` };
  if (n === 0) return { count: 0, why: 'FLAPC_COMPILE_HELPERS=0' };
  if (!/llvmpipe/i.test(report.device)) return { count: 0, why: 'the driver is not lavapipe' };
  if (truthy(env.MESA_SHADER_CACHE_DISABLE) || truthy(env.MESA_GLSL_CACHE_DISABLE)) return { count: 0, why: "Mesa's shader cache is off" };
  if (n !== undefined) return { count: n };
  const spare = Math.min(cores - 1, MAX_HELPERS);
  return spare > 0 ? { count: spare } : { count: 0, why: 'one core' };
}

/** What a helper is sent: a batch of pipelines, or which batch to drop what is left of. */
export type HelperMessage = { batch: number; items: WarmPipeline[] } | { drop: number };

/** What a helper reports: after every pipeline, and `idle` when its queue is empty. */
export interface HelperReport {
  /** Pipelines it has been sent. */
  received: number;
  compiled: number;
  /** Pipelines it dropped unbuilt: their plan's first run had built them. */
  dropped: number;
  failed: number;
  idle: boolean;
  error?: string;
}

const CHILD = fileURLToPath(new URL('./compile-helper-process.ts', import.meta.url));

/** The helper processes of one device: started at the first plan big enough, stopped with the device. */
export class CompileHelpers {
  private children: ChildProcess[] = [];
  private reports: HelperReport[] = [];
  private sent: number[] = [];
  private stopped = false;
  private batches = 0;
  private waiters: (() => void)[] = [];

  private readonly debug: boolean;
  private readonly env: NodeJS.ProcessEnv;

  /** `env`: the helpers' environment (the driver's settings; tests give them their own shader cache). */
  constructor(
    readonly count: number,
    opts: { env?: NodeJS.ProcessEnv; debug?: boolean } = {},
  ) {
    this.env = opts.env ?? process.env;
    this.debug = opts.debug ?? Number(this.env.FLAPC_DEBUG ?? 0) >= 3;
  }

  /**
   * Hand `pipelines` (in first-dispatch order) to the helpers, round robin; each walks its share
   * backwards. Returns what to call when the plan's first run is done: the helpers then drop the
   * rest of the batch (the run compiled it, so each would only be read back from the cache, on
   * cores the next steps need: the timed steps after it ran 1.1-1.7x slower while they did).
   */
  warm(pipelines: WarmPipeline[]): () => void {
    if (this.count === 0 || this.stopped || pipelines.length < MIN_PIPELINES) return () => {};
    if (this.children.length === 0) this.start();
    const batch = ++this.batches;
    const shares = this.children.map((): WarmPipeline[] => []);
    pipelines.forEach((p, i) => shares[i % shares.length]!.push(p));
    shares.forEach((items, h) => {
      const child = this.children[h]!;
      if (!child.connected) return;
      this.sent[h]! += items.length;
      child.send({ batch, items } satisfies HelperMessage);
    });
    return () => {
      for (const c of this.children) if (c.connected) c.send({ drop: batch } satisfies HelperMessage);
    };
  }

  /** Resolves when every helper has emptied its queue (or exited); for tests and benchmarks. */
  async idle(): Promise<HelperReport[]> {
    const busy = (r: HelperReport, h: number): boolean => (!r.idle || r.received < this.sent[h]!) && this.children[h]!.connected;
    while (this.reports.some(busy)) await new Promise<void>((res) => this.waiters.push(res));
    return this.reports.map((r) => ({ ...r }));
  }

  /**
   * Stop the helpers: each finishes the pipeline it is compiling (a cache entry is never cut
   * short) and exits; the promise resolves when all have (callers need not wait).
   */
  stop(): Promise<void> {
    this.stopped = true;
    const exits = this.children.map((c) => (c.exitCode !== null || c.signalCode !== null ? undefined : new Promise((res) => c.once('exit', res))));
    for (const c of this.children) if (c.connected) c.disconnect();
    return Promise.all(exits).then(() => undefined);
  }

  private start(): void {
    // The loader the CLI runs under, by absolute URL (a bare 'tsx' resolves from the working directory).
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
    // Mesa's cache directory must be the same one: a relative path would move with a working directory.
    const env: NodeJS.ProcessEnv = { ...this.env, FLAPC_COMPILE_HELPERS: '0' };
    if (env.MESA_SHADER_CACHE_DIR) env.MESA_SHADER_CACHE_DIR = resolve(env.MESA_SHADER_CACHE_DIR);
    for (let h = 0; h < this.count; h++) {
      const child = fork(CHILD, [], {
        execArgv: ['--import', tsx],
        env,
        stdio: ['ignore', this.debug ? 'inherit' : 'ignore', this.debug ? 'inherit' : 'ignore', 'ipc'],
      });
      const report: HelperReport = { received: 0, compiled: 0, dropped: 0, failed: 0, idle: true };
      child.on('message', (m: HelperReport) => {
        Object.assign(report, m);
        if (this.debug && m.error) console.error(`[compile helper ${h}] ${m.error}`);
        this.wake();
      });
      child.on('exit', () => this.wake());
      child.on('error', () => this.wake());
      // Neither the process nor its channel keeps this one alive: when it exits, the channel closes and the helper stops.
      child.unref();
      (child.channel as { unref?: () => void } | undefined)?.unref?.();
      this.children.push(child);
      this.reports.push(report);
      this.sent.push(0);
    }
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }
}
