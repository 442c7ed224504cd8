// The compiler pipeline, top to bottom:
//   verify -> simplify (fold views, CSE, DCE) -> limit checks -> fuse -> memory plan -> WGSL -> plan.
import type { DeviceCaps } from './caps.ts';
import { liftConstants } from './codegen/lift.ts';
import { generateKernel } from './codegen/wgsl.ts';
import type { MatmulTuning, MatmulVariant } from './codegen/matmul.ts';
import { describeKernel, type KernelGraph } from './fuse/kernel-ir.ts';
import { fuse, type FuseOptions } from './fuse/group.ts';
import { printGraph } from './ir/print.ts';
import { type Graph, IRError, formatSource, numel, shapeStr } from './ir/types.ts';
import { verifyGraph } from './ir/verify.ts';
import { bufferBytes, planMemory } from './plan/memory.ts';
import { type Precision, halfStorage } from './plan/precision.ts';
import { fnv1a, type Plan } from './plan/plan.ts';
import { simplify } from './simplify/simplify.ts';

export interface CompileOptions {
  caps: DeviceCaps;
  fuse?: Partial<Omit<FuseOptions, 'maxBindings'>>;
  matmulVariant?: MatmulVariant;
  /** The adapter's autotuned matmul choice (runtime/tune); defaults apply without it. */
  matmulTuning?: MatmulTuning;
  /** 'f16': large temporaries stored as f16, f32 arithmetic (plan/precision.ts); needs shader-f16. */
  precision?: Precision;
  /** With precision 'f16': the smallest value stored as f16 (default precision.ts SMALL; tests
   *  pass 0 to put every eligible value of a micro model through f16). */
  halfMinElements?: number;
  /** Share one pipeline among matmul kernels that differ only in integer constants (default
   *  true; codegen/lift.ts). */
  liftConstants?: boolean;
  /** Scatter-adds into large tables through a sort and binary searches (default true;
   *  simplify.ts sortScatters; tests compare against the plain kernel). */
  sortScatters?: boolean;
  /** Elementwise kernels and one-lane-per-row reductions four elements at a time as vec4s where they can be (default true;
   *  codegen/vectorize.ts; FLAPC_VEC4=0 for A/B runs). */
  vectorize?: boolean;
  /** 0 silent; 1 graph IR; 2 + kernels; 3 + WGSL (FLAPC_DEBUG). */
  debug?: number;
  log?: (line: string) => void;
}

export interface Compiled {
  plan: Plan;
  kernelGraph: KernelGraph;
}

