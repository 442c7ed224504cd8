// WGSL templates, one per kernel kind. Shapes are baked in as constants; the only
// per-dispatch state is the bind group. Identical kernels produce identical text, so
// the text's hash keys the pipeline cache.
import type { Kernel, KernelGraph } from '../fuse/kernel-ir.ts';
import { RNG_WGSL } from '../ir/rng.ts';
import { type Eqn, type Var, numel } from '../ir/types.ts';
import { ERF_WGSL, NONFINITE_WGSL, type Idx, Scope, bindingElement, literal, storageType, storeValue, wgslType } from './emit.ts';
import { kernelKey } from './kernel-key.ts';
import { ERF4_WGSL, storeVector, vectorColumnReads, vectorReads, vectorRowReads, vectorValue } from './vectorize.ts';
import { attentionBody } from './attention.ts';
import type { DeviceCaps } from '../caps.ts';
import { matmulBody, type MatmulTuning, type MatmulVariant, chooseMatmulVariant, textureOperand, vec4Output, vectorLoads } from './matmul.ts';

export interface Binding {
  varId: number;
  access: 'read' | 'read_write';
}

export interface CompiledKernel {
  label: string;
  wgsl: string;
  bindings: Binding[];
  dispatch: [number, number, number];
  /** FLOPs of one dispatch (2·M·N·K for matmul; one per element per op otherwise, approximate). */
  flops: number;
  /** A value also read through a texture: the executor copies its buffer into an rgba32float
   *  texture of width × height texels (4 floats each) right before the dispatch. */
  texture?: KernelTexture;
}

export interface KernelTexture {
  varId: number;
  width: number;
  height: number;
  binding: number;
}

export interface CodegenOptions {
  caps: DeviceCaps;
  /** Output value id -> input value id whose buffer it overwrites in place. */
  aliases?: ReadonlyMap<number, number>;
  matmulVariant?: MatmulVariant;
  /** Per-adapter matmul choice from the autotuner (size class -> variant name). */
  matmulTuning?: MatmulTuning;
  /** f32 values stored as f16 (compiler/plan/precision.ts); needs the adapter's shader-f16. */
  half?: ReadonlySet<number>;
  /** Elementwise kernels and one-lane-per-row reductions four elements at a time where they can
   *  be (codegen/vectorize.ts; default true, FLAPC_VEC4=0 for A/B runs). */
  vectorize?: boolean;
  /** Kernels already generated in this compile, by structural key (see kernel-key.ts). */
  cache?: Map<string, { wgsl: string; dispatch: [number, number, number]; flops: number }>;
}

/** Spread `groups` workgroups over x and y so neither exceeds the per-dimension limit. */
export function grid(groups: number, caps: DeviceCaps): [number, number, number] {
  const max = caps.maxComputeWorkgroupsPerDimension;
  if (groups <= max) return [Math.max(groups, 1), 1, 1];
  const y = Math.ceil(groups / max);
  if (y > max) throw new Error(`dispatch of ${groups} workgroups exceeds ${max}×${max}`);
  return [Math.ceil(groups / y), y, 1];
}

function header(k: Kernel, opts: CodegenOptions, vec4: ReadonlySet<number>): { decls: string[]; bindings: Binding[]; names: Map<number, string> } {
  const names = new Map<number, string>();
  const bindings: Binding[] = [];
  const decls: string[] = [];
  const aliasOf = new Map<number, number>();
  for (const o of k.outputs) {
    const a = opts.aliases?.get(o.id);
    if (a !== undefined) aliasOf.set(a, o.id);
  }
  const add = (v: Var, access: 'read' | 'read_write', name: string): void => {
    const elem = bindingElement(v, vec4.has(v.id), opts.half?.has(v.id) === true);
    decls.push(`@group(0) @binding(${bindings.length}) var<storage, ${access}> ${name}: array<${elem}>;`);
    bindings.push({ varId: v.id, access });
    names.set(v.id, name);
  };
  k.inputs.forEach((v, i) => add(v, aliasOf.has(v.id) ? 'read_write' : 'read', `in${i}`));
  k.outputs.forEach((v, i) => {
    const a = opts.aliases?.get(v.id);
    if (a !== undefined && names.has(a)) names.set(v.id, names.get(a)!);
    else add(v, 'read_write', `out${i}`);
  });
  return { decls, bindings, names };
}

