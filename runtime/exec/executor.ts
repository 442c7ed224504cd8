// Execute a plan on a device: buffers allocated once, every pipeline created up front
// in parallel, bind groups fixed, and a whole step encoded into one command buffer
// (a pass break only where a matmul reads an operand through a texture copy).
// Runs in the web page too: node-free modules only (compiler/ir/types, gpu/gpu), not compiler/index.
import { type DType, numel } from '../../compiler/ir/types.ts';
import { type Plan, type PlanIO, constantsBinding } from '../../compiler/plan/plan.ts';
import { type Gpu, GpuError, type WarmPipeline, withErrorScopes } from '../gpu/gpu.ts';
import { settle } from '../gpu/quiet-wait.ts';
import { type PlanSlice, sliceFor } from './slice.ts';

export type HostArray = Float32Array | Int32Array | Uint32Array;

function hostArray(dtype: DType, data: ArrayBuffer): HostArray {
  return dtype === 'f32' ? new Float32Array(data) : dtype === 'i32' ? new Int32Array(data) : new Uint32Array(data);
}

/** `data` as the typed array of `dtype`: as it is when it already is one (a batch's log-mel is 2 MB), else converted. */
function typedFor(dtype: DType, data: ArrayLike<number>): HostArray {
  const T = dtype === 'f32' ? Float32Array : dtype === 'i32' ? Int32Array : Uint32Array;
  return data instanceof T ? data : T.from(data);
}

export interface RunOptions {
  /** Resolve timestamp queries per dispatch (FLAPC_DEBUG=4). */
  profile?: boolean;
}

/**
 * The pipelines of `plan` this device has not created yet, each with the bindings of its first
 * dispatch, in the order the plan first dispatches them (the order a step compiles them in).
 */
export function firstUses(plan: Plan, created: ReadonlyMap<string, unknown> = new Map()): WarmPipeline[] {
  const seen = new Set<string>();
  const out: WarmPipeline[] = [];
  for (const d of plan.dispatches) {
    const p = plan.pipelines[d.pipeline]!;
    if (seen.has(p.hash) || created.has(p.hash)) continue;
    seen.add(p.hash);
    out.push({
      wgsl: p.wgsl,
      label: p.label,
      bindings: d.bindings.map((b) => b.bytes),
      ...(d.texture && { texture: { binding: d.texture.binding, width: d.texture.width, height: d.texture.height } }),
      ...(d.constants && { constants: { binding: constantsBinding(d), count: d.constants.length } }),
    });
  }
  return out;
}

export class Executable {
  private constructor(
    readonly gpu: Gpu,
    readonly plan: Plan,
    private readonly buffers: GPUBuffer[],
    private readonly pipelines: GPUComputePipeline[],
    private readonly bindGroups: GPUBindGroup[],
    /** Per dispatch: the texture its operand is copied into first (shared by equal sizes). */
    private readonly textures: (GPUTexture | undefined)[],
    /** Uniform buffers of lifted constants, shared by dispatches with equal values. */
    private readonly constantBuffers: GPUBuffer[],
  ) {}

  /** Called when the first run's GPU work is done (compile helpers drop the plan's remaining pipelines). */
  private firstRunDone: (() => void) | undefined;

  /** Shadow copies of the parameter and optimizer-state buffers, refreshed at the start of every run. */
  private shadows: Map<number, GPUBuffer> | null = null;

