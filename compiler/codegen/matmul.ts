// Matmul templates. Operands are read through the same index machinery as everything
// else (so transposed views cost nothing extra to express); the epilogue (bias, activation,
// residual) is evaluated on the accumulator registers before the single write.
import type { Kernel } from '../fuse/kernel-ir.ts';
import type { Eqn, Var } from '../ir/types.ts';
import { numel } from '../ir/types.ts';
import { type Idx, type Scope, storeValue, storeVec4 } from './emit.ts';
import { vectorOperandReads, vectorValue } from './vectorize.ts';
import type { DeviceCaps } from '../caps.ts';

/**
 * regtile: each thread owns an RM×RN register tile and streams operands from storage:
 *   no workgroup memory or barriers (fast where barriers are costly, e.g. CPU adapters).
 * shared: workgroup tiles staged in workgroup memory (classic discrete-GPU layout).
 * subgroup: a subgroup shares RM rows of A — each lane loads one k of each row and the
 *   others read it by subgroupBroadcast — while each lane streams its own RN columns of B
 *   as vec4 loads. On lavapipe a storage load costs ~30 FMAs and a broadcast far less,
 *   so this is the fastest layout there (bench/RESULTS.md); it needs a fixed subgroup size.
 */
export interface MatmulVariant {
  kind: 'regtile' | 'shared' | 'subgroup';
  /** Threads per workgroup along n and m. */
  wx: number;
  wy: number;
  /** Register tile per thread (rows, cols). */
  rm: number;
  rn: number;
  /** k-tile staged per iteration (shared variant). */
  kt: number;
  /** Subgroup variant: read B through a texture where its shape allows (see textureOperand). */
  texB?: boolean;
  /** Subgroup variant: loop over the subgroup's k values (a shuffle by the loop index) instead of
   *  unrolling them (a broadcast each): a fraction of the code for lavapipe's LLVM to compile. */
  rolled?: boolean;
}

export const MATMUL_VARIANTS: Record<string, MatmulVariant> = {
  regtile4x4: { kind: 'regtile', wx: 8, wy: 8, rm: 4, rn: 4, kt: 1 },
  regtile8x4: { kind: 'regtile', wx: 8, wy: 8, rm: 8, rn: 4, kt: 1 },
  shared4x4: { kind: 'shared', wx: 16, wy: 16, rm: 4, rn: 4, kt: 16 },
  // wx (lanes) and kt (k per broadcast round) are the adapter's subgroup size, filled in by usable().
  subgroup16x8: { kind: 'subgroup', wx: 0, wy: 8, rm: 16, rn: 8, kt: 0 },
  // 32 shared rows: each lane's B loads serve twice the rows; 1.05-1.36x subgroup16x8 at 1024³ on lavapipe.
  subgroup32x8: { kind: 'subgroup', wx: 0, wy: 4, rm: 32, rn: 8, kt: 0 },
  // B through textureLoad: lavapipe's texel fetch is cheaper than its per-lane storage loads.
  subgroup32x8t: { kind: 'subgroup', wx: 0, wy: 4, rm: 32, rn: 8, kt: 0, texB: true },
  // The same layout with an eighth (a quarter) of the registers: each lane holds one vec4 of
  // columns; `rolled` ones loop over the subgroup's k. From an empty shader cache lavapipe compiles
  // them in 0.2-0.7 s instead of 6.9 s, and at 512x64x256 they ran at 14-17 GFLOP/s against 17 for
  // subgroup32x8t and 7.5 for regtile8x4 (bench/RESULTS.md, session 16).
  subgroup8x4t: { kind: 'subgroup', wx: 0, wy: 8, rm: 8, rn: 4, kt: 0, texB: true },
  subgroup16x4t: { kind: 'subgroup', wx: 0, wy: 4, rm: 16, rn: 4, kt: 0, texB: true },
  subgroup16x4tr: { kind: 'subgroup', wx: 0, wy: 4, rm: 16, rn: 4, kt: 0, texB: true, rolled: true },
  subgroup8x4tr: { kind: 'subgroup', wx: 0, wy: 8, rm: 8, rn: 4, kt: 0, texB: true, rolled: true },
};

/**
 * Register tiles for thin products, chosen by shape rather than tuned: attention's per-head
 * matmuls have an output side of the head width (16 in flap-tiny), where regtile8x4's 64 x 32
 * tile leaves 3/4 (or 1/2) of its threads computing clamped copies. 64 threads each, 4 x 4 tiles.
 * Where the tuned choice is a subgroup tile of <= 16 rows, it covers narrow N itself (phaseLanes).
 */