export function compileGraph(g: Graph, opts: CompileOptions): Compiled {
  const log = opts.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  const debug = opts.debug ?? Number(process.env.FLAPC_DEBUG ?? 0);
  verifyGraph(g);
  const s = simplify(g, { sortScatters: opts.sortScatters !== false });
  if (debug >= 1) log(`== graph IR (${s.eqns.length} equations) ==\n${printGraph(s)}`);

  // Limits the adapter imposes on single values, reported against the equation that made them.
  const maxBytes = opts.caps.maxStorageBufferBindingSize;
  for (const i of s.inputs) {
    if (numel(i.v.shape) * 4 > maxBytes)
      throw new IRError(`input '${i.name}' ${shapeStr(i.v.shape)} is ${numel(i.v.shape) * 4} bytes; the adapter binds at most ${maxBytes}`);
  }
  const kg = fuse(s, { maxBindings: opts.caps.maxStorageBuffersPerShaderStage, ...opts.fuse });
  // Values that will live in buffers must fit one binding (views never materialise).
  s.eqns.forEach((e, n) => {
    for (const o of e.outputs) {
      if (kg.realized.has(o.id) && numel(o.shape) * 4 > maxBytes) {
        throw new IRError(
          `eqn #${n} ${e.prim}${e.source ? ` (${formatSource(e.source)})` : ''}: result ${shapeStr(o.shape)} is ${numel(o.shape) * 4} bytes; the adapter binds at most ${maxBytes}`,
          e.source,
        );
      }
    }
  });
  if (opts.precision === 'f16' && !opts.caps.shaderF16) throw new IRError('precision "f16" needs an adapter with the shader-f16 feature; this one has none');
  const half = opts.precision === 'f16' ? halfStorage(kg, opts.halfMinElements) : undefined;
  const mem = planMemory(kg, half);
  const pipelines: Plan['pipelines'] = [];
  const byHash = new Map<string, number>();
  const cache = new Map<string, { wgsl: string; dispatch: [number, number, number]; flops: number }>();
  const wgslHash = new Map<string, string>();
  const generated: Plan['dispatches'] = kg.kernels.map((k) => {
    const ck = generateKernel(k, kg, {
      caps: opts.caps,
      aliases: mem.aliases,
      cache,
      ...(half && { half }),
      ...(opts.matmulVariant && { matmulVariant: opts.matmulVariant }),
      ...(opts.matmulTuning && { matmulTuning: opts.matmulTuning }),
      vectorize: opts.vectorize ?? process.env.FLAPC_VEC4 !== '0',
    });
    // Cached kernels return the same string object, whose lookup V8 answers from the
    // string's own cached hash: each distinct WGSL text is hashed by fnv1a once.
    let hash = wgslHash.get(ck.wgsl);
    if (hash === undefined) wgslHash.set(ck.wgsl, (hash = fnv1a(ck.wgsl)));
    let p = byHash.get(hash);
    if (p === undefined) {
      p = pipelines.length;
      byHash.set(hash, p);
      pipelines.push({ hash, label: ck.label, wgsl: ck.wgsl });
    }
    if (debug >= 2) log(`kernel ${describeKernel(k)}  dispatch ${ck.dispatch.join('x')}  pipeline ${hash}`);
    if (debug >= 3) log(ck.wgsl);
    const bindings = ck.bindings.map((b) => {
      const v = [...k.inputs, ...k.outputs].find((x) => x.id === b.varId)!;
      return { buffer: mem.bufferOf.get(b.varId)!, bytes: bufferBytes(v, half) };
    });
    const t = ck.texture;
    const texture = t && { buffer: mem.bufferOf.get(t.varId)!, width: t.width, height: t.height, binding: t.binding };
    const eqnSource = (k.anchor ?? kg.producer.get(k.outputs[0]!.id))?.source;
    const source = eqnSource && formatSource(eqnSource);
    const floatOutputs = (h: boolean): number[] =>
      ck.bindings.flatMap((b, i) => (k.outputs.some((o) => o.id === b.varId && o.dtype === 'f32') && (half?.has(b.varId) ?? false) === h ? [i] : []));
    const f32Outputs = floatOutputs(false);
    const f16Outputs = half ? floatOutputs(true) : [];
    const slots = (pick: (b: (typeof ck.bindings)[number]) => boolean): number[] => ck.bindings.flatMap((b, i) => (pick(b) ? [i] : []));
    const writes = slots((b) => b.access === 'read_write');
    const inPlace = slots((b) => b.access === 'read_write' && k.inputs.some((v) => v.id === b.varId));
    return {
      pipeline: p,
      bindings,
      workgroups: ck.dispatch,
      label: ck.label,
      flops: ck.flops,
      f32Outputs,
      ...(f16Outputs.length > 0 && { f16Outputs }),
      writes,
      ...(inPlace.length > 0 && { inPlace }),
      ...(texture && { texture }),
      ...(source && { source }),
    };
  });
  const { pipelines: shared, dispatches } = opts.liftConstants === false ? { pipelines, dispatches: generated } : liftConstants(pipelines, generated, fnv1a);
  const params = s.inputs.filter((i) => i.role === 'param');
  const plan: Plan = {
    format: 'flapc-plan',
    version: 1,
    buffers: mem.buffers.map((b) => (b.name === undefined ? { bytes: b.bytes, kind: b.kind } : { bytes: b.bytes, kind: b.kind, name: b.name })),
    pipelines: shared,
    dispatches,
    copies: mem.copies,
    inputs: s.inputs.map((i) => ({ name: i.name, shape: i.v.shape, dtype: i.v.dtype, buffer: mem.bufferOf.get(i.v.id)!, role: i.role })),
    outputs: s.outputs.map((o) => {
      const io = { name: o.name, shape: o.v.shape, dtype: o.v.dtype, buffer: mem.bufferOf.get(o.v.id)! };
      const copy = mem.copies.find((c) => c.from === mem.bufferOf.get(o.v.id) && mem.buffers[c.to]!.name === o.name);
      if (copy) io.buffer = copy.to;
      return o.updates !== undefined ? { ...io, updates: o.updates } : io;
    }),
    stats: {
      equations: s.eqns.length,
      kernels: dispatches.length,
      pipelines: shared.length,
      flops: dispatches.reduce((a, d) => a + d.flops, 0),
      bufferBytes: mem.totalBytes,
      liveBytesLowerBound: mem.liveLowerBound,
      paramCount: params.reduce((a, p) => a + numel(p.v.shape), 0),
    },
  };
  return { plan, kernelGraph: kg };
}