  static async create(gpu: Gpu, plan: Plan): Promise<Executable> {
    const { device } = gpu;
    const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
    const buffers = await withErrorScopes(gpu, 'allocating buffers', () =>
      plan.buffers.map((b, i) => device.createBuffer({ size: Math.ceil(b.bytes / 16) * 16, usage, label: b.name ?? `tmp${i}` })),
    );
    const warmed = gpu.warm?.(firstUses(plan, gpu.pipelineCache));
    const pipelines = await Promise.all(
      plan.pipelines.map((p) => {
        let pending = gpu.pipelineCache.get(p.hash);
        if (!pending) {
          pending = withErrorScopes(gpu, `creating pipeline ${p.label}`, () => {
            const module = device.createShaderModule({ code: p.wgsl, label: p.label });
            return device.createComputePipelineAsync({ layout: 'auto', compute: { module, entryPoint: 'main' }, label: p.label });
          }).catch(async (e: Error) => {
            gpu.pipelineCache.delete(p.hash);
            device.pushErrorScope('validation');
            const module = device.createShaderModule({ code: p.wgsl });
            const info = await module.getCompilationInfo();
            await device.popErrorScope();
            const msgs = info.messages.map((m) => `  ${m.type} ${m.lineNum}:${m.linePos} ${m.message}`).join('\n');
            throw new GpuError(`${e.message}${msgs ? `\n${msgs}` : ''}`);
          });
          gpu.pipelineCache.set(p.hash, pending);
        }
        return pending;
      }),
    );
    // Dispatches run in order and each copies right before it runs, so one texture per size serves all.
    const bySize = new Map<string, GPUTexture>();
    const textures = await withErrorScopes(gpu, 'allocating textures', () =>
      plan.dispatches.map((d) => {
        if (!d.texture) return undefined;
        const key = `${d.texture.width}x${d.texture.height}`;
        let t = bySize.get(key);
        if (!t)
          bySize.set(
            key,
            (t = device.createTexture({
              size: [d.texture.width, d.texture.height],
              format: 'rgba32float',
              usage: GPUTextureUsage.TEXTURE_BINDING | GPUTextureUsage.COPY_DST,
              label: key,
            })),
          );
        return t;
      }),
    );
    // Lifted constants (compiler/codegen/lift.ts): one uniform buffer per distinct vector.
    const constants = new Map<string, GPUBuffer>();
    const constantBuffer = (values: number[]): GPUBuffer => {
      const key = values.join(',');
      let buffer = constants.get(key);
      if (!buffer) {
        const k = Int32Array.from({ length: Math.ceil(values.length / 4) * 4 }, (_, i) => values[i] ?? 0);
        buffer = device.createBuffer({ size: k.byteLength, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST, label: `constants ${key}` });
        device.queue.writeBuffer(buffer, 0, k);
        constants.set(key, buffer);
      }
      return buffer;
    };
    const bindGroups = await withErrorScopes(gpu, 'creating bind groups', () =>
      plan.dispatches.map((d, n) => {
        const entries: GPUBindGroupEntry[] = d.bindings.map((b, i) => ({
          binding: i,
          resource: { buffer: buffers[b.buffer]!, size: Math.ceil(b.bytes / 16) * 16 },
        }));
        if (d.texture) entries.push({ binding: d.texture.binding, resource: textures[n]!.createView() });
        if (d.constants) entries.push({ binding: constantsBinding(d), resource: { buffer: constantBuffer(d.constants) } });
        return device.createBindGroup({ layout: pipelines[d.pipeline]!.getBindGroupLayout(0), entries });
      }),
    );
    const exe = new Executable(gpu, plan, buffers, pipelines, bindGroups, textures, [...constants.values()]);
    exe.firstRunDone = warmed;
    return exe;
  }

  private io(name: string, outputs = false): { buffer: number; dtype: DType; size: number } {
    const list = outputs ? this.plan.outputs : this.plan.inputs;
    const io = list.find((x) => x.name === name);
    if (!io) throw new Error(`plan has no ${outputs ? 'output' : 'input'} '${name}' (has: ${list.map((x) => x.name).join(', ')})`);
    return { buffer: io.buffer, dtype: io.dtype, size: numel(io.shape) };
  }

  /** Upload an input (data, parameter or state). */
  write(name: string, data: ArrayLike<number>): void {
    const io = this.io(name);
    if (data.length !== io.size) throw new Error(`input '${name}' needs ${io.size} values, got ${data.length}`);
    const arr = typedFor(io.dtype, data);
    this.gpu.device.queue.writeBuffer(this.buffers[io.buffer]!, 0, arr.buffer, arr.byteOffset, arr.byteLength);
  }