export const THIN_MATMUL_VARIANTS: Record<string, MatmulVariant> = {
  regtile_m16: { kind: 'regtile', wx: 16, wy: 4, rm: 4, rn: 4, kt: 1 }, // 16 x 64 tile
  regtile_n16: { kind: 'regtile', wx: 4, wy: 16, rm: 4, rn: 4, kt: 1 }, // 64 x 16 tile
};

/**
 * Autotuner result: the variant to use for small, medium and large matmuls on one adapter
 * (a record without `medium` gives medium matmuls the small choice).
 */
export interface MatmulTuning {
  small: string;
  medium?: string;
  large: string;
}

/** Matmuls with at least this many multiply-adds count as large (compile cost pays back). */
export const LARGE_MATMUL_FMAS = 1 << 27;

/**
 * Unbatched matmuls with at least this many multiply-adds (and fewer than LARGE_MATMUL_FMAS)
 * count as medium: a transformer's projections at width 64-256 over a batch of tokens. On
 * lavapipe subgroup32x8t ran them 1.5-2.5x faster than the small choice (regtile4x4) while
 * batched ones (attention's per-head products) ran 2-4x slower (bench/RESULTS.md, session 15).
 */
export const MEDIUM_MATMUL_FMAS = 1 << 20;

/** The size class of a product of `fmas` multiply-adds (`batched`: several matrices at once). */
export function sizeClass(fmas: number, batched: boolean): 'small' | 'medium' | 'large' {
  if (fmas >= LARGE_MATMUL_FMAS) return 'large';
  return !batched && fmas >= MEDIUM_MATMUL_FMAS ? 'medium' : 'small';
}

/** The size class of a matmul, for the tuned choice. */
export function matmulClass(e: Eqn): 'small' | 'medium' | 'large' {
  const [a, b] = [e.inputs[0]!, e.inputs[1]!];
  return sizeClass(fmasOf(e), numel(a.shape.slice(0, -2)) > 1 || numel(b.shape.slice(0, -2)) > 1);
}

/** The tuned (or default) variant name of a size class. */
export function tunedName(cls: 'small' | 'medium' | 'large', tuning: MatmulTuning): string {
  return cls === 'medium' ? (tuning.medium ?? tuning.small) : tuning[cls];
}

/** The variant adapted to `caps`, or undefined where the adapter cannot run it. */
export function usable(name: string, caps: DeviceCaps): MatmulVariant | undefined {
  const v = MATMUL_VARIANTS[name] ?? THIN_MATMUL_VARIANTS[name];
  if (!v) return undefined;
  if (v.kind === 'subgroup') {
    const sg = caps.subgroupSize;
    if (!caps.subgroups || sg < 4 || sg > 64 || sg * v.wy > caps.maxComputeInvocationsPerWorkgroup) return undefined;
    return { ...v, wx: sg, kt: sg };
  }
  if (v.kind === 'shared' && (v.wy * v.rm + v.wx * v.rn) * v.kt * 4 > caps.maxComputeWorkgroupStorageSize) return undefined;
  return v.wx * v.wy <= caps.maxComputeInvocationsPerWorkgroup ? v : undefined;
}

function fmasOf(e: Eqn): number {
  const [a, b] = [e.inputs[0]!, e.inputs[1]!];
  return numel(a.shape) * b.shape[b.shape.length - 1]!;
}

/**
 * Tuned choice where the autotuner ran, else a default: register tiles for small
 * matmuls (cheap to compile), subgroup broadcast for large ones where the adapter has it.
 */
export function chooseMatmulVariant(e: Eqn, caps: DeviceCaps, tuning?: MatmulTuning): MatmulVariant {
  const cls = matmulClass(e);
  const large = cls === 'large';
  const pick = tuning ? tunedName(cls, tuning) : large ? 'subgroup16x8' : 'regtile4x4';
  const chosen = usable(pick, caps) ?? usable('regtile4x4', caps) ?? { ...MATMUL_VARIANTS.regtile4x4!, wx: 4, wy: 4 };
  if (large) return chosen;
  const [a, b] = [e.inputs[0]!, e.inputs[1]!];
  const M = a.shape[a.shape.length - 2] ?? 1,
    N = b.shape[b.shape.length - 1]!;
  if (M <= 16 && N >= 64) return usable('regtile_m16', caps) ?? chosen;
  // a subgroup tile covers narrow N by splitting k among its lanes (phaseLanes): attention's
  // 16-wide per-head products ran 1.6x faster that way than on regtile_n16 (bench/RESULTS.md, session 17)
  if (N <= 16 && M >= 64 && !(chosen.kind === 'subgroup' && splitsK(chosen))) return usable('regtile_n16', caps) ?? chosen;
  return chosen;
}