function finish(decls: string[], scope: Scope, body: string): string {
  return [
    'enable f16;'.repeat(decls.some((d) => d.includes('f16>')) ? 1 : 0),
    'enable subgroups;'.repeat(body.includes('subgroup') ? 1 : 0),
    ...decls,
    body.includes('nonfinite_bits') ? NONFINITE_WGSL : '',
    scope.helpers.has('erf') ? ERF_WGSL : '',
    scope.helpers.has('erf4') ? ERF4_WGSL : '',
    scope.helpers.has('rng') ? RNG_WGSL : '',
    body,
  ]
    .filter((s) => s)
    .join('\n');
}

const indent = (lines: string[], pad: string): string => lines.map((l) => pad + l).join('\n');

export function generateKernel(k: Kernel, kg: KernelGraph, opts: CodegenOptions): CompiledKernel {
  const key = opts.cache && kernelKey(k, kg, opts.aliases, opts.half);
  const hit = key ? opts.cache!.get(key) : undefined;
  if (hit) {
    // Same structure: same WGSL and grid; only the bound buffers differ.
    const { bindings } = header(k, opts, vec4Set(k, kg, opts));
    const texture = textureOf(k, opts, bindings.length);
    return { label: `${k.kind}_${k.outputs.map((o) => o.id).join('_')}`, bindings, ...hit, ...(texture && { texture }) };
  }
  let ck = generateKernel1(k, kg, opts);
  if (opts.caps.cpu) ck = { ...ck, wgsl: opaqueLoopBounds(ck.wgsl) };
  if (key) opts.cache!.set(key, { wgsl: ck.wgsl, dispatch: ck.dispatch, flops: ck.flops });
  return ck;
}

/** The matmul variant a kernel gets: forced, tuned or default. */
function variantOf(k: Kernel, opts: CodegenOptions): MatmulVariant {
  return opts.matmulVariant ?? chooseMatmulVariant(k.anchor!, opts.caps, opts.matmulTuning);
}

/** The matmul operand read through a texture, bound after the storage buffers. */
function textureOf(k: Kernel, opts: CodegenOptions, binding: number): KernelTexture | undefined {
  if (k.kind !== 'matmul') return undefined;
  const t = textureOperand(k, variantOf(k, opts), opts.caps, opts.aliases, opts.half);
  return t && { varId: t.b.id, width: t.width, height: t.height, binding };
}

/**
 * The values a vectorised kernel (codegen/vectorize.ts) reads as vec4s; undefined when the
 * kernel runs one element per lane (or is not elementwise / a one-lane-per-row reduction).
 */
function vectorPlan(k: Kernel, kg: KernelGraph, opts: CodegenOptions): Set<number> | undefined {
  if (opts.vectorize === false) return undefined;
  if (k.kind === 'elementwise') return vectorReads(k, kg.producer);
  if (k.kind === 'reduce') return vectorRowReads(k, kg.producer, onePerRow(rowLayout(k.stages[0]!.reduce))) ?? vectorColumnReads(k, kg.producer);
  return undefined;
}

/**
 * Values bound as vec4: a matmul's wide operand and output, or what a vectorised kernel reads
 * as vec4s, the outputs it stores as vec4s and the inputs they overwrite in place.
 */
function vec4Set(k: Kernel, kg: KernelGraph, opts: CodegenOptions): Set<number> {
  const out = new Set<number>();
  if (k.kind === 'elementwise' || k.kind === 'reduce') {
    const reads = vectorPlan(k, kg, opts);
    if (!reads) return out;
    // a row reduction stores vec4s only when its output covers the row (softmax), not one value
    // per row; a column reduction stores four columns' sums at once
    const columns = k.kind === 'reduce' && vectorColumnReads(k, kg.producer) !== undefined;
    const stores = k.kind === 'elementwise' || k.fullRow || columns ? k.outputs : [];
    for (const v of [...reads, ...stores.map((o) => o.id)]) out.add(v);
    for (const o of stores) if (opts.aliases?.has(o.id)) out.add(opts.aliases.get(o.id)!);
    return out;
  }
  if (k.kind !== 'matmul') return out;
  const variant = variantOf(k, opts);
  const { a, b } = vectorLoads(k, variant, kg.producer, opts.aliases);
  for (const id of [...(a?.reads ?? []), ...(b.kind === 'rows' || b.kind === 'columns' ? b.reads : [])]) out.add(id);
  const wideOut = vec4Output(k, variant, opts.aliases);
  if (wideOut) out.add(wideOut.id);
  return out;
}

/**
 * Make constant loop bounds in the entry point opaque: `k < 16` becomes `k < 16 + opaque_zero`,
 * where opaque_zero = min(num_workgroups.z - 1, 0) is 0 at run time (every dispatch has z >= 1)
 * but unknown to the shader compiler, so it keeps the loop instead of unrolling it.
 */