  /**
   * Encode the plan's dispatches into one command buffer and submit it: all of them, or with
   * `only`, those the named outputs depend on (runtime/exec/slice.ts; other outputs then hold
   * stale values).
   */
  run(only?: readonly string[]): void {
    if (this.gpu.lost) throw new GpuError(this.gpu.lost);
    const slice = only ? this.slice(only) : null;
    const enc = this.gpu.device.createCommandEncoder();
    if (this.shadows) for (const [b, sh] of this.shadows) enc.copyBufferToBuffer(this.buffers[b]!, 0, sh, 0, sh.size);
    let pass = enc.beginComputePass();
    this.plan.dispatches.forEach((d, i) => {
      if (slice && !slice.dispatches[i]) return;
      if (d.texture) {
        pass.end();
        this.copyToTexture(enc, i);
        pass = enc.beginComputePass();
      }
      pass.setPipeline(this.pipelines[d.pipeline]!);
      pass.setBindGroup(0, this.bindGroups[i]!);
      pass.dispatchWorkgroups(...d.workgroups);
    });
    pass.end();
    this.plan.copies.forEach((c, i) => {
      if (!slice || slice.copies[i]) enc.copyBufferToBuffer(this.buffers[c.from]!, 0, this.buffers[c.to]!, 0, Math.ceil(c.bytes / 4) * 4);
    });
    this.gpu.device.queue.submit([enc.finish()]);
    const done = this.firstRunDone;
    this.firstRunDone = undefined;
    if (done) void this.gpu.device.queue.onSubmittedWorkDone().then(done, done);
  }

  /** Whether running only `outputs` reads input `name` (so a caller can skip uploading it). */
  reads(name: string, outputs: readonly string[]): boolean {
    const slice = this.slice(outputs);
    return !slice || slice.reads.has(this.io(name).buffer);
  }

  private slices = new Map<string, PlanSlice | null>();
  /** The dispatches `outputs` need (cached; null for a plan without recorded writes: run them all). */
  slice(outputs: readonly string[]): PlanSlice | null {
    const key = outputs.join('\n');
    if (!this.slices.has(key)) this.slices.set(key, sliceFor(this.plan, outputs));
    return this.slices.get(key)!;
  }

  /**
   * Keep the state before each run (parameters and optimizer moments, which a training step
   * updates in place), so a step that went non-finite can be undone and replayed. Costs one
   * buffer copy of that state per run (flap-tiny: 3 x 2.4 M floats). Inputs the plan never
   * updates (position tables, a frozen word-vector table: 3 M floats in flap-small) are left out.
   */
  enableSnapshots(): void {
    const usage = GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
    const updated = new Set(this.plan.outputs.flatMap((o) => (o.updates === undefined ? [] : [o.updates])));
    this.shadows = new Map(
      this.plan.inputs
        .filter((i) => (i.role === 'param' || i.role === 'state') && updated.has(i.name))
        .map((i) => [i.buffer, this.gpu.device.createBuffer({ size: this.buffers[i.buffer]!.size, usage, label: `shadow.${i.name}` })]),
    );
  }

  /** Put back the state saved at the start of the last run. */
  restoreSnapshot(): void {
    if (!this.shadows) throw new Error('snapshots are not enabled');
    const enc = this.gpu.device.createCommandEncoder();
    for (const [b, sh] of this.shadows) enc.copyBufferToBuffer(sh, 0, this.buffers[b]!, 0, sh.size);
    this.gpu.device.queue.submit([enc.finish()]);
  }