/**
 * A matmul operand read as a view of `x` through transposes (none, or a chain of them: the
 * backward pass's Wᵀ, attention's Kᵀ and (Kᵀ)ᵀ), x read four elements of its last axis at a time.
 */
export interface OperandView {
  x: Var;
  /** Operand axis d is x's axis perm[d]. */
  perm: readonly number[];
  /** The buffers read as vec4s. */
  reads: Set<number>;
}

/**
 * How the subgroup layout loads a lane's four columns of B:
 *   texture: one texel per k (B read straight from its buffer, copied to a texture per dispatch);
 *   rows: one vec4 per k, where x's last axis is B's n;
 *   columns: where x's last axis is B's k (B = Wᵀ, Kᵀ), a vec4 along k per column for four k
 *     at once, regrouped in registers (before: four scalar loads per k, 11 GFLOP/s against 19
 *     for textures at flap-tiny's shapes, bench/RESULTS.md session 17);
 *   scalar: four scalar loads per k (any other expression).
 */
export type BLoad = { kind: 'texture'; name: string; b: Var } | ({ kind: 'rows' | 'columns' } & OperandView) | { kind: 'scalar' };

/** How a subgroup kernel reads its operands: B as above (textures aside: textureOperand); A by
 *  scalars, or as vec4s along m where a view's last axis is A's m (the backward pass's Xᵀ @ dY). */
export interface OperandLoads {
  a?: OperandView;
  b: BLoad;
}

/** The vector loads a subgroup kernel can use, decided by the kernel's structure alone. */
export function vectorLoads(k: Kernel, v: MatmulVariant, producer: ReadonlyMap<number, Eqn>, aliases?: ReadonlyMap<number, number>): OperandLoads {
  if (v.kind !== 'subgroup') return { b: { kind: 'scalar' } };
  const [a, b] = k.anchor!.inputs as [Var, Var];
  // a buffer the kernel also writes (an update in place) is read as it is bound: scalars
  const overwritten = new Set(k.outputs.map((o) => aliases?.get(o.id) ?? o.id));
  // the first view down the operand's chain of transposes whose last axis is the operand's `axis`
  const view = (operand: Var, axis: number): OperandView | undefined => {
    const input = (u: Var): boolean => k.inputs.some((w) => w.id === u.id);
    let x = operand,
      perm: readonly number[] = operand.shape.map((_, d) => d);
    for (;;) {
      const reads = x.dtype === 'f32' && perm[axis] === x.shape.length - 1 ? vectorOperandReads(x, k, producer) : undefined;
      if (reads && ![...reads].some((id) => overwritten.has(id))) return { x, perm, reads };
      const t = producer.get(x.id);
      if (t?.prim !== 'transpose' || input(x)) return undefined;
      const tp = (t.params as { perm: readonly number[] }).perm;
      perm = perm.map((p) => tp[p]!);
      x = t.inputs[0]!;
    }
  };
  const r = b.shape.length;
  const rows = view(b, r - 1);
  const cols = rows ? undefined : view(b, r - 2);
  const bLoad: BLoad = rows ? { kind: 'rows', ...rows } : cols ? { kind: 'columns', ...cols } : { kind: 'scalar' };
  const aT = view(a, a.shape.length - 2);
  return aT ? { a: aT, b: bLoad } : { b: bLoad };
}

/**
 * Whether a subgroup tile splits k among phases for narrow N. Not the 32-row tiles: 32
 * lane-varying shuffles per k where one phase broadcasts; a 16-wide f16 test compiled 141 s with
 * them against 34 s without, though not like for like (bench/RESULTS.md, session 18).
 */
function splitsK(v: Pick<MatmulVariant, 'rm'>): boolean {
  return v.rm <= 16;
}

/**
 * Lanes per column group of the subgroup layout: the subgroup where N fills it, else the fewest
 * (a power of two, at least 4 so a phase's k hold a quad of Bᵀ) whose columns cover N.
 */
export function phaseLanes(N: number, SG: number, v: Pick<MatmulVariant, 'rm' | 'rn'>): number {
  if (!splitsK(v)) return SG;
  let g = 4;
  while (g < SG && g * v.rn < N) g *= 2;
  return Math.min(g, SG);
}

/** The index of x for the operand index `dims` of a transposed operand. */
function viewDims(t: OperandView, dims: string[]): string[] {
  const d = new Array<string>(t.perm.length);
  dims.forEach((dim, i) => {
    d[t.perm[i]!] = dim;
  });
  return d;
}