export function opaqueLoopBounds(wgsl: string): string {
  const at = wgsl.indexOf('fn main(');
  if (at < 0) return wgsl;
  const head = wgsl.slice(0, at);
  let body = wgsl.slice(at).replace('fn main(', 'fn main(@builtin(num_workgroups) flapc_nwg: vec3<u32>, ');
  const open = body.indexOf('{');
  body = `${body.slice(0, open + 1)}\n  let opaque_zero = min(i32(flapc_nwg.z) - 1, 0);${body.slice(open + 1)}`;
  body = body.replace(/for \(var (\w+) = 0; \1 < (\d+);/g, 'for (var $1 = 0; $1 < $2 + opaque_zero;');
  return head + body;
}

function generateKernel1(k: Kernel, kg: KernelGraph, opts: CodegenOptions): CompiledKernel {
  const variant = k.kind === 'matmul' ? variantOf(k, opts) : undefined;
  // What a matmul reads four at a time is bound as vec4s (one wide load, not four).
  const vec4 = vec4Set(k, kg, opts);
  const { decls, bindings, names } = header(k, opts, vec4);
  const counter = { n: 0 };
  const root = new Scope(
    { producer: kg.producer, buffers: names, writes: new Set(k.outputs.map((o) => o.id)), vec4, ...(opts.half && { half: opts.half }) },
    counter,
  );
  const label = `${k.kind}_${k.outputs.map((o) => o.id).join('_')}`;
  switch (k.kind) {
    case 'elementwise':
      return { label, bindings, ...(vectorPlan(k, kg, opts) ? vectorElementwise(k, root, decls, opts.caps) : elementwise(k, root, decls, opts.caps)) };
    case 'reduce': {
      const vector = vectorPlan(k, kg, opts) !== undefined;
      if (vector && vectorColumnReads(k, kg.producer)) return { label, bindings, ...columnReduce(k, root, decls, opts.caps) };
      return { label, bindings, ...reduce(k, root, decls, opts.caps, vector) };
    }
    case 'matmul': {
      const texture = textureOf(k, opts, bindings.length);
      if (texture) decls.push(`@group(0) @binding(${texture.binding}) var bT: texture_2d<f32>;`);
      const loads = vectorLoads(k, variant!, kg.producer, opts.aliases);
      if (texture) loads.b = { kind: 'texture', name: 'bT', b: k.anchor!.inputs[1]! };
      const r = matmulBody(k, root, variant!, opts.caps, loads);
      return { label, bindings, wgsl: finish(decls, root, r.body), dispatch: r.dispatch, flops: r.flops, ...(texture && { texture }) };
    }
    case 'argsort':
      return { label, bindings, ...argsort(k, root, decls, opts.caps) };
    case 'scatter_add':
      return { label, bindings, ...scatter(k, root, decls, opts.caps) };
    case 'attention': {
      const r = attentionBody(k, root, opts.caps);
      return { label, bindings, wgsl: finish(decls, root, r.body), dispatch: r.dispatch, flops: r.flops };
    }
  }
}

const WG = 256;
const threadId = (caps: DeviceCaps, groups: number): string => `let gid = i32((wid.y * ${grid(groups, caps)[0]}u + wid.x) * ${WG}u + lid);`;
const ENTRY = (wg: number): string =>
  `@compute @workgroup_size(${wg})\nfn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {`;

function elementwise(k: Kernel, s: Scope, decls: string[], caps: DeviceCaps): { wgsl: string; dispatch: [number, number, number]; flops: number } {
  const out = k.outputs[0]!;
  const n = numel(out.shape);
  const groups = Math.ceil(n / WG);
  const body = s.child();
  const writes = k.outputs.map((o) => {
    const val = body.value(o, { shape: o.shape, lin: 'gid' });
    return `${s.ctx.buffers.get(o.id)}[gid] = ${storeValue(s.ctx, o, val)};`;
  });
  const text = [ENTRY(WG), `  ${threadId(caps, groups)}`, `  if (gid >= ${n}) { return; }`, indent([...body.lines, ...writes], '  '), '}'].join('\n');
  return { wgsl: finish(decls, s, text), dispatch: grid(groups, caps), flops: n * Math.max(1, body.lines.length) };
}

/** An elementwise kernel four elements per lane (codegen/vectorize.ts): lane gid writes elements 4·gid.. as one vec4. */
function vectorElementwise(k: Kernel, s: Scope, decls: string[], caps: DeviceCaps): { wgsl: string; dispatch: [number, number, number]; flops: number } {
  const n = numel(k.outputs[0]!.shape);
  const groups = Math.ceil(n / 4 / WG);
  const body = s.child();
  const memo = new Map<string, string>();
  const writes = k.outputs.map((o) => {
    const val = vectorValue(body, o, { shape: o.shape, lin: 'e0' }, memo);
    return `${s.ctx.buffers.get(o.id)}[gid] = ${storeVector(s, o, val)};`;
  });
  const head = [`  ${threadId(caps, groups)}`, `  if (gid >= ${n / 4}) { return; }`, '  let e0 = gid * 4;'];
  const text = [ENTRY(WG), ...head, indent([...body.lines, ...writes], '  '), '}'].join('\n');
  // FLOPs as the one-per-lane kernel counts them, so a step's GFLOP does not depend on the layout
  const { flops } = elementwise(k, new Scope(s.ctx, { n: 0 }), [], caps);
  return { wgsl: finish(decls, s, text), dispatch: grid(groups, caps), flops };
}

// ---- reductions (row kernels) ----

interface RowLayout {
  rows: number;
  K: number;
  keptAxes: number[];
  redAxes: number[];
}

function rowLayout(r: Eqn): RowLayout {
  const x = r.inputs[0]!;
  const redAxes = [...(r.params as { axes: readonly number[] }).axes];
  const keptAxes = x.shape.map((_, i) => i).filter((i) => !redAxes.includes(i));
  return {
    rows: numel(keptAxes.map((i) => x.shape[i]!)),
    K: numel(redAxes.map((i) => x.shape[i]!)),
    keptAxes,
    redAxes,
  };
}

/** Index of the reduction input at (row, k). */
function inputIdx(s: Scope, r: Eqn, L: RowLayout, rowDims: string[], k: string): Idx {
  const x = r.inputs[0]!;
  if (L.redAxes.length === 1 && L.redAxes[0] === x.shape.length - 1) {
    return { shape: x.shape, dims: [...rowDims, k] };
  }
  const kDims = s.dims({ shape: L.redAxes.map((a) => x.shape[a]!), lin: k });
  const dims = new Array<string>(x.shape.length);
  L.keptAxes.forEach((a, i) => {
    dims[a] = rowDims[i]!;
  });
  L.redAxes.forEach((a, i) => {
    dims[a] = kDims[i]!;
  });
  return { shape: x.shape, dims };
}

/**
 * Threads of a workgroup-per-row reduction: about 8 elements each, a power of two in [8, 256].
 * Every halving round of the tree is a barrier, and a CPU adapter runs a workgroup as a loop
 * over its lanes, so idle lanes cost time and barriers cost compile time: 256 lanes over a
 * 64-element row (the gradient-norm sums) took 10 barriers and 1.4 s of LLVM each on lavapipe.
 */
export function rowLanes(K: number, caps: DeviceCaps): number {
  let lanes = 8;
  while (lanes < 256 && lanes * 8 < K) lanes *= 2;
  return Math.min(lanes, caps.maxComputeInvocationsPerWorkgroup);
}

/** Whether a reduction runs one lane per row (else a workgroup per row; see reduce()). */
function onePerRow(L: RowLayout): boolean {
  return !(L.K >= 1024 || (L.rows < 256 && L.K >= 256));
}

/**
 * A row reduction. `vector` (codegen/vectorize.ts vectorRowReads): one lane per row walks its row
 * four elements at a time as vec4s, with four partial sums added at the end.
 */
function reduce(k: Kernel, s: Scope, decls: string[], caps: DeviceCaps, vector = false): { wgsl: string; dispatch: [number, number, number]; flops: number } {
  const first = k.stages[0]!.reduce;
  const L = rowLayout(first);
  const x = first.inputs[0]!;
  // One thread per row when rows are plentiful or short (no barriers: cheap on CPU-like adapters,
  // where each barrier also costs compile time); a workgroup per row for long rows, so few rows
  // still fill the device. Few rows of 64-255 elements (flap-tiny's gradient-norm sums, 1 row of
  // 64 per piece) ran as 8 lanes with 3 barriers per sum: 0.3-0.7 s of LLVM per kernel, for a
  // loop of 64 loads (bench/RESULTS.md, session 12).
  const lanes = onePerRow(L) ? 1 : rowLanes(L.K, caps);
  const lines: string[] = [];
  const rowVar = lanes === 1 ? 'gid' : 'row';
  const rowScope = s.child();
  const rowDims = rowScope.dims({ shape: L.keptAxes.map((a) => x.shape[a]!), lin: rowVar });
  let flops = 0;
  k.stages.forEach((st, j) => {
    const isMax = st.reduce.prim === 'reduce_max';
    const init = isMax
      ? st.reduce.outputs[0]!.dtype === 'f32'
        ? '(-3.4028234663852886e38f)'
        : literal(-2147483648, st.reduce.outputs[0]!.dtype)
      : literal(0, st.reduce.outputs[0]!.dtype);
    const comb = (a: string, b: string): string => (isMax ? `max(${a}, ${b})` : `${a} + ${b}`);
    const loop = rowScope.child();
    const kv = `k${j}`;
    const x = st.reduce.inputs[0]!;
    const val = vector
      ? vectorValue(loop, x, { shape: x.shape, dims: [...rowDims, `(${kv} * 4)`] }, new Map())
      : loop.value(x, inputIdx(loop, st.reduce, L, rowDims, kv));
    lines.push(...rowScope.lines.splice(0));
    const acc = `acc${j}`;
    lines.push(`var ${acc} = ${vector ? `vec4<${wgslType(st.reduce.outputs[0]!.dtype)}>(${init})` : init};`);
    if (vector) lines.push(`for (var ${kv} = 0; ${kv} < ${L.K / 4}; ${kv}++) {`);
    else lines.push(lanes === 1 ? `for (var ${kv} = 0; ${kv} < ${L.K}; ${kv}++) {` : `for (var ${kv} = i32(lid); ${kv} < ${L.K}; ${kv} += ${lanes}) {`);
    lines.push(...loop.lines.map((l) => `  ${l}`), `  ${acc} = ${comb(acc, val)};`, '}');
    if (vector) lines.push(`let red${j} = ${comb(`(${comb(`${acc}.x`, `${acc}.y`)})`, `(${comb(`${acc}.z`, `${acc}.w`)})`)};`);
    else if (lanes > 1) {
      lines.push(
        `sh[lid] = acc${j};`,
        'workgroupBarrier();',
        `for (var w = ${lanes / 2}u; w > 0u; w = w >> 1u) {`,
        `  if (lid < w) { sh[lid] = ${comb('sh[lid]', 'sh[lid + w]')}; }`,
        '  workgroupBarrier();',
        '}',
        `let red${j} = sh[0];`,
        'workgroupBarrier();',
      );
    } else lines.push(`let red${j} = acc${j};`);
    rowScope.locals.set(st.reduce.outputs[0]!.id, `red${j}`);
    // The stage's per-row epilogue (mean = sum / n, rstd = rsqrt(var + eps), ...).
    if (st.result.id !== st.reduce.outputs[0]!.id && !(j === k.stages.length - 1 && !k.fullRow)) {
      const res = rowScope.value(st.result, { shape: st.result.shape, dims: rowDims });
      lines.push(...rowScope.lines.splice(0));
      rowScope.locals.set(st.result.id, res);
    }
    flops += L.rows * L.K * (loop.lines.length + 1);
  });
  const out = k.outputs[0]!;
  const buf = s.ctx.buffers.get(out.id)!;
  if (k.fullRow && vector) {
    const loop = rowScope.child();
    const val = vectorValue(loop, out, { shape: out.shape, dims: [...rowDims, '(kf * 4)'] }, new Map());
    lines.push(`for (var kf = 0; kf < ${L.K / 4}; kf++) {`);
    lines.push(...loop.lines.map((l) => `  ${l}`), `  ${buf}[${rowVar} * ${L.K / 4} + kf] = ${storeVector(s, out, val)};`, '}');
  } else if (k.fullRow) {
    const loop = rowScope.child();
    const val = loop.value(out, { shape: out.shape, dims: [...rowDims, 'kf'], lin: `${rowVar} * ${L.K} + kf` });
    lines.push(lanes === 1 ? `for (var kf = 0; kf < ${L.K}; kf++) {` : `for (var kf = i32(lid); kf < ${L.K}; kf += ${lanes}) {`);
    lines.push(...loop.lines.map((l) => `  ${l}`), `  ${buf}[${rowVar} * ${L.K} + kf] = ${storeValue(s.ctx, out, val)};`, '}');
  } else {
    const val = rowScope.value(out, { shape: out.shape, dims: rowDims, lin: rowVar });
    lines.push(...rowScope.lines.splice(0));
    lines.push(lanes === 1 ? `${buf}[${rowVar}] = ${storeValue(s.ctx, out, val)};` : `if (lid == 0u) { ${buf}[${rowVar}] = ${storeValue(s.ctx, out, val)}; }`);
  }
  let text: string;
  let dispatch: [number, number, number];
  if (lanes === 1) {
    const groups = Math.ceil(L.rows / WG);
    dispatch = grid(groups, caps);
    text = [ENTRY(WG), `  ${threadId(caps, groups)}`, `  if (gid >= ${L.rows}) { return; }`, indent(lines, '  '), '}'].join('\n');
  } else {
    dispatch = grid(L.rows, caps);
    const sh = out.dtype === 'f32' || first.outputs[0]!.dtype === 'f32' ? 'f32' : storageType(first.outputs[0]!.dtype);
    text = [
      `var<workgroup> sh: array<${sh}, ${lanes}>;`,
      ENTRY(lanes),
      `  let row = i32(wid.y * ${dispatch[0]}u + wid.x);`,
      `  if (row >= ${L.rows}) { return; }`,
      indent(lines, '  '),
      '}',
    ].join('\n');
  }
  // FLOPs as the one-element-per-step loop counts them, so a step's GFLOP does not depend on the layout
  if (vector) flops = reduce(k, new Scope(s.ctx, { n: 0 }), [], caps).flops;
  return { wgsl: finish(decls, s, text), dispatch, flops };
}

/** Lanes of a column reduction's workgroup: CW column groups of 4 x (128 / CW) phases of k. */
const COLUMN_LANES = 128;
/** Terms a lane adds into a block sum before adding the block to its total. */
const COLUMN_BLOCK = 16;

/**
 * A column reduction (vectorColumnReads): lane (c, p) of a workgroup sums four adjacent columns
 * over every P-th element of the reduced axes as vec4s, in blocks of COLUMN_BLOCK terms (so
 * rounding grows with ~B + n/B terms, not with a lane's n); the P partial sums of a column meet
 * in workgroup memory after one barrier and are added pairwise. On CPU adapters P is 1: a
 * workgroup of CW lanes over adjacent columns, no workgroup memory and no barrier, whose
 * cross-lane reads made lavapipe compile a column sum in 324-391 ms instead of ~100
 * (bench/RESULTS.md, session 18). The workgroup-per-column layout
 * it replaces read one float per lane at a stride of the row and reduced 256 lanes through 8
 * barriers: flap-tiny's bias gradients ([2048, 256] -> [256]) took 3.5-4 ms each on lavapipe
 * (bench/RESULTS.md, session 16).
 */
function columnReduce(k: Kernel, s: Scope, decls: string[], caps: DeviceCaps): { wgsl: string; dispatch: [number, number, number]; flops: number } {
  const r = k.stages[0]!.reduce;
  const x = r.inputs[0]!;
  const p = (r.params as { axes: readonly number[] }).axes.length;
  const K = numel(x.shape.slice(0, p));
  const kept = x.shape.slice(p);
  const cols = numel(kept) / 4;
  const CW = Math.min(8, cols),
    P = caps.cpu ? 1 : Math.floor(COLUMN_LANES / CW);
  const groups = Math.ceil(cols / CW);
  const dispatch = grid(groups, caps);
  const isMax = r.prim === 'reduce_max';
  const t = wgslType(r.outputs[0]!.dtype);
  const init = `vec4<${t}>(${isMax ? (t === 'f32' ? '(-3.4028234663852886e38f)' : literal(-2147483648, r.outputs[0]!.dtype)) : literal(0, r.outputs[0]!.dtype)})`;
  const comb = (a: string, b: string): string => (isMax ? `max(${a}, ${b})` : `(${a} + ${b})`);
  const top = s.child();
  const cd = top.dims({ shape: [...kept.slice(0, -1), kept[kept.length - 1]! / 4], lin: 'colc' });
  const keptDims = [...cd.slice(0, -1), `(${cd[cd.length - 1]} * 4)`];
  const loop = top.child();
  const kd = loop.dims({ shape: x.shape.slice(0, p), lin: 'k' });
  const val = vectorValue(loop, x, { shape: x.shape, dims: [...kd, ...keptDims] }, new Map());
  const out = k.outputs[0]!;
  const buf = s.ctx.buffers.get(out.id)!;
  // the P partial sums of a column, added as a balanced tree
  const tree = (lo: number, n: number): string => (n === 1 ? `sh[lid + ${lo * CW}u]` : comb(tree(lo, n >> 1), tree(lo + (n >> 1), n - (n >> 1))));
  // Blocks of COLUMN_BLOCK terms added into `acc`; with one phase, within superblocks of
  // COLUMN_BLOCK blocks starting at `from` (a lane's n terms would otherwise be n/B blocks in a row).
  const blocks = (from?: string): string[] => {
    const [into, start, end] = from ? ['sup', from, `min(${from} + ${COLUMN_BLOCK * COLUMN_BLOCK}, ${K})`] : ['acc', 'ph', String(K)];
    return [
      ...(from ? [`var sup = ${init};`] : []),
      `for (var kb = ${start}; kb < ${end}; kb += ${P * COLUMN_BLOCK}) {`,
      `  var blk = ${init};`,
      `  for (var k = kb; k < min(kb + ${P * COLUMN_BLOCK}, ${K}); k += ${P}) {`,
      ...loop.lines.map((l) => `    ${l}`),
      `    blk = ${comb('blk', val)};`,
      '  }',
      `  ${into} = ${comb(into, 'blk')};`,
      '}',
      ...(from ? [`acc = ${comb('acc', 'sup')};`] : []),
    ];
  };
  // how a lane sums its terms, and how the phases of a column meet (or not) before the store
  const { sum, meet, value, shared } =
    P > 1
      ? { sum: blocks(), meet: ['sh[lid] = acc;', 'workgroupBarrier();'], value: tree(0, P), shared: [`var<workgroup> sh: array<vec4<${t}>, ${CW * P}>;`] }
      : {
          sum: [`for (var kc = 0; kc < ${K}; kc += ${COLUMN_BLOCK * COLUMN_BLOCK}) {`, ...blocks('kc').map((l) => `  ${l}`), '}'],
          meet: [],
          value: 'acc',
          shared: [],
        };
  const lines = [
    `let col = i32(wid.y * ${dispatch[0]}u + wid.x) * ${CW} + i32(lid % ${CW}u);`,
    `let colc = min(col, ${cols - 1});`,
    `let ph = i32(lid / ${CW}u);`,
    ...top.lines,
    `var acc = ${init};`,
    ...sum,
    ...meet,
    `if (ph == 0 && col < ${cols}) {`,
    `  ${buf}[col] = ${storeVector(s, out, value)};`,
    '}',
  ];
  const text = [...shared, ENTRY(CW * P), indent(lines, '  '), '}'].join('\n');
  // FLOPs as the one-element-per-step loop counts them, so a step's GFLOP does not depend on the layout
  const { flops } = reduce(k, new Scope(s.ctx, { n: 0 }), [], caps);
  return { wgsl: finish(decls, s, text), dispatch, flops };
}

// ---- routines ----

/**
 * Scatter-add of flat indices with their stable argsort (simplify.ts sortScatters): one thread
 * per destination row finds the first sorted index >= its row by binary search and adds the run
 * of equal ones, in ascending position order as the plain kernel does.
 */
function sortedScatter(k: Kernel, s: Scope, decls: string[], caps: DeviceCaps): { wgsl: string; dispatch: [number, number, number]; flops: number } {
  const e = k.anchor!;
  const [idx, upd, perm] = [e.inputs[0]!, e.inputs[1]!, e.inputs[2]!];
  const { shape } = e.params as { shape: number[] };
  const out = s.ctx.buffers.get(k.outputs[0]!.id)!;
  const rows = shape[0]!,
    rest = numel(shape.slice(1)),
    n = idx.shape[0]!;
  const groups = Math.ceil(rows / WG);
  // idx[perm[k]] for a k held in `at`: the order is read, then the index it points to.
  const sortedAt = (sc: Scope, at: string, name: string): { lines: string[]; p: string; j: string } => {
    const inner = sc.child();
    const pv = inner.value(perm, { shape: perm.shape, lin: at });
    inner.lines.push(`let ${name}p = ${pv};`);
    const jv = inner.value(idx, { shape: idx.shape, lin: `${name}p` });
    return { lines: inner.lines, p: `${name}p`, j: jv };
  };
  const probe = sortedAt(s.child(), 'mid', 'm');
  const walk = sortedAt(s.child(), 'kk', 'w');
  const inner = s.child();
  const qd = inner.dims({ shape: shape.slice(1), lin: 'q' });
  const u = inner.value(upd, { shape: upd.shape, dims: [`${walk.p}`, ...qd] });
  const lines = [
    `for (var q = 0; q < ${rest}; q++) { ${out}[gid * ${rest} + q] = 0.0f; }`,
    'var lo = 0;',
    `var hi = ${n};`,
    'loop {',
    '  if (lo >= hi) { break; }',
    '  let mid = (lo + hi) / 2;',
    ...probe.lines.map((l) => `  ${l}`),
    `  if (${probe.j} < gid) { lo = mid + 1; } else { hi = mid; }`,
    '}',
    `for (var kk = lo; kk < ${n}; kk++) {`,
    ...walk.lines.map((l) => `  ${l}`),
    `  if (${walk.j} != gid) { break; }`,
    `  for (var q = 0; q < ${rest}; q++) {`,
    ...inner.lines.map((l) => `    ${l}`),
    `    ${out}[gid * ${rest} + q] += ${u};`,
    '  }',
    '}',
  ];
  const text = [ENTRY(WG), `  ${threadId(caps, groups)}`, `  if (gid >= ${rows}) { return; }`, indent(lines, '  '), '}'].join('\n');
  return { wgsl: finish(decls, s, text), dispatch: grid(groups, caps), flops: rows * Math.ceil(Math.log2(n + 1)) + numel(upd.shape) };
}

function argsort(k: Kernel, s: Scope, decls: string[], caps: DeviceCaps): { wgsl: string; dispatch: [number, number, number]; flops: number } {
  const x = k.anchor!.inputs[0]!;
  const out = k.outputs[0]!;
  const n = x.shape[x.shape.length - 1]!;
  const total = numel(x.shape);
  const groups = Math.ceil(total / WG);
  const body = s.child();
  const mine = body.value(x, { shape: x.shape, lin: 'gid' });
  const loop = body.child();
  const other = loop.value(x, { shape: x.shape, lin: 'base + j' });
  // Rank by counting smaller elements (ties broken by position): stable, exact, O(n) per thread.
  const lines = [
    `let base = (gid / ${n}) * ${n};`,
    `let i = gid - base;`,
    ...body.lines,
    'var rank = 0;',
    `for (var j = 0; j < ${n}; j++) {`,
    ...loop.lines.map((l) => `  ${l}`),
    `  if (${other} < ${mine} || (${other} == ${mine} && j < i)) { rank++; }`,
    '}',
    `${s.ctx.buffers.get(out.id)}[base + rank] = i;`,
  ];
  const text = [ENTRY(WG), `  ${threadId(caps, groups)}`, `  if (gid >= ${total}) { return; }`, indent(lines, '  '), '}'].join('\n');
  return { wgsl: finish(decls, s, text), dispatch: grid(groups, caps), flops: total * n };
}

function scatter(k: Kernel, s: Scope, decls: string[], caps: DeviceCaps): { wgsl: string; dispatch: [number, number, number]; flops: number } {
  // One thread per destination row (batch index, target index): it scans the indices once
  // and adds every matching update row into its own output row. Deterministic (ascending
  // update order), no float atomics, and O(rows·I + I·rest) instead of O(rows·rest·I): the
  // embedding-table gradient (30522 rows) dropped from 1.5 s to a few ms per step.
  const e = k.anchor!;
  const [idx, upd] = [e.inputs[0]!, e.inputs[1]!];
  if (e.inputs[2]) return sortedScatter(k, s, decls, caps);
  const { batchDims: bd, shape } = e.params as { batchDims: number; shape: number[] };
  const out = k.outputs[0]!;
  const buf = s.ctx.buffers.get(out.id)!;
  const rowShape = shape.slice(0, bd + 1),
    restShape = shape.slice(bd + 1);
  const rows = numel(rowShape),
    rest = numel(restShape);
  const groups = Math.ceil(rows / WG);
  const body = s.child();
  const rd = body.dims({ shape: rowShape, lin: 'gid' });
  const iShape = idx.shape.slice(bd);
  const nI = numel(iShape);
  const loop = body.child();
  const pd = loop.dims({ shape: iShape, lin: 'p' });
  const j = loop.value(idx, { shape: idx.shape, dims: [...rd.slice(0, bd), ...pd] });
  const inner = loop.child();
  const qd = inner.dims({ shape: restShape, lin: 'q' });
  const u = inner.value(upd, { shape: upd.shape, dims: [...rd.slice(0, bd), ...pd, ...qd] });
  const lines = [
    ...body.lines,
    `for (var q = 0; q < ${rest}; q++) { ${buf}[gid * ${rest} + q] = 0.0f; }`,
    `for (var p = 0; p < ${nI}; p++) {`,
    ...loop.lines.map((l) => `  ${l}`),
    `  if (${j} == ${rd[bd]}) {`,
    `    for (var q = 0; q < ${rest}; q++) {`,
    ...inner.lines.map((l) => `      ${l}`),
    `      ${buf}[gid * ${rest} + q] += ${u};`,
    '    }',
    '  }',
    '}',
  ];
  const text = [ENTRY(WG), `  ${threadId(caps, groups)}`, `  if (gid >= ${rows}) { return; }`, indent(lines, '  '), '}'].join('\n');
  return { wgsl: finish(decls, s, text), dispatch: grid(groups, caps), flops: rows * nI + numel(upd.shape) };
}