  /**
   * Copy byte ranges of buffers, back to back, into one staging buffer and map it: one submit
   * and one wait for the GPU (quiet on CPU adapters, gpu/quiet-wait.ts) for every read.
   */
  private async readBack(ranges: { buffer: number; bytes: number }[]): Promise<ArrayBuffer> {
    const sizes = ranges.map((r) => Math.ceil(r.bytes / 4) * 4);
    const staging = this.gpu.device.createBuffer({
      size: Math.max(
        4,
        sizes.reduce((a, b) => a + b, 0),
      ),
      usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
    });
    const enc = this.gpu.device.createCommandEncoder();
    let at = 0;
    ranges.forEach((r, k) => {
      enc.copyBufferToBuffer(this.buffers[r.buffer]!, 0, staging, at, sizes[k]!);
      at += sizes[k]!;
    });
    this.gpu.device.queue.submit([enc.finish()]);
    try {
      await settle(this.gpu.caps, () => staging.mapAsync(GPUMapMode.READ));
      if (this.gpu.lost) throw new GpuError(this.gpu.lost);
      return staging.getMappedRange().slice(0, at);
    } finally {
      staging.destroy();
    }
  }

  private async readBinding(buffer: number, bytes: number): Promise<Float32Array> {
    return new Float32Array(await this.readBack([{ buffer, bytes }]));
  }

  /**
   * Run the plan one dispatch at a time from the current inputs and return the first place a
   * non-finite value appears: an f32 data input, or a dispatch's output (with the spec line
   * that produced it). Slow (one submit and read-back per dispatch): a debugging pass.
   */
  async locateNonFinite(): Promise<{ input: string } | { dispatch: number; label: string; source?: string } | null> {
    const bad = (a: Float32Array): boolean => a.some((x) => !Number.isFinite(x));
    for (const i of this.plan.inputs) {
      if (i.dtype !== 'f32') continue;
      if (bad(await this.readBinding(i.buffer, Math.max(4, numel(i.shape) * 4)))) return { input: i.name };
    }
    for (let i = 0; i < this.plan.dispatches.length; i++) {
      const d = this.plan.dispatches[i]!;
      const enc = this.gpu.device.createCommandEncoder();
      if (d.texture) this.copyToTexture(enc, i);
      const pass = enc.beginComputePass();
      pass.setPipeline(this.pipelines[d.pipeline]!);
      pass.setBindGroup(0, this.bindGroups[i]!);
      pass.dispatchWorkgroups(...d.workgroups);
      pass.end();
      this.gpu.device.queue.submit([enc.finish()]);
      for (const slot of d.f32Outputs ?? []) {
        const b = d.bindings[slot]!;
        if (bad(await this.readBinding(b.buffer, b.bytes))) return { dispatch: i, label: d.label, ...(d.source && { source: d.source }) };
      }
      for (const slot of d.f16Outputs ?? []) {
        const b = d.bindings[slot]!;
        const h = new Uint16Array((await this.readBinding(b.buffer, b.bytes)).buffer);
        // exponent bits all ones: infinity or NaN in IEEE half
        if (h.some((x) => (x & 0x7c00) === 0x7c00)) return { dispatch: i, label: d.label, ...(d.source && { source: d.source }) };
      }
    }
    return null;
  }

  private copyToTexture(enc: GPUCommandEncoder, i: number): void {
    const t = this.plan.dispatches[i]!.texture!;
    enc.copyBufferToTexture({ buffer: this.buffers[t.buffer]!, bytesPerRow: t.width * 16, rowsPerImage: t.height }, { texture: this.textures[i]! }, [
      t.width,
      t.height,
    ]);
  }

  /** A named output, or an input (e.g. an updated parameter). */
  private value(name: string): PlanIO {
    const found = this.plan.outputs.find((o) => o.name === name) ?? this.plan.inputs.find((i) => i.name === name);
    if (!found) throw new Error(`plan has no value named '${name}'`);
    return found;
  }

  /** Read a named output (or input, e.g. an updated parameter) back to the host. */
  async read(name: string): Promise<HostArray> {
    const found = this.value(name);
    const raw = await this.readBack([{ buffer: found.buffer, bytes: Math.max(4, numel(found.shape) * 4) }]);
    return hostArray(found.dtype, raw.slice(0, numel(found.shape) * 4));
  }