/** The B operand when the subgroup variant can load it as vec4s straight from its buffer. */
function vec4Operand(k: Kernel, v: MatmulVariant, aliases?: ReadonlyMap<number, number>): Var | undefined {
  if (v.kind !== 'subgroup') return undefined;
  const b = k.anchor!.inputs[1]!;
  const n = b.shape[b.shape.length - 1]!;
  const direct = k.inputs.some((u) => u.id === b.id) && !k.outputs.some((o) => o.id === b.id || aliases?.get(o.id) === b.id);
  return direct && b.dtype === 'f32' && n % 4 === 0 ? b : undefined;
}

/**
 * B for a texB variant: read straight from its buffer as vec4s, one matrix (no batch), rows of
 * a multiple of 64 floats (copyBufferToTexture needs 256-byte rows), within texture limits.
 * The texture holds B as rgba32float texels: width N/4, height K.
 */
export function textureOperand(
  k: Kernel,
  v: MatmulVariant,
  caps: DeviceCaps,
  aliases?: ReadonlyMap<number, number>,
  half?: ReadonlySet<number>,
): { b: Var; width: number; height: number } | undefined {
  if (!v.texB) return undefined;
  const b = vec4Operand(k, v, aliases);
  // the texture is rgba32float, copied from the buffer as it is: not from f16 storage
  if (!b || half?.has(b.id)) return undefined;
  const r = b.shape.length,
    K = b.shape[r - 2]!,
    N = b.shape[r - 1]!;
  const max = caps.maxTextureDimension2D;
  return numel(b.shape.slice(0, r - 2)) === 1 && N % 64 === 0 && N / 4 <= max && K <= max ? { b, width: N / 4, height: K } : undefined;
}

/** The output when the subgroup variant can store it as vec4s: each lane's four adjacent
 *  columns in one store, not four (wide stores suit GPUs; neutral on lavapipe, RESULTS.md). */
export function vec4Output(k: Kernel, v: MatmulVariant, aliases?: ReadonlyMap<number, number>): Var | undefined {
  if (v.kind !== 'subgroup' || k.outputs.length !== 1) return undefined;
  const out = k.outputs[0]!;
  const n = out.shape[out.shape.length - 1]!;
  return out.dtype === 'f32' && n % 4 === 0 && aliases?.get(out.id) === undefined ? out : undefined;
}