  /**
   * The first element of each named value, in one read-back (the trainer's per-step loss,
   * gradient norm and logit scale: one wait for the GPU instead of one per value).
   */
  async readScalars(names: string[]): Promise<number[]> {
    const found = names.map((n) => this.value(n));
    const raw = await this.readBack(found.map((io) => ({ buffer: io.buffer, bytes: 4 })));
    return found.map((io, k) => hostArray(io.dtype, raw.slice(4 * k, 4 * k + 4))[0]!);
  }

  /** Wait for submitted work; surfaces device loss instead of hanging silently. */
  async sync(): Promise<void> {
    await settle(this.gpu.caps, () => this.gpu.device.queue.onSubmittedWorkDone());
    if (this.gpu.lost) throw new GpuError(this.gpu.lost);
  }

  /** Per-dispatch GPU times in ms (timestamp queries), one run. Null when unsupported. */
  async profile(): Promise<{ label: string; ms: number }[] | null> {
    const { device } = this.gpu;
    if (!device.features.has('timestamp-query')) return null;
    const n = this.plan.dispatches.length;
    const qs = device.createQuerySet({ type: 'timestamp', count: 2 * n });
    const resolve = device.createBuffer({ size: 16 * n, usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC });
    const read = device.createBuffer({ size: 16 * n, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    const enc = device.createCommandEncoder();
    this.plan.dispatches.forEach((d, i) => {
      if (d.texture) this.copyToTexture(enc, i);
      const pass = enc.beginComputePass({ timestampWrites: { querySet: qs, beginningOfPassWriteIndex: 2 * i, endOfPassWriteIndex: 2 * i + 1 } });
      pass.setPipeline(this.pipelines[d.pipeline]!);
      pass.setBindGroup(0, this.bindGroups[i]!);
      pass.dispatchWorkgroups(...d.workgroups);
      pass.end();
    });
    enc.resolveQuerySet(qs, 0, 2 * n, resolve, 0);
    enc.copyBufferToBuffer(resolve, 0, read, 0, 16 * n);
    device.queue.submit([enc.finish()]);
    await settle(this.gpu.caps, () => read.mapAsync(GPUMapMode.READ));
    const t = new BigInt64Array(read.getMappedRange().slice(0));
    read.unmap();
    qs.destroy();
    resolve.destroy();
    read.destroy();
    return this.plan.dispatches.map((d, i) => ({ label: d.label, ms: Number(t[2 * i + 1]! - t[2 * i]!) / 1e6 }));
  }

  destroy(): void {
    for (const b of this.buffers) b.destroy();
    for (const b of this.shadows?.values() ?? []) b.destroy();
    for (const t of new Set(this.textures)) t?.destroy();
    for (const b of this.constantBuffers) b.destroy();
  }
}

/** FLAPC_DEBUG=4: per-kernel GPU times of one run, slowest first, as a table on stderr. */
export async function reportProfile(exe: Executable, log: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Promise<void> {
  const times = await exe.profile();
  if (!times) {
    log('per-kernel timings: this adapter has no timestamp-query');
    return;
  }
  const total = times.reduce((s, t) => s + t.ms, 0);
  const byLabel = new Map<string, { ms: number; n: number }>();
  for (const t of times) {
    const e = byLabel.get(t.label) ?? { ms: 0, n: 0 };
    e.ms += t.ms;
    e.n++;
    byLabel.set(t.label, e);
  }
  log(`== per-kernel GPU time, one run: ${times.length} dispatches, ${total.toFixed(3)} ms ==`);
  for (const [label, e] of [...byLabel].sort((a, b) => b[1].ms - a[1].ms)) {
    log(`${e.ms.toFixed(3).padStart(10)} ms  ${((100 * e.ms) / total).toFixed(1).padStart(5)}%  ${label}${e.n > 1 ? ` (x${e.n})` : ''}`);
  }
}