export function matmulBody(
  k: Kernel,
  s: Scope,
  v: MatmulVariant,
  caps: DeviceCaps,
  loads: OperandLoads = { b: { kind: 'scalar' } },
): { body: string; dispatch: [number, number, number]; flops: number } {
  if (v.kind === 'subgroup') return subgroupBody(k, s, v, caps, loads);
  const { e, a, b, M, K, N, batch } = operands(k);
  const tileM = v.wy * v.rm,
    tileN = v.wx * v.rn;
  const { gx, gy, top, bdims, lines } = prologue(k, s, tileM, tileN, caps);
  const aIdx = (m: string, kk: string): Idx => ({ shape: a.shape, dims: [...bdims, m, kk] });
  const bIdx = (kk: string, n: string): Idx => ({ shape: b.shape, dims: [...bdims, kk, n] });
  for (let i = 0; i < v.rm; i++) lines.push(`let ma${i} = min(m0 + ${i}, ${M - 1});`);
  for (let j = 0; j < v.rn; j++) lines.push(`let na${j} = min(n0 + ${j}, ${N - 1});`);
  for (let i = 0; i < v.rm; i++) lines.push(`var c${i} = vec${v.rn === 4 ? 4 : v.rn}<f32>();`);

  if (v.kind === 'regtile') {
    const loop = top.child();
    const av = Array.from({ length: v.rm }, (_, i) => loop.value(a, aIdx(`ma${i}`, 'k')));
    const bv = Array.from({ length: v.rn }, (_, j) => loop.value(b, bIdx('k', `na${j}`)));
    lines.push(
      `for (var k = 0; k < ${K}; k++) {`,
      ...loop.lines.map((l) => `  ${l}`),
      `  let bk = vec${v.rn}<f32>(${bv.join(', ')});`,
      ...av.map((x, i) => `  c${i} = fma(vec${v.rn}<f32>(${x}), bk, c${i});`),
      '}',
    );
  } else {
    // Stage a tileM×kt slab of A and a kt×tileN slab of B per iteration.
    const nThreads = v.wx * v.wy;
    const load = top.child();
    const aLoads: string[] = [],
      bLoads: string[] = [];
    for (let t = 0; t < Math.ceil((tileM * v.kt) / nThreads); t++) {
      const sl = `(tid + ${t * nThreads})`;
      const ak = load.let(`${sl} % ${v.kt}`, 'q'),
        am = load.let(`${sl} / ${v.kt}`, 'q');
      const gm = load.let(`min(mb + ${am}, ${M - 1})`, 'q'),
        gk = load.let(`min(k0 + ${ak}, ${K - 1})`, 'q');
      const val = load.value(a, aIdx(gm, gk));
      aLoads.push(`if (${am} < ${tileM}) { sa[${am} * ${v.kt} + ${ak}] = select(0.0f, ${val}, k0 + ${ak} < ${K}); }`);
    }
    for (let t = 0; t < Math.ceil((tileN * v.kt) / nThreads); t++) {
      const sl = `(tid + ${t * nThreads})`;
      const bn = load.let(`${sl} % ${tileN}`, 'q'),
        bk = load.let(`${sl} / ${tileN}`, 'q');
      const gn = load.let(`min(nb + ${bn}, ${N - 1})`, 'q'),
        gk = load.let(`min(k0 + ${bk}, ${K - 1})`, 'q');
      const val = load.value(b, bIdx(gk, gn));
      bLoads.push(`if (${bk} < ${v.kt}) { sb[${bk} * ${tileN} + ${bn}] = select(0.0f, ${val}, k0 + ${bk} < ${K}); }`);
    }
    lines.push(
      `for (var k0 = 0; k0 < ${K}; k0 += ${v.kt}) {`,
      ...load.lines.map((l) => `  ${l}`),
      ...aLoads.map((l) => `  ${l}`),
      ...bLoads.map((l) => `  ${l}`),
      '  workgroupBarrier();',
      `  for (var kk = 0; kk < ${v.kt}; kk++) {`,
      `    let bk = vec${v.rn}<f32>(${Array.from({ length: v.rn }, (_, j) => `sb[kk * ${tileN} + i32(lid.x) * ${v.rn} + ${j}]`).join(', ')});`,
      ...Array.from({ length: v.rm }, (_, i) => `    c${i} = fma(vec${v.rn}<f32>(sa[(i32(lid.y) * ${v.rm} + ${i}) * ${v.kt} + kk]), bk, c${i});`),
      '  }',
      '  workgroupBarrier();',
      '}',
    );
  }

  // Epilogue: the kernel's root value at each output position, with the product as a local.
  const out = k.outputs[0]!;
  const buf = s.ctx.buffers.get(out.id)!;
  for (let i = 0; i < v.rm; i++) {
    for (let j = 0; j < v.rn; j++) {
      const ep = top.child();
      ep.locals.set(e.outputs[0]!.id, `c${i}[${j}]`);
      const val = ep.value(out, { shape: out.shape, dims: [...bdims, `(m0 + ${i})`, `(n0 + ${j})`], lin: `(bz * ${M * N} + (m0 + ${i}) * ${N} + n0 + ${j})` });
      lines.push(
        `if (m0 + ${i} < ${M} && n0 + ${j} < ${N}) {`,
        ...ep.lines.map((l) => `  ${l}`),
        `  ${buf}[bz * ${M * N} + (m0 + ${i}) * ${N} + n0 + ${j}] = ${storeValue(s.ctx, out, val)};`,
        '}',
      );
    }
  }
  const shared = v.kind === 'shared' ? `var<workgroup> sa: array<f32, ${tileM * v.kt}>;\nvar<workgroup> sb: array<f32, ${v.kt * tileN}>;\n` : '';
  const body = `${shared}@compute @workgroup_size(${v.wx}, ${v.wy})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let bz = i32(wid.z);
  let mb = i32(wid.y) * ${tileM};
  let nb = i32(wid.x) * ${tileN};
  let tid = i32(lid.y * ${v.wx}u + lid.x);
  let m0 = mb + i32(lid.y) * ${v.rm};
  let n0 = nb + i32(lid.x) * ${v.rn};
${lines.map((l) => `  ${l}`).join('\n')}
}`;
  return { body, dispatch: [gx, gy, Math.max(batch, 1)], flops: 2 * batch * M * N * K };
}

/** The anchor matmul's operands and sizes: [...batch, M, K] @ [...batch, K, N]. */
function operands(k: Kernel): { e: Eqn; a: Var; b: Var; M: number; K: number; N: number; batchShape: number[]; batch: number } {
  const e = k.anchor!;
  const [a, b] = [e.inputs[0]!, e.inputs[1]!];
  const r = a.shape.length;
  const batchShape = a.shape.slice(0, r - 2);
  return { e, a, b, M: a.shape[r - 2]!, K: a.shape[r - 1]!, N: b.shape[r - 1]!, batchShape, batch: numel(batchShape) };
}

/** Workgroup grid for the tiles (checked against the adapter) and the batch index dims. */
function prologue(
  k: Kernel,
  s: Scope,
  tileM: number,
  tileN: number,
  caps: DeviceCaps,
): { gx: number; gy: number; top: Scope; bdims: string[]; lines: string[] } {
  const { a, b, M, N, batchShape, batch } = operands(k);
  const gx = Math.ceil(N / tileN),
    gy = Math.ceil(M / tileM);
  checkGrid(a, b, gx, gy, batch, caps);
  const top = s.child();
  const bdims = top.dims({ shape: batchShape, lin: 'bz' });
  return { gx, gy, top, bdims, lines: top.lines.splice(0) };
}

function checkGrid(a: Var, b: Var, gx: number, gy: number, batch: number, caps: DeviceCaps): void {
  const max = caps.maxComputeWorkgroupsPerDimension;
  if (batch > max || gx > max || gy > max) throw new Error(`matmul ${a.shape.join('x')} @ ${b.shape.join('x')} needs more workgroups than the adapter allows`);
}

/** Subgroup-broadcast layout (see MatmulVariant). Lane j of subgroup w owns rows
 *  m0..m0+RM-1 (shared by the subgroup) and columns n0 + c·4·SG + 0..3 for c < RN/4. */
function subgroupBody(
  k: Kernel,
  s: Scope,
  v: MatmulVariant,
  caps: DeviceCaps,
  loads: OperandLoads,
): { body: string; dispatch: [number, number, number]; flops: number } {
  const { e, a, b, M, K, N, batch } = operands(k);
  const load = loads.b;
  const SG = v.wx,
    RM = v.rm,
    C = v.rn / 4;
  // A product narrower than the subgroup's columns (attention's per-head outputs, 16 wide) splits
  // each chunk of SG k among P phases of G lanes (k offsets kph..kph+G-1) instead of leaving
  // lanes on clamped copies of the last columns; the phases' sums meet by shuffles at the end.
  const G = phaseLanes(N, SG, v),
    P = SG / G;
  const tileM = v.wy * RM,
    tileN = G * v.rn;
  const { gx, gy, top, bdims, lines } = prologue(k, s, tileM, tileN, caps);
  if (P > 1) lines.push(`let kph = (lane / ${G}) * ${G};`);
  const kOff = (kk: string): string => (P > 1 ? `kph + ${kk}` : kk);
  // B read through the texture keeps its storage binding in the pipeline layout.
  if (load.kind === 'texture') lines.push(`_ = ${s.ctx.buffers.get(load.b.id)!}[0];`);
  if (!loads.a) for (let i = 0; i < RM; i++) lines.push(`let ma${i} = min(m0 + ${i}, ${M - 1});`);
  for (let c = 0; c < C; c++) lines.push(`let nc${c} = n0 + ${c * 4 * G};`);
  for (let i = 0; i < RM; i++) for (let c = 0; c < C; c++) lines.push(`var c${i}_${c} = vec4<f32>();`);

  // Mip level. lavapipe 25.0.7 with 16-wide subgroups (LP_NATIVE_VECTOR_WIDTH=512) fetches wrong
  // texels here when the level is the constant 0, and is right with an opaque zero (wgsl.ts
  // opaqueLoopBounds defines it); 8 wide it is the other way round: the opaque level segfaults
  // at some sizes (256x128 @ 128x256). Measured, not understood: bench/RESULTS.md.
  const level = caps.cpu && SG >= 16 ? 'opaque_zero' : '0';
  const loop = top.child();
  // When SG divides K no lane reads past the end, so the k clamps and masks go away.
  const kTail = K % SG !== 0;
  loop.lines.push(`let ka = k0 + lane;`, kTail ? `let kac = min(ka, ${K - 1});` : 'let kac = ka;');
  const mask = (x: string, zero: string): string => (kTail ? `select(${zero}, ${x}, ka < ${K})` : x);
  const aT = loads.a;
  // A viewed from x whose last axis is A's m: a lane's rows m0..m0+RM-1 at its k are RM/4 vec4s (M % 4 == 0
  // there, so a group of four rows is all inside M or all past it, where nothing is stored).
  const av = aT
    ? Array.from({ length: RM / 4 }, (_, g) => {
        const m = `min(m0 + ${4 * g}, ${M - 4})`;
        const w = loop.let(mask(vectorValue(loop, aT.x, { shape: aT.x.shape, dims: viewDims(aT, [...bdims, m, 'kac']) }, new Map()), 'vec4<f32>()'), 'a');
        return [0, 1, 2, 3].map((j) => `${w}[${j}]`);
      }).flat()
    : Array.from({ length: RM }, (_, i) => loop.let(mask(loop.value(a, { shape: a.shape, dims: [...bdims, `ma${i}`, 'kac'] }), '0.0f'), 'a'));
  // The FMAs of one k: A's rows from lane `lane` (the k it loaded), B's columns `bv`.
  const fmas = (blk: Scope, lane: string, bv: string[]): void => {
    for (let i = 0; i < RM; i++) {
      const shuffle = v.rolled || P > 1;
      const sv = blk.let(shuffle ? `vec4<f32>(subgroupShuffle(${av[i]}, ${lane}))` : `vec4<f32>(subgroupBroadcast(${av[i]}, ${lane}))`, 's');
      for (let c = 0; c < C; c++) blk.lines.push(`c${i}_${c} = fma(${sv}, ${bv[c]}, c${i}_${c});`);
    }
  };
  const nCol = (c: number, t?: number): string => (t === undefined ? `min(nc${c}, ${N - 4})` : `min(nc${c} + ${t}, ${N - 1})`);
  // One k of the SG a lane loaded: B's columns at k0 + kk.
  const step = (kk: string, lane: string): string[] => {
    const blk = loop.child();
    const kb = blk.let(kTail ? `min(k0 + ${kOff(kk)}, ${K - 1})` : `k0 + ${kOff(kk)}`, 'kb');
    const bv = Array.from({ length: C }, (_, c) => {
      if (load.kind === 'texture') return blk.let(`textureLoad(${load.name}, vec2<i32>(${nCol(c)} / 4, ${kb}), ${level})`, 'b');
      if (load.kind === 'rows') return vectorValue(blk, load.x, { shape: load.x.shape, dims: viewDims(load, [...bdims, kb, nCol(c)]) }, new Map());
      const q = [0, 1, 2, 3].map((t) => blk.value(b, { shape: b.shape, dims: [...bdims, kb, nCol(c, t)] }));
      return blk.let(`vec4<f32>(${q.join(', ')})`, 'b');
    });
    fmas(blk, lane, bv);
    return blk.lines;
  };
  // Four k at once from Bᵀ's rows (load.kind 'columns'): a vec4 along k per column, regrouped.
  const quad = (q: string, lane: (r: number) => string): string[] => {
    if (load.kind !== 'columns') throw new Error('quad: B is not read by columns');
    const blk = loop.child();
    // K % 4 == 0 here, so a quad is all inside K or all past it (where A is zero): clamp its start.
    const kq = blk.let(kTail ? `min(k0 + ${kOff(q)}, ${K - 4})` : `k0 + ${kOff(q)}`, 'kq');
    const w = Array.from({ length: C }, (_, c) =>
      [0, 1, 2, 3].map((t) => vectorValue(blk, load.x, { shape: load.x.shape, dims: viewDims(load, [...bdims, kq, nCol(c, t)]) }, new Map())),
    );
    for (let r = 0; r < 4; r++) {
      const bv = w.map((cols) => blk.let(`vec4<f32>(${cols.map((x) => `${x}[${r}]`).join(', ')})`, 'b'));
      fmas(blk, lane(r), bv);
    }
    return blk.lines;
  };
  const body = (lines: string[]): string[] => lines.map((l) => `  ${l}`);
  // the lane that loaded A at k offset `kk` (a constant where there is one phase)
  const from = (kk: string, n?: number): string => (P > 1 ? `u32(kph + ${kk})` : n === undefined ? `u32(${kk})` : `${n}u`);
  if (load.kind === 'columns') {
    // `quad` takes the quad's first k (as an offset from k0, or from kph); G >= 4 (phaseLanes)
    if (v.rolled) loop.lines.push(`for (var q = 0; q < ${G}; q += 4) {`, ...body(quad('q', (r) => from(`q + ${r}`))), '}');
    else for (let q = 0; q < G; q += 4) loop.lines.push('{', ...body(quad(String(q), (r) => from(String(q + r), q + r))), '}');
  } else if (v.rolled) loop.lines.push(`for (var kk = 0; kk < ${G}; kk++) {`, ...body(step('kk', from('kk'))), '}');
  else for (let kk = 0; kk < G; kk++) loop.lines.push('{', ...body(step(String(kk), from(String(kk), kk))), '}');
  lines.push(`for (var k0 = 0; k0 < ${K}; k0 += ${SG}) {`, ...body(loop.lines), '}');
  if (P > 1) {
    // add the phases' partial sums (lanes l and l ^ G·2^j), then the first phase stores
    for (let st = G; st < SG; st *= 2)
      for (let i = 0; i < RM; i++) for (let c = 0; c < C; c++) lines.push(`c${i}_${c} = c${i}_${c} + subgroupShuffleXor(c${i}_${c}, ${st}u);`);
    lines.push(`if (lane >= ${G}) { return; }`);
  }

  // Epilogue in a loop over the register tile (through a private array): one copy of the
  // fused epilogue code instead of RM·RN, which keeps lavapipe's pipeline compile short.
  const out = k.outputs[0]!;
  const buf = s.ctx.buffers.get(out.id)!;
  const wideOut = s.ctx.vec4?.has(out.id) === true;
  if (out.id === e.outputs[0]!.id) {
    // Plain product: straight stores from registers (a private array would cost ~30% here).
    for (let i = 0; i < RM; i++)
      for (let c = 0; c < C; c++)
        for (let t = 0; t < (wideOut ? 1 : 4); t++) {
          const g = [M % tileM ? `m0 + ${i} < ${M}` : '', N % tileN ? `nc${c} + ${t} < ${N}` : ''].filter((x) => x);
          const at = `bz * ${M * N} + (m0 + ${i}) * ${N} + nc${c}`;
          const st = wideOut
            ? `${buf}[(${at}) / 4] = ${storeVec4(s.ctx, out, `c${i}_${c}`)};`
            : `${buf}[${at} + ${t}] = ${storeValue(s.ctx, out, `c${i}_${c}[${t}]`)};`;
          lines.push(g.length ? `if (${g.join(' && ')}) { ${st} }` : st);
        }
    return subgroupKernel(SG, G, v, tileM, tileN, RM, lines, [gx, gy, Math.max(batch, 1)], 2 * batch * M * N * K);
  }
  lines.push(`var acc = array<vec4<f32>, ${RM * C}>(${Array.from({ length: RM * C }, (_, q) => `c${Math.floor(q / C)}_${q % C}`).join(', ')});`);
  const ep = top.child();
  const guard: string[] = [];
  const wide: string[] = [];
  for (let t = 0; t < 4; t++) {
    const e4 = ep.child();
    e4.locals.set(e.outputs[0]!.id, `acc[ri * ${C} + ci][${t}]`);
    const lin = `(bz * ${M * N} + mi * ${N} + ni + ${t})`;
    const val = e4.value(out, { shape: out.shape, dims: [...bdims, 'mi', `(ni + ${t})`], lin });
    if (wideOut) {
      wide.push(...e4.lines, `let o${t} = ${val};`);
      continue;
    }
    const store = [...e4.lines, `${buf}[${lin}] = ${storeValue(s.ctx, out, val)};`];
    guard.push(...(N % tileN ? [`if (ni + ${t} < ${N}) {`, ...store.map((l) => `  ${l}`), '}'] : ['{', ...store.map((l) => `  ${l}`), '}']));
  }
  if (wideOut) {
    // The four columns of a lane are all in range or all out (N % 4 == 0).
    const store = [...wide, `${buf}[(bz * ${M * N} + mi * ${N} + ni) / 4] = ${storeVec4(s.ctx, out, 'vec4<f32>(o0, o1, o2, o3)')};`];
    guard.push(...(N % tileN ? [`if (ni < ${N}) {`, ...store.map((l) => `  ${l}`), '}'] : ['{', ...store.map((l) => `  ${l}`), '}']));
  }
  lines.push(
    `for (var ri = 0; ri < ${RM}; ri++) {`,
    '  let mi = m0 + ri;',
    ...(M % tileM ? [`  if (mi >= ${M}) { break; }`] : []),
    `  for (var ci = 0; ci < ${C}; ci++) {`,
    `    let ni = n0 + ci * ${4 * G};`,
    ...guard.map((l) => `    ${l}`),
    '  }',
    '}',
  );
  return subgroupKernel(SG, G, v, tileM, tileN, RM, lines, [gx, gy, Math.max(batch, 1)], 2 * batch * M * N * K);
}

function subgroupKernel(
  SG: number,
  G: number,
  v: MatmulVariant,
  tileM: number,
  tileN: number,
  RM: number,
  lines: string[],
  dispatch: [number, number, number],
  flops: number,
): { body: string; dispatch: [number, number, number]; flops: number } {
  const body = `@compute @workgroup_size(${SG * v.wy})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) li: u32, @builtin(subgroup_invocation_id) sl: u32) {
  let bz = i32(wid.z);
  let lane = i32(sl);
  let m0 = i32(wid.y) * ${tileM} + i32(li / ${SG}u) * ${RM};
  let n0 = i32(wid.x) * ${tileN} + ${G < SG ? `(lane % ${G})` : 'lane'} * 4;
${lines.map((l) => `  ${l}`).join('\n')}
}`;
  return { body, dispatch, flops };
}
